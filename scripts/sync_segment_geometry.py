"""Rebuild every segment's LineString from its ``from`` + ``via`` + ``to`` positions.

Editors change ``via`` (node or waypoint ids, or ``[lon, lat]`` pairs) and run
``python scripts/sync_segment_geometry.py``; ``corridors validate`` then checks that the
geometry matches. Output is deterministic and keeps the repository's JSON layout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _geojson_io import load, save

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    """Rewrite ``segments.geojson`` geometries; print the ids that changed."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--geodata", type=Path, default=ROOT / "geodata")
    args = ap.parse_args()
    points: dict[str, list[float]] = {}
    for name in ("nodes.geojson", "waypoints.geojson"):
        for f in load(args.geodata / name)["features"]:
            points[f["properties"]["id"]] = f["geometry"]["coordinates"]
    seg_path = args.geodata / "segments.geojson"
    doc = load(seg_path)
    changed = []
    for f in doc["features"]:
        p = f["properties"]
        refs = [p["from"], *p.get("via", []), p["to"]]
        coords = [list(points[r]) if isinstance(r, str) else list(r) for r in refs]
        coords = [[round(x, 4), round(y, 4)] for x, y in coords]
        if f["geometry"]["coordinates"] != coords:
            f["geometry"] = {"type": "LineString", "coordinates": coords}
            changed.append(p["id"])
    save(seg_path, doc)
    print("updated:", ", ".join(changed) or "nothing")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
