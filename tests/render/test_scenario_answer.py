"""Scenario maps that show the answer, and the compare page (issue 13, items 4 and 5).

Built by the real command line; read back with the page's own decoder
(:mod:`payload_reader`) and an HTML parser. The browser side is in
``test_scenario_answer_browser.py``.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from payload_reader import page_config, read_payload

from corridors.cli.main import main
from corridors.maps.palette import ROUTE_COLOURS
from corridors.network.routing import default_atlas, route
from corridors.render.payload import decode_payload

XSS = "<img src=x onerror=alert(1)>"


def _map(tmp_path: Path, *argv: str, name: str = "map.html") -> str:
    out = tmp_path / name
    assert main(["map", *argv, "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def _panel(html: str, part: str) -> str:
    m = re.search(
        rf'<div class="cx-panel [^"]*" data-cx-part="{part}" hidden>(.*?)</div></div>', html
    )
    assert m, f"no {part} panel"
    return m.group(1)


def _text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _layers(html: str) -> dict[str, dict]:
    return {layer["key"]: layer for layer in read_payload(html, geometry=False)["layers"]}


def _totals(r) -> tuple[str, str]:
    return f"{r.length_km:,.0f} km", f"{r.hours:,.1f} h"


# --------------------------------------------------------------------------- scenario maps
def test_route_without_scenario_uses_the_default_one(tmp_path, capsys):
    html = _map(tmp_path, "--route", "Gwadar:Tashkent")
    layers = _layers(html)
    assert "route:1" in layers, "--route without a scenario was ignored"
    r = route(default_atlas(), None, "Gwadar", "Tashkent")
    km, hours = _totals(r)
    title = layers["route:1"]["title"]
    assert title.startswith("Gwadar Port → Tashkent: ") and km in title and hours in title
    assert f"US$ {r.costs.usd_per_t.p50:,.0f}/t" in title
    caption = _text(_panel(html, "caption"))
    assert "Scenario: full-vision" in caption and "As of 2026-12-01" in caption
    assert "Closed: nothing" in caption and km in caption
    # the route's legs are in its own layer, and no other layer holds a route leg
    legs = [f[1] for f in layers["route:1"]["features"]]
    assert legs and all(p.get("route") for p in legs)
    assert sum(1 for k in layers if k.startswith("route:")) == 1


def test_each_route_its_own_colour_matching_legend_and_caption(tmp_path):
    pairs = ["gwadar_port:tashkent", "Gwadar:Baku", "kabul:baku", "tashkent:baku"]
    html = _map(tmp_path, "today", *[a for p in pairs for a in ("--route", p)])
    layers = _layers(html)
    keys = [f"route:{i}" for i in range(1, 5)]
    colours = [layers[k]["colour"] for k in keys]
    assert colours == list(ROUTE_COLOURS[:4]) and len(set(colours)) == 4
    legend = _panel(html, "legend")
    caption = _panel(html, "caption")
    routes_section = legend[: legend.index("Corridors and areas")]
    assert "<h4>Routes</h4>" in routes_section
    for key, colour in zip(keys, colours, strict=True):
        row = re.search(rf'<li data-cx="layer:{key}"[^>]*>(.*?)</li>', legend)
        assert row, key
        # the swatch's line (the last path, over the casing) is the route's colour
        assert re.findall(r'stroke="(#[0-9a-f]{6})"', row.group(1))[-1] == colour
        entry = re.search(rf'data-cx-route="{key}"[^>]*>(.*?)</button>', caption)
        assert entry and f'stroke="{colour}"' in entry.group(1)
    # the labels written on the map carry the same colours and totals
    labels = page_config(html)["caption"]["routes"]
    assert [x["colour"] for x in labels] == colours
    r = route(default_atlas(), "today", "kabul", "baku")
    assert _totals(r)[0] in labels[2]["text"] and labels[2]["text"].startswith("Kabul → Baku")
    # the old single-colour "Computed route" row is not shown as a yellow swatch
    assert 'data-cx="route"' not in legend


def test_pair_without_route_is_listed_not_fatal(tmp_path, capsys):
    html = _map(tmp_path, "afghanistan-closed", "--route", "kabul:baku", "--route", "Gwadar:Baku")
    layers = _layers(html)
    assert "route:1" not in layers and "route:2" in layers  # numbered by the pair asked for
    caption = _text(_panel(html, "caption"))
    assert "No route" in caption and "Kabul → Baku" in caption
    from corridors.errors import RouteNotFound

    with pytest.raises(RouteNotFound) as err:
        route(default_atlas(), "afghanistan-closed", "kabul", "baku")
    assert str(err.value) in caption  # the reason network/failures.py gives
    assert "Closed: country AFG" in caption
    # the rest of the map is drawn
    assert sum(1 for k in layers if k.startswith("corridor:")) > 10


def test_unknown_place_is_still_an_error(tmp_path, capsys):
    code = main(["map", "today", "--route", "Gwadar:Atlantis", "-o", str(tmp_path / "x.html")])
    err = capsys.readouterr().err
    assert code == 1 and "Atlantis" in err and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


# --------------------------------------------------------------------------- compare page
def _sides(html: str) -> list[dict]:
    starts = re.findall(r"CorridorsCompare\.add\((\{.*?\})\);(?= ?CorridorsCompare\.)", html)
    assert len(starts) == 2
    return [json.loads(s) for s in starts]


def _table(html: str) -> str:
    m = re.search(r'<table class="cx-diff">(.*?)</table>', html)
    assert m
    return m.group(1)


def test_compare_page_draws_both_scenarios_and_a_clean_table(tmp_path, capsys):
    out = tmp_path / "diff.html"
    pairs = "gwadar_port:tashkent,kabul:baku,gwadar_port:baku"
    assert main(["compare", "today", "afghanistan-closed", "-o", str(out), "--pairs", pairs]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<html") == 1
    sides = _sides(html)
    titles = []
    for side in sides:
        layers = {x["key"]: x for x in decode_payload(side["payload"])["layers"]}
        titles.append([layers[k]["title"] for k in sorted(layers) if k.startswith("route:")])
        assert side["cfg"]["ui"] in html and side["map"] in html
        closed = layers["change:closed"]["features"]
        assert closed and layers["change:closed"]["colour"] == "#d73027"
        assert "change:opened" in layers and layers["change:opened"]["colour"] == "#1a9850"
    # today draws three routes; afghanistan-closed has none for Kabul -> Baku
    assert len(titles[0]) == 3 and len(titles[1]) == 2
    assert sides[1]["cfg"]["caption"]["unrouted"] == 1
    table = _table(html)
    text = _text(table)
    for bad in ("NaN", "None", "nan", "['", "[]"):
        assert bad not in text, bad
    for unit in ("Length (km)", "Time (h)", "Cost, P50 (US$/t)", "Emissions, P50 (kg CO2e/t)"):
        assert unit in text
    rows = re.findall(r'<tr class="cx-change-(\w+)">(.*?)</tr>', table)
    assert [r[0] for r in rows] == ["changed", "lost", "same"]
    a = route(default_atlas(), "today", "gwadar_port", "tashkent")
    b = route(default_atlas(), "afghanistan-closed", "gwadar_port", "tashkent")
    first = _text(rows[0][1])
    assert "Gwadar Port → Tashkent" in first
    assert f"{a.length_km:,.0f}" in first and f"{b.length_km:,.0f}" in first
    delta = b.length_km - a.length_km
    assert ("+" if delta > 0 else "\u2212") + f"{abs(delta):,.0f}" in first
    assert "PAK → IRN" in first
    lost = _text(rows[1][1])
    assert "—" in lost and "Kabul → Baku" in lost
    # the pair's swatch in the table is its route colour on the maps
    assert f'stroke="{ROUTE_COLOURS[1]}"' in rows[1][1]


def test_compare_markdown_and_json_keep_their_form(tmp_path, capsys):
    md = tmp_path / "d.md"
    assert main(["compare", "today", "hormuz-closed", "-o", str(md), "--pairs", "Gwadar:Baku"]) == 0
    text = md.read_text(encoding="utf-8")
    assert "| usd\\_p50\\_a |" in text and "<table" not in text
    js = tmp_path / "d.json"
    assert main(["compare", "today", "hormuz-closed", "-o", str(js), "--pairs", "Gwadar:Baku"]) == 0
    row = json.loads(js.read_text(encoding="utf-8"))["routes"][0]
    assert isinstance(row["usd_p50_a"], float) and isinstance(row["co2e_p50_b"], float)


# --------------------------------------------------------------------------- escaping
def _hostile_scenario(tmp_path: Path) -> Path:
    p = tmp_path / "hostile.toml"
    p.write_text(
        f'name = "{XSS}"\ndescription = "</script><script>alert(2)</script> {{{{ 7*7 }}}}"\n'
        'close = ["hormuz"]\n',
        encoding="utf-8",
    )
    return p


def test_names_from_scenario_toml_stay_text(tmp_path, capsys):
    scen = _hostile_scenario(tmp_path)
    html = _map(tmp_path, str(scen), "--route", "Gwadar:Baku")
    out = tmp_path / "diff.html"
    assert main(["compare", "today", str(scen), "-o", str(out), "--pairs", "Gwadar:Baku"]) == 0
    page = out.read_text(encoding="utf-8")
    for doc in (html, page):
        assert "<img" not in doc and "<script>alert(2)" not in doc
    # the Jinja-looking description is not evaluated either
    assert "{{ 7*7 }}" in htmllib.unescape(html) and "{{ 7*7 }}" in htmllib.unescape(page)
    assert f"Scenario: {XSS}" in _text(_panel(html, "caption"))
    head = page.split("<body", 1)[1].split("<main", 1)[0]
    assert f"B {XSS}" in " ".join(_text(head).split())  # the heading, as text
    assert f"<title>corridors compare — today → {htmllib.escape(XSS, quote=False)}" in page
    captions = re.findall(r'data-cx-part="caption" hidden>(.*?)</div></div>', page)
    assert len(captions) == 2 and f"Scenario: {XSS}" in _text(captions[1])


# --------------------------------------------------------------------------- determinism
def _build(argv: list[str], seed: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "corridors.cli.main", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
        check=False,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["map", "today", "--route", "gwadar_port:tashkent", "--route", "kabul:baku"],
        ["map", "afghanistan-closed", "--route", "kabul:baku", "--route", "Gwadar:Baku"],
        ["compare", "today", "hormuz-closed", "--pairs", "Gwadar:Baku,gwadar_port:tashkent"],
    ],
    ids=["map", "map-unrouted", "compare"],
)
def test_rebuilds_are_byte_identical(tmp_path, argv):
    pages = []
    for seed in ("1", "4242"):
        out = tmp_path / f"{seed}.html"
        run = _build([*argv, "-o", str(out)], seed)
        assert run.returncode == 0, run.stderr
        pages.append(out.read_bytes())
    assert pages[0] == pages[1]


def test_a_route_without_a_cost_figure_says_so(tmp_path, capsys):
    """A leg with no cost figure (ferries have no US$ figure in costs.toml) leaves the total
    incomplete: the map says why and the table shows no number, never a partial US$ 0/t."""
    r = route(default_atlas(), "full-vision", "port_of_baku_alat", "aktau")
    assert any(m.startswith("usd_per_t: no figure for ferry") for m in r.costs.missing)
    html = _map(tmp_path, "full-vision", "--route", "port_of_baku_alat:aktau")
    caption = _text(_panel(html, "caption"))
    assert "cost: no figure for ferry" in caption and "US$ 0/t" not in caption
    from corridors.analytics.diff import diff

    d = diff(default_atlas(), "today", "full-vision", [("port_of_baku_alat", "aktau")])
    row = d.table()["rows"][0]["cells"]
    assert row[1] == "same" and row[8:11] == ["—", "—", "—"]  # US$/t: A, B, delta
    assert d.routes.loc[0, "usd_p50_b"] is None or d.routes["usd_p50_b"].isna().all()
