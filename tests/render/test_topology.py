"""Basemap polygons as a topology: shared borders written once, decoded exactly."""

from __future__ import annotations

import json
import re

import pytest

from corridors.io.geodata import load_atlas
from corridors.maps.atlas import atlas_layers
from corridors.render import codec
from corridors.render import geometry as geo


def _square(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def _poly(*rings: list[list[float]]) -> dict:
    return {"type": "Polygon", "coordinates": [list(r) for r in rings]}


#: Neighbours along a border of many vertices, a ring starting in the middle of it, a
#: country with a hole (and an enclave filling it), a multipolygon and an island.
BORDER = [[1.0 + 0.01 * (k % 3), k / 10] for k in range(11)]
WEST = _poly([[0.0, 0.0], *BORDER, [0.0, 1.0], [0.0, 0.0]])
#: starts in the middle of the border and runs along it the other way
EAST = _poly(
    [*BORDER[5::-1], [2.0, 0.0], [2.0, 1.0], *BORDER[:4:-1]],
)
HOLED = _poly(
    _square(3.0, 0.0, 4.0, 1.0),
    [[3.2, 0.2], [3.2, 0.8], [3.5, 0.9], [3.8, 0.8], [3.8, 0.2], [3.5, 0.1], [3.2, 0.2]],
)
ENCLAVE = _poly(
    [[3.2, 0.2], [3.5, 0.1], [3.8, 0.2], [3.8, 0.8], [3.5, 0.9], [3.2, 0.8], [3.2, 0.2]]
)
MULTI = {
    "type": "MultiPolygon",
    "coordinates": [[_square(5.0, 0.0, 6.0, 1.0)], [_square(7.0, 0.0, 7.5, 0.5)]],
}
ISLAND = _poly([[9.0, 9.0], [9.5, 9.0], [9.25, 9.5], [9.0, 9.0]])


def test_topology_round_trips_and_shares_borders():
    geoms = [WEST, EAST, HOLED, ENCLAVE, MULTI, ISLAND]
    topology, compact = codec.encode_topology(geoms, 2)
    assert [codec.decode_geometry(c, topology) for c in compact] == geoms
    arcs = codec.decode_arcs(topology)
    assert len(arcs) >= 2  # the west-east border and the enclave's outline
    texts = [t for c in compact for t in (c[2] if c[0] == "A" else c[2][0] + c[2][1])]
    assert sum(t.count(codec.ARC_MARK) for t in texts) >= 4  # each arc used twice
    # rings without a shared border are encoded as without a topology
    assert compact[4] == codec.encode_geometry(MULTI, 2)
    assert compact[5] == codec.encode_geometry(ISLAND, 2)
    text = json.dumps([topology, compact])
    assert re.fullmatch(r'[\[\]A-Za-z0-9_\-", .]*', text)  # nothing to escape anywhere
    assert codec.encode_topology(geoms, 2) == (topology, compact)  # deterministic
    # the rings are smaller than without the topology
    plain = [codec.encode_geometry(g, 2) for g in geoms]
    assert len(json.dumps([topology, compact])) < len(json.dumps(plain))
    with pytest.raises(ValueError, match="arcs"):
        codec.decode_geometry(compact[0])


def test_topology_refuses_what_it_cannot_encode():
    with pytest.raises(ValueError, match="LineString"):
        codec.encode_topology([{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}], 2)
    with pytest.raises(ValueError, match="closed"):
        codec.encode_topology([_poly([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])], 2)


def test_topology_of_every_bundled_country_is_exact():
    """The countries as the basemap draws them (display geometry) decode exactly."""
    basemap = next(s for s in atlas_layers(load_atlas()) if s.key == "basemap:countries")
    geoms = []
    for feature in basemap.features["features"]:
        g = geo.display_geometry(
            feature["geometry"],
            tolerance=geo.POLYGON_TOLERANCE_DEG,
            decimals=geo.BASEMAP_DECIMALS,
        )
        if g is not None:
            geoms.append(g)
    assert len(geoms) > 80
    topology, compact = codec.encode_topology(geoms, geo.BASEMAP_DECIMALS)
    assert [codec.decode_geometry(c, topology) for c in compact] == geoms
    arcs = codec.decode_arcs(topology)
    assert len(arcs) > 100  # neighbours share borders
    plain = sum(len(json.dumps(codec.encode_geometry(g, geo.BASEMAP_DECIMALS))) for g in geoms)
    shared = len(json.dumps(topology)) + sum(len(json.dumps(c)) for c in compact)
    assert shared < 0.9 * plain
