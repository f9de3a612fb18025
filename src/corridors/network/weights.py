"""Expected edge costs for routing by US$, CO2e or generalized cost.

``route(..., weight="usd" | "co2" | "generalized")`` (``corridors route --by``) minimises the
*expected* cost of the calibrated model of :mod:`corridors.network.costing`: each edge of
the routing graph carries the mean, over the same Monte Carlo draws the costing uses
(default seed and draws), of what it adds:

* a piece: ``length_km × cost.<mode>`` US$/t plus the border fees of its land borders
  divided by ``consignment.t``; ``length_km × co2.<mode>`` g/t; hours ``length_km ×
  mean(1 / speed.<mode>)`` plus the border dwell of each land border (or the scenario's
  hours where the table has no figure);
* a change of mode, of vessel or of gauge: the transfer/port dwell hours, the gauge change
  hours and US$ (or the scenario's hours);
* ``generalized`` = US$/t + mean value of time (US$ per t per hour) × hours.

Means add up, so the path of least summed expected cost is the route of least expected cost
(Dijkstra is exact for it); the route's P10/P50/P90 are then computed by the costing, the
P50 of a sum not being the sum of P50s. A mode without a US$ or CO2e figure (ferry, air)
is routed at the *highest* per t-km figure of the table, a stand-in that keeps an unknown
cost from looking free; the costing still reports it as missing. ``hours`` routing keeps
the scenario's hours model (its defaults and overrides).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from corridors.costs_table import CostTable
from corridors.errors import CorridorsError
from corridors.network.cost_params import (
    Sampler,
    co2_factor,
    consignment,
    find_param,
    gauge_param,
    value_of_time,
)
from corridors.network.costing import DEFAULT_DRAWS, DEFAULT_SEED
from corridors.network.graph import Network, Piece
from corridors.scenario.costs import border_key

__all__ = ["COST_WEIGHTS", "EdgeCost", "edge_cost"]

#: Weights routed on the calibrated model's expected costs, and what each minimises.
COST_WEIGHTS: dict[str, str] = {
    "usd": "expected US$ per t",
    "co2": "expected kg CO2e per t",
    "generalized": "expected US$ per t + value of time x hours",
}
_LAND = ("road", "rail")

#: ``(from vertex, to vertex, edge data) -> cost`` of one routing-graph edge.
EdgeCost = Callable[[tuple[Any, ...], tuple[Any, ...], dict[str, Any]], float]

_CACHE: weakref.WeakKeyDictionary[Network, dict[str, EdgeCost]] = weakref.WeakKeyDictionary()


def edge_cost(net: Network, weight: str) -> EdgeCost:
    """The expected cost of each edge of ``net.routing`` for ``weight`` (cached per network).

    Raises
    ------
    ValueError
        ``weight`` not in :data:`COST_WEIGHTS`.
    CorridorsError
        The atlas has no cost table.
    """
    if weight not in COST_WEIGHTS:
        raise ValueError(f"weight must be one of {sorted(COST_WEIGHTS)}, got {weight!r}")
    per_net = _CACHE.setdefault(net, {})
    got = per_net.get(weight)
    if got is None:
        table = net.atlas.costs
        if table is None:
            raise CorridorsError(
                f"routing by {weight} needs the cost table (geodata/costs.toml), which this "
                "atlas does not have; hint: route by hours, or add costs.toml"
            )
        got = _Expected(net, table).cost_fn(weight)
        per_net[weight] = got
    return got


class _Expected:
    """Expected amounts per piece and per stop, for one network and cost table."""

    def __init__(self, net: Network, table: CostTable) -> None:
        self.net, self.table = net, table
        self.s = Sampler(DEFAULT_DRAWS, DEFAULT_SEED)
        cons = consignment(table)
        self.inv_t = float(np.mean(1.0 / np.maximum(self.s.draw(cons), 1e-9))) if cons else None
        vot = value_of_time(table, self.s)
        self.vot = float(np.mean(vot)) if vot is not None else None
        costs = [
            float(np.mean(self.s.draw(p)))
            for p in table.of_kind("cost")
            if p.unit == "usd_per_t_km"
        ]
        self.usd_standin = max(costs, default=0.0)
        efs = [
            float(np.mean(self.s.draw(p)))
            for p in table.of_kind("co2")
            if p.unit == "g_co2e_per_t_km"
        ]
        self.co2_standin = max(efs, default=0.0)
        self.pieces: dict[str, tuple[float, float, float]] = {}

    def mean(self, p: Any) -> float:
        return float(np.mean(self.s.draw(p)))

    def piece(self, p: Piece) -> tuple[float, float, float]:
        """``(hours, US$/t, kg CO2e/t)`` expected on piece ``p``."""
        got = self.pieces.get(p.id)
        if got is not None:
            return got
        table, km = self.table, p.length_km
        sp = find_param(table, "speed", mode=p.mode)
        hours = km * float(np.mean(1.0 / np.maximum(self.s.draw(sp), 1e-9))) if sp else p.travel_h
        dl = find_param(table, "en_route_delay", mode=p.mode, unit="h_per_1000_km")
        if dl is not None:
            hours += km / 1000.0 * self.mean(dl)
        cost = find_param(table, "cost", mode=p.mode, unit="usd_per_t_km")
        usd = km * (self.mean(cost) if cost is not None else self.usd_standin)
        ef = co2_factor(table, p.mode)
        if ef is None:
            co2 = km * self.co2_standin / 1000.0
        else:
            co2 = km * self.mean(ef[0]) / 1000.0 * ((self.inv_t or 0.0) if ef[1] else 1.0)
        if p.mode in _LAND:
            from corridors.network.routing import _border_node

            scen = self.net.scenario.costs
            for a, b in p.borders:
                at, key = _border_node(self.net, p, a, b), border_key(a, b)
                dwell = find_param(table, "border_dwell", mode=p.mode, node=at, border=key)
                hours += self.mean(dwell) if dwell is not None else scen.dwell_h(a, b)
                fee = find_param(table, "border_fee", mode=p.mode, node=at, border=key, unit="usd")
                if fee is not None and self.inv_t is not None:
                    usd += self.mean(fee) * self.inv_t
        got = (hours, usd, co2)
        self.pieces[p.id] = got
        return got

    def stop(self, kind: str, at: str, c1: tuple[Any, ...], hours: float) -> tuple[float, float]:
        """``(hours, US$/t)`` expected at a transfer, transshipment or gauge break."""
        table = self.table
        if kind == "gauge_break":
            gh, gu = gauge_param(table, at, "h"), gauge_param(table, at, "usd")
            h = self.mean(gh) if gh is not None else hours
            usd = self.mean(gu) * self.inv_t if gu is not None and self.inv_t is not None else 0.0
            return h, usd
        if kind == "transshipment":
            p = find_param(table, "port_dwell", node=at, unit="h", mode=c1[0])
        else:
            p = find_param(table, "transfer_dwell", node=at, unit="h")
        return (self.mean(p) if p is not None else hours), 0.0

    def cost_fn(self, weight: str) -> EdgeCost:
        vot = self.vot or 0.0
        pieces = self.net.pieces

        def cost(u: tuple[Any, ...], v: tuple[Any, ...], data: dict[str, Any]) -> float:
            kind = data.get("kind")
            if kind == "piece":
                h, usd, co2 = self.piece(pieces[str(data["piece"])])
            elif kind in ("transfer", "transshipment", "gauge_break"):
                h, usd = self.stop(str(kind), str(data["at"]), u[1], float(data["hours"]))
                co2 = 0.0
            else:
                return 0.0
            if weight == "usd":
                return usd
            if weight == "co2":
                return co2
            return usd + vot * h

        return cost
