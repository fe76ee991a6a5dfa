"""Display objects of the appendices: one :class:`Claim` per claim of the ledger (Appendix A) and
one :class:`Bibliography` (Appendix B).

Each renders as a MIME bundle: a JSON payload under a project MIME type holding RAW text (each
exporter escapes it once for its format, see PAYLOADS in the exporters), plus ``text/html`` and
``text/markdown`` fallbacks escaped here, once, with :func:`html.escape` and :func:`prose.md`, so a
front end that does not know the MIME type still shows the content.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field

from .prose import md

CLAIM_MIME = "application/vnd.tightrope.claim+json"
BIBLIOGRAPHY_MIME = "application/vnd.tightrope.bibliography+json"
VERDICTS = ("supported", "partly supported", "disputed", "not verifiable", "not yet verifiable")


@dataclass(frozen=True)
class SourceRef:
    id: str
    label: str
    url: str | None = None


def _link_html(url: str | None, text: str) -> str:
    if url and url.startswith(("http://", "https://")):
        return f'<a href="{html.escape(url)}">{html.escape(text)}</a>'
    return html.escape(text)


def _link_md(url: str | None, text: str) -> str:
    """A Markdown link; a URL shown as itself becomes an autolink (nothing escaped inside)."""
    if url and url.startswith(("http://", "https://")):
        safe = url.replace(">", "%3E").replace(" ", "%20").replace("<", "%3C")
        return f"<{safe}>" if text == url else f"[{md(text)}](<{safe}>)"
    return md(text)


@dataclass(frozen=True)
class Claim:
    """One claim of the ledger, judged with the evidence available at ``as_of``."""

    id: str
    section: int
    claim: str
    verdict: str
    reasoning: str | None
    evidence: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    after: str | None = None

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"claim {self.id}: verdict {self.verdict!r} is not one of "
                             f"{', '.join(VERDICTS)}")

    def payload(self) -> dict:
        return {"id": self.id, "section": self.section, "claim": self.claim,
                "verdict": self.verdict, "reasoning": self.reasoning or "",
                "evidence": list(self.evidence),
                "sources": [asdict(s) for s in self.sources], "after": self.after}

    def to_html(self) -> str:
        head = (f'<article class="tr-claim" id="claim-{html.escape(self.id)}">'
                f'<p><strong>{html.escape(self.id)}</strong> '
                f'<span class="tr-badge">{html.escape(self.verdict)}</span></p>'
                f"<p>{html.escape(self.claim)}</p>")
        parts = [head]
        if self.reasoning:
            parts.append(f"<p>{html.escape(self.reasoning)}</p>")
        if self.evidence:
            items = "".join(f"<li>{html.escape(e)}</li>" for e in self.evidence)
            parts.append(f"<p>Evidence:</p><ul>{items}</ul>")
        if self.sources:
            items = "".join(f"<li>{_link_html(s.url, s.label)}</li>" for s in self.sources)
            parts.append(f"<p>Sources:</p><ul>{items}</ul>")
        if self.after:
            parts.append(f"<p>Since then: {html.escape(self.after)}</p>")
        return "".join(parts) + "</article>"

    def to_markdown(self) -> str:
        lines = [f"**{md(self.id)} — {md(self.verdict)}.** {md(self.claim)}"]
        if self.reasoning:
            lines.append(md(self.reasoning))
        if self.evidence:
            lines.append("Evidence:\n\n" + "\n".join(f"- {md(e)}" for e in self.evidence))
        if self.sources:
            lines.append("Sources:\n\n" + "\n".join(f"- {_link_md(s.url, s.label)}"
                                                    for s in self.sources))
        if self.after:
            lines.append(f"*Since then:* {md(self.after)}")
        return "\n\n".join(lines)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {CLAIM_MIME: self.payload(), "text/html": self.to_html(),
                "text/markdown": self.to_markdown(),
                "text/plain": f"{self.id} ({self.verdict}): {self.claim}"}


@dataclass(frozen=True)
class BibEntry:
    id: str
    publisher: str
    title: str
    date: str  # "2023-09-15" or "n.d."
    url: str | None = None
    locator: str | None = None
    via: str | None = None

    def text(self) -> str:
        """Compact: publisher. title. date. (the locator and the copy read stay in the payload
        and in data/sources.csv)."""
        date = self.date if self.date.endswith(".") else f"{self.date}."
        return f"{self.publisher.rstrip('.')}. {self.title.rstrip('.')}. {date}"


def exceptions(revised_series: bool, later_copies: bool) -> list[str]:
    """What an edition shows from after its date, as the title page, the key findings, Appendix
    B and the citation say it: statistical series from later releases, figures of earlier
    items read in later copies."""
    return ([("statistical series read in later releases of the publishers' files (only their "
              "years up to that date, but with any revisions made since; named in the data note "
              "of Appendix B)")] if revised_series else []) + \
        (["figures of earlier items read in later copies, marked in Appendix B"]
         if later_copies else [])


def exceptions_text(revised_series: bool, later_copies: bool) -> str:
    """:func:`exceptions` as one clause ('' when there is none)."""
    return ", and ".join(exceptions(revised_series, later_copies))


@dataclass(frozen=True)
class Bibliography:
    """Appendix B: the sources this edition cites, one compact entry each."""

    entries: tuple[BibEntry, ...]
    title: str = "Sources cited"
    notes: tuple[str, ...] = field(default=())
    #: some figures come from releases published after the edition's date (one of the notes
    #: names them): the only thing the edition shows from after its date
    later_releases: bool = False
    #: some figures of items published by the edition's date were read in copies published
    #: after it (each entry says so)
    later_copies: bool = False

    def payload(self) -> dict:
        return {"title": self.title, "entries": [asdict(e) for e in self.entries],
                "notes": list(self.notes)}

    def to_html(self) -> str:
        items = "".join(f'<li id="src-{html.escape(e.id)}">{html.escape(e.text())}'
                        + (f" {_link_html(e.url, e.url)}" if e.url else "") + "</li>"
                        for e in self.entries)
        notes = "".join(f'<p class="tr-note">{html.escape(n)}</p>' for n in self.notes)
        return (f'<section class="tr-bibliography" aria-label="{html.escape(self.title)}">'
                f"{notes}<ul>{items}</ul></section>")

    def to_markdown(self) -> str:
        notes = [md(n) for n in self.notes]
        items = [f"- {md(e.text())}" + (f" {_link_md(e.url, e.url)}" if e.url else "")
                 for e in self.entries]
        return "\n\n".join([*notes, "\n".join(items)])

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {BIBLIOGRAPHY_MIME: self.payload(), "text/html": self.to_html(),
                "text/markdown": self.to_markdown(),
                "text/plain": f"{self.title}: {len(self.entries)} sources"}
