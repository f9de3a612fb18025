"""Scenario files and the fluent builder: bad inputs 22-28 and the happy paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corridors.errors import InputFileError, ScenarioError, UnknownEntityError
from corridors.scenario import (
    Closure,
    Scenario,
    bundled_scenario,
    bundled_scenario_names,
    load_scenario,
    resolve_scenario,
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def codes(exc: pytest.ExceptionInfo) -> list[str]:
    return [p.code for p in exc.value.problems]


# --------------------------------------------------------------------------- 22 syntax
def test_malformed_toml_reports_file_line_column(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.toml", 'status = "operational"\nas_of = 20 30\n')
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    msg = str(exc.value)
    assert str(p) in msg
    assert "line 2:" in msg
    assert codes(exc) == ["toml-syntax"]


def test_unclosed_array_at_end_of_file_still_has_a_position(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.toml", 'status = "operational"\nclose = ["hormuz"\n')
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    assert "line 2:18" in str(exc.value)


# --------------------------------------------------------------------------- 23 unknown key
def test_unknown_key_is_rejected_with_a_suggestion(tmp_path: Path) -> None:
    p = write(tmp_path, "s.toml", 'clossures = ["hormuz"]\n')
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    msg = str(exc.value)
    assert "unknown key 'clossures'" in msg
    assert "did you mean 'closures'?" in msg
    assert codes(exc) == ["unknown-key"]


def test_unknown_nested_keys_are_rejected(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "s.toml",
        "[cost]\ntransfer_hours = 3\n[cost.speed_kmh]\nrial = 40\n[closures]\ncountry = []\n",
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    msg = str(exc.value)
    assert "cost.transfer_hours" in msg and "did you mean 'transfer_h'?" in msg
    assert "cost.speed_kmh.rial" in msg and "did you mean 'rail'?" in msg
    assert "closures.country" in msg and "did you mean 'countries'?" in msg


# --------------------------------------------------------------------------- 24 types
def test_wrong_types_are_rejected(tmp_path: Path) -> None:
    p = write(tmp_path, "s.toml", 'as_of = [2030]\nclose = "hormuz"\ninclude_suspended = "yes"\n')
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    msg = str(exc.value)
    assert "'as_of' must be a year or a date, not list" in msg
    assert "as_of = 2030" in msg and 'as_of = "2023-06-01"' in msg  # the hint shows the fix
    assert "'close' must be a list of strings, not str" in msg
    assert "value='hormuz'" in msg
    assert "include_suspended" in msg
    assert codes(exc) == ["field-type"] * 3


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[cost]\ntransfer_h = -1\n", "-1 is outside [0, 8760] hours"),
        ("[cost.speed_kmh]\nrail = 0\n", "0 is outside [0.1, 2000] km/h"),
        ('[cost.speed_kmh]\nrail = "40"\n', "a speed in km/h"),
        ('[cost.border_dwell_h_by_border]\n"AFGPAK" = 4\n', "two ISO3 codes"),
        ('status = "operatonal"\n', "did you mean 'operational'?"),
        ('modes = ["rial"]\n', "did you mean 'rail'?"),
        ("status = 3\n", "'status' must be a string"),
        ("close = [1]\n", "'close[0]' must be a non-empty string"),
    ],
)
def test_bad_values_are_rejected(tmp_path: Path, text: str, fragment: str) -> None:
    p = write(tmp_path, "s.toml", text)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    assert fragment in str(exc.value)
    assert str(p) in str(exc.value)


# --------------------------------------------------------------------------- 25 empty
@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n"])
def test_empty_file_is_rejected(tmp_path: Path, text: str) -> None:
    p = write(tmp_path, "empty.toml", text)
    with pytest.raises(ScenarioError, match="scenario file is empty") as exc:
        load_scenario(p)
    assert codes(exc) == ["empty-file"]


def test_missing_file_names_the_resolved_path(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="file not found"):
        load_scenario(tmp_path / "nope.toml")


# --------------------------------------------------------------------------- 26 entities
def test_unknown_entities_are_rejected_with_suggestions(tmp_path: Path, hand_atlas) -> None:
    p = write(
        tmp_path,
        "s.toml",
        'corridors = ["nothern"]\nplatforms = ["clubb"]\nopen = ["r11"]\n'
        'close = ["hormuzz", "road22", "XXX", "AAA-QQQ"]\n'
        '[closures]\nnodes = ["gatee"]\npassages = ["Bab el Mandab"]\n',
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p, atlas=hand_atlas)
    msg = str(exc.value)
    assert "corridors[0]: error: unknown corridor 'nothern'" in msg
    assert "did you mean 'northern'?" in msg
    assert "unknown platform 'clubb'" in msg and "did you mean 'club'?" in msg
    assert "open[0]: error: unknown segment 'r11'" in msg
    assert "close[0]" in msg and "did you mean 'hormuz'?" in msg
    assert "close[1]" in msg and "did you mean 'road2'?" in msg
    assert "unknown country 'XXX'" in msg
    assert "unknown country 'QQQ' in border 'AAA-QQQ'" in msg
    assert "closures.nodes[0]: error: unknown node 'gatee'" in msg and "'gate'" in msg
    p2 = write(tmp_path, "p.toml", '[closures]\npassages = ["hormus"]\n')
    with pytest.raises(ScenarioError) as exc2:
        load_scenario(p2, atlas=hand_atlas)
    assert "closures.passages[0]: error: unknown sea passage 'hormus'" in str(exc2.value)
    assert "did you mean 'hormuz'?" in str(exc2.value)


def test_unknown_entity_from_the_builder_names_the_call(hand_atlas) -> None:
    s = Scenario.full_vision().close_segment("r9").with_corridors("southen")
    with pytest.raises(ScenarioError) as exc:
        resolve_scenario(hand_atlas, s)
    msg = str(exc.value)
    assert "close_segment('r9')" in msg
    assert "with_corridors('southen',)" in msg and "did you mean 'southern'?" in msg


def test_builder_rejects_bad_arguments_at_once() -> None:
    with pytest.raises(ScenarioError, match="unknown sea passage 'hormuzz'"):
        Scenario.full_vision().close_passage("hormuzz")
    with pytest.raises(ScenarioError, match="ISO3"):
        Scenario.full_vision().close_country("Afghanistan")
    with pytest.raises(ScenarioError, match="unknown mode 'rial'"):
        Scenario.full_vision().with_speed(rial=40)
    with pytest.raises(ScenarioError, match=r"0 is outside \[0\.1, 2000\] km/h"):
        Scenario.full_vision().with_speed(rail=0)
    with pytest.raises(ScenarioError, match="finite number"):
        Scenario.full_vision().with_costs(transfer_h=float("nan"))
    with pytest.raises(ScenarioError, match="did you mean 'planned'"):
        Scenario.full_vision().with_status("planed")
    with pytest.raises(ScenarioError, match="year must be an integer"):
        Scenario.full_vision().at_year("2030")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- 27 cycles
def test_include_cycle_shows_the_chain(tmp_path: Path) -> None:
    a = write(tmp_path, "a.toml", 'include = ["b.toml"]\nstatus = "planned"\n')
    write(tmp_path, "b.toml", 'include = ["a.toml"]\n')
    with pytest.raises(ScenarioError) as exc:
        load_scenario(a)
    assert "include cycle: a.toml → b.toml → a.toml" in str(exc.value)
    assert codes(exc) == ["include-cycle"]


def test_self_include_is_a_cycle(tmp_path: Path) -> None:
    a = write(tmp_path, "a.toml", 'include = ["a.toml"]\n')
    with pytest.raises(ScenarioError, match=r"include cycle: a.toml → a.toml"):
        load_scenario(a)


def test_include_depth_is_capped(tmp_path: Path) -> None:
    for i in range(12):
        write(tmp_path, f"s{i}.toml", f'include = ["s{i + 1}.toml"]\n')
    write(tmp_path, "s12.toml", 'status = "planned"\n')
    with pytest.raises(ScenarioError) as exc:
        load_scenario(tmp_path / "s0.toml")
    assert "deeper than 8 levels" in str(exc.value)
    assert codes(exc) == ["include-depth"]


# --------------------------------------------------------------------------- 28 escapes
@pytest.mark.parametrize("target", ["../outside.toml", "sub/../../outside.toml"])
def test_include_with_dotdot_is_rejected(tmp_path: Path, target: str) -> None:
    write(tmp_path, "outside.toml", 'status = "planned"\n')
    p = write(tmp_path, "scen/s.toml", f'include = ["{target}"]\n')
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    assert "may not leave the scenario's folder" in str(exc.value)
    assert codes(exc) == ["include-escape"]


def test_absolute_include_is_rejected(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside.toml", 'status = "planned"\n')
    p = write(tmp_path, "scen/s.toml", f'include = ["{outside.as_posix()}"]\n')
    with pytest.raises(ScenarioError, match="must be a relative path"):
        load_scenario(p)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_escaping_the_folder_is_rejected(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside.toml", 'status = "planned"\n')
    (tmp_path / "scen").mkdir()
    (tmp_path / "scen" / "link.toml").symlink_to(outside)
    p = write(tmp_path, "scen/s.toml", 'include = ["link.toml"]\n')
    with pytest.raises(ScenarioError, match="resolves outside the scenario's folder"):
        load_scenario(p)


def test_missing_include_suggests_a_sibling(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", 'status = "planned"\n')
    p = write(tmp_path, "s.toml", 'include = ["bsae.toml"]\n')
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    assert "included file not found" in str(exc.value)
    assert "did you mean 'base.toml'?" in str(exc.value)


# --------------------------------------------------------------------------- happy paths
def test_includes_merge_scalars_and_extend_lists(tmp_path: Path, hand_atlas) -> None:
    write(
        tmp_path,
        "base.toml",
        'name = "base"\nstatus = "planned"\nclose = ["r1"]\n[cost]\ntransfer_h = 3\n'
        "[cost.speed_kmh]\nrail = 60\n",
    )
    write(tmp_path, "sub/inner.toml", 'close = ["f1"]\n')
    p = write(
        tmp_path,
        "s.toml",
        'include = ["base.toml", "sub/inner.toml"]\nname = "mine"\nclose = ["AAA-BBB"]\n'
        "[cost]\nbreak_of_gauge_h = 1\n",
    )
    s = load_scenario(p, atlas=hand_atlas)
    assert s.name == "mine"
    assert s.status == "planned"
    assert s.closures == (Closure("id", "r1"), Closure("id", "f1"), Closure("border", "AAA-BBB"))
    assert s.costs.transfer_h == 3
    assert s.costs.break_of_gauge_h == 1
    assert s.costs.speed("rail") == 60


def test_builder_is_immutable_and_hashable() -> None:
    base = Scenario.full_vision()
    s = base.close_passage("Hormuz").close_country("afg").close_border("PAK", "AFG")
    s = s.with_speed(rail=40).at_year(2030).with_status("under_construction")
    assert base.closures == ()
    assert s.closures == (
        Closure("passage", "hormuz"),
        Closure("country", "AFG"),
        Closure("border", "AFG-PAK"),
    )
    assert s.as_of == 2030 and s.status == "under_construction"
    assert hash(s) == hash(
        Scenario.full_vision()
        .close_passage("hormuz")
        .close_country("AFG")
        .close_border("AFG-PAK")
        .with_speed(rail=40)
        .at_year(2030)
        .with_status("under_construction")
    )
    html = s._repr_html_()
    assert "<details" in html and "passage hormuz" in html


def test_close_accepts_every_kind_of_reference() -> None:
    s = Scenario.today().close("Bab-el-Mandeb", "IRN", "AFG-PAK", "iti-irn", "suez")
    assert s.closures == (
        Closure("passage", "bab_el_mandeb"),
        Closure("country", "IRN"),
        Closure("border", "AFG-PAK"),
        Closure("id", "iti-irn"),
        Closure("passage", "suez"),
    )


def test_status_threshold_and_as_of_select_segments(hand_atlas) -> None:
    r = resolve_scenario(hand_atlas, Scenario.today())
    assert set(r.segments) == {"r1", "r2", "r3", "road2", "f1"}
    assert "beyond the scenario's threshold" in r.excluded["road3"]
    r = resolve_scenario(hand_atlas, Scenario.full_vision().at_year(2010))
    assert "road3" not in r.segments and "spur" not in r.segments  # no status yet in 2010
    r = resolve_scenario(hand_atlas, Scenario.today().open_segment("road3"))
    assert "road3" in r.segments
    r = resolve_scenario(hand_atlas, Scenario.full_vision().with_platforms("club"))
    assert set(r.segments) == {"road2", "f1", "road3"}
    r = resolve_scenario(hand_atlas, Scenario.full_vision().with_modes("rail"))
    assert set(r.segments) == {"r1", "r2", "r3"}


def test_additions_are_validated_like_geodata(tmp_path: Path, hand_atlas) -> None:
    p = write(
        tmp_path,
        "s.toml",
        """
[[add.node]]
id = "c1"
name = "Cee"
country = "BBB"
coordinates = [5.0, 95.0]
kind = "city"
precision = "exact"
sources = [{url = "https://example.org/x", title = "x", accessed = "2026"}]

[[add.segment]]
id = "new-link"
name = "New link"
from = "b1"
to = "c2"
mode = "rial"
status = "proposed"
precision = "schematic"
sources = [{url = "ftp://example.org/x", title = "x", accessed = "2026"}]
""",
    )
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p, atlas=hand_atlas)
    msg = str(exc.value)
    assert "add.node[0].coordinates" in msg and "looks swapped" in msg
    assert "add.segment[0].to" in msg and "unknown node 'c2'" in msg
    assert "add.segment[0].mode" in msg and "rail" in msg
    assert "http" in msg  # the source url


def test_valid_additions_join_the_network(tmp_path: Path, hand_atlas) -> None:
    from corridors.network.routing import route

    s = (
        Scenario.full_vision()
        .add_node(
            id="c1",
            name="Cee",
            country="BBB",
            coordinates=[16.0, 8.0],
            kind="city",
            precision="exact",
            sources=[{"url": "https://example.org/x", "title": "x", "accessed": "2026"}],
        )
        .add_segment(
            id="new-link",
            name="New link",
            **{"from": "b1", "to": "c1"},
            mode="road",
            status="proposed",
            precision="schematic",
            published_length_km=100,
            published_lengths_km=[
                {"value": 100, "url": "https://example.org/l", "title": "l", "scope": "full"}
            ],
            sources=[{"url": "https://example.org/x", "title": "x", "accessed": "2026"}],
        )
    )
    r = route("b1", "Cee", scenario=s, atlas=hand_atlas)
    assert [leg.segment for leg in r.legs] == ["new-link"]
    assert r.length_km == pytest.approx(100.0)


def test_duplicate_addition_id_is_rejected(hand_atlas) -> None:
    s = Scenario.full_vision().add_node(
        id="a1",
        name="Dup",
        country="AAA",
        coordinates=[3.0, 3.0],
        kind="city",
        precision="exact",
        sources=[{"url": "https://example.org/x", "title": "x", "accessed": "2026"}],
    )
    with pytest.raises(ScenarioError, match="duplicate id 'a1'"):
        resolve_scenario(hand_atlas, s)


def test_bundled_scenarios_exist_and_load() -> None:
    names = bundled_scenario_names()
    for n in (
        "today",
        "full-vision",
        "wcpec-meets-azerbaijan",
        "hormuz-closed",
        "afghanistan-closed",
    ):
        assert n in names
    assert bundled_scenario("hormuz-closed").closures == (Closure("passage", "hormuz"),)
    assert bundled_scenario("Full Vision").include_suspended is True
    with pytest.raises(UnknownEntityError, match="did you mean 'full-vision'"):
        bundled_scenario("full-visoin")


def test_bundled_scenarios_resolve_on_bundled_atlas(bundled_atlas) -> None:
    for n in bundled_scenario_names():
        resolve_scenario(bundled_atlas, bundled_scenario(n, atlas=bundled_atlas))
