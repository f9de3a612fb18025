"""Data that reaches Markdown, CSV and the terminal stays text (issue 14, item 7)."""

from __future__ import annotations

import csv
import dataclasses
import io

import markdown
import pytest

from conftest import HAND_COSTS, hand_atlas_data, write_files
from corridors.analytics.diff import diff
from corridors.analytics.report import report
from corridors.cli.main import main
from corridors.io.geodata import load_atlas
from corridors.textsafe import csv_cell, md_text, terminal_text

XSS = "<img src=x onerror=alert(1)>"
FORMULA = "=1+1"


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    data = hand_atlas_data()
    for f in data["nodes.geojson"]["features"]:
        if f["properties"]["id"] == "a1":
            f["properties"]["name"] = XSS
        if f["properties"]["id"] == "b1":
            f["properties"]["name"] = FORMULA
        if f["properties"]["id"] == "b2":
            f["properties"]["name"] = "Beta\x1b[2J\x1b[31mPort\u202e"
    data["hubs.toml"] = 'hubs = ["a1", "b1", "b2"]\n'
    return write_files(tmp_path_factory.mktemp("hostile"), data)


@pytest.fixture(scope="module")
def hostile_report(hostile_dir):
    from corridors.scenario.model import Scenario

    atlas = load_atlas(hostile_dir)
    sc = Scenario.full_vision().with_costs(**HAND_COSTS).named(XSS, description="# " + XSS)
    return atlas, sc, report(atlas, sc)


def test_markdown_report_renders_data_as_text(hostile_report):
    _, _, rep = hostile_report
    html = markdown.markdown(rep.to_markdown(), extensions=["tables"])
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    # the description starting with '#' is a paragraph, not a second heading
    assert html.count("<h1>") == 1


def test_markdown_diff_renders_data_as_text(hostile_report):
    atlas, sc, _ = hostile_report
    d = diff(atlas, sc, sc.named("b" + XSS), [("a1", "b1")])
    html = markdown.markdown(d.to_markdown(), extensions=["tables"])
    assert "<img" not in html and "onerror=alert(1)&gt;" in html


def test_csv_formula_from_data_reads_back_as_text(hostile_report):
    _, _, rep = hostile_report
    # ids are validated and cannot start with '='; a note is free text (from data or a
    # route's explanation), so put the formula there
    rep = dataclasses.replace(rep, hubs=rep.hubs.assign(note=FORMULA))
    cells = [c for row in csv.reader(io.StringIO(rep.to_csv())) for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]
    assert "'" + FORMULA in cells


def test_terminal_output_escapes_control_characters(hostile_dir, capsys):
    assert main(["list", "nodes", "--geodata", str(hostile_dir)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "Beta\\x1b[2J\\x1b[31mPort\\u202e" in out


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Kars", "Kars"),
        (-1.5, -1.5),
        (3, 3),
    ],
)
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected


@pytest.mark.parametrize(
    "text",
    [
        XSS,
        "[click](javascript:alert(1))",
        "![x](http://e/x.png)",
        "a | b",
        "*x* _y_ `z`",
        "# h",
        "- item",
        "1. item",
        "&amp; literal",
        "<script>alert(1)</script>",
        "line\nbreak",
    ],
)
def test_md_text_round_trips_through_a_markdown_renderer(text):
    html = markdown.markdown(md_text(text))
    assert "<a" not in html and "<img" not in html and "<script" not in html
    assert "<em>" not in html and "<code>" not in html and "<h1>" not in html
    assert "<li>" not in html and "<strong>" not in html


def test_terminal_text_keeps_newlines_and_tabs():
    assert terminal_text("a\tb\nc\x07\x9b") == "a\tb\nc\\x07\\x9b"
