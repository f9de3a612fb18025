"""GeoJSON structure and geometry checks: collections, points, lines and polygons.

Positions are checked by :func:`corridors.io.read.check_position` (shared with overlays).
Polygons take one path, :func:`polygon`: each ring is checked with numpy in one go, and
only a ring that fails is walked position by position to name the first bad place, so good
input is fast and bad input is located exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.validation import explain_validity

from corridors.errors import GeodataError, InputFileError
from corridors.io.geodata.context import Context
from corridors.io.limits import LIMITS, limit
from corridors.io.read import check_position, read_json

__all__ = [
    "DEFAULT_MAX_VERTICES",
    "feature_collection",
    "is_wgs84_crs",
    "line_positions",
    "max_vertices",
    "point_position",
    "polygon",
]

#: Maximum vertices per feature before a geometry is rejected (display simplification is
#: separate; this caps what we accept at all). ``CORRIDORS_MAX_VERTICES`` overrides it.
DEFAULT_MAX_VERTICES = LIMITS["vertices"].default

Position = tuple[float, float]


def max_vertices() -> int:
    """The vertex cap: ``CORRIDORS_MAX_VERTICES`` when set, else the default.

    Raises
    ------
    InputFileError
        When the variable is not a whole number in [2, 100000000] (a bad cap is an error,
        never a silently disabled cap).
    """
    return limit("vertices")


def is_wgs84_crs(crs: Any) -> bool:
    """True for a legacy GeoJSON ``crs`` member naming WGS84 lon/lat (CRS84 / EPSG:4326)."""
    if not isinstance(crs, dict):
        return False
    name = str((crs.get("properties") or {}).get("name", "")).upper()
    return name.endswith(("CRS84", "EPSG::4326", "EPSG:4326")) or name == "EPSG:4326"


def feature_collection(
    path: Path,
    ctx: Context,
    *,
    sha256: list[str] | None = None,
    meta: dict[str, Any] | None = None,
) -> list[tuple[int, dict[str, Any]]]:
    """The ``(index, feature)`` pairs of a GeoJSON FeatureCollection file read strictly.

    Features that are not objects with a ``properties`` object are reported and left out.
    ``meta``, when given, receives the collection's other top-level members (e.g. the
    borders layer's ``source``).
    """
    try:
        doc = read_json(path, sha256=sha256)
    except GeodataError as exc:
        ctx.problems.extend(exc.problems)
        return []
    except InputFileError as exc:
        ctx.error(None, None, str(exc), code="input-file")
        return []
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        ctx.at("type").error(
            "type",
            doc.get("type") if isinstance(doc, dict) else type(doc).__name__,
            "expected a GeoJSON FeatureCollection",
            code="not-feature-collection",
        )
        return []
    crs = doc.get("crs")
    if crs is not None and not is_wgs84_crs(crs):
        ctx.at("crs").error(
            "crs",
            crs,
            "coordinates must be WGS84 longitude/latitude (EPSG:4326 / CRS84)",
            "reproject the file to EPSG:4326 and drop the 'crs' member",
            code="bad-crs",
        )
        return []
    feats = doc.get("features")
    if meta is not None:
        meta.update({k: v for k, v in doc.items() if k not in ("type", "features")})
    if not isinstance(feats, list):
        ctx.at("features").error("features", feats, "'features' must be a list", code="field-type")
        return []
    out = []
    for i, f in enumerate(feats):
        fctx = ctx.at("features").at(i)
        if not isinstance(f, dict) or f.get("type") != "Feature":
            fctx.error(
                "type",
                f if not isinstance(f, dict) else f.get("type"),
                "expected a GeoJSON Feature",
                code="not-feature",
            )
            continue
        if not isinstance(f.get("properties"), dict):
            fctx.at("properties").error(
                "properties",
                f.get("properties"),
                "feature has no properties object",
                code="field-type",
            )
            continue
        out.append((i, f))
    return out


def _typed(geom: Any, expected: str, ctx: Context) -> bool:
    """Report a null, non-object or wrongly typed geometry at ``ctx``."""
    if geom is None:
        ctx.error(
            "geometry",
            None,
            "geometry is null",
            f"give the feature a {expected} geometry",
            code="empty-geometry",
        )
        return False
    if not isinstance(geom, dict):
        ctx.error("geometry", geom, "geometry must be an object", code="bad-geometry")
        return False
    gtype = geom.get("type")
    if gtype != expected:
        ctx.at("type").error(
            "geometry.type",
            gtype,
            f"expected a {expected}, got {gtype}",
            f"this file holds {expected} features",
            code="wrong-geometry-type",
        )
        return False
    return True


def _position(pos: Any, ctx: Context) -> Position | None:
    return check_position(
        pos, file=ctx.file, where=ctx.where, entity=ctx.entity, problems=ctx.problems
    )


def point_position(geom: Any, ctx: Context) -> Position | None:
    """``(lon, lat)`` of a Point geometry at ``ctx``, or ``None`` after reporting."""
    if not _typed(geom, "Point", ctx):
        return None
    coords = geom.get("coordinates")
    cctx = ctx.at("coordinates")
    if coords is None or coords == []:
        cctx.error(
            "coordinates",
            coords,
            "empty geometry",
            "give the point a position [lon, lat]",
            code="empty-geometry",
        )
        return None
    return _position(coords, cctx)


def line_positions(geom: Any, ctx: Context, *, cap: int) -> list[Position] | None:
    """Positions of a LineString geometry at ``ctx`` (at most ``cap``), or ``None``."""
    if not _typed(geom, "LineString", ctx):
        return None
    coords = geom.get("coordinates")
    cctx = ctx.at("coordinates")
    if not isinstance(coords, list) or not coords:
        cctx.error(
            "coordinates",
            coords,
            "empty geometry",
            "a LineString needs at least two positions",
            code="empty-geometry",
        )
        return None
    if len(coords) > cap:
        cctx.error(
            "coordinates",
            f"{len(coords)} vertices",
            f"line has {len(coords)} vertices, over the cap of {cap}",
            "simplify the line, or raise CORRIDORS_MAX_VERTICES",
            code="too-many-vertices",
        )
        return None
    out: list[Position] = []
    for j, pos in enumerate(coords):
        p = _position(pos, cctx.at(j))
        if p is None:
            return None
        out.append(p)
    if len(out) < 2:
        cctx.error(
            "coordinates",
            coords,
            "a LineString needs at least two positions",
            code="degenerate-line",
        )
        return None
    if len(set(out)) == 1:
        cctx.error(
            "coordinates",
            coords[:2],
            "all positions of the line are identical",
            code="degenerate-line",
        )
        return None
    return out


def _ring_array(ring: list[Any]) -> np.ndarray | None:
    """The ring as an (n, 2) float array when every position is a valid [lon, lat(, alt)]."""
    try:
        if any(isinstance(v, bool | str) for pos in ring for v in pos):
            return None
        arr = np.asarray(ring, dtype=float)
    except (TypeError, ValueError):
        return None
    if arr.ndim != 2 or arr.shape[1] not in (2, 3) or not np.isfinite(arr).all():
        return None
    if (np.abs(arr[:, 1]) > 90).any() or (np.abs(arr[:, 0]) > 180).any():
        return None
    return arr[:, :2]


def _ring(ring: Any, ctx: Context) -> np.ndarray | None:
    """One linear ring: positions, at least 4, closed; reported at ``ctx`` when not."""
    if not isinstance(ring, list):
        ctx.error("coordinates", ring, "ring must be a list of positions", code="coord-shape")
        return None
    arr = _ring_array(ring)
    if arr is None:  # locate the first bad position (or accept a ragged but valid ring)
        checked = []
        for j, pos in enumerate(ring):
            p = _position(pos, ctx.at(j))
            if p is None:
                return None
            checked.append(p)
        arr = np.asarray(checked, dtype=float).reshape(-1, 2)
    if len(ring) < 4:
        ctx.error(
            "coordinates",
            f"{len(ring)} positions",
            f"ring has {len(ring)} positions; a closed ring needs at least 4",
            code="ring-too-short",
        )
        return None
    if not np.array_equal(arr[0], arr[-1]):
        ctx.error(
            "coordinates",
            f"first {ring[0]}, last {ring[-1]}",
            "ring is not closed (first and last positions differ)",
            "repeat the first position at the end",
            code="ring-not-closed",
        )
        return None
    return arr


def polygon(geom: Mapping[str, Any], ctx: Context) -> Any:
    """A valid shapely (Multi)Polygon from a GeoJSON geometry at ``ctx``, or ``None``.

    ``geom["type"]`` is ``"Polygon"`` or ``"MultiPolygon"`` (checked by the caller).
    """
    multi = geom["type"] == "MultiPolygon"
    coords = geom.get("coordinates")
    cctx = ctx.at("coordinates")
    polys = coords if multi else [coords]
    if not isinstance(polys, list) or not polys:
        cctx.error("coordinates", coords, "empty geometry", code="empty-geometry")
        return None
    parts = []
    for pi, rings in enumerate(polys):
        if not isinstance(rings, list) or not rings:
            cctx.at(pi).error(
                "coordinates",
                rings,
                "polygon has no rings",
                "check the nesting depth",
                code="coord-shape",
            )
            return None
        arrays = []
        for ri, ring in enumerate(rings):
            arr = _ring(ring, cctx.at(pi).at(ri) if multi else cctx.at(ri))
            if arr is None:
                return None
            arrays.append(arr)
        shell = shapely.LinearRing(arrays[0])
        holes = [shapely.LinearRing(a) for a in arrays[1:]]
        parts.append(shapely.Polygon(shell, holes=holes or None))
    g = shapely.multipolygons(parts) if multi else parts[0]
    if not g.is_valid:
        ctx.error(
            "geometry",
            explain_validity(g),
            f"invalid polygon: {shapely.is_valid_reason(g)}",
            "repair it (e.g. shapely.make_valid) and save again",
            code="invalid-polygon",
        )
        return None
    return g
