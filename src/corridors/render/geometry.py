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
* ``air`` links are drawn as great circles, densified every :data:`GEODESIC_STEP_KM`;
* in the page, coordinates travel in a compact, lossless text form
  (:func:`encode_geometry`): each line or ring is one string of zig-zag, variable-length
  integers in 64 digits (:data:`ALPHABET`, :data:`TERMINAL`), the first position in
  units of ``10**-decimals`` degrees and the others as differences from the previous
  one. The map's JavaScript (``decodeGeometry`` in ``assets/corridors.js``) and
  :func:`decode_geometry` turn it back into exactly the rounded GeoJSON coordinates.

This module is the only place in the render layer that turns GeoJSON's ``[lon, lat]``
into folium/Leaflet's ``(lat, lon)``: :func:`to_latlon`.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry import mapping, shape

__all__ = [
    "ARC_MARK",
    "BASEMAP_DECIMALS",
    "EARTH_RADIUS_KM",
    "GEODESIC_STEP_KM",
    "LINE_DECIMALS",
    "LINE_TOLERANCE_DEG",
    "MAX_VERTICES",
    "MIN_ARC_VERTICES",
    "POLYGON_DECIMALS",
    "POLYGON_TOLERANCE_DEG",
    "TYPE_CODES",
    "decode_arcs",
    "decode_geometry",
    "display_compact",
    "display_geometry",
    "encode_display",
    "encode_geometry",
    "encode_topology",
    "geometry_bounds",
    "great_circle_points",
    "to_latlon",
]

LINE_TOLERANCE_DEG = 0.005
POLYGON_TOLERANCE_DEG = 0.01
MAX_VERTICES = 5000
LINE_DECIMALS = 4
POLYGON_DECIMALS = 3
BASEMAP_DECIMALS = 2
GEODESIC_STEP_KM = 50.0
#: Geometries with at least this many vertices are rounded and encoded with numpy.
VECTORISE_FROM_VERTICES = 200
#: Mean radius of the WGS84 ellipsoid (IUGG R1), km.
EARTH_RADIUS_KM = 6371.0088


def to_latlon(lon: float, lat: float) -> tuple[float, float]:
    """Swap a GeoJSON ``(lon, lat)`` position to folium/Leaflet ``(lat, lon)``.

    The one place in the render layer where the axis order changes.
    """
    return (float(lat), float(lon))


def great_circle_points(
    a: Sequence[float], b: Sequence[float], step_km: float = GEODESIC_STEP_KM
) -> list[tuple[float, float]]:
    """Points on the great circle from ``a`` to ``b`` (``(lon, lat)``; both ends included).

    Spherical linear interpolation on the mean sphere, one point every ``step_km``.
    """
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    p1 = (math.cos(lat1) * math.cos(lon1), math.cos(lat1) * math.sin(lon1), math.sin(lat1))
    p2 = (math.cos(lat2) * math.cos(lon2), math.cos(lat2) * math.sin(lon2), math.sin(lat2))
    dot = max(-1.0, min(1.0, sum(x * y for x, y in zip(p1, p2, strict=True))))
    omega = math.acos(dot)
    n = max(1, math.ceil(omega * EARTH_RADIUS_KM / step_km))
    if omega < 1e-12 or abs(math.pi - omega) < 1e-9:
        return [(float(a[0]), float(a[1])), (float(b[0]), float(b[1]))]
    out = [(float(a[0]), float(a[1]))]
    sin_omega = math.sin(omega)
    prev_lon = float(a[0])
    for i in range(1, n):
        t = i / n
        k1 = math.sin((1 - t) * omega) / sin_omega
        k2 = math.sin(t * omega) / sin_omega
        x, y, z = (k1 * u + k2 * v for u, v in zip(p1, p2, strict=True))
        lon = math.degrees(math.atan2(y, x))
        # keep longitudes continuous (no jump at the antimeridian)
        while lon - prev_lon > 180:
            lon -= 360
        while lon - prev_lon < -180:
            lon += 360
        prev_lon = lon
        out.append((lon, math.degrees(math.atan2(z, math.hypot(x, y)))))
    out.append((float(b[0]), float(b[1])))
    return out


def _densify_geodesic(coords: Sequence[Sequence[float]], step_km: float) -> list[Any]:
    out: list[tuple[float, float]] = []
    for a, b in itertools.pairwise(coords):
        pts = great_circle_points(a, b, step_km)
        out.extend(pts if not out else pts[1:])
    return out or [tuple(c) for c in coords]


def _count(geom: Any) -> int:
    return int(shapely.get_num_coordinates(geom))


def _round_line(coords: Iterable[Sequence[float]], nd: int) -> list[list[float]]:
    out: list[list[float]] = []
    for c in coords:
        p = [round(float(c[0]), nd) + 0.0, round(float(c[1]), nd) + 0.0]
        if not out or out[-1] != p:
            out.append(p)
    return out


def _round_ring(coords: Iterable[Sequence[float]], nd: int) -> list[list[float]] | None:
    ring = _round_line(coords, nd)
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring if len(ring) >= 4 else None


def _round_geojson(geom: dict[str, Any], nd: int) -> dict[str, Any] | None:
    kind = geom["type"]
    c = geom.get("coordinates")
    if kind == "Point":
        return {"type": kind, "coordinates": _round_line([c], nd)[0]}
    if kind == "MultiPoint":
        return {"type": kind, "coordinates": _round_line(c, nd)} if c else None
    if kind == "LineString":
        line = _round_line(c, nd)
        return {"type": kind, "coordinates": line} if len(line) >= 2 else None
    if kind == "MultiLineString":
        lines = [ln for ln in (_round_line(part, nd) for part in c) if len(ln) >= 2]
        return {"type": kind, "coordinates": lines} if lines else None
    if kind == "Polygon":
        rings = [_round_ring(r, nd) for r in c]
        if not rings or rings[0] is None:
            return None
        return {"type": kind, "coordinates": [r for r in rings if r is not None]}
    if kind == "MultiPolygon":
        polys = []
        for poly in c:
            rounded = _round_geojson({"type": "Polygon", "coordinates": poly}, nd)
            if rounded is not None:
                polys.append(rounded["coordinates"])
        return {"type": kind, "coordinates": polys} if polys else None
    if kind == "GeometryCollection":
        parts = [_round_geojson(g, nd) for g in geom.get("geometries", [])]
        kept = [p for p in parts if p is not None]
        return {"type": kind, "geometries": kept} if kept else None
    return None


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
        parts = [geom] if gtype == "LineString" else list(geom.geoms)
        dense = [_densify_geodesic(list(p.coords), step_km) for p in parts]
        geom = (
            shapely.LineString(dense[0])
            if gtype == "LineString"
            else shapely.MultiLineString(dense)
        )
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
    """:func:`display_geometry` and its :func:`encode_geometry` form.

    Same parameters as :func:`display_geometry`. Returns ``(geometry, compact)`` or ``None``;
    the result equals ``(g, encode_geometry(g, decimals))`` with ``g`` the display geometry.
    The compact form comes from :func:`encode_display` (numpy for large geometries) and the
    GeoJSON is decoded from it; the map itself only needs :func:`encode_display`.
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


Bounds = tuple[float, float, float, float]


def encode_display(
    geometry: dict[str, Any] | None,
    *,
    tolerance: float,
    decimals: int,
    max_vertices: int = MAX_VERTICES,
    geodesic: bool = False,
    step_km: float = GEODESIC_STEP_KM,
) -> tuple[list[Any], Bounds] | None:
    """Compact form (:func:`encode_geometry`) of the display geometry, and its bounds.

    What the map needs, without building the rounded GeoJSON as Python lists (which costs
    more than everything else on the ~28,000-vertex basemap). Same parameters as
    :func:`display_geometry`; ``None`` when nothing drawable is left.
    """
    point = _plain_point(geometry)
    if point is not None:  # the common case of places: no need for GEOS
        rounded = _round_geojson({"type": "Point", "coordinates": point}, decimals)
        return encode_geometry(rounded, decimals), geometry_bounds([rounded])  # type: ignore[arg-type,return-value]
    geom = _display_shape(
        geometry,
        tolerance=tolerance,
        max_vertices=max_vertices,
        geodesic=geodesic,
        step_km=step_km,
    )
    if geom is None:
        return None
    if geom.geom_type == "GeometryCollection" or _count(geom) < VECTORISE_FROM_VERTICES:
        # per vertex in Python: cheaper than numpy's fixed cost on small geometries
        rounded = _round_geojson(mapping(geom), decimals)
        if rounded is None:
            return None
        return encode_geometry(rounded, decimals), geometry_bounds([rounded])  # type: ignore[return-value]
    return _round_encode(geom, decimals)


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


def _encode_parts(ints: np.ndarray, starts: np.ndarray) -> list[str]:
    """Compact text of consecutive parts of an ``(n, 2)`` int array (vectorised).

    ``starts`` are the first rows of the parts (ascending, first 0); each part is encoded
    like :func:`_encode_positions`: its first position absolute, the rest as differences.
    """
    if len(ints) == 0:
        return []
    deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    deltas[starts] = ints[starts]
    values = deltas.reshape(-1)
    zz = np.where(values >= 0, 2 * values, -2 * values - 1)
    # continuation digits of each number: how often it is divided until below TERMINAL
    more_digits = np.zeros(len(zz), dtype=np.int64)
    rest = zz.copy()
    while (big := rest >= TERMINAL).any():
        more_digits += big
        rest = np.where(big, rest // _RADIX, rest)
    col = np.arange(int(more_digits.max()) + 1)
    parts = zz[:, None] // (_RADIX**col)[None, :]
    continued = col[None, :] < more_digits[:, None]
    digits = np.where(continued, TERMINAL + parts % _RADIX, parts)
    used = col[None, :] <= more_digits[:, None]
    text = _ALPHABET_CODES[digits[used]].tobytes().decode("ascii")
    ndig = more_digits + 1
    # character offset of each part: digits of all values before its first value
    ends = np.concatenate(([0], np.cumsum(ndig)))
    bounds = ends[np.concatenate((starts * 2, [len(values)]))].tolist()
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def _round_encode(geom: Any, nd: int) -> tuple[list[Any], Bounds] | None:
    """Round, de-duplicate and encode a (Multi)Point/LineString/Polygon, vectorised.

    Returns the compact form (see :func:`encode_geometry`) and the bounds of the rounded
    positions, or ``None`` when nothing drawable is left.
    """
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
    texts = iter(_encode_parts(every, starts))
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


# --------------------------------------------------------------------------- compact form

#: Short codes of the geometry types in the compact form (``decodeGeometry`` in
#: corridors.js has the same table).
TYPE_CODES = {
    "Point": "P",
    "MultiPoint": "MP",
    "LineString": "L",
    "MultiLineString": "ML",
    "Polygon": "A",
    "MultiPolygon": "MA",
    "GeometryCollection": "GC",
}
_TYPES = {code: kind for kind, code in TYPE_CODES.items()}

#: Digits of the compact coordinate text (64, none of which needs escaping in JSON, HTML
#: or a URL). A number is zig-zag encoded (small magnitudes, small numbers) and written
#: least significant part first: digits :data:`TERMINAL` and above carry a part of
#: ``64 - TERMINAL`` values and continue the number; a digit below :data:`TERMINAL` is its
#: last part. 48 terminal digits suit the data: most differences between neighbouring
#: vertices fit in one digit (|d| < 24), nearly all others in two (|d| < 384).
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
TERMINAL = 48
_RADIX = len(ALPHABET) - TERMINAL
_DIGIT = {c: i for i, c in enumerate(ALPHABET)}
_ALPHABET_CODES = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)


def _encode_ints(values: Iterable[int]) -> str:
    out: list[str] = []
    for v in values:
        z = 2 * v if v >= 0 else -2 * v - 1  # zig-zag: small magnitudes, small numbers
        while z >= TERMINAL:
            out.append(ALPHABET[TERMINAL + z % _RADIX])
            z //= _RADIX
        out.append(ALPHABET[z])
    return "".join(out)


def _decode_ints(text: str) -> list[int]:
    out: list[int] = []
    z, mul = 0, 1
    for ch in text:
        d = _DIGIT[ch]
        if d >= TERMINAL:
            z += (d - TERMINAL) * mul
            mul *= _RADIX
            continue
        z += d * mul
        out.append(z // 2 if z % 2 == 0 else -(z + 1) // 2)
        z, mul = 0, 1
    return out


def _encode_positions(coords: Iterable[Sequence[float]], decimals: int) -> str:
    scale = 10**decimals
    px = py = 0
    values: list[int] = []
    for c in coords:
        x, y = round(float(c[0]) * scale), round(float(c[1]) * scale)
        values += [x - px, y - py]
        px, py = x, y
    return _encode_ints(values)


def _decode_positions(
    text: str, decimals: int, arcs: Sequence[Sequence[tuple[int, int]]] | None = None
) -> list[list[float]]:
    scale = 10**decimals
    out: list[list[float]] = []
    x = y = 0
    if ARC_MARK in text:  # a ring of a topology: inline positions and shared arcs
        for n, part in enumerate(text.split(ARC_MARK)):
            values = _decode_ints(part)
            if n:  # the part starts with an arc reference
                if arcs is None:
                    raise ValueError("a ring refers to shared arcs, but none were given")
                ref, values = values[0], values[1:]
                arc = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
                for ax, ay in arc[1:] if out else arc:
                    out.append([ax / scale + 0.0, ay / scale + 0.0])
                x, y = arc[-1]
            for i in range(0, len(values) - 1, 2):
                x += values[i]
                y += values[i + 1]
                out.append([x / scale + 0.0, y / scale + 0.0])
        return out
    values = _decode_ints(text)
    for i in range(0, len(values) - 1, 2):
        x += values[i]
        y += values[i + 1]
        out.append([x / scale + 0.0, y / scale + 0.0])
    return out


def encode_geometry(geometry: dict[str, Any], decimals: int) -> list[Any]:
    """Compact, lossless text form of a rounded GeoJSON geometry, for the page.

    Parameters
    ----------
    geometry : dict
        GeoJSON geometry whose coordinates are already rounded to ``decimals``
        (as returned by :func:`display_geometry`).
    decimals : int
        Decimals of the coordinates.

    Returns
    -------
    list
        ``[type, decimals, data]``: ``type`` is the code of the geometry type
        (:data:`TYPE_CODES`); ``data`` is one string for a ``Point``, ``MultiPoint``
        or ``LineString``, a list of strings (one per part or ring) for a
        ``MultiLineString`` or ``Polygon``, a list of such lists for a ``MultiPolygon``,
        and a list of compact geometries for a ``GeometryCollection``.

    Examples
    --------
    >>> encode_geometry({"type": "LineString", "coordinates": [[60.5, 30.0], [60.501, 30.0]]}, 3)
    ['L', 3, '464dw26OCA']
    >>> decode_geometry(_)
    {'type': 'LineString', 'coordinates': [[60.5, 30.0], [60.501, 30.0]]}
    """
    kind = geometry["type"]
    if kind == "GeometryCollection":
        return [TYPE_CODES[kind], 0, [encode_geometry(g, decimals) for g in geometry["geometries"]]]
    c = geometry["coordinates"]
    if kind == "Point":
        data: Any = _encode_positions([c], decimals)
    elif kind in ("MultiPoint", "LineString"):
        data = _encode_positions(c, decimals)
    elif kind in ("MultiLineString", "Polygon"):
        data = [_encode_positions(part, decimals) for part in c]
    elif kind == "MultiPolygon":
        data = [[_encode_positions(ring, decimals) for ring in poly] for poly in c]
    else:
        raise ValueError(f"cannot encode geometry type {kind!r}")
    return [TYPE_CODES[kind], decimals, data]


def decode_geometry(compact: Sequence[Any], topology: Any = None) -> dict[str, Any]:
    """GeoJSON geometry of a compact form made by :func:`encode_geometry` or
    :func:`encode_topology` (then ``topology`` is the topology's arcs, as returned).

    The Python twin of ``decodeGeometry`` in the map's JavaScript (used by the tests).
    """
    code, nd, data = compact
    if code not in _TYPES:
        raise ValueError(f"unknown compact geometry type {code!r}")
    kind = _TYPES[code]
    arcs = decode_arcs(topology) if topology is not None and nd == topology[0] else None

    def dec(text: str) -> list[list[float]]:
        return _decode_positions(text, nd, arcs)

    if kind == "GeometryCollection":
        return {"type": kind, "geometries": [decode_geometry(g, topology) for g in data]}
    if kind == "Point":
        return {"type": kind, "coordinates": dec(data)[0]}
    if kind in ("MultiPoint", "LineString"):
        return {"type": kind, "coordinates": dec(data)}
    if kind in ("MultiLineString", "Polygon"):
        return {"type": kind, "coordinates": [dec(p) for p in data]}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [[dec(r) for r in poly] for poly in data]}
    raise ValueError(f"unknown compact geometry type {kind!r}")


# --------------------------------------------------------------------------- topology

#: Marks an arc reference in a ring of a topology (not a digit of :data:`ALPHABET`).
ARC_MARK = "."
#: Shortest shared run of a border (vertices, both ends included) worth an arc of its own:
#: shorter ones cost more as references than they save.
MIN_ARC_VERTICES = 5


_Y_BITS = 32
_Y_OFFSET = 1 << (_Y_BITS - 1)


def _rings_keys(rings: Sequence[Sequence[Sequence[float]]], scale: int) -> list[list[int]]:
    """Rings as lists of vertex keys: ``x * 2**32 + y + 2**31`` in integer units.

    One int per vertex (ordered as ``(x, y)``) keeps the bookkeeping of large basemaps
    fast: no tuple per vertex for the garbage collector to track. All vertices are
    converted in one array operation (``np.rint`` rounds halves to even, as ``round``
    does; the input is already rounded anyway).
    """
    n = sum(len(r) for r in rings)
    flat = itertools.chain.from_iterable(c[:2] for r in rings for c in r)
    xy = np.rint(np.fromiter(flat, dtype=float, count=2 * n).reshape(n, 2) * scale)
    xy = xy.astype(np.int64)
    if xy.size and int(np.abs(xy[:, 1]).max()) >= _Y_OFFSET:
        raise ValueError("coordinates too large for a topology at these decimals")
    keys = ((xy[:, 0] << _Y_BITS) + (xy[:, 1] + _Y_OFFSET)).tolist()
    out, start = [], 0
    for r in rings:
        out.append(keys[start : start + len(r)])
        start += len(r)
    return out


def _xy(key: int) -> tuple[int, int]:
    return key >> _Y_BITS, (key & ((1 << _Y_BITS) - 1)) - _Y_OFFSET


def encode_topology(
    geometries: Sequence[dict[str, Any]], decimals: int, *, min_arc: int = MIN_ARC_VERTICES
) -> tuple[list[Any], list[list[Any]]]:
    """Compact forms of polygons whose neighbours share borders, each border written once.

    Where rings run along the same vertices (neighbouring countries, exactly), that run is
    written once as a shared *arc* and each ring refers to it (forwards or backwards); the
    rest of a ring stays inline as in :func:`encode_geometry`. Lossless: decoding gives
    exactly the rings given, each from the same first vertex, in the same direction.

    Parameters
    ----------
    geometries : sequence of dict
        ``Polygon``/``MultiPolygon`` GeoJSON geometries rounded to ``decimals`` (closed
        rings, no repeated consecutive vertices, as :func:`display_geometry` returns).
    decimals : int
        Decimals of the coordinates.
    min_arc : int
        Fewest vertices of a shared run that becomes an arc.

    Returns
    -------
    tuple
        ``(topology, compact)``: ``topology`` is ``[decimals, arcs_text]`` (the arcs, one
        string: each arc's positions as differences from the previous position, the first
        from the previous arc's end, arcs separated by :data:`ARC_MARK`); ``compact`` has one
        :func:`encode_geometry`-style form per geometry, whose ring strings may hold
        :data:`ARC_MARK` followed by an arc reference (``i``, or ``~i`` for arc ``i``
        reversed).

    Notes
    -----
    As in TopoJSON, rings are cut at *junctions*: vertices where rings meet with different
    neighbours (and each ring's first vertex, so rings keep their start). Between two
    junctions, rings that share a vertex share the whole run, so identical runs are found by
    their vertices. Deterministic: arcs are numbered in order of first use.
    """
    structure: list[list[int]] = []  # rings per polygon, per geometry
    given: list[Any] = []
    for g in geometries:
        if g["type"] == "Polygon":
            polys = [g["coordinates"]]
        elif g["type"] == "MultiPolygon":
            polys = g["coordinates"]
        else:
            raise ValueError(f"cannot encode geometry type {g['type']!r} as a topology")
        structure.append([len(poly) for poly in polys])
        given += [r for poly in polys for r in poly]
    rings = _rings_keys(given, 10**decimals) if given else []

    junctions: set[int] = set()
    count: Counter[int] = Counter()
    for r in rings:
        if len(r) < 4 or r[0] != r[-1]:
            raise ValueError("rings must be closed and have at least 3 vertices")
        junctions.add(r[0])
        count.update(r[:-1])
    # only a vertex used more than once can be a junction
    neighbours: dict[int, set[tuple[int, int]]] = {}
    for r in rings:
        n = len(r) - 1  # closed: r[0] == r[n]
        seen: set[int] = set()
        for k in [k for k, p in enumerate(r[:-1]) if count[p] > 1]:
            p, a, b = r[k], r[k - 1] if k else r[n - 1], r[k + 1]
            if p in seen:
                junctions.add(p)
            seen.add(p)
            neighbours.setdefault(p, set()).add((a, b) if a <= b else (b, a))
    junctions.update(p for p, pairs in neighbours.items() if len(pairs) > 1)

    def pieces(r: list[int]) -> list[tuple[int, ...]]:
        out, start = [], 0
        for k in [k for k in range(1, len(r) - 1) if r[k] in junctions] + [len(r) - 1]:
            out.append(tuple(r[start : k + 1]))
            start = k
        return out

    cut = [pieces(r) for r in rings]
    uses: dict[tuple[int, ...], int] = {}
    for ring_pieces in cut:
        for piece in ring_pieces:
            key = min(piece, piece[::-1])
            uses[key] = uses.get(key, 0) + 1

    arcs: list[tuple[int, ...]] = []
    index: dict[tuple[int, ...], int] = {}

    def ring_text(ring_pieces: list[tuple[int, ...]]) -> str:
        out: list[str] = []
        values: list[int] = []
        px = py = 0
        started = False
        for piece in ring_pieces:
            if len(piece) >= min_arc and uses[min(piece, piece[::-1])] > 1:
                if piece in index:
                    ref = index[piece]
                elif piece[::-1] in index:
                    ref = ~index[piece[::-1]]
                else:
                    ref = index[piece] = len(arcs)
                    arcs.append(piece)
                out.append(_encode_ints(values) + ARC_MARK)
                values = [ref]
                px, py = _xy(piece[-1])
            else:
                for key in piece[1:] if started else piece:
                    x, y = _xy(key)
                    values += [x - px, y - py]
                    px, py = x, y
            started = True
        out.append(_encode_ints(values))
        return "".join(out)

    texts = iter([ring_text(ring_pieces) for ring_pieces in cut])
    compact: list[list[Any]] = []
    for g, polys in zip(geometries, structure, strict=True):
        data = [[next(texts) for _r in range(n)] for n in polys]
        kind = g["type"]
        compact.append([TYPE_CODES[kind], decimals, data[0] if kind == "Polygon" else data])
    px = py = 0
    arc_texts = []
    for arc in arcs:
        values = []
        for x, y in map(_xy, arc):
            values += [x - px, y - py]
            px, py = x, y
        arc_texts.append(_encode_ints(values))
    return [decimals, ARC_MARK.join(arc_texts)], compact


def decode_arcs(topology: Sequence[Any]) -> list[list[tuple[int, int]]]:
    """The arcs of a topology made by :func:`encode_topology`, in integer units."""
    _nd, text = topology
    arcs: list[list[tuple[int, int]]] = []
    x = y = 0
    for part in text.split(ARC_MARK) if text else []:
        values = _decode_ints(part)
        arc = []
        for i in range(0, len(values) - 1, 2):
            x += values[i]
            y += values[i + 1]
            arc.append((x, y))
        arcs.append(arc)
    return arcs
