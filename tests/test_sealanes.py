"""Sea lanes on the atlas follow searoute like the scenario maps (issue 10 item 3)."""

from __future__ import annotations

import pytest

from corridors.io.geodata import load_atlas
from corridors.maps.atlas import atlas_layers
from corridors.maps.sealanes import sea_lane_coords
from corridors.network.graph import build_network


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def test_atlas_sea_lanes_are_the_scenario_geometry(atlas) -> None:
    net = build_network(atlas, "full-vision")
    sea = [s for s in atlas.segments.values() if s.mode == "sea"]
    assert sea
    for seg in sea:
        if seg.id not in net.segment_pieces:
            continue
        want: list = []
        for pid in net.segment_pieces[seg.id]:
            c = net.pieces[pid].coords
            want.extend(c if not want else c[1:])
        assert list(sea_lane_coords(atlas, seg)) == want, seg.id
        # searoute's line, not the drawn chord
        assert len(want) > len(seg.coords), seg.id


def test_atlas_layers_draw_sea_segments_with_searoute(atlas) -> None:
    drawn = {
        f["properties"]["id"]: f["geometry"]["coordinates"]
        for layer in atlas_layers(atlas)
        if layer.key.startswith("corridor:")
        for f in layer.features["features"]
    }
    for seg in atlas.segments.values():
        if seg.id not in drawn:
            continue
        want = sea_lane_coords(atlas, seg) if seg.mode == "sea" else seg.coords
        assert drawn[seg.id] == [list(c) for c in want], seg.id


def test_land_and_ferry_lines_are_left_as_drawn(atlas) -> None:
    for seg in atlas.segments.values():
        if seg.mode != "sea":
            assert sea_lane_coords(atlas, seg) == seg.coords


def test_a_damaged_cache_entry_is_recomputed(atlas) -> None:
    from importlib.metadata import version

    from corridors.io.cache import digest
    from corridors.network.graph import static_pieces

    disk = atlas.countries.cache
    if disk is None:
        pytest.skip("derived-value cache turned off")
    seg = next(s for s in atlas.segments.values() if s.mode == "sea")
    good = sea_lane_coords(atlas, seg)
    for sp in static_pieces(atlas, seg):
        key = digest(list(atlas.point(sp.u)), list(atlas.point(sp.v)), version("searoute"))
        assert disk.get("sea_lanes", key), "sea lane not cached"
        disk.put("sea_lanes", key, [["x", 1.0]])
    assert sea_lane_coords(atlas, seg) == good
