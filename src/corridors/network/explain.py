"""Why this route, and what its costs rest on: :meth:`Route.explain` and ``route --explain``.

An :class:`Explanation` gathers, for one costed route:

* the totals (P10/P50/P90 hours, US$/t, kg CO2e/t and the generalized cost) and the P50 of
  each component (line-haul *moving*/*transport*, *border* dwell and fees, *transfer* and
  *port* dwell, *gauge* change) with its share of the total P50;
* per leg: segment, mode, km, the segment's scenario status and drawing precision, and the
  P50 of each component;
* the circuity (length over the great circle) and its threshold;
* the parameters used, each with its value, range, unit, year, ``claimed`` flag and
  sources, ranked by the largest amount it contributes (the biggest cost items first).

Shares are of the sum of component P50s (P50s do not add up to the P50 of the total, see
:mod:`corridors.network.costing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corridors.html import esc

if TYPE_CHECKING:  # pragma: no cover
    from corridors.model import Atlas
    from corridors.network.route import Route

__all__ = ["Explanation", "explain_route"]

_QTY = (("hours", "h"), ("usd_per_t", "US$/t"), ("co2e_kg_per_t", "kg CO2e/t"))


@dataclass(frozen=True)
class Explanation:
    """The breakdown of a route's costs and the sources behind them (see module docstring).

    Attributes
    ----------
    route : str
        ``"Origin → Destination (scenario)"``.
    totals : dict
        ``{"hours": {"p10", "p50", "p90"}, ...}`` (from ``RouteCosts.to_dict``).
    components : list of dict
        ``{quantity, component, p50, share}`` per non-zero component.
    legs : list of dict
        Per leg: ``leg, from, to, segment, mode, km, status, precision`` and the P50 of each
        component (``hours``, ``usd_per_t``, ``co2e_kg_per_t``).
    circuity : dict
        ``{value, geodesic_km, threshold, plausible}``.
    parameters : list of dict
        ``{id, typical, low, high, unit, year, claimed, applies_to, sources, largest_item}``
        ranked by the largest share of its quantity's total a parameter's item has; scenario
        values taken as fixed have ``id`` ``scenario.*`` and no sources; figures used only in
        conversions (``consignment.t``, the value of time) come last, ``largest_item`` null.
    missing : list of str
    """

    route: str
    totals: dict[str, Any]
    components: list[dict[str, Any]]
    legs: list[dict[str, Any]]
    circuity: dict[str, Any]
    parameters: list[dict[str, Any]]
    missing: list[str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``corridors route --explain --json``)."""
        return {
            "route": self.route,
            "totals": self.totals,
            "components": self.components,
            "legs": self.legs,
            "circuity": self.circuity,
            "parameters": self.parameters,
            "missing": self.missing,
        }

    def text(self) -> str:
        """Plain-text report (``corridors route --explain``)."""
        out = [f"why {self.route}"]
        c = self.circuity
        if c["value"] is not None:
            out.append(
                f"  circuity {c['value']:.2f} ({c['geodesic_km']:,.0f} km great circle), "
                f"threshold {c['threshold']}" + ("" if c["plausible"] else " — implausible")
            )
        for q, unit in _QTY:
            t = self.totals.get(q)
            if t:
                out.append(
                    f"  {q}: P10 {t['p10']:,.1f}, P50 {t['p50']:,.1f}, P90 {t['p90']:,.1f} {unit}"
                )
            parts = [x for x in self.components if x["quantity"] == q]
            if parts:
                out.append(
                    "    "
                    + "; ".join(
                        f"{x['component']} {x['p50']:,.1f} ({x['share']:.0%})" for x in parts
                    )
                )
        g = self.totals.get("generalized_usd_per_t")
        if g:
            out.append(
                f"  generalized (US$/t + value of time x hours): P10 {g['p10']:,.1f}, "
                f"P50 {g['p50']:,.1f}, P90 {g['p90']:,.1f} US$/t"
            )
        out.append("  legs:")
        for leg in self.legs:
            h, u = leg["hours"], leg["usd_per_t"]
            out.append(
                f"    {leg['leg']}. {leg['from']} → {leg['to']} {leg['mode']} {leg['km']:,.0f} km "
                f"[{leg['segment']}, {leg['status']}, precision {leg['precision']}]: "
                f"{sum(h.values()):,.1f} h, US$ {sum(u.values()):,.1f}/t, "
                f"{leg['co2e_kg_per_t']:,.1f} kg CO2e/t"
            )
        out.append("  biggest cost items and their sources:")
        for p in self.parameters:
            big = p["largest_item"]
            rng = (
                f"{p['typical']:g} ({p['low']:g}–{p['high']:g}) {p['unit']}, {p['year']}"
                if p["unit"]
                else "scenario value, fixed"
            )
            used = (
                f"largest item {big['p50']:,.1f} {dict(_QTY)[big['quantity']]} "
                f"{big['component']} at {big['at']}"
                if big is not None
                else "used in conversions (per tonne, value of time)"
            )
            out.append(f"    {p['id']}: {rng}{' (claimed)' if p['claimed'] else ''}; {used}")
            out.extend(f"      source: {s['title']} <{s['url']}>" for s in p["sources"])
        if self.missing:
            out.append("  no figure: " + "; ".join(self.missing))
        return "\n".join(out)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        e = esc
        rows = "".join(
            f"<tr><td>{e(x['quantity'])}</td><td>{e(x['component'])}</td>"
            f"<td>{x['p50']:,.1f}</td><td>{x['share']:.0%}</td></tr>"
            for x in self.components
        )
        params = "".join(
            f"<li><code>{e(p['id'])}</code>: "
            + e(
                f"{p['typical']:g} ({p['low']:g}–{p['high']:g}) {p['unit']}, {p['year']}"
                if p["unit"]
                else "scenario value, fixed"
            )
            + "".join(f' — <a href="{e(s["url"])}">{e(s["title"])}</a>' for s in p["sources"])
            + "</li>"
            for p in self.parameters
        )
        return (
            f"<details open><summary><b>Why</b> {e(self.route)}</summary>"
            "<table><tr><th>quantity</th><th>component</th><th>P50</th><th>share</th></tr>"
            f"{rows}</table><p>biggest cost items and their sources:</p><ol>{params}</ol>"
            "</details>"
        )


def explain_route(route: Route, atlas: Atlas | None = None) -> Explanation:
    """The :class:`Explanation` of ``route`` (``atlas``: where the segments' precision is
    read; default the bundled atlas).

    Raises
    ------
    ValueError
        When the route has no cost table (nothing to explain the costs with).
    """
    costs = route.costs
    table = route.cost_table
    if costs is None or table is None:
        raise ValueError(
            "the route has no costs to explain: its atlas has no cost table "
            "(geodata/costs.toml); hint: route on an atlas with costs.toml"
        )
    if atlas is None:
        from corridors.network.routing import default_atlas

        atlas = default_atlas()
    d = costs.to_dict()
    totals = {q: d[q] for q, _ in _QTY}
    if d.get("generalized_usd_per_t"):
        totals["generalized_usd_per_t"] = d["generalized_usd_per_t"]
    comps: list[dict[str, Any]] = []
    for q, parts in (
        ("hours", costs.total_hours),
        ("usd_per_t", costs.total_usd_per_t),
        ("co2e_kg_per_t", {"moving": costs.total_co2e_kg_per_t}),
    ):
        total = sum(parts.values())
        for k, v in parts.items():
            if v > 0:
                comps.append(
                    {
                        "quantity": q,
                        "component": k,
                        "p50": round(v, 2),
                        "share": round(v / total, 3) if total > 0 else 0.0,
                    }
                )
    status = dict(route.segment_status)
    legs = []
    for leg, lc in zip(route.legs, d["breakdown"]["legs"], strict=True):
        seg = atlas.segments.get(leg.segment)
        legs.append(
            {
                "leg": lc["leg"],
                "from": leg.from_node,
                "to": leg.to_node,
                "segment": leg.segment,
                "mode": leg.mode,
                "km": round(leg.length_km, 1),
                "status": status.get(leg.segment, seg.status if seg else "unknown"),
                "precision": seg.precision if seg is not None else "unknown",
                "hours": lc["hours"],
                "usd_per_t": lc["usd_per_t"],
                "co2e_kg_per_t": lc["co2e_kg_per_t"],
            }
        )
    c = route.circuity
    circ = {
        "value": round(c, 3) if c is not None else None,
        "geodesic_km": round(route.geodesic_km, 1) if route.geodesic_km is not None else None,
        "threshold": route.circuity_warn,
        "plausible": route.plausible,
    }
    # the biggest item of each parameter, ranked by a common yardstick: its share of the
    # total P50 of its quantity
    big: dict[str, tuple[float, dict[str, Any]]] = {}
    sums = {q: max(sum(x["p50"] for x in comps if x["quantity"] == q), 1e-12) for q, _ in _QTY}
    for it in costs.items:
        p50 = it.p50
        share = p50 / sums[it.quantity]
        if it.source not in big or share > big[it.source][0]:
            big[it.source] = (
                share,
                {
                    "quantity": it.quantity,
                    "component": it.component,
                    "at": it.at,
                    "leg": it.leg,
                    "p50": round(p50, 2),
                    "share": round(share, 3),
                },
            )
    ranked: list[tuple[str, dict[str, Any] | None]] = [
        (pid, item) for pid, (_, item) in sorted(big.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]
    # figures used without an item of their own (value of time, consignment basis)
    ranked += [(pid, None) for pid in costs.sources if pid not in big]
    params = []
    for pid, item in ranked:
        if pid in table:
            p = table.get(pid)
            params.append(
                {
                    "id": pid,
                    "typical": p.typical,
                    "low": p.low,
                    "high": p.high,
                    "unit": p.unit,
                    "year": p.year,
                    "claimed": p.claimed,
                    "applies_to": p.applies_to.describe(),
                    "sources": [{"url": s.url, "title": s.title} for s in p.sources],
                    "largest_item": item,
                }
            )
        else:
            params.append(
                {
                    "id": pid,
                    "typical": None,
                    "low": None,
                    "high": None,
                    "unit": None,
                    "year": None,
                    "claimed": False,
                    "applies_to": "scenario",
                    "sources": [],
                    "largest_item": item,
                }
            )
    return Explanation(
        route=f"{route.origin_name} → {route.destination_name} ({route.scenario})",
        totals=totals,
        components=comps,
        legs=legs,
        circuity=circ,
        parameters=params,
        missing=list(costs.missing),
    )
