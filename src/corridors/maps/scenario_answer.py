"""What a scenario map answers: the routes asked for, their totals and colours, the caption.

:func:`route_pairs` routes each requested pair in a scenario; a pair without a route keeps
the reason :mod:`corridors.network.failures` gives (it is listed on the map, the map is
still drawn). :func:`pair_route_layers` draws each route as its own layer in its own
colour (:mod:`corridors.maps.palette`), titled with its totals, so the layer tree, the
legend and the caption show the same swatch and the same numbers. :func:`caption_data`
is the caption: scenario, as-of date, closures, each route's totals and the pairs without
a route, as plain data for :func:`corridors.render.build_map`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corridors.maps.palette import route_colour
from corridors.maps.routes import route_features, route_layer
from corridors.maps.tree import GROUP_ROUTES
from corridors.model import Atlas

if TYPE_CHECKING:  # pragma: no cover
    from corridors.network.graph import Network
    from corridors.network.route import Route
    from corridors.render import LayerSpec

__all__ = [
    "PairRoute",
    "caption_data",
    "closure_lines",
    "pair_route_layers",
    "parse_pair",
    "route_pairs",
    "route_totals",
]

#: Where along a route its label may sit (fractions of its length), best first: the map
#: takes the first place where the label overlaps no other label and no panel.
_LABEL_AT = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88)


def parse_pair(text: str) -> tuple[str, str]:
    """``"Gwadar:Baku"`` → ``("Gwadar", "Baku")``.

    Raises
    ------
    ScenarioError
        Without a ``:``, or with an empty side.
    """
    from corridors.errors import ScenarioError

    a, sep, b = str(text).partition(":")
    if not sep or not a.strip() or not b.strip():
        raise ScenarioError(
            f"--route {text!r}: expected FROM:TO, e.g. 'Gwadar:Baku'; hint: quote names with spaces"
        )
    return a.strip(), b.strip()


@dataclass(frozen=True)
class PairRoute:
    """One requested pair in one scenario: its route, or why there is none.

    Attributes
    ----------
    origin, destination : str
        Node ids.
    label : str
        ``"Gwadar Port → Tashkent"`` (the atlas's names).
    route : Route or None
    reason : str or None
        Why there is no route (the :class:`~corridors.errors.RouteNotFound` message).
    colour : str
        ``#rrggbb`` of the pair (:func:`corridors.maps.palette.route_colour` of its index).
    """

    origin: str
    destination: str
    label: str
    route: Route | None
    reason: str | None
    colour: str


def route_pairs(
    net: Network, pairs: Sequence[str | tuple[str, str]], *, first_colour: int = 0
) -> list[PairRoute]:
    """Route each pair of ``pairs`` (``"FROM:TO"`` or ``(from, to)``) on ``net``.

    Unknown or ambiguous places raise (:class:`~corridors.errors.UnknownEntityError`: bad
    input); a pair with no route in the scenario comes back with ``route=None`` and the
    reason. The ``i``-th pair takes colour ``first_colour + i``.
    """
    from corridors.errors import RouteNotFound
    from corridors.network.places import find_node
    from corridors.network.routing import route_on

    prefer = net.open_nodes()
    out = []
    for i, item in enumerate(pairs):
        a, b = parse_pair(item) if isinstance(item, str) else item
        o = find_node(net.atlas, a, prefer=prefer)
        d = find_node(net.atlas, b, prefer=prefer)
        label = f"{net.atlas.nodes[o].name} → {net.atlas.nodes[d].name}"
        found: Route | None = None
        reason = None
        try:
            found = route_on(net, o, d)
        except RouteNotFound as exc:
            reason = str(exc)
        out.append(PairRoute(o, d, label, found, reason, route_colour(first_colour + i)))
    return out


def _cost_gaps(r: Route) -> list[str]:
    """Why the route's US$/t or CO2e total is incomplete: ``["no figure for sea"]``."""
    c = r.costs
    if c is None:
        return []
    gaps = [
        m.split(": ", 1)[-1].split(" (")[0]
        for m in c.missing
        if m.startswith(("usd_per_t", "co2e_kg_per_t"))
    ]
    return list(dict.fromkeys(gaps))


def route_totals(r: Route) -> str:
    """``"2,916 km · 106.3 h · US$ 346/t, 244 kg CO2e/t (P50)"``: the route's length and
    hours, and the P50 cost and emissions when a cost table priced every leg (else why
    not: ``"cost: no figure for sea"``)."""
    parts = [f"{r.length_km:,.0f} km", f"{r.hours:,.1f} h"]
    c = r.costs
    gaps = _cost_gaps(r)
    if c is not None and gaps:
        parts.append("cost: " + "; ".join(gaps))
    elif c is not None:
        parts.append(f"US$ {c.usd_per_t.p50:,.0f}/t, {c.co2e_kg_per_t.p50:,.0f} kg CO2e/t (P50)")
    return " · ".join(parts)


def _map_totals(r: Route) -> str:
    """The totals written on the map: ``"2,916 km · 106.3 h · US$ 346/t P50"``."""
    c = r.costs
    cost = ""
    if c is not None:
        cost = " · cost: n/a" if _cost_gaps(r) else f" · US$ {c.usd_per_t.p50:,.0f}/t P50"
    return f"{r.length_km:,.0f} km · {r.hours:,.1f} h{cost}"


def _label_points(r: Route) -> list[list[float]]:
    """``[lon, lat]`` places on the route for its label, best first (:data:`_LABEL_AT`)."""
    from shapely.geometry import LineString

    coords = [(float(x), float(y)) for x, y in r.coords]
    if len(coords) < 2:
        return [[coords[0][0], coords[0][1]]] if coords else []
    line = LineString(coords)
    out = []
    for t in _LABEL_AT:
        p = line.interpolate(t, normalized=True)
        out.append([round(p.x, 4) + 0.0, round(p.y, 4) + 0.0])
    return out


def pair_route_layers(
    atlas: Atlas, results: Sequence[PairRoute], *, key_prefix: str = "route", visible: bool = True
) -> list[LayerSpec]:
    """One layer per routed pair (``route:1``, ``route:2``…), in the pair's colour and
    titled ``"Gwadar Port → Tashkent: 2,916 km · 115.3 h · …"``."""
    layers = []
    for n, res in enumerate(results, start=1):
        if res.route is None:
            continue
        spec = route_layer(atlas, route_features([res.route]))
        if spec is None:
            continue
        layers.append(
            dataclasses.replace(
                spec,
                key=f"{key_prefix}:{n}",
                title=f"{res.label}: {route_totals(res.route)}",
                group=(GROUP_ROUTES,),
                colour=res.colour,
                visible=visible,
                order=n,
            )
        )
    return layers


def closure_lines(net: Network) -> list[str]:
    """The scenario's closures, one line each: ``"border AFG-PAK (event afg-pak-…)"``."""
    rs = net.resolved
    out = []
    for reason in sorted(set(rs.scenario_reasons) | set(rs.event_reasons)):
        ids = rs.event_reasons.get(reason)
        if ids and reason not in rs.scenario_reasons:
            out.append(f"{reason} (event {', '.join(ids)})")
        else:
            out.append(reason)
    return out


def caption_data(
    net: Network, results: Sequence[PairRoute], *, key_prefix: str = "route"
) -> dict[str, Any]:
    """The caption of a scenario map, as plain data (see
    :func:`corridors.render.caption.caption_html`)."""
    rs = net.resolved
    sc = net.scenario
    lines = []
    if rs.date is not None:
        lines.append(f"As of {rs.date}")
    closures = closure_lines(net)
    lines.append("Closed: " + ("; ".join(closures) if closures else "nothing"))
    routes = []
    unrouted = []
    for n, res in enumerate(results, start=1):
        if res.route is None:
            unrouted.append({"name": res.label, "reason": res.reason or "no route"})
            continue
        r = res.route
        routes.append(
            {
                "key": f"{key_prefix}:{n}",
                "colour": res.colour,
                "name": res.label,
                "totals": route_totals(r),
                "label": f"{res.label}: {_map_totals(r)}",
                "short": f"{res.label}: {r.length_km:,.0f} km",
                "at": _label_points(r),
                "warnings": [w.message for w in r.warnings],
            }
        )
    return {
        "title": f"Scenario: {sc.name}",
        "description": str(sc.description or ""),
        "lines": lines,
        "routes": routes,
        "unrouted": unrouted,
    }
