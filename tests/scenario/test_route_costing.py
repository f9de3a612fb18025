"""The Monte Carlo costing of a route (corridors.network.costing): golden values, determinism,
monotonicity, bounds (Hypothesis), correlation across legs, missing figures, bad input."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridors.costs_table import AppliesTo, CostParameter, CostTable
from corridors.errors import GeodataError
from corridors.model import Source
from corridors.network.costing import route_costs
from corridors.network.route import BorderCrossing, Leg, Route, Transfer
from corridors.network.routing import default_atlas, route

SRC = (Source("https://example.org/cpmm", "CPMM fixture", "2026-12-02"),)
#: Tonnes per truck of the fixtures (geodata/costs.toml: consignment.t, the CPMM 20 t basis).
CONSIGNMENT_T = 20.0


def _p(ident: str, typical: float, low: float, high: float, unit: str, **at: str) -> CostParameter:
    return CostParameter(ident, typical, low, high, unit, 2022, AppliesTo(**at), sources=SRC)


#: The CPMM road figures of geodata/costs.toml (2022 typical, other years as the range).
CPMM_ROAD = CostTable(
    (
        _p("speed.road", 42.0, 41.6, 43.6, "km/h", mode="road"),
        _p("border_dwell.road", 9.9, 9.9, 15.1, "h", mode="road"),
        _p("cost.road", 0.0945, 0.0901, 0.1256, "usd_per_t_km", mode="road"),
        _p("border_fee.road", 208.0, 161.0, 357.0, "usd", mode="road"),
        _p("co2.road_truck", 90.3, 64.0, 95.16, "g_co2e_per_t_km", mode="road"),
        _p("consignment.t", 20.0, 20.0, 20.0, "t", scope="all"),
    )
)


def _leg(km: float, mode: str = "road", seg: str = "s1", a: str = "a", b: str = "b") -> Leg:
    return Leg(a, b, mode, seg, km, km / 50.0, ("AAA", "BBB"), (), None, (), ((0, 0), (1, 1)))


def _route(
    legs: tuple[Leg, ...],
    borders: tuple[BorderCrossing, ...] = (),
    transfers: tuple[Transfer, ...] = (),
    gauge: tuple[Transfer, ...] = (),
) -> Route:
    km = sum(x.length_km for x in legs)
    hours = sum(x.hours for x in legs)
    return Route("a", "b", "A", "B", "x", km, hours, ("AAA", "BBB"), borders, (), transfers,
                 gauge, legs)  # fmt: skip


def _border(seg: str = "s1", mode: str = "road", at: str | None = None) -> BorderCrossing:
    return BorderCrossing("AAA", "BBB", mode, seg, at)


def _tri_median(low: float, mode: float, high: float) -> float:
    """Median of triangular(low, mode, high) (closed form)."""
    if low == high:
        return low
    if mode >= (low + high) / 2:
        return low + math.sqrt((high - low) * (mode - low) / 2)
    return high - math.sqrt((high - low) * (high - mode) / 2)


# ------------------------------------------------------------------ golden (hand-made route)
ROAD_1000 = _route((_leg(1000.0),), (_border(),))


def test_golden_1000_km_of_road_with_one_border():
    c = route_costs(CPMM_ROAD, ROAD_1000)
    assert c is not None
    # components: P50 within 1 % of the closed-form triangular median (1,000 draws)
    assert c.total_hours["moving"] == pytest.approx(1000 / _tri_median(41.6, 42.0, 43.6), rel=0.01)
    assert c.total_hours["border"] == pytest.approx(_tri_median(9.9, 9.9, 15.1), rel=0.02)
    assert c.total_usd_per_t["transport"] == pytest.approx(
        1000 * _tri_median(0.0901, 0.0945, 0.1256), rel=0.01
    )
    assert c.total_usd_per_t["border_fee"] == pytest.approx(
        _tri_median(161.0, 208.0, 357.0) / CONSIGNMENT_T, rel=0.03
    )
    # totals: CPMM-derived expected value 1000 km × US$0.0945 + US$208 / 20 t = US$104.9/t
    # (typical); the P50 sits above it (both ranges are skewed high): 102.1 + 11.8 ≈ 113.9,
    # ± 2 US$/t, and inside the range of sums [98.15, 143.45].
    assert c.usd_per_t.p50 == pytest.approx(113.9, abs=2.0)
    assert (
        1000 * 0.0901 + 161 / 20 <= c.usd_per_t.p10 <= c.usd_per_t.p90 <= 1000 * 0.1256 + 357 / 20
    )
    # hours: 1000 / 42.34 + 11.42 ≈ 35.0 h ± 0.6; CO2e: 1000 × 84.24 g / 1000 ≈ 84.2 ± 1.5 kg/t
    assert c.hours.p50 == pytest.approx(35.0, abs=0.6)
    assert c.co2e_kg_per_t.p50 == pytest.approx(84.2, abs=1.5)
    assert c.missing == ()
    assert c.sources == tuple(sorted(CPMM_ROAD.ids))


def test_fixed_parameters_give_exact_numbers():
    fixed = CostTable(
        (
            _p("speed.road", 50.0, 50.0, 50.0, "km/h", mode="road"),
            _p("border_dwell.road", 10.0, 10.0, 10.0, "h", mode="road"),
            _p("cost.road", 0.1, 0.1, 0.1, "usd_per_t_km", mode="road"),
            _p("border_fee.road", 200.0, 200.0, 200.0, "usd", mode="road"),
            _p("co2.road", 90.0, 90.0, 90.0, "g_co2e_per_t_km", mode="road"),
            _p("consignment.t", 20.0, 20.0, 20.0, "t", scope="all"),
        )
    )
    c = route_costs(fixed, ROAD_1000, draws=7)
    assert c is not None
    d = c.to_dict()
    assert d["hours"] == {"p10": 30.0, "p50": 30.0, "p90": 30.0}
    assert d["usd_per_t"] == {"p10": 110.0, "p50": 110.0, "p90": 110.0}
    assert d["co2e_kg_per_t"] == {"p10": 90.0, "p50": 90.0, "p90": 90.0}
    assert d["breakdown"]["total"]["hours"] == {
        "moving": 20.0, "delay": 0.0, "border": 10.0, "transfer": 0.0, "gauge": 0.0, "port": 0.0
    }  # fmt: skip
    assert d["breakdown"]["legs"][0]["usd_per_t"] == {
        "transport": 100.0, "border_fee": 10.0, "gauge": 0.0
    }  # fmt: skip


def test_a_draw_is_shared_by_every_leg_of_a_sample():
    one = route_costs(CPMM_ROAD, _route((_leg(1000.0),)))
    two = route_costs(CPMM_ROAD, _route((_leg(400.0, seg="s1"), _leg(600.0, seg="s2"))))
    assert one is not None and two is not None
    # the same speed draw on both legs: 400/v + 600/v == 1000/v sample by sample
    assert two.hours.p10 == pytest.approx(one.hours.p10, rel=1e-12)
    assert two.hours.p90 == pytest.approx(one.hours.p90, rel=1e-12)


def test_border_dwell_prefers_the_crossing_then_the_border_then_the_mode():
    table = CostTable(
        (
            *CPMM_ROAD.parameters,
            _p("border_dwell.kk", 70.0, 70.0, 70.0, "h", mode="road", node="kk"),
            _p("border_dwell.tt", 50.0, 50.0, 50.0, "h", mode="road", border="AAA-BBB", node="tt"),
            _p("border_dwell.ab", 30.0, 30.0, 30.0, "h", mode="road", border="AAA-BBB"),
        )
    )
    got = {}
    for at in ("kk", "tt", "other", None):
        c = route_costs(table, _route((_leg(10.0),), (_border(at=at),)), draws=5)
        assert c is not None
        got[at] = c.total_hours["border"]
    # a crossing's own figure; another crossing of the border takes the border's (not tt's)
    assert got == {"kk": 70.0, "tt": 50.0, "other": 30.0, None: 30.0}


def test_missing_figures_are_listed_and_left_out():
    sea = _route((_leg(1000.0), _leg(2000.0, mode="sea", seg="s2", a="b", b="c")))
    c = route_costs(CPMM_ROAD, sea, draws=50)
    assert c is not None
    assert c.missing == (
        "usd_per_t: no figure for sea (cost.sea)",
        "co2e_kg_per_t: no figure for sea (co2.sea)",
    )
    assert c.to_dict()["breakdown"]["legs"][1]["usd_per_t"]["transport"] == 0.0
    assert "scenario.speed_kmh.sea" in c.sources  # no sea speed in the table: fixed
    assert c.total_hours["moving"] == pytest.approx(1000 / 42.34 + 2000 / 50.0, rel=0.01)


def test_transfers_and_gauge_breaks():
    rail = CostTable(
        (
            _p("speed.rail", 50.0, 50.0, 50.0, "km/h", mode="rail"),
            _p("gauge_change.h", 4.25, 4.25, 9.0, "h", mode="rail", node="dostyk"),
            _p("gauge_change.usd", 329.0, 120.0, 329.0, "usd", mode="rail"),
            _p("consignment.t", 20.0, 20.0, 20.0, "t", scope="all"),
        )
    )
    legs = (
        _leg(100.0, "rail", "s1", "a", "g"),
        _leg(100.0, "rail", "s2", "g", "t"),
        _leg(100.0, "road", "s3", "t", "b"),
    )
    r = _route(
        legs,
        transfers=(Transfer("t", "transfer", 12.0, "rail", "road"),),
        gauge=(Transfer("g", "gauge_break", 6.0, "rail", "rail", 1435, 1520),),
    )
    c = route_costs(rail, r, draws=200)
    assert c is not None
    d = c.to_dict()["breakdown"]["legs"]
    assert d[1]["hours"]["transfer"] == 12.0  # the scenario's transfer_h, fixed
    assert 4.25 <= d[0]["hours"]["gauge"] <= 9.0
    assert 120 / CONSIGNMENT_T <= d[0]["usd_per_t"]["gauge"] <= 329 / CONSIGNMENT_T
    assert {"scenario.transfer_h", "gauge_change.h", "gauge_change.usd"} <= set(c.sources)
    assert "usd_per_t: no figure for rail (cost.rail)" in c.missing


# ------------------------------------------------------------------ bounds (Hypothesis)
ranges = st.tuples(st.floats(0.01, 100.0), st.floats(0.0, 1.0), st.floats(0.0, 100.0)).map(
    lambda t: (t[0], t[0] + t[1] * t[2], t[0] + t[2])
)  # (low, typical, high)


@settings(max_examples=40, deadline=None)
@given(
    speed=ranges,
    dwell=ranges,
    cost=ranges,
    fee=ranges,
    ef=ranges,
    kms=st.lists(st.floats(0.0, 5000.0), min_size=1, max_size=4),
    borders=st.integers(0, 3),
    seed=st.integers(0, 2**32),
)
def test_quantiles_are_ordered_and_within_the_sums_of_lows_and_highs(
    speed, dwell, cost, fee, ef, kms, borders, seed
):
    cost = tuple(v / 100 for v in cost)  # US$/t-km stays below the unit limit
    table = CostTable(
        (
            _p("speed.road", speed[1], *speed[::2], "km/h", mode="road"),
            _p("border_dwell.road", dwell[1], *dwell[::2], "h", mode="road"),
            _p("cost.road", cost[1], *cost[::2], "usd_per_t_km", mode="road"),
            _p("border_fee.road", fee[1], *fee[::2], "usd", mode="road"),
            _p("co2.road", ef[1], *ef[::2], "g_co2e_per_t_km", mode="road"),
            _p("consignment.t", 20.0, 20.0, 20.0, "t", scope="all"),
        )
    )
    legs = tuple(_leg(km, seg=f"s{i}") for i, km in enumerate(kms))
    crossings = tuple(_border(seg=f"s{i % len(legs)}") for i in range(borders))
    c = route_costs(table, _route(legs, tuple(sorted(crossings, key=lambda b: b.segment))),
                    draws=64, seed=seed)  # fmt: skip
    assert c is not None
    km = sum(kms)
    bounds = {
        "hours": (km / speed[2] + borders * dwell[0], km / speed[0] + borders * dwell[2]),
        "usd_per_t": (
            km * cost[0] + borders * fee[0] / CONSIGNMENT_T,
            km * cost[2] + borders * fee[2] / CONSIGNMENT_T,
        ),
        "co2e_kg_per_t": (km * ef[0] / 1000, km * ef[2] / 1000),
    }
    for name, (lo, hi) in bounds.items():
        q = getattr(c, name)
        eps = 1e-9 * max(1.0, hi)
        assert lo - eps <= q.p10 <= q.p50 <= q.p90 <= hi + eps, (name, q, lo, hi)
    json.dumps(c.to_dict(), allow_nan=False)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("kw", "code", "text"),
    [
        ({"draws": 0}, "costs-draws", "draws must be an integer >= 1"),
        ({"draws": -5}, "costs-draws", "draws must be an integer >= 1"),
        ({"draws": 2.5}, "costs-draws", "draws must be an integer >= 1"),
        ({"draws": True}, "costs-draws", "draws must be an integer >= 1"),
        ({"draws": "100"}, "costs-draws", "draws must be an integer >= 1"),
        ({"seed": -1}, "costs-seed", "seed must be an integer >= 0"),
    ],
)
def test_bad_arguments_are_located_errors(kw, code, text):
    with pytest.raises(GeodataError) as err:
        route_costs(CPMM_ROAD, ROAD_1000, **kw)
    (prob,) = err.value.problems
    assert prob.code == code
    assert text in prob.message
    assert prob.field == next(iter(kw))
    assert prob.where == f"route_costs({next(iter(kw))}=...)"
    assert prob.hint


# ------------------------------------------------------------------ bundled atlas, CLI
def test_gwadar_baku_is_costed_and_deterministic():
    atlas = default_atlas()
    r = route(atlas, "full-vision", "Gwadar", "Baku")
    assert r.cost_table is atlas.costs
    assert r.costs is not None
    assert r.costs is r.costs  # computed once, on first use
    d = r.to_dict()["costs"]
    for name in ("hours", "usd_per_t", "co2e_kg_per_t"):
        assert set(d[name]) == {"p10", "p50", "p90"}
        assert d[name]["p10"] <= d[name]["p50"] <= d[name]["p90"]
    assert d["draws"] == 1000 and d["seed"] == 20261202
    assert len(d["breakdown"]["legs"]) == len(r.legs)
    again = route_costs(atlas, r)
    assert again is not None and again.to_dict() == d
    other = route_costs(atlas, r, seed=1)
    assert other is not None and other.to_dict()["hours"] != d["hours"]
    # every road leg and both land borders are charged from costs.toml
    assert {"speed.road", "border_dwell.road", "cost.road", "border_fee.road"} <= set(d["sources"])
    assert d["hours"]["p50"] > r.hours * 0.5


def test_without_a_cost_table_the_route_says_so():
    atlas = replace(default_atlas(), costs=None)
    r = route(atlas, "full-vision", "Gwadar", "Baku")
    assert r.costs is None
    assert route_costs(atlas, r) is None
    d = r.to_dict()
    assert d["costs"] is None
    assert "no cost table" in d["costs_note"]


def _cli(seed: str, *extra: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "CORRIDORS_CACHE_DIR": "off"}
    argv = ["route", "Gwadar", "Baku", *extra]
    code = f"import sys; from corridors.cli.main import main; sys.exit(main({argv!r}))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout


def test_route_json_costs_are_the_same_whatever_the_hash_seed():
    first = _cli("0", "--json")
    costs = json.loads(first)["costs"]
    assert costs["hours"]["p50"] > 0 and costs["usd_per_t"]["p50"] > 0
    assert "NaN" not in first and "Infinity" not in first
    assert _cli("12345", "--json") == first
    # the same numbers from Python
    assert route(default_atlas(), "full-vision", "Gwadar", "Baku").to_dict()["costs"] == costs


def test_route_text_prints_the_three_ranges():
    out = _cli("0")
    line = next(x for x in out.splitlines() if "costs P10–P50–P90" in x)
    assert " h; US$ " in line and "kg CO2e/t" in line
