"""Popup/tooltip HTML and the style table."""

from __future__ import annotations

import itertools
import math
import re

from corridors.render.popups import (
    line_popup,
    node_popup,
    overlay_table,
    platform_popup,
    sources_html,
)
from corridors.render.style import StyleTable, marker_canvas, marker_svg, mix_colour
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
    assert (
        '<span dir="auto">2007-11-21: Under construction</span><br>'
        '<span dir="auto">2017-10-30: Operational</span>' in html
    )
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


def test_status_since_is_the_start_of_the_current_status():
    style = StyleTable()
    props = {
        "name": "BTK",
        "status": "operational",
        "status_year": 2025,  # the latest entry only confirms the status
        "status_history": [
            ["2007-02", "planned"],
            ["2008", "under_construction"],
            ["2017-10-30", "operational"],
            ["2025-08", "operational"],
        ],
    }
    assert "Operational (since 2017)" in line_popup(props, layer_title=None, style=style)
    no_history = {"name": "X", "status": "planned", "status_year": 2019}
    assert "Planned (since 2019)" in line_popup(no_history, layer_title=None, style=style)


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
    assert (
        '<span dir="auto">AZE — Azerbaijan</span><br><span dir="auto">ARM — Armenia</span>' in html
    )
    assert html.index("2021-12-10") < html.index("2023-10-23")
    assert "2021-12-10 · Moscow · deputies — absent: GEO" in html
    assert '<th>Platform</th><td><span dir="auto">3+3</span>' in html
    assert '<div class="cx-sub">AZE</div>' in html


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
    # CPEC+ branches clearly distinct (colours from the geodata), unknown corridors get
    # palette colours
    from corridors.io.geodata import load_atlas

    cors = load_atlas().corridors
    branches = {cors[k].colour for k in ("cpec-core", "n-cpec-plus", "w-cpec-plus", "s-cpec-plus")}
    assert len(branches) == 4 and None not in branches
    assert style.colour_for("corridor:unknown", 1) == style.palette[1]
    # the chokepoint marker differs from every other kind
    shapes = {k: v.shape for k, v in style.nodes.items()}
    assert list(shapes.values()).count(shapes["chokepoint"]) == 1


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def _delta_e(a: str, b: str) -> float:
    return math.dist(_lab(a), _lab(b))


def test_bundled_corridors_have_their_own_distinct_colours():
    from corridors.io.geodata import load_atlas

    atlas = load_atlas()
    drawn = [c.id for c in atlas.corridors.values() if c.segments]
    # each has a colour of its own in the geodata (corridors.toml), not a palette fallback
    assert all(atlas.corridors[c].colour is not None for c in drawn)
    colours = {c: str(atlas.corridors[c].colour) for c in drawn}
    assert len(set(colours.values())) == len(drawn)
    for a, b in itertools.combinations(drawn, 2):
        assert _delta_e(colours[a], colours[b]) > 15, (a, b)
    # corridors drawn side by side (the CPEC+ branches; the 3+3 corridors) far apart
    for family in (
        [c.id for c in atlas.corridors.values() if atlas.corridor_lineage(c.id)[-1] == "cpec-plus"],
        [c.id for c in atlas.corridors.values() if c.platform == "aze-3plus3"],
    ):
        family = [c for c in family if c in colours]
        assert len(family) >= 4
        for a, b in itertools.combinations(family, 2):
            assert _delta_e(colours[a], colours[b]) > 30, (a, b)


def test_marker_svg_and_mix_colour():
    svg = marker_svg("bowtie", "#e31a1c", 18)
    assert svg.startswith('<svg width="18" height="18"') and "#e31a1c" in svg
    assert not re.search(r"https?://", svg)
    # the map draws the same parts on its canvas: path data in the 20x20 box, paint resolved
    parts = marker_canvas("bowtie", "#e31a1c")
    assert [p[1:] for p in parts] == [
        ["#e31a1c", "#fff", 1.2, "round"],
        ["#fff", "#e31a1c", 1.2, "miter"],
    ]
    assert parts[1][0] == "M7.8 10a2.2 2.2 0 1 0 4.4 0a2.2 2.2 0 1 0 -4.4 0Z"
    assert marker_canvas("square", "#123456")[0][0] == "M3.5 3.5h13v13h-13Z"
    assert marker_canvas("no-such-shape", "#123456") == marker_canvas("circle", "#123456")
    style = StyleTable()
    js_nodes = style.to_js()["nodes"]
    for kind, ns in style.nodes.items():
        assert js_nodes[kind] == {
            "parts": marker_canvas(ns.shape, ns.colour),
            "size": ns.size,
            "label": ns.label,
        }
        assert len(js_nodes[kind]["parts"]) == marker_svg(ns.shape, ns.colour, 12).count("/>")
    assert mix_colour("#000000", "#ffffff", 0.5) == "#808080"
    assert mix_colour("#123456", "#ffffff", 0) == "#123456"


def test_unnamed_feature_popup_is_titled_with_its_id_as_in_the_map():
    style = StyleTable()
    props = {"id": "x-1", "kind": "city", "country": "PAK", "sources": []}
    assert '<h3 class="cx-title" dir="auto">x-1</h3>' in node_popup(props, style=style)
    assert '<h3 class="cx-title" dir="auto">(unnamed)</h3>' in node_popup(
        {"kind": "city"}, style=style
    )
