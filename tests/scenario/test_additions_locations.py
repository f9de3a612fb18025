"""Scenario additions are parsed by the geodata record parsers at their own TOML keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.errors import ScenarioError
from corridors.scenario import Scenario, load_scenario, resolve_scenario

SRC = 'sources = [{url = "https://example.org/x", title = "x", accessed = "2026"}]'
NODE = (
    '[[add.node]]\nid = "c1"\nname = "Cee"\ncountry = "BBB"\ncoordinates = [16.0, 8.0]\n'
    f'kind = "city"\nprecision = "exact"\n{SRC}\n'
)
SEG = (
    '[[add.segment]]\nid = "new-link"\nname = "New link"\nfrom = "b1"\nto = "c1"\n'
    f'mode = "road"\nstatus = "proposed"\nprecision = "schematic"\n{SRC}\n'
)


def problems_of(tmp_path: Path, text: str, hand_atlas) -> list:
    p = tmp_path / "s.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p, atlas=hand_atlas)
    return list(exc.value.problems)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        (
            NODE + SEG.replace("https://example.org/x", "ftp://x"),
            "add.segment[0].sources[0].url",
            "bad-source-url",
        ),
        (
            NODE + SEG.replace('to = "c1"', 'to = "c1"\nvia = ["zz"]'),
            "add.segment[0].via[0]",
            "unknown-node",
        ),
        (NODE.replace("[16.0, 8.0]", "[16.0, 98.0]"), "add.node[0].coordinates", "coord-lat-range"),
        (
            NODE + SEG + SEG.replace("[[add.segment]]", "[[add.segment]]\n", 1),
            "add.segment[1]",
            "duplicate-id",
        ),
        (NODE + SEG.replace('"road"', '"rial"'), "add.segment[0].mode", "bad-mode"),
    ],
)
def test_addition_problems_name_the_scenario_file_and_key(tmp_path, hand_atlas, text, where, code):
    found = problems_of(tmp_path, text, hand_atlas)
    match = [p for p in found if p.code == code]
    assert match, [p.format() for p in found]
    assert match[0].where == where and match[0].file.endswith("s.toml")


def test_additions_keep_the_atlas_hubs_and_featured_platform(hand_atlas):
    from dataclasses import replace

    atlas = replace(hand_atlas, hubs=tuple(hand_atlas.nodes)[:2], featured_platform="club")
    s = Scenario.full_vision().add_node(
        id="c1",
        name="Cee",
        country="BBB",
        coordinates=[16.0, 8.0],
        kind="city",
        precision="exact",
        sources=[{"url": "https://example.org/x", "title": "x", "accessed": "2026"}],
    )
    resolved = resolve_scenario(atlas, s)
    assert "c1" in resolved.atlas.nodes
    assert resolved.atlas.hubs == atlas.hubs and resolved.atlas.featured_platform == "club"
