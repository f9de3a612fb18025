"""Synthetic atlases for scale benchmarks and tests: seeded, deterministic, documented.

:func:`synthetic_atlas` ``(scale)`` makes an atlas with about ``scale`` times the nodes and
pieces of the bundled full-vision network (:data:`BASE_NODES` nodes,
:data:`BASE_PIECES` pieces), so that routing and the criticality sweep can be timed as
the network grows. It is not geography; it is a connected, road-map-like graph:

* nodes on a jittered grid over lon 25–95°, lat 10–55° (``rows x cols ≈ nodes``, jitter
  ±0.3 cell), ids ``s00000``…, all ``city`` nodes;
* countries: 10° x 9° cells of that box, coded ``X`` + two letters (``XAA``…), so that
  pieces between cells cross a land border (and pay its dwell);
* segments: every east-west neighbour pair, and north-south pairs with probability 0.4
  (at least one per pair of rows, so the graph is connected) — about 1.4 pieces per node,
  as in the bundled network; each segment is one straight piece with a published length
  of 1.2 x its geodesic length;
* modes: rail 55 % (gauge 1435 mm west of lon 60°, 1520 mm east: breaks of gauge), road
  35 %, ferry 10 % (each ferry its own vessel, so transshipments); all ``operational``;
* hubs: 13 nodes drawn with the same generator.

Everything comes from one ``random.Random(seed)``, so the same ``(scale, seed)`` gives the
same atlas in every process, whatever ``PYTHONHASHSEED``.

Examples
--------
>>> a = synthetic_atlas(1.0)
>>> len(a.nodes), len(a.segments) > len(a.nodes), len(a.hubs)
(105, True, 13)
"""

from __future__ import annotations

import math
import random

from corridors.geo.geodesy import line_length_km
from corridors.model import Atlas, Node, Segment

__all__ = ["BASE_NODES", "BASE_PIECES", "SEED", "synthetic_atlas", "synthetic_pairs"]

#: Nodes and pieces of the bundled full-vision network (``build_network(load_atlas())``).
BASE_NODES = 105
BASE_PIECES = 144
#: Default seed.
SEED = 20261202
LON0, LON1, LAT0, LAT1 = 25.0, 95.0, 10.0, 55.0
#: Probability of a north-south link between grid neighbours.
P_VERTICAL = 0.4
N_HUBS = 13


def _country(lon: float, lat: float) -> str:
    i = min(int((lon - LON0) // 10.0), 25)
    j = min(int((lat - LAT0) // 9.0), 25)
    return "X" + chr(ord("A") + i) + chr(ord("A") + j)


def synthetic_atlas(scale: float = 1.0, *, seed: int = SEED) -> Atlas:
    """An atlas about ``scale`` x the bundled network (see module docstring).

    Parameters
    ----------
    scale : float
        ``1`` ≈ the bundled network, ``10``, ``100``…
    seed : int

    Returns
    -------
    Atlas
        No borders file (``countries`` is ``None``), no corridors or platforms.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    rng = random.Random(seed)
    n = max(4, round(BASE_NODES * scale))
    rows = max(2, round(math.sqrt(n * (LAT1 - LAT0) / (LON1 - LON0))))
    cols = max(2, math.ceil(n / rows))
    dx, dy = (LON1 - LON0) / cols, (LAT1 - LAT0) / rows
    nodes: dict[str, Node] = {}
    grid: dict[tuple[int, int], str] = {}
    for k in range(n):
        r, c = divmod(k, cols)
        lon = LON0 + (c + 0.5 + rng.uniform(-0.3, 0.3)) * dx
        lat = LAT0 + (r + 0.5 + rng.uniform(-0.3, 0.3)) * dy
        nid = f"s{k:05d}"
        nodes[nid] = Node(
            id=nid,
            name=f"Synthetic {k}",
            country=_country(lon, lat),
            lon=round(lon, 5),
            lat=round(lat, 5),
            kind="city",
        )
        grid[(r, c)] = nid
    links: list[tuple[str, str]] = []
    for (r, c), a in grid.items():
        if (r, c + 1) in grid:
            links.append((a, grid[(r, c + 1)]))
    for r in range(rows - 1):
        below = [c for c in range(cols) if (r, c) in grid and (r + 1, c) in grid]
        if not below:
            continue
        forced = rng.choice(below)
        for c in below:
            if c == forced or rng.random() < P_VERTICAL:
                links.append((grid[(r, c)], grid[(r + 1, c)]))
    segments: dict[str, Segment] = {}
    for i, (a, b) in enumerate(links):
        u, v = nodes[a], nodes[b]
        coords = ((u.lon, u.lat), (v.lon, v.lat))
        x = rng.random()
        mode = "rail" if x < 0.55 else "road" if x < 0.9 else "ferry"
        gauge = ((1435,) if (u.lon + v.lon) / 2 < 60.0 else (1520,)) if mode == "rail" else ()
        sid = f"syn-{i:05d}"
        segments[sid] = Segment(
            id=sid,
            name=f"Synthetic {mode} {a}-{b}",
            from_node=a,
            to_node=b,
            mode=mode,
            status="operational",
            precision="schematic",
            coords=coords,
            published_length_km=round(1.2 * line_length_km(coords), 3),
            gauge_mm=gauge,
        )
    hubs = tuple(sorted(rng.sample(sorted(nodes), min(N_HUBS, len(nodes)))))
    return Atlas(nodes=nodes, segments=segments, root=f"<synthetic x{scale:g}>", hubs=hubs)


def synthetic_pairs(atlas: Atlas, n: int, *, seed: int = SEED) -> list[tuple[str, str]]:
    """``n`` distinct origin-destination pairs of ``atlas``'s nodes, seeded."""
    rng = random.Random(seed + 1)
    ids = sorted(atlas.nodes)
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    while len(out) < n:
        a, b = rng.sample(ids, 2)
        if (a, b) not in seen:
            seen.add((a, b))
            out.append((a, b))
    return out
