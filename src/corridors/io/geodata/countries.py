"""The borders layer (``countries.geojson``) into a :class:`~corridors.geo.countries.CountryIndex`.

A file that passed every check is kept in the derived-value cache
(:mod:`corridors.io.cache`) as WKB, so later runs skip building and validating the
polygons; the cache key includes this module's code.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Any

import shapely
from shapely.errors import GEOSException

from corridors.geo.countries import CountryIndex
from corridors.io import cache as derived
from corridors.io.geodata.context import Context
from corridors.io.geodata.geometry import feature_collection, polygon
from corridors.vocab import is_iso3

__all__ = ["load_countries"]


def load_countries(path: Path, ctx: Context) -> CountryIndex | None:
    """The country polygons of ``path`` (problems reported at ``ctx``), or ``None``."""
    problems_before = len(ctx.problems)
    sha: list[str] = []
    meta: dict[str, Any] = {}
    features = feature_collection(path, ctx, sha256=sha, meta=meta)
    coverage = _coverage(meta, ctx)
    cache = derived.for_borders(sha[0]) if sha else None
    if cache is not None:
        hit = _from_cache(features, cache, coverage)
        if hit is not None:
            return hit
    polys: dict[str, Any] = {}
    raw: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}
    for i, f in features:
        fctx = ctx.at("features").at(i)
        props = f["properties"]
        iso3 = props.get("iso3")
        if not is_iso3(iso3):
            fctx.at("properties").at("iso3").error(
                "iso3", iso3, "iso3 must be a 3-letter upper-case code", code="bad-iso3"
            )
            continue
        gctx = fctx.at("geometry").about(iso3)
        geom = f.get("geometry")
        if not isinstance(geom, dict) or geom.get("type") not in ("Polygon", "MultiPolygon"):
            gctx.error(
                "geometry.type",
                geom.get("type") if isinstance(geom, dict) else geom,
                "expected a Polygon or MultiPolygon",
                code="wrong-geometry-type",
            )
            continue
        g = polygon(geom, gctx)
        if g is None:
            continue
        if iso3 in polys:
            fctx.about(iso3).error(
                "iso3",
                iso3,
                f"duplicate country '{iso3}'",
                "merge the parts into one MultiPolygon",
                code="duplicate-id",
            )
            continue
        polys[iso3] = g
        raw[iso3] = geom
        names[iso3] = props.get("name") if isinstance(props.get("name"), str) else iso3
    if not polys:
        return None
    if cache is not None and len(ctx.problems) == problems_before:
        # the file passed every check: keep its polygons for the next run
        blobs = shapely.to_wkb(list(polys.values()))
        wkb = [base64.b64encode(b).decode("ascii") for b in blobs]
        cache.put("countries", "polygons", {"codes": list(polys), "wkb_base64": wkb})
    return CountryIndex(polys, names, raw, cache=cache, coverage=coverage)


def _coverage(meta: dict[str, Any], ctx: Context) -> tuple[float, float, float, float] | None:
    """The extract's ``source.region_bbox`` ``[west, south, east, north]``, when given."""
    source = meta.get("source")
    box = source.get("region_bbox") if isinstance(source, dict) else None
    if box is None:
        return None
    ok = (
        isinstance(box, list)
        and len(box) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in box)
        and -180 <= box[0] < box[2] <= 180
        and -90 <= box[1] < box[3] <= 90
    )
    if not ok:
        ctx.at("source").at("region_bbox").error(
            "region_bbox",
            box,
            "region_bbox must be [west, south, east, north] in degrees",
            "e.g. [20.0, -15.0, 100.0, 62.0]; omit it for a world layer",
            code="bad-bbox",
        )
        return None
    return (float(box[0]), float(box[1]), float(box[2]), float(box[3]))


def _from_cache(
    features: list[tuple[int, dict[str, Any]]],
    cache: derived.DerivedCache,
    coverage: tuple[float, float, float, float] | None = None,
) -> CountryIndex | None:
    """The index of a borders file that passed every check before (same bytes, same code)."""
    entry = cache.get("countries", "polygons")
    if not isinstance(entry, dict):
        return None
    codes, wkb = entry.get("codes"), entry.get("wkb_base64")
    if not isinstance(codes, list) or not isinstance(wkb, list):
        return None
    try:
        props = [f["properties"] for _i, f in features]
        if codes != [p["iso3"] for p in props] or len(wkb) != len(codes):
            return None
        geoms = shapely.from_wkb([base64.b64decode(w, validate=True) for w in wkb])
    except (KeyError, TypeError, ValueError, binascii.Error, GEOSException):
        return None  # an edited or damaged cache file: validate from scratch
    raw = {p["iso3"]: f["geometry"] for p, (_i, f) in zip(props, features, strict=True)}
    names = {p["iso3"]: p["name"] if isinstance(p.get("name"), str) else p["iso3"] for p in props}
    return CountryIndex(
        dict(zip(codes, geoms, strict=True)), names, raw, cache=cache, coverage=coverage
    )
