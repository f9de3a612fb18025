"""The default atlas (``corridors map``, bundled geodata) in a real headless Chromium.

Everything expected is computed from :func:`corridors.io.geodata.load_atlas`, so the test follows
the data. Skipped when Chromium or Playwright is missing, except under CI (env ``CI`` set),
where it fails (see ``conftest.py``). Set ``CORRIDORS_SCREENSHOT=/path/atlas.png`` to keep
the screenshot.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from payload_reader import read_payload

from corridors.io.geodata import load_atlas
from corridors.render import StyleTable

pytestmark = pytest.mark.browser

#: A segment drawn by several corridors, and the year it opened.
SHARED_SEGMENT = "mc-btk"


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def _text(locator) -> str:
    """Inner text with white space collapsed (long titles wrap in the panels)."""
    return re.sub(r"\s+", " ", locator.inner_text())


def _open(page, html: Path) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(html.as_uri())
    page.wait_for_selector(".leaflet-container[data-cx-ready='true']")
    page.locator(".cx-layers-control .cx-panel-toggle").click()  # collapsed at start


def _shown_legend_keys(page) -> set[str]:
    return set(
        page.locator(".cx-legend-control li[data-cx]:not([hidden])").evaluate_all(
            "els => els.map(e => e.dataset.cx)"
        )
    )


def _close_popup(page) -> None:
    page.evaluate("() => { corridorsMap.closePopup(); }")
    page.locator(".leaflet-popup").first.wait_for(state="detached")


def _non_latin_alias(aliases) -> str | None:
    for alias in aliases:
        if any(ch.isalpha() and "LATIN" not in unicodedata.name(ch, "") for ch in alias):
            return alias
    return None


def test_default_atlas_in_chromium(browser_page, default_atlas, atlas, tmp_path):
    page, state = browser_page
    _open(page, default_atlas)
    style = StyleTable()
    assert page.locator(".leaflet-container").count() >= 1
    assert page.locator(".leaflet-container.corridors-map").count() == 1

    # the layer tree: every corridor and branch that draws something, and the groups
    tree = _text(page.locator(".cx-layers-control"))
    drawn = [c for c in atlas.corridors.values() if c.segments]
    assert drawn
    for cor in drawn:
        assert cor.name in tree, cor.id
    for cor in atlas.corridors.values():
        if any(x.parent == cor.id for x in atlas.corridors.values()):
            assert cor.name in tree, cor.id  # group titles of corridors with branches
    assert re.search(r"CPEC\+ \(", tree)
    assert "Azerbaijan's 3+3 platform" in tree
    # no layer title runs out of the panel
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('.cx-layers-control .cx-text')]
                .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
    )
    assert overflow == []

    # the legend: every status and mode of the drawn segments, and nothing else
    segments = {s for c in drawn for s in c.segments}
    statuses = {atlas.segments[s].status for s in segments}
    modes = {atlas.segments[s].mode for s in segments}
    shown = _shown_legend_keys(page)
    assert {k for k in shown if k.startswith("status:")} == {"status:" + s for s in statuses}
    assert {k for k in shown if k.startswith("mode:")} == {"mode:" + m for m in modes}
    legend = _text(page.locator(".cx-legend-control"))
    for s in statuses:
        assert style.status(s).label in legend
    for m in modes:
        assert style.mode(m).label in legend

    # clicking a segment drawn by several corridors opens its popup: name, every corridor
    # listing it, sources as links that open a new tab
    seg = atlas.segments[SHARED_SEGMENT]
    listing = [c.name for c in atlas.corridors.values() if SHARED_SEGMENT in c.segments]
    assert len(listing) >= 2
    xy = page.evaluate(
        """(id) => {
            const item = corridorsApp.byId[id];
            corridorsMap.fitBounds(item.main.getBounds(), {padding: [300, 300], animate: false});
            const ll = L.latLng(item.props.mid[1], item.props.mid[0]);
            const p = corridorsMap.latLngToContainerPoint(ll);
            const r = corridorsMap.getContainer().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        SHARED_SEGMENT,
    )
    page.wait_for_timeout(50)
    page.mouse.click(xy[0], xy[1])
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    if popup.locator(".cx-picker").count():  # lines stacked there: pick the segment
        popup.locator(".cx-pick", has_text=seg.name).first.click()
        page.wait_for_function(
            "name => [...document.querySelectorAll('.leaflet-popup .cx-title')]"
            ".map(e => e.textContent).join('|') === name",
            arg=seg.name,
        )
    text = _text(popup)
    assert seg.name in text
    for name in listing:
        assert name in text
    links = popup.locator("a")
    assert links.count() >= 1
    # the links are exactly the sources'
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == [s.url for s in seg.sources if s.url.startswith(("http://", "https://"))]
    for i in range(links.count()):
        assert links.nth(i).get_attribute("href").startswith("http")
        assert links.nth(i).get_attribute("target") == "_blank"
        assert links.nth(i).get_attribute("rel") == "noopener noreferrer"
    page.screenshot(path=str(tmp_path / "atlas-popup.png"))
    _close_popup(page)

    # search: by name, and by an alias in a non-Latin script
    gwadar = [n for n in atlas.nodes.values() if n.name.startswith("Gwadar")]
    assert gwadar
    search = page.locator(".cx-search input")
    search.fill("Gwadar")
    page.locator(".cx-search li").first.wait_for()
    results = _text(page.locator(".cx-search ul"))
    for node in gwadar:
        assert node.name in results
    search.press("Enter")
    popup.wait_for()
    assert "Gwadar" in _text(popup)
    _close_popup(page)
    aliased = [(n, _non_latin_alias(n.aliases)) for n in gwadar]
    aliased = [(n, a) for n, a in aliased if a]
    if aliased:
        node, alias = aliased[0]
        search.fill(alias)
        page.locator(".cx-search li").first.wait_for()
        assert node.name in _text(page.locator(".cx-search ul"))
        page.locator(".cx-search li", has_text=node.name).first.click()
        popup.wait_for()
        assert node.name in _text(popup) and alias in popup.inner_text()
        _close_popup(page)
    search.fill("")

    # places are drawn on the map's one canvas (no DOM markers): each in its kind's colour,
    # with a tooltip on hover and its popup on click
    assert page.locator(".leaflet-marker-icon").count() == 0
    main_panes = ".corridors-map > .leaflet-map-pane"
    assert page.locator(f"{main_panes} canvas").count() == 1
    assert page.locator(f"{main_panes} > .leaflet-overlay-pane > canvas").count() == 1
    shown_kinds = page.evaluate(
        """() => corridorsApp.layers.filter(l => l.role === 'nodes' && corridorsMap.hasLayer(l.group))
                .map(l => l.items.filter(Boolean)[0].props.id)"""
    )
    assert len(shown_kinds) >= 3
    for node_id in shown_kinds:
        node = atlas.nodes[node_id]
        probe = page.evaluate(
            """(id) => {
                const item = corridorsApp.byId[id], ll = item.main.getLatLng();
                corridorsMap.setView(ll, 11, {animate: false});
                const r = corridorsApp.R.main, p = corridorsMap.latLngToLayerPoint(ll);
                const px = r._ctx.getImageData(Math.round(p.x - r._bounds.min.x),
                                               Math.round(p.y - r._bounds.min.y), 1, 1).data;
                const c = corridorsMap.latLngToContainerPoint(ll);
                const box = corridorsMap.getContainer().getBoundingClientRect();
                return {xy: [box.left + c.x, box.top + c.y], rgb: [px[0], px[1], px[2]]};
            }""",
            node_id,
        )
        colour = style.node(node.kind).colour
        if style.node(node.kind).shape not in ("ring", "bowtie"):  # white centres
            expected = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
            diff = max(abs(a - b) for a, b in zip(probe["rgb"], expected, strict=True))
            assert diff <= 40, (node_id, probe["rgb"], colour)
        page.wait_for_timeout(50)
        page.mouse.move(*probe["xy"])
        tip = page.locator(".leaflet-tooltip", has_text=node.name)
        tip.wait_for()
        page.mouse.click(*probe["xy"])
        popup.wait_for()
        assert node.name in _text(popup)
        _close_popup(page)
        # moving off the place closes its tooltip (the canvas checks hovering every 32 ms;
        # the tooltip fades out)
        page.wait_for_timeout(50)
        page.mouse.move(probe["xy"][0] + 60, probe["xy"][1] + 60)
        tip.wait_for(state="detached")

    # the year selector: the network as of the end of 2010
    history = [(int(h.date[:4]), h.status) for h in seg.status_history]
    before = [st for y, st in history if y <= 2010]
    expected = before[-1] if before else None
    assert page.evaluate("(id) => corridorsApp.featureState(id).shown", SHARED_SEGMENT)
    page.evaluate(
        """() => {
            const s = document.getElementById('cx-year-input');
            s.value = '2010';
            s.dispatchEvent(new Event('input'));
        }"""
    )
    assert page.locator(".cx-year output").inner_text() == "2010"
    st = page.evaluate("(id) => corridorsApp.featureState(id)", SHARED_SEGMENT)
    if expected is None:
        assert st["shown"] is False
    else:
        assert st["shown"] is True and st["status"] == expected
        assert "status:" + expected in _shown_legend_keys(page)
    assert expected != "operational"  # BTK opened in 2017
    page.evaluate("corridorsApp.setYear(null)")
    assert page.locator(".cx-year output").inner_text() == "latest"

    # the whole atlas, as it opens
    page.evaluate("corridorsApp.home(false)")
    page.wait_for_timeout(200)
    shot = tmp_path / "atlas.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000
    if os.environ.get("CORRIDORS_SCREENSHOT"):
        target = Path(os.environ["CORRIDORS_SCREENSHOT"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)

    assert state["errors"] == []
    assert state["external"] == []
    assert state["dialogs"] == []


def test_page_data_decodes_in_chromium_as_in_python(browser_page, default_atlas):
    """The map's decoders (DecompressionStream, then the geometry codec through the shared
    arcs) give exactly the payload that Python's twins read, feature by feature."""
    page, _state = browser_page
    _open(page, default_atlas)
    html = default_atlas.read_text(encoding="utf-8")
    payload = read_payload(html)
    assert re.fullmatch(r"2,[A-Za-z0-9_.-]+", ",".join(map(str, payload["topology"])))  # arcs
    checked = polygons = 0
    for layer in payload["layers"]:
        got = page.evaluate(
            """(key) => {
                // lines and polygons are decoded straight into L.LatLng: back to [lon, lat]
                const back = (c) => (Array.isArray(c) ? c.map(back) : [c.lng, c.lat]);
                return corridorsApp.byKey[key].spec.features.map((f) => [
                    f[0].latlngs ? { type: f[0].type, coordinates: back(f[0].latlngs) } : f[0],
                    f[1]]);
            }""",
            layer["key"],
        )
        assert got == layer["features"], layer["key"]
        checked += len(got)
        polygons += len(got) if layer["role"] in ("basemap", "platform") else 0
    assert polygons > 90 and checked > 300
