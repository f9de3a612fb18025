"""``corridors assign DEMAND.toml``: loads against capacities, and a bad-input corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

from corridors.analytics.assign import assign
from corridors.analytics.demand import MAX_TONNES_PER_YEAR, Demand, Flow, load_demand
from corridors.errors import GeodataError
from corridors.network.routing import default_atlas, route

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "demand-middle-corridor.toml"


def _loads(a):
    return {(x.kind, x.id): x for x in a.loads}


def test_every_flow_loads_every_segment_of_its_route_once():
    atlas = default_atlas()
    demand = load_demand(EXAMPLE, atlas)
    a = assign(atlas, demand)
    loads = _loads(a)
    expected: dict[str, float] = {}
    for f in demand.flows:
        r = route(atlas, demand.scenario, f.origin, f.destination)
        for s in dict.fromkeys(r.segments):
            expected[s] = expected.get(s, 0.0) + f.tonnes_per_year
    got = {k[1]: v.tonnes_per_year for k, v in loads.items() if k[0] == "segment" and v.flows}
    assert got == pytest.approx(expected)
    assert sum(f["tonnes_per_year"] for f in a.flows) == pytest.approx(4.75e6)


def test_capacities_are_compared_only_where_sourced():
    atlas = default_atlas()
    a = assign(atlas, load_demand(EXAMPLE, atlas))
    loads = _loads(a)
    by_param = {x.capacity_param: x for x in a.loads if x.capacity_param}
    baku = by_param["capacity.port_of_baku"]
    assert (baku.kind, baku.id) == ("port", "port_of_baku_alat")
    assert baku.capacity_param == "capacity.port_of_baku" and baku.claimed
    assert baku.capacity_t_per_year == 15e6
    assert baku.utilisation == pytest.approx(baku.tonnes_per_year / 15e6)
    teu = by_param["capacity.port_of_baku_teu"]
    assert teu.tonnes_per_year == baku.tonnes_per_year
    assert teu.capacity_t_per_year is None and "not compared" in teu.note
    unknown = [x for x in a.loads if x.capacity_param is None]
    assert unknown and all(x.note == "capacity unknown" for x in unknown)
    assert all(x.utilisation is None for x in unknown)
    assert loads[("node", "dostyk")].tonnes_per_year == pytest.approx(2e6)


def test_over_capacity_is_flagged_and_exits_3(capsys, tmp_path: Path):
    atlas = default_atlas()
    big = Demand((Flow("dostyk", "baku", 25e6),), "full-vision")
    a = assign(atlas, big)
    over = {x.id for x in a.over_capacity}
    assert {"port_of_baku_alat", "dostyk"} <= over
    d = a.to_dict()
    assert set(d["over_capacity"]) == over and d["method"] == "all-or-nothing"
    f = tmp_path / "big.toml"
    f.write_text(
        '[[flow]]\norigin = "Dostyk"\ndestination = "Baku"\ntonnes_per_year = 25e6\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, ["assign", str(f)])
    assert code == 3 and "over capacity: " in out and "! port" in out
    code, out, _ = run(capsys, ["assign", str(f), "--json"])
    assert code == 3 and "dostyk" in json.loads(out)["over_capacity"]


def test_unreachable_flow_is_listed_not_dropped():
    atlas = default_atlas()
    a = assign(atlas, Demand((Flow("kabul", "baku", 1e5),), "afghanistan-closed"))
    assert a.flows[0]["routed"] is False and "kabul" in a.flows[0]["reason"].lower()
    assert "unassigned" in a.text()


def test_assign_cli_outputs(capsys, tmp_path: Path):
    code, out, _ = run(capsys, ["assign", str(EXAMPLE)])
    assert code == 0 and out.startswith("assignment (full-vision, by hours")
    o = tmp_path / "a.md"
    code, _, err = run(capsys, ["assign", str(EXAMPLE), "-o", str(o), "--by", "usd"])
    assert code == 0 and o.read_text(encoding="utf-8").startswith(
        "# Assignment: full-vision, by usd"
    )
    code, _, err = run(capsys, ["assign", str(EXAMPLE), "-o", str(o)])
    assert code == 1 and "exists" in err  # no clobbering without --overwrite
    code, _, err = run(capsys, ["assign", str(EXAMPLE), "-o", str(tmp_path / "a.xlsx")])
    assert code == 2


# --------------------------------------------------------------------------- bad inputs
FLOW = '[[flow]]\norigin = "Dostyk"\ndestination = "Baku"\ntonnes_per_year = 1000\n'
BAD = [
    ("empty", "", "", "empty-file", []),
    ("no-flows", 'scenario = "today"\n', "flow", "no-flows", ["no [[flow]]"]),
    ("unknown-top-key", "scenari = 'today'\n" + FLOW, "scenari", "unknown-key", ["did you mean 'scenario'"]),
    ("unknown-flow-key", FLOW + "tonnes = 5\n", "flow[0].tonnes", "unknown-key", ["tonnes"]),
    ("unknown-place", FLOW.replace("Dostyk", "Dostykk"), "flow[0].origin", "unknown-place", ["did you mean", "dostyk"]),
    ("place-not-string", FLOW.replace('"Dostyk"', "42"), "flow[0].origin", "field-type", ["string"]),
    ("missing-destination", FLOW.replace('destination = "Baku"\n', ""), "flow[0].destination", "missing-field", ["destination"]),
    ("missing-tonnes", FLOW.replace("tonnes_per_year = 1000\n", ""), "flow[0].tonnes_per_year", "missing-field", ["tonnes_per_year"]),
    ("negative", FLOW.replace("1000", "-1000"), "flow[0].tonnes_per_year", "bad-tonnes", ["-1000", "outside"]),
    ("zero", FLOW.replace("1000", "0"), "flow[0].tonnes_per_year", "bad-tonnes", ["outside"]),
    ("absurd", FLOW.replace("1000", "5e12"), "flow[0].tonnes_per_year", "bad-tonnes", ["outside", "2000000000"]),
    ("string-tonnes", FLOW.replace("1000", '"1000"'), "flow[0].tonnes_per_year", "field-type", ["not a number"]),
    ("bool-tonnes", FLOW.replace("1000", "true"), "flow[0].tonnes_per_year", "field-type", ["not a number"]),
    ("nan", FLOW.replace("1000", "nan"), "", "toml-nan", ["nan"]),
    ("same-place", FLOW.replace('"Baku"', '"Dostyk"'), "flow[0].destination", "same-place", ["same place"]),
    ("duplicate", FLOW + FLOW, "flow[1]", "duplicate-flow", ["flow[0]"]),
    ("bad-by", 'by = "speed"\n' + FLOW, "by", "bad-by", ["hours"]),
    ("scenario-not-string", "scenario = 3\n" + FLOW, "scenario", "field-type", ["string"]),
    ("flow-not-tables", "flow = [1, 2]\n", "flow", "field-type", ["[[flow]]"]),
    ("syntax", "[[flow]\n", "line 1", "toml-syntax", ["invalid TOML"]),
    ("note-not-string", FLOW + "note = 5\n", "flow[0].note", "field-type", ["string"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "text", "where", "code", "fragments"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_demand_is_a_located_error(tmp_path: Path, case, text, where, code, fragments):
    f = tmp_path / f"{case}.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(GeodataError) as info:
        load_demand(f, default_atlas())
    probs = [p for p in info.value.problems if p.code == code]
    assert probs, [(p.code, p.where) for p in info.value.problems]
    p = probs[0]
    assert p.file == str(f)
    assert p.where.startswith(where)
    msg = p.format()
    for frag in fragments:
        assert frag in msg, msg


@pytest.mark.parametrize("case", ["unknown-place", "negative", "empty", "syntax"])
def test_bad_demand_cli_exits_1_naming_the_file(capsys, tmp_path: Path, case):
    text = next(b[1] for b in BAD if b[0] == case)
    f = tmp_path / f"{case}.toml"
    f.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, ["assign", str(f)])
    assert code == 1 and str(f) in err


def test_every_problem_is_reported_at_once(tmp_path: Path):
    f = tmp_path / "many.toml"
    f.write_text(
        FLOW.replace("Dostyk", "Nowhere")
        + FLOW.replace("1000", "-5")
        + FLOW.replace("1000", "1e15"),
        encoding="utf-8",
    )
    with pytest.raises(GeodataError) as info:
        load_demand(f, default_atlas())
    assert [p.where for p in info.value.problems] == [
        "flow[0].origin", "flow[1].tonnes_per_year", "flow[2].tonnes_per_year",
    ]  # fmt: skip


def test_missing_demand_file(capsys, tmp_path: Path):
    code, _, err = run(capsys, ["assign", str(tmp_path / "nope.toml")])
    assert code == 1 and "nope.toml" in err


def test_limit_is_documented():
    assert MAX_TONNES_PER_YEAR == 2e9
