"""Why there is no route: the explanations a :class:`~corridors.errors.RouteNotFound` gives.

:func:`check_on_network` says why a place is not on a scenario's network (which segments
at it are excluded and why); :func:`failure` says why a search found nothing — a ``via``
leg, the ``avoid`` items to blame (with the closest route without them) or the scenario
itself (:func:`no_route`: the closures on the route it would take without them and the
closed links around the origin). :mod:`corridors.network.routing` calls these and passes
its ``route_on`` for the searches they need.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable

import networkx as nx

from corridors.errors import RouteNotFound, UnknownEntityError, did_you_mean
from corridors.network import plausibility
from corridors.network.constraints import avoiding_network, closure_phrase, str_ref
from corridors.network.graph import Network, build_network
from corridors.network.route import Route
from corridors.scenario.closures import Closure

__all__ = ["check_on_network", "closed_pieces_on", "failure", "no_route", "piece_ends"]


def failure(
    net: Network,
    work: Network,
    origin: str,
    destination: str,
    vias: tuple[str, ...],
    closures: tuple[Closure, ...],
    search: Callable[..., Route | None],
    *,
    route_on: Callable[..., Route],
    explain: bool,
) -> RouteNotFound:
    """Why ``search()`` found nothing: a via leg, the avoided items, or the scenario.

    ``search(on=network)`` is the failed search on another network; ``route_on`` is
    :func:`corridors.network.routing.route_on` (passed in: that module calls this one).
    """
    names = net.atlas.nodes
    avoiding = (" avoiding " + ", ".join(c.ref for c in closures)) if closures else ""
    if vias:
        stops = (origin, *vias, destination)
        head = (
            f"no route from {names[origin].name} ({origin}) to {names[destination].name} "
            f"({destination}) via " + ", ".join(f"{names[v].name} ({v})" for v in vias) + avoiding
        )
        for a, b in itertools.pairwise(stops):
            if a == b:
                continue
            try:
                route_on(net, a, b, avoid=[str_ref(c) for c in closures], explain=explain)
            except RouteNotFound as exc:
                return RouteNotFound(
                    f"{head}: the leg from {names[a].name} to {names[b].name} is impossible "
                    f"({exc}); hint: change or drop that --via place"
                )
        return RouteNotFound(head)  # pragma: no cover - every leg routable means a route
    if not closures:
        return no_route(net, origin, destination, route_on=route_on, explain=explain)
    base = search(on=net)
    if base is None:
        return no_route(net, origin, destination, route_on=route_on, explain=explain)
    head = (
        f"no route from {names[origin].name} ({origin}) to {names[destination].name} "
        f"({destination}) in scenario '{net.scenario.name}'{avoiding}"
    )
    if not explain:
        return RouteNotFound(head)
    culprits = [
        c for c in closures if len(closures) == 1 or search(on=avoiding_network(net, (c,))) is None
    ]
    if culprits:
        why = "; ".join(f"every path {closure_phrase(c)}" for c in culprits)
    else:
        why = "each can be avoided alone, but not all together"
    return RouteNotFound(
        f"{head}: {why} (closest: {base.summary()}); hint: drop "
        + " or ".join(f"--avoid {c.ref}" for c in (culprits or closures))
        + ", or widen the scenario (status, modes) so that another line exists"
    )


_ENDS: weakref.WeakKeyDictionary[Network, frozenset[str]] = weakref.WeakKeyDictionary()


def piece_ends(net: Network) -> frozenset[str]:
    """Nodes at an end of some piece of ``net`` (open or closed), cached."""
    ends = _ENDS.get(net)
    if ends is None:
        ends = _ENDS[net] = frozenset(x for p in net.pieces.values() for x in (p.u, p.v))
    return ends


def check_on_network(net: Network, node: str) -> None:
    """Raise a located error unless ``node`` is a node of ``net`` that some piece touches.

    Raises
    ------
    UnknownEntityError
        ``node`` is no node of the atlas (with a suggestion).
    RouteNotFound
        No segment of the scenario touches it: which segments are excluded and why.
    """
    if node not in net.atlas.nodes:
        raise UnknownEntityError(
            f"unknown node {node!r}; hint: {did_you_mean(node, net.atlas.nodes) or 'check the id'}"
        )
    if node in piece_ends(net):
        return
    n = net.atlas.nodes[node]
    touching = [
        s for s in net.atlas.segments.values() if node in (s.from_node, s.to_node) or node in s.via
    ]
    reasons = [
        f"{s.id} ({net.resolved.excluded.get(s.id, 'not in the scenario')})" for s in touching
    ]
    near = [
        nid
        for nid in net.open_nodes()
        if net.atlas.nodes[nid].name.lower().startswith(n.name.split()[0].lower())
    ]
    hint = (
        "segments at this node are excluded: " + "; ".join(reasons)
        if reasons
        else "no segment in the atlas touches this node"
    )
    if near:
        hint += "; nodes of that name on the network: " + ", ".join(sorted(near))
    raise RouteNotFound(
        f"{n.name} ({node}) is not on the network of scenario '{net.scenario.name}': "
        f"no segment of the scenario touches it; hint: {hint}"
    )


def no_route(
    net: Network,
    origin: str,
    destination: str,
    *,
    route_on: Callable[..., Route],
    explain: bool,
) -> RouteNotFound:
    """No path at all in the scenario: the closures on the route it would take without
    them, the closed links at the edge of what ``origin`` reaches, and the missing links."""
    a, b = net.atlas.nodes[origin], net.atlas.nodes[destination]
    head = (
        f"no route from {a.name} ({origin}) to {b.name} ({destination}) in scenario "
        f"'{net.scenario.name}'"
    )
    if not explain:
        return RouteNotFound(head)
    parts: list[str] = []
    # closures on the best route the scenario would have without them
    if net.closed:
        free = build_network(net.base_atlas, net.scenario.without_closures())
        try:
            r = route_on(free, origin, destination, explain=False)
        except RouteNotFound:
            r = None
        if r is not None:
            on_path: dict[str, list[str]] = {}
            closed_here = closed_pieces_on(net, r)
            for pid, reasons in closed_here:
                for why in reasons:
                    on_path.setdefault(why, [])
                    seg = net.pieces[pid].segment if pid in net.pieces else pid
                    if seg not in on_path[why]:
                        on_path[why].append(seg)
            if on_path:
                parts.append(
                    "closures on the route it would take without them: "
                    + "; ".join(f"{w} (segments {', '.join(s)})" for w, s in on_path.items())
                )
    # closed links at the edge of what the origin can still reach
    comp = nx.node_connected_component(net.graph, origin) if origin in net.graph else {origin}
    edge: dict[str, list[str]] = {}
    for pid, reasons in net.closed.items():
        p = net.pieces[pid]
        if p.u in comp or p.v in comp:
            for why in reasons:
                edge.setdefault(why, [])
                if p.segment not in edge[why]:
                    edge[why].append(p.segment)
    if edge:
        parts.append(
            f"closed links at the edge of the {len(comp)} place(s) reachable from {a.name}: "
            + "; ".join(f"{w} (segments {', '.join(s)})" for w, s in edge.items())
        )
    gaps = plausibility.diagnose(net, origin, destination)
    if not parts:
        parts.append(
            "the scenario's network does not connect them even without closures; hint: raise "
            'the status threshold (e.g. status = "proposed"), open the missing segments, or '
            "add a segment"
        )
    parts.extend(w.message for w in gaps)
    closures = (
        ", ".join(
            [str(c) for c in net.scenario.closures] + [f"event {e}" for e in net.resolved.events]
        )
        or "none"
    )
    return RouteNotFound(head + f" (scenario closures: {closures}): " + "; ".join(parts))


def closed_pieces_on(net: Network, r: Route) -> list[tuple[str, tuple[str, ...]]]:
    """Pieces of ``r`` closed in ``net`` (or not in it at all), with the reasons."""
    out = []
    for pid in r.pieces:
        if pid in net.closed:
            out.append((pid, net.closed[pid]))
        elif pid not in net.pieces:
            out.append((pid, ("not in scenario",)))
    return out
