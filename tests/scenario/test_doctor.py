"""``corridors doctor`` and :func:`corridors.analytics.doctor.doctor` on the gap atlas
(see ``gap_fixture.py``): dead ends, an island, implausible hub pairs; exit codes, JSON
golden, determinism; and the plausibility lines of ``corridors route``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import run
from gap_fixture import write_gap_atlas

from corridors.analytics.doctor import TERMINUS_KINDS, doctor
from corridors.io.geodata import load_atlas
from corridors.scenario import Scenario

#: A loop w-mid-e-far-n-w (mid-e proposed, included by the default threshold): clean.
CLEAN = 'name = "loop"\nsegments = ["w-mid", "mid-e", "far-e", "n-far", "w-n"]\n'

MISS = (
    "no open link between Middle (mid) and East (e) within 444 km: the network connects "
    "them over 3,950 km; a direct link would make the route about 894 km (circuity 1.01)"
)
GOLDEN = {
    "scenario": "today",
    "circuity_warn": 2.0,
    "ok": False,
    "summary": {
        "dead_ends": 2,
        "islands": 1,
        "implausible_hub_pairs": 3,
        "scenario_warnings": 0,
        "hub_pairs_checked": 3,
    },
    "hubs": ["w", "e", "i1"],
    "dead_ends": [
        {
            "node": "e",
            "name": "East",
            "kind": "city",
            "country": "AAA",
            "neighbour": "far",
            "segments": ["far-e"],
        },
        {
            "node": "mid",
            "name": "Middle",
            "kind": "city",
            "country": "AAA",
            "neighbour": "w",
            "segments": ["w-mid"],
        },
    ],
    "islands": [
        {
            "nodes": ["i1", "i2"],
            "segments": ["isl"],
            "nearest": {"node": "i2", "network_node": "far", "km": 672.7},
        }
    ],
    "hub_pairs": [
        {
            "origin": "w",
            "destination": "e",
            "problem": "implausible",
            "length_km": 3500.0,
            "geodesic_km": 887.2,
            "circuity": 3.945,
            "warnings": [
                {
                    "code": "circuitous",
                    "message": "route West → East is 3,500 km for 887 km great circle: "
                    "circuity 3.95 > 2; the network probably lacks a link",
                    "refs": ["w", "e"],
                },
                {
                    "code": "excluded-link",
                    "message": "with this segment put back the route would be about 910 km "
                    "(circuity 1.03): mid-e (MID-E): proposed, beyond the scenario's "
                    "threshold 'operational'",
                    "refs": ["mid-e"],
                },
                {"code": "missing-link", "message": MISS, "refs": ["mid", "e"]},
            ],
        },
        {
            "origin": "w",
            "destination": "i1",
            "problem": "no-route",
            "length_km": None,
            "geodesic_km": 1570.3,
            "circuity": None,
            "warnings": [
                {
                    "code": "missing-link",
                    "message": "no open link between Far (far) and I2 (i2) within 673 km: "
                    "the network does not connect them; a direct link would make the route "
                    "about 2,923 km (circuity 1.86)",
                    "refs": ["far", "i2"],
                }
            ],
        },
        {
            "origin": "e",
            "destination": "i1",
            "problem": "no-route",
            "length_km": None,
            "geodesic_km": 702.0,
            "circuity": None,
            "warnings": [
                {
                    "code": "missing-link",
                    "message": "no open link between East (e) and I1 (i1) within 702 km: "
                    "the network does not connect them; a direct link would make the route "
                    "about 702 km (circuity 1.00)",
                    "refs": ["e", "i1"],
                }
            ],
        },
    ],
    "scenario_warnings": [],
}


@pytest.fixture(scope="module")
def gap_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = write_gap_atlas(tmp_path_factory.mktemp("doctor") / "atlas")
    (d.parent / "clean.toml").write_text(CLEAN, encoding="utf-8")
    return d


def test_doctor_json_golden(gap_dir: Path) -> None:
    """Geodesic km are rounded to 0.1 km and circuity to 0.001 in the JSON (exact here)."""
    rep = doctor(load_atlas(gap_dir), Scenario.today())
    assert rep.to_dict() == GOLDEN
    assert not rep.ok
    assert "seaport" in TERMINUS_KINDS  # port is a dead end by topology but not listed


def test_doctor_cli_exit_1_and_json(capsys, gap_dir: Path) -> None:
    code, out, err = run(capsys, ["doctor", "--geodata", str(gap_dir), "-s", "today", "--json"])
    assert code == 1, err
    assert json.loads(out) == GOLDEN


def test_doctor_cli_text(capsys, gap_dir: Path) -> None:
    code, out, _ = run(capsys, ["doctor", "--geodata", str(gap_dir), "-s", "today"])
    assert code == 1
    assert "  e (East; city, AAA): only linked to far by far-e" in out
    assert "  2 place(s) i1, i2; segments isl; nearest: i2 is 673 km from far" in out
    assert "  w → e: 3,500 km for 887 km great circle (circuity 3.95)" in out
    assert f"    - [missing-link] {MISS}" in out
    assert out.rstrip().endswith(
        "2 dead end(s), 1 island(s), 3 implausible hub pair(s), 0 scenario warning(s)"
    )


def test_doctor_cli_exit_0_when_clean(capsys, gap_dir: Path) -> None:
    clean = str(gap_dir.parent / "clean.toml")
    code, out, err = run(
        capsys, ["doctor", "--geodata", str(gap_dir), "-s", clean, "--hubs", "w,e"]
    )
    assert code == 0, out + err
    assert "OK: no dead ends, islands or implausible hub pairs" in out
    code, out, _ = run(
        capsys, ["doctor", "--geodata", str(gap_dir), "-s", clean, "--hubs", "w,e", "--json"]
    )
    assert code == 0 and json.loads(out)["ok"] is True


def test_doctor_threshold_override(capsys, gap_dir: Path) -> None:
    argv = ["doctor", "--geodata", str(gap_dir), "-s", "today", "--hubs", "w,e", "--json"]
    code, out, _ = run(capsys, [*argv, "--circuity-warn", "4"])
    d = json.loads(out)
    assert code == 1  # dead ends and the island remain
    assert d["circuity_warn"] == 4.0 and d["hub_pairs"] == []


@pytest.mark.parametrize(
    ("argv", "text"),
    [
        (["--circuity-warn", "0.5"], "expected a number >= 1"),
        (["--circuity-warn", "abc"], "expected a number >= 1"),
        (["--hubs", "w,,e"], "expected comma-separated node ids or names"),
    ],
)
def test_doctor_usage_errors_exit_2(capsys, gap_dir: Path, argv: list[str], text: str) -> None:
    code, _, err = run(capsys, ["doctor", "--geodata", str(gap_dir), *argv])
    assert code == 2 and text in err


def test_doctor_unknown_hub_exits_1(capsys, gap_dir: Path) -> None:
    code, _, err = run(capsys, ["doctor", "--geodata", str(gap_dir), "--hubs", "w,nowhere"])
    assert code == 1 and "unknown place 'nowhere'" in err


def _doctor_json(seed: str, gap_dir: Path) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "CORRIDORS_CACHE_DIR": "off"}
    argv = ["doctor", "--geodata", str(gap_dir), "-s", "today", "--json"]
    code = f"import sys; from corridors.cli.main import main; sys.exit(main({argv!r}))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=False)
    assert out.returncode == 1, out.stderr
    return out.stdout.decode("utf-8")


def test_doctor_json_is_byte_identical_whatever_the_hash_seed(gap_dir: Path) -> None:
    first = _doctor_json("0", gap_dir)
    assert json.loads(first) == GOLDEN
    assert _doctor_json("12345", gap_dir) == first


# --------------------------------------------------------------------------- route CLI
def test_route_cli_prints_circuity_and_warnings(capsys, gap_dir: Path) -> None:
    code, out, _ = run(capsys, ["route", "w", "e", "--geodata", str(gap_dir), "-s", "today"])
    assert code == 0
    assert "circuity 3.95 (3,500 km / 887 km great circle), threshold 2 — implausible" in out
    assert "depends on: countries AAA>BBB>AAA; borders AAA>BBB, BBB>AAA" in out
    assert f"warning [missing-link]: {MISS}" in out
    code, out, _ = run(
        capsys,
        ["route", "w", "e", "--geodata", str(gap_dir), "-s", "today", "--circuity-warn", "5"],
    )
    assert code == 0 and "warning [" not in out and "threshold 5" in out


def test_route_cli_json_warnings(capsys, gap_dir: Path) -> None:
    argv = ["route", "w", "e", "--geodata", str(gap_dir), "-s", "today", "--json"]
    code, out, _ = run(capsys, argv)
    d = json.loads(out)
    assert code == 0 and d["plausible"] is False
    assert d["warnings"][-1] == {"code": "missing-link", "message": MISS, "refs": ["mid", "e"]}


def test_route_cli_prints_isolated_link_warning_to_stderr(
    capsys, gap_dir: Path, tmp_path: Path
) -> None:
    s = tmp_path / "iso.toml"
    s.write_text('name = "iso"\nstatus = "operational"\nopen = ["x-link"]\n', encoding="utf-8")
    code, out, err = run(capsys, ["route", "w", "mid", "--geodata", str(gap_dir), "-s", str(s)])
    assert code == 0
    assert "warning: segment x-link (X-LINK) connects to nothing else" in err
    assert "(isolated-link)" in err and "isolated-link" not in out


def test_map_cli_prints_isolated_link_warning(capsys, gap_dir: Path, tmp_path: Path) -> None:
    s = tmp_path / "iso.toml"
    s.write_text('name = "iso"\nstatus = "operational"\nopen = ["x-link"]\n', encoding="utf-8")
    out = tmp_path / "m.html"
    code, _, err = run(
        capsys,
        ["map", str(s), "-o", str(out), "--geodata", str(gap_dir), "--route", "w:e"],
    )
    assert code == 0, err
    assert "(isolated-link)" in err and out.exists()
    html = out.read_text(encoding="utf-8")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "render"))
    from payload_reader import read_payload

    text = json.dumps(read_payload(html, geometry=False), ensure_ascii=False)
    assert "Route circuity 3.95 (implausible: above 2)" in text
    assert "no open link between Middle (mid) and East (e)" in text


def test_validate_network_runs_the_doctor(capsys, gap_dir: Path) -> None:
    code, out, _ = run(capsys, ["validate", str(gap_dir), "--network"])
    assert code == 1  # full vision: mid-e closes the gap, the islands i1-i2 and x1-x2 remain
    assert "corridors validate: OK" in out and "scenario full-vision" in out
    code, out, _ = run(capsys, ["validate", str(gap_dir)])
    assert code == 0 and "scenario full-vision" not in out
