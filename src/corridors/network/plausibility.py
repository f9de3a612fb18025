"""Is a route plausible? Circuity, what it depends on, and the links that seem missing.

A route's *circuity* is its length over the great-circle (geodesic) distance between its
origin and destination nodes. Above the scenario's ``circuity_warn`` (default
:data:`~corridors.scenario.costs.DEFAULT_CIRCUITY_WARN`) the route is implausible, and
:func:`diagnose` says why, looking at the scenario's *open* network (pieces not closed):

* ``slower-shorter`` — a shorter open path exists, and it is plausible: the fastest route
  takes a detour because it is quicker under the scenario's speeds and penalties;
* ``excluded-link`` — the shortest path on the network with the segments the scenario
  leaves out (by status, mode or selection) or closes put back would be plausible: those
  segments are named with the reason they are out;
* ``missing-link`` — pairs of places ``x`` (reachable from the origin) and ``y`` (from
  which the destination is reachable) within ``gap_km`` of each other, inside the ellipse
  of plausible detours around the origin-destination great circle, that a straight link
  would bring closest to a plausible length, while the network itself does not connect
  them within ``circuity_warn`` times their distance. At most ``limit`` are named, best
  first (ties broken by distance, then by the atlas' node order), each place at most once.
  When none is that close, the origin-destination pair itself is named if it is within
  twice ``gap_km``; when there is no route at all, the closest pair of the two parts.

Every answer is deterministic: candidates are ordered by numbers rounded to metres, then
by the atlas' node order.

Examples
--------
>>> from corridors.network.routing import route
>>> r = route(None, "full-vision", "Gwadar", "Baku")
>>> 1.0 < r.circuity < r.circuity_warn
True
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx
import numpy as np

from corridors.geo.geodesy import GEOD
from corridors.network.graph import Network, effective_length, static_pieces
from corridors.network.route import Route, RouteWarning
from corridors.scenario.costs import DEFAULT_GAP_KM
from corridors.vocab import CHOKEPOINT_KIND

__all__ = [
    "FREIGHT_MODES",
    "annotate",
    "circuitous_warning",
    "diagnose",
    "explain_route",
    "geodesic_km",
]

#: Modes of the links :func:`diagnose` may propose to put back (pipelines and power lines
#: carry no freight; other modes only when the scenario routes them).
FREIGHT_MODES = frozenset({"rail", "road", "sea", "ferry"})
#: Two candidate links whose ends are both within this share of ``gap_km`` of an already
#: named link's ends are the same gap; only the first is named.
_SAME_GAP_SHARE = 0.25


def geodesic_km(net: Network, a: str, b: str) -> float:
    """Geodesic distance between nodes ``a`` and ``b`` of ``net``'s atlas, km."""
    na, nb = net.atlas.nodes[a], net.atlas.nodes[b]
    _, _, d = GEOD.inv(na.lon, na.lat, nb.lon, nb.lat)
    return float(d) / 1000.0


def circuitous_warning(r: Route) -> RouteWarning | None:
    """The ``circuitous`` warning of ``r`` when its circuity exceeds its threshold."""
    c = r.circuity
    if c is None or r.circuity_warn is None or c <= r.circuity_warn:
        return None
    geo = r.geodesic_km or 0.0
    return RouteWarning(
        "circuitous",
        f"route {r.origin_name} → {r.destination_name} is {r.length_km:,.0f} km for "
        f"{geo:,.0f} km great circle: circuity {c:.2f} > {r.circuity_warn:g}; the network "
        "probably lacks a link",
        (r.origin, r.destination),
    )


def annotate(net: Network, r: Route) -> Route:
    """``r`` with its great-circle distance, threshold, segment statuses and, when it is
    implausible, the ``circuitous`` warning (cheap: no search)."""
    status = net.resolved.status
    seg_status = tuple((s, status.get(s, net.atlas.segments[s].status)) for s in r.segments)
    out = replace(
        r,
        geodesic_km=geodesic_km(net, r.origin, r.destination),
        circuity_warn=net.scenario.circuity_warn,
        segment_status=seg_status,
    )
    w = circuitous_warning(out)
    if w is not None and all(x.code != "circuitous" for x in out.warnings):
        out = replace(out, warnings=(w, *out.warnings))
    return out


def explain_route(net: Network, r: Route, *, gap_km: float = DEFAULT_GAP_KM) -> Route:
    """``r`` (annotated) plus the warnings of :func:`diagnose` when it is implausible."""
    if r.geodesic_km is None or r.circuity_warn is None:
        r = annotate(net, r)
    if r.plausible:
        return r
    extra = diagnose(net, r.origin, r.destination, route_km=r.length_km, gap_km=gap_km)
    known = {(w.code, w.message) for w in r.warnings}
    return replace(
        r, warnings=r.warnings + tuple(w for w in extra if (w.code, w.message) not in known)
    )


# --------------------------------------------------------------------------- graphs
@dataclass(frozen=True)
class _Graphs:
    """Per-network search data: the open km graph and the graph with everything put back."""

    open_km: nx.Graph[str]
    full_km: nx.Graph[str]
    order: dict[str, int]


_GRAPHS: weakref.WeakKeyDictionary[Network, _Graphs] = weakref.WeakKeyDictionary()


def _add(g: nx.Graph[str], u: str, v: str, km: float, tag: tuple[str, str] | None) -> None:
    """Keep the shortest edge between ``u`` and ``v`` (an open one on a tie)."""
    if u == v:
        return
    if g.has_edge(u, v):
        cur = g[u][v]
        if (km, tag is not None) >= (cur["km"], cur["tag"] is not None):
            return
    g.add_edge(u, v, km=km, tag=tag)


def _graphs(net: Network) -> _Graphs:
    hit = _GRAPHS.get(net)
    if hit is not None:
        return hit
    open_km: nx.Graph[str] = nx.Graph()
    full_km: nx.Graph[str] = nx.Graph()
    for pid, p in net.pieces.items():
        if pid in net.closed:
            _add(
                full_km, p.u, p.v, p.length_km, (p.segment, "closed: " + ", ".join(net.closed[pid]))
            )
        else:
            _add(open_km, p.u, p.v, p.length_km, None)
            _add(full_km, p.u, p.v, p.length_km, None)
    modes = FREIGHT_MODES | set(net.scenario.modes)
    atlas, r = net.atlas, net.resolved
    for sid, why in net.resolved.excluded.items():
        seg = atlas.segments[sid]
        if seg.mode not in modes:
            continue
        statics = static_pieces(atlas, seg, base=net.base_atlas)
        eff_km, _ = effective_length(net.base_atlas, atlas, seg)
        total = sum(sp.geodesic_km for sp in statics) or 1.0
        for sp in statics:
            # a left-out segment the scenario's closures would shut anyway is no way out
            if (
                sid in r.closed_segments
                or sp.u in net.closed_nodes
                or sp.v in net.closed_nodes
                or any(c in r.closed_countries for c in sp.countries)
            ):
                continue
            _add(full_km, sp.u, sp.v, eff_km * sp.geodesic_km / total, (sid, why))
    out = _Graphs(open_km, full_km, {n: i for i, n in enumerate(atlas.nodes)})
    _GRAPHS[net] = out
    return out


def _distances(g: nx.Graph[str], source: str) -> dict[str, float]:
    if source not in g:
        return {source: 0.0}
    return dict(nx.single_source_dijkstra_path_length(g, source, weight="km"))


# --------------------------------------------------------------------------- diagnosis
def diagnose(
    net: Network,
    origin: str,
    destination: str,
    *,
    route_km: float | None = None,
    threshold: float | None = None,
    gap_km: float = DEFAULT_GAP_KM,
    limit: int = 3,
) -> tuple[RouteWarning, ...]:
    """Why the route ``origin`` → ``destination`` is implausible (or missing).

    Parameters
    ----------
    net : Network
    origin, destination : str
        Node ids.
    route_km : float or None
        Length of the route found, km; ``None`` when there is no route.
    threshold : float or None
        Circuity threshold (default: the scenario's ``circuity_warn``).
    gap_km : float
        Largest distance between the two ends of a missing link, km.
    limit : int
        Most missing links named.

    Returns
    -------
    tuple of RouteWarning
        ``slower-shorter``, or ``excluded-link`` and/or ``missing-link`` warnings (empty
        when the route is plausible).
    """
    thr = net.scenario.circuity_warn if threshold is None else float(threshold)
    gc = geodesic_km(net, origin, destination)
    if gc <= 0.0:
        return ()
    target = thr * gc
    current = float("inf") if route_km is None else float(route_km)
    if current <= target:
        return ()
    graphs = _graphs(net)
    dist_o = _distances(graphs.open_km, origin)
    shortest = dist_o.get(destination)
    if shortest is not None and shortest <= target < current:
        return (
            RouteWarning(
                "slower-shorter",
                f"a shorter open path of {shortest:,.0f} km (circuity {shortest / gc:.2f}) "
                "exists; the fastest route takes the detour because it is quicker under the "
                "scenario's speeds and penalties (route by length_km to see it)",
                (origin, destination),
            ),
        )
    best = min(current, shortest if shortest is not None else float("inf"))
    out: list[RouteWarning] = []
    excluded = _excluded_warning(net, graphs, origin, destination, gc, target)
    if excluded is not None:
        out.append(excluded)
    dist_d = _distances(graphs.open_km, destination)
    out.extend(
        _missing_links(net, graphs, origin, destination, dist_o, dist_d, best, thr, gap_km, limit)
    )
    return tuple(out)


def _excluded_warning(
    net: Network, graphs: _Graphs, origin: str, destination: str, gc: float, target: float
) -> RouteWarning | None:
    g = graphs.full_km
    if origin not in g or destination not in g:
        return None
    try:
        path = nx.dijkstra_path(g, origin, destination, weight="km")
    except nx.NetworkXNoPath:
        return None
    km = sum(float(g[a][b]["km"]) for a, b in itertools.pairwise(path))
    if km > target:
        return None
    tags: dict[str, str] = {}
    for a, b in itertools.pairwise(path):
        tag = g[a][b]["tag"]
        if tag is not None:
            tags.setdefault(tag[0], tag[1])
    if not tags:
        return None
    names = net.atlas.segments
    listing = "; ".join(f"{sid} ({names[sid].name}): {why}" for sid, why in tags.items())
    return RouteWarning(
        "excluded-link",
        f"with {'this segment' if len(tags) == 1 else 'these segments'} put back the route "
        f"would be about {km:,.0f} km (circuity {km / gc:.2f}): {listing}",
        tuple(tags),
    )


def _inv_km(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    _, _, d = GEOD.inv(lon1, lat1, lon2, lat2)
    return np.round(np.asarray(d, dtype=float) / 1000.0, 3)


def _missing_links(
    net: Network,
    graphs: _Graphs,
    origin: str,
    destination: str,
    dist_o: dict[str, float],
    dist_d: dict[str, float],
    current: float,
    thr: float,
    gap_km: float,
    limit: int,
) -> list[RouteWarning]:
    nodes = net.atlas.nodes
    order = graphs.order

    def usable(ids: Sequence[str]) -> list[str]:
        keep = [n for n in ids if nodes[n].kind != CHOKEPOINT_KIND and n not in net.closed_nodes]
        return sorted(keep, key=order.__getitem__)

    xs, ys = usable(list(dist_o)), usable(list(dist_d))
    if not xs or not ys:
        return []
    gc = geodesic_km(net, origin, destination)
    target = thr * gc
    memo: dict[str, dict[str, float]] = {}
    # a pair lies inside the ellipse of plausible detours only if each of its places does
    # (triangle inequality): filter places first, then look at pairs
    inner_x = [
        n for n, e in zip(xs, _ellipse(net, xs, origin, destination, target), strict=True) if e
    ]
    inner_y = [
        n for n, e in zip(ys, _ellipse(net, ys, origin, destination, target), strict=True) if e
    ]
    pool = _pool(net, inner_x, inner_y, origin, destination, dist_o, dist_d)
    direct = (np.array(pool.xs)[pool.ix] == origin) & (np.array(pool.ys)[pool.iy] == destination)
    keep = (
        (pool.gxy > 0.0)
        & ((pool.gxy <= gap_km) | direct)
        & (pool.ellipse <= target)
        & (pool.via < current)
    )
    out = _pick(net, graphs, pool, np.flatnonzero(keep & ~direct), target, thr, gap_km, limit, memo)
    if not out:  # the origin-destination pair itself, when nothing else is
        near = np.flatnonzero(keep & direct & (pool.gxy <= 2.0 * gap_km))
        out = _pick(net, graphs, pool, near, target, thr, gap_km, limit, memo)
    if not out and not np.isfinite(current):
        # no route and no link nearby: name the closest pair of the two parts
        pool = _pool(net, xs, ys, origin, destination, dist_o, dist_d)
        pos = np.flatnonzero(pool.gxy > 0.0)
        if pos.size:
            k = pos[np.lexsort((pool.iy[pos], pool.ix[pos], pool.gxy[pos]))[:1]]
            reach = float(pool.gxy[k[0]]) + 1.0
            out = _pick(net, graphs, pool, k, target, thr, reach, 1, memo)
    return out


#: Atlases with at most this many nodes keep their node-to-node distances in memory
#: (8 bytes a pair); larger ones compute the pairs they need on each call.
MATRIX_MAX_NODES = 2000
_MATRIX: weakref.WeakKeyDictionary[Any, tuple[dict[str, int], np.ndarray]] = (
    weakref.WeakKeyDictionary()
)


def _km_between(net: Network, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Geodesic km (rounded to metres) between every place of ``a`` and of ``b``, shape
    ``(len(a), len(b))``."""
    atlas, nodes = net.atlas, net.atlas.nodes
    if len(nodes) <= MATRIX_MAX_NODES:
        hit = _MATRIX.get(atlas)
        if hit is None:
            ids = list(nodes)
            lon = np.array([nodes[n].lon for n in ids])
            lat = np.array([nodes[n].lat for n in ids])
            gi, gj = np.triu_indices(len(ids), k=1)
            m = np.zeros((len(ids), len(ids)))
            m[gi, gj] = _inv_km(lon[gi], lat[gi], lon[gj], lat[gj])
            m = m + m.T
            hit = _MATRIX[atlas] = ({n: i for i, n in enumerate(ids)}, m)
        index, m = hit
        return m[np.ix_([index[n] for n in a], [index[n] for n in b])]
    alon = np.array([nodes[n].lon for n in a])
    alat = np.array([nodes[n].lat for n in a])
    blon = np.array([nodes[n].lon for n in b])
    blat = np.array([nodes[n].lat for n in b])
    grid_a, grid_b = np.meshgrid(np.arange(len(a)), np.arange(len(b)), indexing="ij")
    ia, ib = grid_a.ravel(), grid_b.ravel()
    return _inv_km(alon[ia], alat[ia], blon[ib], blat[ib]).reshape(len(a), len(b))


def _ellipse(
    net: Network, ids: Sequence[str], origin: str, destination: str, limit_km: float
) -> np.ndarray:
    """Whether each place ``x`` is inside the ellipse ``|Ox| + |xD| <= limit_km``."""
    e = _km_between(net, [origin], ids)[0] + _km_between(net, ids, [destination])[:, 0]
    return np.asarray(e <= limit_km + 1e-6)


def _pool(
    net: Network,
    xs: list[str],
    ys: list[str],
    origin: str,
    destination: str,
    dist_o: dict[str, float],
    dist_d: dict[str, float],
) -> _Pool:
    geo_ox = _km_between(net, [origin], xs)[0]
    geo_yd = _km_between(net, ys, [destination])[:, 0]
    grid_x, grid_y = np.meshgrid(np.arange(len(xs)), np.arange(len(ys)), indexing="ij")
    ix, iy = grid_x.ravel(), grid_y.ravel()
    gxy = _km_between(net, xs, ys).ravel()
    do = np.array([dist_o[n] for n in xs], dtype=float)[ix]
    dd = np.array([dist_d[n] for n in ys], dtype=float)[iy]
    via = np.round(do + gxy + dd, 3)
    return _Pool(xs, ys, ix, iy, gxy, via, np.round(geo_ox[ix] + gxy + geo_yd[iy], 3))


@dataclass(frozen=True)
class _Pool:
    """Candidate pairs: ``xs[ix[k]]``-``ys[iy[k]]``, ``gxy[k]`` km apart, route ``via[k]``."""

    xs: list[str]
    ys: list[str]
    ix: np.ndarray
    iy: np.ndarray
    gxy: np.ndarray
    via: np.ndarray
    ellipse: np.ndarray


def _pick(
    net: Network,
    graphs: _Graphs,
    pool: _Pool,
    cand: np.ndarray,
    target: float,
    thr: float,
    gap_km: float,
    limit: int,
    memo: dict[str, dict[str, float]],
) -> list[RouteWarning]:
    """Up to ``limit`` missing links among the candidate indices ``cand``, best first
    (``memo``: network distances from a place, kept across calls)."""
    if cand.size == 0:
        return []
    ix, iy, gxy, via = pool.ix, pool.iy, pool.gxy, pool.via
    fixes = cand[via[cand] <= target]
    if fixes.size:  # name the links that would make the route plausible, when there are
        cand = fixes
    # best first: shortest route through the link, then the shortest link, then node order
    cand = cand[np.lexsort((iy[cand], ix[cand], gxy[cand], via[cand]))]
    nodes = net.atlas.nodes
    gc = target / thr
    chosen: list[tuple[str, str]] = []
    out: list[RouteWarning] = []
    same = gap_km * _SAME_GAP_SHARE
    for k in cand:
        x, y = pool.xs[int(ix[k])], pool.ys[int(iy[k])]
        if any(x in c or y in c for c in chosen):
            continue
        if any(
            geodesic_km(net, x, a) <= same and geodesic_km(net, y, b) <= same for a, b in chosen
        ):
            continue
        link = float(gxy[k])
        if x not in memo:
            memo[x] = _distances(graphs.open_km, x)
        dn = memo[x].get(y)
        if dn is not None and dn <= thr * link:
            continue  # the network already links them plausibly
        chosen.append((x, y))
        nx_, ny_ = nodes[x], nodes[y]
        how = (
            f"the network connects them over {dn:,.0f} km"
            if dn is not None
            else "the network does not connect them"
        )
        total = float(via[k])
        out.append(
            RouteWarning(
                "missing-link",
                f"no open link between {nx_.name} ({x}) and {ny_.name} ({y}) within "
                f"{link:,.0f} km: {how}; a direct link would make the route about "
                f"{total:,.0f} km (circuity {total / gc:.2f})",
                (x, y),
            )
        )
        if len(out) >= limit:
            break
    return out
