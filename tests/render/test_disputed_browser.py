"""The disputed-areas layer of the atlas in headless Chromium: off at first, hatched when
turned on, with a legend row and a popup naming the worldview; offline (0 external requests).

Skipped when Chromium or Playwright is missing, except under CI (see ``conftest.py``).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from payload_reader import read_payload

from corridors.geo.disputed import load_disputed
from corridors.maps.disputed import DISPUTED_COLOUR, DISPUTED_KEY

pytestmark = pytest.mark.browser

#: Count the layer colour's pixels on the map canvas (hatch lines and dashed outlines).
_PURPLE_PIXELS = """(hex) => {
    const c = document.querySelector('.leaflet-overlay-pane canvas');
    const g = c.getContext('2d'), d = g.getImageData(0, 0, c.width, c.height).data;
    const r0 = parseInt(hex.slice(1, 3), 16), g0 = parseInt(hex.slice(3, 5), 16),
          b0 = parseInt(hex.slice(5, 7), 16);
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
        // the hatch is the colour at 60 % over the basemap: its hue, not its exact value
        if (d[i + 2] > d[i + 1] + 40 && d[i] > d[i + 1] + 20 && Math.abs((d[i] - d[i + 1]) /
            (d[i + 2] - d[i + 1]) - (r0 - g0) / (b0 - g0)) < 0.35) { n++; }
    }
    return n;
}"""


def _layer(html: str) -> dict:
    layers = [
        lay for lay in read_payload(html, geometry=False)["layers"] if lay["key"] == DISPUTED_KEY
    ]
    assert len(layers) == 1
    return layers[0]


def test_disputed_layer_payload(default_atlas):
    layer = _layer(default_atlas.read_text(encoding="utf-8"))
    areas = load_disputed()
    assert areas is not None
    assert layer["role"] == "disputed" and layer["visible"] is False
    assert layer["colour"] == DISPUTED_COLOUR
    assert [f[1]["id"] for f in layer["features"]] == [a.id for a in areas.areas]
    gb = next(f[1] for f in layer["features"] if f[1]["id"] == "gilgit-baltistan")
    assert gb["t"] == (
        "held by Pakistan (PAK) · claimed by IND · worldview deu: Pakistan (PAK)"
        " · Natural Earth: Northern Areas"
    )


def test_worldview_changes_the_page(tmp_path):
    out = tmp_path / "ind.html"
    run = subprocess.run(
        [sys.executable, "-m", "corridors.cli.main", "map", "-o", str(out), "--worldview", "ind"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    layer = _layer(out.read_text(encoding="utf-8"))
    assert layer["title"] == "Disputed areas (Natural Earth; worldview ind)"
    gb = next(f[1] for f in layer["features"] if f[1]["id"] == "gilgit-baltistan")
    assert "worldview ind: India (IND)" in gb["t"]


def test_disputed_layer_in_chromium(browser_page, default_atlas):
    page, state = browser_page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(default_atlas.as_uri())
    page.wait_for_selector(".leaflet-container[data-cx-ready='true']")
    legend_row = page.locator(f'.cx-legend-control li[data-cx="layer:{DISPUTED_KEY}"]')
    assert legend_row.count() == 1
    assert legend_row.get_attribute("hidden") is not None  # off when the map opens
    assert not page.evaluate(
        "(k) => corridorsMap.hasLayer(corridorsApp.byKey[k].group)", DISPUTED_KEY
    )
    page.evaluate(
        """() => { corridorsMap.fitBounds([[32.3, 72.4], [37.1, 77.9]], {animate: false}); }"""
    )
    page.wait_for_timeout(100)
    before = page.evaluate(_PURPLE_PIXELS, DISPUTED_COLOUR)
    box = page.locator(f'.cx-layers-control input[data-cx-layer="{DISPUTED_KEY}"]')
    assert box.count() == 1
    page.locator(".cx-layers-control .cx-panel-toggle").click()  # collapsed at start
    box.check()
    page.wait_for_timeout(100)
    assert page.evaluate("(k) => corridorsMap.hasLayer(corridorsApp.byKey[k].group)", DISPUTED_KEY)
    assert legend_row.get_attribute("hidden") is None
    assert "Disputed areas" in legend_row.inner_text()
    after = page.evaluate(_PURPLE_PIXELS, DISPUTED_COLOUR)
    assert after > before + 2000, (before, after)
    patterns = page.evaluate(
        """(k) => corridorsApp.byKey[k].items.filter(Boolean).every(it => {
            let ok = true;
            const check = l => { if (l.options && !(l.options.fillColor instanceof CanvasPattern)) ok = false; };
            if (it.main.eachLayer) { it.main.eachLayer(check); } else { check(it.main); }
            return ok;
        })""",
        DISPUTED_KEY,
    )
    assert patterns
    # the popup of Gilgit-Baltistan (Natural Earth 4.0.0's Northern Areas), off any corridor line
    xy = page.evaluate(
        """() => {
            const p = corridorsMap.latLngToContainerPoint(L.latLng(35.35, 75.0));
            const r = corridorsMap.getContainer().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }"""
    )
    page.mouse.click(xy[0], xy[1])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = re.sub(r"\s+", " ", popup.inner_text())
    assert "Gilgit-Baltistan" in text and "claimed by IND" in text and "worldview deu" in text
    if shot := __import__("os").environ.get("CORRIDORS_DISPUTED_SCREENSHOT"):
        page.screenshot(path=shot)
    assert state["external"] == []
    assert state["errors"] == []
    assert state["dialogs"] == []
