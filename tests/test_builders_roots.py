"""Section 2's small rules on inline data."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd


def test_the_published_shares_stand_beside_the_registers_sums_where_they_differ():
    """Figure 2.4 sums SIPRI's current register; SIPRI's fact sheets of the time gave other
    shares for the patron (an audit: 85% and 31% against the text's 80% and 29%). Only a
    difference a reader would see, a whole point as printed, is named."""
    from analysis.builders.roots import _published_beside

    published = pd.DataFrame({"recipient": ["B", "B", "B", "C"],
                              "period": ["2010-2014", "2015-2019", "2005-2009", "2010-2014"],
                              "supplier": ["P", "P", "P", "P"],
                              "share_pct": [85.0, 31.0, 60.2, 1.0]})
    s = SimpleNamespace(ev=SimpleNamespace(arms_import_shares=published),
                        p=SimpleNamespace(rival="B", patron="P"))
    ours = pd.DataFrame({"P": [59.9, 80.1, 29.05], "Q": [40.1, 19.9, 70.95]},
                        index=["2005–09", "2010–14", "2015–19"])
    assert _published_beside(s, ours) == (
        " The bars are sums of SIPRI's current register; its fact sheets of the time gave P 85% "
        "in 2010–14 and 31% in 2015–19.")
    assert _published_beside(s, ours.drop(index=["2010–14", "2015–19"])) == ""
