"""The GeoDataFrame-first API: Atlas.to_geodataframe, Atlas._repr_html_, overlays from
GeoDataFrames, Route.to_geodataframe, scenario_geodataframe and the (atlas, scenario, …)
call order."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point

import corridors
from corridors.errors import GeodataError
from corridors.geo.measure import measure_segment
from corridors.maps.atlas import atlas_map
from corridors.maps.overlay import load_overlay, overlay_layers
from corridors.maps.scenario import scenario_map
from corridors.render import render_html


# --------------------------------------------------------------------------- atlas frames
@pytest.mark.parametrize(
    ("kind", "geom_types"),
    [
        ("nodes", {"Point"}),
        ("segments", {"LineString"}),
        ("corridors", {"MultiLineString"}),
        ("platforms", {"Polygon", "MultiPolygon"}),
    ],
)
def test_one_row_per_entity_in_file_order(bundled_atlas, kind: str, geom_types: set[str]):
    gdf = bundled_atlas.to_geodataframe(kind)
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf.index) == list(getattr(bundled_atlas, kind))
    assert gdf.index.name == "id" and gdf.index.is_unique
    assert set(gdf.geom_type) <= geom_types
    assert gdf.geometry.notna().all()


def test_segment_frame_has_measured_lengths_statuses_and_countries(bundled_atlas):
    gdf = bundled_atlas.to_geodataframe("segments")
    seg = bundled_atlas.segments["mc-btk"]
    m = measure_segment(bundled_atlas, seg)
    row = gdf.loc["mc-btk"]
    assert row["length_km"] == round(m.length_km, 1) and row["length_km"] > 500
    assert row["effective_length_km"] == round(m.effective_length_km, 1)
    assert row["status"] == seg.status and row["mode"] == seg.mode
    assert row["countries"] == ">".join(m.countries) and row["countries"].startswith("AZE>GEO")
    assert row["corridor"] == bundled_atlas.corridors_of("mc-btk")[0]
    assert list(row.geometry.coords) == list(seg.coords)
    assert set(gdf["status"]) == {s.status for s in bundled_atlas.segments.values()}


def test_node_corridor_and_platform_frames(bundled_atlas):
    nodes = bundled_atlas.to_geodataframe("nodes")
    gwadar = nodes.loc["gwadar_port"]
    assert gwadar["country"] == "PAK" and gwadar["country_name"] == "Pakistan"
    n = bundled_atlas.nodes["gwadar_port"]
    assert (gwadar.geometry.x, gwadar.geometry.y) == (n.lon, n.lat)

    cors = bundled_atlas.to_geodataframe("corridors")
    segs = bundled_atlas.to_geodataframe("segments")
    for cid in cors.index:
        sids = list(bundled_atlas.corridor_segments(cid))
        assert cors.loc[cid, "segment_count"] == len(sids)
        assert cors.loc[cid, "length_km"] == pytest.approx(
            segs.loc[sids, "length_km"].sum(), abs=0.1 * len(sids)
        )
        assert set(cors.loc[cid, "statuses"].split(",")) == set(segs.loc[sids, "status"])

    plats = bundled_atlas.to_geodataframe("platforms")
    aze = plats.loc["aze-3plus3"]
    members = bundled_atlas.platforms["aze-3plus3"].members
    assert aze["members"] == ",".join(members) and aze["member_count"] == len(members)
    baku = Point(bundled_atlas.nodes["baku"].lonlat)
    assert aze.geometry.contains(baku)


@pytest.mark.parametrize("bad", ["segment", "edges", "", 3])
def test_bad_kind_names_the_allowed_kinds(bundled_atlas, bad):
    with pytest.raises(ValueError) as info:
        bundled_atlas.to_geodataframe(bad)
    msg = str(info.value)
    assert repr(bad) in msg
    assert "allowed kinds: nodes, segments, corridors, platforms" in msg
    if bad == "segment":
        assert "did you mean 'segments'?" in msg


def test_notebook_cell_explore_returns_a_folium_map():
    import folium

    m = corridors.load_atlas().to_geodataframe("segments").explore()
    assert isinstance(m, folium.Map)
    assert "mc-btk" in m.get_root().render()


def test_atlas_repr_html_counts_and_escapes(hand_atlas):
    html = hand_atlas._repr_html_()
    assert f"<td style='text-align:left'>{len(hand_atlas.corridors)}</td>" in html
    hostile = '<img src=x onerror=alert(1)> "quoted" Naxçıvan'
    cid = next(iter(hand_atlas.corridors))
    cors = dict(hand_atlas.corridors)
    cors[cid] = dataclasses.replace(cors[cid], name=hostile)
    html = dataclasses.replace(hand_atlas, corridors=cors)._repr_html_()
    assert "<img" not in html and "&lt;img src=x" in html and "Naxçıvan" in html


# --------------------------------------------------------------------------- overlays
def _ports_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Gwadar <port>", "Baku line"], "teu": [1.5, None]},
        geometry=[Point(62.33, 25.12), LineString([(49.87, 40.41), (50.2, 40.6)])],
        crs="EPSG:4326",
    )


def test_overlay_from_a_frame_draws_the_same_as_from_the_same_file(tmp_path: Path, hand_atlas):
    gdf = _ports_frame()
    path = tmp_path / "ports.geojson"
    gdf.to_file(path, driver="GeoJSON")
    from_file = load_overlay(path)
    # a frame has no file name: the caller names the layer as the file would be named
    from_frame = load_overlay(gpd.read_file(path), key="overlay:ports", title="ports.geojson")
    assert from_frame == from_file
    assert from_file.features["features"][0]["properties"] == {"name": "Gwadar <port>", "teu": 1.5}
    html_file = render_html(atlas_map(hand_atlas, overlays=[path]))
    html_frame = render_html(atlas_map(hand_atlas, overlays=[from_frame]))
    assert html_frame == html_file
    from render.payload_reader import read_payload

    overlay = [
        la for la in read_payload(html_file, geometry=False)["layers"] if "ports" in repr(la)
    ]
    assert overlay and "Gwadar <port>" in repr(overlay)
    assert "Gwadar <port>" not in html_file  # the name travels only inside the payload


def test_atlas_map_accepts_a_frame(hand_atlas):
    html = render_html(atlas_map(hand_atlas, overlays=[_ports_frame(), _ports_frame()]))
    assert "overlay:overlay" in html and "overlay:overlay-2" in html
    from render.payload_reader import read_payload

    assert repr(read_payload(html, geometry=False)).count("Gwadar <port>") >= 2


def test_scenario_map_accepts_a_frame(hand_atlas, hand_scenario):
    html = render_html(scenario_map(hand_atlas, hand_scenario, overlays=[_ports_frame()]))
    assert "overlay:overlay" in html


def test_frame_without_crs_is_an_error_with_a_hint():
    gdf = _ports_frame().set_crs(None, allow_override=True)
    with pytest.raises(GeodataError) as info:
        load_overlay(gdf)
    (p,) = info.value.problems
    assert p.code == "crs-missing" and p.file == "<GeoDataFrame>"
    assert "set_crs('EPSG:4326')" in p.hint
    spec = load_overlay(gdf, crs="EPSG:4326")  # or say what the coordinates are
    assert spec.features == load_overlay(_ports_frame()).features


def test_projected_frame_is_reprojected_to_wgs84():
    wgs = _ports_frame()
    spec = load_overlay(wgs.to_crs("EPSG:3857"))
    got = spec.features["features"][0]["geometry"]["coordinates"]
    assert got == pytest.approx([62.33, 25.12], abs=1e-9)
    assert spec.key == "overlay:overlay" and spec.title == "Overlay"
    back = load_overlay(wgs)
    for got_f, want_f in zip(spec.features["features"], back.features["features"], strict=True):
        assert got_f["properties"] == want_f["properties"]
        assert got_f["geometry"]["type"] == want_f["geometry"]["type"]
        assert np.allclose(got_f["geometry"]["coordinates"], want_f["geometry"]["coordinates"])


def test_frame_checks_match_the_file_checks():
    empty = _ports_frame()
    empty.loc[1, "geometry"] = None
    with pytest.raises(GeodataError) as info:
        load_overlay(empty)
    assert [p.code for p in info.value.problems] == ["geometry-empty"]
    with pytest.warns(UserWarning, match="without geometry dropped"):
        assert len(load_overlay(empty, drop_empty=True).features["features"]) == 1
    projected_as_degrees = _ports_frame().to_crs("EPSG:3857").set_crs(None, allow_override=True)
    with pytest.raises(GeodataError) as info:
        load_overlay(projected_as_degrees, crs="EPSG:4326")
    assert [p.code for p in info.value.problems] == ["coord-range"]


def test_overlays_of_another_type_are_refused():
    import pandas as pd

    with pytest.raises(TypeError, match="GeoDataFrame"):
        overlay_layers([pd.DataFrame({"x": [1]})])
    with pytest.raises(TypeError, match="LayerSpec, a GeoDataFrame or a file path"):
        overlay_layers([42])


# --------------------------------------------------------------------------- routes, scenarios
def test_route_to_geodataframe_needs_no_optional_package():
    code = """
import importlib.abc, sys
BLOCKED = {"matplotlib", "mapclassify", "pyarrow", "folium", "tqdm"}
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked")
sys.meta_path.insert(0, Block())
import corridors
r = corridors.route(None, "full-vision", "Gwadar", "Baku")
gdf = r.to_geodataframe()
assert len(gdf) == len(r.legs) and gdf.crs.to_epsg() == 4326, gdf
assert set(gdf.geom_type) == {"LineString"}
assert list(gdf["segment"]) == [leg.segment for leg in r.legs]
assert not BLOCKED & {m.split(".")[0] for m in sys.modules}
print("ok", len(gdf))
"""
    env = {**os.environ, "CORRIDORS_CACHE_DIR": "off"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok ")


def test_scenario_geodataframe_is_public(hand_atlas, hand_scenario):
    gdf = corridors.scenario_geodataframe(hand_atlas, hand_scenario)
    assert gdf.crs.to_epsg() == 4326
    assert set(gdf["id"]) == {"r1", "r2", "r3", "road2", "road3", "f1", "spur"}
    assert gdf["closed"].dtype == bool and isinstance(gdf["countries"].iloc[0], str)
    assert "scenario_geodataframe" in corridors.__all__


def test_route_takes_atlas_and_scenario_first(hand_atlas, hand_scenario):
    new = corridors.route(hand_atlas, hand_scenario, "a1", "b2")
    old = corridors.route("a1", "b2", scenario=hand_scenario, atlas=hand_atlas)  # kept
    assert new == old and new.to_dict() == old.to_dict()
    with pytest.raises(TypeError, match=r"takes \(atlas, scenario, origin, destination\)"):
        corridors.route(hand_atlas, "a1", "b2")
    with pytest.raises(TypeError, match="must be an Atlas"):
        corridors.route("not an atlas", hand_scenario, "a1", "b2")


def test_every_analysis_takes_atlas_then_scenario(tmp_path: Path, hand_atlas, hand_scenario):
    import inspect

    from corridors.analytics import centrality, criticality, diff, report
    from corridors.io.export import export_scenario
    from corridors.maps.scenario import scenario_layers

    for fn in (report, criticality, centrality, scenario_map, scenario_layers, export_scenario):
        params = list(inspect.signature(fn).parameters)
        assert params[:2] == ["atlas", "scenario"], fn.__name__
    assert list(inspect.signature(diff).parameters)[:3] == ["atlas", "a", "b"]
    assert list(inspect.signature(corridors.scenario_geodataframe).parameters)[:2] == [
        "atlas",
        "scenario",
    ]
    out = tmp_path / "s.geojson"
    export_scenario(hand_atlas, hand_scenario, out)
    assert json.loads(out.read_text())["type"] == "FeatureCollection"
