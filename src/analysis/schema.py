"""The evidence base's descriptor (data/datapackage.json), read once per folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import paths
from .errors import DataValidationError


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    description: str
    constraints: dict[str, Any]

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))


@dataclass(frozen=True)
class TableSpec:
    name: str
    path: str
    description: str
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict[str, Any], ...]

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)


@lru_cache(maxsize=8)
def _read_descriptor(path: Path, mtime: float) -> dict[str, TableSpec]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataValidationError([f"{path}: the data package descriptor is missing"]) from None
    except json.JSONDecodeError as exc:
        raise DataValidationError(
            [f"{path.name} line {exc.lineno}: not valid JSON ({exc.msg})"]) from None
    tables = {}
    for res in raw.get("resources", []):
        schema = res.get("schema", {})
        pk = schema.get("primaryKey", [])
        tables[res["name"]] = TableSpec(
            name=res["name"],
            path=res["path"],
            description=res.get("description", ""),
            fields=tuple(FieldSpec(f["name"], f.get("type", "string"), f.get("description", ""),
                                   dict(f.get("constraints", {}))) for f in schema["fields"]),
            primary_key=tuple([pk] if isinstance(pk, str) else pk),
            foreign_keys=tuple(schema.get("foreignKeys", [])),
        )
    return tables


def load_descriptor(data_dir: Path | None = None) -> dict[str, TableSpec]:
    """Table specs by name, from ``data_dir/datapackage.json``."""
    path = paths.data_dir(data_dir) / paths.DESCRIPTOR_NAME
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _read_descriptor(path, mtime)
