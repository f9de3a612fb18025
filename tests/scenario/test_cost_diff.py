"""compare/diff cost changes: P50 change and the probability that B is better, paired draws."""

from __future__ import annotations

import json

import numpy as np
import pytest

from corridors.analytics.cost_diff import QUANTITIES, cost_change
from corridors.analytics.diff import diff
from corridors.network.routing import default_atlas, route


def test_probabilities_come_from_paired_draws():
    atlas = default_atlas()
    a = route(atlas, "full-vision", "Gwadar", "Tashkent")
    b = route(atlas, "afghanistan-closed", "Gwadar", "Tashkent")
    c = cost_change(a, b)
    assert c is not None and not c["same_route"]
    for q in QUANTITIES:
        x = c[q]
        d = b.costs.samples[q] - a.costs.samples[q]
        assert x["prob_b_better"] == pytest.approx(float(np.mean(d < 0)), abs=1e-3)
        assert x["prob_b_worse"] == pytest.approx(float(np.mean(d > 0)), abs=1e-3)
        assert x["p50_change"] == pytest.approx(x["p50_b"] - x["p50_a"], abs=0.02)
        assert x["change_p10"] <= x["change_p90"]
    # the detour round Afghanistan is slower in every draw
    assert c["hours"]["prob_b_better"] == 0.0 and c["hours"]["prob_b_worse"] == 1.0


def test_paired_draws_share_each_figure():
    atlas = default_atlas()
    a = route(atlas, "full-vision", "Dostyk", "Baku")
    b = route(atlas, "full-vision", "Khorgos", "Baku")
    # both use speed.rail: its draws are the same arrays
    assert "speed.rail" in a.costs.sources and "speed.rail" in b.costs.sources
    ia = next(i for i in a.costs.items if i.source == "speed.rail")
    ib = next(i for i in b.costs.items if i.source == "speed.rail")
    va = ia.values * 53.9  # values = km / v: the same v per sample gives proportional arrays
    vb = ib.values * 53.9
    ratio = va / vb
    assert np.allclose(ratio, ratio[0])


def test_same_route_is_never_better_nor_worse():
    atlas = default_atlas()
    r = route(atlas, "full-vision", "Gwadar", "Baku")
    c = cost_change(r, route(atlas, "full-vision", "Gwadar", "Baku"))
    assert c["same_route"]
    for q in QUANTITIES:
        assert c[q]["prob_b_better"] == c[q]["prob_b_worse"] == 0.0
        assert c[q]["p50_change"] == 0.0


def test_diff_reports_cost_changes_in_json_and_markdown():
    atlas = default_atlas()
    pairs = [("gwadar_port", "tashkent"), ("karachi_port", "baku")]
    d = diff(atlas, "full-vision", "afghanistan-closed", pairs)
    data = json.loads(d.to_json())
    assert [(c["origin"], c["destination"]) for c in data["cost_changes"]] == pairs
    first = data["cost_changes"][0]
    assert set(first["hours"]) >= {"p50_a", "p50_b", "p50_change", "prob_b_better"}
    md = d.to_markdown()
    assert "## Cost changes" in md and "P(B faster)" in md
    assert d.to_markdown() == diff(atlas, "full-vision", "afghanistan-closed", pairs).to_markdown()
