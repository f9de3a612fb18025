"""Derive the AidData-located projects of ``geodata/projects.geojson`` from GCDF 3.0 files.

AidData's Geospatial Global Chinese Development Finance Dataset (GeoGCDF 3.0, repository
``aiddata/gcdf-geospatial-data``) publishes one GeoJSON per project record,
``latest/geojsons/<id>.geojson``, whose geometry is the project's footprint traced from
OpenStreetMap. The atlas keeps only a derived extract: for every project of
``projects.geojson`` with an ``aiddata_id`` and precision ``footprint`` (or ``area``: a
project in the same area as the footprint, e.g. the same coal block), the
representative point of that footprint (a point inside it), rounded to 5 decimals
(about 1 m). Nothing else of the AidData record is copied; the project's facts cite their
own sources, and the AidData record is cited as the source of the position.

Licences (see ``geodata/LICENSES.md``): GeoGCDF data are under the Open Data Commons
Attribution License (ODC-By 1.0); the footprints are derived from OpenStreetMap, © OpenStreetMap
contributors, under the Open Database License (ODbL 1.0).

Usage::

    python scripts/derive_aiddata_projects.py DIR [--check]

``DIR`` holds the downloaded ``<id>.geojson`` files. ``--check`` exits 1 (and writes nothing)
when ``projects.geojson`` would change: the committed points are exactly what the script
derives.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import shapely
from shapely.geometry import shape

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _geojson_io

REPO = Path(__file__).resolve().parents[1]
PROJECTS = REPO / "geodata" / "projects.geojson"
DECIMALS = 5


def footprint_point(path: Path) -> list[float]:
    """The representative point ``[lon, lat]`` of the union of a record's footprints."""
    doc = _geojson_io.load(path)
    parts = [shape(f["geometry"]) for f in doc["features"] if f.get("geometry")]
    if not parts:
        raise SystemExit(f"{path}: no geometry")
    point = shapely.union_all(parts).representative_point()
    return [round(point.x, DECIMALS), round(point.y, DECIMALS)]


def derive(folder: Path) -> tuple[dict, int]:
    """``projects.geojson`` with every AidData footprint point re-derived, and the count."""
    doc = _geojson_io.load(PROJECTS)
    count = 0
    for feat in doc["features"]:
        props = feat["properties"]
        ident = props.get("aiddata_id")
        if ident is None or props.get("precision") not in ("footprint", "area"):
            continue
        src = folder / f"{int(ident)}.geojson"
        if not src.is_file():
            raise SystemExit(f"{src}: missing (download latest/geojsons/{ident}.geojson)")
        feat["geometry"] = {"type": "Point", "coordinates": footprint_point(src)}
        count += 1
    return doc, count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="folder of AidData <id>.geojson files")
    ap.add_argument("--check", action="store_true", help="fail if the file would change")
    args = ap.parse_args(argv)
    doc, count = derive(args.folder)
    new = _geojson_io.dumps(doc)
    if args.check:
        same = new == PROJECTS.read_text(encoding="utf-8")
        print(f"{count} footprint points: {'up to date' if same else 'would change'}")
        return 0 if same else 1
    _geojson_io.save(PROJECTS, doc)
    print(f"{count} footprint points written to {PROJECTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
