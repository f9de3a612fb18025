"""``corridors route | report | compare | export``: exit codes, outputs, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run

from corridors.cli.main import main


# --------------------------------------------------------------------------- hand fixture
def test_route_json_on_hand_atlas(capsys, hand_dir: Path) -> None:
    code, out, err = run(capsys, ["route", "a1", "b3", "--geodata", str(hand_dir), "--json"])
    assert code == 0, err
    d = json.loads(out)
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
    assert d["origin"] == "a1" and d["destination"] == "b3"
    assert [leg["segment"] for leg in d["legs"]] == ["road2", "f1"]
    assert set(d["legs"][0]) >= {"from", "to", "mode", "segment", "length_km", "hours"}


def test_route_text_and_alternatives(capsys, hand_dir: Path) -> None:
    code, out, _ = run(
        capsys, ["route", "Alpha Junction", "Beta", "--geodata", str(hand_dir), "--k", "2"]
    )
    assert code == 0
    assert "Alpha Junction → Beta: 200 km" in out
    assert "break of gauge at gate: 1520 → 1435 mm" in out
    assert "alternative 2:" in out


def test_route_errors_exit_1_without_traceback(capsys, hand_dir: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, ["route", "a1", "Betta", "--geodata", str(hand_dir)])
    assert code == 1 and "corridors: error: unknown place 'Betta'" in err
    s = tmp_path / "closed.toml"
    s.write_text('close = ["r2", "f1"]\n', encoding="utf-8")
    code, _, err = run(
        capsys, ["route", "a1", "b2", "--geodata", str(hand_dir), "--scenario", str(s)]
    )
    assert code == 1
    assert "corridors: error: no route from Alpha (a1) to Beta Port (b2)" in err
    code, _, err = run(
        capsys, ["route", "a1", "b2", "--geodata", str(hand_dir), "--scenario", "no-such-scenario"]
    )
    assert code == 1 and "unknown scenario" in err


def test_route_usage_error_exit_2(capsys) -> None:
    code, _, err = run(capsys, ["route", "a", "b", "--k", "zero"])
    assert code == 2 and "corridors: error:" in err


def test_bad_scenario_file_exit_1(capsys, hand_dir: Path, tmp_path: Path) -> None:
    s = tmp_path / "bad.toml"
    s.write_text('clossures = ["x"]\n', encoding="utf-8")
    code, _, err = run(capsys, ["route", "a1", "b2", "--geodata", str(hand_dir), "-s", str(s)])
    assert code == 1
    assert "unknown key 'clossures'" in err and "did you mean 'closures'?" in err


@pytest.mark.parametrize(
    ("fmt", "ext", "probe"),
    [
        ("md", ".md", "# Scenario report"),
        ("json", ".json", '"summary"'),
        ("csv", ".csv", "table,key,column,value"),
    ],
)
def test_report_formats(capsys, hand_dir: Path, tmp_path: Path, fmt, ext, probe) -> None:
    scen = tmp_path / "s.toml"
    scen.write_text('status = "planned"\n', encoding="utf-8")
    code, out, _ = run(capsys, ["report", str(scen), "--geodata", str(hand_dir), "--format", fmt])
    assert code == 0 and probe in out
    target = tmp_path / f"r{ext}"
    code, _, err = run(capsys, ["report", str(scen), "--geodata", str(hand_dir), "-o", str(target)])
    assert code == 0 and target.read_text(encoding="utf-8").count(probe) == 1
    code, _, err = run(capsys, ["report", str(scen), "--geodata", str(hand_dir), "-o", str(target)])
    assert code == 1 and "file exists" in err and "--overwrite" in err
    code, _, _ = run(
        capsys, ["report", str(scen), "--geodata", str(hand_dir), "-o", str(target), "--overwrite"]
    )
    assert code == 0


def test_report_refuses_mismatched_or_input_paths(capsys, hand_dir: Path, tmp_path: Path):
    scen = tmp_path / "s.toml"
    scen.write_text('status = "planned"\n', encoding="utf-8")
    code, _, err = run(
        capsys,
        [
            "report",
            str(scen),
            "--geodata",
            str(hand_dir),
            "--format",
            "json",
            "-o",
            str(tmp_path / "r.md"),
        ],
    )
    assert code == 2 and "does not match" in err
    code, _, err = run(
        capsys, ["report", str(scen), "--geodata", str(hand_dir), "-o", str(tmp_path / "r.html")]
    )
    assert code == 1 and "does not match the format" in err
    code, _, err = run(
        capsys,
        [
            "report",
            str(scen),
            "--geodata",
            str(hand_dir),
            "--format",
            "md",
            "-o",
            str(tmp_path / "missing" / "r.md"),
        ],
    )
    assert code == 1 and "does not exist" in err
    assert not (tmp_path / "r.html").exists()


def test_compare_outputs(capsys, hand_dir: Path, tmp_path: Path) -> None:
    a = tmp_path / "a.toml"
    a.write_text('status = "proposed"\n', encoding="utf-8")
    b = tmp_path / "b.toml"
    b.write_text('include = ["a.toml"]\nclose = ["r1"]\n', encoding="utf-8")
    code, out, _ = run(
        capsys, ["compare", str(a), str(b), "--geodata", str(hand_dir), "--pairs", "a1:b2,a1:b3"]
    )
    assert code == 0 and "closed or left out in b: r1" in out and "| a1 | b2 | changed |" in out
    for ext in (".html", ".md", ".json"):
        target = tmp_path / f"diff{ext}"
        code, _, err = run(
            capsys,
            [
                "compare",
                str(a),
                str(b),
                "--geodata",
                str(hand_dir),
                "--pairs",
                "a1:b2",
                "-o",
                str(target),
            ],
        )
        assert code == 0, err
        assert target.stat().st_size > 0
    assert json.loads((tmp_path / "diff.json").read_text())["closed"] == ["r1"]
    code, _, err = run(
        capsys, ["compare", str(a), str(b), "--geodata", str(hand_dir), "-o", str(b)]
    )
    assert code == 2 and "cannot tell the format" in err
    code, _, err = run(
        capsys, ["compare", str(a), str(b), "--geodata", str(hand_dir), "--pairs", "a1-b2"]
    )
    assert code == 2 and "ORIGIN:DEST" in err


def test_export(capsys, hand_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.geojson"
    code, _, err = run(capsys, ["export", "-o", str(target), "--geodata", str(hand_dir)])
    assert code == 0, err
    fc = json.loads(target.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 7
    code, _, err = run(
        capsys, ["export", "-o", str(tmp_path / "out.kml"), "--geodata", str(hand_dir)]
    )
    assert code == 1 and "does not match the format" in err


# --------------------------------------------------------------------------- bundled data
def test_route_gwadar_baku_bundled_json(capsys, bundled_atlas) -> None:
    code, out, err = run(capsys, ["route", "Gwadar", "Baku", "--scenario", "full-vision", "--json"])
    assert code == 0, err
    d = json.loads(out)
    assert d["origin"] == "gwadar_port" and d["destination"] == "baku"
    assert d["countries"][0] == "PAK" and d["countries"][-1] == "AZE"
    assert d["length_km"] > 0 and d["hours"] > 0


def test_route_iran_closed_bundled(capsys, bundled_atlas, tmp_path: Path) -> None:
    s = tmp_path / "no-iran.toml"
    s.write_text(
        'status = "proposed"\ninclude_suspended = true\nclose = ["IRN"]\n', encoding="utf-8"
    )
    code, out, err = run(capsys, ["route", "Gwadar", "Baku", "--scenario", str(s), "--json"])
    if code == 0:
        assert "IRN" not in json.loads(out)["countries"]
    else:
        assert code == 1 and "no route from Gwadar Port" in err and "IRN" in err


def test_route_as_of_applies_dated_events(capsys, bundled_atlas) -> None:
    """AFG-PAK crossings: closed from 2025-10-12 (events.toml), open on 2025-09-01."""
    argv = ["route", "Peshawar", "Kabul", "-s", "today", "--json"]
    rc, out, _ = run(capsys, argv)
    assert rc == 0
    today = json.loads(out)
    assert "AFG-PAK" not in {
        "-".join(sorted((b["from"], b["to"]))) for b in today["border_crossings"]
    }
    assert any(w["code"] == "excluded-link" for w in today["warnings"])
    rc, out, _ = run(capsys, [*argv, "--as-of", "2025-09-01"])
    assert rc == 0
    before = json.loads(out)
    assert [leg["segment"] for leg in before["legs"]] == ["ncpec-torkham-road"]
    assert before["scenario"] == "today as of 2025-09-01"
    assert before["length_km"] < 0.2 * today["length_km"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-13-01", "month out of range"),
        ("yesterday", "--as-of"),
        ("20251", "--as-of"),
        ("", "--as-of"),
    ],
)
def test_as_of_bad_values_exit_2(capsys, value: str, message: str) -> None:
    for cmd in (["route", "Gwadar", "Baku"], ["report", "today"], ["doctor"]):
        with pytest.raises(SystemExit) as exc:
            main([*cmd, "--as-of", value])
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert "argument --as-of" in err and message in err and "Traceback" not in err
