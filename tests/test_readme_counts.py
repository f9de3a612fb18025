"""The counts the READMEs state match the bundled files (they drifted once: 70 vs 71)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corridors.io.geodata import bundled_geodata_dir, load_atlas

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\|\s*`(?P<file>[\w./-]+)`\s*\|\s*(?P<text>[^|]*)\|", re.M)


def _stated(readme: Path) -> dict[str, int]:
    out = {}
    for m in ROW.finditer(readme.read_text(encoding="utf-8")):
        n = re.match(r"\s*(\d[\d,]*)\b", m["text"])
        if n:
            out[m["file"]] = int(n.group(1).replace(",", ""))
    return out


@pytest.fixture(scope="module")
def actual() -> dict[str, int]:
    atlas = load_atlas(bundled_geodata_dir())
    counts = {
        "nodes.geojson": len(atlas.nodes),
        "waypoints.geojson": len(atlas.waypoints),
        "segments.geojson": len(atlas.segments),
        "corridors.toml": len(atlas.corridors),
        "routes.toml": len(atlas.routes),
    }
    for name, attr in (
        ("services.toml", "services"),
        ("events.toml", "events"),
        ("costs.toml", "costs"),
        ("projects.geojson", "projects"),
    ):
        if getattr(atlas, attr, None) is not None:
            counts[name] = len(getattr(atlas, attr))
    return counts


@pytest.mark.parametrize("readme", ["README.md", "geodata/README.md"])
def test_stated_counts_match_the_files(readme, actual):
    stated = _stated(ROOT / readme)
    assert stated, f"{readme}: no file table with counts found"
    wrong = {f: (n, actual[f]) for f, n in stated.items() if f in actual and n != actual[f]}
    assert not wrong, f"{readme}: stated vs actual counts differ: {wrong}"
