"""Display geometry: simplification, vertex caps, great circles, rounding, bounds.

Everything here is for drawing only; lengths and analytics use the full data elsewhere.

Display rules (defaults, overridable per :func:`~corridors.render.build_map` call):

* lines are simplified with Douglas–Peucker at :data:`LINE_TOLERANCE_DEG` (0.005°, about
  550 m N–S and 400 m E–W at 40° N: below one pixel up to zoom ≈ 8, and a few pixels at
  zoom 11); polygons at :data:`POLYGON_TOLERANCE_DEG` (0.01°) with topology preserved;
* a feature keeps at most :data:`MAX_VERTICES` vertices: the tolerance is doubled until it
  fits, then vertices are decimated (end points kept);
* coordinates are rounded to 4 decimals for lines/points (≈ 11 m), 3 for polygons
  (≈ 110 m) and 2 for the country basemap and platform members (:data:`BASEMAP_DECIMALS`,
  ≈ 1.1 km: the bundled countries are simplified at 0.02° ≈ 2 km already, so this moves
  no border by more than a quarter of its own error); repeated vertices are removed;
* ``air`` links are drawn as geodesics on the WGS84 ellipsoid (``pyproj.Geod``),
  densified every :data:`GEODESIC_STEP_KM` at most;
* the rounded geometry is written in the page's compact text form
  (:mod:`corridors.render.codec`) in the same vectorised pass that rounds it
  (:func:`encode_display`); :func:`display_geometry` decodes it back.

This module is the only place in the render layer that turns GeoJSON's ``[lon, lat]``
into folium/Leaflet's ``(lat, lon)``: :func:`to_latlon`.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import shapely
from pyproj import Geod
from shapely.errors import GEOSException
from shapely.geometry import mapping, shape

from corridors.render.codec import TYPE_CODES, decode_geometry, encode_parts

__all__ = [
    "BASEMAP_DECIMALS",
    "EARTH_RADIUS_KM",
    "GEODESIC_STEP_KM",
    "LINE_DECIMALS",
    "LINE_TOLERANCE_DEG",
    "MAX_VERTICES",
    "POLYGON_DECIMALS",
    "POLYGON_TOLERANCE_DEG",
    "Bounds",
    "display_compact",
    "display_geometry",
    "encode_display",
    "geodesic_points",
    "geometry_bounds",
    "to_latlon",
]

LINE_TOLERANCE_DEG = 0.005
POLYGON_TOLERANCE_DEG = 0.01
MAX_VERTICES = 5000
LINE_DECIMALS = 4
POLYGON_DECIMALS = 3
BASEMAP_DECIMALS = 2
GEODESIC_STEP_KM = 50.0
#: Mean radius of the WGS84 ellipsoid (IUGG R1), km (the map's measure tool uses it).
EARTH_RADIUS_KM = 6371.0088

_WGS84 = Geod(ellps="WGS84")

Bounds = tuple[float, float, float, float]


def to_latlon(lon: float, lat: float) -> tuple[float, float]:
    """Swap a GeoJSON ``(lon, lat)`` position to folium/Leaflet ``(lat, lon)``.

    The one place in the render layer where the axis order changes.
    """
    return (float(lat), float(lon))


def geodesic_points(
    a: Sequence[float], b: Sequence[float], step_km: float = GEODESIC_STEP_KM
) -> list[tuple[float, float]]:
    """Points on the WGS84 geodesic from ``a`` to ``b`` (``(lon, lat)``; both ends included).

    Equally spaced, at most ``step_km`` apart (``pyproj.Geod.inv_intermediate``);
    longitudes stay continuous across the antimeridian.

    Examples
    --------
    >>> pts = geodesic_points((50.0, 40.0), (60.0, 41.0))
    >>> len(pts), pts[0], pts[-1]
    (18, (50.0, 40.0), (60.0, 41.0))
    """
    a0, a1, b0, b1 = float(a[0]), float(a[1]), float(b[0]), float(b[1])
    if (a0, a1) == (b0, b1):
        return [(a0, a1), (b0, b1)]
    line = _WGS84.inv_intermediate(
        a0,
        a1,
        b0,
        b1,
        del_s=step_km * 1000.0,
        initial_idx=0,
        terminus_idx=0,
        return_back_azimuth=True,
    )
    lons, lats = np.asarray(line.lons, dtype=float), np.asarray(line.lats, dtype=float)
    lons = np.unwrap(lons, period=360.0)  # continuous: no jump at the antimeridian
    inner = list(zip(lons[1:-1].tolist(), lats[1:-1].tolist(), strict=True))
    return [(a0, a1), *inner, (b0, b1)]


def _densify_geodesic(coords: Sequence[Sequence[float]], step_km: float) -> list[Any]:
    out: list[tuple[float, float]] = []
    for a, b in itertools.pairwise(coords):
        pts = geodesic_points(a, b, step_km)
        out.extend(pts if not out else pts[1:])
    return out or [tuple(c) for c in coords]


def _count(geom: Any) -> int:
    return int(shapely.get_num_coordinates(geom))


def _decimate(geom: Any, max_vertices: int) -> Any:
    """Last resort of the vertex cap: keep every k-th vertex of each part."""
    k = math.ceil(_count(geom) / max_vertices)

    def line(coords: Sequence[Any]) -> list[Any]:
        kept = list(coords[::k])
        if kept[-1] != coords[-1]:
            kept.append(coords[-1])
        return kept

    gj = mapping(geom)
    t = gj["type"]
    if t == "LineString":
        gj = {"type": t, "coordinates": line(gj["coordinates"])}
    elif t == "MultiLineString":
        gj = {"type": t, "coordinates": [line(p) for p in gj["coordinates"]]}
    elif t == "MultiPoint":
        gj = {"type": t, "coordinates": list(gj["coordinates"][::k])}
    elif t == "Polygon":
        gj = {"type": t, "coordinates": [line(r) for r in gj["coordinates"]]}
    elif t == "MultiPolygon":
        gj = {"type": t, "coordinates": [[line(r) for r in p] for p in gj["coordinates"]]}
    return shape(gj)


def _display_shape(
    geometry: dict[str, Any] | None,
    *,
    tolerance: float,
    max_vertices: int,
    geodesic: bool,
    step_km: float,
) -> Any:
    """Parsed, simplified, densified and capped shapely geometry (not yet rounded)."""
    if not geometry or not geometry.get("type"):
        return None
    try:
        # GEOS's own GeoJSON reader: much faster than shape() on large polygons
        geom = shapely.from_geojson(json.dumps(geometry))
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, GEOSException):
        return None
    if geom.is_empty:
        return None
    gtype = geom.geom_type
    if tolerance > 0 and gtype not in ("Point", "MultiPoint"):
        polygonal = gtype in ("Polygon", "MultiPolygon")
        simplified = geom.simplify(tolerance, preserve_topology=polygonal)
        if not simplified.is_empty:
            geom = simplified
    if geodesic and gtype in ("LineString", "MultiLineString"):
        parts = list(shapely.get_parts(geom))
        dense = [_densify_geodesic(list(p.coords), step_km) for p in parts]
        geom = (
            shapely.LineString(dense[0])
            if gtype == "LineString"
            else shapely.MultiLineString(dense)
        )
    if gtype in ("LineString", "MultiLineString"):
        geom = _unwrapped(geom)
    if max_vertices > 0 and _count(geom) > max_vertices:
        tol = max(tolerance, 1e-4)
        while _count(geom) > max_vertices and tol < 1.0:
            tol *= 2
            candidate = geom.simplify(tol, preserve_topology=geom.geom_type.endswith("Polygon"))
            if not candidate.is_empty:
                geom = candidate
        if _count(geom) > max_vertices:
            geom = _decimate(geom, max_vertices)
    return geom


def _unwrapped(geom: Any) -> Any:
    """A line whose longitudes jump by more than 180° made continuous (the short way across
    the antimeridian, as Leaflet draws it), e.g. Anadyr (177.5) to Uelen (-169.8)."""
    parts = list(shapely.get_parts(geom))
    coords = [np.asarray(p.coords, dtype=float) for p in parts]
    if not any(len(c) > 1 and np.abs(np.diff(c[:, 0])).max() > 180 for c in coords):
        return geom
    for c in coords:
        c[:, 0] = np.unwrap(c[:, 0], period=360.0)
    lines = [shapely.LineString(c) for c in coords]
    return lines[0] if geom.geom_type == "LineString" else shapely.MultiLineString(lines)


def display_geometry(
    geometry: dict[str, Any] | None,
    *,
    tolerance: float,
    decimals: int,
    max_vertices: int = MAX_VERTICES,
    geodesic: bool = False,
    step_km: float = GEODESIC_STEP_KM,
) -> dict[str, Any] | None:
    """Return a GeoJSON geometry ready to draw, or ``None`` if nothing drawable is left.

    Parameters
    ----------
    geometry : dict or None
        GeoJSON geometry, ``[lon, lat]`` positions.
    tolerance : float
        Simplification tolerance in degrees (0 = none).
    decimals : int
        Decimals kept in coordinates.
    max_vertices : int
        Cap on vertices in the returned geometry.
    geodesic : bool
        Replace each line segment by its great circle (air links).
    step_km : float
        Spacing of great-circle points.

    Returns
    -------
    dict or None
        Simplified, capped and rounded geometry.
    """
    out = display_compact(
        geometry,
        tolerance=tolerance,
        decimals=decimals,
        max_vertices=max_vertices,
        geodesic=geodesic,
        step_km=step_km,
    )
    return None if out is None else out[0]


def display_compact(
    geometry: dict[str, Any] | None,
    *,
    tolerance: float,
    decimals: int,
    max_vertices: int = MAX_VERTICES,
    geodesic: bool = False,
    step_km: float = GEODESIC_STEP_KM,
) -> tuple[dict[str, Any], list[Any]] | None:
    """:func:`display_geometry` and its compact form (:mod:`corridors.render.codec`).

    Same parameters as :func:`display_geometry`. Returns ``(geometry, compact)`` or
    ``None``: the compact form of :func:`encode_display` and the GeoJSON decoded from it.
    """
    shown = encode_display(
        geometry,
        tolerance=tolerance,
        decimals=decimals,
        max_vertices=max_vertices,
        geodesic=geodesic,
        step_km=step_km,
    )
    return None if shown is None else (decode_geometry(shown[0]), shown[0])


def encode_display(
    geometry: dict[str, Any] | None,
    *,
    tolerance: float,
    decimals: int,
    max_vertices: int = MAX_VERTICES,
    geodesic: bool = False,
    step_km: float = GEODESIC_STEP_KM,
) -> tuple[list[Any], Bounds] | None:
    """Compact form of the display geometry, and the bounds of its rounded positions.

    What the map needs, rounded and encoded in one vectorised pass (no rounded GeoJSON is
    built as Python lists). Same parameters as :func:`display_geometry`; ``None`` when
    nothing drawable is left.
    """
    point = _plain_point(geometry)
    if point is not None:  # the common case of places: no need for GEOS
        ints = _exact_round_ints(np.asarray([point], dtype=float), decimals)
        x, y = (float(v) / 10**decimals + 0.0 for v in ints[0])
        return [TYPE_CODES["Point"], decimals, encode_parts(ints, np.zeros(1))[0]], (x, y, x, y)
    geom = _display_shape(
        geometry,
        tolerance=tolerance,
        max_vertices=max_vertices,
        geodesic=geodesic,
        step_km=step_km,
    )
    return None if geom is None else _round_encode(geom, decimals)


def _plain_point(geometry: dict[str, Any] | None) -> list[float] | None:
    """``[lon, lat]`` of a GeoJSON Point with finite numeric coordinates, else ``None``."""
    if not geometry or geometry.get("type") != "Point":
        return None
    c = geometry.get("coordinates")
    if not isinstance(c, (list, tuple)) or len(c) not in (2, 3):
        return None
    if not all(type(v) in (int, float) and math.isfinite(v) for v in c):
        return None
    return [float(c[0]), float(c[1])]


def _exact_round_ints(coords: np.ndarray, nd: int) -> np.ndarray:
    """``round(round(x, nd) * 10**nd)`` for every value, vectorised and exact.

    Python's ``round(x, nd)`` rounds the exact binary value of ``x`` (ties to even).
    ``np.rint(x * 10**nd)`` agrees except where the floating-point product lands exactly
    on a half: then the product's rounding error (computed exactly with Dekker's
    two-product) says on which side of the half ``x * 10**nd`` really is.
    """
    scale = float(10**nd)
    scaled = coords * scale
    ints = np.rint(scaled)
    half = (scaled - np.floor(scaled)) == 0.5
    if half.any():
        x, p = coords[half], scaled[half]
        x_hi, x_lo = _split(x)
        s_hi, s_lo = _split(np.full_like(x, scale))
        err = ((x_hi * s_hi - p) + x_hi * s_lo + x_lo * s_hi) + x_lo * s_lo
        ints[half] = np.where(err > 0, np.ceil(p), np.where(err < 0, np.floor(p), ints[half]))
    return ints.astype(np.int64)


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Veltkamp split of doubles into two halves of 26 significant bits (exact sum)."""
    c = 134217729.0 * a  # 2**27 + 1
    hi = c - (c - a)
    return hi, a - hi


def _round_encode(geom: Any, nd: int) -> tuple[list[Any], Bounds] | None:
    """Round, de-duplicate and encode a shapely geometry, vectorised.

    Repeated consecutive positions are dropped; a line needs 2 positions left, a ring 4
    (it is closed again if rounding opened it), a polygon its exterior ring. Returns the
    compact form and the bounds of the rounded positions, or ``None`` when nothing
    drawable is left.
    """
    if geom.is_empty:
        return None
    if geom.geom_type == "GeometryCollection":
        parts = [p for p in (_round_encode(g, nd) for g in geom.geoms) if p is not None]
        if not parts:
            return None
        boxes = [b for _c, b in parts]
        box = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        return [TYPE_CODES["GeometryCollection"], 0, [c for c, _b in parts]], box
    _gtype, coords, offsets = shapely.to_ragged_array([geom])
    kind = geom.geom_type
    ints = _exact_round_ints(np.asarray(coords, dtype=float)[:, :2], nd)
    # the innermost parts: rings, lines, or all points of a MultiPoint as one run
    part_bounds = [0, len(ints)] if kind in ("Point", "MultiPoint") else offsets[0].tolist()
    same = np.zeros(len(ints), dtype=bool)
    if len(ints) > 1:
        same[1:] = (ints[1:] == ints[:-1]).all(axis=1)
    same[np.asarray(part_bounds[:-1], dtype=np.int64)] = False
    keep_idx = np.nonzero(~same)[0]
    cut = np.searchsorted(keep_idx, part_bounds).tolist()
    ring = kind in ("Polygon", "MultiPolygon")
    minimum = 4 if ring else (2 if kind in ("LineString", "MultiLineString") else 1)
    pieces: list[np.ndarray | None] = []
    for a, b in itertools.pairwise(cut):
        rows = ints[keep_idx[a:b]]
        if ring and len(rows) and (rows[0] != rows[-1]).any():
            rows = np.vstack((rows, rows[:1]))
        pieces.append(rows if len(rows) >= minimum else None)
    if ring:  # a polygon whose exterior ring is gone is dropped with its holes
        groups = (
            [(0, len(pieces))]
            if kind == "Polygon"
            else list(itertools.pairwise(offsets[1].tolist()))
        )
        for a, b in groups:
            if pieces[a] is None:
                pieces[a:b] = [None] * (b - a)
    kept = [p for p in pieces if p is not None]
    if not kept:
        return None
    every = np.concatenate(kept)
    starts = np.cumsum([0] + [len(p) for p in kept[:-1]]).astype(np.int64)
    texts = iter(encode_parts(every, starts))
    coded = [None if p is None else next(texts) for p in pieces]
    scale = 10**nd
    lo, hi = every.min(axis=0) / scale, every.max(axis=0) / scale
    bounds = (float(lo[0]) + 0.0, float(lo[1]) + 0.0, float(hi[0]) + 0.0, float(hi[1]) + 0.0)
    data: Any
    if kind in ("Point", "MultiPoint", "LineString"):
        data = coded[0]
    elif kind == "MultiLineString" or kind == "Polygon":
        data = [c for c in coded if c is not None]
    else:
        data = []
        for a, b in itertools.pairwise(offsets[1].tolist()):
            rings = [c for c in coded[a:b] if c is not None]
            if rings:
                data.append(rings)
    return [TYPE_CODES[kind], nd, data], bounds


def _walk_positions(coords: Any) -> Iterable[Sequence[float]]:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        yield coords
    elif isinstance(coords, (list, tuple)):
        for c in coords:
            yield from _walk_positions(c)


def geometry_bounds(
    geometries: Iterable[dict[str, Any] | None],
) -> tuple[float, float, float, float] | None:
    """``(min_lon, min_lat, max_lon, max_lat)`` of GeoJSON geometries, or ``None``."""
    xs: list[float] = []
    ys: list[float] = []
    stack = [g for g in geometries if g]
    while stack:
        g = stack.pop()
        if g.get("type") == "GeometryCollection":
            stack.extend(x for x in g.get("geometries", []) if x)
            continue
        for p in _walk_positions(g.get("coordinates")):
            xs.append(float(p[0]))
            ys.append(float(p[1]))
    if not xs:
        return None
    return (min(xs), min(ys), max(xs), max(ys))
