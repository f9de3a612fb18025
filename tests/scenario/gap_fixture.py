"""A tiny atlas with a deliberate gap, a dead end and an island (numbers by hand).

Countries AAA (lon 0-10) and BBB (lon 10-20), lat 0-10. Every segment has a published
length, so effective lengths are exact::

    w (1,5) ── w-n road 500 ── n (5,9) ── n-far rail 1500 ── far (18,9) ── far-e rail 1500 ── e (9,5)
    │
    ├── w-mid road 450 ── mid (5,5)   · · · mid-e rail 460 (proposed) · · ·   e
    └── w-port road 300 ── port (1,8, seaport)

    i1 (15,3) ── isl rail 250 ── i2 (17,3)                (an island)
    x1 (12,7) · · · x-link road 230 (proposed) · · · x2 (14,7)   (nothing else touches them)

In the ``today`` scenario (operational only) ``w`` → ``e`` runs w-n-far-e, 3,500 km for a
great circle of ~887 km (circuity ~3.95): the missing link is mid-e (~443 km), and the
proposed segment ``mid-e`` would make it plausible (450 + 460 = 910 km). ``mid`` and ``e``
are dead ends; ``port`` is a seaport (a natural terminus); ``i1``-``i2`` is an island.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import hand_atlas_data, node_feature, seg_feature
from corridors.io.geodata import load_atlas

SRC = [{"url": "https://example.org/source", "title": "Fixture source", "accessed": "2026-12-02"}]

POS = {
    "w": (1.0, 5.0),
    "n": (5.0, 9.0),
    "far": (18.0, 9.0),
    "e": (9.0, 5.0),
    "mid": (5.0, 5.0),
    "port": (1.0, 8.0),
    "i1": (15.0, 3.0),
    "i2": (17.0, 3.0),
    "x1": (12.0, 7.0),
    "x2": (14.0, 7.0),
}
COUNTRY = {n: ("AAA" if lon < 10 else "BBB") for n, (lon, _lat) in POS.items()}


def _node(nid: str, kind: str = "city", name: str | None = None) -> dict[str, Any]:
    return node_feature(nid, *POS[nid], COUNTRY[nid], kind, name=name or nid.upper())


def _seg(
    sid: str, a: str, b: str, mode: str, km: float, status: str = "operational", **extra: Any
) -> dict[str, Any]:
    coords = [list(POS[a]), list(POS[b])]
    return seg_feature(sid, a, b, coords, mode, km, status=status, precision="schematic", **extra)


def gap_atlas_data(*, mid_name: str = "Middle") -> dict[str, Any]:
    """File name → content of the gap atlas (``mid_name``: the name of node ``mid``)."""
    # the same two square countries (AAA west of 10° E, BBB east of it) as the hand atlas
    countries = hand_atlas_data()["countries.geojson"]
    kinds = {"port": "seaport"}
    names = {"w": "West", "e": "East", "mid": mid_name, "n": "North", "far": "Far"}
    nodes = {
        "type": "FeatureCollection",
        "features": [_node(n, kinds.get(n, "city"), names.get(n)) for n in POS],
    }
    segments = {
        "type": "FeatureCollection",
        "features": [
            _seg("w-n", "w", "n", "road", 500),
            _seg("n-far", "n", "far", "rail", 1500, gauge_mm=1435),
            _seg("far-e", "far", "e", "rail", 1500, gauge_mm=1435),
            _seg("w-mid", "w", "mid", "road", 450),
            _seg("w-port", "w", "port", "road", 300),
            _seg("mid-e", "mid", "e", "rail", 460, status="proposed", gauge_mm=1435),
            _seg("isl", "i1", "i2", "rail", 250, gauge_mm=1435),
            _seg("x-link", "x1", "x2", "road", 230, status="proposed"),
        ],
    }
    src = 'sources = [{url = "https://example.org/c", title = "c", accessed = "2026"}]\n'
    corridors = (
        f'[[corridor]]\nid = "main"\nname = "Main"\n'
        f'segments = ["w-n", "n-far", "far-e", "w-mid", "w-port", "mid-e"]\n{src}\n'
        f'[[corridor]]\nid = "other"\nname = "Other"\nsegments = ["isl", "x-link"]\n{src}'
    )
    return {
        "countries.geojson": countries,
        "nodes.geojson": nodes,
        "waypoints.geojson": {"type": "FeatureCollection", "features": []},
        "segments.geojson": segments,
        "corridors.toml": corridors,
        "platforms.toml": "",
        "hubs.toml": 'hubs = ["w", "e", "i1"]\n',
    }


def write_gap_atlas(directory: Path, **kw: Any) -> Path:
    """Write the gap atlas into ``directory`` (created); returns it."""
    import json

    directory.mkdir(parents=True, exist_ok=True)
    for name, content in gap_atlas_data(**kw).items():
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def load_gap_atlas(directory: Path, **kw: Any):
    """Write and load the gap atlas."""
    return load_atlas(write_gap_atlas(directory, **kw))
