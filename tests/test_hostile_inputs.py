"""Hostile and broken input files and numbers (issue 14, items 1 and 3).

Special files (FIFOs, devices, directories), size caps enforced while reading, nesting and
number-length pre-scans, the scenario include budget, and every numeric field and
environment cap parsed through :func:`corridors.io.numbers.parse_number`. CLI cases run in a
subprocess whose ``timeout`` is the hang guard: a hang fails the test with ``TimeoutExpired``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from corridors.errors import GeodataError, InputFileError, ScenarioError
from corridors.io import read as read_mod
from corridors.io.numbers import NumberError, parse_env_number, parse_number
from corridors.io.read import (
    MAX_NESTING,
    check_position,
    check_structure,
    read_input_bytes,
    read_json,
    read_toml,
)
from corridors.scenario import Scenario, load_scenario
from corridors.scenario import toml as scenario_toml

CLI = [sys.executable, "-m", "corridors.cli"]
#: Hang guard for a CLI run (startup imports geopandas; the runs measured take 1.3-3.5 s).
TIMEOUT_S = 30


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=TIMEOUT_S, env=full_env
    )


def assert_clean_error(res: subprocess.CompletedProcess[str], *fragments: str, rc: int = 1) -> None:
    assert res.returncode == rc, res.stderr
    assert "Traceback" not in res.stderr
    for f in fragments:
        assert f in res.stderr, res.stderr


@pytest.fixture
def fifo(tmp_path: Path):
    def make(name: str) -> Path:
        p = tmp_path / name
        os.mkfifo(p)
        return p

    return make


# --- special files ---------------------------------------------------------------------


def test_fifo_scenario_ends_with_a_clear_error(fifo):
    p = fifo("s.toml")
    res = run_cli("route", "-s", str(p), "gwadar", "kashgar")
    assert_clean_error(res, str(p), "is a FIFO (named pipe), expected a regular file")


def test_fifo_overlay_ends_with_a_clear_error(fifo, tmp_path):
    p = fifo("o.geojson")
    res = run_cli("map", "-o", str(tmp_path / "m.html"), "--overlay", str(p))
    assert_clean_error(res, str(p), "is a FIFO")
    assert not (tmp_path / "m.html").exists()


def test_fifo_geodata_file_in_a_directory_is_refused_not_skipped(mini_dir):
    (mini_dir / "waypoints.geojson").unlink()
    os.mkfifo(mini_dir / "waypoints.geojson")
    res = run_cli("validate", str(mini_dir))
    assert res.returncode != 0
    assert "Traceback" not in res.stderr
    assert "waypoints.geojson" in res.stderr and "is a FIFO" in res.stderr


def test_fifo_geodata_required_file_is_named(mini_dir):
    (mini_dir / "nodes.geojson").unlink()
    os.mkfifo(mini_dir / "nodes.geojson")
    res = run_cli("validate", str(mini_dir))
    assert res.returncode != 0
    assert "Traceback" not in res.stderr
    assert "nodes.geojson" in res.stderr and "is a FIFO" in res.stderr


@pytest.mark.parametrize("link", [False, True], ids=["direct", "symlink"])
def test_dev_zero_scenario_is_refused_before_reading(tmp_path, link):
    path = "/dev/zero"
    if link:
        (tmp_path / "zero.toml").symlink_to("/dev/zero")
        path = str(tmp_path / "zero.toml")
    res = run_cli("route", "-s", path, "gwadar", "kashgar")
    assert_clean_error(res, "/dev/zero: is a device, expected a regular file")


def test_directory_is_refused_with_its_path(tmp_path):
    with pytest.raises(InputFileError, match="is a directory"):
        read_json(tmp_path)


def test_fifo_include_is_a_located_problem(tmp_path):
    os.mkfifo(tmp_path / "base.toml")
    (tmp_path / "s.toml").write_text('include = ["base.toml"]\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(tmp_path / "s.toml")
    (p,) = exc.value.problems
    assert p.code == "include-not-file" and p.where == "include[0]"


def test_size_cap_is_enforced_while_reading():
    # /proc files report st_size 0 but have content: only the read-side cap catches them
    status = Path("/proc/self/status")
    if not status.exists() or status.stat().st_size != 0:
        pytest.skip("needs a Linux /proc file that reports size 0")
    with pytest.raises(InputFileError, match=r"over the 0\.0 MB input cap"):
        read_input_bytes(status, max_bytes=10)
    _, data = read_input_bytes(status, max_bytes=1 << 20)
    assert b"Name:" in data


def test_size_cap_from_fstat(tmp_path):
    p = tmp_path / "big.json"
    p.write_text("[" + "1," * 1000 + "1]", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"big.json: file is 0.0 MB, over the"):
        read_json(p, max_bytes=100)


# --- nesting and number length ---------------------------------------------------------


def test_deep_geojson_overlay_is_a_located_error(tmp_path):
    p = tmp_path / "deep.geojson"
    p.write_text("[" * 200_000, encoding="utf-8")
    res = run_cli("map", "-o", str(tmp_path / "m.html"), "--overlay", str(p))
    assert_clean_error(res, "deep.geojson line 1:101", "nesting deeper than 100 levels")


def test_deep_geojson_geodata_file_is_a_located_error(mini_dir):
    (mini_dir / "nodes.geojson").write_text(
        '{"type": "FeatureCollection", "features": ' + "[" * 200_000, encoding="utf-8"
    )
    res = run_cli("validate", str(mini_dir))
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "nodes.geojson line 1:" in res.stderr and "(nesting-too-deep)" in res.stderr


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 5000 + "]" * 5000,
        "a = " + "{b = " * 3000 + "}" * 3000,
        "a = " + "[" * 5000,
    ],
    ids=["arrays", "inline-tables", "unclosed"],
)
def test_deep_toml_scenario_is_a_located_error(tmp_path, text):
    p = tmp_path / "deep.toml"
    p.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    (prob,) = exc.value.problems
    assert prob.code == "nesting-too-deep" and prob.where.startswith("line 1:")
    res = run_cli("route", "-s", str(p), "gwadar", "kashgar")
    assert_clean_error(res, "deep.toml line 1:", "nesting deeper than 100 levels")


@pytest.mark.parametrize(
    ("text", "toml"),
    [
        ('{"a": [[1, 2]], "b": "[[[[[[[[[["}', False),
        ('{"a": "\\"[[[[", "b": [' + "[" * 90 + "]" * 90 + "]}", False),
        ('a = "[[[[" # [[[[[[\nb = \'[[[[\'\nc = """\n[[[[\n"""\n', True),
        ("[[add.node]]\nid = 'x'\n[[add.node]]\nid = 'y'\n", True),
    ],
    ids=["json-string", "json-escape-99-deep", "toml-strings-comments", "toml-array-tables"],
)
def test_brackets_in_strings_and_headers_are_not_nesting(text, toml):
    check_structure(text, "f", toml=toml)


def test_nesting_limit_is_exact():
    check_structure("[" * MAX_NESTING + "]" * MAX_NESTING, "f")
    with pytest.raises(GeodataError, match="line 1:101"):
        check_structure("[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1), "f")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("n.geojson", '{"type": "Point", "coordinates": [1' + "0" * 5000 + ", 5]}"),
        ("s.toml", "as_of = 1" + "0" * 5000 + "\n"),
        ("s.toml", "[cost]\ntransfer_h = 1" + "0" * 400 + "\n"),
        ("s.toml", "[cost]\ntransfer_h = 1" + "_000" * 100 + "\n"),
    ],
    ids=["json-5000-digits", "toml-as-of-5000-digits", "toml-10e400", "toml-underscores"],
)
def test_absurdly_long_numbers_are_located(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    reader = read_toml if name.endswith(".toml") else read_json
    with pytest.raises(GeodataError) as exc:
        reader(p)
    (prob,) = exc.value.problems
    assert prob.code == "number-too-long"
    assert prob.where.startswith("line ")
    assert "longer than 100 digits" in prob.message


# --- scenario include budget -----------------------------------------------------------


def test_include_fan_out_ends_with_an_error(tmp_path):
    for i in range(8):
        inc = ", ".join(f'"f{i + 1}.toml"' for _ in range(4))
        (tmp_path / f"f{i}.toml").write_text(f"include = [{inc}]\n", encoding="utf-8")
    (tmp_path / "f8.toml").write_text('status = "operational"\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(tmp_path / "f0.toml")
    fan = [p for p in exc.value.problems if p.code == "include-fan-out"]
    assert len(fan) == 1
    assert "more than 64 files" in fan[0].message
    res = run_cli("route", "-s", str(tmp_path / "f0.toml"), "gwadar", "kashgar")
    assert_clean_error(res, "(include-fan-out)")


def test_diamond_includes_within_budget_are_fine(tmp_path):
    (tmp_path / "base.toml").write_text('status = "operational"\n', encoding="utf-8")
    (tmp_path / "a.toml").write_text('include = ["base.toml"]\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('include = ["base.toml"]\n', encoding="utf-8")
    (tmp_path / "s.toml").write_text('include = ["a.toml", "b.toml"]\n', encoding="utf-8")
    assert load_scenario(tmp_path / "s.toml").status == "operational"


def test_total_bytes_of_a_scenario_with_includes_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(scenario_toml, "MAX_SCENARIO_BYTES", 300)
    pad = "# " + "x" * 180 + "\n"
    (tmp_path / "base.toml").write_text(pad + 'status = "operational"\n', encoding="utf-8")
    (tmp_path / "s.toml").write_text(pad + 'include = ["base.toml"]\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(tmp_path / "s.toml")
    (prob,) = exc.value.problems
    assert prob.code == "scenario-too-big" and "over 0.0 MB" in prob.message
    assert prob.file.endswith("base.toml")


# --- numbers ---------------------------------------------------------------------------

SPEED = "[0.1, 2000] km/h"
HOURS = "[0, 8760] hours"


@pytest.mark.parametrize(
    ("toml", "where", "fragment", "code"),
    [
        (
            "[cost]\ntransfer_h = 1e308\n",
            "cost.transfer_h",
            f"1e+308 is outside {HOURS}",
            "bad-number",
        ),
        ("[cost]\ntransfer_h = -1\n", "cost.transfer_h", f"-1 is outside {HOURS}", "bad-number"),
        ("[cost]\nborder_dwell_h = 9000\n", "cost.border_dwell_h", "9000 is outside", "bad-number"),
        (
            "[cost]\nbreak_of_gauge_h = true\n",
            "cost.break_of_gauge_h",
            "a number of hours",
            "field-type",
        ),
        (
            "[cost.speed_kmh]\nrail = 5e-324\n",
            "cost.speed_kmh.rail",
            f"5e-324 is outside {SPEED}",
            "bad-number",
        ),
        (
            "[cost.speed_kmh]\nrail = 0\n",
            "cost.speed_kmh.rail",
            f"0 is outside {SPEED}",
            "bad-number",
        ),
        (
            "[cost.speed_kmh]\nroad = 1" + "0" * 50 + "\n",
            "cost.speed_kmh.road",
            "1000…000 (51 digits) is outside",
            "bad-number",
        ),
        (
            "[cost.speed_kmh]\nsea = 1e300\n",
            "cost.speed_kmh.sea",
            "1e+300 is outside",
            "bad-number",
        ),
        (
            '[cost.border_dwell_h_by_border]\n"AFG-PAK" = 1e99\n',
            "cost.border_dwell_h_by_border.AFG-PAK",
            f"is outside {HOURS}",
            "bad-number",
        ),
        (
            "as_of = 1" + "0" * 60 + "\n",
            "as_of",
            "year 1000…000 (61 digits) is outside [1, 9999]",
            "bad-date",
        ),
        ("as_of = 0\n", "as_of", "year 0 is outside [1, 9999]", "bad-date"),
    ],
    ids=[
        "hours-1e308",
        "hours-negative",
        "dwell-over-a-year",
        "hours-bool",
        "speed-subnormal",
        "speed-zero",
        "speed-51-digit-int",
        "speed-1e300",
        "border-dwell-1e99",
        "as-of-61-digits",
        "as-of-zero",
    ],
)
def test_scenario_numbers_name_field_and_range(tmp_path, toml, where, fragment, code):
    p = tmp_path / "s.toml"
    p.write_text('status = "operational"\n' + toml, encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(p)
    (prob,) = exc.value.problems
    assert (prob.where, prob.code) == (where, code)
    assert fragment in prob.message
    res = run_cli("route", "-s", str(p), "gwadar", "kashgar")
    assert_clean_error(res, where, fragment)


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda s: s.with_speed(rail=10**400), "1000…000 (401 digits) is outside [0.1, 2000]"),
        (lambda s: s.with_speed(rail=float("nan")), "nan is not a finite number"),
        (lambda s: s.with_speed(rail=1e-300), "1e-300 is outside [0.1, 2000]"),
        (lambda s: s.with_costs(transfer_h=10**400), "(401 digits) is outside [0, 8760]"),
        (lambda s: s.with_costs(transfer_h=float("inf")), "inf is not a finite number"),
    ],
    ids=["speed-10e400", "speed-nan", "speed-tiny", "hours-10e400", "hours-inf"],
)
def test_builder_numbers(call, fragment):
    with pytest.raises(ScenarioError) as exc:
        call(Scenario.today())
    (prob,) = exc.value.problems
    assert prob.code == "bad-number"
    assert fragment in prob.message


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("CORRIDORS_MAX_INPUT_MB", "nan", "'nan' is not a finite number"),
        ("CORRIDORS_MAX_INPUT_MB", "inf", "'inf' is not a finite number"),
        ("CORRIDORS_MAX_INPUT_MB", "1e400", "'1e400' is not a finite number"),
        ("CORRIDORS_MAX_INPUT_MB", "-1", "-1 is outside [0.001, 1048576] MB"),
        ("CORRIDORS_MAX_INPUT_MB", "abc", "'abc' is not a finite number"),
        ("CORRIDORS_MAX_INPUT_MB", "1" * 5000, "is too long for a number (5000 chars)"),
        ("CORRIDORS_MAX_VERTICES", "nan", "'nan' is not a finite number"),
        ("CORRIDORS_MAX_VERTICES", "1.5", "1.5 is not a whole number"),
        ("CORRIDORS_MAX_VERTICES", "0", "0 is outside [2, 100000000]"),
        ("CORRIDORS_MAX_VERTICES", "1" * 5000, "is too long for a number"),
    ],
)
def test_env_caps_refuse_garbage_naming_the_variable(name, value, fragment):
    res = run_cli("route", "gwadar", "kashgar", env={name: value})
    assert_clean_error(res, f"environment variable {name}: ", fragment, "or unset it", rc=2)
    assert res.stderr.count("\n") == 1


def test_env_caps_accept_good_values(monkeypatch):
    monkeypatch.setenv("CORRIDORS_MAX_INPUT_MB", "0.5")
    assert read_mod.max_input_bytes() == 512 * 1024
    monkeypatch.setenv("CORRIDORS_MAX_INPUT_MB", "")
    assert read_mod.max_input_bytes() == read_mod.DEFAULT_MAX_INPUT_BYTES
    monkeypatch.setenv("CORRIDORS_MAX_VERTICES", " 1200 ")
    assert parse_env_number("CORRIDORS_MAX_VERTICES", lo=2, hi=1e8, integer=True) == 1200


@pytest.mark.parametrize(
    ("value", "kwargs", "fragment"),
    [
        (True, {}, "True is not a number"),
        ("3", {}, "'3' is not a number"),
        (float("-inf"), {}, "-inf is not a finite number"),
        (10**5000, {}, "(5001 digits) is outside [0, 10]"),
        (2.5, {"integer": True}, "2.5 is not a whole number"),
        (0, {"lo_open": True}, "0 is outside (0, 10]"),
        ("0x1f", {"text": True}, "'0x1f' is not a finite number"),
        ("", {"text": True}, "'' is not a finite number"),
    ],
    ids=["bool", "string", "-inf", "5001-digits", "not-whole", "lo-open", "hex-text", "empty-text"],
)
def test_parse_number_refusals(value, kwargs, fragment):
    with pytest.raises(NumberError) as exc:
        parse_number(value, field="f", lo=0, hi=10, **kwargs)
    assert str(exc.value) == f"f: {exc.value.reason}"
    assert fragment in exc.value.reason
    assert exc.value.hint.startswith("write a")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [(10**400, "circuity_warn must be in [1, 100]"), (1e300, "must be in [1, 100]")],
    ids=["10e400", "1e300"],
)
def test_circuity_warn_upper_bound(value, fragment):
    with pytest.raises(ScenarioError) as exc:
        Scenario.today().with_circuity_warn(value)
    (prob,) = exc.value.problems
    assert prob.code == "bad-number" and fragment in prob.message


def test_json_coordinate_of_1e400_is_refused_as_not_finite(tmp_path):
    p = tmp_path / "n.geojson"
    p.write_text(json.dumps({"coordinates": [1, 5]}).replace("1", "1e400"), encoding="utf-8")
    problems: list = []
    pos = read_json(p)["coordinates"]
    assert check_position(pos, file="n.geojson", where="/c", entity="x", problems=problems) is None
    assert [q.code for q in problems] == ["coord-nan"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["-k", "1" + "0" * 22], "1000…000 (23 digits) is outside [1, 100]"),
        (["-k", "9" * 5000], "is too long for a number (5000 chars)"),
        (["-k", "nan"], "'nan' is not a finite number"),
        (["-k", "0"], "0 is outside [1, 100]"),
        (["--circuity-warn", "1e999"], "'1e999' is not a finite number"),
        (["--circuity-warn", "1e300"], "1e+300 is outside [1, 100]"),
    ],
    ids=["k-10e22", "k-5000-digits", "k-nan", "k-zero", "circuity-inf", "circuity-1e300"],
)
def test_cli_numbers_are_bounded(args, fragment):
    # before: -k 10**22 ran until killed (one search per alternative)
    res = run_cli("route", *args, "gwadar", "kashgar")
    assert_clean_error(res, fragment, rc=2)
