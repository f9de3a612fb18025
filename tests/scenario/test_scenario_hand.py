"""Network, routing and analytics on the hand-made fixture: every number computed by hand.

See tests/scenario/conftest.py for the map. With rail/road 50 km/h, ferry 25 km/h,
transfer 10 h, border 20 h and break of gauge 5 h:

* a1→b2 by rail r1+r2+r3: 400 km, 2+2+(2+20)+5+2 = 33 h (gauge break at gate, border in r2);
  by road2+ferry f1+road3: 450 km, 2+10+12+10+1 = 35 h.
* a2→b1 by r2: 200 km, 29 h; otherwise back over r1 and round by sea: 650 km, 59 h.
* a1→b3 by road2+f1: 400 km, 2+10+12 = 24 h; by rail and road3: 450 km, 33+10+1 = 44 h.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridors.analytics import centrality, criticality, diff, report
from corridors.errors import OutputError, RouteNotFound, UnknownEntityError
from corridors.io.export import export_scenario
from corridors.maps.scenario import scenario_layers
from corridors.network.graph import build_network
from corridors.network.routing import find_node, route

PAIRS = [("a1", "b2"), ("a2", "b1"), ("a1", "b3")]


def test_pieces_split_at_nodes_with_proportional_lengths(hand_atlas, hand_scenario) -> None:
    net = build_network(hand_atlas, hand_scenario)
    r2a, r2b = net.pieces["r2#0"], net.pieces["r2#1"]
    assert (r2a.u, r2a.v, r2b.u, r2b.v) == ("a2", "gate", "gate", "b1")
    assert r2a.length_km == pytest.approx(100.0)
    assert r2b.length_km == pytest.approx(100.0)
    assert (r2a.gauge_mm, r2b.gauge_mm) == (1520, 1435)
    assert r2b.countries == ("AAA", "BBB") and r2b.borders == (("AAA", "BBB"),)
    assert r2b.hours == pytest.approx(2.0 + 20.0)
    edge = net.graph.edges["a2", "gate", "r2#0"]
    assert edge["segment"] == "r2" and edge["mode"] == "rail" and edge["gauge_mm"] == 1520


def test_route_rail_with_gauge_break_and_border(hand_atlas, hand_scenario) -> None:
    r = route("a1", "b2", scenario=hand_scenario, atlas=hand_atlas)
    assert r.length_km == pytest.approx(400.0)
    assert r.hours == pytest.approx(33.0)
    assert r.countries == ("AAA", "BBB")
    assert [(b.from_country, b.to_country, b.at) for b in r.border_crossings] == [
        ("AAA", "BBB", "gate")
    ]
    assert [(t.at, t.from_gauge_mm, t.to_gauge_mm, t.hours) for t in r.gauge_breaks] == [
        ("gate", 1520, 1435, 5.0)
    ]
    assert r.transshipments == ()
    assert [(leg.from_node, leg.to_node, leg.segment) for leg in r.legs] == [
        ("a1", "a2", "r1"),
        ("a2", "b1", "r2"),
        ("b1", "b2", "r3"),
    ]
    assert [leg.hours for leg in r.legs] == pytest.approx([2.0, 24.0, 2.0])


def test_route_with_transfers_and_names(hand_atlas, hand_scenario) -> None:
    r = route("альфа", "beta-south port", scenario=hand_scenario, atlas=hand_atlas)
    assert (r.origin, r.destination) == ("a1", "b3")
    assert r.length_km == pytest.approx(400.0)
    assert r.hours == pytest.approx(24.0)
    assert [(t.at, t.kind, t.from_mode, t.to_mode) for t in r.transshipments] == [
        ("a3", "transfer", "road", "ferry")
    ]
    d = r.to_dict()
    for key in (
        "origin",
        "destination",
        "length_km",
        "hours",
        "countries",
        "border_crossings",
        "chokepoints",
        "transshipments",
        "gauge_breaks",
        "legs",
    ):
        assert key in d
    assert d["legs"][1] == {
        "from": "a3",
        "to": "b3",
        "mode": "ferry",
        "segment": "f1",
        "length_km": 300.0,
        "hours": 12.0,
        "countries": ["AAA", "BBB"],
        "chokepoints": [],
        "gauge_mm": None,
    }
    json.dumps(d)  # JSON-ready


def test_k_alternatives(hand_atlas, hand_scenario) -> None:
    r = route("a2", "b1", scenario=hand_scenario, atlas=hand_atlas, k=3)
    assert r.hours == pytest.approx(29.0)
    assert [a.hours for a in r.alternatives] == pytest.approx([59.0])
    assert r.alternatives[0].length_km == pytest.approx(650.0)
    assert "alternatives" in r.to_dict()


def test_weight_length(hand_atlas, hand_scenario) -> None:
    r = route("a1", "b3", scenario=hand_scenario, atlas=hand_atlas, weight="length_km")
    assert r.length_km == pytest.approx(400.0)


def test_route_objects_render(hand_atlas, hand_scenario) -> None:
    r = route("a1", "b2", scenario=hand_scenario, atlas=hand_atlas)
    html = r._repr_html_()
    assert "<details" in html and "Alpha" in html
    gdf = r.to_geodataframe()
    assert len(gdf) == 3 and str(gdf.crs) == "EPSG:4326"
    assert list(gdf["segment"]) == ["r1", "r2", "r3"]


# --------------------------------------------------------------------------- errors 29/30
def test_disconnected_route_names_origin_destination_and_closures(hand_atlas, hand_scenario):
    s = hand_scenario.close_segment("r2").close_segment("f1")
    with pytest.raises(RouteNotFound) as exc:
        route("a1", "b2", scenario=s, atlas=hand_atlas)
    msg = str(exc.value)
    assert "no route from Alpha (a1) to Beta Port (b2)" in msg
    assert "segment r2" in msg and "segment f1" in msg
    assert "closures on the route it would take without them: segment r2" in msg


def test_border_closure_cuts_everything_and_says_so(hand_atlas, hand_scenario) -> None:
    with pytest.raises(RouteNotFound) as exc:
        route("a1", "b2", scenario=hand_scenario.close_border("AAA", "BBB"), atlas=hand_atlas)
    assert "border AAA-BBB" in str(exc.value)


def test_node_without_segment_in_scenario_is_a_clear_error(hand_atlas, hand_scenario) -> None:
    s = hand_scenario.with_status("operational")  # the spur to 'lonely' is proposed
    with pytest.raises(RouteNotFound) as exc:
        route("lonely", "b2", scenario=s, atlas=hand_atlas)
    msg = str(exc.value)
    assert "Lonely Town (lonely) is not on the network of scenario" in msg
    assert "spur (proposed, beyond the scenario's threshold 'operational')" in msg


def test_unknown_place_suggests(hand_atlas) -> None:
    with pytest.raises(UnknownEntityError, match="did you mean 'Beta'"):
        find_node(hand_atlas, "Betta")
    with pytest.raises(UnknownEntityError, match=r"ambiguous: Beta \(b1\), Beta Port \(b2\)"):
        find_node(hand_atlas, "Bet")  # a prefix of three names
    assert find_node(hand_atlas, "alpha_port") == "a3"
    assert find_node(hand_atlas, "Alpha P") == "a3"  # a unique prefix


def test_same_place_is_rejected(hand_atlas, hand_scenario) -> None:
    with pytest.raises(RouteNotFound, match="same place"):
        route("a1", "Alpha", scenario=hand_scenario, atlas=hand_atlas)


# --------------------------------------------------------------------------- analytics
def test_criticality_table_by_hand(hand_atlas, hand_scenario) -> None:
    df = criticality(hand_atlas, hand_scenario, PAIRS, progress=False)
    got = [
        (r.kind, r.id, r.pairs_using, r.pairs_disconnected, r.detour_h, r.detour_km, r.rank)
        for r in df.itertuples()
    ]
    assert got == [
        ("border", "AAA-BBB", 3, 3, 0.0, 0.0, 1),
        ("segment", "r2", 2, 0, 32.0, 500.0, 2),
        ("segment", "f1", 1, 0, 20.0, 50.0, 3),
        ("segment", "road2", 1, 0, 20.0, 50.0, 4),
        ("segment", "r1", 1, 0, 2.0, 50.0, 5),
        ("segment", "r3", 1, 0, 2.0, 50.0, 6),
        ("segment", "road3", 0, 0, 0.0, 0.0, 7),
        ("segment", "spur", 0, 0, 0.0, 0.0, 8),
    ]


def test_criticality_progress_callback(hand_atlas, hand_scenario) -> None:
    seen = []
    criticality(hand_atlas, hand_scenario, PAIRS, progress=lambda i, n: seen.append((i, n)))
    assert seen[-1] == (8, 8)


def test_diff_by_hand(hand_atlas, hand_scenario) -> None:
    d = diff(hand_atlas, hand_scenario, hand_scenario.close_segment("r1"), PAIRS)
    assert d.opened == [] and d.closed == ["r1"]
    rows = {(r.origin, r.destination): r for r in d.routes.itertuples()}
    a1b2 = rows[("a1", "b2")]
    assert a1b2.change == "changed"
    assert (a1b2.km_a, a1b2.km_b, a1b2.delta_km) == (400.0, 450.0, 50.0)
    assert (a1b2.hours_a, a1b2.hours_b, a1b2.delta_h) == (33.0, 35.0, 2.0)
    assert rows[("a2", "b1")].change == "same"
    assert rows[("a1", "b3")].change == "same"
    back = diff(hand_atlas, hand_scenario.with_status("operational"), hand_scenario, PAIRS)
    assert back.opened == ["road3", "spur"] and back.closed == []
    assert "| a1 | b2 | changed |" in d.to_markdown()
    assert json.loads(d.to_json())["closed"] == ["r1"]
    assert "<table" in d.to_html()


def test_report_by_hand(hand_atlas, hand_scenario) -> None:
    rep = report(hand_atlas, hand_scenario, hubs=["a1", "b2", "b3"])
    ck = rep.corridor_km
    assert ck.loc["northern", "operational"] == 400.0
    assert ck.loc["southern", "planned"] == 50.0
    assert ck.loc["southern", "total_km"] == 450.0
    assert rep.country_km.loc["AAA", "total_km"] == pytest.approx(340.0, abs=0.2)
    hubs = {(r.origin, r.destination): r for r in rep.hubs.itertuples()}
    assert hubs[("a1", "b2")].hours == 33.0 and hubs[("b2", "b3")].length_km == 50.0
    md = rep.to_markdown()
    assert "# Scenario report: hand" in md and "| northern | Northern rail | 400.0 |" in md
    js = json.loads(rep.to_json())
    assert js["summary"]["hub_pairs_connected"] == 3
    csv = rep.to_csv()
    assert csv.splitlines()[0] == "table,key,column,value"
    assert "corridor_km,northern,operational,400.0" in csv


def test_centrality_by_hand(hand_atlas, hand_scenario) -> None:
    c = centrality(hand_atlas, hand_scenario, hubs=["a1", "b1", "b3"])
    # a1-b1 (rail, via a2 and gate), a1-b3 (road2 + ferry, via a3), b1-b3 (r3 + road3, via b2)
    assert c.pairs == 3
    row = c.countries.set_index("country")
    assert row.loc["AAA", "routes_touching"] == 2 and row.loc["BBB", "routes_touching"] == 3
    assert row.loc["AAA", "routes_transit"] == 0
    nodes = c.nodes.set_index("node")
    assert nodes.loc["a2", "hub_routes"] == 1 and nodes.loc["b2", "hub_routes"] == 1


def test_scenario_layers_mark_closed_pieces(hand_atlas, hand_scenario) -> None:
    r = route("a1", "b3", scenario=hand_scenario, atlas=hand_atlas)
    layers = scenario_layers(hand_atlas, hand_scenario.close_node("gate"), routes=[r])
    feats = layers["segments"]["features"]
    r2 = [f["properties"] for f in feats if f["properties"]["id"] == "r2"]
    assert [p["closed"] for p in r2] == [True]  # both pieces touch the closed gate
    assert r2[0]["closed_by"] == ["node gate"]
    assert all(not f["properties"]["closed"] for f in feats if f["properties"]["id"] == "r1")
    gate = next(f for f in layers["nodes"]["features"] if f["properties"]["id"] == "gate")
    assert gate["properties"]["closed"] is True
    assert {f["properties"]["route"] for f in layers["routes"]["features"]} == {True}
    assert len(layers["routes"]["features"]) == 2


@pytest.mark.parametrize("ext", [".geojson", ".gpkg", ".parquet"])
def test_export_formats(tmp_path: Path, hand_atlas, hand_scenario, ext: str) -> None:
    import geopandas as gpd

    out = tmp_path / f"seg{ext}"
    export_scenario(hand_atlas, hand_scenario, str(out))
    gdf = gpd.read_parquet(out) if ext == ".parquet" else gpd.read_file(out)
    assert len(gdf) == 7 and gdf.crs.to_epsg() == 4326
    assert set(gdf["id"]) == {"r1", "r2", "r3", "road2", "road3", "f1", "spur"}
    with pytest.raises(OutputError, match="file exists"):
        export_scenario(hand_atlas, hand_scenario, str(out))


def test_export_rejects_bad_extension(tmp_path: Path, hand_atlas, hand_scenario) -> None:
    with pytest.raises(OutputError, match="does not match the format"):
        export_scenario(hand_atlas, hand_scenario, str(tmp_path / "x.html"))
    assert list(tmp_path.iterdir()) == []
