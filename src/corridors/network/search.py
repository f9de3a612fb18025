"""Shortest paths on a network's routing graph with a documented, stable tie-break.

The search is Dijkstra's on :attr:`corridors.network.graph.Network.routing` with two
differences from :func:`networkx.bidirectional_dijkstra`:

* **Costs are integers**: hours in micro-hours, kilometres in metres (each edge rounded;
  a piece costs at least 1). Sums are exact, so two routes over the same pieces cost the
  same whatever the order of addition, and "equally fast" means equal.
* **Ties are broken by a stable key**: a path is ranked by ``(cost, steps)``, ``steps``
  being the sequence of its costed steps compared lexicographically: each piece by its
  scenario status (operational, under construction, planned, proposed, then the rest)
  and then its id (``"<segment>#<i>"``, as strings sort); each transfer, transshipment or
  break of gauge (when it costs something) after every piece, by ``(node, from class, to
  class)``. Of two equally fast routes, the one whose first differing piece is more built,
  or else has the id that sorts first, wins (an operational sea lane beats an illustrative
  one drawn on the same searoute). Nothing depends on the order in which the graph was
  built or on ``PYTHONHASHSEED``.

  Why settling each vertex once stays exact: every labelled step costs at least 1 and
  unlabelled steps cost 0, so two labels of equal cost at one vertex cannot be a proper
  prefix of one another; the order of two labels is therefore kept when both are extended
  by the same edge.

A search can hide pieces, require passing places in order (``vias``: a layered search,
layer *i* = the first *i* places passed), multiply the cost of some pieces (the penalty
method of :mod:`corridors.network.alternatives`) and be guided (A*) by the exact costs to
the destination on the whole network (:func:`costs_to`): hiding edges or raising costs
only makes paths dearer, so those costs are a consistent lower bound, and ranking labels
by ``cost + bound`` keeps the same ``(cost, steps)`` order at every vertex.
"""

from __future__ import annotations

import heapq
import weakref
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from corridors.network.graph import Network
from corridors.vocab import STATUS_RANK

__all__ = ["COST_SCALE", "Adjacency", "adjacency", "costs_to", "shortest_path"]

#: Integer cost units per weight unit: micro-hours, metres; micro-US$ per t, mg CO2e per t
#: and micro-US$ per t for the expected costs of :mod:`corridors.network.weights`.
COST_SCALE = {"hours": 1_000_000, "km": 1_000, "usd": 1_000_000, "co2": 1_000_000,
              "generalized": 1_000_000}  # fmt: skip
#: Destinations whose :func:`costs_to` are kept per network and weight.
GUIDE_CACHE = 64

Vertex = tuple[Any, ...]
#: An out-edge: (target, hours cost, km cost, piece rank or -1, step rank or -1, data).
Edge = tuple[int, int, int, int, int, dict[str, Any]]


@dataclass
class Adjacency:
    """The routing graph as integer-indexed adjacency lists (built once per network).

    Attributes
    ----------
    vertices : list of vertex
        Sorted by ``repr``.
    index : dict of vertex to int
    node_of : list of str or None
        Atlas node of a ``(node, class)`` vertex (``None`` for the others).
    out : list of tuple of Edge
        Out-edges per vertex, sorted by (step rank, target).
    rank : dict of str to int
        Piece id → its position among the pieces sorted by (status, id); transfers rank
        after every piece.
    """

    vertices: list[Vertex]
    index: dict[Vertex, int]
    node_of: list[str | None]
    out: list[tuple[Edge, ...]]
    rank: dict[str, int]
    guides: dict[str, OrderedDict[int, list[int]]] = field(default_factory=dict)
    reverse: dict[str, list[list[tuple[int, int]]]] = field(default_factory=dict)
    weights: dict[str, list[tuple[int, ...]]] = field(default_factory=dict)


def _weights(net: Network, adj: Adjacency, weight: str) -> list[tuple[int, ...]] | None:
    """Integer costs of ``weight`` aligned with ``adj.out`` (``None`` for hours and km, which
    the edges carry); built once per network from :func:`corridors.network.weights.edge_cost`."""
    if weight in ("hours", "km"):
        return None
    got = adj.weights.get(weight)
    if got is None:
        from corridors.network.weights import edge_cost

        fn, scale = edge_cost(net, weight), COST_SCALE[weight]
        got = []
        for vi, edges in enumerate(adj.out):
            u = adj.vertices[vi]
            got.append(
                tuple(
                    max(1 if pr >= 0 else 0, round(fn(u, adj.vertices[t], data) * scale))
                    for t, _, _, pr, _, data in edges
                )
            )
        adj.weights[weight] = got
    return got


_ADJ: weakref.WeakKeyDictionary[Network, Adjacency] = weakref.WeakKeyDictionary()


def _piece_key(net: Network, pid: str) -> tuple[int, str]:
    r = STATUS_RANK.get(net.pieces[pid].status)
    return (len(STATUS_RANK) if r is None else r, pid)


def adjacency(net: Network) -> Adjacency:
    """The :class:`Adjacency` of ``net`` (cached)."""
    adj = _ADJ.get(net)
    if adj is not None:
        return adj
    succ = dict(net.routing.adjacency())
    vertices = sorted(succ, key=repr)
    index = {v: i for i, v in enumerate(vertices)}
    rank = {p: i for i, p in enumerate(sorted(net.pieces, key=lambda p: _piece_key(net, p)))}
    stops = sorted(
        (repr((v[0], v[1], t[1])), v, t)
        for v, nbrs in succ.items()
        for t, data in nbrs.items()
        if data.get("kind") in ("transfer", "transshipment", "gauge_break")
    )
    stop_rank = {(v, t): len(rank) + i for i, (_, v, t) in enumerate(stops)}
    node_of: list[str | None] = [
        v[0] if v[0] not in ("o", "d", "m") and isinstance(v[0], str) else None for v in vertices
    ]
    sh, sk = COST_SCALE["hours"], COST_SCALE["km"]
    out: list[tuple[Edge, ...]] = []
    for v in vertices:
        edges: list[Edge] = []
        for t, data in succ[v].items():
            if data.get("kind") == "piece":
                pr = sr = rank[str(data["piece"])]
                wh = max(1, round(data["hours"] * sh))
                wk = max(1, round(data["km"] * sk))
            else:
                pr, sr = -1, stop_rank.get((v, t), -1)
                wh = max(0, round(data["hours"] * sh))
                wk = max(0, round(data["km"] * sk))
            edges.append((index[t], wh, wk, pr, sr, data))
        edges.sort(key=lambda e: (e[4], e[0]))
        out.append(tuple(edges))
    adj = Adjacency(vertices, index, node_of, out, rank)
    _ADJ[net] = adj
    return adj


def costs_to(net: Network, dst: Vertex, weight: str = "hours") -> list[int]:
    """Least integer cost from every vertex to ``dst`` on the whole network (``-1``:
    cannot reach it); cached for the last :data:`GUIDE_CACHE` destinations."""
    adj = adjacency(net)
    cache = adj.guides.setdefault(weight, OrderedDict())
    t = adj.index[dst]
    if t in cache:
        cache.move_to_end(t)
        return cache[t]
    n = len(adj.vertices)
    rev = adj.reverse.get(weight)
    if rev is None:
        ws = _weights(net, adj, weight)
        rev = [[] for _ in range(n)]
        for u, edges in enumerate(adj.out):
            for j, (x, wh, wk, *_) in enumerate(edges):
                rev[x].append((u, ws[u][j] if ws is not None else wk if weight == "km" else wh))
        adj.reverse[weight] = rev
    dist = [-1] * n
    heap = [(0, t)]
    seen = [False] * n
    while heap:
        c, v = heapq.heappop(heap)
        if seen[v]:
            continue
        seen[v] = True
        dist[v] = c
        for u, w in rev[v]:
            if not seen[u]:
                heapq.heappush(heap, (c + w, u))
    cache[t] = dist
    while len(cache) > GUIDE_CACHE:
        cache.popitem(last=False)
    return dist


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
    guide: bool = False,
) -> list[Vertex] | None:
    """The least ``(cost, steps)`` path from ``src`` to ``dst`` (see module docstring).

    Parameters
    ----------
    net : Network
    src, dst : vertex
        Routing-graph vertices, e.g. ``("o", "gwadar_port")`` and ``("d", "baku")``.
    weight : {"hours", "km", "usd", "co2", "generalized"}
        The last three: expected costs (:mod:`corridors.network.weights`).
    hidden : callable, optional
        ``hidden(edge_data) -> bool`` hides edges.
    hide_pieces : collection of str
        Piece ids not to use.
    vias : sequence of str
        Node ids to pass, in this order.
    factors : mapping of str to float, optional
        Piece id → cost multiplier, at least 1 (penalties).
    guide : bool
        Guide the search by :func:`costs_to` ``dst`` (worth it when many searches share
        a destination: criticality sweeps, alternatives). Same result.

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
    ws = _weights(net, adj, weight)
    hide = {adj.rank[p] for p in hide_pieces if p in adj.rank}
    over: dict[int, float] = {}
    if factors:
        over = {adj.rank[p]: f for p, f in factors.items() if p in adj.rank and f != 1}
    bound = costs_to(net, dst, weight) if guide else None
    start = adj.index[src]
    if bound is not None and bound[start] < 0:
        return None
    goal = layers * n + adj.index[dst]
    # phase 1: exact integer costs (A* when guided), keeping every tight in-edge
    cost: dict[int, int] = {start: 0}
    tight: dict[int, list[tuple[int, int]]] = {start: []}
    done: set[int] = set()
    heap: list[tuple[int, int, int]] = [(0, 0, start)]
    counter = 0
    goal_f = -1
    push, pop = heapq.heappush, heapq.heappop
    while heap:
        f, _, s = pop(heap)
        if s in done:
            continue
        if goal_f >= 0 and f > goal_f:
            break
        done.add(s)
        if s == goal:
            goal_f = f
            continue
        c = cost[s]
        layer, vi = divmod(s, n)
        if layer < layers and node_of[vi] == vias[layer]:
            s2 = s + n
            old = cost.get(s2)
            if old is None or c < old:
                cost[s2] = c
                tight[s2] = [(s, -1)]
                counter += 1
                push(heap, (f, counter, s2))
            elif c == old:
                tight[s2].append((s, -1))
        base = layer * n
        wv = ws[vi] if ws is not None else None
        for j, (t, wh, wk, pr, sr, data) in enumerate(out[vi]):
            w = wv[j] if wv is not None else wk if use_km else wh
            if pr >= 0:
                if pr in hide:
                    continue
                if pr in over:
                    w = max(1, round(w * over[pr]))
            if hidden is not None and hidden(data):
                continue
            s2 = base + t
            c2 = c + w
            old = cost.get(s2)
            lab = sr if w > 0 else -1
            if old is None or c2 < old:
                if bound is None:
                    f2 = c2
                else:
                    b = bound[t]
                    if b < 0:
                        continue
                    f2 = c2 + b
                cost[s2] = c2
                tight[s2] = [(s, lab)]
                counter += 1
                push(heap, (f2, counter, s2))
            elif c2 == old:
                tight[s2].append((s, lab))
    if goal not in done:
        return None
    # phase 2: the least step sequence among the least-cost paths (tight in-edges only)
    children: dict[int, list[tuple[int, int]]] = {}
    stack, seen = [goal], {goal}
    while stack:
        x = stack.pop()
        for u, lab in tight[x]:
            children.setdefault(u, []).append((lab, x))
            if u not in seen:
                seen.add(u)
                stack.append(u)
    par: dict[int, int] = {start: -1}
    frontier = [start]
    while True:
        zone = list(frontier)
        k = 0
        while k < len(zone):
            u = zone[k]
            k += 1
            for lab, x in sorted(children.get(u, ())):
                if lab < 0 and x not in par:
                    par[x] = u
                    zone.append(x)
        if goal in par:
            break
        m = min(lab for u in zone for lab, _ in children.get(u, ()) if lab >= 0)
        frontier = []
        for u in zone:
            for lab, x in sorted(children.get(u, ())):
                if lab == m and x not in par:
                    par[x] = u
                    frontier.append(x)
    states = [goal]
    while par[states[-1]] != -1:
        states.append(par[states[-1]])
    path: list[Vertex] = []
    for st in reversed(states):
        v = adj.vertices[st % n]
        if not path or path[-1] != v:
            path.append(v)
    return path
