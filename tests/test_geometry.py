"""Geodesic geometry: known distances, densification, antimeridian, country runs."""

from __future__ import annotations

import itertools
import math

import pytest
import shapely

from corridors.geo.countries import CountryIndex
from corridors.geo.geodesy import (
    country_runs,
    densify,
    distance_km,
    line_length_km,
    split_antimeridian,
)


@pytest.mark.parametrize(
    ("a", "b", "expected_km", "tol_km"),
    [
        # one degree of longitude on the equator: a * pi / 180 with a = 6378.137 km
        ((0.0, 0.0), (1.0, 0.0), 6378.137 * math.pi / 180, 1e-3),
        # quarter meridian of WGS84 (equator to pole): 10,001.966 km
        ((0.0, 0.0), (0.0, 90.0), 10001.966, 1e-2),
        # GYD-SAW great circle 1,749.6 km (airmilescalculator.com/distance/gyd-to-saw/, cited
        # in the domain brief), airport positions from the airportsdata package
        ((50.0467, 40.4675), (29.3092, 40.8986), 1749.6, 0.1),
        # KHI-IST 3,975.9 km per the brief; its airport coordinates differ by ~100 m
        ((67.1608, 24.9065), (28.7520, 41.27533), 3975.9, 0.5),
    ],
)
def test_known_geodesic_distances(a, b, expected_km, tol_km):
    assert distance_km(a, b) == pytest.approx(expected_km, abs=tol_km)


def test_line_length_is_sum_of_legs():
    pts = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]
    assert line_length_km(pts) == pytest.approx(
        distance_km(pts[0], pts[1]) + distance_km(pts[1], pts[2])
    )
    assert line_length_km(pts[:1]) == 0.0


def test_densify_spacing_and_endpoints():
    pts = densify([(60.0, 25.0), (45.0, 12.0)], step_km=10.0)
    assert pts[0] == (60.0, 25.0) and pts[-1] == (45.0, 12.0)
    gaps = [distance_km(p, q) for p, q in itertools.pairwise(pts)]
    assert max(gaps) <= 10.0 + 1e-6
    # densified points lie on the geodesic: total length unchanged
    assert line_length_km(pts) == pytest.approx(distance_km(pts[0], pts[-1]), rel=1e-9)


def test_densify_rejects_bad_step():
    with pytest.raises(ValueError, match="step_km"):
        densify([(0, 0), (1, 1)], step_km=0)


def test_antimeridian_length_is_short_way_round():
    # 179.5E -> 179.5W along the equator is one degree, not 359
    assert distance_km((179.5, 0.0), (-179.5, 0.0)) == pytest.approx(111.32, abs=0.01)
    pts = densify([(179.5, 0.0), (-179.5, 0.0)], step_km=20)
    assert all(-180 <= lon <= 180 for lon, _ in pts)
    assert line_length_km(pts) == pytest.approx(111.32, abs=0.01)


def test_split_antimeridian_pieces_end_on_the_line():
    pts = densify([(179.0, 10.0), (-179.0, 12.0)], step_km=20)
    pieces = split_antimeridian(pts)
    assert len(pieces) == 2
    assert pieces[0][-1][0] == 180.0 and pieces[1][0][0] == -180.0
    assert pieces[0][-1][1] == pytest.approx(pieces[1][0][1])
    assert 10.0 < pieces[0][-1][1] < 12.0


def test_split_without_crossing_is_one_piece():
    assert len(split_antimeridian([(0.0, 0.0), (1.0, 1.0)])) == 1


def _index(polys: dict[str, list]) -> CountryIndex:
    geoms = {k: shapely.Polygon(v) for k, v in polys.items()}
    return CountryIndex(geoms, {k: k for k in geoms})


def test_country_runs_in_order_with_km():
    idx = _index(
        {
            "AAA": [(0, 0), (10, 0), (10, 10), (0, 10)],
            "BBB": [(10, 0), (20, 0), (20, 10), (10, 10)],
        }
    )
    runs = country_runs([(2.0, 5.0), (18.0, 5.0)], idx.locate)
    assert [r.iso3 for r in runs] == ["AAA", "BBB"]
    assert runs[0].length_km == pytest.approx(distance_km((2, 5), (10, 5)), rel=0.01)


def test_country_runs_across_antimeridian():
    # a country on each side of the antimeridian (like Russia / the US in the Bering Sea)
    idx = _index(
        {
            "EEE": [(170, 50), (180, 50), (180, 60), (170, 60)],
            "WWW": [(-180, 50), (-170, 50), (-170, 60), (-180, 60)],
        }
    )
    runs = country_runs([(175.0, 55.0), (-175.0, 55.0)], idx.locate)
    assert [r.iso3 for r in runs] == ["EEE", "WWW"]
    total = sum(r.length_km for r in runs)
    assert total == pytest.approx(distance_km((175, 55), (-175, 55)), rel=1e-6)
    assert total < 700  # the short way round, not ~20,000 km


def test_slivers_are_merged():
    # the line grazes a 0.2 km deep notch of CCC: not a border crossing
    idx = _index(
        {
            "AAA": [(0, 0), (10, 0), (10, 10), (0, 10)],
            "CCC": [(4, 4.999), (4.001, 4.999), (4.001, 5.001), (4, 5.001)],
        }
    )
    runs = country_runs([(1.0, 5.0), (9.0, 5.0)], idx.locate, min_run_km=1.0)
    assert [r.iso3 for r in runs] == ["AAA"]
