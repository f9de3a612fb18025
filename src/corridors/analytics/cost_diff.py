"""Cost changes between two scenarios' routes, with the probability that B is better.

Both routes are costed with the same seed and number of draws, and every parameter has its
own generator (:mod:`corridors.network.cost_params`), so sample *i* of route A and sample
*i* of route B see the same draw of every figure they share: the draws are **paired**. The
probability that B is faster is the share of samples in which B's hours are strictly below
A's; it is 0 (and so is the probability that B is slower) when both routes are the same.

Each quantity of :func:`cost_change` is a plain dict::

    {"p50_a", "p50_b", "p50_change", "p50_change_pct",
     "change_p10", "change_p90", "prob_b_better", "prob_b_worse"}

``p50_change`` is ``P50(B) − P50(A)``; ``change_p10`` / ``change_p90`` are the P10 and P90
of the paired difference ``B − A`` sample by sample.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from corridors.network.cost_params import quantiles

if TYPE_CHECKING:  # pragma: no cover
    from corridors.network.costing import RouteCosts
    from corridors.network.route import Route

__all__ = ["BETTER", "QUANTITIES", "cost_change", "cost_changes_row"]

#: Quantities compared, and what "B is better" means for each (lower is better for all).
QUANTITIES: tuple[str, ...] = ("hours", "usd_per_t", "co2e_kg_per_t", "generalized_usd_per_t")
#: The word for "B is better" per quantity (for tables).
BETTER = {
    "hours": "faster",
    "usd_per_t": "cheaper",
    "co2e_kg_per_t": "lower CO2e",
    "generalized_usd_per_t": "cheaper (generalized)",
}


def _same_path(a: Route, b: Route) -> bool:
    return a.pieces == b.pieces and a.cost_table is b.cost_table


def cost_change(a: Route, b: Route) -> dict[str, Any] | None:
    """Per quantity, how route ``b`` compares with route ``a`` (see module docstring);
    ``None`` when either has no cost table.

    Examples
    --------
    >>> from corridors.network.routing import default_atlas, route
    >>> atlas = default_atlas()
    >>> a = route(atlas, "full-vision", "Gwadar", "Baku")
    >>> c = cost_change(a, route(atlas, "full-vision", "Gwadar", "Baku", avoid=["IRN"]))
    >>> c["hours"]["prob_b_better"] <= 1.0 and c["hours"]["prob_b_worse"] >= 0.0
    True
    >>> cost_change(a, a)["usd_per_t"]["prob_b_better"]
    0.0
    """
    ca = _samples(a)
    cb = ca if _same_path(a, b) else _samples(b)
    if ca is None or cb is None:
        return None
    out: dict[str, Any] = {"draws": ca.draws, "seed": ca.seed, "same_route": cb is ca}
    for q in QUANTITIES:
        out[q] = _compare(ca, cb, q)
    return out


def _samples(r: Route) -> RouteCosts | None:
    """The route's costs: the cached full costing when already made, else a costing
    without the per-leg breakdown (same samples, faster)."""
    got = r.__dict__.get("costs")
    if got is not None or r.cost_table is None:
        return got
    from corridors.network.costing import route_costs

    return route_costs(r.cost_table, r, breakdown=False)


def _compare(ca: RouteCosts, cb: RouteCosts, q: str) -> dict[str, float] | None:
    sa, sb = ca.samples.get(q), cb.samples.get(q)
    if sa is None or sb is None or len(sa) != len(sb):
        return None
    d = sb - sa
    qq = quantiles(np.stack([sa, sb, d]), (10.0, 50.0, 90.0))
    pa, pb, lo, hi = float(qq[0, 1]), float(qq[1, 1]), float(qq[2, 0]), float(qq[2, 2])
    return {
        "p50_a": round(pa, 2),
        "p50_b": round(pb, 2),
        "p50_change": round(pb - pa, 2),
        "p50_change_pct": round(100.0 * (pb - pa) / pa, 1) if pa > 0 else 0.0,
        "change_p10": round(float(lo), 2),
        "change_p90": round(float(hi), 2),
        "prob_b_better": round(float(np.mean(d < 0)), 3),
        "prob_b_worse": round(float(np.mean(d > 0)), 3),
    }


def cost_changes_row(o: str, d: str, change: dict[str, Any] | None) -> dict[str, Any]:
    """One flat table row (origin, destination, and per quantity P50 A, P50 B, change and
    probability B is better) from :func:`cost_change`'s result."""
    row: dict[str, Any] = {"origin": o, "destination": d}
    for q in QUANTITIES:
        c = change.get(q) if change is not None else None
        row[f"{q}_p50_a"] = c["p50_a"] if c else None
        row[f"{q}_p50_b"] = c["p50_b"] if c else None
        row[f"{q}_p50_change"] = c["p50_change"] if c else None
        row[f"{q}_prob_b_better"] = c["prob_b_better"] if c else None
    return row
