"""costs.toml: the parser's located errors, the model's look-ups, and the bundled table.

Bad inputs mutate one valid mini cost table written next to the mini atlas and assert the
problem's code, TOML key and message; a Hypothesis property checks that any well-formed
table loads and that swapping a strict low < high always fails.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridors.cli.main import main
from corridors.costs_table import UNIT_LIMITS, UNITS, AppliesTo, CostParameter, CostTable
from corridors.io.geodata import load_atlas, validate_geodata
from corridors.io.geodata.context import Context
from corridors.io.geodata.costs import parse_costs
from corridors.model import Source

SRC = [{"url": "https://example.org/cpmm", "title": "CPMM", "accessed": "2026-12-02"}]


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def to_toml(params: list[dict[str, Any]], extra: str = "") -> str:
    """The ``[[parameter]]`` tables of ``params`` (insertion order kept)."""
    out = [extra] if extra else []
    for p in params:
        out.append("[[parameter]]")
        out.extend(f"{k} = {_toml_value(v)}" for k, v in p.items())
        out.append("")
    return "\n".join(out)


def valid_params() -> list[dict[str, Any]]:
    """A valid mini cost table for the mini atlas (nodes alpha/gate/beta, border AAA-BBB)."""
    return [
        {
            "id": "speed.road",
            "typical": 42.0,
            "low": 41.6,
            "high": 43.6,
            "unit": "km/h",
            "year": 2022,
            "applies_to": {"mode": "road"},
            "sources": copy.deepcopy(SRC),
        },
        {
            "id": "border_dwell.gate",
            "typical": 50.0,
            "low": 4.2,
            "high": 50.0,
            "unit": "h",
            "year": 2020,
            "applies_to": {"mode": "road", "border": "AAA-BBB", "node": "gate"},
            "note": "outbound",
            "sources": copy.deepcopy(SRC),
        },
        {
            "id": "capacity.s1",
            "typical": 5.0,
            "low": 1.0,
            "high": 17.0,
            "unit": "mt_per_year",
            "year": 2024,
            "claimed": True,
            "applies_to": {"segment": "s1"},
            "sources": copy.deepcopy(SRC),
        },
        {
            "id": "transfer.beta",
            "typical": 12.0,
            "low": 6.0,
            "high": 24.0,
            "unit": "h",
            "year": 2023,
            "applies_to": {"node_kind": "seaport", "modes": ["rail", "sea"], "corridor": "sea"},
            "sources": copy.deepcopy(SRC),
        },
    ]


@pytest.fixture
def costs_dir(make_atlas_dir: Callable[..., Path]) -> Callable[..., Path]:
    """Write the mini atlas plus a ``costs.toml`` built from ``mutate(params)``."""

    def make(mutate: Callable[[list[dict[str, Any]]], Any] | None = None, text: str | None = None):
        params = valid_params()
        if mutate is not None:
            mutate(params)
        body = text if text is not None else to_toml(params)
        return make_atlas_dir(lambda d: d.__setitem__("costs.toml", body))

    return make


def setp(i: int, key: str, value: Any) -> Callable[[list[dict[str, Any]]], None]:
    def f(params: list[dict[str, Any]]) -> None:
        params[i][key] = value

    return f


def delp(i: int, key: str) -> Callable[[list[dict[str, Any]]], None]:
    def f(params: list[dict[str, Any]]) -> None:
        del params[i][key]

    return f


def set_applies(i: int, **kw: Any) -> Callable[[list[dict[str, Any]]], None]:
    def f(params: list[dict[str, Any]]) -> None:
        params[i]["applies_to"] = kw

    return f


def _duplicate(params: list[dict[str, Any]]) -> None:
    params[2]["id"] = "speed.road"


# (case, mutation, code, TOML key, fragments of the formatted problem)
CASES: list[tuple[str, Callable[[list[dict[str, Any]]], None], str, str, tuple[str, ...]]] = [
    ("missing-unit", delp(0, "unit"), "missing-unit", "parameter[0].unit", ("missing 'unit'",)),
    (
        "unknown-unit",
        setp(0, "unit", "kmh"),
        "bad-unit",
        "parameter[0].unit",
        ("unknown unit 'kmh'", "did you mean 'km/h'?"),
    ),
    (
        "low-above-high",
        setp(0, "low", 50.0),
        "bad-range",
        "parameter[0].low",
        ("low 50 is above high 43.6", "swap them"),
    ),
    (
        "typical-outside",
        setp(1, "typical", 60.0),
        "typical-outside-range",
        "parameter[1].typical",
        ("typical 60 is outside [4.2, 50]",),
    ),
    # the strict TOML reader refuses nan/inf before the parser sees them (one file problem)
    ("nan", setp(0, "typical", float("nan")), "toml-nan", "", ("nan is not allowed",)),
    ("inf", setp(0, "high", float("inf")), "toml-nan", "", ("inf is not allowed",)),
    ("negative", setp(2, "low", -1.0), "bad-number", "parameter[2].low", ("must be >= 0",)),
    (
        "absurd-speed",
        setp(0, "high", 43600.0),
        "absurd-value",
        "parameter[0].high",
        ("not plausible", "check the unit"),
    ),
    (
        "string-number",
        setp(0, "typical", "42"),
        "field-type",
        "parameter[0].typical",
        ("must be a number",),
    ),
    ("missing-low", delp(1, "low"), "missing-field", "parameter[1].low", ("missing 'low'",)),
    ("bad-year", setp(0, "year", 22), "bad-year", "parameter[0].year", ("whole year",)),
    ("year-string", setp(0, "year", "2022"), "bad-year", "parameter[0].year", ("whole year",)),
    (
        "unknown-node",
        set_applies(1, node="gatte"),
        "unknown-node",
        "parameter[1].applies_to.node",
        ("unknown node 'gatte'", "did you mean 'gate'?"),
    ),
    (
        "unknown-segment",
        set_applies(2, segment="s9"),
        "unknown-segment",
        "parameter[2].applies_to.segment",
        ("unknown segment 's9'",),
    ),
    (
        "unknown-corridor",
        set_applies(3, corridor="lands"),
        "unknown-corridor",
        "parameter[3].applies_to.corridor",
        ("unknown corridor 'lands'", "did you mean 'land'?"),
    ),
    (
        "unknown-border",
        set_applies(1, border="AAA-CCC"),
        "unknown-border",
        "parameter[1].applies_to.border",
        ("unknown border 'AAA-CCC'",),
    ),
    (
        "border-order",
        set_applies(1, border="BBB-AAA"),
        "bad-border",
        "parameter[1].applies_to.border",
        ("write the border as 'AAA-BBB'",),
    ),
    (
        "border-shape",
        set_applies(1, border="AAABBB"),
        "bad-border",
        "parameter[1].applies_to.border",
        ("two ISO3 codes",),
    ),
    (
        "bad-mode",
        set_applies(0, mode="raod"),
        "bad-mode",
        "parameter[0].applies_to.mode",
        ("unknown mode 'raod'", "did you mean 'road'?"),
    ),
    (
        "bad-modes",
        set_applies(3, modes=["rail"]),
        "bad-modes",
        "parameter[3].applies_to.modes",
        ("pair of modes",),
    ),
    (
        "bad-node-kind",
        set_applies(3, node_kind="port"),
        "bad-node_kind",
        "parameter[3].applies_to.node_kind",
        ("unknown node kind 'port'",),
    ),
    (
        "applies-unknown-key",
        set_applies(0, mdoe="road"),
        "unknown-key",
        "parameter[0].applies_to.mdoe",
        ("unknown key 'mdoe'", "did you mean 'mode'?"),
    ),
    (
        "missing-applies",
        delp(0, "applies_to"),
        "missing-field",
        "parameter[0].applies_to",
        ("missing 'applies_to'",),
    ),
    ("empty-applies", set_applies(0), "field-type", "parameter[0].applies_to", ("non-empty",)),
    (
        "duplicate-id",
        _duplicate,
        "duplicate-id",
        "parameter[2].id",
        ("duplicate parameter id 'speed.road'", "parameter[0]"),
    ),
    ("bad-id", setp(0, "id", "Speed Road"), "bad-id", "parameter[0].id", ("invalid",)),
    ("missing-id", delp(0, "id"), "missing-id", "parameter[0].id", ("missing 'id'",)),
    ("no-sources", setp(0, "sources", []), "no-source", "parameter[0].sources", ("no source",)),
    ("missing-sources", delp(1, "sources"), "no-source", "parameter[1].sources", ("no source",)),
    (
        "ftp-url",
        setp(0, "sources", [{"url": "ftp://example.org/x", "title": "t"}]),
        "bad-source-url",
        "parameter[0].sources[0].url",
        ("http(s)",),
    ),
    (
        "unknown-key",
        setp(0, "typcal", 1.0),
        "unknown-key",
        "parameter[0].typcal",
        ("unknown key 'typcal'", "did you mean 'typical'?"),
    ),
    ("claimed-string", setp(2, "claimed", "yes"), "field-type", "parameter[2].claimed", ("true",)),
]


@pytest.mark.parametrize(
    ("case", "mutate", "code", "where", "fragments"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_cost_is_reported(costs_dir, case, mutate, code, where, fragments):
    result = validate_geodata([costs_dir(mutate)])
    assert result.atlas is None, f"{case}: expected validation to fail"
    matches = [p for p in result.errors if p.code == code and p.where == where]
    assert matches, f"{case}: no {code} at {where}; got " + "; ".join(
        f"{p.code}@{p.where}" for p in result.problems
    )
    problem = matches[0]
    assert problem.file.endswith("costs.toml")
    text = problem.format()
    for frag in fragments:
        assert frag in text, f"{case}: {frag!r} not in {text!r}"


def test_unknown_top_level_key_and_malformed_toml(costs_dir):
    bad = validate_geodata([costs_dir(text="paramter = []\n")])
    assert [p.code for p in bad.errors] == ["unknown-key"]
    assert "did you mean 'parameter'?" in bad.errors[0].format()
    broken = validate_geodata([costs_dir(text="[[parameter]]\nid = \n")])
    assert broken.atlas is None and broken.errors[0].file.endswith("costs.toml")


def test_every_bad_parameter_is_reported_once(costs_dir):
    def many(params: list[dict[str, Any]]) -> None:
        params[0]["unit"] = "mph"
        params[1]["low"] = 99.0
        params[2]["applies_to"] = {"segment": "nope"}

    codes = sorted(p.code for p in validate_geodata([costs_dir(many)]).errors)
    assert codes == ["bad-range", "bad-unit", "unknown-segment"]


def test_cli_exits_1_without_traceback(costs_dir, capsys):
    assert main(["validate", str(costs_dir(setp(0, "low", 50.0)))]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "costs.toml" in err and "bad-range" in err and "parameter[0].low" in err


def test_valid_table_reaches_the_atlas(costs_dir):
    atlas = load_atlas(costs_dir())
    table = atlas.costs
    assert table is not None and table.ids == (
        "speed.road",
        "border_dwell.gate",
        "capacity.s1",
        "transfer.beta",
    )
    assert table.value("speed.road") == 42.0
    assert table.range("border_dwell.gate") == (4.2, 50.0)
    assert table.for_border("BBB-AAA", mode="road").id == "border_dwell.gate"
    assert table.for_border("AAA-BBB", mode="rail") is None
    assert table.for_mode("speed", "road").id == "speed.road"
    assert table.for_mode("speed", "rail") is None
    assert table.for_node("gate", "border_dwell").note == "outbound"
    assert table.get("capacity.s1").claimed is True
    assert table.get("transfer.beta").applies_to.modes == ("rail", "sea")
    with pytest.raises(KeyError, match=r"did you mean 'speed\.road'"):
        table.get("speed.raod")


def test_without_costs_file_the_atlas_loads_as_before(mini_dir):
    assert load_atlas(mini_dir).costs is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"unit": "kmh"}, "unknown unit"),
        ({"low": 50.0}, "low 50.0 > high"),
        ({"typical": 99.0}, "outside"),
        ({"typical": math.nan}, "finite"),
        ({"sources": ()}, "no source"),
        ({"id": "Bad Id"}, "invalid parameter id"),
    ],
)
def test_parameter_invariants(kwargs, message):
    base: dict[str, Any] = {
        "id": "speed.road",
        "typical": 42.0,
        "low": 40.0,
        "high": 44.0,
        "unit": "km/h",
        "year": 2022,
        "applies_to": AppliesTo(mode="road"),
        "sources": (Source("https://example.org/x"),),
    }
    base.update(kwargs)
    with pytest.raises(ValueError, match=message):
        CostParameter(**base)


def test_table_rejects_duplicate_ids():
    p = CostParameter(
        "speed.road", 1.0, 1.0, 1.0, "km/h", 2022, sources=(Source("https://example.org"),)
    )
    with pytest.raises(ValueError, match="duplicate"):
        CostTable((p, p))


# --- Hypothesis: any well-formed table loads; a swapped strict range always fails ---------


@st.composite
def parameter_tables(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(min_value=1, max_value=6))
    ids = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9_]{0,6}\.[a-z][a-z0-9_-]{0,6}", fullmatch=True),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    out = []
    for ident in ids:
        unit = draw(st.sampled_from(UNITS))
        bound = st.floats(min_value=0.0, max_value=UNIT_LIMITS[unit], allow_nan=False)
        a, b, c = sorted(draw(st.tuples(bound, bound, bound)))
        applies = draw(
            st.sampled_from(
                [
                    {"mode": "road"},
                    {"node": "gate", "border": "AAA-BBB"},
                    {"segment": "s3"},
                    {"node_kind": "seaport", "modes": ["sea", "road"]},
                    {"corridor": "root"},
                ]
            )
        )
        out.append(
            {
                "id": ident,
                "typical": b,
                "low": a,
                "high": c,
                "unit": unit,
                "year": draw(st.integers(min_value=1950, max_value=2100)),
                "applies_to": applies,
                "claimed": draw(st.booleans()),
                "sources": copy.deepcopy(SRC),
            }
        )
    return out


@pytest.fixture(scope="module")
def mini_atlas(tmp_path_factory: pytest.TempPathFactory):
    from tests.conftest import mini_atlas_data, write_atlas

    return load_atlas(write_atlas(tmp_path_factory.mktemp("mini"), mini_atlas_data()))


def _parse(tmp: Path, params: list[dict[str, Any]], atlas: Any):
    path = tmp / "costs.toml"
    path.write_text(to_toml(params), encoding="utf-8")
    return parse_costs(
        path, Context(str(path), toml=True), atlas.nodes, atlas.segments, atlas.corridors
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=parameter_tables(), pick=st.integers(min_value=0, max_value=5))
def test_random_valid_tables_load_and_swapped_ranges_fail(tmp_path, mini_atlas, params, pick):
    parsed = _parse(tmp_path, params, mini_atlas)
    assert parsed.value is not None, [p.format() for p in parsed.problems]
    assert [p.id for p in parsed.value] == [p["id"] for p in params]
    for got, want in zip(parsed.value, params, strict=True):
        assert (got.low, got.typical, got.high) == (want["low"], want["typical"], want["high"])
    i = pick % len(params)
    if params[i]["low"] < params[i]["high"]:
        params[i]["low"], params[i]["high"] = params[i]["high"], params[i]["low"]
        swapped = _parse(tmp_path, params, mini_atlas)
        assert swapped.value is None
        assert [(p.code, p.where) for p in swapped.problems] == [
            ("bad-range", f"parameter[{i}].low")
        ]


# --- The bundled table ---------------------------------------------------------------------


def test_bundled_costs_are_sourced_with_units_and_years():
    table = load_atlas().costs
    assert table is not None and len(table) >= 20
    for p in table:
        assert p.unit in UNITS, p.id
        assert p.sources, p.id
        assert all(s.url.startswith("https://") and s.title for s in p.sources), p.id
        assert 2010 <= p.year <= 2026, p.id
        assert p.low <= p.typical <= p.high, p.id
    kinds = {p.kind for p in table}
    assert {"speed", "border_dwell", "gauge_change", "cost", "co2", "capacity"} <= kinds


def test_bundled_golden_values():
    """CPMM figures as published (exact: they are copied, not computed)."""
    table = load_atlas().costs
    assert table is not None
    assert table.value("speed.road") == 42.0
    assert table.value("border_dwell.road") == 9.9
    assert table.for_border("AFG-PAK", mode="road").typical == 50.0  # Torkham, outbound 2020
    assert table.for_node("chaman", "border_dwell").typical == 70.7
    assert table.value("gauge_change.usd") == 329.0
    assert table.value("cost.road") == pytest.approx(945 / 10_000, abs=1e-12)
    assert table.get("capacity.btk").claimed is True


def test_cli_validate_passes_on_the_bundled_data(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    assert f"{len(load_atlas().costs or ())} cost parameters" in out.out


def test_readme_table_matches_the_toml():
    """README.md's table of defaults is what scripts/costs_readme.py renders from the TOML."""
    import importlib.util

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("costs_readme", root / "scripts/costs_readme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (root / "README.md").read_text(encoding="utf-8")
    assert module.render(text) == text, "run: python scripts/costs_readme.py"
    assert text.count("| `") >= len(load_atlas().costs or ())
