"""Derive tracing waypoints from the Natural Earth borders where no gazetteer point exists.

Two alignments hug a border river and have no geocoded place on the right bank:

* the **Dilucu gate** (Türkiye–Nakhchivan): the only AZE–TUR crossing lies on their short
  shared border (brief; tr.wikipedia: 18 km). ``wp-ne-dilucu`` is the midpoint of that
  border in ``geodata/countries.geojson``.
* the **Araz corridor road** on the Iranian (south) bank of the Araz between Aghband and
  Ordubad (Kelaleh is not geocoded). ``wp-ne-araz-1..3`` are points of Iran's northern border
  (the river) at fixed longitudes, moved :data:`OFFSET_KM` km due south into Iran.

These are *constructed* points, not surveyed places: each carries a note saying so, the
segments using them stay ``schematic``, and running this script again reproduces them from
the borders layer (``python scripts/derive_border_waypoints.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import shapely
from pyproj import Geod
from shapely.geometry import LineString, shape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _geojson_io import load, save

ROOT = Path(__file__).resolve().parents[1]
GEOD = Geod(ellps="WGS84")
#: How far south of the border river the Araz road points are put (km).
OFFSET_KM = 1.5
#: Longitudes (deg E) of the Araz road points, east to west.
ARAZ_LONS = (46.45, 46.30, 46.15)
NE_URL = "https://www.naturalearthdata.com/downloads/10m-cultural-vectors/10m-admin-0-countries/"


def _countries(path: Path) -> dict[str, shapely.Geometry]:
    doc = load(path)
    return {f["properties"]["iso3"]: shape(f["geometry"]) for f in doc["features"]}


def derive(countries_path: Path) -> list[dict]:
    """Return the derived waypoint features."""
    c = _countries(countries_path)
    shared = c["TUR"].boundary.intersection(c["AZE"].buffer(0.005))
    mid = shared.interpolate(0.5, normalized=True)
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(mid.x, 4), round(mid.y, 4)]},
            "properties": {
                "id": "wp-ne-dilucu",
                "name": "Dilucu gate (AZE-TUR border, constructed)",
                "country": "TUR",
                "precision": "approximate",
                "note": "Constructed point: midpoint of the AZE-TUR border in the Natural Earth "
                "extract (countries.geojson); the Dilucu gate / Umid bridge lies on this "
                "short border. Not a surveyed position. Derived by "
                "scripts/derive_border_waypoints.py.",
                "sources": [
                    {
                        "url": NE_URL,
                        "title": "Natural Earth 10m admin-0 countries (AZE-TUR border)",
                        "accessed": "2026-11",
                    },
                    {
                        "url": "https://en.wikipedia.org/wiki/Diluju_Border_Checkpoint",
                        "title": "Diluju checkpoint: only TUR-AZE crossing (Umid bridge)",
                        "accessed": "2026-11",
                    },
                ],
            },
        }
    ]
    north_edge = c["IRN"].boundary
    for i, lon in enumerate(ARAZ_LONS, start=1):
        probe = LineString([(lon, 38.0), (lon, 39.5)])
        hits = shapely.get_coordinates(north_edge.intersection(probe))
        lat_border = float(max(hits[:, 1]))
        lon2, lat2, _ = GEOD.fwd(lon, lat_border, 180.0, OFFSET_KM * 1000.0)
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon2, 4), round(lat2, 4)]},
                "properties": {
                    "id": f"wp-ne-araz-{i}",
                    "name": f"Araz south bank {lon:.2f}E (constructed)",
                    "country": "IRN",
                    "precision": "approximate",
                    "note": f"Constructed point: Iran's northern border (the Araz) in the Natural "
                    f"Earth extract at {lon:.2f}E, moved {OFFSET_KM} km south into Iran, "
                    "standing in for the Iranian-bank road (Kelaleh is not geocoded). "
                    "Derived by scripts/derive_border_waypoints.py.",
                    "sources": [
                        {
                            "url": NE_URL,
                            "title": "Natural Earth 10m admin-0 countries (IRN border)",
                            "accessed": "2026-11",
                        },
                        {
                            "url": "https://report.az/en/foreign-politics/"
                            "key-araz-corridor-bridge-to-be-completed-by-end-of-2025",
                            "title": "Araz corridor: Aghband-Kelaleh bridge, Iranian bank",
                            "accessed": "2026",
                        },
                    ],
                },
            }
        )
    return feats


def main() -> int:
    """Insert or refresh the derived waypoints in ``geodata/waypoints.geojson``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--geodata", type=Path, default=ROOT / "geodata")
    args = ap.parse_args()
    wp_path = args.geodata / "waypoints.geojson"
    doc = load(wp_path)
    new = derive(args.geodata / "countries.geojson")
    ids = {f["properties"]["id"] for f in new}
    feats = [f for f in doc["features"] if f["properties"]["id"] not in ids] + new
    doc["features"] = sorted(feats, key=lambda f: f["properties"]["id"])
    save(wp_path, doc)
    for f in new:
        print(f["properties"]["id"], f["geometry"]["coordinates"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
