"""Build/render tests: determinism, offline output, legend, tree order, geometry, saving."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from payload_reader import page_config, payload_text, read_payload
from render_fixtures import (
    HOSTILE_NAMES,
    _Refs,
    build_derived_layers,
    build_layers,
    external_refs,
    fc,
    line,
    point,
)

from corridors.errors import OutputError
from corridors.render import LayerSpec, StyleTable, build_map, codec, render_html, save_html
from corridors.render import geometry as geo
from corridors.render.legend import OTHER
from corridors.render.panels import layer_tree, tree_order
from corridors.render.popups import with_layer_titles
from corridors.render.resources import unpack_scripts


def _html(layers, **kw):
    return render_html(build_map(layers, title=kw.pop("title", "Test atlas"), **kw))


# --------------------------------------------------------------------------- determinism


def test_same_input_gives_identical_bytes(copy_layers):
    a = _html(copy_layers())
    b = _html(copy_layers())
    assert a.encode() == b.encode()


def test_identical_bytes_across_processes(tmp_path):
    code = (
        "from render_fixtures import build_hostile_layers\n"
        "from corridors.render import build_map, render_html\n"
        "import hashlib, sys\n"
        "html = render_html(build_map(build_hostile_layers(), title='x', tiles=['OpenStreetMap']))\n"
        "sys.stdout.write(hashlib.sha256(html.encode()).hexdigest())\n"
    )
    here = Path(__file__).parent
    src = here.parent.parent / "src"
    digests = set()
    for seed in ("1", "2"):
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "PYTHONPATH": os.pathsep.join([str(src), str(here)]),
        }
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        digests.add(out.stdout)
    assert len(digests) == 1


def test_offline_map_warns_when_a_plugin_adds_a_cdn_link(layers):
    import folium.plugins

    m = build_map(layers, title="x")
    folium.plugins.MiniMap().add_to(m)
    with pytest.warns(UserWarning, match="external script or stylesheet"):
        render_html(m)


def test_render_twice_is_identical(layers):
    m = build_map(layers, title="Atlas")
    assert render_html(m) == render_html(m)


def test_no_random_ids(layers):
    html = _html(layers)
    assert not re.search(r"_[0-9a-f]{32}\b", html)
    assert "var map_0001 = L.map(" in html


# --------------------------------------------------------------------------- offline


def test_offline_page_references_nothing_external(hostile_layers):
    html = _html(hostile_layers)
    assert external_refs(html) == []
    parser = _Refs()
    parser.feed(html)
    assert "link" not in parser.tags  # no <link rel=stylesheet>
    assert not [r for r in parser.refs if r[0] == "script"]  # no <script src>
    for cdn in (
        "cdn.jsdelivr",
        "code.jquery.com",
        "cdnjs",
        "bootstrap",
        "font-awesome",
        "fontawesome",
        "awesome-markers",
        "sourceMappingURL",
    ):
        assert cdn not in html.lower()


def test_external_ref_checker_catches_cdn_links(layers):
    online = _html(layers, offline=False)
    assert any("leaflet" in r for r in external_refs(online))
    assert external_refs('<img src="https://x.org/a.png">')
    assert external_refs("<style>.a{background:url(https://x.org/b.png)}</style>")
    assert not external_refs('<a href="https://x.org">x</a>')


def test_page_head_meta_and_licences(layers):
    html = _html(layers, title='Atlas <b>"1"</b>')
    head = html[: html.index("</head>")]
    parser = _Refs()
    parser.feed(head)
    assert head.index('<meta charset="utf-8">') < 200
    assert "<title>Atlas &lt;b&gt;&quot;1&quot;&lt;/b&gt;</title>" in head
    assert "Leaflet 1.9.3" in head and "BSD-2-Clause" in head and "https://leafletjs.com" in head
    code = unpack_scripts(html)
    assert code.startswith("/*!\nLeaflet 1.9.3,") and "corridors.js: map controls" in code
    assert "jQuery" not in head and "jQuery" not in code  # the corridors map does not need it
    # nor Leaflet's default marker images
    assert "L.Icon.Default.mergeOptions" not in head + code
    assert parser.tags.count("script") == 1  # Leaflet and corridors.js, packed
    assert parser.tags.count("style") == 3  # Leaflet, map size, corridors.css
    assert parser.refs == []


def test_jquery_is_inlined_when_a_folium_element_needs_it(layers):
    import folium

    m = build_map(layers, title="Atlas")
    folium.Marker([40.4, 49.9], popup=folium.Popup("Baku")).add_to(m)
    html = render_html(m)
    head = html[: html.index("</head>")]
    assert "jQuery 3.7.1" in head and "MIT licence" in head and "https://jquery.com" in head
    assert head.index("Leaflet 1.9.3,") < head.index("jQuery 3.7.1")
    code = unpack_scripts(html)
    assert code.index("Leaflet 1.9.3,") < code.index("jQuery 3.7.1")
    assert "L.Icon.Default.mergeOptions" in code  # the marker's image, inlined
    assert html == render_html(m)  # still deterministic
    assert external_refs(html) == []


def test_controls_overhead_is_small():
    empty = _html([])
    # Leaflet + our controls, scripts packed: ~102 KB at first, 127.6 KB once labels, PNG
    # export, caption and projects were added (2026-12-02); plain they would be ~330 KB
    assert len(empty.encode()) < 135_000


def test_offline_false_links_leaflet_from_cdn(layers):
    html = _html(layers, offline=False)
    assert (
        '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>' in html
    )
    assert "bootstrap" not in html


def test_tiles_are_optional_base_layers(layers):
    html = _html(layers, tiles=["OpenStreetMap"])
    assert "tile.openstreetmap.org" in html
    assert 'name="cx-base" value="-1" checked' in html  # offline: no tile loaded at start
    assert external_refs(html) == []
    online = _html(layers, tiles=["OpenStreetMap"], offline=False)
    assert 'name="cx-base" value="0" checked' in online
    with pytest.raises(ValueError, match="unknown tile provider"):
        build_map(layers, title="x", tiles=["No Such Tiles"])


# --------------------------------------------------------------------------- escaping


def test_hostile_strings_are_escaped_everywhere(hostile_layers):
    html = _html(hostile_layers)
    assert "<img src=x onerror" not in html
    assert "</script><script>alert(1)" not in html
    assert "alert(1)</script>" not in html
    assert "\u2028" not in html and "\u2029" not in html
    body = html[html.index("<body>") :]
    assert "&lt;img src=x onerror=alert(1)&gt;" in body  # layer tree title, as text
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", payload_text(html))  # the data: base64 only
    data = json.dumps(read_payload(html, geometry=False), ensure_ascii=False)
    for name in HOSTILE_NAMES[3:]:
        assert name in data  # non-Latin names kept as UTF-8 text
    assert "javascript:alert" not in html and "javascript:alert" not in data


def _scripts(html: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)


def test_layer_payload_is_json(layers):
    html = _html(layers)
    layers_js = read_payload(html)["layers"]
    assert len(layers_js) == len(layers)
    keys = [p["key"] for p in layers_js]
    assert sorted(keys) == sorted(spec.key for spec in layers)
    ml1 = next(f for p in layers_js for f in p["features"] if f[1].get("id") == "ml1")
    assert ml1[1]["status"] == "under_construction"
    # [year, status, the rest of the date when it is more than a year]
    assert ml1[1]["history"] == [[2015, "planned"], [2020, "under_construction", "-06"]]
    # the unsafe link is dropped (its title kept, the map notes the omission)
    assert ml1[1]["p"]["s"] == [["https://example.org/ml1", "ML-1 project page"], ["", "bad link"]]
    assert ml1[1]["n"] == "ML-1 Peshawar–Karachi"
    for x, y in ml1[0]["coordinates"]:
        assert round(x, 4) == x and round(y, 4) == y
    # no markup travels in the data: popups are plain-text models
    data = json.dumps(read_payload(html, geometry=False), ensure_ascii=False)
    assert '"p":{"r":' in data.replace(" ", "") and "<" not in data


def test_geometry_in_the_page_is_the_display_geometry(layers):
    html = _html(layers)
    by_key = {p["key"]: p for p in read_payload(html)["layers"]}
    for spec in layers:
        drawn = [f[0] for f in by_key[spec.key]["features"]]
        role = spec.role
        tol, nd = {
            "corridor": (geo.LINE_TOLERANCE_DEG, geo.LINE_DECIMALS),
            "nodes": (0.0, geo.LINE_DECIMALS),
            "basemap": (geo.POLYGON_TOLERANCE_DEG, geo.BASEMAP_DECIMALS),
            "platform": (geo.POLYGON_TOLERANCE_DEG, geo.BASEMAP_DECIMALS),
        }.get(role, (geo.POLYGON_TOLERANCE_DEG, geo.POLYGON_DECIMALS))
        expected = []
        for f in spec.features["features"]:
            mode = f["properties"].get("mode")
            g = geo.display_geometry(
                f["geometry"],
                tolerance=tol,
                decimals=nd,
                geodesic=role == "corridor" and mode == "air",
            )
            if g is not None:
                expected.append(g)
        assert drawn == expected, spec.key


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [-179.9999, -89.5]},
        {"type": "MultiPoint", "coordinates": [[0.0, 0.0], [12.3456, -7.0001]]},
        {"type": "LineString", "coordinates": [[60.0, 30.0], [60.0001, 30.0], [59.9, 31.25]]},
        {
            "type": "MultiLineString",
            "coordinates": [[[1.0, 2.0], [3.0, 4.0]], [[-5.5, 6.0], [7.0, -8.25]]],
        },
        {
            "type": "Polygon",
            "coordinates": [
                [[44.0, 39.4], [48.0, 38.3], [45.123, 36.0], [44.0, 39.4]],
                [[45.0, 38.0], [45.5, 38.0], [45.2, 38.4], [45.0, 38.0]],
            ],
        },
        {
            "type": "MultiPolygon",
            "coordinates": [
                [[[170.0, 60.0], [179.999, 60.0], [179.999, 65.0], [170.0, 60.0]]],
                [[[-180.0, 64.0], [-169.0, 64.0], [-169.0, 66.0], [-180.0, 64.0]]],
            ],
        },
        {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Point", "coordinates": [1.5, 2.5]},
                {"type": "LineString", "coordinates": [[1.5, 2.5], [3.0, 4.0]]},
            ],
        },
    ],
)
def test_compact_geometry_round_trips(geometry):
    for nd in (3, 4):
        rounded = geo.display_geometry(geometry, tolerance=0.0, decimals=nd)
        compact = codec.encode_geometry(rounded, nd)
        text = json.dumps(compact)
        assert re.fullmatch(r'[\[\]A-Za-z0-9_\-", ]*', text)  # nothing to escape anywhere
        assert codec.decode_geometry(compact) == rounded


# --------------------------------------------------------------------------- legend


def _legend_rows(html: str) -> dict[str, bool]:
    start = html.index('data-cx-part="legend"')
    end = html.index('data-cx-part="filter"') if 'data-cx-part="filter"' in html else len(html)
    rows = re.findall(r'<li data-cx="([^"]+)"( hidden)?>', html[start:end])
    return {key: not hidden for key, hidden in rows}


def test_legend_lists_exactly_the_drawn_statuses_and_modes():
    layers = [
        LayerSpec(
            key="corridor:middle-corridor",
            title="Middle Corridor",
            group=("Other corridors",),
            kind="lines",
            features=fc(
                [
                    line(
                        [[49.0, 40.0], [45.0, 41.0]],
                        id="a",
                        name="A",
                        mode="rail",
                        status="operational",
                        status_history=[["2010", "planned"], ["2015", "operational"]],
                    ),
                    line(
                        [[51.0, 43.0], [49.0, 40.0]],
                        id="b",
                        name="B",
                        mode="sea",
                        status="under_construction",
                    ),
                ]
            ),
        ),
        LayerSpec(
            key="corridor:hidden",
            title="Hidden",
            group=(),
            kind="lines",
            visible=False,
            features=fc(
                [
                    line(
                        [[60.0, 30.0], [61.0, 31.0]],
                        id="c",
                        name="C",
                        mode="road",
                        status="cancelled",
                    )
                ]
            ),
        ),
    ]
    rows = _legend_rows(_html(layers))
    shown = {k for k, v in rows.items() if v}
    assert {k for k in shown if k.startswith("status:")} == {
        "status:operational",
        "status:under_construction",
    }
    assert {k for k in shown if k.startswith("mode:")} == {"mode:rail", "mode:sea"}
    # drawable later (year slider, hidden layer): present but hidden
    assert rows["status:planned"] is False
    assert rows["status:cancelled"] is False and rows["mode:road"] is False
    # never drawn: absent
    for absent in (
        "status:proposed",
        "status:suspended",
        "mode:ferry",
        "mode:air",
        "mode:pipeline",
    ):
        assert absent not in rows
    assert not any(k.startswith("kind:") for k in rows)


def test_legend_for_fixture_matches_style_table(layers):
    html = _html(layers)
    rows = _legend_rows(html)
    shown = {k for k, v in rows.items() if v}
    style = StyleTable()
    expected_status = set()
    expected_mode = set()
    for spec in layers:
        if spec.kind == "lines":
            for f in spec.features["features"]:
                expected_status.add("status:" + f["properties"]["status"])
                expected_mode.add("mode:" + f["properties"]["mode"])
    assert {k for k in shown if k.startswith("status:")} == expected_status
    assert {k for k in shown if k.startswith("mode:")} == expected_mode
    assert {
        "kind:chokepoint",
        "kind:seaport",
        "kind:capital",
        "node:approximate",
        "precision:schematic",
        "closed",
        "route",
    } <= shown
    for key in expected_status:
        assert style.status(key.split(":")[1]).label in html
    for key in expected_mode:
        assert style.mode(key.split(":")[1]).label in html


def test_unknown_status_and_kind_go_to_other():
    layers = [
        LayerSpec(
            key="corridor:x",
            title="X",
            group=(),
            kind="lines",
            features=fc(
                [
                    line(
                        [[50.0, 40.0], [51.0, 41.0]],
                        id="x",
                        name="X",
                        mode="hyperloop",
                        status="dreamt",
                    )
                ]
            ),
        ),
        LayerSpec(
            key="nodes:x",
            title="Places",
            group=(),
            kind="points",
            features=fc([point(50.0, 40.0, id="p", name="P", kind="spaceport")]),
        ),
    ]
    rows = _legend_rows(_html(layers))
    assert rows[f"status:{OTHER}"] and rows[f"mode:{OTHER}"] and rows[f"kind:{OTHER}"]


def _full_models(layers, style):
    """Popup models, search terms and details of every feature, from its own properties.

    A segment's "Corridor" row names every layer that draws the same segment, in tree order.
    """
    from corridors.render.popups import line_popup_model, node_popup_model

    titles: dict[str, list[str]] = {}
    for spec in tree_order(layer_tree(layers)):
        for f in spec.features["features"]:
            if spec.role == "corridor" and spec.title not in titles.setdefault(
                str(f["properties"].get("id")), []
            ):
                titles[str(f["properties"].get("id"))].append(spec.title)
    out = {}
    for spec in layers:
        for f in spec.features["features"]:
            props = f["properties"]
            if spec.role == "corridor":
                mode = props.get("mode")
                model = line_popup_model(props, layer_title=spec.title, style=style)
                model = with_layer_titles(model, titles[str(props.get("id"))])
                detail = str(mode).replace("_", " ") if mode else ""
                terms = []
            else:
                kind = props.get("kind")
                label = style.node(kind).label if kind in style.nodes else "place"
                model = node_popup_model(props, style=style)
                detail = " · ".join(x for x in (label, str(props.get("country") or "")) if x)
                name = "" if props.get("name") is None else str(props["name"])
                aliases = props.get("aliases") or []
                terms = [a for a in aliases if isinstance(a, str) and a and a != name]
                terms = list(dict.fromkeys(t for t in terms if t != str(props.get("id"))))
            out[spec.key, str(props.get("id"))] = (model, detail, terms)
    return out


def test_full_popup_models_search_terms_and_details_are_exact():
    """Odd properties (unknown kind and mode, a non-text id and alias, a precision the map
    has no text for) still give the map exactly the full popup, terms and detail."""
    style = StyleTable()
    layers = build_derived_layers()
    html = _html(layers)
    full = _full_models(layers, style)
    seen = 0
    for layer in read_payload(html)["layers"]:
        for f in layer["features"]:
            model, detail, terms = full[layer["key"], f[1].get("id")]
            assert f[1]["p"] == model, f[1].get("id")
            assert f[1].get("d", "") == detail and f[1].get("s", []) == terms, f[1].get("id")
            seen += 1
    assert seen == 12
    p = next(
        f[1]
        for layer in read_payload(html)["layers"]
        for f in layer["features"]
        if f[1].get("id") == "p"
    )
    assert p["s"] == ["Pé"]  # the non-text alias 12 is not searched


def test_full_popup_models_of_the_default_atlas_are_exact():
    from corridors.io.geodata import load_atlas
    from corridors.maps.atlas import atlas_layers

    style = StyleTable()
    layers = [s for s in atlas_layers(load_atlas()) if s.role in ("corridor", "nodes")]
    html = _html(layers)
    full = _full_models(layers, style)
    seen = shared = 0
    for layer in read_payload(html)["layers"]:
        for f in layer["features"]:
            model, detail, terms = full[layer["key"], f[1]["id"]]
            if "s" in model:
                model = {**model, "s": [list(s) for s in model["s"]]}
            assert f[1]["p"] == model, f[1]["id"]
            assert f[1].get("d", "") == detail and f[1].get("s", []) == terms, f[1]["id"]
            shared += any(row[0] == 24 for row in model.get("r", []))  # "Corridors"
            seen += 1
    assert seen > 200 and shared > 10


def test_every_feature_carries_its_status_mode_and_kind(layers):
    html = _html(layers)
    statuses = page_config(html)["statuses"]
    seen = 0
    for layer in read_payload(html)["layers"]:
        assert "defaults" not in layer
        for f in layer["features"]:
            for y, s, *_rest in f[1].get("history", []):
                assert isinstance(y, int) and s in statuses
                seen += 1
            if layer["role"] == "corridor":
                assert f[1]["status"] and f[1]["mode"]
            if layer["role"] == "nodes":
                assert f[1]["kind"]
    assert seen


def test_source_links_are_sent_whole_and_in_order():
    layers = [
        LayerSpec(
            key="nodes:x",
            title="Places",
            group=(),
            kind="points",
            features=fc(
                [
                    point(
                        50.0 + i / 10,
                        40.0,
                        id=f"n{i}",
                        name=f"N{i}",
                        kind="city",
                        sources=[
                            {"url": f"https://www.geonames.org/{1000 + i}", "title": f"G{i}"},
                            {"url": f"https://example.org/a/b/{i}?q=/x", "title": "E"},
                            {"url": "javascript:alert(1)", "title": "bad"},
                            {"url": f"http://once{i}.example.net/"},
                        ],
                    )
                    for i in range(3)
                ]
            ),
        )
    ]
    html = _html(layers)
    assert "urls" not in page_config(html)
    for i, f in enumerate(read_payload(html)["layers"][0]["features"]):
        assert [s[0] for s in f[1]["p"]["s"]] == [
            f"https://www.geonames.org/{1000 + i}",
            f"https://example.org/a/b/{i}?q=/x",
            "",
            f"http://once{i}.example.net/",
        ]


def test_layer_tree_order_is_stable(layers):
    html = _html(layers)
    tree = html[html.index('data-cx-part="layers"') : html.index('data-cx-part="legend"')]
    keys = re.findall(r'data-cx-layer="([^"]+)"', tree)
    assert keys == [
        "platform:aze-3plus3",
        "corridor:aze-3plus3",
        "corridor:cpec-plus",
        "corridor:n-cpec-plus",
        "corridor:middle-corridor",
        "nodes:places",
        "basemap:countries",
    ]
    groups = re.findall(r'data-cx-group="g\d+"><span class="cx-text">(.+?)</label>', tree)
    groups = [re.sub(r"<[^>]+>", "", g) for g in groups]
    # (Jinja's autoescape writes an apostrophe as &#39;)
    assert groups == ["Azerbaijan&#39;s 3+3 platform", "CPEC+", "Other corridors", "Places"]
    text = re.sub(r"<[^>]+>", "", tree).replace("&#39;", "'")
    for spec in layers:
        assert spec.title in text


def test_long_titles_are_split_into_name_and_explanation():
    from corridors.render.legend import split_title
    from corridors.render.panels import title_html

    assert split_title("CPEC core (Kashgar-Gwadar/Karachi)") == (
        "CPEC core",
        "(Kashgar-Gwadar/Karachi)",
    )
    assert split_title("Baku-Tbilisi-Kars (BTK) railway") == ("Baku-Tbilisi-Kars (BTK) railway", "")
    assert split_title("(odd)") == ("(odd)", "")
    html = title_html("A <b> (x & y)")
    assert (
        html
        == '<span class="cx-name">A &lt;b&gt;</span> <span class="cx-detail">(x &amp; y)</span>'
    )
    assert title_html("A (b)", short=True) == '<span class="cx-name" title="A (b)">A</span>'


def test_layer_spec_validation():
    with pytest.raises(ValueError, match="kind"):
        LayerSpec(key="a", title="A", group=(), kind="rasters", features=fc([]))
    with pytest.raises(ValueError, match="tuple"):
        LayerSpec(key="a", title="A", group="CPEC+", kind="lines", features=fc([]))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="FeatureCollection"):
        LayerSpec(key="a", title="A", group=(), kind="lines", features={"type": "Feature"})
    spec = LayerSpec(key="a", title="A", group=(), kind="lines", features=fc([]))
    with pytest.raises(ValueError, match="duplicate"):
        build_map([spec, spec], title="x")
    with pytest.raises(ValueError, match="colour"):
        build_map(
            [LayerSpec(key="b", title="B", group=(), kind="lines", features=fc([]), colour="red")],
            title="x",
        )


# --------------------------------------------------------------------------- geometry


def test_display_geometry_simplifies_caps_and_rounds():
    coords = [[60.0 + i * 0.001, 30.0 + (0.00001 if i % 2 else 0.0)] for i in range(20001)]
    out = geo.display_geometry(
        {"type": "LineString", "coordinates": coords}, tolerance=geo.LINE_TOLERANCE_DEG, decimals=4
    )
    assert out["coordinates"][0] == [60.0, 30.0] and out["coordinates"][-1] == [80.0, 30.0]
    assert len(out["coordinates"]) == 2
    zigzag = [[60.0 + i * 0.01, 30.0 + (0.5 if i % 2 else 0.0)] for i in range(12001)]
    capped = geo.display_geometry(
        {"type": "LineString", "coordinates": zigzag}, tolerance=0.0, decimals=4, max_vertices=5000
    )
    assert 2 <= len(capped["coordinates"]) <= 5000
    assert capped["coordinates"][0] == [60.0, 30.0]
    poly = geo.display_geometry(
        {
            "type": "Polygon",
            "coordinates": [
                [[60.12345, 30.12345], [61.0, 30.0], [61.0, 31.0], [60.12345, 30.12345]]
            ],
        },
        tolerance=0.0,
        decimals=3,
    )
    assert poly["coordinates"][0][0] == [60.123, 30.123]
    assert geo.display_geometry(None, tolerance=0.0, decimals=4) is None
    assert (
        geo.display_geometry({"type": "LineString", "coordinates": []}, tolerance=0.0, decimals=4)
        is None
    )


def test_air_links_are_great_circles():
    out = geo.display_geometry(
        {"type": "LineString", "coordinates": [[76.9, 43.25], [49.87, 40.41]]},
        tolerance=0.005,
        decimals=4,
        geodesic=True,
    )
    pts = out["coordinates"]
    assert len(pts) > 10
    mid = pts[len(pts) // 2]
    assert mid[1] > (43.25 + 40.41) / 2  # a great circle bulges poleward
    assert geo.to_latlon(76.9, 43.25) == (43.25, 76.9)


# --------------------------------------------------------------------------- saving


def test_save_html(tmp_path: Path, layers):
    m = build_map(layers, title="Atlas")
    out = save_html(m, tmp_path / "atlas.html")
    assert out.read_text(encoding="utf-8") == render_html(m)
    with pytest.raises(OutputError, match="exists"):
        save_html(m, tmp_path / "atlas.html")
    save_html(m, tmp_path / "atlas.html", overwrite=True)
    with pytest.raises(OutputError, match="extension"):
        save_html(m, tmp_path / "atlas.png")
    src = tmp_path / "in.htm"
    src.write_text("x")
    with pytest.raises(OutputError, match="also an input"):
        save_html(m, src, overwrite=True, inputs=[src])
    assert not list(tmp_path.glob(".*.tmp"))


def test_bounds_argument_sets_view(layers):
    html = _html(layers, bounds=(44.0, 38.0, 51.0, 44.0))
    cfg = json.loads(re.search(r"Corridors\.create\(map_0001, (\{.*?\})\);\n", html).group(1))
    assert cfg["bounds"] == [[38.0, 44.0], [44.0, 51.0]]
    with pytest.raises(ValueError, match="bounds"):
        build_map(layers, title="x", bounds=(51.0, 38.0, 44.0, 44.0))


def test_build_layers_fixture_is_well_formed():
    assert {s.role for s in build_layers()} == {"basemap", "platform", "corridor", "nodes"}


def test_a_segment_in_two_corridors_names_both_in_one_popup():
    ring = [[44.0, 39.4], [48.0, 38.3], [46.0, 36.0], [44.0, 39.4]]
    country = {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"iso3": "AZE", "name": "Azerbaijan"},
    }
    member = {**country, "properties": {"iso3": "AZE", "name": "Azerbaijan", "members": ["AZE"]}}

    def seg(corridor: str) -> dict:
        return line(
            [[49.8, 40.4], [44.8, 41.7], [43.1, 40.6]],
            id="btk",
            name="Baku–Tbilisi–Kars",
            corridor_name=corridor,
            mode="rail",
            status="operational",
            sources=[{"url": "https://example.org/btk", "title": "BTK"}],
        )

    layers = [
        LayerSpec(
            key="basemap:countries",
            title="Countries",
            group=(),
            kind="polygons",
            features=fc([country]),
        ),
        LayerSpec(
            key="platform:p", title="Members", group=(), kind="polygons", features=fc([member])
        ),
        LayerSpec(
            key="corridor:btk", title="BTK", group=(), kind="lines", features=fc([seg("BTK")])
        ),
        LayerSpec(
            key="corridor:middle-corridor",
            title="Middle Corridor",
            group=(),
            kind="lines",
            features=fc([seg("Middle Corridor")]),
        ),
    ]
    html = _html(layers)
    by_key = {layer["key"]: layer for layer in read_payload(html, geometry=False)["layers"]}
    # the member is drawn from the same compact polygon as the country
    assert by_key["platform:p"]["features"][0][0] == by_key["basemap:countries"]["features"][0][0]
    popups = [
        by_key[k]["features"][0][1]["p"] for k in ("corridor:btk", "corridor:middle-corridor")
    ]
    assert popups[0] == popups[1]  # one popup, listing the layers drawing the segment
    assert [24, ["BTK", "Middle Corridor"]] in popups[0]["r"]  # "Corridors"


def test_template_syntax_in_data_is_text():
    """Data is rendered once, as values: Jinja syntax in it is never evaluated."""
    name = "{{ 7*7 }} {% if true %}x{% endif %} {{ this.__class__ }}"
    layers = [
        LayerSpec(
            key="nodes:t",
            title="Title {{ 6*7 }}",
            group=("Group {{ 1+1 }}",),
            kind="points",
            features=fc([point(50.0, 40.0, id="t", name=name, kind="city")]),
        )
    ]
    html = _html(layers, title="Atlas {{ 3*3 }}")
    data = json.dumps(read_payload(html), ensure_ascii=False)
    assert name in data
    for text in ("Title {{ 6*7 }}", "Group {{ 1+1 }}", 'aria-label="Atlas {{ 3*3 }}"'):
        assert text in html
    for evaluated in ("Title 42", "Group 2", "Atlas 9", "<class "):
        assert evaluated not in html and evaluated not in data


# --------------------------------------------------------------------------- roles, payload


def test_layer_role_is_an_explicit_field():
    from corridors.render.prepare import PREPARERS
    from corridors.render.spec import ROLES

    assert set(PREPARERS) == set(ROLES)
    pts = fc([point(50.0, 40.0, id="a", name="A", kind="city")])
    # given: the key prefix does not matter
    spec = LayerSpec(
        key="mine:ports", title="P", group=(), kind="points", features=pts, role="overlay"
    )
    assert spec.role == "overlay"
    # left out: taken from the key and the kind, as before
    assert (
        LayerSpec(key="nodes:x", title="P", group=(), kind="points", features=pts).role == "nodes"
    )
    assert (
        LayerSpec(key="overlay:x", title="P", group=(), kind="points", features=pts).role
        == "overlay"
    )
    with pytest.raises(ValueError, match="role 'roads' is not one of"):
        LayerSpec(key="a", title="A", group=(), kind="lines", features=fc([]), role="roads")
    with pytest.raises(ValueError, match="a corridor layer draws lines, not points"):
        LayerSpec(key="a", title="A", group=(), kind="points", features=pts, role="corridor")
    # an overlay role draws the points as an overlay: a table tooltip, no place marker
    (layer,) = read_payload(_html([spec]))["layers"]
    assert layer["role"] == "overlay" and layer["columns"] == ["name", "id", "kind"]
    assert layer["features"][0][1] == {"id": "a", "v": ["A", "a", "city"]}


def test_payload_is_deterministic_gzip_in_base64(layers):
    import base64
    import gzip

    from corridors.render.payload import decode_payload, encode_payload

    html = _html(layers)
    text = payload_text(html)
    raw = base64.b64decode(text, validate=True)
    assert raw[:2] == b"\x1f\x8b" and raw[4:8] == b"\0\0\0\0"  # gzip, no timestamp
    payload = decode_payload(text)
    assert set(payload) == {"topology", "layers"}
    assert json.loads(gzip.decompress(raw)) == payload
    assert encode_payload(payload) == text  # the same data, the same bytes
    assert _html(layers) == html
    # the map is created, then loads its data (asynchronously) in the page's script
    assert re.search(
        r"var (corridors_app_\d+) = Corridors\.create\(map_0001, \{.*\}\);\n\1\.load\(\"", html
    )


def test_templates_and_script_files_ship_with_the_package():
    from importlib import resources

    from corridors.render.resources import JS_FILES

    root = resources.files("corridors.render")
    for name in ("panels.html.j2", "macros.html.j2"):
        assert (root / "templates" / name).is_file()
    for name in JS_FILES:
        assert (root / "assets" / "js" / name).is_file()
