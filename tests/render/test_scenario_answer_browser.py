"""Scenario maps and the compare page in headless Chromium (offline, requests blocked).

What the user sees: the caption, a label with its totals at each route in the route's
colour, the legend swatch drawn in the colour the route is drawn in, a pair without a
route listed; the compare page's two maps moving together, its table; names from a
scenario file that stay text. Each test ends with 0 console errors, 0 external requests
and 0 dialogs.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from corridors.cli.main import main
from corridors.maps.palette import ROUTE_COLOURS

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"


def _clean(state) -> None:
    assert state["errors"] == [] and state["external"] == [] and state["dialogs"] == []


def _open(page, path: Path, *, both: bool = False) -> None:
    page.goto(path.as_uri())
    if both:
        page.locator("body[data-cx-ready='true']").wait_for()
    else:
        page.locator(".leaflet-container[data-cx-ready='true']").first.wait_for()


def test_scenario_map_shows_the_answer(browser_page, tmp_path, capsys):
    out = tmp_path / "afg.html"
    argv = ["map", "afghanistan-closed", "-o", str(out)]
    argv += ["--route", "Gwadar:Tashkent", "--route", "kabul:baku", "--route", "Gwadar:Baku"]
    assert main(argv) == 0
    page, state = browser_page
    _open(page, out)
    caption = page.locator(".cx-caption-control")
    assert caption.is_visible()
    text = caption.inner_text()
    for want in ("Scenario: afghanistan-closed", "As of 2026-12-01", "Closed: country AFG"):
        assert want in text
    assert "No route" in text and "Kabul → Baku" in text and "no route from Kabul" in text
    # one label per drawn route, with its totals, in the route's colour
    tags = page.locator(".cx-route-tag")
    assert tags.count() == 2
    assert tags.nth(0).inner_text().startswith("Gwadar Port → Tashkent: ")
    assert " km" in tags.nth(0).inner_text()
    drawn = page.evaluate(
        """() => ['route:1', 'route:3'].map(k => {
             const layer = corridorsApp.byKey[k];
             const colours = new Set(layer.items.filter(Boolean).map(i => i.main.options.color));
             const row = document.querySelector(`.cx-legend-control li[data-cx="layer:${k}"]`);
             const paths = row.querySelectorAll('path');
             const tag = [...document.querySelectorAll('.cx-route-tag-swatch')]
               .map(s => getComputedStyle(s).backgroundColor);
             return {colours: [...colours], legend: paths[paths.length - 1].getAttribute('stroke'),
                     shown: !row.hidden, tags: tag};
           })"""
    )
    expected = [ROUTE_COLOURS[0], ROUTE_COLOURS[2]]  # pair 2 has no route: colour 1 unused
    for got, colour in zip(drawn, expected, strict=True):
        assert got["colours"] == [colour] and got["legend"] == colour and got["shown"]
    assert drawn[0]["tags"] == ["rgb(255, 212, 0)", "rgb(0, 200, 240)"]
    # clicking a route in the caption zooms to it; hiding its layer hides its label
    z0 = page.evaluate("corridorsMap.getZoom()")
    page.locator(".cx-caption-route[data-cx-route='route:3']").click()
    page.wait_for_timeout(400)
    assert page.evaluate("corridorsMap.getZoom()") > z0
    page.evaluate("corridorsApp.setLayerVisible('route:3', false)")
    page.wait_for_function("document.querySelectorAll('.cx-route-tag').length === 1")
    assert "Tashkent" in page.locator(".cx-route-tag").inner_text()
    _clean(state)


_BOXES = """() => [...document.querySelectorAll(SELECTOR)].map(e => {
  const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop", "phone"])
def test_route_labels_overlap_neither_each_other_nor_panels(browser_page, tmp_path, size, capsys):
    out = tmp_path / "four.html"
    argv = ["map", "today", "-o", str(out)]
    for pair in ("gwadar_port:tashkent", "kabul:baku", "kashgar:gwadar_port", "Gwadar:Yerevan"):
        argv += ["--route", pair]
    assert main(argv) == 0
    page, state = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    _open(page, out)
    page.wait_for_timeout(300)  # Leaflet's fade-in of the tags
    shown = "'.cx-route-tag:not([style*=\"visibility: hidden\"])'"
    tags = page.evaluate(_BOXES.replace("SELECTOR", shown))
    panels = page.evaluate(_BOXES.replace("SELECTOR", "'.leaflet-control'"))
    assert len(tags) == 4  # all four fit, at both sizes
    for i, a in enumerate(tags):
        assert a[0] >= 0 and a[2] <= size[0] and a[1] >= 0 and a[3] <= size[1]
        assert not [b for b in tags[i + 1 :] if _overlap(a, b)]
        assert not [b for b in panels if _overlap(a, b)]
    # placed again after a zoom: a tag that would only fit under a panel is hidden
    page.evaluate("() => { corridorsMap.setZoom(corridorsMap.getZoom() - 1.5, {animate: false}); }")
    page.wait_for_timeout(300)
    tags = page.evaluate(_BOXES.replace("SELECTOR", shown))
    panels = page.evaluate(_BOXES.replace("SELECTOR", "'.leaflet-control'"))
    assert not [a for a in tags for b in panels if _overlap(a, b)]
    _clean(state)


def test_compare_page_side_by_side_in_step(browser_page, tmp_path, capsys):
    out = tmp_path / "diff.html"
    pairs = "gwadar_port:tashkent,kabul:baku"
    assert main(["compare", "today", "afghanistan-closed", "-o", str(out), "--pairs", pairs]) == 0
    page, state = browser_page
    _open(page, out, both=True)
    boxes = page.evaluate(
        "[...document.querySelectorAll('.corridors-map')].map(m => m.getBoundingClientRect().x)"
    )
    assert len(boxes) == 2 and boxes[1] > boxes[0]  # side by side at 1280 px
    page.evaluate("() => { CorridorsCompare.maps[0].setView([38, 62], 6, {animate: false}); }")
    centres = page.evaluate(
        "CorridorsCompare.maps.map(m => [m.getCenter().lat, m.getCenter().lng, m.getZoom()])"
    )
    assert centres[0] == pytest.approx(centres[1]) and centres[1][2] == 6
    page.evaluate("() => { CorridorsCompare.maps[1].panBy([150, 80], {animate: false}); }")
    centres = page.evaluate(
        "CorridorsCompare.maps.map(m => [m.getCenter().lat, m.getCenter().lng])"
    )
    assert centres[0] == pytest.approx(centres[1])
    # B's map shows the links it closes, in red, and A's scenario draws Kabul -> Baku
    keys = page.evaluate("CorridorsCompare.apps.map(a => Object.keys(a.byKey).sort())")
    assert "route:2" in keys[0] and "route:2" not in keys[1]
    assert page.evaluate(
        "CorridorsCompare.apps[1].map.hasLayer(CorridorsCompare.apps[1].byKey['change:closed'].group)"
    )
    table = page.locator("table.cx-diff").inner_text()
    assert "Gwadar Port → Tashkent" in table and "lost" in table
    assert "NaN" not in table and "None" not in table
    _clean(state)


def test_compare_page_stacks_on_a_phone(browser_page, tmp_path, capsys):
    out = tmp_path / "diff.html"
    assert (
        main(["compare", "today", "hormuz-closed", "-o", str(out), "--pairs", "Gwadar:Baku"]) == 0
    )
    page, state = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, out, both=True)
    rects = page.evaluate(
        "[...document.querySelectorAll('.corridors-map')].map(m => {"
        " const r = m.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })"
    )
    assert rects[1][1] >= rects[0][1] + rects[0][3] - 1  # B below A
    assert all(r[2] == pytest.approx(390, abs=2) and r[3] > 300 for r in rects)
    _clean(state)


def _hand_fixture():
    """The hand-made atlas of the scenario tests (``tests/scenario/conftest.py``)."""
    path = Path(__file__).resolve().parent.parent / "scenario" / "conftest.py"
    spec = importlib.util.spec_from_file_location("scenario_hand_fixture", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def hostile_geodata(tmp_path):
    hand = _hand_fixture()
    data = hand.hand_atlas_data()
    for f in data["nodes.geojson"]["features"]:
        if f["properties"]["id"] == "a1":
            f["properties"]["name"] = XSS
    return hand.write_files(tmp_path / "hostile", data)


def test_names_from_data_stay_text_in_the_browser(browser_page, tmp_path, hostile_geodata, capsys):
    scen = tmp_path / "s.toml"
    scen.write_text(f'name = "{XSS}"\nclose = ["r1"]\n', encoding="utf-8")
    page, state = browser_page
    out = tmp_path / "m.html"
    geo = ["--geodata", str(hostile_geodata)]
    assert main(["map", str(scen), "-o", str(out), "--route", "a1:b2", *geo]) == 0
    _open(page, out)
    assert f"Scenario: {XSS}" in page.locator(".cx-caption-control").inner_text()
    assert page.locator(".cx-route-tag").inner_text().startswith(f"{XSS} → ")
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    diff = tmp_path / "d.html"
    argv = ["compare", "full-vision", str(scen), "-o", str(diff), "--pairs", "a1:b2", *geo]
    assert main(argv) == 0
    _open(page, diff, both=True)
    assert XSS in page.locator(".cx-compare-head h1").inner_text()
    assert f"{XSS} → " in page.locator("table.cx-diff").inner_text()
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    _clean(state)
