"""The section registry: order, numbers, titles and notebooks come from here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass

from . import paths


@dataclass(frozen=True)
class SectionSpec:
    key: str  # "00" ... "08"
    slug: str
    title: str
    label: str  # "2", "Appendix A", or "" for an unnumbered front section
    appendix: bool = False
    #: the section's figures and tables in order, by key: their numbers come from here, so that
    #: a reference such as "Figure 5.2" elsewhere (the summary) is never typed twice
    figures: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()

    @property
    def notebook(self) -> str:
        return f"{self.key}_{self.slug}.ipynb"

    @property
    def path(self):
        return paths.NOTEBOOKS_DIR / self.notebook

    @property
    def heading(self) -> str:
        """The numbered H1 the report shows ("Key findings" for an unnumbered section)."""
        return f"{self.label}. {self.title}" if self.label else self.title

    @property
    def number(self) -> str:
        """Prefix of figure and table numbers: "2" -> Figure 2.1; "A" -> Figure A.1."""
        return self.label.replace("Appendix ", "")


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("00", "summary", "Key findings", ""),
    SectionSpec("01", "frustrated_ally", "A frustrated ally", "1",
                figures=("region_map", "dependence", "road_to_september", "signals"),
                tables=("presence", "road_steps")),
    SectionSpec("02", "roots_of_discontent", "The roots of discontent", "2",
                figures=("conflict_timeline", "military_burden", "spending_gap",
                         "rival_suppliers"),
                tables=("conflict_events", "war_losses", "rival_drones")),
    SectionSpec("03", "russian_involvement", "Russian involvement and its limits", "3",
                figures=("peacekeepers", "corridor", "alliance"), tables=("attack_losses",)),
    SectionSpec("04", "price_of_loyalty", "The price of loyalty", "4",
                figures=("turn", "dependence_over_time", "patron_deliveries"),
                tables=("gas_price", "patron_systems")),
    SectionSpec("05", "balancing_act", "A delicate balancing act", "5",
                figures=("concentration", "suppliers", "diversification", "votes"),
                tables=("partner_systems", "diversification_steps")),
    SectionSpec("06", "unintended_consequences", "The unintended consequences", "6",
                tables=("trade_restrictions",)),
    SectionSpec("07", "outlook", "Outlook: caught in the middle?", "7",
                figures=("opinion", "after_article"),
                tables=("watch", "offensive_toll", "after_article")),
    SectionSpec("08", "claim_ledger", "Claim ledger", "Appendix A", appendix=True),
)
_BY_KEY = {s.key: s for s in SECTIONS}


def number_of(kind: str, key: str) -> str:
    """ "5.2" for the figure (``kind="figure"``) or table registered as ``key``."""
    for spec in SECTIONS:
        keys = spec.figures if kind == "figure" else spec.tables
        if key in keys:
            return f"{spec.number}.{keys.index(key) + 1}"
    raise KeyError(f"no {kind} registered as {key!r} in analysis.sections")


def label(kind: str, key: str) -> str:
    """'Figure 2.3': how a section's own text points to a registered figure or table."""
    return f"{kind.capitalize()} {number_of(kind, key)}"


def ref(kind: str, key: str) -> str:
    """'Figure 5.2, section 5': how the summary points to a figure or table."""
    number = number_of(kind, key)
    return f"{kind.capitalize()} {number}, section {number.split('.')[0]}"


def get(key: str | int) -> SectionSpec:
    """A section by key ("02"), number (2), slug or notebook name."""
    text = f"{key:02d}" if isinstance(key, int) else str(key).removesuffix(".ipynb")
    for spec in SECTIONS:
        # "00".lstrip("0") is "": an empty name must not select the summary
        if text and text in (spec.key, spec.slug, f"{spec.key}_{spec.slug}",
                             spec.key.lstrip("0") or "0"):
            return spec
    raise KeyError(text)


def select(names: list[str] | None) -> list[SectionSpec]:
    """Sections named on the command line (keys, numbers or slugs; a name may hold several,
    comma-separated), in report order."""
    from .errors import ParameterError
    from .params import suggest

    if not names:
        return list(SECTIONS)
    chosen = set()
    parts = [part.strip() for given in names
             for part in (given.split(",") if "," in given else [given])]
    for name in (part for part in parts if part or len(parts) == 1):
        try:
            chosen.add(get(name).key)
        except KeyError:
            options = [s.key for s in SECTIONS] + [s.slug for s in SECTIONS]
            raise ParameterError(
                f"unknown section '{name}'{suggest(name, options) or ';'} "
                f"sections: {', '.join(f'{s.key} ({s.slug})' for s in SECTIONS)}") from None
    return [s for s in SECTIONS if s.key in chosen]
