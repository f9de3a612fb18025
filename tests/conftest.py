"""Shared fixtures: a tiny valid atlas written to disk, and helpers to mutate it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SRC = [{"url": "https://example.org/source", "title": "Fixture source", "accessed": "2026-11-28"}]


def _square(x0: float, y0: float, x1: float, y1: float) -> list[list[list[float]]]:
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def _point(pid: str, lon: float, lat: float, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"id": pid, **props, "sources": copy.deepcopy(SRC)},
    }


def mini_atlas_data() -> dict[str, Any]:
    """A minimal valid geodata set: two square countries, three nodes, three segments."""
    countries = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"iso3": "AAA", "name": "Aland"},
                "geometry": {"type": "Polygon", "coordinates": _square(0, 0, 10, 10)},
            },
            {
                "type": "Feature",
                "properties": {"iso3": "BBB", "name": "Beeland"},
                "geometry": {"type": "Polygon", "coordinates": _square(10, 0, 20, 10)},
            },
        ],
    }
    nodes = {
        "type": "FeatureCollection",
        "features": [
            _point(
                "alpha",
                2.0,
                5.0,
                name="Alpha",
                aliases=["Альфа"],
                country="AAA",
                kind="city",
                precision="exact",
            ),
            _point(
                "gate",
                10.0,
                5.0,
                name="Gate",
                country="AAA",
                borders=["AAA", "BBB"],
                kind="border_crossing",
                precision="exact",
            ),
            _point(
                "beta", 18.0, 5.0, name="Beta", country="BBB", kind="seaport", precision="exact"
            ),
            _point(
                "gamma",
                15.0,
                2.0,
                name="Gamma",
                country="BBB",
                kind="city",
                precision="approximate",
            ),
        ],
    }
    waypoints = {
        "type": "FeatureCollection",
        "features": [
            _point("wp-mid", 6.0, 5.0, name="Midtown", country="AAA"),
        ],
    }

    def seg(sid: str, a: str, b: str, coords: list[list[float]], **props: Any) -> dict:
        base = {
            "id": sid,
            "name": sid.upper(),
            "from": a,
            "to": b,
            "via": [],
            "mode": "rail",
            "status": "operational",
            "precision": "traced",
            "status_history": [{"date": "2001", "status": "operational"}],
            "sources": copy.deepcopy(SRC),
        }
        base.update(props)
        return {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": coords},
            "properties": base,
        }

    segments = {
        "type": "FeatureCollection",
        "features": [
            seg(
                "s1",
                "alpha",
                "gate",
                [[2.0, 5.0], [6.0, 5.0], [10.0, 5.0]],
                via=["wp-mid"],
                published_lengths_km=[
                    {
                        "value": 900,
                        "url": "https://example.org/len",
                        "title": "len",
                        "scope": "full",
                    }
                ],
                published_length_km=900,
                gauge_mm=1435,
            ),
            seg(
                "s2",
                "gate",
                "beta",
                [[10.0, 5.0], [18.0, 5.0]],
                mode="road",
                status="under_construction",
                status_history=[
                    {"date": "2010", "status": "planned"},
                    {"date": "2020-05", "status": "under_construction"},
                ],
            ),
            seg(
                "s3",
                "beta",
                "gamma",
                [[18.0, 5.0], [15.0, 2.0]],
                mode="sea",
                precision="schematic",
                status_history=[],
            ),
        ],
    }
    corridors = (
        '[[corridor]]\nid = "root"\nname = "Root"\nsegments = []\n'
        'sources = [{url = "https://example.org/c", title = "c", accessed = "2026"}]\n\n'
        '[[corridor]]\nid = "land"\nname = "Land branch"\nparent = "root"\n'
        'platform = "club"\nsegments = ["s1", "s2"]\n'
        'sources = [{url = "https://example.org/c", title = "c", accessed = "2026"}]\n\n'
        '[[corridor]]\nid = "sea"\nname = "Sea branch"\nparent = "root"\nsegments = ["s3"]\n'
        'sources = [{url = "https://example.org/c", title = "c", accessed = "2026"}]\n'
    )
    platforms = (
        '[[platform]]\nid = "club"\nname = "The Club"\nmembers = ["AAA", "BBB"]\n'
        'proposed = "2020-12-10"\n'
        'sources = [{url = "https://example.org/p", title = "p", accessed = "2026"}]\n'
        '[[platform.meeting]]\ndate = "2021-12-10"\nplace = "Alpha"\nnode = "alpha"\n'
        'attended = ["AAA"]\nabsent = ["BBB"]\n'
        'sources = [{url = "https://example.org/m", title = "m", accessed = "2026"}]\n'
    )
    routes = (
        '[[route]]\nid = "r1"\nname = "Alpha to Beta"\nsegments = ["s1", "s2"]\n'
        'countries = ["AAA", "BBB"]\n'
        'sources = [{url = "https://example.org/r", title = "r", accessed = "2026"}]\n'
    )
    return {
        "countries.geojson": countries,
        "nodes.geojson": nodes,
        "waypoints.geojson": waypoints,
        "segments.geojson": segments,
        "corridors.toml": corridors,
        "platforms.toml": platforms,
        "routes.toml": routes,
    }


def write_atlas(directory: Path, data: dict[str, Any]) -> Path:
    """Write ``data`` (file name -> dict or text) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in data.items():
        path = directory / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return directory


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A directory holding the valid mini atlas."""
    return write_atlas(tmp_path / "mini", mini_atlas_data())


@pytest.fixture
def make_atlas_dir(tmp_path: Path) -> Callable[[Callable[[dict[str, Any]], None]], Path]:
    """Return a function that writes the mini atlas after applying ``mutate(data)``."""

    def make(mutate: Callable[[dict[str, Any]], None]) -> Path:
        data = mini_atlas_data()
        mutate(data)
        return write_atlas(tmp_path / "mutated", data)

    return make


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Derived-value cache of the whole run in a temporary folder (inherited by the CLI
    subprocesses), never the user's ``~/.cache``."""
    import os

    os.environ["CORRIDORS_CACHE_DIR"] = str(tmp_path_factory.mktemp("corridors-cache"))
