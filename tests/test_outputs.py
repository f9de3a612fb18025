"""Bad inputs 31-36 (files and outputs) through the CLI, and scenario maps for every example."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from corridors.cli.main import main
from corridors.scenario import bundled_scenario_names


def _listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_31_missing_input_file_names_resolved_path(tmp_path, capsys):
    missing = tmp_path / "nope" / "nodes.geojson"
    assert main(["validate", str(missing)]) == 2
    err = capsys.readouterr().err
    assert str(missing.resolve()) in err and "file not found" in err and "Traceback" not in err


def test_31_directory_where_a_file_is_expected(tmp_path, capsys):
    out = tmp_path / "atlas.html"
    assert main(["map", "-o", str(out), "--overlay", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "is a directory" in err and str(tmp_path.resolve()) in err
    assert not out.exists()


def test_32_input_over_the_size_cap_is_refused_before_reading(tmp_path, capsys, monkeypatch):
    big = tmp_path / "segments.geojson"
    big.write_text(json.dumps({"type": "FeatureCollection", "features": []}) + " " * 2_000_000)
    monkeypatch.setenv("CORRIDORS_MAX_INPUT_MB", "1")
    assert main(["validate", str(big)]) == 1
    err = capsys.readouterr().err
    assert "over the 1.0 MB input cap" in err and "CORRIDORS_MAX_INPUT_MB" in err


def test_33_existing_output_needs_overwrite(tmp_path, capsys):
    out = tmp_path / "atlas.html"
    out.write_text("keep me", encoding="utf-8")
    assert main(["map", "-o", str(out)]) == 1
    assert "file exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me"
    assert _listing(tmp_path) == ["atlas.html"]


def test_34_output_directory_missing(tmp_path, capsys):
    out = tmp_path / "no-such-dir" / "atlas.html"
    assert main(["map", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "no-such-dir" in err
    assert _listing(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only directories")
def test_34_output_directory_not_writable(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert main(["map", "-o", str(ro / "atlas.html")]) == 1
        assert "not writable" in capsys.readouterr().err
    finally:
        ro.chmod(0o755)


def test_35_output_equal_to_an_input(tmp_path, capsys):
    overlay = tmp_path / "layer.html"
    overlay.write_text("{}", encoding="utf-8")
    assert main(["map", "-o", str(overlay), "--overlay", str(overlay), "--overwrite"]) == 1
    assert "also an input" in capsys.readouterr().err
    assert overlay.read_text(encoding="utf-8") == "{}"


@pytest.mark.parametrize(
    ("argv", "suffix"),
    [
        (["map", "-o"], "atlas.gpkg"),
        (["export", "today", "-o"], "network.html"),
        (["report", "today", "-o"], "report.gpkg"),
    ],
)
def test_36_wrong_extension_is_rejected(tmp_path, capsys, argv, suffix):
    out = tmp_path / suffix
    assert main([*argv, str(out)]) == 1
    err = capsys.readouterr().err
    assert "extension" in err or "format" in err
    assert _listing(tmp_path) == []


def test_failed_map_run_leaves_no_partial_or_temp_file(tmp_path, capsys):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    out = tmp_path / "atlas.html"
    assert main(["map", "-o", str(out), "--overlay", str(bad)]) == 1
    assert "invalid JSON" in capsys.readouterr().err
    assert _listing(tmp_path) == ["bad.geojson"]


@pytest.mark.parametrize("name", bundled_scenario_names())
def test_every_example_scenario_reports_and_renders(tmp_path, capsys, name):
    report = tmp_path / f"{name}.md"
    assert main(["report", name, "--format", "md", "-o", str(report)]) == 0
    assert report.stat().st_size > 0
    out = tmp_path / f"{name}.html"
    assert main(["map", name, "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "leaflet" in html.lower()
    if "closed" in name:
        # closures are drawn: at least one feature carries closed=true
        from render.payload_reader import read_payload

        layers = read_payload(html, geometry=False)["layers"]
        assert any(f[1].get("closed") is True for layer in layers for f in layer["features"])
