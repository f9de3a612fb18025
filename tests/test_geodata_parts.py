"""The loader's parts used on their own: context, record parsers, one rule each."""

from __future__ import annotations

import pytest

from corridors.errors import MISSING, problem
from corridors.io.geodata import Context, IdRegistry, Record, parse_node, parse_segment
from corridors.model import Atlas
from corridors.vocab import is_iso3, is_valid_id, parse_border

SRC = [{"url": "https://example.org/x", "title": "x", "accessed": "2026"}]


def test_context_locates_json_and_toml_places():
    ctx = Context("nodes.geojson")
    ctx.at("features").at(2).at("properties").about("gwadar").error(
        "kind", "prot", "unknown kind 'prot'", "did you mean 'port'?", code="bad-kind"
    )
    toml = Context("s.toml", "add.segment", toml=True, problems=ctx.problems)
    toml.at(0).at("via").at(1).warning("via", MISSING, "odd", code="odd")
    first, second = ctx.problems
    assert (first.where, first.entity, first.field, first.value) == (
        "/features/2/properties",
        "gwadar",
        "kind",
        "'prot'",
    )
    assert (second.where, second.value, second.severity) == (
        "add.segment[0].via[1]",
        None,
        "warning",
    )
    assert not Context("x").failed and ctx.failed


def test_one_problem_builder_shows_values_as_repr():
    assert problem("f", "", "m", code="c", value=None).value == "None"
    assert problem("f", "", "m", code="c").value is None
    assert problem("f", "", "m", code="c", value="x" * 200).value.endswith("…")


def test_node_parser_on_a_toml_record_reports_toml_keys():
    ctx = Context("s.toml", "add.node[0]", toml=True)
    item = {"id": "c1", "name": "", "country": "XX", "kind": "city", "precision": "exact"}
    rec = Record.from_table({**item, "sources": SRC}, ctx, "Point", [5.0, 95.0])
    parsed = parse_node(rec, IdRegistry())
    assert parsed.value is None
    assert [(p.where, p.code) for p in parsed.problems] == [
        ("add.node[0].coordinates", "coord-lat-range"),
        ("add.node[0].name", "field-type"),
        ("add.node[0].country", "bad-iso3"),
    ]
    assert ctx.problems == []  # a parser's problems are its own until the caller adds them


def test_segment_parser_returns_the_object_and_registers_its_id():
    ids = IdRegistry()
    ids.seed(["a"], "geodata")
    from corridors.model import Node

    nodes = {
        n: Node(id=n, name=n, country="AAA", lon=lon, lat=0.0, kind="city")
        for n, lon in (("a", 0.0), ("b", 1.0))
    }
    props = {
        "id": "ab",
        "name": "AB",
        "from": "a",
        "to": "b",
        "mode": "road",
        "status": "planned",
        "precision": "schematic",
        "sources": SRC,
    }
    rec = Record.from_table(
        props, Context("s.toml", "add.segment[0]", toml=True), "LineString", [[0, 0], [1, 0]]
    )
    parsed = parse_segment(rec, ids, nodes, nodes, max_vertices=10)
    assert parsed.problems == [] and parsed.value is not None
    assert parsed.value.coords == ((0.0, 0.0), (1.0, 0.0))
    again = parse_segment(rec, ids, nodes, nodes, max_vertices=10)
    assert again.value is None and again.problems[0].code == "duplicate-id"
    assert "first defined at s.toml add.segment[0]" in again.problems[0].message


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("PAK", True),
        ("pak", False),
        ("PA", False),
        ("PAKI", False),
        ("P4K", False),
        ("ÄBC", False),
        ("PAK\n", False),
        (None, False),
    ],
)
def test_one_iso3_rule(value, ok):
    assert is_iso3(value) is ok


def test_one_id_rule_and_border_rule():
    assert is_valid_id("a-1_b") and not is_valid_id("a\n") and not is_valid_id("A")
    assert parse_border("AFG-PAK") == ("AFG", "PAK") and parse_border("AFG-PAKX") is None


def test_atlas_checks_hubs_and_featured_platform():
    with pytest.raises(ValueError, match="hub 'x' is not a node"):
        Atlas(hubs=("x",))
    with pytest.raises(ValueError, match="featured platform 'p'"):
        Atlas(featured_platform="p")
