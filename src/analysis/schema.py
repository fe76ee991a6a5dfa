"""The evidence base's descriptor (data/datapackage.json), read once per folder."""

from __future__ import annotations

import json
import re
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


_TYPES = ("string", "number", "integer", "date", "boolean")


def _resource_problems(index: int, res: Any) -> list[str]:
    where = f"{paths.DESCRIPTOR_NAME} resources[{index}]"
    if not isinstance(res, dict):
        return [(f"{where}: is not an object (expected {{\"name\": ..., \"path\": ..., "
                 "\"schema\": ...}})")]
    if not isinstance(res.get("name"), str) or not res["name"].strip():
        return [f"{where}: has no \"name\""]
    where = f"{paths.DESCRIPTOR_NAME} resource '{res['name']}'"
    problems = []
    if not isinstance(res.get("path"), str) or not res["path"].strip():
        problems.append(f"{where}: has no \"path\" (the CSV file, relative to the data folder)")
    schema = res.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return problems + [f"{where}: has no \"schema\" with a list of \"fields\""]
    names = {f.get("name") for f in schema["fields"] if isinstance(f, dict)}
    pk = schema.get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else pk
    if not isinstance(pk, list) or any(k not in names for k in pk):
        problems.append(f"{where}: primaryKey {pk!r} names a column the schema does not have")
    for i, f in enumerate(schema["fields"]):
        if not isinstance(f, dict) or not isinstance(f.get("name"), str):
            problems.append(f"{where}: field {i + 1} has no \"name\"")
            continue
        if f.get("type", "string") not in _TYPES:
            problems.append(f"{where}: field '{f['name']}' has type {f.get('type')!r}; types: "
                            f"{', '.join(_TYPES)}")
        constraints = f.get("constraints", {})
        if not isinstance(constraints, dict):
            problems.append(f"{where}: field '{f['name']}': constraints must be an object")
            continue
        if "pattern" in constraints:
            try:
                re.compile(constraints["pattern"])
            except (re.error, TypeError) as exc:
                problems.append(f"{where}: field '{f['name']}': pattern "
                                f"{constraints['pattern']!r} is not a valid regular expression "
                                f"({exc})")
        for bound in ("minimum", "maximum", "maxLength"):
            value = constraints.get(bound)
            if value is not None and (isinstance(value, bool)
                                      or not isinstance(value, int | float)):
                problems.append(f"{where}: field '{f['name']}': {bound} must be a number")
    return problems


@lru_cache(maxsize=8)
def _read_descriptor(path: Path, mtime: float) -> dict[str, TableSpec]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataValidationError([f"{path}: the data package descriptor is missing"]) from None
    except (IsADirectoryError, NotADirectoryError, PermissionError) as exc:
        raise DataValidationError([f"{path}: cannot be read ({exc.strerror})"]) from None
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            [f"{path.name}: is not UTF-8 text (byte {exc.start}); save it as UTF-8"]) from None
    except json.JSONDecodeError as exc:
        raise DataValidationError(
            [f"{path.name} line {exc.lineno}: not valid JSON ({exc.msg})"]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("resources"), list):
        raise DataValidationError([(f"{path.name}: expected a JSON object with a "
                                    "\"resources\" list (a Frictionless data package descriptor)")])
    problems = [p for i, res in enumerate(raw["resources"]) for p in _resource_problems(i, res)]
    if problems:
        raise DataValidationError(problems)
    tables = {}
    for res in raw["resources"]:
        schema = res["schema"]
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
    folder = paths.data_dir(data_dir)
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise DataValidationError([(f"{folder}: {what}; give the evidence base folder (the one "
                                    f"holding {paths.DESCRIPTOR_NAME})")])
    path = folder / paths.DESCRIPTOR_NAME
    mtime = path.stat().st_mtime if path.is_file() else 0.0
    return _read_descriptor(path, mtime)
