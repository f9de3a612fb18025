"""The page's compact, lossless geometry text: one vectorised encoder, one decoder twin.

Each line or ring is one string of zig-zag, variable-length integers in 64 digits
(:data:`ALPHABET`, :data:`TERMINAL`): the first position in units of ``10**-decimals``
degrees, the others as differences from the previous one. The map's JavaScript
(``decodeGeometry`` in ``assets/js/decode.js``) and :func:`decode_geometry` turn it back
into exactly the rounded GeoJSON coordinates; the tests check both directions (a Python
round trip here, the browser's decode in Chromium).

Polygons that share borders can be written as one topology (:func:`encode_topology`):
a run of vertices that several rings share exactly is written once, as an arc.

All integers are written by one encoder, :func:`encode_ints` (numpy, vectorised);
:func:`encode_parts` cuts its text into the strings of consecutive lines or rings.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "ALPHABET",
    "ARC_MARK",
    "MIN_ARC_VERTICES",
    "TERMINAL",
    "TYPE_CODES",
    "decode_arcs",
    "decode_geometry",
    "decode_ints",
    "encode_geometry",
    "encode_ints",
    "encode_parts",
    "encode_topology",
]

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
_DIGIT = {c: i for i, c in enumerate(ALPHABET)}


def _digits(values: np.ndarray) -> tuple[str, np.ndarray]:
    """Text of the integers ``values`` and the number of digits of each."""
    values = np.asarray(values, dtype=np.int64).reshape(-1)
    if values.size == 0:
        return "", np.zeros(0, dtype=np.int64)
    radix = len(ALPHABET) - TERMINAL
    zz = np.where(values >= 0, 2 * values, -2 * values - 1)  # zig-zag
    # continuation digits of each number: how often it is divided until below TERMINAL
    more_digits = np.zeros(len(zz), dtype=np.int64)
    rest = zz.copy()
    while (big := rest >= TERMINAL).any():
        more_digits += big
        rest = np.where(big, rest // radix, rest)
    col = np.arange(int(more_digits.max()) + 1)
    parts = zz[:, None] // (radix**col)[None, :]
    continued = col[None, :] < more_digits[:, None]
    digits = np.where(continued, TERMINAL + parts % radix, parts)
    used = col[None, :] <= more_digits[:, None]
    codes = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
    return codes[digits[used]].tobytes().decode("ascii"), more_digits + 1


def encode_ints(values: Sequence[int] | np.ndarray) -> str:
    """The compact text of a sequence of integers.

    Examples
    --------
    >>> encode_ints([0, 1, -1, 23, -24, 24])
    'ACBuvwD'
    >>> decode_ints(_)
    [0, 1, -1, 23, -24, 24]
    """
    return _digits(np.asarray(values, dtype=np.int64))[0]


def encode_parts(ints: np.ndarray, starts: np.ndarray) -> list[str]:
    """Compact text of consecutive parts of an ``(n, 2)`` array of integer positions.

    ``starts`` are the first rows of the parts (ascending, first 0); in each part the
    first position is written whole and the others as differences from the previous one.
    """
    if len(ints) == 0:
        return []
    ints = np.asarray(ints, dtype=np.int64)
    starts = np.asarray(starts, dtype=np.int64)
    deltas = np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    deltas[starts] = ints[starts]
    text, ndig = _digits(deltas.reshape(-1))
    # character offset of each part: digits of all values before its first value
    ends = np.concatenate(([0], np.cumsum(ndig)))
    bounds = ends[np.concatenate((starts * 2, [2 * len(ints)]))].tolist()
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def decode_ints(text: str) -> list[int]:
    """The integers of a compact text (inverse of :func:`encode_ints`)."""
    radix = len(ALPHABET) - TERMINAL
    out: list[int] = []
    z, mul = 0, 1
    for ch in text:
        d = _DIGIT[ch]
        if d >= TERMINAL:
            z += (d - TERMINAL) * mul
            mul *= radix
            continue
        z += d * mul
        out.append(z // 2 if z % 2 == 0 else -(z + 1) // 2)
        z, mul = 0, 1
    return out


def _decode_positions(
    text: str, decimals: int, arcs: Sequence[Sequence[tuple[int, int]]] | None = None
) -> list[list[float]]:
    scale = 10**decimals
    out: list[list[float]] = []
    x = y = 0
    if ARC_MARK in text:  # a ring of a topology: inline positions and shared arcs
        for n, part in enumerate(text.split(ARC_MARK)):
            values = decode_ints(part)
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
    values = decode_ints(text)
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
        (as :func:`corridors.render.geometry.display_geometry` returns it).
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
        parts: list[Any] = [[c]]
    elif kind in ("MultiPoint", "LineString"):
        parts = [c]
    elif kind in ("MultiLineString", "Polygon"):
        parts = list(c)
    elif kind == "MultiPolygon":
        parts = [ring for poly in c for ring in poly]
    else:
        raise ValueError(f"cannot encode geometry type {kind!r}")
    texts = iter(_encode_rounded(parts, decimals))
    if kind in ("Point", "MultiPoint", "LineString"):
        data: Any = next(texts, "")
    elif kind in ("MultiLineString", "Polygon"):
        data = [next(texts) for _p in c]
    else:
        data = [[next(texts) for _r in poly] for poly in c]
    return [TYPE_CODES[kind], decimals, data]


def _encode_rounded(parts: Sequence[Sequence[Sequence[float]]], decimals: int) -> list[str]:
    """:func:`encode_parts` of lines of rounded ``[lon, lat]`` positions."""
    sizes = [len(p) for p in parts]
    if not any(sizes):
        return ["" for _p in parts]
    xy = np.array([pos[:2] for p in parts for pos in p], dtype=float).reshape(-1, 2)
    ints = np.rint(xy * 10**decimals).astype(np.int64)
    starts = np.cumsum([0, *sizes[:-1]]).astype(np.int64)
    texts = iter(encode_parts(ints, starts[np.asarray(sizes) > 0]))
    return [next(texts) if n else "" for n in sizes]


def decode_geometry(compact: Sequence[Any], topology: Any = None) -> dict[str, Any]:
    """GeoJSON geometry of a compact form made by :func:`encode_geometry` or
    :func:`encode_topology` (then ``topology`` is the topology's arcs, as returned).

    The Python twin of ``decodeGeometry`` in the map's JavaScript (the tests' round trip).
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
                out.append(encode_ints(values) + ARC_MARK)
                values = [ref]
                px, py = _xy(piece[-1])
            else:
                for key in piece[1:] if started else piece:
                    x, y = _xy(key)
                    values += [x - px, y - py]
                    px, py = x, y
            started = True
        out.append(encode_ints(values))
        return "".join(out)

    texts = iter([ring_text(ring_pieces) for ring_pieces in cut])
    compact: list[list[Any]] = []
    for g, polys in zip(geometries, structure, strict=True):
        data = [[next(texts) for _r in range(n)] for n in polys]
        kind = g["type"]
        compact.append([TYPE_CODES[kind], decimals, data[0] if kind == "Polygon" else data])
    # all arcs in one call of the encoder: differences run on across arcs
    xy = np.array([_xy(key) for arc in arcs for key in arc], dtype=np.int64).reshape(-1, 2)
    sizes = [len(arc) for arc in arcs]
    deltas = np.diff(xy, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    text, ndig = _digits(deltas.reshape(-1))
    ends = np.concatenate(([0], np.cumsum(ndig)))[2 * np.cumsum([0, *sizes])].tolist()
    arc_texts = [text[a:b] for a, b in itertools.pairwise(ends)]
    return [decimals, ARC_MARK.join(arc_texts)], compact


def decode_arcs(topology: Sequence[Any]) -> list[list[tuple[int, int]]]:
    """The arcs of a topology made by :func:`encode_topology`, in integer units."""
    _nd, text = topology
    arcs: list[list[tuple[int, int]]] = []
    x = y = 0
    for part in text.split(ARC_MARK) if text else []:
        values = decode_ints(part)
        arc = []
        for i in range(0, len(values) - 1, 2):
            x += values[i]
            y += values[i + 1]
            arc.append((x, y))
        arcs.append(arc)
    return arcs
