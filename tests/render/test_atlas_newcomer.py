"""The default atlas as a newcomer meets it (issue 13, item 6), in headless Chromium.

Title and data date, labels, panels that leave the map free, search (z-order, "did you
mean", corridors and countries), tooltips, the picker of stacked lines, the links of a
place, the year control, print, Save PNG and the keyboard table of links. Expected values
come from the bundled geodata; every test also asserts 0 console errors and 0 external
requests. Skipped without Chromium/Playwright, except under CI (see ``conftest.py``).
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from corridors.io.geodata import load_atlas
from corridors.maps.atlas import atlas_timeline, format_date

pytestmark = pytest.mark.browser

#: A track drawn by two corridors (W-CPEC+ and the ITI route): stacked lines.
STACKED_SEGMENT = "iti-pak"
#: The screen of the issue's coverage budget, and a phone.
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

#: Fraction of the map that the page's controls cover (union of their boxes, 2 px grid).
COVERED_JS = """() => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const boxes = [...document.querySelectorAll('.leaflet-control-container .leaflet-control, .cx-table-wrap')]
    .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect());
  let covered = 0, total = 0;
  for (let y = map.top + 1; y < map.bottom; y += 2) {
    for (let x = map.left + 1; x < map.right; x += 2) {
      total++;
      if (boxes.some(b => x >= b.left && x < b.right && y >= b.top && y < b.bottom)) { covered++; }
    }
  }
  return covered / total;
}"""


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def _open(page, html, viewport=DESKTOP):
    page.set_viewport_size(viewport)
    page.goto(html.as_uri())
    page.wait_for_selector(".leaflet-container[data-cx-ready='true']")


def _clean(state):
    assert state["errors"] == []
    assert state["external"] == []


def _text(locator) -> str:
    return re.sub(r"\s+", " ", locator.inner_text()).strip()


def _non_latin(text: str) -> bool:
    return any(ch.isalpha() and "LATIN" not in unicodedata.name(ch, "") for ch in text)


def test_title_date_and_panels_leave_the_map_free(browser_page, default_atlas, atlas):
    page, state = browser_page
    _open(page, default_atlas)
    assert _text(page.locator(".cx-title h1")).startswith("corridors atlas")
    assert _text(page.locator(".cx-subtitle")) == f"Data as of {format_date(atlas.as_of)}"
    covered = page.evaluate(COVERED_JS)
    assert covered <= 0.20, f"the panels cover {covered:.1%} of the 1366x768 map"
    # every panel collapses, and opening the layer tree covers more (the measure measures)
    for part in ("layers", "legend", "filter", "time"):
        toggle = page.locator(f".cx-{part}-control .cx-panel-toggle")
        body = page.locator(f".cx-{part}-control .cx-panel-body")
        was_open = toggle.get_attribute("aria-expanded") == "true"
        toggle.click()
        assert body.is_visible() is not was_open, part
        toggle.click()
        assert body.is_visible() is was_open, part
    page.locator(".cx-layers-control .cx-panel-toggle").click()
    assert page.evaluate(COVERED_JS) > covered
    _clean(state)


def test_labels_are_placed_without_overlap_in_two_scripts(browser_page, default_atlas, atlas):
    page, state = browser_page
    _open(page, default_atlas)
    hubs = {atlas.nodes[h].name for h in atlas.hubs}
    countries = set(atlas.countries.names.values())

    def labels():
        return page.locator(".cx-maplabel").evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [e.textContent, e.className, r.left, r.top, r.right, r.bottom]; })"
        )

    shown = labels()
    hub_labels = [x for x in shown if "hub" in x[1]]
    country_labels = [x for x in shown if "country" in x[1]]
    assert {x[0] for x in hub_labels} <= hubs
    assert len(hub_labels) >= len(hubs) * 2 // 3, hub_labels
    assert {x[0] for x in country_labels} <= countries and len(country_labels) >= 10
    for i, a in enumerate(shown):  # collision-aware: no two labels overlap
        for b in shown[i + 1 :]:
            apart = (
                a[4] <= b[2] + 0.5 or b[4] <= a[2] + 0.5 or a[5] <= b[3] + 0.5 or b[5] <= a[3] + 0.5
            )
            assert apart, (a, b)
    # the local-script option: a hub's first non-Latin alias where the data has one
    page.locator(".cx-layers-control .cx-panel-toggle").click()
    page.locator("input[name=cx-labels][value=local]").check()
    local = {x[0] for x in labels() if "hub" in x[1]}
    expected = {
        next((a for a in atlas.nodes[h].aliases if _non_latin(a)), atlas.nodes[h].name)
        for h in atlas.hubs
    }
    assert local <= expected and any(_non_latin(t) for t in local)
    page.locator("input[name=cx-labels][value=off]").check()
    assert labels() == []
    _clean(state)


def test_search_results_over_panels_did_you_mean_corridors_and_countries(
    browser_page, default_atlas, atlas
):
    page, state = browser_page
    _open(page, default_atlas, PHONE)
    for part in ("layers", "legend"):  # the panels open, where the results go
        toggle = page.locator(f".cx-{part}-control .cx-panel-toggle")
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
    box = page.locator(".cx-search input")
    box.fill("a")
    items = page.locator(".cx-search li[role=option]")
    assert items.count() >= 5
    hidden = page.evaluate(
        """() => { const list = document.querySelector('.cx-search ul').getBoundingClientRect();
           return [...document.querySelectorAll('.cx-search li[role=option]')].filter(li => {
             const r = li.getBoundingClientRect();
             const x = r.left + Math.min(r.width - 2, 150), y = r.top + r.height / 2;
             if (y > Math.min(innerHeight, list.bottom) - 2) { return false; }  /* scrolled out */
             return !li.contains(document.elementFromPoint(x, y));
           }).map(li => li.textContent); }"""
    )
    assert hidden == [], f"search results under a panel: {hidden}"
    # a typo: "did you mean"
    box.fill("Tashknet")
    assert page.locator(".cx-search li.cx-dym").count() == 1
    assert _text(items.first).startswith(atlas.nodes["tashkent"].name)
    # corridors and countries are searched too
    cor = atlas.corridors["middle-corridor"]
    box.fill(cor.name)
    first = items.first
    assert cor.name in _text(first) and "corridor" in _text(first)
    box.press("Enter")
    bounds = page.evaluate("() => corridorsMap.getBounds().toBBoxString()")
    west, _south, east, _north = (float(v) for v in bounds.split(","))
    assert west < 60 < east  # the corridor runs from Türkiye to China
    name = atlas.countries.names["UZB"]
    box.fill(name)
    assert "country" in _text(items.first)
    box.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.leaflet-popup').length === 1")
    assert _text(page.locator(".leaflet-popup .cx-title")) == name
    _clean(state)


def test_tooltips_wrap_and_show_name_status_and_mode(browser_page, default_atlas, atlas):
    page, state = browser_page
    _open(page, default_atlas)
    seg = atlas.segments[STACKED_SEGMENT]
    tip = page.evaluate(
        """id => { const it = corridorsApp.byId[id]; const m = it.props.mid;
             it.main.openTooltip(L.latLng(m[1], m[0]));
             const t = document.querySelector('.leaflet-tooltip.cx-tip');
             return [t.textContent, t.getBoundingClientRect().width, getComputedStyle(t).whiteSpace]; }""",
        STACKED_SEGMENT,
    )
    text, width, white_space = tip
    assert seg.name in text and seg.mode in text and "operational" in text.lower()
    assert 150 < width <= 320 and white_space == "normal"  # not an 85 px column
    _clean(state)


def test_stacked_lines_offer_a_picker(browser_page, default_atlas, atlas):
    page, state = browser_page
    _open(page, default_atlas)
    corridors = {
        c.name.split(" (")[0] for c in atlas.corridors.values() if STACKED_SEGMENT in c.segments
    }
    assert len(corridors) >= 2
    point = page.evaluate(
        """id => { const it = corridorsApp.byId[id], m = it.props.mid;
             corridorsMap.setView(L.latLng(m[1], m[0]), 8, { animate: false });
             const p = corridorsMap.latLngToContainerPoint(L.latLng(m[1], m[0]));
             const r = corridorsMap.getContainer().getBoundingClientRect();
             return [r.left + p.x, r.top + p.y]; }""",
        STACKED_SEGMENT,
    )
    page.wait_for_timeout(100)
    page.mouse.click(*point)
    picks = page.locator(".cx-picker .cx-pick")
    picks.first.wait_for()
    listed = [_text(picks.nth(i)) for i in range(picks.count())]
    for cor in corridors:
        assert any(cor in x and atlas.segments[STACKED_SEGMENT].name in x for x in listed), cor
    chosen = next(i for i, x in enumerate(listed) if atlas.segments[STACKED_SEGMENT].name in x)
    picks.nth(chosen).click()
    page.wait_for_function("() => document.querySelectorAll('.leaflet-popup').length === 1")
    assert _text(page.locator(".leaflet-popup .cx-title")) == atlas.segments[STACKED_SEGMENT].name
    _clean(state)


def test_node_popup_lists_the_links_serving_the_place(browser_page, default_atlas, atlas):
    page, state = browser_page
    _open(page, default_atlas)
    place = "tashkent"
    expected = sorted(
        atlas.segments[sid].name
        for cor in atlas.corridors.values()
        for sid in cor.segments
        if place in (atlas.segments[sid].from_node, atlas.segments[sid].to_node)
    )
    assert expected
    page.evaluate(
        "id => corridorsApp.focusFeature(corridorsApp.byId[id].layer.key, corridorsApp.byId[id].index)",
        place,
    )
    links = page.locator(".leaflet-popup .cx-links .cx-pick")
    links.first.wait_for()
    names = sorted(_text(links.nth(i).locator("span[dir=auto]")) for i in range(links.count()))
    assert names == expected
    first = _text(links.first.locator("span[dir=auto]"))
    links.first.click()
    page.wait_for_function(
        "name => [...document.querySelectorAll('.leaflet-popup .cx-title')]"
        ".map(e => e.textContent).join('|') === name",
        arg=first,
    )
    _clean(state)


def test_year_control_spans_the_data_with_play_and_event_marks(browser_page, default_atlas, atlas):
    page, state = browser_page
    _open(page, default_atlas)
    years = sorted(int(str(h.date)[:4]) for s in atlas.segments.values() for h in s.status_history)
    slider = page.locator(".cx-time input[type=range]")
    lo, hi = int(slider.get_attribute("min")), int(slider.get_attribute("max"))
    assert hi == years[-1] + 1 and lo > years[0]  # an "earlier" step, not 1799 at 2 px/year
    later = sum(1 for y in years if y > lo)
    assert later >= 0.75 * len(years) and hi - lo <= 40
    width = slider.bounding_box()["width"]
    assert width / (hi - lo) >= 7  # px per step
    marks = page.locator(".cx-mark")
    timeline = atlas_timeline(atlas)
    # one button per step and kind, its title the marks' texts joined in date order
    groups: dict[tuple[int, str], list[str]] = {}
    for m in timeline:
        step = max(lo, min(hi - 1, int(m["date"][:4])))
        kind = "meeting" if m["kind"] == "meeting" else "closure"
        text = m["label"] + (f" ({m['span']})" if m.get("span") else "")
        groups.setdefault((step, kind), []).append(text)
    assert marks.count() == len(groups) > 0
    assert {m.get_attribute("title") for m in marks.all()} == {
        "; ".join(texts) for texts in groups.values()
    }
    hormuz = next(m for m in timeline if "Hormuz" in m["label"])
    page.locator(f".cx-mark[title*='{hormuz['label']} ({hormuz['span']})']").click()
    assert slider.input_value() == hormuz["date"][:4]
    assert hormuz["label"] in _text(page.locator(".cx-mark-note"))
    # play from the earliest step, then pause
    page.evaluate("() => corridorsApp.setYear(null)")
    play = page.locator(".cx-play")
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    page.wait_for_function(f"() => corridorsApp.year !== null && corridorsApp.year > {lo}")
    play.click()
    assert play.get_attribute("aria-pressed") == "false"
    stopped = page.evaluate("() => corridorsApp.year")
    page.wait_for_timeout(900)
    assert page.evaluate("() => corridorsApp.year") == stopped
    _clean(state)


def test_print_hides_the_controls_and_keeps_legend_title_and_scale(browser_page, default_atlas):
    page, state = browser_page
    _open(page, default_atlas)
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => Object.fromEntries(['.cx-layers-control', '.cx-toolbar', '.cx-search-control',
             '.cx-time-control', '.cx-filter-control', '.cx-legend-control', '.cx-title-control',
             '.leaflet-control-scale', '.cx-legend-control .cx-panel-body']
           .map(s => [s, getComputedStyle(document.querySelector(s)).display !== 'none']))"""
    )
    for sel in (".cx-layers-control", ".cx-toolbar", ".cx-search-control", ".cx-time-control"):
        assert not shown[sel], sel
    for sel in (".cx-legend-control", ".cx-title-control", ".leaflet-control-scale"):
        assert shown[sel], sel
    assert shown[".cx-legend-control .cx-panel-body"]
    _clean(state)


def test_save_png_keeps_legend_caption_and_scale(browser_page, default_atlas, atlas):
    page, state = browser_page
    _open(page, default_atlas)
    out = page.evaluate(
        """() => corridorsApp.savePng({ download: false }).then(r => {
             const g = r.canvas.getContext('2d'), px = window.devicePixelRatio || 1;
             const size = corridorsMap.getSize();
             const d = g.getImageData(0, 52 * px, size.x * px, size.y * px).data, seen = new Set();
             for (let i = 0; i < d.length; i += 4 * 97) { seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]); }
             return { w: r.canvas.width / px, h: r.canvas.height / px, texts: r.texts, colours: seen.size,
                      png: r.canvas.toDataURL('image/png').slice(0, 22), map: [size.x, size.y] };
           })"""
    )
    assert out["png"] == "data:image/png;base64,"
    assert out["w"] > out["map"][0] and out["h"] >= out["map"][1]
    texts = out["texts"]
    assert any(t.startswith("corridors atlas") for t in texts)
    assert any(format_date(atlas.as_of) in t for t in texts)
    assert any(re.fullmatch(r"[\d,]+ km", t) for t in texts)  # the scale
    legend = page.locator(
        ".cx-legend-control li[data-cx]:not([hidden]) .cx-label"
    ).all_inner_texts()
    assert legend and all(re.sub(r"\s+", " ", x).strip() in texts for x in legend)
    assert out["colours"] > 20  # the map itself, not a blank rectangle
    with page.expect_download() as dl:
        page.locator(".cx-tool-png").click()
    assert dl.value.suggested_filename == "corridors-map.png"
    _clean(state)


def test_keyboard_table_of_links_mirrors_the_map(browser_page, default_atlas, atlas):
    page, state = browser_page
    _open(page, default_atlas)
    shown_js = """() => corridorsApp.layers.filter(l => l.role === 'corridor' && corridorsMap.hasLayer(l.group))
                  .reduce((n, l) => n + l.items.filter(i => i && i.shown !== false).length, 0)"""
    page.focus(".cx-tool-table")
    page.keyboard.press("Enter")
    rows = page.locator(".cx-links-table tbody tr")
    assert rows.count() == page.evaluate(shown_js) > 50
    focused = page.evaluate("() => document.activeElement.closest('tr') !== null")
    assert focused
    page.keyboard.press("Tab")
    name = page.evaluate("() => document.activeElement.querySelector('span[dir=auto]').textContent")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.leaflet-popup').length === 1")
    assert _text(page.locator(".leaflet-popup .cx-title")) == name
    # the table follows the year control
    page.evaluate("() => { corridorsApp.toggleTable(true); corridorsApp.setYear(2000); }")
    assert rows.count() == page.evaluate(shown_js) < len(atlas.segments)
    page.keyboard.press("Escape")
    assert page.locator(".cx-table-wrap").is_hidden()
    assert page.evaluate("() => document.activeElement.classList.contains('cx-tool-table')")
    _clean(state)
