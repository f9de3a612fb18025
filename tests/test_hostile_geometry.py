"""A link across the antimeridian is drawn the short way, not around the globe (issue 14)."""

from __future__ import annotations

import itertools

import pytest

from corridors.render import geometry as geo

ANADYR, UELEN = [177.5, 64.73], [-169.83, 66.16]


@pytest.mark.parametrize("geodesic", [False, True])
def test_anadyr_uelen_is_drawn_the_short_way(geodesic):
    out = geo.display_geometry(
        {"type": "LineString", "coordinates": [ANADYR, UELEN]},
        tolerance=0.005,
        decimals=4,
        geodesic=geodesic,
    )
    xs = [p[0] for p in out["coordinates"]]
    assert xs[0] == 177.5 and xs[-1] == pytest.approx(190.17)  # -169.83 + 360: east of 180
    assert max(abs(a - b) for a, b in itertools.pairwise(xs)) < 20


def test_lines_away_from_the_antimeridian_are_unchanged():
    line = {"type": "LineString", "coordinates": [[60.0, 30.0], [70.0, 35.0]]}
    out = geo.display_geometry(line, tolerance=0.005, decimals=4, geodesic=False)
    assert out["coordinates"] == [[60.0, 30.0], [70.0, 35.0]]
