"""Routing through a railway of unknown gauge: a *possible* break, reported apart."""

from __future__ import annotations

import copy

import pytest
from tests.scenario.conftest import hand_atlas_data, write_files

from corridors.io.geodata import load_atlas
from corridors.network.routing import route


@pytest.fixture(scope="module")
def unknown_gauge_atlas(tmp_path_factory):
    data = copy.deepcopy(hand_atlas_data())
    for f in data["segments.geojson"]["features"]:
        if f["properties"]["id"] == "r3":
            f["properties"]["gauge_mm"] = "unknown"
    return load_atlas(write_files(tmp_path_factory.mktemp("unknown-gauge"), data))


def test_unknown_gauge_is_a_possible_break(unknown_gauge_atlas, hand_scenario) -> None:
    r = route("a1", "b2", scenario=hand_scenario, atlas=unknown_gauge_atlas)
    assert [(t.at, t.from_gauge_mm, t.to_gauge_mm) for t in r.gauge_breaks] == [
        ("gate", 1520, 1435)
    ]
    assert [(t.at, t.from_gauge_mm, t.to_gauge_mm, t.hours) for t in r.possible_gauge_breaks] == [
        ("b1", 1435, None, 0.0)
    ]
    assert r.hours == pytest.approx(33.0)  # a possible break is reported, not charged
    d = r.to_dict()
    assert d["possible_gauge_breaks"][0]["kind"] == "possible_gauge_break"
    assert d["possible_gauge_breaks"][0]["to_gauge_mm"] is None
    assert "possible gauge breaks" in r._repr_html_()


def test_known_gauges_give_no_possible_break(hand_atlas, hand_scenario) -> None:
    r = route("a1", "b2", scenario=hand_scenario, atlas=hand_atlas)
    assert r.possible_gauge_breaks == ()
    assert r.to_dict()["possible_gauge_breaks"] == []
