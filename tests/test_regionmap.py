"""The region map: committed boundary subset and places, drawn as vector SVG."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import regionmap
from analysis.figures import svg_of


def test_boundaries_hold_armenia_and_azerbaijan_with_nakhchivan():
    features = {f["properties"]["name"]: f for f in regionmap.load_boundaries()["features"]}
    assert {"Armenia", "Azerbaijan", "Georgia", "Iran", "Turkey"} <= set(features)
    # Azerbaijan is several polygons: the mainland and the Nakhchivan exclave (west of Armenia's
    # southern tip, around 45.4 E / 39.2 N).
    parts = features["Azerbaijan"]["geometry"]["coordinates"]
    assert any(min(x for x, _ in part[0]) < 45.0 and max(y for _, y in part[0]) < 39.8
               for part in parts)
    x0, x1, y0, y1 = regionmap.FRAME
    for feature in features.values():
        for part in feature["geometry"]["coordinates"]:
            for x, y in part[0]:
                assert x0 - 1e-6 <= x <= x1 + 1e-6 and y0 - 1e-6 <= y <= y1 + 1e-6


def test_places_have_sources_and_routes_in_order():
    places = regionmap.load_places()
    assert {"gyumri", "lachin", "stepanakert", "meghri", "nakhchivan"} <= set(places["place"])
    assert places["source"].notna().all()
    for route in ("lachin", "syunik"):
        order = places[places["route"] == route]["route_order"]
        assert len(order) >= 3 and order.is_unique
    assert (places["kind"] == "struck_2022").sum() >= 2


def test_map_is_vector_and_labels_the_places():
    fig = regionmap.draw(regionmap.load_boundaries(), regionmap.load_places())
    svg = svg_of(fig)
    assert svg.lstrip().startswith("<?xml") and "<image" not in svg  # no raster inside
    for label in ("Gyumri", "Lachin", "Stepanakert", "Nagorno-Karabakh", "Meghri",
                  "NAKHCHIVAN", "Lachin road", "Syunik", "2022"):
        assert label in svg


def test_every_name_on_the_map_sits_inside_its_frame():
    """AZERBAIJAN once ran past the frame's right edge onto the white page."""
    fig = regionmap.draw(regionmap.load_boundaries(), regionmap.load_places())
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    frame = ax.get_window_extent(renderer)
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, text.get_text()
        assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, text.get_text()


@pytest.mark.parametrize("route", ["lachin", "syunik"])
def test_one_point_route_is_not_drawn(route):
    places = pd.DataFrame([{"place": "a", "label": "A", "kind": "town", "lat": 40.0,
                            "lon": 45.0, "route": route, "route_order": 1, "label_dx": 4,
                            "label_dy": 0, "source": "x", "url": None, "note": None}])
    fig = regionmap.draw({"features": []}, places)
    routes = [line for line in fig.axes[0].lines if not line.get_label().startswith("_")]
    assert routes == []  # (the scale bar is the one line drawn, unnamed)
    assert fig.axes[0].get_legend() is None  # no empty legend box where nothing is named


def test_strikes_are_marked_only_once_the_edition_has_reached_them():
    from analysis import start_section

    early = regionmap.region_map(start_section("01", {"as_of": "2021-01-01"}))
    late = regionmap.region_map(start_section("01", {"as_of": "2023-09-15"}))
    assert "2022" not in early.alt and "shelled" not in early.svg
    assert "shelled in September 2022" in late.alt and "shelled" in late.svg


@pytest.mark.parametrize(("as_of", "marked"), [("2022-09-13", False), ("2022-09-20", True)])
def test_strike_markers_come_with_their_sources_from_their_date(as_of, marked):
    """The map marks the towns shelled on 13-14 September 2022 and cites the Ministry of
    Defence statements that name them, once the edition knows of the attack and of them; an
    edition dated on the attack's first day shows neither."""
    import matplotlib.pyplot as plt

    from analysis import params
    from analysis.regionmap import STRUCK_SOURCES, region_map
    from analysis.report import SectionContext

    s = SectionContext("01", params.resolve({"as_of": as_of}, strict=False))
    fig = region_map(s)
    plt.close("all")
    assert ("Ministry of Defence of the Republic of Armenia" in fig.source) is marked
    assert (set(STRUCK_SOURCES) <= set(fig.source_ids)) is marked
    assert ("Shelled border areas" in (fig.note or "")) is marked


@pytest.mark.parametrize(("as_of", "known"), [("2022-08-25", False), ("2022-08-26", True)])
def test_the_note_says_the_road_left_lachin_town_once_the_edition_knows(as_of, known):
    """The Lachin road is drawn through Lachin town; from late August 2022 a new road bypassed
    it. The note says so, citing its source, only in an edition that knows the change."""
    import matplotlib.pyplot as plt

    from analysis import params
    from analysis.regionmap import region_map
    from analysis.report import SectionContext

    fig = region_map(SectionContext("01", params.resolve({"as_of": as_of}, strict=False)))
    plt.close("all")
    assert ("bypassing the town" in (fig.note or "")) is known
    assert ("azernews_lachin_2022" in fig.source_ids) is known


@pytest.mark.parametrize(("as_of", "known"), [("2025-08-07", False), ("2025-08-08", True)])
def test_the_note_says_the_drawn_syunik_route_is_not_the_transit_route(as_of, known):
    """Once the edition knows the transit route agreed across Syunik (TRIPP), the note says the
    route drawn there is the road south to Meghri, not that one (whose course is not in the
    evidence base), and cites the agreement."""
    import matplotlib.pyplot as plt

    from analysis import params
    from analysis.regionmap import region_map
    from analysis.report import SectionContext

    s = SectionContext("01", params.resolve({"as_of": as_of}, strict=False))
    fig = region_map(s)
    plt.close("all")
    assert ("not the transit route across Syunik" in (fig.note or "")) is known
    transit = s.ev.anchor("syunik_transit_route")
    assert bool(transit) is known
    if known:
        assert transit.row["source_id"] in fig.source_ids


def test_an_exclave_shows_in_its_own_countrys_tint_and_the_note_names_them():
    """The fills were translucent: an exclave drawn over the other country's fill showed a third
    colour, which the legend did not name (an outside reader). Fills are opaque, the largest
    drawn first, so each exclave shows its own country's tint; the note says what they are."""
    boundaries = regionmap.load_boundaries()
    fig = regionmap.draw(boundaries, regionmap.load_places())
    patches = fig.axes[0].patches
    assert all(p.get_alpha() in (None, 1.0) for p in patches)
    rings = sorted(((f["properties"]["name"], poly[0]) for f in boundaries["features"]
                    for poly in f["geometry"]["coordinates"]),
                   key=lambda r: -regionmap._area(r[1]))
    assert len(rings) == len(patches)
    tints = {}
    for (name, ring), patch in zip(rings, patches, strict=True):
        assert tuple(patch.get_xy()[0]) == tuple(ring[0])
        tints.setdefault(name, set()).add(tuple(round(c, 4) for c in patch.get_facecolor()))
    assert len(tints["Armenia"]) == 1 and len(tints["Azerbaijan"]) == 1
    assert regionmap.exclaves(boundaries) == {"Armenia": 1, "Azerbaijan": 2}
    assert regionmap.exclaves_note(boundaries) == (
        " The small patches near the border are exclaves as the boundaries draw them: two of "
        "Azerbaijan's and one of Armenia's.")
    # drawn after (over) the mainland of the country around them
    order = [round(regionmap._area(p.get_xy().tolist()), 4) for p in patches]
    assert order == sorted(order, reverse=True)


def test_every_place_name_stays_inside_its_places_country():
    """An outside reader found 'Nakhchivan' running into Armenia, 'Meghri' across two borders
    and the region's name half in Turkey: each name now lies, corners and middle, in the
    country of the place it names (the region's name in the exclave)."""
    import numpy as np

    boundaries, places = regionmap.load_boundaries(), regionmap.load_places()
    fig = regionmap.draw(boundaries, places)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    to_data = ax.transData.inverted()
    home = {row.label: regionmap.country_at(boundaries, row.lon, row.lat)
            for row in places.itertuples() if row.label_dx == row.label_dx}
    home["NAKHCHIVAN\n(Azerbaijan)"] = "Azerbaijan"
    home["Syunik"] = "Armenia"
    checked = set()
    for text in ax.texts:
        if text.get_text() not in home:
            continue
        box = text.get_window_extent(renderer)
        for x in np.linspace(box.x0, box.x1, 5):
            for y in (box.y0, box.y1):
                lon, lat = to_data.transform((x, y))
                assert regionmap.country_at(boundaries, lon, lat) == home[text.get_text()], (
                    text.get_text(), round(lon, 2), round(lat, 2))
        checked.add(text.get_text())
    assert {"Goris", "Meghri", "Nakhchivan", "Sotk", "Jermuk", "Syunik"} <= checked


def test_the_scale_bar_is_fifty_kilometres_long_on_the_ground():
    import math

    fig = regionmap.draw(regionmap.load_boundaries(), regionmap.load_places())
    bar = [line for line in fig.axes[0].lines if len(line.get_xdata()) == 2
           and line.get_ydata()[0] == line.get_ydata()[1]][-1]
    (x0, x1), (lat, _) = bar.get_xdata(), bar.get_ydata()
    # haversine along the parallel, on a sphere of the Earth's mean radius
    r = 6371.0
    phi, dlon = math.radians(lat), math.radians(x1 - x0)
    km = 2 * r * math.asin(math.cos(phi) * abs(math.sin(dlon / 2)))
    assert km == pytest.approx(regionmap.SCALE_KM, rel=0.01)
    assert any(t.get_text() == f"{regionmap.SCALE_KM} km" for t in fig.axes[0].texts)


def test_no_route_runs_through_a_name_set_beside_its_place():
    """'Jermuk' was struck through by the dashed route to Goris (an outside reader); a name
    centred over its place (offset 0) sits on its tint over the route's end instead."""
    import itertools

    import numpy as np

    places = regionmap.load_places()
    fig = regionmap.draw(regionmap.load_boundaries(), places)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    beside = set(places.loc[places["label_dx"].fillna(0) != 0, "label"])
    routes = [line for line in ax.lines if not line.get_label().startswith("_")]
    assert len(routes) == 2
    for text in ax.texts:
        if text.get_text() not in beside:
            continue
        box = text.get_window_extent(renderer)
        for route in routes:
            xy = ax.transData.transform(np.column_stack(route.get_data()))
            for a, b in itertools.pairwise(xy):
                assert not any(box.contains(x, y) for x, y in np.linspace(a, b, 300)), (
                    text.get_text(), route.get_label())
