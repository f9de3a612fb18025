"""The one (vectorised) display encoder, checked by a round trip: its compact form decodes
to exactly a per-vertex rounding of the display shape (done here, with Python's round)."""

from __future__ import annotations

import random

import pytest
from shapely.geometry import mapping

from corridors.io.geodata import load_atlas
from corridors.maps.atlas import atlas_layers
from corridors.render import codec
from corridors.render import geometry as geo


def _round_line(coords, nd):
    out = []
    for c in coords:
        p = [round(float(c[0]), nd) + 0.0, round(float(c[1]), nd) + 0.0]
        if not out or out[-1] != p:
            out.append(p)
    return out


def _round_ring(coords, nd):
    ring = _round_line(coords, nd)
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring if len(ring) >= 4 else None


def _round_geojson(geom, nd):
    """Per-vertex reference rounding: repeats dropped, collapsed parts removed."""
    kind, c = geom["type"], geom.get("coordinates")
    if kind == "Point":
        return {"type": kind, "coordinates": _round_line([c], nd)[0]}
    if kind == "MultiPoint":
        return {"type": kind, "coordinates": _round_line(c, nd)} if c else None
    if kind == "LineString":
        line = _round_line(c, nd)
        return {"type": kind, "coordinates": line} if len(line) >= 2 else None
    if kind == "MultiLineString":
        lines = [ln for ln in (_round_line(part, nd) for part in c) if len(ln) >= 2]
        return {"type": kind, "coordinates": lines} if lines else None
    if kind == "Polygon":
        rings = [_round_ring(r, nd) for r in c]
        if not rings or rings[0] is None:
            return None
        return {"type": kind, "coordinates": [r for r in rings if r is not None]}
    if kind == "MultiPolygon":
        polys = [_round_geojson({"type": "Polygon", "coordinates": p}, nd) for p in c]
        kept = [p["coordinates"] for p in polys if p is not None]
        return {"type": kind, "coordinates": kept} if kept else None
    if kind == "GeometryCollection":
        parts = [_round_geojson(g, nd) for g in geom.get("geometries", [])]
        kept = [p for p in parts if p is not None]
        return {"type": kind, "geometries": kept} if kept else None
    return None


def _reference(geometry, **kw):
    shape_ = geo._display_shape(
        geometry,
        tolerance=kw["tolerance"],
        max_vertices=kw.get("max_vertices", geo.MAX_VERTICES),
        geodesic=kw.get("geodesic", False),
        step_km=geo.GEODESIC_STEP_KM,
    )
    if shape_ is None:
        return None
    rounded = _round_geojson(mapping(shape_), kw["decimals"])
    return None if rounded is None else (rounded, codec.encode_geometry(rounded, kw["decimals"]))


CASES = {
    "point": {"type": "Point", "coordinates": [60.125, 25.005]},
    "point-int": {"type": "Point", "coordinates": [60, -25]},
    "point-3d": {"type": "Point", "coordinates": [60.123456, 25.5, 100.0]},
    "negative-zero": {"type": "Point", "coordinates": [-0.00001, -0.00004]},
    "multipoint-dupes": {
        "type": "MultiPoint",
        "coordinates": [[1.0, 1.0], [1.00001, 1.0], [2.0, 2.0], [1.0, 1.0]],
    },
    "line-halves": {
        "type": "LineString",
        "coordinates": [[2.675, 1.005], [2.665, 1.015], [-2.675, -1.005], [0.125, 0.375]],
    },
    "line-collapses": {"type": "LineString", "coordinates": [[1.0, 1.0], [1.00001, 1.00001]]},
    "multiline-one-collapses": {
        "type": "MultiLineString",
        "coordinates": [[[1.0, 1.0], [1.00001, 1.0]], [[3.0, 3.0], [4.0, 4.5]]],
    },
    "line-3d": {"type": "LineString", "coordinates": [[1.0, 1.0, 5.0], [2.0, 2.0, 7.0]]},
    "polygon-hole-collapses": {
        "type": "Polygon",
        "coordinates": [
            [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
            [[5, 5], [5.001, 5], [5.001, 5.001], [5, 5]],
        ],
    },
    "multipolygon-part-collapses": {
        "type": "MultiPolygon",
        "coordinates": [
            [[[0, 0], [0.001, 0], [0.001, 0.001], [0, 0]]],
            [[[20, 20], [21, 20], [21, 21], [20, 20]]],
        ],
    },
    "collection": {
        "type": "GeometryCollection",
        "geometries": [
            {"type": "Point", "coordinates": [1.00004, 2.00005]},
            {"type": "LineString", "coordinates": [[1.0, 1.0], [1.00001, 1.0]]},
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        ],
    },
    "antimeridian-large": {
        "type": "LineString",
        "coordinates": [[179.99995, 10.0], [-179.99995, 10.00005]],
    },
}


@pytest.mark.parametrize("decimals", [2, 3, 4])
@pytest.mark.parametrize("name", sorted(CASES))
def test_cases_match_reference(name: str, decimals: int) -> None:
    kw = {"tolerance": 0.0, "decimals": decimals}
    assert geo.display_compact(CASES[name], **kw) == _reference(CASES[name], **kw)
    want = _reference(CASES[name], **kw)
    got = geo.encode_display(CASES[name], **kw)
    assert (got is None) == (want is None)
    if got is not None:
        assert got == (want[1], geo.geometry_bounds([want[0]]))
        assert codec.decode_geometry(got[0]) == want[0]  # the round trip


@pytest.mark.parametrize("seed", range(20))
def test_random_lines_and_polygons_match_reference(seed: int) -> None:
    rng = random.Random(seed)

    # values on and near the half of the last kept decimal, and plain random ones
    def value(lo: float, hi: float) -> float:
        if rng.random() < 0.5:
            return round(rng.uniform(lo, hi), 3) + rng.choice([0.0005, -0.0005, 0.00049999])
        return rng.uniform(lo, hi)

    line = [[value(-179, 179), value(-80, 80)] for _ in range(rng.randint(2, 60))]
    ring = [[value(40, 41), value(40, 41)] for _ in range(rng.randint(3, 30))]
    ring.append(ring[0])
    for geometry in (
        {"type": "LineString", "coordinates": line},
        {"type": "MultiPoint", "coordinates": line},
        {"type": "Polygon", "coordinates": [ring]},
    ):
        for decimals in (2, 3, 4):
            kw = {"tolerance": 0.0, "decimals": decimals}
            assert geo.display_compact(geometry, **kw) == _reference(geometry, **kw)


def test_bundled_layers_match_reference() -> None:
    for layer in atlas_layers(load_atlas()):
        polygons = layer.kind == "polygons"
        kw = {
            "tolerance": geo.POLYGON_TOLERANCE_DEG if polygons else geo.LINE_TOLERANCE_DEG,
            "decimals": geo.BASEMAP_DECIMALS if polygons else geo.LINE_DECIMALS,
        }
        for feature in layer.features["features"]:
            got = geo.display_compact(feature["geometry"], **kw)
            want = _reference(feature["geometry"], **kw)
            assert got == want, feature["properties"]
            compact, bounds = geo.encode_display(feature["geometry"], **kw)
            assert compact == want[1]
            assert bounds == geo.geometry_bounds([want[0]])


@pytest.mark.parametrize("decimals", [2, 3, 4])
def test_exact_rounding_matches_python_round(decimals: int) -> None:
    import numpy as np

    rng = np.random.default_rng(decimals)
    n = 20_000
    on_grid = np.round(rng.uniform(-180, 180, n), decimals + 1)  # many products on a half
    x = np.concatenate(
        [rng.uniform(-180, 180, n), on_grid, on_grid + rng.choice([1e-12, -1e-12, 0.0], n)]
    )
    expected = [round(round(float(v), decimals) * 10**decimals) for v in x]
    assert geo._exact_round_ints(x, decimals).tolist() == expected


@pytest.mark.parametrize("terminal", [32, 40, 48])
def test_integer_encoder_round_trip(terminal: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    monkeypatch.setattr(codec, "TERMINAL", terminal)
    rng = np.random.default_rng(terminal)
    ints = rng.integers(-5_000_000, 5_000_000, (500, 2))
    ints[50:60] = 0  # zero differences too
    starts = np.array([0, 10, 200, 499])
    ends = [*starts[1:].tolist(), len(ints)]
    texts = codec.encode_parts(ints, starts)
    for text, a, b in zip(texts, starts.tolist(), ends, strict=True):
        values = codec.decode_ints(text)
        assert np.cumsum(np.reshape(values, (-1, 2)), axis=0).tolist() == ints[a:b].tolist()
    flat = ints.reshape(-1).tolist()
    assert codec.decode_ints(codec.encode_ints(flat)) == flat
