"""Popup/tooltip HTML and the style table."""

from __future__ import annotations

import re

from corridors.render.popups import (
    line_popup,
    node_popup,
    overlay_table,
    platform_popup,
    sources_html,
)
from corridors.render.style import StyleTable, marker_svg, mix_colour
from corridors.vocab import MODES, NODE_KINDS, STATUSES


def test_line_popup_shows_what_is_there():
    style = StyleTable()
    html = line_popup(
        {
            "id": "btk",
            "name": "Baku–Tbilisi–Kars",
            "corridor_name": "Middle Corridor",
            "mode": "rail",
            "status": "operational",
            "status_history": [
                {"date": "2007-11-21", "status": "under_construction"},
                {"date": "2017-10-30", "status": "operational"},
            ],
            "length_km": 826.4,
            "published_length_km": 826,
            "effective_length_km": 1000.5,
            "countries": ["AZE", "GEO", "TUR"],
            "gauge_mm": [1520, 1435],
            "precision": "schematic",
            "note": "Break of gauge at Akhalkalaki <b>!</b>",
            "closed": True,
            "sources": [{"url": "https://example.org/btk?a=1&b=2", "title": "BTK <news>"}],
        },
        layer_title="Middle Corridor",
        style=style,
    )
    assert "Operational (since 2017)" in html
    assert "2007-11-21: Under construction<br>2017-10-30: Operational" in html
    assert "826 km" in html and "1,000 km" in html and "826.4" not in html
    assert "AZE → GEO → TUR" in html
    assert "1,520 mm (Russian broad gauge) → 1,435 mm (standard gauge) — break of gauge" in html
    assert "schematic — alignment approximate" in html
    assert "closed in this scenario" in html
    assert "&lt;b&gt;!&lt;/b&gt;" in html and "<b>!</b>" not in html
    assert (
        '<a href="https://example.org/btk?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">BTK &lt;news&gt;</a>'
        in html
    )


def test_missing_fields_are_left_out():
    html = line_popup({"id": "x", "name": "X"}, layer_title=None, style=StyleTable())
    assert "Length" not in html and "Gauge" not in html and "Sources" not in html


def test_node_popup_aliases_are_escaped_and_directional():
    html = node_popup(
        {
            "name": "Gwadar",
            "aliases": ["گوادر", "<i>x</i>"],
            "kind": "seaport",
            "precision": "approximate",
        },
        style=StyleTable(),
    )
    assert '<span dir="auto">گوادر</span>' in html and "&lt;i&gt;x&lt;/i&gt;" in html
    assert "Seaport" in html and "approximate" in html


def test_platform_popup_lists_members_and_meetings_in_date_order():
    html = platform_popup(
        {
            "iso3": "AZE",
            "name": "Azerbaijan",
            "platform": "3+3",
            "members": ["AZE", "ARM"],
            "meetings": [
                {"date": "2023-10-23", "place": "Tehran", "level": "ministers"},
                {"date": "2021-12-10", "place": "Moscow", "level": "deputies", "absent": ["GEO"]},
            ],
        },
        {"AZE": "Azerbaijan", "ARM": "Armenia"},
    )
    assert "<li>AZE — Azerbaijan</li><li>ARM — Armenia</li>" in html
    assert html.index("2021-12-10") < html.index("2023-10-23")
    assert "absent: GEO" in html and "Member of <b>3+3</b>" in html


def test_sources_refuse_unsafe_urls():
    html = sources_html(
        [{"url": "javascript:alert(1)", "title": "x"}, {"url": "https://ok.example/"}]
    )
    assert "javascript" not in html and "link omitted" in html
    assert 'href="https://ok.example/"' in html


def test_overlay_table_escapes_and_stringifies():
    html = overlay_table(
        {"name": "<script>", "when": "2020-01-01", "n": 1.5, "none": None},
        ["name", "when", "n", "none"],
    )
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "<td>1.5</td>" in html and "2020-01-01" in html


def test_style_table_covers_the_vocabularies():
    style = StyleTable()
    assert set(STATUSES) <= set(style.statuses)
    assert set(MODES) <= set(style.modes)
    assert set(NODE_KINDS) <= set(style.nodes)
    js = style.to_js()
    assert list(js["statuses"]) == list(STATUSES)
    assert js["statuses"]["operational"]["dash"] is None
    assert js["statuses"]["under_construction"]["dash"] and js["statuses"]["planned"]["dash"]
    assert js["modes"]["air"]["geodesic"] is True
    assert style.mode("sea").weight < style.mode("rail").weight
    # CPEC+ branches clearly distinct, and unknown corridors get palette colours
    branches = {
        style.colour_for(k)
        for k in (
            "corridor:cpec-plus",
            "corridor:n-cpec-plus",
            "corridor:w-cpec-plus",
            "corridor:s-cpec-plus",
        )
    }
    assert len(branches) == 4
    assert style.colour_for("corridor:unknown", 1) == style.palette[1]
    # the chokepoint marker differs from every other kind
    shapes = {k: v.shape for k, v in style.nodes.items()}
    assert list(shapes.values()).count(shapes["chokepoint"]) == 1


def test_marker_svg_and_mix_colour():
    svg = marker_svg("bowtie", "#e31a1c", 18)
    assert svg.startswith('<svg width="18" height="18"') and "#e31a1c" in svg
    assert not re.search(r"https?://", svg)
    assert mix_colour("#000000", "#ffffff", 0.5) == "#808080"
    assert mix_colour("#123456", "#ffffff", 0) == "#123456"
