"""The projects layers of the default atlas in headless Chromium: drawn by sector, in the
legend, with popups, and following the year filter (hidden before their first dated entry).

Expected values come from :func:`corridors.io.geodata.load_atlas`. Skipped without Chromium
or Playwright, except under CI (see ``conftest.py``).
"""

from __future__ import annotations

import pytest
from payload_reader import read_payload

from corridors.io.geodata import load_atlas

pytestmark = pytest.mark.browser


def _open(page, html) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(html.as_uri())
    page.wait_for_selector(".leaflet-container[data-cx-ready='true']")


def _set_year(page, year: str) -> None:
    page.evaluate(
        """(y) => {
            const s = document.getElementById('cx-year-input');
            s.value = y;
            s.dispatchEvent(new Event('input'));
        }""",
        year,
    )


def test_projects_layers_in_chromium(browser_page, default_atlas):
    atlas = load_atlas()
    payload = read_payload(default_atlas.read_text(encoding="utf-8"))
    layers = [x for x in payload["layers"] if x["role"] == "projects"]
    drawn = sum(len(x["features"]) for x in layers)
    assert drawn == len(atlas.projects) >= 30
    page, state = browser_page
    _open(page, default_atlas)
    legend = page.locator(".cx-legend-control").inner_text()
    assert "Projects (by sector)" in legend and "Power plants" in legend
    page.locator(".cx-layers-control .cx-panel-toggle").click()  # collapsed at start
    assert "Power plants" in page.locator(".cx-layers-control").inner_text()

    # a project with a dated history: hidden before its first entry, shown from it on
    karot = atlas.projects["karot-hydro"]
    first = int(karot.status_history[0].date[:4])
    assert page.evaluate("(id) => corridorsApp.featureState(id)", karot.id)["shown"] is True
    _set_year(page, str(first - 1))
    assert page.evaluate("(id) => corridorsApp.featureState(id)", karot.id)["shown"] is False
    _set_year(page, str(first))
    assert page.evaluate("(id) => corridorsApp.featureState(id)", karot.id)["shown"] is True
    page.evaluate("corridorsApp.setYear(null)")

    # its popup: capacity and a source link
    page.evaluate(
        """(id) => { const it = corridorsApp.byId[id]; corridorsMap.setView(
            it.main.getLatLng(), 9); it.main.openPopup(); }""",
        karot.id,
    )
    popup = page.locator(".leaflet-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert karot.name in text and "720 MW" in text
    assert popup.locator("a[href^='https://']").count() >= 1
    assert state["errors"] == []
    assert state["external"] == []
