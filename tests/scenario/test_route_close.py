"""``corridors route --close``: the tagged items of the atlas page's lab, and the page's data.

``--close`` adds closures to the scenario, the same as a scenario file's ``close`` list or
``[closures]`` tables (same names and aliases); :func:`corridors.maps.lab.lab_network` is
what the page routes on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

from corridors.maps.lab import LAB_VERSION, cached_lab_network, lab_network
from corridors.network.routing import default_atlas
from corridors.render.payload import encode_payload
from corridors.scenario.closures import with_close_items
from corridors.scenario.model import Scenario


def _route(capsys, *args: str) -> dict:
    code, out, err = run(capsys, ["route", "gwadar_port", "tashkent", *args, "--json"])
    assert code == 0, err
    return json.loads(out)


def test_close_changes_the_route_as_a_scenario_file_does(capsys, tmp_path: Path) -> None:
    base = _route(capsys)
    closed = _route(capsys, "--close", "border:AFG-PAK,passage:hormuz")
    assert "AFG" in base["countries"] and base["countries"][:2] == ["PAK", "AFG"]
    assert closed["countries"][:2] == ["PAK", "IRN"]
    assert closed["length_km"] > base["length_km"]
    toml = tmp_path / "closed.toml"
    toml.write_text(
        'name = "full-vision"\nstatus = "proposed"\ninclude_suspended = true\n'
        'ignore_events = true\nclose = ["AFG-PAK", "hormuz"]\n',
        encoding="utf-8",
    )
    assert _route(capsys, "--scenario", str(toml)) == closed
    # repeated, bare, lower-case and alias spellings mean the same closures
    assert _route(capsys, "--close", "border:pak-afg", "--close", "Ormuz") == closed


def test_close_tags_are_read_like_scenario_closures() -> None:
    s = with_close_items(
        Scenario.full_vision(),
        ["segment:cpec-west", "node:torkham", "country:irn", "passage:Bab-el-Mandeb", "AFG"],
    )
    assert [str(c) for c in s.closures] == [
        "segment cpec-west",
        "node torkham",
        "country IRN",
        "passage bab_el_mandeb",
        "country AFG",
    ]


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ("segment:no-such-link", "unknown segment 'no-such-link'"),
        ("node:atlantis", "unknown node 'atlantis'"),
        ("passage:atlantis", "unknown sea passage 'atlantis'"),
        ("border:AFG", "a border is two ISO3 codes"),
        ("country:Afghanistan", "country must be an ISO3 code"),
        ("nothing-here", "nothing to close called 'nothing-here'"),
    ],
)
def test_bad_close_items_are_one_located_line(capsys, item: str, words: str) -> None:
    code, out, err = run(capsys, ["route", "gwadar_port", "tashkent", "--close", item])
    assert code == 1
    assert out == ""
    assert words in err and err.startswith("corridors: error:")


def test_lab_network_is_compact_deterministic_and_follows_the_network() -> None:
    atlas = default_atlas()
    lab = lab_network(atlas)
    assert lab["v"] == LAB_VERSION and lab["scenario"] == "full-vision"
    assert lab == json.loads(json.dumps(lab))  # JSON-ready, floats round-trip
    assert encode_payload(lab) == encode_payload(lab_network(atlas))
    assert cached_lab_network(atlas) == lab
    from corridors.network.graph import build_network

    net = build_network(atlas, Scenario.full_vision())
    assert len(lab["pieces"]) == len(net.pieces)
    for row, p in zip(lab["pieces"], net.pieces.values(), strict=True):
        assert (lab["segs"][row[0]][0], row[1]) == (p.segment, p.index)
        assert (row[5], row[6]) == (p.hours, p.length_km)
    # a passage closure re-routes or closes a sea piece as the scenario does
    hormuz = build_network(atlas, Scenario.full_vision().close_passage("hormuz"))
    for row, (pid, p) in zip(lab["pieces"], net.pieces.items(), strict=True):
        if "hormuz" in p.passages:
            alt = {tuple(r[0]): r for r in row[11]}[("hormuz",)]
            if pid in hormuz.closed:
                assert alt[1] is None
            else:
                assert alt[1] == hormuz.pieces[pid].length_km
    # what the page payload gains, gzip + base64 (the atlas page budget of issue 9)
    assert len(encode_payload(lab)) < 40_000
