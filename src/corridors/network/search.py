"""Shortest paths on a network's routing graph with a documented, stable tie-break.

The search is Dijkstra's on :attr:`corridors.network.graph.Network.routing` with two
differences from :func:`networkx.bidirectional_dijkstra`:

* **Costs are integers**: hours in micro-hours, kilometres in metres (each edge rounded,
  pieces at least 1). Sums are exact, so two routes over the same pieces cost the same
  whatever the order of addition, and "equally fast" means equal.
* **Ties are broken by a stable key**: a path is ranked by ``(cost, piece ids)``, the
  second part being the sequence of piece ids (``"<segment>#<i>"``) along the path,
  compared lexicographically (as strings). Of two equally fast routes, the one whose
  first differing piece id sorts first wins. Nothing depends on the order in which the
  graph was built or on ``PYTHONHASHSEED``. (Because every piece costs at least 1, one
  label can never be a prefix of another at the same vertex, and the order is kept when
  both are extended by the same edge, so settling each vertex once stays exact.)

A search can hide pieces, require passing places in order (``vias``: a layered search,
layer *i* = the first *i* places passed) and multiply the cost of some pieces (the
penalty method of :mod:`corridors.network.alternatives`).
"""

from __future__ import annotations

import heapq
import weakref
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from corridors.network.graph import Network

__all__ = ["COST_SCALE", "Adjacency", "adjacency", "shortest_path"]

#: Integer cost units per weight unit: micro-hours, metres.
COST_SCALE = {"hours": 1_000_000, "km": 1_000}

Vertex = tuple[Any, ...]
#: An out-edge: (target index, cost in hours units, cost in km units, piece rank or -1, data)
Edge = tuple[int, int, int, int, dict[str, Any]]


@dataclass(frozen=True)
class Adjacency:
    """The routing graph as integer-indexed adjacency lists (built once per network).

    Attributes
    ----------
    vertices : list of vertex
    index : dict of vertex to int
    node_of : list of str or None
        Atlas node of a ``(node, class)`` vertex (``None`` for the others).
    out : list of tuple of Edge
        Out-edges per vertex, sorted by (piece rank, target's ``repr``).
    rank : dict of str to int
        Piece id → its position among the sorted piece ids (compares as the ids do).
    pieces : list of str
        Piece ids by rank.
    """

    vertices: list[Vertex]
    index: dict[Vertex, int]
    node_of: list[str | None]
    out: list[tuple[Edge, ...]]
    rank: dict[str, int]
    pieces: list[str]


_ADJ: weakref.WeakKeyDictionary[Network, Adjacency] = weakref.WeakKeyDictionary()


def _cost(x: float, scale: int, piece: bool) -> int:
    c = round(float(x) * scale)
    return max(c, 1) if piece else max(c, 0)


def adjacency(net: Network) -> Adjacency:
    """The :class:`Adjacency` of ``net`` (cached)."""
    adj = _ADJ.get(net)
    if adj is not None:
        return adj
    h = net.routing
    vertices = sorted(h.nodes, key=repr)
    index = {v: i for i, v in enumerate(vertices)}
    pieces = sorted(net.pieces)
    rank = {p: i for i, p in enumerate(pieces)}
    node_of: list[str | None] = [
        v[0] if v[0] not in ("o", "d", "m") and isinstance(v[0], str) else None for v in vertices
    ]
    sh, sk = COST_SCALE["hours"], COST_SCALE["km"]
    out: list[tuple[Edge, ...]] = []
    for v in vertices:
        edges: list[Edge] = []
        for t, data in h[v].items():
            is_piece = data.get("kind") == "piece"
            r = rank[str(data["piece"])] if is_piece else -1
            wh = _cost(data["hours"], sh, is_piece)
            wk = _cost(data["km"], sk, is_piece)
            edges.append((index[t], wh, wk, r, data))
        edges.sort(key=lambda e: (e[3], repr(vertices[e[0]])))
        out.append(tuple(edges))
    adj = Adjacency(vertices, index, node_of, out, rank, pieces)
    _ADJ[net] = adj
    return adj


def shortest_path(
    net: Network,
    src: Vertex,
    dst: Vertex,
    *,
    weight: str = "hours",
    hidden: Callable[[dict[str, Any]], bool] | None = None,
    hide_pieces: Collection[str] = (),
    vias: Sequence[str] = (),
    factors: Mapping[str, float] | None = None,
) -> list[Vertex] | None:
    """The least ``(cost, piece ids)`` path from ``src`` to ``dst`` (see module docstring).

    Parameters
    ----------
    net : Network
    src, dst : vertex
        Routing-graph vertices, e.g. ``("o", "gwadar_port")`` and ``("d", "baku")``.
    weight : {"hours", "km"}
    hidden : callable, optional
        ``hidden(edge_data) -> bool`` hides edges.
    hide_pieces : collection of str
        Piece ids not to use.
    vias : sequence of str
        Node ids to pass, in this order.
    factors : mapping of str to float, optional
        Piece id → cost multiplier (penalties).

    Returns
    -------
    list of vertex or None
        The vertices of the path (consecutive duplicates removed), ``None`` if there is none.
    """
    adj = adjacency(net)
    if src not in adj.index or dst not in adj.index:
        return None
    n = len(adj.vertices)
    layers = len(vias)
    out, node_of = adj.out, adj.node_of
    use_km = weight == "km"
    hide = {adj.rank[p] for p in hide_pieces if p in adj.rank}
    over: dict[int, float] = {}
    if factors:
        over = {adj.rank[p]: f for p, f in factors.items() if p in adj.rank}
    start = adj.index[src]
    goal = layers * n + adj.index[dst]
    best: dict[int, tuple[int, tuple[int, ...]]] = {start: (0, ())}
    pred: dict[int, int] = {}
    heap: list[tuple[int, tuple[int, ...], int, int, int]] = [(0, (), 0, start, -1)]
    counter = 0
    push, pop = heapq.heappush, heapq.heappop
    while heap:
        c, seq, _, s, p = pop(heap)
        if s in pred:
            continue
        pred[s] = p
        if s == goal:
            break
        layer, vi = divmod(s, n)
        if layer < layers and node_of[vi] == vias[layer]:
            s2 = s + n
            if s2 not in pred:
                old = best.get(s2)
                if old is None or (c, seq) < old:
                    best[s2] = (c, seq)
                    counter += 1
                    push(heap, (c, seq, counter, s2, s))
        base = layer * n
        for t, wh, wk, r, data in out[vi]:
            s2 = base + t
            if s2 in pred:
                continue
            if r >= 0:
                if r in hide:
                    continue
                w = wk if use_km else wh
                if r in over:
                    w = max(1, round(w * over[r]))
                seq2 = (*seq, r)
            else:
                w = wk if use_km else wh
                seq2 = seq
            if hidden is not None and hidden(data):
                continue
            c2 = c + w
            old = best.get(s2)
            if old is None or (c2, seq2) < old:
                best[s2] = (c2, seq2)
                counter += 1
                push(heap, (c2, seq2, counter, s2, s))
    if goal not in pred:
        return None
    states = [goal]
    while pred[states[-1]] != -1:
        states.append(pred[states[-1]])
    path: list[Vertex] = []
    for s in reversed(states):
        v = adj.vertices[s % n]
        if not path or path[-1] != v:
            path.append(v)
    return path
