"""Fixtures of the scenario tests: a hand-made network whose numbers are computed by hand.

Countries AAA (lon 0-10) and BBB (lon 10-20), lat 0-10. Nodes::

    a1 (2,5) ── r1 rail 1520, 100 km ── a2 (6,5) ── r2 rail 200 km ── b1 (14,5) ── r3 rail 1435, 100 km ── b2 (18,5)
    │                                         (via gate (10,5): 1520 → 1435, AAA → BBB)          │
    road2 100 km                                                                             road3 50 km
    │                                                                                            │
    a3 (6,2) ───────────────────────────── f1 ferry 300 km ─────────────────────────────────── b3 (18,2)

Every segment has a published length, so effective lengths are exact. Costs in the
``hand_scenario``: rail 50 km/h, road 50 km/h, ferry 25 km/h, transfer 10 h, border 20 h,
break of gauge 5 h.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from corridors.io.geodata import load_atlas
from corridors.scenario import Scenario

SRC = [{"url": "https://example.org/source", "title": "Fixture source", "accessed": "2026-11-28"}]


def _square(x0: float, y0: float, x1: float, y1: float) -> list[list[list[float]]]:
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def node_feature(
    nid: str, lon: float, lat: float, country: str, kind: str = "city", **props: Any
) -> dict[str, Any]:
    """A node feature of a test atlas."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "id": nid,
            "name": props.pop("name", nid.upper()),
            "country": country,
            "kind": kind,
            "precision": "exact",
            "sources": copy.deepcopy(SRC),
            **props,
        },
    }


_node = node_feature

POS = {
    "a1": (2.0, 5.0),
    "a2": (6.0, 5.0),
    "gate": (10.0, 5.0),
    "b1": (14.0, 5.0),
    "b2": (18.0, 5.0),
    "a3": (6.0, 2.0),
    "b3": (18.0, 2.0),
    "lonely": (4.0, 8.0),
}


def seg_feature(
    sid: str,
    a: str,
    b: str,
    coords: list[list[float]],
    mode: str,
    km: float,
    *,
    via: tuple[str, ...] | list[str] = (),
    status: str = "operational",
    precision: str = "traced",
    **p: Any,
) -> dict[str, Any]:
    """A segment feature of a test atlas: ``coords`` drawn, one published length ``km``."""
    props = {
        "id": sid,
        "name": sid.upper(),
        "from": a,
        "to": b,
        "via": list(via),
        "mode": mode,
        "status": status,
        "precision": precision,
        "status_history": [{"date": "2001", "status": status}],
        "published_lengths_km": [
            {"value": km, "url": "https://example.org/len", "title": "len", "scope": "full"}
        ],
        "published_length_km": km,
        "sources": copy.deepcopy(SRC),
        **p,
    }
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coords},
        "properties": props,
    }


def _seg(sid: str, a: str, b: str, mode: str, km: float, *, via=(), status="operational", **p):
    coords = [list(POS[a]), *[list(POS[v]) for v in via], list(POS[b])]
    return seg_feature(sid, a, b, coords, mode, km, via=via, status=status, **p)


def hand_atlas_data() -> dict[str, Any]:
    """File name → content of the hand-made atlas."""
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
            _node("a1", *POS["a1"], "AAA", name="Alpha", aliases=["Альфа"]),
            _node("a2", *POS["a2"], "AAA", kind="junction", name="Alpha Junction"),
            _node(
                "gate",
                *POS["gate"],
                "AAA",
                kind="border_crossing",
                borders=["AAA", "BBB"],
                name="Gate",
            ),
            _node("b1", *POS["b1"], "BBB", name="Beta"),
            _node("b2", *POS["b2"], "BBB", name="Beta Port"),
            _node("a3", *POS["a3"], "AAA", kind="seaport", name="Alpha Port"),
            _node("b3", *POS["b3"], "BBB", kind="seaport", name="Beta South Port"),
            _node("lonely", *POS["lonely"], "AAA", name="Lonely Town"),
        ],
    }
    segments = {
        "type": "FeatureCollection",
        "features": [
            _seg("r1", "a1", "a2", "rail", 100, gauge_mm=1520),
            _seg(
                "r2",
                "a2",
                "b1",
                "rail",
                200,
                via=["gate"],
                gauge_mm=[1520, 1435],
                gauge_breaks_at=["gate"],
            ),
            _seg("r3", "b1", "b2", "rail", 100, gauge_mm=1435),
            _seg("road2", "a1", "a3", "road", 100),
            _seg(
                "road3",
                "b3",
                "b2",
                "road",
                50,
                status="planned",
                status_history=[{"date": "2020", "status": "planned"}],
            ),
            _seg("f1", "a3", "b3", "ferry", 300),
            _seg(
                "spur",
                "lonely",
                "a1",
                "road",
                40,
                status="proposed",
                status_history=[{"date": "2024", "status": "proposed"}],
            ),
        ],
    }
    src = 'sources = [{url = "https://example.org/c", title = "c", accessed = "2026"}]\n'
    corridors = (
        f'[[corridor]]\nid = "northern"\nname = "Northern rail"\nsegments = ["r1", "r2", "r3"]\n{src}\n'
        f'[[corridor]]\nid = "southern"\nname = "Southern sea"\nplatform = "club"\n'
        f'segments = ["road2", "f1", "road3"]\n{src}\n'
        f'[[corridor]]\nid = "spurs"\nname = "Spurs"\nsegments = ["spur"]\n{src}'
    )
    platforms = '[[platform]]\nid = "club"\nname = "The Club"\nmembers = ["AAA", "BBB"]\n' + src
    return {
        "countries.geojson": countries,
        "nodes.geojson": nodes,
        "waypoints.geojson": {"type": "FeatureCollection", "features": []},
        "segments.geojson": segments,
        "corridors.toml": corridors,
        "platforms.toml": platforms,
    }


def write_files(directory: Path, data: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in data.items():
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def hand_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(tmp_path_factory.mktemp("hand"), hand_atlas_data())


@pytest.fixture(scope="session")
def hand_atlas(hand_dir: Path):
    return load_atlas(hand_dir)


HAND_COSTS = {"transfer_h": 10.0, "border_dwell_h": 20.0, "break_of_gauge_h": 5.0}


@pytest.fixture(scope="session")
def hand_scenario() -> Scenario:
    """Full vision with round-number costs."""
    return (
        Scenario.full_vision()
        .with_speed(rail=50, road=50, ferry=25)
        .with_costs(**HAND_COSTS)
        .named("hand")
    )


@pytest.fixture(scope="session")
def bundled_atlas():
    """The bundled atlas (skips when the geodata is not complete yet)."""
    from corridors.errors import CorridorsError

    try:
        return load_atlas()
    except CorridorsError as exc:  # pragma: no cover - only while geodata is being written
        pytest.skip(f"bundled geodata not loadable: {str(exc)[:200]}")
