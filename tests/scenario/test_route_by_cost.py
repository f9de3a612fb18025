"""``route --by usd|co2|generalized`` and ``Route.explain()`` / ``route --explain``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from cli_run import run

from corridors.errors import CorridorsError
from corridors.network.routing import default_atlas, route

BY = ("hours", "usd", "co2", "generalized")
SAMPLE = {"usd": "usd_per_t", "co2": "co2e_kg_per_t", "generalized": "generalized_usd_per_t"}


@pytest.mark.parametrize(
    ("o", "d"), [("Gwadar", "Baku"), ("Karachi", "Tashkent"), ("Dostyk", "Istanbul")]
)
def test_each_weight_minimises_its_own_expected_cost(o, d):
    atlas = default_atlas()
    routes = {by: route(atlas, "full-vision", o, d, weight=by) for by in BY}
    for by, q in SAMPLE.items():
        own = routes[by].costs
        assert own is not None
        if own.missing:  # stand-ins in routing: the comparison would not be like for like
            continue
        mine = float(np.mean(own.samples[q]))
        for other, r in routes.items():
            c = r.costs
            assert c is not None
            if c.missing:
                continue
            # the mean of the draws is what the edges sum (1e-6 relative: integer weights)
            assert mine <= float(np.mean(c.samples[q])) * (1 + 1e-6), (by, other)


def test_routes_differ_by_weight_where_the_trade_off_is_real():
    atlas = default_atlas()
    fast = route(atlas, "full-vision", "Gwadar", "Baku", weight="hours")
    cheap = route(atlas, "full-vision", "Gwadar", "Baku", weight="usd")
    assert fast.segments != cheap.segments
    assert cheap.costs.usd_per_t.p50 < fast.costs.usd_per_t.p50
    assert fast.costs.hours.p50 < cheap.costs.hours.p50


def test_by_usd_json_is_identical_under_any_hash_seed(tmp_path: Path):
    outs = []
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "CORRIDORS_CACHE_DIR": "off"}
        argv = ["route", "Gwadar", "Baku", "--by", "generalized", "--json", "--explain"]
        code = f"import sys; from corridors.cli.main import main; sys.exit(main({argv!r}))"
        p = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert p.returncode == 0, p.stderr
        outs.append(p.stdout)
    assert outs[0] == outs[1] == outs[2]
    d = json.loads(outs[0])
    assert d["costs"]["generalized_usd_per_t"]["p50"] > d["costs"]["usd_per_t"]["p50"]
    assert d["explain"]["parameters"][0]["sources"]


def test_by_usd_needs_a_cost_table(capsys, hand_dir: Path):
    code, _, err = run(capsys, ["route", "a1", "b3", "--geodata", str(hand_dir), "--by", "usd"])
    assert code == 1 and "needs the cost table" in err
    code, _, err = run(capsys, ["route", "a1", "b3", "--geodata", str(hand_dir), "--explain"])
    assert code == 1 and "--explain needs the cost table" in err


def test_unknown_weight_is_a_usage_error(capsys):
    code, _, err = run(capsys, ["route", "Gwadar", "Baku", "--by", "euros"])
    assert code == 2 and "invalid choice" in err


# --------------------------------------------------------------------------- explain
def test_explain_breaks_down_every_component_with_sources():
    atlas = default_atlas()
    r = route(atlas, "today", "Dostyk", "Baku")
    e = r.explain(atlas)
    table = atlas.costs
    for q in ("hours", "usd_per_t", "co2e_kg_per_t"):
        shares = [x["share"] for x in e.components if x["quantity"] == q]
        assert sum(shares) == pytest.approx(1.0, abs=0.01)
    parts = {(x["quantity"], x["component"]) for x in e.components}
    assert {("hours", "moving"), ("hours", "delay"), ("hours", "transfer")} <= parts
    assert [leg["segment"] for leg in e.legs] == [leg.segment for leg in r.legs]
    assert all(leg["status"] and leg["precision"] for leg in e.legs)
    ids = [p["id"] for p in e.parameters]
    assert len(ids) == len(set(ids))
    for p in e.parameters:
        if p["id"] in table:
            assert p["sources"] and all(s["url"].startswith("https://") for s in p["sources"])
    # ranked: the first parameter's biggest item has the largest share
    ranked = [p["largest_item"]["share"] for p in e.parameters if p["largest_item"]]
    assert ranked == sorted(ranked, reverse=True)
    assert e.parameters[0]["id"] == "en_route_delay.rail" or ranked[0] >= 0.3
    text = e.text()
    assert text.startswith("why Dostyk") and "source:" in text and "delay" in text
    assert e.circuity["value"] == pytest.approx(r.circuity, abs=1e-3)
    assert json.loads(json.dumps(e.to_dict())) == e.to_dict()


def test_explain_html_escapes_names():
    atlas = default_atlas()
    e = route(atlas, "full-vision", "Gwadar", "Baku").explain(atlas)
    bad = type(e)(**{**e.to_dict(), "route": "<img src=x onerror=alert(1)>"})
    assert "<img" not in bad._repr_html_()


def test_explain_without_a_cost_table_says_so():
    atlas = default_atlas()
    r = route(atlas, "full-vision", "Gwadar", "Baku")
    bare = type(r)(**{f: getattr(r, f) for f in r.__dataclass_fields__ if f != "cost_table"})
    with pytest.raises(ValueError, match="no costs to explain"):
        bare.explain(atlas)
    assert issubclass(CorridorsError, Exception)


def test_route_explain_text_cli(capsys):
    code, out, _ = run(capsys, ["route", "Khorgos", "Baku", "-s", "today", "--explain"])
    assert code == 0
    assert "biggest cost items and their sources:" in out
    assert "cpmm.carecprogram.org" in out
