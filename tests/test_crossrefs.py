"""Cross-references in the HTML: mentions of figures, tables, sections and appendices link to
what they name, only where it exists, never inside a link, heading, caption or code."""

from __future__ import annotations

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.export import crossrefs

FIGURE = ('<figure class="tr-figure" id="fig-3-2"><figcaption><span class="tr-num">Figure 3.2.'
          '</span> A chart</figcaption></figure>')
TABLE = ('<figure class="tr-table tr-narrow" id="tab-7-1"><figcaption><span class="tr-num">'
         'Table 7.1.</span> A table</figcaption></figure>')
TOC = [{"text": "Key findings", "anchor": "sec-00"},
       {"text": "3. Russian involvement and its limits", "anchor": "sec-03"},
       {"text": "Appendix B. Sources", "anchor": "sec-bibliography"}]


def _found():
    return crossrefs.targets([FIGURE, TABLE, "<p>text</p>"], TOC)


def test_targets_come_from_the_page():
    assert _found() == {"Figure 3.2": "fig-3-2", "Table 7.1": "tab-7-1", "section 3": "sec-03",
                        "Appendix B": "sec-bibliography"}


def test_mentions_link_to_their_targets_and_nothing_else():
    html = ("<p>As Figures 3.2 and 3.3 show (Table 7.1; section 3, sections 3 and 4; Appendix B"
            ", Appendix C), it held.</p>")
    soup = BeautifulSoup(crossrefs.link_mentions(html, _found()), "html.parser")
    links = [(a.get_text(), a["href"]) for a in soup.find_all("a")]
    assert links == [("Figures 3.2", "#fig-3-2"), ("Table 7.1", "#tab-7-1"),
                     ("section 3", "#sec-03"), ("sections 3", "#sec-03"),
                     ("Appendix B", "#sec-bibliography")]
    assert soup.get_text() == BeautifulSoup(html, "html.parser").get_text()


def test_no_link_inside_a_link_a_heading_a_caption_or_code():
    html = ('<h2>Figure 3.2 again</h2><p><a href="https://x.org">see Figure 3.2</a> '
            "<code>Table 7.1</code></p>" + FIGURE)
    assert crossrefs.link_mentions(html, _found()).count('href="#') == 0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["Figure 3.2", "Figures 3.2 and 3.3", "Table 7.1", "section 3",
                                 "Appendix B", " and ", ", ", "<", "&", "é", "x", " "]),
                max_size=12).map("".join))
def test_the_words_read_the_same_with_their_links(text):
    from markupsafe import escape

    html = f"<p>{escape(text)}</p>"
    out = crossrefs.link_mentions(html, _found())
    # (spaces compared as a browser shows them: the parser folds some runs of them)
    assert BeautifulSoup(out, "html.parser").get_text().split() == text.split()
