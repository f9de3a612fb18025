"""Costing a chosen route with the calibrated cost table: hours, US$ per t and CO2e per t.

Routing minimises the scenario's hours model (:mod:`corridors.scenario.costs`); this module
then *costs* the route it found with the sourced figures of ``geodata/costs.toml``
(:class:`corridors.costs_table.CostTable`), as a Monte Carlo over each parameter's range.

The model, per leg of the route:

* **moving** hours = ``length_km / speed.<mode>``; a mode without a speed in the table
  (ferry, air…) keeps the leg's scenario hours as a fixed value (source
  ``scenario.speed_kmh.<mode>``);
* **delay** hours = ``length_km / 1000 × en_route_delay.<mode>`` (yard, terminal and
  en-route stops; rail only, derived from CPMM's door-to-door vs moving speed);
* **border** hours at each *land* (road or rail) border crossing: the parameter naming the
  crossing's node, else the one naming the border without a node, else the mode's generic
  ``border_dwell.<mode>``; maritime country changes carry no border dwell, as in the
  scenario model;
* **transfer** and **port** hours at a change of mode and a change of vessel: a
  ``transfer_dwell`` / ``port_dwell`` parameter naming the node (or generic for the vessel's
  mode: ``port_dwell.sea``) when the table has one, else the scenario's ``transfer_h`` as a
  fixed value (source ``scenario.transfer_h``);
* **gauge** hours and US$ at each break of gauge: the ``gauge_change`` parameter (unit
  ``h`` / ``usd``) naming the node, else the first one in the table (the Dostyk figure is the
  only measurement and stands in for every break); without one, the scenario's
  ``break_of_gauge_h`` fixed. Possible breaks (unknown gauge) are not charged;
* **US$ per t** = ``length_km × cost.<mode>`` + border fees + gauge change US$; fees and
  the gauge change are per truck, wagon or container, divided by the table's
  ``consignment.t`` (20 t, the CPMM basis of ``cost.road``);
* **kg CO2e per t** = ``length_km × co2.<mode> / 1000`` (a per TEU-km factor, such as
  ``co2.sea_container``, is divided by ``consignment.t`` first);
* **generalized US$ per t** = US$ per t + value of time × hours, the value of time (US$ per
  t per hour) being ``cargo_value.teu / consignment.t × time_value.pct_per_day / 100 / 24``
  (:func:`corridors.network.cost_params.value_of_time`), drawn like every other figure.

A mode without a figure contributes nothing to a total and is listed in
:attr:`RouteCosts.missing` (``"usd_per_t: no figure for sea (cost.sea)"``).

Distribution: each parameter with ``low < high`` is drawn from
``triangular(low, mode=typical, high)``; a parameter with ``low == high`` is fixed. A
parameter is drawn **once per Monte Carlo sample** and that draw is used at every leg and
crossing it applies to (a slow road sample is slow everywhere). Each parameter has its own
``numpy`` generator seeded with ``(seed, crc32(id))``, so the numbers do not depend on the
hash seed, on the order of the legs or on which other parameters a route uses, and two
routes costed with the same seed see the same draws (paired comparisons). P10, P50
and P90 are ``numpy.percentile`` (linear) of the per-sample totals; the breakdown gives the
P50 of each component (P50s do not add up to the P50 of the total).

Examples
--------
>>> from corridors.network.routing import default_atlas, route
>>> atlas = default_atlas()
>>> c = route_costs(atlas, route(atlas, "full-vision", "Gwadar", "Baku"), draws=200)
>>> c.hours.p10 <= c.hours.p50 <= c.hours.p90
True
>>> sorted(c.to_dict())[:3]
['breakdown', 'co2e_kg_per_t', 'consignment_t']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from corridors.costs_table import CostTable
from corridors.network.cost_params import (
    Sampler,
    check_args,
    co2_factor,
    consignment,
    find_param,
    gauge_param,
    leg_of_node,
    leg_of_segment,
    p50_rows,
    quantiles,
    value_of_time,
)

if TYPE_CHECKING:  # pragma: no cover
    from corridors.model import Atlas
    from corridors.network.route import Route

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "DISTRIBUTION",
    "HOUR_PARTS",
    "USD_PARTS",
    "CostItem",
    "LegCosts",
    "Quantiles",
    "RouteCosts",
    "route_costs",
]

#: Monte Carlo samples by default.
DEFAULT_DRAWS = 1000
#: Seed of the Monte Carlo by default (fixed: the same route always gets the same numbers).
DEFAULT_SEED = 20261202
#: The distribution, as the JSON states it.
DISTRIBUTION = "triangular(low, mode=typical, high); fixed when low == high"
#: Components of hours, in output order.
HOUR_PARTS: tuple[str, ...] = ("moving", "delay", "border", "transfer", "gauge", "port")
#: Components of US$ per t, in output order.
USD_PARTS: tuple[str, ...] = ("transport", "border_fee", "gauge")
_LAND = ("road", "rail")


@dataclass(frozen=True)
class Quantiles:
    """P10, P50 and P90 of one quantity."""

    p10: float
    p50: float
    p90: float

    @classmethod
    def of(cls, values: np.ndarray) -> Quantiles:
        """The quantiles of ``values`` (linear interpolation)."""
        q = quantiles(values, (10.0, 50.0, 90.0))
        return cls(float(q[0]), float(q[1]), float(q[2]))

    def to_dict(self, ndigits: int = 2) -> dict[str, float]:
        """``{"p10", "p50", "p90"}`` rounded to ``ndigits``."""
        return {k: _num(getattr(self, k), ndigits) for k in ("p10", "p50", "p90")}

    def text(self, fmt: str = ",.0f") -> str:
        """``"120–140–170"``."""
        return "–".join(format(v, fmt) for v in (self.p10, self.p50, self.p90))


@dataclass(frozen=True)
class LegCosts:
    """P50 of each component on one leg.

    Attributes
    ----------
    index : int
        Position of the leg in the route.
    segment, mode, from_node, to_node : str
    hours : dict of str to float
        P50 h per component (:data:`HOUR_PARTS`); transfers and gauge breaks count on the
        leg that ends at (or passes) their node.
    usd_per_t : dict of str to float
        P50 US$/t per component (:data:`USD_PARTS`).
    co2e_kg_per_t : float
        P50 kg CO2e/t.
    """

    index: int
    segment: str
    mode: str
    from_node: str
    to_node: str
    hours: dict[str, float]
    usd_per_t: dict[str, float]
    co2e_kg_per_t: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "leg": self.index,
            "from": self.from_node,
            "to": self.to_node,
            "mode": self.mode,
            "segment": self.segment,
            "hours": {k: _num(v, 2) for k, v in self.hours.items()},
            "usd_per_t": {k: _num(v, 2) for k, v in self.usd_per_t.items()},
            "co2e_kg_per_t": _num(self.co2e_kg_per_t, 2),
        }


@dataclass(frozen=True)
class CostItem:
    """One amount added to a route's costs.

    Attributes
    ----------
    leg : int
        Leg it is charged on.
    quantity : str
        ``hours``, ``usd_per_t`` or ``co2e_kg_per_t``.
    component : str
        One of :data:`HOUR_PARTS` / :data:`USD_PARTS`, or ``moving`` for CO2e.
    source : str
        Parameter id (``scenario.*`` for a scenario value taken as fixed).
    at : str
        What it is charged for: ``"1,234 km"``, a border, a node.
    values : ndarray
        Its per-sample amounts.
    """

    leg: int
    quantity: str
    component: str
    source: str
    at: str
    values: np.ndarray = field(repr=False, compare=False)

    @property
    def p50(self) -> float:
        """Median amount."""
        return float(quantiles(self.values, (50.0,))[0])


@dataclass(frozen=True)
class RouteCosts:
    """The costed route: quantiles, breakdown, sources and what had no figure.

    Attributes
    ----------
    hours, usd_per_t, co2e_kg_per_t : Quantiles
        Totals of the route.
    total_hours, total_usd_per_t : dict of str to float
        P50 of each component over the whole route.
    total_co2e_kg_per_t : float
        P50 kg CO2e/t (one component: moving).
    legs : tuple of LegCosts
    sources : tuple of str
        Parameter ids used (``scenario.*`` for a scenario value taken as fixed), sorted.
    missing : tuple of str
        What had no figure and is left out of the totals, first appearance order.
    draws, seed : int
    generalized_usd_per_t : Quantiles or None
        US$ per t + value of time × hours; ``None`` without the value-of-time figures.
    value_of_time_usd_per_t_h : float or None
        P50 of the value of time, US$ per t per hour.
    consignment_t : float or None
        Tonnes per consignment the per-truck/wagon/box figures were divided by (P50).
    items : tuple of CostItem
        Every amount added, with the parameter it came from (what
        :meth:`corridors.network.route.Route.explain` reads).
    samples : dict of str to ndarray
        Per-sample totals (``hours``, ``usd_per_t``, ``co2e_kg_per_t``, and
        ``generalized_usd_per_t`` when known), for paired comparisons.
    """

    hours: Quantiles
    usd_per_t: Quantiles
    co2e_kg_per_t: Quantiles
    total_hours: dict[str, float]
    total_usd_per_t: dict[str, float]
    total_co2e_kg_per_t: float
    legs: tuple[LegCosts, ...]
    sources: tuple[str, ...]
    missing: tuple[str, ...]
    draws: int
    seed: int
    generalized_usd_per_t: Quantiles | None = None
    value_of_time_usd_per_t_h: float | None = None
    consignment_t: float | None = None
    items: tuple[CostItem, ...] = field(default=(), repr=False, compare=False)
    samples: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (strict JSON: every number is finite), the ``costs`` of
        ``corridors route --json``."""
        return {
            "hours": self.hours.to_dict(2),
            "usd_per_t": self.usd_per_t.to_dict(2),
            "co2e_kg_per_t": self.co2e_kg_per_t.to_dict(2),
            "breakdown": {
                "statistic": "p50",
                "total": {
                    "hours": {k: _num(v, 2) for k, v in self.total_hours.items()},
                    "usd_per_t": {k: _num(v, 2) for k, v in self.total_usd_per_t.items()},
                    "co2e_kg_per_t": _num(self.total_co2e_kg_per_t, 2),
                },
                "legs": [leg.to_dict() for leg in self.legs],
            },
            "generalized_usd_per_t": (
                self.generalized_usd_per_t.to_dict(2)
                if self.generalized_usd_per_t is not None
                else None
            ),
            "value_of_time_usd_per_t_h": (
                _num(self.value_of_time_usd_per_t_h, 3)
                if self.value_of_time_usd_per_t_h is not None
                else None
            ),
            "sources": list(self.sources),
            "missing": list(self.missing),
            "distribution": DISTRIBUTION,
            "consignment_t": self.consignment_t,
            "draws": self.draws,
            "seed": self.seed,
        }

    def summary(self) -> str:
        """One line with the three P10–P50–P90 ranges (the CLI prints it)."""
        return (
            f"costs P10–P50–P90 ({self.draws} draws): {self.hours.text()} h; "
            f"US$ {self.usd_per_t.text()} /t; {self.co2e_kg_per_t.text(',.1f')} kg CO2e/t"
            + (
                f"; generalized US$ {self.generalized_usd_per_t.text()} /t"
                if self.generalized_usd_per_t is not None
                else ""
            )
            + (f"; no figure: {', '.join(self.missing)}" if self.missing else "")
        )


def _num(v: float, ndigits: int) -> float:
    if not math.isfinite(v):  # pragma: no cover - every input is finite by construction
        raise ValueError(f"non-finite cost {v!r}")
    r = round(v, ndigits)
    return 0.0 if r == 0 else r


def route_costs(
    atlas: Atlas | CostTable,
    route: Route,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    breakdown: bool = True,
) -> RouteCosts | None:
    """Cost ``route`` with the atlas's cost table (see the module docstring for the model).

    Parameters
    ----------
    atlas : Atlas or CostTable
        The atlas (its ``costs``) or a cost table directly.
    route : Route
    draws : int
        Monte Carlo samples (>= 1).
    seed : int
        Seed (>= 0); the same seed gives the same numbers under any ``PYTHONHASHSEED``.
    breakdown : bool
        ``False`` skips the per-leg P50s (``legs`` is empty; totals, components and samples
        are the same): what comparisons of many routes need.

    Returns
    -------
    RouteCosts or None
        ``None`` when the atlas has no ``costs.toml``.

    Raises
    ------
    GeodataError
        ``draws`` < 1 or ``seed`` < 0 (code ``costs-draws`` / ``costs-seed``).

    Examples
    --------
    >>> from corridors.costs_table import AppliesTo, CostParameter, CostTable
    >>> from corridors.model import Source
    >>> from corridors.network.route import Leg, Route
    >>> s = (Source("https://example.org", "x"),)
    >>> t = CostTable((CostParameter("speed.road", 50, 40, 60, "km/h", 2022,
    ...                              AppliesTo(mode="road"), sources=s),))
    >>> leg = Leg("a", "b", "road", "s1", 1000.0, 20.0, ("PAK",), (), None, (), ((0, 0), (1, 1)))
    >>> r = Route("a", "b", "A", "B", "x", 1000.0, 20.0, ("PAK",), (), (), (), (), (leg,))
    >>> c = route_costs(t, r, draws=500)
    >>> 16.6 < c.hours.p10 < c.hours.p50 < c.hours.p90 < 25.0
    True
    >>> c.missing
    ('usd_per_t: no figure for road (cost.road)', 'co2e_kg_per_t: no figure for road (co2.road)')
    """
    n, seed_i = check_args(draws, seed, DEFAULT_DRAWS)
    table = atlas if isinstance(atlas, CostTable) else atlas.costs
    if table is None:
        return None
    return _Costing(table, route, Sampler(n, seed_i), breakdown).run()


class _Costing:
    """One costing run: fills per-leg, per-component sample arrays and the item list."""

    def __init__(self, table: CostTable, route: Route, s: Sampler, breakdown: bool) -> None:
        self.table, self.route, self.s, self.breakdown = table, route, s, breakdown
        n, nlegs = s.draws, len(route.legs)
        self.h_arr = np.zeros((nlegs, len(HOUR_PARTS), n))
        self.u_arr = np.zeros((nlegs, len(USD_PARTS), n))
        self.c_arr = np.zeros((nlegs, n))
        self.items: list[CostItem] = []
        self.missing: list[str] = []
        cons = consignment(table)
        self.tonnes = s.draw(cons) if cons is not None else None

    def miss(self, text: str) -> None:
        if text not in self.missing:
            self.missing.append(text)

    def add(self, leg: int, qty: str, part: str, source: str, at: str, v: np.ndarray) -> None:
        if qty == "hours":
            self.h_arr[leg, HOUR_PARTS.index(part)] += v
        elif qty == "usd_per_t":
            self.u_arr[leg, USD_PARTS.index(part)] += v
        else:
            self.c_arr[leg] += v
        self.items.append(CostItem(leg, qty, part, source, at, v))

    def per_t(self, values: np.ndarray, what: str) -> np.ndarray | None:
        """A per-consignment amount per tonne (``None`` without ``consignment.t``)."""
        if self.tonnes is None:
            self.miss(f"usd_per_t: no consignment.t to divide the {what} by")
            return None
        return values / np.maximum(self.tonnes, 1e-9)

    def run(self) -> RouteCosts:
        self._legs()
        self._borders()
        self._stops()
        return self._result()

    def _legs(self) -> None:
        table, s = self.table, self.s
        for i, leg in enumerate(self.route.legs):
            km, at = leg.length_km, f"{leg.length_km:,.0f} km {leg.mode}"
            dl = find_param(table, "en_route_delay", mode=leg.mode, unit="h_per_1000_km")
            if dl is not None:
                self.add(i, "hours", "delay", dl.id, at, km / 1000.0 * s.draw(dl))
            sp = find_param(table, "speed", mode=leg.mode)
            if sp is not None:
                self.add(i, "hours", "moving", sp.id, at, km / np.maximum(s.draw(sp), 1e-9))
            else:
                src = f"scenario.speed_kmh.{leg.mode}"
                self.add(i, "hours", "moving", src, at, s.fixed(leg.hours, src))
            cost = find_param(table, "cost", mode=leg.mode, unit="usd_per_t_km")
            if cost is not None:
                self.add(i, "usd_per_t", "transport", cost.id, at, km * s.draw(cost))
            elif km > 0:
                self.miss(f"usd_per_t: no figure for {leg.mode} (cost.{leg.mode})")
            ef = co2_factor(table, leg.mode)
            if ef is None:
                if km > 0:
                    self.miss(f"co2e_kg_per_t: no figure for {leg.mode} (co2.{leg.mode})")
                continue
            g = km * s.draw(ef[0]) / 1000.0
            if ef[1]:  # per TEU-km: per tonne through the consignment
                if self.tonnes is None:
                    self.miss(f"co2e_kg_per_t: no consignment.t to divide {ef[0].id} by")
                    continue
                g = g / np.maximum(self.tonnes, 1e-9)
            self.add(i, "co2e_kg_per_t", "moving", ef[0].id, at, g)

    def _borders(self) -> None:
        """Border crossings, in travel order, on the leg of their segment."""
        table, s, route = self.table, self.s, self.route
        ptr = 0
        for b in route.border_crossings:
            i = leg_of_segment(route, b.segment, ptr)
            ptr = i
            if b.mode not in _LAND:
                continue
            key = "-".join(sorted((b.from_country, b.to_country)))
            at = f"{b.from_country}>{b.to_country}" + (f" at {b.at}" if b.at else "")
            dwell = find_param(table, "border_dwell", mode=b.mode, node=b.at, border=key)
            if dwell is not None:
                self.add(i, "hours", "border", dwell.id, at, s.draw(dwell))
            else:
                self.miss(f"hours: no border dwell figure for {b.mode} (border_dwell.{b.mode})")
            fee = find_param(table, "border_fee", mode=b.mode, node=b.at, border=key, unit="usd")
            if fee is None:
                self.miss(f"usd_per_t: no border fee figure for {b.mode} (border_fee.{b.mode})")
                continue
            v = self.per_t(s.draw(fee), "border fee")
            if v is not None:
                self.add(i, "usd_per_t", "border_fee", fee.id, at, v)

    def _stops(self) -> None:
        """Transfers, transshipments and gauge breaks, on the leg ending at (or passing) them."""
        table, s, route = self.table, self.s, self.route
        stops = sorted(
            [("transfer", t) for t in route.transshipments]
            + [("gauge", t) for t in route.gauge_breaks],
            key=lambda kt: leg_of_node(route, kt[1].at),
        )
        for what, t in stops:
            i = leg_of_node(route, t.at)
            if what == "gauge":
                at = f"{t.at} ({t.from_gauge_mm}/{t.to_gauge_mm} mm)"
                gh = gauge_param(table, t.at, "h")
                if gh is not None:
                    self.add(i, "hours", "gauge", gh.id, at, s.draw(gh))
                else:
                    src = "scenario.break_of_gauge_h"
                    self.add(i, "hours", "gauge", src, at, s.fixed(t.hours, src))
                gu = gauge_param(table, t.at, "usd")
                if gu is None:
                    self.miss("usd_per_t: no gauge change figure (gauge_change.usd)")
                    continue
                v = self.per_t(s.draw(gu), "gauge change")
                if v is not None:
                    self.add(i, "usd_per_t", "gauge", gu.id, at, v)
                continue
            vessel = t.kind == "transshipment"
            part, kind = ("port", "port_dwell") if vessel else ("transfer", "transfer_dwell")
            at = f"{t.at} ({t.from_mode}>{t.to_mode})"
            p = find_param(table, kind, node=t.at, unit="h", mode=t.from_mode if vessel else None)
            if p is not None:
                self.add(i, "hours", part, p.id, at, s.draw(p))
            else:
                self.add(
                    i,
                    "hours",
                    part,
                    "scenario.transfer_h",
                    at,
                    s.fixed(t.hours, "scenario.transfer_h"),
                )

    def _result(self) -> RouteCosts:
        h_arr, u_arr, c_arr, route, s = self.h_arr, self.u_arr, self.c_arr, self.route, self.s
        nlegs = len(route.legs) if self.breakdown else 0
        # P50 of every leg and component in one percentile call (constant rows skipped)
        nh, nu = len(HOUR_PARTS), len(USD_PARTS)
        rows = np.concatenate(
            [
                h_arr[:nlegs].reshape(nlegs * nh, s.draws),
                u_arr[:nlegs].reshape(nlegs * nu, s.draws),
                c_arr[:nlegs],
                h_arr.sum(axis=0),
                u_arr.sum(axis=0),
            ]
        )
        med = p50_rows(rows)
        a, b, c = nlegs * nh, nlegs * (nh + nu), nlegs * (nh + nu + 1)
        leg_h, leg_u = med[:a].reshape(nlegs, nh), med[a:b].reshape(nlegs, nu)
        leg_c, part_h, part_u = med[b:c], med[c : c + nh], med[c + nh :]
        total_h = h_arr.sum(axis=(0, 1))
        total_u = u_arr.sum(axis=(0, 1))
        total_c = c_arr.sum(axis=0)
        legs = tuple(
            LegCosts(
                index=i,
                segment=leg.segment,
                mode=leg.mode,
                from_node=leg.from_node,
                to_node=leg.to_node,
                hours={k: float(leg_h[i, j]) for j, k in enumerate(HOUR_PARTS)},
                usd_per_t={k: float(leg_u[i, j]) for j, k in enumerate(USD_PARTS)},
                co2e_kg_per_t=float(leg_c[i]),
            )
            for i, leg in enumerate(route.legs[:nlegs])
        )
        samples = {"hours": total_h, "usd_per_t": total_u, "co2e_kg_per_t": total_c}
        vot = value_of_time(self.table, s)
        if vot is not None:
            samples["generalized_usd_per_t"] = total_u + vot * total_h
        extra = [x for x in (vot, self.tonnes) if x is not None]
        # every P10/P50/P90 of the totals in one call
        q = quantiles(np.stack([*samples.values(), *extra]), (10.0, 50.0, 90.0))
        qs = [Quantiles(float(r[0]), float(r[1]), float(r[2])) for r in q]
        tail = iter(qs[len(samples) :])
        vot_q = next(tail) if vot is not None else None
        ton_q = next(tail) if self.tonnes is not None else None
        return RouteCosts(
            hours=qs[0],
            usd_per_t=qs[1],
            co2e_kg_per_t=qs[2],
            total_hours={k: float(part_h[j]) for j, k in enumerate(HOUR_PARTS)},
            total_usd_per_t={k: float(part_u[j]) for j, k in enumerate(USD_PARTS)},
            total_co2e_kg_per_t=qs[2].p50,
            legs=legs,
            sources=tuple(sorted(s.used)),
            missing=tuple(self.missing),
            draws=s.draws,
            seed=s.seed,
            generalized_usd_per_t=qs[3] if vot is not None else None,
            value_of_time_usd_per_t_h=vot_q.p50 if vot_q is not None else None,
            consignment_t=ton_q.p50 if ton_q is not None else None,
            items=tuple(self.items),
            samples=samples,
        )
