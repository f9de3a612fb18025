"""A fixture map in a real headless Chromium: offline, no errors, controls work.

Skipped when Chromium or Playwright is missing, except under CI (env ``CI`` set), where a
missing browser fails the test (see ``conftest.py``). The default atlas itself is tested in
``test_atlas_browser.py``.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from render_fixtures import HOSTILE_NAMES, build_derived_layers, build_hostile_layers, html_tokens

from corridors.render import StyleTable, build_map, save_html
from corridors.render.geometry import EARTH_RADIUS_KM
from corridors.render.popups import line_popup, node_popup, platform_popup
from corridors.render.style import mix_colour

pytestmark = pytest.mark.browser


def _open(page, tmp_path: Path, layers) -> None:
    m = build_map(layers, title="Corridors atlas — browser test", tiles=["OpenStreetMap"])
    html = save_html(m, tmp_path / "atlas.html")
    page.goto(html.as_uri())
    page.wait_for_selector(".leaflet-container[data-cx-ready='true']")


def _click_line(page, feature_id: str) -> None:
    """Click the middle of a line feature at its pixel on the map."""
    xy = page.evaluate(
        """(id) => {
            const item = corridorsApp.byId[id];
            const ll = L.latLng(item.props.mid[1], item.props.mid[0]);
            corridorsMap.setView(ll, 7, {animate: false});
            const p = corridorsMap.latLngToContainerPoint(ll);
            const r = corridorsMap.getContainer().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        feature_id,
    )
    page.wait_for_timeout(50)
    page.mouse.click(xy[0], xy[1])


def _haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _close_popup(page) -> None:
    page.evaluate("() => { corridorsMap.closePopup(); }")
    page.locator(".leaflet-popup").first.wait_for(state="detached")  # after the fade-out


def test_atlas_in_chromium(browser_page, tmp_path):
    page, state = browser_page
    layers = build_hostile_layers()
    _open(page, tmp_path, layers)
    style = StyleTable()

    # the map and the layer tree
    assert page.locator(".leaflet-container.corridors-map").count() == 1
    # the minimap is built in idle time after the main map; it starts collapsed, as does
    # the layer tree (the map first)
    page.locator(".cx-minimap-toggle").click()
    page.locator(".cx-minimap.leaflet-container").wait_for()
    page.locator(".cx-layers-control .cx-panel-toggle").click()
    assert page.locator(".leaflet-container").count() == 2  # the map and its minimap
    assert page.evaluate("window.corridorsMap instanceof L.Map")
    tree = page.locator(".cx-layers-control").inner_text()
    for spec in layers:
        assert spec.title in tree
        for g in spec.group:
            assert g in tree

    # the legend shows every status and mode drawn, and nothing else
    legend = page.locator(".cx-legend-control")
    drawn_status = {
        f["properties"]["status"]
        for s in layers
        if s.kind == "lines"
        for f in s.features["features"]
    }
    drawn_mode = {
        f["properties"]["mode"] for s in layers if s.kind == "lines" for f in s.features["features"]
    }
    shown = set(
        legend.locator("li[data-cx]:not([hidden])").evaluate_all(
            "els => els.map(e => e.dataset.cx)"
        )
    )
    assert {k for k in shown if k.startswith("status:")} == {"status:" + s for s in drawn_status}
    assert {k for k in shown if k.startswith("mode:")} == {"mode:" + m for m in drawn_mode}
    text = legend.inner_text()
    for s in drawn_status:
        assert style.status(s).label in text
    for m in drawn_mode:
        assert style.mode(m).label in text

    # clicking a line opens its popup with its source link
    _click_line(page, "ml1")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "ML-1 Peshawar–Karachi" in popup.inner_text()
    link = popup.locator('a[href="https://example.org/ml1"]')
    assert link.count() == 1
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert popup.locator('a[href^="javascript"]').count() == 0
    # the map builds exactly the popup that the Python twin describes
    ml1 = next(
        (spec, f["properties"])
        for spec in layers
        for f in spec.features["features"]
        if f["properties"].get("id") == "ml1"
    )
    expected = line_popup(ml1[1], layer_title=ml1[0].title, style=style)
    assert html_tokens(popup.inner_html()) == html_tokens(expected)
    _close_popup(page)

    # the same for a node (aliases in other scripts) and a platform member
    nodes = next(spec for spec in layers if spec.key == "nodes:places")
    page.evaluate("corridorsApp.focusFeature('nodes:places', 0)")
    popup.wait_for()
    expected = node_popup(nodes.features["features"][0]["properties"], style=style)
    assert html_tokens(popup.inner_html()) == html_tokens(expected)
    _close_popup(page)
    platform = next(spec for spec in layers if spec.role == "platform")
    names = {
        f["properties"]["iso3"]: f["properties"]["name"]
        for spec in layers
        if spec.role == "basemap"
        for f in spec.features["features"]
    }
    page.evaluate(f"corridorsApp.focusFeature({platform.key!r}, 0)")
    popup.wait_for()
    expected = platform_popup(platform.features["features"][0]["properties"], names)
    assert html_tokens(popup.inner_html()) == html_tokens(expected)
    _close_popup(page)

    # search finds a node by an alias and opens its popup
    search = page.locator(".cx-search input")
    search.fill("گوادر")
    page.locator(".cx-search li").first.wait_for()
    assert "Gwadar" in page.locator(".cx-search ul").inner_text()
    page.locator(".cx-search li", has_text="Gwadar").first.click()
    popup.wait_for()
    assert "Gwadar" in popup.inner_text() and "Seaport" in popup.inner_text()
    assert page.evaluate("corridorsMap.getZoom()") >= 7
    _close_popup(page)
    search.fill("tbilis")
    search.press("Enter")  # the best match: the node Tbilisi (before Baku–Tbilisi–Kars)
    popup.wait_for()
    assert "Tbilisi" in popup.inner_text() and "Capital" in popup.inner_text()
    search.fill("naxciv")  # diacritic-insensitive
    assert "Naxçıvan" in page.locator(".cx-search ul").inner_text()
    search.fill("")
    _close_popup(page)

    # the year slider hides a link that did not exist yet, and restyles the others
    assert page.evaluate("corridorsApp.featureState('naxcivan-meghri')")["shown"] is True
    slider = page.locator("#cx-year-input")
    slider.focus()
    slider.press("Home")  # earliest year: 2007
    assert page.locator(".cx-year output").inner_text() == "2007"
    assert page.evaluate("corridorsApp.featureState('naxcivan-meghri')")["shown"] is False
    btk = page.evaluate("corridorsApp.featureState('btk')")
    assert btk["shown"] is True and btk["status"] == "under_construction"
    assert page.evaluate("corridorsApp.featureState('ml1')")["shown"] is False
    shown = set(
        legend.locator("li[data-cx]:not([hidden])").evaluate_all(
            "els => els.map(e => e.dataset.cx)"
        )
    )
    assert "status:proposed" not in shown and "status:under_construction" in shown
    slider.press("End")
    assert page.locator(".cx-year output").inner_text() == "latest"
    assert page.evaluate("corridorsApp.featureState('naxcivan-meghri')")["shown"] is True

    # the status filter hides links of a status (its panel starts collapsed)
    page.locator(".cx-filter-control .cx-panel-toggle").click()
    page.locator('input[data-cx-status="operational"]').uncheck()
    assert page.evaluate("corridorsApp.featureState('btk')")["shown"] is False
    page.locator('input[data-cx-status="operational"]').check()
    assert page.evaluate("corridorsApp.featureState('btk')")["shown"] is True

    # a group checkbox toggles all its layers
    group = page.locator(".cx-tree-group", has_text="CPEC+").locator("input[data-cx-group]").first
    group.uncheck()
    assert page.evaluate("corridorsApp.featureState('ml1')")["layerVisible"] is False
    assert page.evaluate("corridorsApp.featureState('di-khan-bypass')")["layerVisible"] is False
    group.check()
    assert page.evaluate("corridorsApp.featureState('ml1')")["layerVisible"] is True

    # measure: great-circle distance Baku -> Tbilisi
    page.locator(".cx-tool-measure").click()
    km = page.evaluate(
        """() => {
            const m = corridorsMap;
            m.fire('click', {latlng: L.latLng(40.41, 49.87)});
            m.fire('click', {latlng: L.latLng(41.72, 44.79)});
            return corridorsApp.measureKm();
        }"""
    )
    assert km == pytest.approx(_haversine_km(49.87, 40.41, 44.79, 41.72), abs=1e-6)
    assert 445 < km < 455  # Baku–Tbilisi, about 450 km
    assert "km" in page.locator(".cx-measure-total").inner_text()
    page.keyboard.press("Escape")

    # the map's JS colour mixing is the style table's
    assert page.evaluate("Corridors.mix('#1b7837', '#8c8c8c', 0.65)") == mix_colour(
        "#1b7837", "#8c8c8c", 0.65
    )

    # minimap and scale are there
    assert page.locator(".cx-minimap.leaflet-container").count() == 1
    assert page.locator(".leaflet-control-scale").count() == 1

    # hostile names render as text, never as markup
    for i, name in enumerate(HOSTILE_NAMES):
        page.evaluate("(i) => corridorsApp.focusFeature('nodes:hostile', i)", i)
        popup.wait_for()
        assert name in popup.inner_text()
        _close_popup(page)
    body_text = page.locator("body").inner_text()
    assert HOSTILE_NAMES[0] in body_text and HOSTILE_NAMES[1] in body_text
    assert page.locator("img").count() == 0
    assert page.locator("script[src]").count() == 0
    page.screenshot(path=str(tmp_path / "atlas-popup.png"))

    _close_popup(page)
    page.evaluate("corridorsApp.home(false)")
    page.wait_for_timeout(100)
    shot = tmp_path / "atlas.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000

    assert state["dialogs"] == []
    assert state["errors"] == []
    assert state["external"] == []


def test_folium_popup_added_to_the_map_works_offline(browser_page, tmp_path):
    """jQuery and the marker images are inlined when a folium element needs them."""
    import folium

    page, state = browser_page
    m = build_map(build_hostile_layers(), title="Atlas with a folium marker")
    folium.Marker([40.41, 49.87], popup=folium.Popup("Baku <i>marker</i>")).add_to(m)
    html = save_html(m, tmp_path / "marker.html")
    page.goto(html.as_uri())
    page.wait_for_selector(".leaflet-container[data-cx-ready='true']")
    assert page.evaluate("typeof window.jQuery") == "function"
    page.evaluate("corridorsMap.setView([40.41, 49.87], 7, {animate: false}) && null")
    page.locator("img.leaflet-marker-icon").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Baku marker" in popup.inner_text()
    assert state["errors"] == []
    assert state["external"] == []


def test_derived_popups_search_terms_and_details_in_chromium(browser_page, tmp_path):
    """The rows, terms and details the map derives give exactly the Python popups."""
    page, _state = browser_page
    layers = build_derived_layers()
    _open(page, tmp_path, layers)
    style = StyleTable()
    popup = page.locator(".leaflet-popup-content")
    expected_search = set()
    for spec in layers:
        for i, f in enumerate(spec.features["features"]):
            props = f["properties"]
            page.evaluate(f"corridorsApp.focusFeature({spec.key!r}, {i})")
            popup.wait_for()
            if spec.role == "corridor":
                expected = line_popup(props, layer_title=spec.title, style=style)
                mode = props.get("mode")
                detail = " · ".join(x for x in (spec.title, str(mode or "").replace("_", " ")) if x)
                terms = []
            else:
                expected = node_popup(props, style=style)
                kind = props.get("kind")
                label = style.node(kind).label if kind in style.nodes else "place"
                detail = " · ".join(x for x in (label, str(props.get("country") or "")) if x)
                name = "" if props.get("name") is None else str(props["name"])
                terms = [a for a in props.get("aliases") or [] if isinstance(a, str) and a]
                terms = [t for t in dict.fromkeys(terms) if t not in (name, str(props["id"]))]
            assert html_tokens(popup.inner_html()) == html_tokens(expected), props["id"]
            _close_popup(page)
            name = str(props.get("name") or props["id"])
            for term in [props.get("name"), *terms]:
                if term:
                    expected_search.add((term, name, detail))
            if str(props["id"]) != props.get("name"):
                expected_search.add((str(props["id"]), name, detail))
    for spec in layers:  # corridors are found by their layer's title
        if spec.role == "corridor":
            expected_search.add((spec.title, spec.title, "corridor"))
    got = page.evaluate("corridorsApp.search.map((s) => [s.term, s.name, s.detail])")
    assert {tuple(x) for x in got} == expected_search
    assert len(got) == len(expected_search)
