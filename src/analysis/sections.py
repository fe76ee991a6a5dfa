"""The section registry: order, numbers, titles and notebooks come from here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass

from . import paths


@dataclass(frozen=True)
class SectionSpec:
    key: str  # "01" ... "08"
    slug: str
    title: str
    label: str  # "2" or "Appendix A"
    appendix: bool = False

    @property
    def notebook(self) -> str:
        return f"{self.key}_{self.slug}.ipynb"

    @property
    def path(self):
        return paths.NOTEBOOKS_DIR / self.notebook

    @property
    def heading(self) -> str:
        """The numbered H1 the report shows."""
        return f"{self.label}. {self.title}"

    @property
    def number(self) -> str:
        """Prefix of figure and table numbers: "2" -> Figure 2.1; "A" -> Figure A.1."""
        return self.label.replace("Appendix ", "")


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("01", "frustrated_ally", "A frustrated ally", "1"),
    SectionSpec("02", "roots_of_discontent", "The roots of discontent", "2"),
    SectionSpec("03", "russian_involvement", "Russian involvement and its limits", "3"),
    SectionSpec("04", "price_of_loyalty", "The price of loyalty", "4"),
    SectionSpec("05", "balancing_act", "A delicate balancing act", "5"),
    SectionSpec("06", "unintended_consequences", "The unintended consequences", "6"),
    SectionSpec("07", "outlook", "Outlook: caught in the middle?", "7"),
    SectionSpec("08", "claim_ledger", "Claim ledger", "Appendix A", appendix=True),
)
_BY_KEY = {s.key: s for s in SECTIONS}


def get(key: str | int) -> SectionSpec:
    """A section by key ("02"), number (2), slug or notebook name."""
    text = f"{key:02d}" if isinstance(key, int) else str(key).removesuffix(".ipynb")
    for spec in SECTIONS:
        if text in (spec.key, spec.slug, f"{spec.key}_{spec.slug}", spec.key.lstrip("0")):
            return spec
    raise KeyError(text)


def select(names: list[str] | None) -> list[SectionSpec]:
    """Sections named on the command line (keys, numbers or slugs), in report order."""
    from .errors import ParameterError
    from .params import suggest

    if not names:
        return list(SECTIONS)
    chosen = set()
    for name in names:
        try:
            chosen.add(get(name).key)
        except KeyError:
            options = [s.key for s in SECTIONS] + [s.slug for s in SECTIONS]
            raise ParameterError(
                f"unknown section '{name}'{suggest(name, options) or ';'} "
                f"sections: {', '.join(f'{s.key} ({s.slug})' for s in SECTIONS)}") from None
    return [s for s in SECTIONS if s.key in chosen]
