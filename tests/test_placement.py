"""Gauges and geometry that check themselves (issue 10 item 3).

Bad inputs on the mini atlas (two squares AAA = [0, 10]², BBB = [10, 20] x [0, 10]; a third
square CCC = [10, 20] x [10, 20] is added where needed), each asserting code, file,
entity and message; a Hypothesis property of the line measurer; routing through a
railway of unknown gauge is in tests/scenario/test_unknown_gauge.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridors.geo.countries import CountryIndex
from corridors.geo.geodesy import line_length_km
from corridors.io.geodata import validate_geodata
from corridors.io.geodata.placement import (
    COAST_TOLERANCE_KM,
    POINT_TOLERANCE_KM,
    UNDECLARED_MAX_KM,
    line_placement,
)

NOTE = "a bare position from the test"


def seg(d: dict, i: int) -> dict:
    return d["segments.geojson"]["features"][i]


def node(d: dict, i: int) -> dict:
    return d["nodes.geojson"]["features"][i]


def _square(x0: float, y0: float, x1: float, y1: float) -> list:
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def _add_ccc(d: dict) -> None:
    d["countries.geojson"]["features"].append(
        {
            "type": "Feature",
            "properties": {"iso3": "CCC", "name": "Ceeland"},
            "geometry": {"type": "Polygon", "coordinates": _square(10, 10, 20, 20)},
        }
    )


def _road_via(*pairs: list[float], **extra: Any) -> Callable[[dict], None]:
    """Re-draw s2 (road gate → beta) through bare positions."""

    def f(d: dict) -> None:
        _add_ccc(d)
        s = seg(d, 1)
        s["properties"].update(via=[list(p) for p in pairs], note=NOTE, **extra)
        s["geometry"]["coordinates"] = [[10.0, 5.0], *[list(p) for p in pairs], [18.0, 5.0]]

    return f


def _set(path: Callable[[dict], dict], **props: Any) -> Callable[[dict], None]:
    def f(d: dict) -> None:
        path(d)["properties"].update(props)

    return f


def _drop_gauge(d: dict) -> None:
    del seg(d, 0)["properties"]["gauge_mm"]


def _move(i: int, lon: float, lat: float, **props: Any) -> Callable[[dict], None]:
    def f(d: dict) -> None:
        node(d, i)["geometry"]["coordinates"] = [lon, lat]
        node(d, i)["properties"].update(props)
        # keep the lines on the moved node: alpha starts s1, gate ends s1 and starts s2,
        # gamma ends the sea leg s3
        ends = {0: [(0, 0)], 1: [(0, -1), (1, 0)], 3: [(2, -1)]}
        for si, vi in ends.get(i, []):
            seg(d, si)["geometry"]["coordinates"][vi] = [lon, lat]

    return f


# (name, mutate, file, code, entity, message fragments)
BAD = [
    (
        "rail-without-gauge",
        _drop_gauge,
        "segments.geojson",
        "gauge-missing",
        "s1",
        ["/features/0/properties/gauge_mm", "a railway needs its track gauge", '"unknown"'],
    ),
    (
        "gauge-misspelt-unknown",
        _set(lambda d: seg(d, 0), gauge_mm="unkown"),
        "segments.geojson",
        "bad-number",
        "s1",
        ["gauge_mm must be a positive whole number", '"unknown"'],
    ),
    (
        "countries-not-iso3",
        _set(lambda d: seg(d, 1), countries=["ccc"]),
        "segments.geojson",
        "bad-iso3",
        "s2",
        ["'countries' must be a list of ISO3 codes"],
    ),
    (
        "road-through-undeclared-country",
        _road_via([14.0, 12.0]),
        "segments.geojson",
        "undeclared-country",
        "s2",
        [
            "/features/1/geometry",
            "road line runs",
            "through CCC (Ceeland), which it does not declare (declared: AAA, BBB)",
            "longest stretch around [",
            '"countries": ["CCC"]',
        ],
    ),
    (
        "road-drawn-at-sea",
        _road_via([14.0, -8.0]),
        "segments.geojson",
        "line-at-sea",
        "s2",
        ["/features/1/geometry", "road line is drawn", "outside every country polygon (at sea)"],
    ),
    (
        "city-inside-neighbour",
        _move(3, 5.0, 2.0),
        "nodes.geojson",
        "point-outside-country",
        "gamma",
        [
            "/features/3/geometry",
            "point [5.0, 2.0] is inside AAA (Aland)",
            "km from its country BBB (tolerance 1 km)",
        ],
    ),
    (
        "port-far-out-at-sea",
        _move(3, 15.0, -0.5),
        "nodes.geojson",
        "point-outside-country",
        "gamma",
        ["outside every country polygon (at sea)", "55.3 km from its country BBB", "3 km"],
    ),
    (
        "city-with-borders-still-in-its-country",
        _move(0, 10.5, 5.0, borders=["AAA", "BBB"]),
        "nodes.geojson",
        "point-outside-country",
        "alpha",
        ["inside BBB (Beeland)", "from its country AAA"],
    ),
]


@pytest.mark.parametrize("case", BAD, ids=lambda c: c[0])
def test_bad_geometry_is_located(make_atlas_dir, case) -> None:
    _name, mutate, file, code, entity, fragments = case
    result = validate_geodata([make_atlas_dir(mutate)])
    hits = [p for p in result.errors if p.code == code]
    assert hits, [p.format() for p in result.problems]
    p = hits[0]
    text = p.format()
    assert p.entity == entity and file in text
    for fragment in fragments:
        assert fragment in text, text


GOOD = [
    ("gauge-unknown", _set(lambda d: seg(d, 0), gauge_mm="unknown")),
    ("undeclared-country-declared", _road_via([14.0, 12.0], countries=["CCC"])),
    ("road-mostly-on-land", _road_via([14.0, -3.0])),
    ("crossing-just-across-its-border", _move(1, 10.5, 5.0)),
    (
        "city-within-tolerance",
        _move(3, 10.0 - 0.5 * POINT_TOLERANCE_KM / 111.0, 2.0),
    ),
    ("port-on-the-coast", _move(3, 15.0, -0.5 * COAST_TOLERANCE_KM / 111.0)),
]


@pytest.mark.parametrize("case", GOOD, ids=lambda c: c[0])
def test_good_geometry_passes(make_atlas_dir, case) -> None:
    _name, mutate = case
    result = validate_geodata([make_atlas_dir(mutate)])
    assert result.errors == [], [p.format() for p in result.errors]


def test_lines_outside_the_coverage_are_not_at_sea(make_atlas_dir) -> None:
    def mutate(d: dict) -> None:
        _road_via([14.0, -8.0])(d)
        d["countries.geojson"]["source"] = {"region_bbox": [0.0, 0.0, 30.0, 30.0]}

    result = validate_geodata([make_atlas_dir(mutate)])
    assert [p.code for p in result.errors] == [], [p.format() for p in result.errors]


def test_bad_region_bbox(make_atlas_dir) -> None:
    result = validate_geodata(
        [make_atlas_dir(lambda d: d["countries.geojson"].update(source={"region_bbox": [1, 2]}))]
    )
    p = next(p for p in result.errors if p.code == "bad-bbox")
    assert "/source/region_bbox" in p.format() and "[west, south, east, north]" in p.message


# --------------------------------------------------------------------------- property
_INDEX: list[CountryIndex] = []


def _index() -> CountryIndex:
    if not _INDEX:
        import shapely

        _INDEX.append(
            CountryIndex(
                {"AAA": shapely.box(0, 0, 10, 10), "BBB": shapely.box(10, 0, 20, 10)},
                {"AAA": "Aland", "BBB": "Beeland"},
            )
        )
    return _INDEX[0]


inside = st.tuples(st.floats(0.5, 19.5), st.floats(0.5, 9.5))


@settings(max_examples=60, deadline=None)
@given(st.lists(inside, min_size=2, max_size=6, unique=True))
def test_lines_in_the_squares_are_on_land_and_measured_geodesically(pts) -> None:
    (pl,) = line_placement([pts], _index())
    total = line_length_km(pts)
    assert pl.length_km == pytest.approx(total, rel=1e-9, abs=1e-9)
    # the two boxes make one rectangle; geodesics between points within 9.5 deg of the
    # equator bow out by < 0.2 deg, so the line stays inside: nothing is at sea
    assert pl.sea_km == pytest.approx(0.0, abs=1e-6 + 1e-6 * total)
    assert {c for c, _ in pl.by_country} <= {"AAA", "BBB"}
    # km per country never exceed the line (vertex surroundings are left out)
    assert sum(km for _, km in pl.by_country) <= total * (1 + 1e-6) + 1e-6
    if all(x < 10 for x, _ in pts):
        assert [c for c, km in pl.by_country if km > UNDECLARED_MAX_KM] in ([], ["AAA"])
