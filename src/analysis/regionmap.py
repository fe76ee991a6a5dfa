"""The map of the region (Armenia, Azerbaijan with Nakhchivan, Nagorno-Karabakh, the Lachin road,
the southern route through Syunik, Gyumri and the border areas struck in September 2022).

Boundaries: data/map/region_boundaries.geojson, a small subset of Natural Earth 1:10m admin-0
countries (public domain) as redistributed in TopoJSON by the npm package ``world-atlas`` 2.0.2;
:func:`derive_boundaries` made it (clip to the frame, coordinates rounded to 0.001 degree).
Places: data/map/places.csv (coordinates with their source). Drawn in vector (SVG) with the
report's theme; the figure is a :class:`analysis.figures.Figure`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.patches import Polygon as PolygonPatch

from . import paths, theme
from .figures import Figure
from .prose import date, listing

FRAME = (43.3, 47.2, 38.6, 41.4)  # lon min, lon max, lat min, lat max
COUNTRIES = {"051": "Armenia", "031": "Azerbaijan", "268": "Georgia", "364": "Iran",
             "792": "Turkey", "643": "Russia"}
DATA = paths.MAP_DIR


# ------------------------------------------------------------------------- deriving the subset
def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def _clip(ring: list[tuple[float, float]], frame=FRAME) -> list[tuple[float, float]]:
    """Sutherland-Hodgman clip of a ring to the map frame."""
    x0, x1, y0, y1 = frame
    edges = [(lambda p: p[0] >= x0, lambda a, b: _cut_x(a, b, x0)),
             (lambda p: p[0] <= x1, lambda a, b: _cut_x(a, b, x1)),
             (lambda p: p[1] >= y0, lambda a, b: _cut_y(a, b, y0)),
             (lambda p: p[1] <= y1, lambda a, b: _cut_y(a, b, y1))]
    out = ring
    for inside, cut in edges:
        src, out = out, []
        for k, cur in enumerate(src):
            prev = src[k - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
        if not out:
            break
    return out


def _cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def derive_boundaries(topojson: Path, out: Path = DATA / "region_boundaries.geojson") -> None:
    """Write the GeoJSON subset from world-atlas ``countries-10m.json`` (run by hand, once)."""
    topology = json.loads(Path(topojson).read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    features = []
    for geom in topology["objects"]["countries"]["geometries"]:
        if geom.get("id") not in COUNTRIES:
            continue
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        parts = []
        for poly in polys:
            rings = [_clip(_ring(r, arcs)) for r in poly]
            rings = [[[round(x, 3), round(y, 3)] for x, y in r] for r in rings if len(r) >= 3]
            if rings:
                parts.append(rings)
        if parts:
            features.append({"type": "Feature",
                             "properties": {"iso_n3": geom["id"], "name": COUNTRIES[geom["id"]]},
                             "geometry": {"type": "MultiPolygon", "coordinates": parts}})
    collection = {"type": "FeatureCollection", "features": features}
    out.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------------- the map
def load_boundaries(path: Path = DATA / "region_boundaries.geojson") -> dict:
    """The country polygons (GeoJSON FeatureCollection)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_places(path: Path = DATA / "places.csv") -> pd.DataFrame:
    """Places, routes and their sources (one row per point; routes ordered by route_order)."""
    return pd.read_csv(path)


def _area(ring: list) -> float:
    """A ring's area in square degrees (shoelace)."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1],
                                                                   strict=True))) / 2


#: a polygon this small (square degrees) is an exclave, not a country's mainland or Nakhchivan
EXCLAVE_AREA = 0.05


def exclaves(boundaries: dict) -> dict[str, int]:
    """How many exclaves each of the two countries has in the drawn boundaries."""
    return {f["properties"]["name"]: n for f in boundaries["features"]
            if f["properties"]["name"] in ("Armenia", "Azerbaijan")
            and (n := sum(_area(p[0]) < EXCLAVE_AREA for p in f["geometry"]["coordinates"]))}


def country_at(boundaries: dict, lon: float, lat: float) -> str | None:
    """The country whose drawn polygon holds the point (the smallest that does: an exclave over
    the country around it, as the map draws them), or None."""
    from matplotlib.path import Path as GeoPath

    holding = [(_area(poly[0]), feature["properties"]["name"])
               for feature in boundaries["features"]
               for poly in feature["geometry"]["coordinates"]
               if GeoPath(poly[0]).contains_point((lon, lat))]
    return min(holding)[1] if holding else None


#: the scale bar's length (km), drawn in the lower right corner (over Iran)
SCALE_KM = 50
#: km per degree of longitude on the equator (times the cosine of the latitude elsewhere)
KM_PER_DEGREE = 111.32


def _scale_bar(ax) -> None:
    """A bar of :data:`SCALE_KM` km at the foot of the map, measured along its latitude."""
    _, x1, y0, _ = FRAME
    lat = y0 + 0.22
    length = SCALE_KM / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    right = x1 - 0.12
    ax.plot([right - length, right], [lat, lat], color=theme.INK, linewidth=1.6,
            solid_capstyle="butt")
    ax.text(right - length / 2, lat + 0.05, f"{SCALE_KM} km", fontsize=7, color=theme.INK,
            ha="center", va="bottom")


def draw(boundaries: dict, places: pd.DataFrame):
    """The map as a matplotlib figure (vector: the report embeds it as SVG)."""
    # opaque tints, each polygon's outer ring drawn largest first: an exclave inside the other
    # country shows in its own country's tint (a translucent fill over the other's read as a
    # third colour the legend did not name: an outside reader)
    fill = {name: tuple(0.28 * c + 0.72 for c in to_rgb(theme.colour(name)))
            for name in ("Armenia", "Azerbaijan")}
    fig, ax = plt.subplots(figsize=(6.6, 4.9))
    rings = [(feature["properties"]["name"], poly[0]) for feature in boundaries["features"]
             for poly in feature["geometry"]["coordinates"]]
    for name, ring in sorted(rings, key=lambda r: -_area(r[1])):
        ax.add_patch(PolygonPatch(ring, closed=True, facecolor=fill.get(name, "#eeeeea"),
                                  edgecolor=theme.MUTED, linewidth=0.6))
    # (lon, lat, alignment): a name at the frame's edge starts inside it
    labels = {"Armenia": (44.55, 40.55, "center"), "Azerbaijan": (FRAME[1] - 0.05, 40.55, "right"),
              "Georgia": (44.4, 41.3, "center"), "Iran": (46.7, 38.7, "center"),
              "Turkey": (FRAME[0] + 0.05, 39.95, "left")}
    for name, (x, y, ha) in labels.items():
        ax.text(x, y, name.upper(), fontsize=8, color=theme.MUTED, ha=ha, va="center",
                fontweight="bold")
    # (placed where both lines stay inside the exclave, clear of its city's name)
    ax.text(45.46, 39.385, "NAKHCHIVAN\n(Azerbaijan)", fontsize=6.5, ha="center", va="center",
            color=theme.MUTED, fontweight="bold")

    def route(kind: str, **style):
        rows = places[places["route"] == kind].sort_values("route_order")
        if len(rows) > 1:
            ax.plot(rows["lon"], rows["lat"], **style)

    route("lachin", color=theme.INK, linewidth=2.2, solid_capstyle="round",
          label="Lachin road, Goris to Stepanakert (schematic)")
    route("syunik", color=theme.INK, linewidth=1.3, linestyle=(0, (4, 2)),
          label="Route south through Syunik (schematic)")
    struck = places[places["kind"] == "struck_2022"]
    if not struck.empty:
        # large enough that a town's dot and the roads leaving it leave its arms in sight
        ax.scatter(struck["lon"], struck["lat"], marker="X", s=90, color=theme.colour("Russia"),
                   edgecolors="white", linewidths=0.6, zorder=6,
                   label="Border area shelled, Sep 2022")
    towns = places[places["kind"].isin(["city", "town"])]
    # over the strike markers: a town struck keeps its dot, in the marker's middle
    ax.scatter(towns["lon"], towns["lat"], s=14, color=theme.INK, zorder=7)
    for row in places.itertuples():
        if row.label_dx == row.label_dx:  # not NaN: this place is labelled
            # a name stays inside its place's country (offset 0: centred above or below, where
            # either side would run into another), on that country's tint over any route
            ground = fill.get(country_at(boundaries, row.lon, row.lat), "#eeeeea")
            ax.annotate(row.label, (row.lon, row.lat), xytext=(row.label_dx, row.label_dy),
                        textcoords="offset points", fontsize=7.5, color="#1d1d1b",
                        ha=("center" if row.label_dx == 0 else
                            "left" if row.label_dx > 0 else "right"),
                        va="center", zorder=5,
                        bbox={"facecolor": ground, "edgecolor": "none", "pad": 0.3})
    _scale_bar(ax)
    nk = places[places["kind"] == "region_label"]
    for row in nk.itertuples():
        ax.text(row.lon, row.lat, row.label, fontsize=7.5, style="italic", color=theme.INK,
                ha="center", va="center")
    x0, x1, y0, y1 = FRAME
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / 0.77)  # ~cos(40°): degrees of longitude are shorter than of latitude
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.5)
        spine.set_color(theme.MUTED)
    if ax.get_legend_handles_labels()[0]:  # nothing drawn that a legend would name: no box
        ax.legend(loc="lower left", fontsize=7, frameon=True, framealpha=0.9)
    fig.tight_layout()
    return fig


CAPTION = ("Armenia and its neighbours: Nakhchivan, Nagorno-Karabakh, the Lachin road and the "
           "route south through Syunik")
ALT = ("Map of Armenia and Azerbaijan with its exclave Nakhchivan. Marked: Yerevan; Gyumri, "
       "seat of the Russian 102nd base; the Lachin road from Goris via Lachin to Stepanakert in "
       "Nagorno-Karabakh; the road south through Syunik to Meghri on the Iranian border")
#: the strike markers' names (places.csv, north to south) follow
ALT_STRUCK = "; and {names}, border areas shelled in September 2022"
#: the source of the places' coordinates (each place's article, named in places.csv)
PLACES_SOURCE = "wikipedia_place_coordinates"
#: the sources of the strike markers (Armenia's Ministry of Defence, 14 September 2022)
STRUCK_SOURCES = ("armmod_2022_09_14_jermuk", "armmod_2022_09_14_goris")
NOTE_STRUCK = " Shelled border areas as Armenia's Ministry of Defence named them."
#: once the edition knows the new road (anchor lachin_bypass): what the drawn route shows
NOTE_BYPASS = (" The Lachin road is drawn through Lachin town, its route until {month}; from then "
               "a new road bypassing the town carried the traffic (not drawn).")
#: once the edition knows the transit route agreed across Syunik (anchor syunik_transit_route):
#: the drawn Syunik route is not it (the evidence base holds no course for it)
NOTE_TRANSIT = (" The route drawn through Syunik is the road south to Meghri and the Iranian "
                "border, not the transit route across Syunik linking Azerbaijan to Nakhchivan "
                "agreed on {day} (TRIPP), whose course is not drawn.")
NOTE = ("Nagorno-Karabakh is labelled, not outlined: the public-domain country boundaries carry "
        "no boundary for it. Town coordinates from each town's Wikipedia article; the "
        "Syunik route and the Lachin road are drawn as straight segments between places.")


def exclaves_note(boundaries: dict) -> str:
    """' The small patches near the border are exclaves as the boundaries draw
    them: two of Azerbaijan's and one of Armenia's.'"""
    from .builders._common import count_word

    found = exclaves(boundaries)
    if not found:
        return ""
    return (" The small patches near the border are exclaves as the boundaries draw them: "
            + listing((f"{count_word(n)} of {name}'s" for name, n in found.items()),
                      escape=False) + ".")


def region_map(s, boundaries: dict | None = None, places: pd.DataFrame | None = None) -> Figure:
    """The numbered map figure for a section (``s`` is the section context)."""
    places = load_places() if places is None else places
    # the strikes of September 2022 are marked only once the edition has reached them
    # (and their sources published by then: the ministry's statements came a day after)
    struck_known = (bool(s.ev.anchor("attack_sept_2022"))
                    and set(STRUCK_SOURCES) <= set(s.ev.tables["sources"]["source_id"])
                    if hasattr(s, "ev") else True)
    if not struck_known:
        places = places[places["kind"] != "struck_2022"]
    boundaries = boundaries or load_boundaries()
    fig = draw(boundaries, places)
    bypass = s.ev.anchor("lachin_bypass") if hasattr(s, "ev") else None
    bypass_note = NOTE_BYPASS.format(month=f"{bypass.date:%B %Y}") if bypass else ""
    transit = s.ev.anchor("syunik_transit_route") if hasattr(s, "ev") else None
    transit_note = NOTE_TRANSIT.format(day=date(transit.date)) if transit else ""
    struck = places[places["kind"] == "struck_2022"].sort_values("lat", ascending=False)
    names = list(dict.fromkeys(struck["label"].dropna()))  # (alt text is plain text)
    alt_struck = ALT_STRUCK.format(names=listing(names, escape=False)) if names else ""
    return s.figure(fig, CAPTION, ALT + alt_struck + ".",
                    source_ids=["natural_earth_admin0", PLACES_SOURCE,
                                *(STRUCK_SOURCES if struck_known else ()),
                                *([bypass.row["source_id"]] if bypass else []),
                                *([transit.row["source_id"]] if transit else [])],
                    note=NOTE + exclaves_note(boundaries)
                    + (NOTE_STRUCK if struck_known else "") + bypass_note + transit_note,
                    key="region_map")
