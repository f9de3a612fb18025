"""Routing on a scenario's network: fastest (or shortest) paths, k alternatives, diagnostics.

:func:`route` takes node ids or names (case-insensitive, aliases included, forgiving spaces,
dashes and underscores) and returns a :class:`Route` with legs, lengths (effective km),
hours, countries, border crossings, chokepoints, transshipments and gauge breaks. When the
scenario's closures cut the two places apart, :class:`~corridors.errors.RouteNotFound`
names them and the closures responsible — never an empty line or a zero length.

* **Ties** between equally fast routes are broken by a stable key: integer costs
  (micro-hours), then the sequence of pieces along the route, each by (status, id) —
  built lanes first, then ids as strings sort (:mod:`corridors.network.search`). The same
  input gives the same route under any ``PYTHONHASHSEED``.
* **Alternatives** (``k > 1``) come from the penalty method and share at most 70 % of their
  length with the routes before them; each says how it differs (``Route.differs_by``,
  :mod:`corridors.network.alternatives`).
* **Must pass / avoid**: ``via`` places are passed in order (a layered search);
  ``avoid`` countries, borders and sea passages are closed as scenario closures would be
  (:mod:`corridors.network.constraints`); when that leaves no route, the error says which
  leg or which avoided item is to blame and what the closest route would be. The explanations
  of a failure live in :mod:`corridors.network.failures`.

See ``docs/routing.md``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from typing import Any, overload

from corridors.errors import RouteNotFound
from corridors.model import Atlas
from corridors.network import plausibility
from corridors.network.alternatives import alternatives
from corridors.network.constraints import (
    avoid_closures,
    avoiding_network,
    check_places_not_avoided,
)
from corridors.network.failures import check_on_network, failure
from corridors.network.graph import Network, Piece, build_network
from corridors.network.places import find_node
from corridors.network.route import BorderCrossing, Leg, LonLat, Route, Transfer
from corridors.network.sea import PASSAGES
from corridors.network.search import shortest_path
from corridors.network.services import with_services
from corridors.scenario.bundled import scenario_from_arg
from corridors.scenario.model import Scenario
from corridors.vocab import CHOKEPOINT_KIND

__all__ = [
    "BorderCrossing",
    "Leg",
    "Route",
    "Transfer",
    "default_atlas",
    "find_node",
    "route",
    "route_cost",
    "route_on",
]

#: Weights a route can minimise: the scenario's hours, the length, and the calibrated
#: model's expected US$ per t, kg CO2e per t or generalized cost
#: (:mod:`corridors.network.weights`).
WEIGHTS = {
    "hours": "hours",
    "length_km": "km",
    "km": "km",
    "usd": "usd",
    "co2": "co2",
    "generalized": "generalized",
}

_DEFAULT_ATLAS: list[Atlas] = []
#: Marks a keyword ``route()`` was not given.
_UNSET: Any = object()


def default_atlas() -> Atlas:
    """The bundled atlas, loaded once per process."""
    if not _DEFAULT_ATLAS:
        from corridors.io.geodata import load_atlas

        _DEFAULT_ATLAS.append(load_atlas())
    return _DEFAULT_ATLAS[0]


# --------------------------------------------------------------------------- routing
@overload
def route(
    atlas: Atlas | None,
    scenario: Scenario | str | os.PathLike[str] | None,
    origin: str,
    destination: str,
    /,
    *,
    k: int = ...,
    weight: str = ...,
    via: Sequence[str] = ...,
    avoid: Sequence[str] = ...,
) -> Route: ...


@overload
def route(
    origin: str,
    destination: str,
    /,
    *,
    scenario: Scenario | str | os.PathLike[str] | None = ...,
    atlas: Atlas | None = ...,
    k: int = ...,
    weight: str = ...,
    via: Sequence[str] = ...,
    avoid: Sequence[str] = ...,
) -> Route: ...


def route(
    *args: Any,
    scenario: Any = _UNSET,
    atlas: Any = _UNSET,
    k: int = 1,
    weight: str = "hours",
    via: Sequence[str] = (),
    avoid: Sequence[str] = (),
) -> Route:
    """Fastest route between two places in a scenario.

    Called like every analysis, ``route(atlas, scenario, origin, destination)``. The
    earlier form ``route(origin, destination, scenario=..., atlas=...)`` is kept (the
    tests and notebooks use it).

    Of equally fast routes, the one whose sequence of piece ids sorts first is returned
    (see :mod:`corridors.network.search`), so results never depend on the hash seed.

    Parameters
    ----------
    atlas : Atlas or None
        ``None`` for the bundled atlas.
    scenario : Scenario, str or None
        A scenario, a scenario file, a bundled name (``"full-vision"``), or ``None`` for
        the full vision.
    origin, destination : str
        Node ids or names (``"gwadar_port"``, ``"Gwadar"``, ``"Bakı"``).
    k : int
        Number of routes; the 2nd… are on ``Route.alternatives``, each sharing at most
        70 % of its length with the routes before it and saying how it differs
        (``Route.differs_by``; see :mod:`corridors.network.alternatives`).
    weight : {"hours", "length_km", "usd", "co2", "generalized"}
        What to minimise: the scenario's hours, the length, or the cost table's expected
        US$ per t, kg CO2e per t or US$ per t + value of time × hours (see
        :mod:`corridors.network.weights`; needs ``costs.toml``).
    via : sequence of str
        Places (ids or names) the route must pass, in this order.
    avoid : sequence of str
        Countries (ISO3 or name: ``"IRN"``), land borders (``"AFG-PAK"``) or sea passages
        (``"hormuz"``, ``"bab-el-mandeb"``) the route must not use: each is closed as a
        scenario closure would close it.

    Returns
    -------
    Route

    Raises
    ------
    UnknownEntityError
        Unknown or ambiguous place, or an unknown ``avoid`` item (with a suggestion).
    RouteNotFound
        No path: names the origin, destination and the closures that cut them off, or
        says that a place has no segment in the scenario; with ``via``/``avoid``, which
        leg or which avoided item made it impossible, and the closest route without it.
    TypeError
        Neither call form.

    Examples
    --------
    >>> r = route(None, "full-vision", "Gwadar", "Baku")
    >>> r.countries[0], r.countries[-1]
    ('PAK', 'AZE')
    >>> "IRN" in route(None, "full-vision", "Gwadar", "Baku", avoid=["IRN"]).countries
    False
    """
    if len(args) == 4 and scenario is _UNSET and atlas is _UNSET:
        atlas, scenario, origin, destination = args
    elif len(args) == 2 and all(isinstance(a, str) for a in args):
        origin, destination = args
        scenario = None if scenario is _UNSET else scenario
        atlas = None if atlas is _UNSET else atlas
    else:
        raise TypeError(
            "route() takes (atlas, scenario, origin, destination), or (origin, destination, "
            "scenario=..., atlas=...); hint: route(atlas, 'full-vision', 'Gwadar', 'Baku')"
        )
    if atlas is not None and not isinstance(atlas, Atlas):
        raise TypeError(f"atlas must be an Atlas or None, not {type(atlas).__name__}")
    atlas = atlas if atlas is not None else default_atlas()
    scen = scenario_from_arg(scenario, atlas=atlas)
    net = build_network(atlas, scen)
    prefer = net.open_nodes()
    o = find_node(net.atlas, origin, prefer=prefer)
    d = find_node(net.atlas, destination, prefer=prefer)
    vias = tuple(find_node(net.atlas, v, prefer=prefer) for v in _strings(via, "via"))
    return route_on(net, o, d, k=k, weight=weight, via=vias, avoid=_strings(avoid, "avoid"))


def _strings(items: Sequence[str] | str, what: str) -> tuple[str, ...]:
    if isinstance(items, str):
        items = (items,)
    out = tuple(items)
    for x in out:
        if not isinstance(x, str):
            raise TypeError(f"{what} items must be strings, got {x!r}")
    return out


def _weight_key(weight: str) -> str:
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {sorted(WEIGHTS)}, got {weight!r}")
    return WEIGHTS[weight]


def route_on(
    net: Network,
    origin: str,
    destination: str,
    *,
    k: int = 1,
    weight: str = "hours",
    hidden: Callable[[dict[str, Any]], bool] | None = None,
    explain: bool = True,
    via: Sequence[str] = (),
    avoid: Sequence[str] = (),
    hide_pieces: Collection[str] = (),
    guide: bool = False,
) -> Route:
    """Route between two node ids on a built network (see :func:`route`).

    ``hidden(edge_data) -> bool`` hides routing edges and ``hide_pieces`` hides piece ids
    (used by criticality sweeps); ``explain=False`` skips the (slower) diagnosis in
    :class:`RouteNotFound`; ``guide=True`` guides the search by the (cached) costs to the
    destination — the same route, faster when many searches share destinations (it is
    implied by ``hidden``, ``hide_pieces`` and ``k > 1``).
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    wkey = _weight_key(weight)
    vias = tuple(find_node(net.atlas, v, prefer=net.open_nodes()) for v in _strings(via, "via"))
    for node in (origin, destination, *vias):
        check_on_network(net, node)
    if origin == destination and not vias:
        raise RouteNotFound(
            f"origin and destination are the same place ({net.atlas.nodes[origin].name}, "
            f"{origin}); hint: give two different places"
        )
    closures = avoid_closures(net, _strings(avoid, "avoid"))
    work = net if not closures else avoiding_network(net, closures)
    if closures:
        check_places_not_avoided(work, closures, origin, destination, vias)

    def search(factors: dict[str, float] | None = None, *, on: Network = work) -> Route | None:
        path = shortest_path(
            on,
            ("o", origin),
            ("d", destination),
            weight=wkey,
            hidden=hidden,
            hide_pieces=hide_pieces,
            vias=vias,
            factors=factors,
            guide=guide or bool(factors or hide_pieces) or hidden is not None,
        )
        return None if path is None else _route_from_path(on, path)

    best = search()
    if best is None:
        raise failure(
            net,
            work,
            origin,
            destination,
            vias,
            closures,
            search,
            route_on=route_on,
            explain=explain,
        )
    if explain:  # name the missing links of an implausible route
        best = plausibility.explain_route(net, best)
    if k == 1:
        return best
    return replace(best, alternatives=alternatives(work, best, k, search))


def route_cost(
    net: Network,
    origin: str,
    destination: str,
    *,
    weight: str = "hours",
    hide_pieces: Collection[str] = (),
) -> tuple[float, float] | None:
    """``(hours, length_km)`` of the route :func:`route_on` would return (same path), or
    ``None`` when there is none; no :class:`Route` is built and no place is checked (for
    sweeps that only need the cost). Guided by :func:`~corridors.network.search.costs_to`.
    """
    path = shortest_path(
        net,
        ("o", origin),
        ("d", destination),
        weight=_weight_key(weight),
        hide_pieces=hide_pieces,
        guide=True,
    )
    if path is None:
        return None
    h = net.routing
    hours = km = 0.0
    for a, b in itertools.pairwise(path):
        data = h[a][b]
        hours += data["hours"]
        km += data["km"]
    return hours, km


def _oriented(p: Piece, rev: bool) -> tuple[str, str, tuple[LonLat, ...], tuple[str, ...]]:
    if not rev:
        return p.u, p.v, p.coords, p.countries
    return p.v, p.u, tuple(reversed(p.coords)), tuple(reversed(p.countries))


def _route_from_path(net: Network, path: Sequence[Any]) -> Route:
    h = net.routing
    atlas = net.atlas
    steps: list[tuple[Piece, bool]] = []
    stops: list[Transfer] = []
    last_piece: Piece | None = None
    for a, b in itertools.pairwise(path):
        data = h[a][b]
        kind = data["kind"]
        if kind == "piece":
            p = net.pieces[data["piece"]]
            steps.append((p, data["rev"]))
            last_piece = p
        elif kind in ("transfer", "transshipment", "gauge_break", "possible_gauge_break"):
            c1, c2 = a[1], b[1]
            stops.append(
                Transfer(
                    at=data["at"],
                    kind=kind,
                    hours=data["hours"],
                    from_mode=c1[0],
                    to_mode=c2[0],
                    from_gauge_mm=c1[1] if c1[0] == "rail" else None,
                    to_gauge_mm=c2[1] if c2[0] == "rail" else None,
                )
            )
    del last_piece
    # legs: consecutive pieces of one segment in one direction
    legs: list[Leg] = []
    countries: list[str] = []
    crossings: list[BorderCrossing] = []
    chokepoints: list[str] = []

    def add_choke(c: str) -> None:
        if c not in chokepoints:
            chokepoints.append(c)

    for (seg, rev), group in itertools.groupby(steps, key=lambda s: (s[0].segment, s[1])):
        pieces = [p for p, _ in group]
        if rev:
            pieces.sort(key=lambda p: -p.index)
        coords: list[LonLat] = []
        leg_countries: list[str] = []
        leg_chokes: list[str] = []
        start = end = ""
        visited: list[str] = []
        for p in pieces:
            u, v, pc, pcountries = _oriented(p, rev)
            start = start or u
            end = v
            visited.extend([u, v] if not visited else [v])
            coords.extend(pc if not coords else pc[1:])
            if atlas.nodes[u].kind == CHOKEPOINT_KIND and u not in leg_chokes:
                leg_chokes.append(u)
            passages = reversed(p.passages) if rev else p.passages
            for key in passages:
                c = PASSAGES[key].chokepoint
                if c not in leg_chokes:
                    leg_chokes.append(c)
            if atlas.nodes[v].kind == CHOKEPOINT_KIND and v not in leg_chokes:
                leg_chokes.append(v)
            for c in pcountries:
                if leg_countries and leg_countries[-1] == c:
                    continue
                leg_countries.append(c)
                if countries and countries[-1] != c:
                    crossings.append(
                        BorderCrossing(
                            from_country=countries[-1],
                            to_country=c,
                            mode=p.mode,
                            segment=p.segment,
                            at=_border_node(net, p, countries[-1], c),
                        )
                    )
                if not countries or countries[-1] != c:
                    countries.append(c)
        for c in leg_chokes:
            add_choke(c)
        gauges = {p.gauge_mm for p in pieces}
        legs.append(
            Leg(
                from_node=start,
                to_node=end,
                mode=pieces[0].mode,
                segment=seg,
                length_km=sum(p.length_km for p in pieces),
                hours=sum(p.hours for p in pieces),
                countries=tuple(leg_countries),
                chokepoints=tuple(leg_chokes),
                gauge_mm=pieces[0].gauge_mm if len(gauges) == 1 else None,
                pieces=tuple(p.id for p in pieces),
                coords=tuple(coords),
                nodes=tuple(visited),
            )
        )
    # a gauge change inside one segment (e.g. BTK at Akhalkalaki) is a transfer too
    origin = path[0][1]
    destination = path[-1][1]
    length = sum(leg.length_km for leg in legs)
    hours = sum(leg.hours for leg in legs) + sum(t.hours for t in stops)
    route = Route(
        origin=origin,
        destination=destination,
        origin_name=atlas.nodes[origin].name,
        destination_name=atlas.nodes[destination].name,
        scenario=net.scenario.name,
        length_km=length,
        hours=hours,
        countries=tuple(countries),
        border_crossings=tuple(crossings),
        chokepoints=tuple(chokepoints),
        transshipments=tuple(t for t in stops if t.kind in ("transfer", "transshipment")),
        gauge_breaks=tuple(t for t in stops if t.kind == "gauge_break"),
        possible_gauge_breaks=tuple(t for t in stops if t.kind == "possible_gauge_break"),
        legs=tuple(legs),
    )
    route = plausibility.annotate(net, with_services(route, atlas, net.resolved.date))
    return replace(route, cost_table=atlas.costs) if atlas.costs is not None else route


def _border_node(net: Network, p: Piece, a: str, b: str) -> str | None:
    want = {a, b}
    seg = net.atlas.segments[p.segment]
    cands = [p.u, p.v] + [x for x in seg.node_ids_on_line if x not in (p.u, p.v)]
    for nid in cands:
        n = net.atlas.nodes.get(nid)
        if n is not None and n.kind == "border_crossing" and set(n.borders) == want:
            return nid
    for nid in (p.u, p.v):
        n = net.atlas.nodes[nid]
        if set(n.borders) == want:
            return nid
    return None
