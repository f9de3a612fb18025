"""User overlays: good files in three formats, and every bad input named in the message."""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from payload_reader import payload_text, read_payload
from shapely.geometry import LineString, Point

from corridors.errors import GeodataError, InputFileError
from corridors.maps.overlay import load_overlay
from corridors.render import build_map, render_html


def _write_geojson(path: Path, features, **extra) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features, **extra}), encoding="utf-8"
    )
    return path


def _pt(lon, lat, **props):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": props,
    }


def test_geojson_overlay_loads(tmp_path):
    f = _write_geojson(
        tmp_path / "ports.geojson",
        [
            _pt(62.33, 25.12, name="<b>Gwadar</b>", teu=1.5, opened="2007-03-20"),
            _pt(49.87, 40.41, name="Baku", teu=None),
        ],
    )
    spec = load_overlay(f)
    assert spec.key == "overlay:ports" and spec.title == "ports.geojson" and spec.kind == "points"
    assert spec.group == ("Overlays",)
    assert spec.features["features"][0]["properties"]["name"] == "<b>Gwadar</b>"
    html = render_html(build_map([spec], title="Overlay"))
    assert "<b>Gwadar</b>" not in html
    assert "&lt;b&gt;Gwadar" not in html  # plain text in the data: the map sets textContent
    (payload,) = read_payload(html)["layers"]
    assert payload["columns"][0] == "name"
    assert payload["features"][0][1]["v"][0] == "<b>Gwadar</b>"
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", payload_text(html))  # script-safe: base64 only


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="not found") as info:
        load_overlay(tmp_path / "nope.geojson")
    assert str((tmp_path / "nope.geojson").resolve()) in str(info.value)


def test_directory(tmp_path):
    d = tmp_path / "dir.geojson"
    d.mkdir()
    with pytest.raises(InputFileError, match="is a directory") as info:
        load_overlay(d)
    assert str(d.resolve()) in str(info.value)


def test_too_big_is_checked_before_reading(tmp_path, monkeypatch):
    f = _write_geojson(tmp_path / "big.geojson", [_pt(1, 1)] * 50)
    read = []
    monkeypatch.setattr(Path, "read_text", lambda *a, **k: read.append(a) or "")
    with pytest.raises(InputFileError, match=r"file is [0-9,]+ bytes, over the cap of 100 bytes"):
        load_overlay(f, max_bytes=100)
    assert read == []


def test_unknown_extension(tmp_path):
    f = tmp_path / "data.shp"
    f.write_bytes(b"x")
    with pytest.raises(InputFileError, match=r"unknown overlay extension '\.shp'.*\.geojson"):
        load_overlay(f)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_nan_in_json_is_rejected(tmp_path, token):
    f = tmp_path / "nan.geojson"
    text = '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[60,30]},"properties":{"v":TOKEN}}]}'
    f.write_text(text.replace("TOKEN", token))
    with pytest.raises(GeodataError, match=f"JSON contains {token}") as info:
        load_overlay(f)
    assert info.value.problems[0].code == "json-nan"
    assert str(f.resolve()) in str(info.value)


def test_bad_json_names_line_and_column(tmp_path):
    f = tmp_path / "bad.geojson"
    f.write_text('{"type": "FeatureCollection",\n "features": [,]}')
    with pytest.raises(GeodataError, match=r"line 2:15: error: invalid JSON: Expecting value"):
        load_overlay(f)


def test_geojson_crs_member_other_than_wgs84_is_rejected(tmp_path):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    f = _write_geojson(tmp_path / "merc.geojson", [_pt(6_900_000, 3_500_000)], crs=crs)
    with pytest.raises(GeodataError, match="declares CRS 'urn:ogc:def:crs:EPSG::3857'") as info:
        load_overlay(f)
    assert info.value.problems[0].code == "geojson-crs"
    spec = load_overlay(f, reproject=True)
    lon, lat = spec.features["features"][0]["geometry"]["coordinates"]
    assert 61 < lon < 63 and 29 < lat < 31
    ok = _write_geojson(
        tmp_path / "crs84.geojson",
        [_pt(60, 30)],
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    )
    assert load_overlay(ok).kind == "points"


def test_geojson_projected_coordinates_are_rejected(tmp_path):
    f = _write_geojson(tmp_path / "metres.geojson", [_pt(6_900_000, 3_500_000)])
    with pytest.raises(GeodataError, match="outside longitude/latitude range"):
        load_overlay(f)
    spec = load_overlay(f, crs="EPSG:3857")  # caller says what the numbers are
    lon, lat = spec.features["features"][0]["geometry"]["coordinates"]
    assert 61 < lon < 63 and 29 < lat < 31


def _gdf(crs):
    return gpd.GeoDataFrame(
        {"name": ["a", "b"], "when": [dt.date(2020, 1, 2), dt.date(2021, 3, 4)], "n": [1, 2]},
        geometry=[LineString([(60, 30), (61, 31)]), LineString([(62, 30), (63, 31)])],
        crs=crs,
    )


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_geopackage_without_crs_is_refused_unless_given(tmp_path):
    f = tmp_path / "nocrs.gpkg"
    _gdf(None).to_file(f)
    with pytest.raises(GeodataError, match="file has no CRS; refusing to guess") as info:
        load_overlay(f)
    assert info.value.problems[0].code == "crs-missing"
    assert "crs='EPSG:4326'" in str(info.value)
    spec = load_overlay(f, crs="EPSG:4326")
    assert spec.kind == "lines"
    props = spec.features["features"][0]["properties"]
    assert props["name"] == "a" and props["n"] == 1
    assert str(props["when"]).startswith("2020-01-02")


def test_geopackage_in_other_crs_is_rejected_naming_it(tmp_path):
    f = tmp_path / "merc.gpkg"
    _gdf("EPSG:4326").to_crs("EPSG:3857").to_file(f)
    with pytest.raises(
        GeodataError, match=r"CRS is EPSG:3857 \(WGS 84 / Pseudo-Mercator\)"
    ) as info:
        load_overlay(f)
    assert info.value.problems[0].code == "crs-not-wgs84"
    for kwargs in ({"reproject": True}, {"crs": "EPSG:3857"}):
        spec = load_overlay(f, **kwargs)
        x, y = spec.features["features"][0]["geometry"]["coordinates"][0]
        assert abs(x - 60) < 1e-6 and abs(y - 30) < 1e-6
    with pytest.raises(GeodataError, match="crs='EPSG:32642' was passed"):
        load_overlay(f, crs="EPSG:32642")


def test_geoparquet(tmp_path):
    f = tmp_path / "lines.parquet"
    _gdf("EPSG:4326").to_parquet(f)
    spec = load_overlay(f)
    assert spec.kind == "lines" and len(spec.features["features"]) == 2
    g = tmp_path / "nocrs.parquet"
    _gdf(None).to_parquet(g)
    with pytest.raises(GeodataError, match="no CRS"):
        load_overlay(g)
    plain = tmp_path / "plain.parquet"
    _gdf(None).drop(columns="geometry").assign(when=1).to_parquet(plain)
    with pytest.raises(InputFileError, match="no GeoParquet 'geo' metadata"):
        load_overlay(plain)


def test_max_features(tmp_path):
    f = _write_geojson(tmp_path / "many.geojson", [_pt(60, 30)] * 11)
    with pytest.raises(InputFileError, match="11 features, over the cap of 10 features per file"):
        load_overlay(f, max_features=10)
    g = tmp_path / "many.gpkg"
    gpd.GeoDataFrame(geometry=[Point(60, 30)] * 11, crs="EPSG:4326").to_file(g)
    with pytest.raises(InputFileError, match="11 features, over the cap of 10 features per file"):
        load_overlay(g, max_features=10)


def test_features_without_geometry_are_reported(tmp_path):
    feats = [
        _pt(60, 30, id="ok"),
        {"type": "Feature", "geometry": None, "properties": {"id": "lost"}},
    ]
    f = _write_geojson(tmp_path / "empty.geojson", feats)
    with pytest.raises(GeodataError, match="feature has no geometry") as info:
        load_overlay(f)
    assert info.value.problems[0].entity == "lost"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = load_overlay(f, drop_empty=True)
    assert len(spec.features["features"]) == 1
    assert any("1 feature(s) without geometry dropped" in str(w.message) for w in caught)


def test_invalid_geometry_is_located(tmp_path):
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[60, 30]]},
            "properties": {"id": "short"},
        }
    ]
    f = _write_geojson(tmp_path / "bad.geojson", feats)
    with pytest.raises(GeodataError, match="/features/0/geometry"):
        load_overlay(f)


def test_ten_thousand_lines_overlay_stays_lean(tmp_path):
    feats = [
        {
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [
                    [40 + (i % 100) * 0.4 + k * 0.0005, 30 + (i // 100) * 0.2 + (k % 2) * 0.0001]
                    for k in range(40)
                ],
            },
            "properties": {
                "id": i,
                "name": f"line {i}",
                "a": 1,
                "b": 2,
                "c": 3,
                "d": 4,
                "e": 5,
                "f": 6,
                "g": 7,
                "h": 8,
                "i": 9,
            },
        }
        for i in range(10_000)
    ]
    f = _write_geojson(tmp_path / "many-lines.geojson", feats)
    spec = load_overlay(f)
    assert spec.kind == "lines" and len(spec.features["features"]) == 10_000
    html = render_html(build_map([spec], title="Big overlay"))
    # simplified for display: 2 vertices per line instead of 40
    assert len(html.encode()) < 3_000_000
    (payload,) = read_payload(html)["layers"]
    assert payload["columns"] == ["name", "id", "a", "b", "c", "d", "e", "f"]  # eight at most
    geom, props = payload["features"][0]
    assert len(geom["coordinates"]) == 2
    assert props["v"][:2] == ["line 0", "0"]
