"""A scenario map in headless Chromium: closed links marked, the computed route drawn."""

from __future__ import annotations

import json

import pytest
from payload_reader import read_payload

from corridors.cli.main import main

pytestmark = pytest.mark.browser


def test_hormuz_closed_map_with_route(browser_page, tmp_path, capsys):
    out = tmp_path / "hormuz.html"
    assert main(["map", "hormuz-closed", "-o", str(out), "--route", "Gwadar:Baku"]) == 0
    page, state = browser_page
    page.goto(out.as_uri())
    page.locator(".leaflet-container[data-cx-ready='true']").wait_for()
    page.locator(".cx-layers-control .cx-panel-toggle").click()  # collapsed at start
    tree = page.locator(".cx-layers-control").inner_text()
    assert "Computed routes" in tree
    legend = page.locator(".cx-legend-control").inner_text().lower()
    assert "closed" in legend
    # the route's legs are in the page data, with readable names, and the route does not
    # use the closed strait
    html = out.read_text(encoding="utf-8")
    layers = read_payload(html)["layers"]
    legs = [f[1] for layer in layers for f in layer["features"]]
    legs = [p for p in legs if p.get("n", "").startswith("Route Gwadar Port → Baku")]
    assert any(p["n"].startswith("Route Gwadar Port → Baku, leg 1: Gwadar Port") for p in legs)
    from corridors import route

    r = route("Gwadar", "Baku", scenario="hormuz-closed")
    assert "strait_of_hormuz" not in r.chokepoints
    assert "Strait of Hormuz" not in json.dumps(legs, ensure_ascii=False)
    assert state["errors"] == [] and state["external"] == [] and state["dialogs"] == []
    page.screenshot(path=str(tmp_path / "hormuz.png"))
