"""Which cost-table parameter applies where, and their Monte Carlo draws.

Shared by the costing of a found route (:mod:`corridors.network.costing`) and the expected
edge costs routing by US$, CO2e or generalized cost uses (:mod:`corridors.network.weights`),
so both read the same figure at the same place.

Look-up order for a parameter of one kind (``border_dwell``, ``border_fee``,
``gauge_change``, ``port_dwell``…): the one naming the node, else the one naming the border
(without a node), else the mode's generic one. A parameter naming a segment or corridor
(capacities) is never a default.

Draws: a parameter with ``low < high`` is drawn from ``triangular(low, typical, high)``, one
with ``low == high`` is fixed. Each parameter has its own generator seeded with
``(seed, crc32(id))`` and is drawn once per sample, whatever uses it: the draws of a
parameter are the same in every route and scenario costed with the same seed (paired draws,
what :mod:`corridors.analytics.diff` relies on).
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

import numpy as np

from corridors.costs_table import CostParameter, CostTable
from corridors.errors import GeodataError, problem

if TYPE_CHECKING:  # pragma: no cover
    from corridors.network.route import Route

__all__ = [
    "CONSIGNMENT_ID",
    "Sampler",
    "check_args",
    "co2_factor",
    "consignment",
    "find_param",
    "gauge_param",
    "leg_of_node",
    "leg_of_segment",
    "p50_rows",
    "quantiles",
    "value_of_time",
]

#: Id of the tonnes per consignment (truck, wagon, box) in ``costs.toml``.
CONSIGNMENT_ID = "consignment.t"
#: Ids of the value-of-time figures (``pct_per_day`` × cargo value / consignment t).
TIME_VALUE_ID = "time_value.pct_per_day"
CARGO_VALUE_ID = "cargo_value.teu"


#: Draws shared by every sampler: ``(id, typical, low, high, draws, seed)`` → samples (the
#: same figures always give the same draws, so costing many routes draws each figure once).
_DRAWS: dict[tuple[str, float, float, float, int, int], np.ndarray] = {}
_DRAWS_MAX = 4096
#: Look-ups per table (keyed by ``id``; the table is kept alongside so the id stays valid).
_LOOKUPS: dict[int, tuple[CostTable, dict[tuple[object, ...], CostParameter | None]]] = {}


def _memo(table: CostTable) -> dict[tuple[object, ...], CostParameter | None]:
    got = _LOOKUPS.get(id(table))
    if got is None or got[0] is not table:
        if len(_LOOKUPS) > 64:
            _LOOKUPS.clear()
        got = (table, {})
        _LOOKUPS[id(table)] = got
    return got[1]


class Sampler:
    """Draws of each parameter, made once and reused (the correlation across legs).

    Attributes
    ----------
    draws, seed : int
    used : set of str
        Parameter ids drawn (and ``scenario.*`` for scenario values taken as fixed).
    """

    def __init__(self, draws: int, seed: int) -> None:
        self.draws = draws
        self.seed = seed
        self.cache: dict[str, np.ndarray] = {}
        self.used: set[str] = set()

    def draw(self, p: CostParameter) -> np.ndarray:
        """The ``draws`` samples of ``p`` (the same array on every call)."""
        self.used.add(p.id)
        got = self.cache.get(p.id)
        if got is None:
            key = (p.id, p.typical, p.low, p.high, self.draws, self.seed)
            got = _DRAWS.get(key)
            if got is None:
                if p.low == p.high:
                    got = np.full(self.draws, p.typical)
                else:
                    rng = np.random.default_rng([self.seed, zlib.crc32(p.id.encode("utf-8"))])
                    got = rng.triangular(p.low, p.typical, p.high, self.draws)
                got.setflags(write=False)
                if len(_DRAWS) >= _DRAWS_MAX:
                    _DRAWS.clear()
                _DRAWS[key] = got
            self.cache[p.id] = got
        return got

    def fixed(self, value: float, source: str) -> np.ndarray:
        """``value`` in every sample, recorded as coming from ``source``."""
        self.used.add(source)
        return np.full(self.draws, float(value))


def find_param(
    table: CostTable,
    kind: str,
    *,
    mode: str | None = None,
    node: str | None = None,
    border: str | None = None,
    unit: str | None = None,
) -> CostParameter | None:
    """The most specific ``kind`` parameter: naming ``node``, else ``border`` (no node),
    else generic for ``mode`` (``mode`` must agree when the parameter names one)."""
    memo = _memo(table)
    key = (kind, mode, node, border, unit)
    if key in memo:
        return memo[key]
    got = _find(table, kind, mode=mode, node=node, border=border, unit=unit)
    memo[key] = got
    return got


def _find(
    table: CostTable,
    kind: str,
    *,
    mode: str | None,
    node: str | None,
    border: str | None,
    unit: str | None,
) -> CostParameter | None:
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


def gauge_param(table: CostTable, node: str, unit: str) -> CostParameter | None:
    """The ``gauge_change`` figure in ``unit`` (``h`` or ``usd``) for a break at ``node``:
    the one naming the node, else the first in the table (the Dostyk measurement stands in
    for every break)."""
    p = find_param(table, "gauge_change", node=node, unit=unit)
    if p is not None:
        return p
    for q in table.of_kind("gauge_change"):
        if q.unit == unit:
            return q
    return None


def consignment(table: CostTable) -> CostParameter | None:
    """The tonnes per consignment (``consignment.t``), or ``None``."""
    return table.get(CONSIGNMENT_ID) if CONSIGNMENT_ID in table else None


def co2_factor(table: CostTable, mode: str) -> tuple[CostParameter, bool] | None:
    """The emission factor of ``mode`` and whether it is per TEU-km (to divide by the
    consignment), per t-km factors first; ``None`` without one."""
    p = find_param(table, "co2", mode=mode, unit="g_co2e_per_t_km")
    if p is not None:
        return p, False
    q = find_param(table, "co2", mode=mode, unit="g_co2e_per_teu_km")
    return (q, True) if q is not None else None


def value_of_time(table: CostTable, s: Sampler) -> np.ndarray | None:
    """US$ per t per hour in each sample: ``cargo_value.teu / consignment.t ×
    time_value.pct_per_day / 100 / 24``; ``None`` when a figure is missing."""
    need = (TIME_VALUE_ID, CARGO_VALUE_ID, CONSIGNMENT_ID)
    if not all(i in table for i in need):
        return None
    pct, cargo, tonnes = (s.draw(table.get(i)) for i in need)
    return cargo / np.maximum(tonnes, 1e-9) * pct / 100.0 / 24.0


def check_args(draws: object, seed: object, default_draws: int) -> tuple[int, int]:
    """``(draws, seed)`` as ints, or a located error (``costs-draws`` / ``costs-seed``)."""
    for name, v, lo in (("draws", draws, 1), ("seed", seed, 0)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or int(v) < lo:
            raise GeodataError(
                [
                    problem(
                        "<arguments>",
                        f"route_costs({name}=...)",
                        f"{name} must be an integer >= {lo}",
                        f"e.g. route_costs(atlas, route, {name}={default_draws if lo else 0})",
                        code=f"costs-{name}",
                        field=name,
                        value=v,
                    )
                ]
            )
    return int(draws), int(seed)  # type: ignore[call-overload]


def quantiles(values: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
    """Percentiles ``qs`` (0-100) of the last axis, as ``numpy.percentile`` with its default
    linear method computes them, from one partial sort (without its per-call overhead)."""
    n = values.shape[-1]
    pos = [q / 100.0 * (n - 1) for q in qs]
    lo = [int(np.floor(p)) for p in pos]
    hi = [min(k + 1, n - 1) for k in lo]
    part = np.partition(values, sorted(set(lo + hi)), axis=-1)
    out = []
    for p, a, b in zip(pos, lo, hi, strict=True):
        va, vb = part[..., a], part[..., b]
        out.append(va + (vb - va) * (p - a))
    return np.stack(out, axis=-1)


def p50_rows(rows: np.ndarray) -> np.ndarray:
    """Median of each row (linear), computing only the rows that are not constant."""
    lo, hi = rows.min(axis=1), rows.max(axis=1)
    out = lo.copy()
    vary = lo != hi
    if vary.any():
        out[vary] = quantiles(rows[vary], (50.0,))[:, 0]
    return out


def leg_of_segment(route: Route, segment: str, start: int) -> int:
    for i in range(start, len(route.legs)):
        if route.legs[i].segment == segment:
            return i
    return min(start, max(len(route.legs) - 1, 0))


def leg_of_node(route: Route, node: str) -> int:
    for i, leg in enumerate(route.legs):
        if leg.to_node == node:
            return i
    for i, leg in enumerate(route.legs):
        if node in leg.nodes:
            return i
    return max(len(route.legs) - 1, 0)
