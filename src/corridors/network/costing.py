"""Costing a chosen route with the calibrated cost table: hours, US$ per t and CO2e per t.

Routing minimises the scenario's hours model (:mod:`corridors.scenario.costs`); this module
then *costs* the route it found with the sourced figures of ``geodata/costs.toml``
(:class:`corridors.costs_table.CostTable`), as a Monte Carlo over each parameter's range.

The model, per leg of the route:

* **moving** hours = ``length_km / speed.<mode>``; a mode without a speed in the table
  (ferry, air…) keeps the leg's scenario hours as a fixed value (source
  ``scenario.speed_kmh.<mode>``);
* **border** hours at each *land* (road or rail) border crossing: the parameter naming the
  crossing's node, else the one naming the border without a node, else the mode's generic
  ``border_dwell.<mode>``; maritime country changes carry no border dwell, as in the
  scenario model;
* **transfer** and **port** hours at a change of mode and a change of vessel: a
  ``transfer_dwell`` / ``port_dwell`` parameter naming the node (or generic) when the table
  has one, else the scenario's ``transfer_h`` as a fixed value (source
  ``scenario.transfer_h``);
* **gauge** hours and US$ at each break of gauge: the ``gauge_change`` parameter (unit
  ``h`` / ``usd``) naming the node, else the first one in the table (the Dostyk figure is the
  only measurement and stands in for every break); without one, the scenario's
  ``break_of_gauge_h`` fixed. Possible breaks (unknown gauge) are not charged;
* **US$ per t** = ``length_km × cost.<mode>`` + border fees + gauge change US$; fees and
  the gauge change are per truck, wagon or container, divided by :data:`CONSIGNMENT_T`
  (20 t, the CPMM basis of ``cost.road``);
* **kg CO2e per t** = ``length_km × co2.<mode> / 1000``.

A mode without a figure contributes nothing to a total and is listed in
:attr:`RouteCosts.missing` (``"usd_per_t: no figure for sea (cost.sea)"``).

Distribution: each parameter with ``low < high`` is drawn from
``triangular(low, mode=typical, high)``; a parameter with ``low == high`` is fixed. A
parameter is drawn **once per Monte Carlo sample** and that draw is used at every leg and
crossing it applies to (a slow road sample is slow everywhere). Each parameter has its own
``numpy`` generator seeded with ``(seed, crc32(id))``, so the numbers do not depend on the
hash seed, on the order of the legs or on which other parameters a route uses. P10, P50
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
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from corridors.costs_table import CostParameter, CostTable
from corridors.errors import GeodataError, problem

if TYPE_CHECKING:  # pragma: no cover
    from corridors.model import Atlas
    from corridors.network.route import Route

__all__ = [
    "CONSIGNMENT_T",
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "DISTRIBUTION",
    "HOUR_PARTS",
    "USD_PARTS",
    "LegCosts",
    "Quantiles",
    "RouteCosts",
    "route_costs",
]

#: Monte Carlo samples by default.
DEFAULT_DRAWS = 1000
#: Seed of the Monte Carlo by default (fixed: the same route always gets the same numbers).
DEFAULT_SEED = 20261202
#: Tonnes per truck, wagon or container that a per-consignment US$ figure is divided by:
#: the 20 t basis of CPMM's road cost (US$ per 500 km per 20 t).
CONSIGNMENT_T = 20.0
#: The distribution, as the JSON states it.
DISTRIBUTION = "triangular(low, mode=typical, high); fixed when low == high"
#: Components of hours, in output order.
HOUR_PARTS: tuple[str, ...] = ("moving", "border", "transfer", "gauge", "port")
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
        q = np.percentile(values, [10.0, 50.0, 90.0])
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
            "sources": list(self.sources),
            "missing": list(self.missing),
            "distribution": DISTRIBUTION,
            "consignment_t": CONSIGNMENT_T,
            "draws": self.draws,
            "seed": self.seed,
        }

    def summary(self) -> str:
        """One line with the three P10–P50–P90 ranges (the CLI prints it)."""
        return (
            f"costs P10–P50–P90 ({self.draws} draws): {self.hours.text()} h; "
            f"US$ {self.usd_per_t.text()} /t; {self.co2e_kg_per_t.text(',.1f')} kg CO2e/t"
            + (f"; no figure: {', '.join(self.missing)}" if self.missing else "")
        )


def _num(v: float, ndigits: int) -> float:
    if not math.isfinite(v):  # pragma: no cover - every input is finite by construction
        raise ValueError(f"non-finite cost {v!r}")
    r = round(v, ndigits)
    return 0.0 if r == 0 else r


class _Sampler:
    """Draws of each parameter, made once and reused (the correlation across legs)."""

    def __init__(self, draws: int, seed: int) -> None:
        self.draws = draws
        self.seed = seed
        self.cache: dict[str, np.ndarray] = {}
        self.used: set[str] = set()

    def draw(self, p: CostParameter) -> np.ndarray:
        self.used.add(p.id)
        got = self.cache.get(p.id)
        if got is None:
            if p.low == p.high:
                got = np.full(self.draws, p.typical)
            else:
                rng = np.random.default_rng([self.seed, zlib.crc32(p.id.encode("utf-8"))])
                got = rng.triangular(p.low, p.typical, p.high, self.draws)
            self.cache[p.id] = got
        return got

    def fixed(self, value: float, source: str) -> np.ndarray:
        self.used.add(source)
        return np.full(self.draws, float(value))


def _param(
    table: CostTable,
    kind: str,
    *,
    mode: str | None = None,
    node: str | None = None,
    border: str | None = None,
    unit: str | None = None,
) -> CostParameter | None:
    """The most specific ``kind`` parameter: naming ``node``, else ``border`` (no node), else
    generic for ``mode`` (``mode`` must agree when the parameter names one)."""
    cands = [
        p
        for p in table.of_kind(kind)
        if (unit is None or p.unit == unit)
        and (mode is None or p.applies_to.mode in (None, mode))
        and not p.applies_to.segment
        and not p.applies_to.corridor
    ]
    if node is not None:
        for p in cands:
            if p.applies_to.node == node:
                return p
    if border is not None:
        for p in cands:
            if p.applies_to.border == border and p.applies_to.node is None:
                return p
    for p in cands:
        if p.applies_to.is_generic and (mode is None or p.applies_to.mode == mode):
            return p
    return None


def _check_args(draws: object, seed: object) -> tuple[int, int]:
    for name, v, lo in (("draws", draws, 1), ("seed", seed, 0)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or int(v) < lo:
            raise GeodataError(
                [
                    problem(
                        "<arguments>",
                        f"route_costs({name}=...)",
                        f"{name} must be an integer >= {lo}",
                        f"e.g. route_costs(atlas, route, {name}={DEFAULT_DRAWS if lo else 0})",
                        code=f"costs-{name}",
                        field=name,
                        value=v,
                    )
                ]
            )
    return int(draws), int(seed)  # type: ignore[call-overload]


def route_costs(
    atlas: Atlas | CostTable,
    route: Route,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
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
    n, seed_i = _check_args(draws, seed)
    table = atlas if isinstance(atlas, CostTable) else atlas.costs
    if table is None:
        return None
    s = _Sampler(n, seed_i)
    nlegs = len(route.legs)
    # samples per leg and component; the dicts hold views, updated in place with +=
    h_arr = np.zeros((nlegs, len(HOUR_PARTS), n))
    u_arr = np.zeros((nlegs, len(USD_PARTS), n))
    c_arr = np.zeros((nlegs, n))
    hours = [{k: h_arr[i, j] for j, k in enumerate(HOUR_PARTS)} for i in range(nlegs)]
    usd = [{k: u_arr[i, j] for j, k in enumerate(USD_PARTS)} for i in range(nlegs)]
    co2 = [c_arr[i] for i in range(nlegs)]
    missing: list[str] = []

    def miss(text: str) -> None:
        if text not in missing:
            missing.append(text)

    for i, leg in enumerate(route.legs):
        km = leg.length_km
        sp = _param(table, "speed", mode=leg.mode)
        if sp is not None:
            hours[i]["moving"] += km / np.maximum(s.draw(sp), 1e-9)
        else:
            hours[i]["moving"] += s.fixed(leg.hours, f"scenario.speed_kmh.{leg.mode}")
        cost = _param(table, "cost", mode=leg.mode, unit="usd_per_t_km")
        if cost is not None:
            usd[i]["transport"] += km * s.draw(cost)
        elif km > 0:
            miss(f"usd_per_t: no figure for {leg.mode} (cost.{leg.mode})")
        ef = _param(table, "co2", mode=leg.mode, unit="g_co2e_per_t_km")
        if ef is not None:
            co2[i] += km * s.draw(ef) / 1000.0
        elif km > 0:
            miss(f"co2e_kg_per_t: no figure for {leg.mode} (co2.{leg.mode})")

    # border crossings, in travel order, on the leg of their segment
    ptr = 0
    for b in route.border_crossings:
        i = _leg_of_segment(route, b.segment, ptr)
        ptr = i
        if b.mode not in _LAND:
            continue
        key = "-".join(sorted((b.from_country, b.to_country)))
        dwell = _param(table, "border_dwell", mode=b.mode, node=b.at, border=key)
        if dwell is not None:
            hours[i]["border"] += s.draw(dwell)
        else:
            miss(f"hours: no border dwell figure for {b.mode} (border_dwell.{b.mode})")
        fee = _param(table, "border_fee", mode=b.mode, node=b.at, border=key, unit="usd")
        if fee is not None:
            usd[i]["border_fee"] += s.draw(fee) / CONSIGNMENT_T
        else:
            miss(f"usd_per_t: no border fee figure for {b.mode} (border_fee.{b.mode})")

    # transfers, transshipments and gauge breaks, on the leg ending at (or passing) them
    stops = sorted(
        [("transfer", t) for t in route.transshipments]
        + [("gauge", t) for t in route.gauge_breaks],
        key=lambda kt: _stop_order(route, kt[1].at),
    )
    for what, t in stops:
        i = _leg_of_node(route, t.at)
        if what == "gauge":
            gh = _param(table, "gauge_change", node=t.at, unit="h") or _first(table, "h")
            hours[i]["gauge"] += (
                s.draw(gh) if gh is not None else s.fixed(t.hours, "scenario.break_of_gauge_h")
            )
            gu = _param(table, "gauge_change", node=t.at, unit="usd") or _first(table, "usd")
            if gu is not None:
                usd[i]["gauge"] += s.draw(gu) / CONSIGNMENT_T
            else:
                miss("usd_per_t: no gauge change figure (gauge_change.usd)")
            continue
        part, kind = (
            ("port", "port_dwell") if t.kind == "transshipment" else ("transfer", "transfer_dwell")
        )
        p = _param(table, kind, node=t.at, unit="h")
        hours[i][part] += s.draw(p) if p is not None else s.fixed(t.hours, "scenario.transfer_h")

    # one percentile call per array (P50 of every leg and component at once)
    leg_h = np.percentile(h_arr, 50.0, axis=2) if nlegs else np.zeros((0, len(HOUR_PARTS)))
    leg_u = np.percentile(u_arr, 50.0, axis=2) if nlegs else np.zeros((0, len(USD_PARTS)))
    leg_c = np.percentile(c_arr, 50.0, axis=1) if nlegs else np.zeros(0)
    part_h = np.percentile(h_arr.sum(axis=0), 50.0, axis=1)
    part_u = np.percentile(u_arr.sum(axis=0), 50.0, axis=1)
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
        for i, leg in enumerate(route.legs)
    )
    return RouteCosts(
        hours=Quantiles.of(h_arr.sum(axis=(0, 1))),
        usd_per_t=Quantiles.of(u_arr.sum(axis=(0, 1))),
        co2e_kg_per_t=Quantiles.of(total_c),
        total_hours={k: float(part_h[j]) for j, k in enumerate(HOUR_PARTS)},
        total_usd_per_t={k: float(part_u[j]) for j, k in enumerate(USD_PARTS)},
        total_co2e_kg_per_t=float(np.percentile(total_c, 50.0)),
        legs=legs,
        sources=tuple(sorted(s.used)),
        missing=tuple(missing),
        draws=n,
        seed=seed_i,
    )


def _first(table: CostTable, unit: str) -> CostParameter | None:
    for p in table.of_kind("gauge_change"):
        if p.unit == unit:
            return p
    return None


def _leg_of_segment(route: Route, segment: str, start: int) -> int:
    for i in range(start, len(route.legs)):
        if route.legs[i].segment == segment:
            return i
    return min(start, max(len(route.legs) - 1, 0))


def _leg_of_node(route: Route, node: str) -> int:
    for i, leg in enumerate(route.legs):
        if leg.to_node == node:
            return i
    for i, leg in enumerate(route.legs):
        if node in leg.nodes:
            return i
    return max(len(route.legs) - 1, 0)


def _stop_order(route: Route, node: str) -> int:
    return _leg_of_node(route, node)
