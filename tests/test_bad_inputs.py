"""Bad inputs 1-21 of the shared catalogue, each asserting its located message.

Every case mutates the valid mini atlas, runs the validator, and checks the problem code,
the file, the entity id and message/hint fragments. The CLI must exit 1 without a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from corridors.cli.main import main
from corridors.io.geodata import validate_geodata


def node(d: dict, i: int = 0) -> dict:
    return d["nodes.geojson"]["features"][i]


def seg(d: dict, i: int = 0) -> dict:
    return d["segments.geojson"]["features"][i]


def set_raw(name: str, text: str) -> Callable[[dict], None]:
    def f(d: dict) -> None:
        d[name] = text

    return f


def _nan_json(d: dict) -> None:
    text = json.dumps(d["nodes.geojson"]).replace("[2.0, 5.0]", "[NaN, 5.0]", 1)
    d["nodes.geojson"] = text


def _inf_json(d: dict) -> None:
    d["segments.geojson"] = json.dumps(d["segments.geojson"]).replace(
        '"published_length_km": 900', '"published_length_km": Infinity'
    )


def _dup_two_files(d: dict) -> None:
    wp = d["waypoints.geojson"]["features"][0]
    wp["properties"]["id"] = "alpha"


def _self_intersecting(d: dict) -> None:
    d["countries.geojson"]["features"][0]["geometry"]["coordinates"] = [
        [[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]
    ]


def _unclosed(d: dict) -> None:
    d["countries.geojson"]["features"][0]["geometry"]["coordinates"] = [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 1]]
    ]


def _short_ring(d: dict) -> None:
    d["countries.geojson"]["features"][0]["geometry"]["coordinates"] = [[[0, 0], [10, 0], [0, 0]]]


def _huge_line(d: dict) -> None:
    s = seg(d, 1)
    s["geometry"]["coordinates"] = [[10 + i * 8 / 60000, 5.0] for i in range(60001)]


def _two_featured(d: dict) -> None:
    second = d["platforms.toml"].split("[[platform.meeting]]")[0].replace('"club"', '"guild"')
    d["platforms.toml"] = (
        d["platforms.toml"].replace('name = "The Club"', 'name = "The Club"\nfeatured = true')
        + "\n"
        + second.replace('name = "The Club"', 'name = "The Guild"\nfeatured = true')
    )


def _ring_with_a_number(d: dict) -> None:
    d["countries.geojson"]["features"][0]["geometry"]["coordinates"] = [
        [[0, 0], 5, [10, 10], [0, 10], [0, 0]]
    ]


def _platform_unknown_member(d: dict) -> None:
    d["platforms.toml"] = d["platforms.toml"].replace('"BBB"]', '"BBX"]', 1)


# (case id, mutation, file, code, entity, fragments that must appear in the formatted problem)
CASES: list[tuple[str, Callable[[dict], None], str, str, str | None, tuple[str, ...]]] = [
    (
        "01-lat-first",
        lambda d: node(d)["geometry"].update(coordinates=[35.68, 139.69]),
        "nodes.geojson",
        "coord-lat-range",
        "alpha",
        ("latitude 139.69", "looks swapped", "/features/0/geometry/coordinates"),
    ),
    (
        "02-lon-range",
        lambda d: node(d)["geometry"].update(coordinates=[190.0, 5.0]),
        "nodes.geojson",
        "coord-lon-range",
        "alpha",
        ("longitude 190.0", "normalise", "-170"),
    ),
    ("03-nan-json", _nan_json, "nodes.geojson", "json-nan", None, ("NaN", "line 1:")),
    ("03-infinity-json", _inf_json, "segments.geojson", "json-nan", None, ("Infinity",)),
    (
        "03-nan-toml",
        set_raw("routes.toml", '[[route]]\nid = "r"\nx = nan\n'),
        "routes.toml",
        "toml-nan",
        None,
        ("nan",),
    ),
    (
        "04-string-coordinate",
        lambda d: node(d)["geometry"].update(coordinates=["62.3", 25.0]),
        "nodes.geojson",
        "coord-type",
        "alpha",
        ("must be a number", "'62.3'", "without quotes"),
    ),
    (
        "05-one-number",
        lambda d: node(d)["geometry"].update(coordinates=[62.3]),
        "nodes.geojson",
        "coord-shape",
        "alpha",
        ("1 numbers", "[lon, lat]"),
    ),
    (
        "05-four-numbers",
        lambda d: node(d)["geometry"].update(coordinates=[1, 2, 3, 4]),
        "nodes.geojson",
        "coord-shape",
        "alpha",
        ("4 numbers",),
    ),
    (
        "05-nesting",
        lambda d: seg(d)["geometry"].update(coordinates=[[[2, 5], [6, 5]]]),
        "segments.geojson",
        "coord-shape",
        "s1",
        ("nesting depth",),
    ),
    (
        "06-crs",
        lambda d: d["nodes.geojson"].update(
            crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
        ),
        "nodes.geojson",
        "bad-crs",
        None,
        ("EPSG:4326", "reproject", "3857"),
    ),
    (
        "08-null-geometry",
        lambda d: node(d).update(geometry=None),
        "nodes.geojson",
        "empty-geometry",
        "alpha",
        ("geometry is null",),
    ),
    (
        "08-empty-line",
        lambda d: seg(d)["geometry"].update(coordinates=[]),
        "segments.geojson",
        "empty-geometry",
        "s1",
        ("empty geometry",),
    ),
    (
        "09-one-position",
        lambda d: seg(d, 1)["geometry"].update(coordinates=[[10, 5]]),
        "segments.geojson",
        "degenerate-line",
        "s2",
        ("at least two positions",),
    ),
    (
        "09-identical",
        lambda d: seg(d, 1)["geometry"].update(coordinates=[[10, 5], [10, 5]]),
        "segments.geojson",
        "degenerate-line",
        "s2",
        ("identical",),
    ),
    (
        "10-unclosed-ring",
        _unclosed,
        "countries.geojson",
        "ring-not-closed",
        "AAA",
        ("not closed", "first [0, 0], last [0, 1]"),
    ),
    (
        "10-short-ring",
        _short_ring,
        "countries.geojson",
        "ring-too-short",
        "AAA",
        ("3 positions", "at least 4"),
    ),
    (
        "11-self-intersection",
        _self_intersecting,
        "countries.geojson",
        "invalid-polygon",
        "AAA",
        ("Self-intersection", "make_valid"),
    ),
    (
        "13-polygon-for-line",
        lambda d: seg(d).update(
            geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
        ),
        "segments.geojson",
        "wrong-geometry-type",
        "s1",
        ("expected a LineString, got Polygon",),
    ),
    (
        "13-collection",
        lambda d: node(d).update(geometry={"type": "GeometryCollection", "geometries": []}),
        "nodes.geojson",
        "wrong-geometry-type",
        "alpha",
        ("expected a Point, got GeometryCollection",),
    ),
    (
        "14-too-many-vertices",
        _huge_line,
        "segments.geojson",
        "too-many-vertices",
        "s2",
        ("60001 vertices", "simplify"),
    ),
    (
        "15-duplicate-same-file",
        lambda d: node(d, 1)["properties"].update(id="alpha"),
        "nodes.geojson",
        "duplicate-id",
        "alpha",
        ("duplicate id 'alpha'", "first defined at", "/features/0"),
    ),
    (
        "15-duplicate-two-files",
        _dup_two_files,
        "waypoints.geojson",
        "duplicate-id",
        "alpha",
        ("nodes.geojson",),
    ),
    (
        "16-unknown-node",
        lambda d: seg(d)["properties"].update({"from": "alpah"}),
        "segments.geojson",
        "unknown-node",
        "s1",
        ("unknown node 'alpah'", "did you mean 'alpha'"),
    ),
    (
        "17-unknown-segment",
        set_raw(
            "routes.toml",
            '[[route]]\nid = "r1"\nname = "R"\nsegments = ["s11"]\ncountries = []\n'
            'sources = [{url = "https://example.org", title = "t"}]\n',
        ),
        "routes.toml",
        "unknown-segment",
        "r1",
        ("unknown segment 's11'", "did you mean 's1'"),
    ),
    (
        "17-unknown-member",
        _platform_unknown_member,
        "platforms.toml",
        "unknown-country",
        "club",
        ("unknown member country 'BBX'", "did you mean 'BBB'"),
    ),
    (
        "18-capitals",
        lambda d: node(d)["properties"].update(id="Alpha"),
        "nodes.geojson",
        "bad-id",
        None,
        ("invalid id", "did you mean 'alpha'"),
    ),
    (
        "18-whitespace",
        lambda d: node(d)["properties"].update(id="alpha port"),
        "nodes.geojson",
        "bad-id",
        None,
        ("'alpha port'", "alpha-port"),
    ),
    (
        "18-empty",
        lambda d: node(d)["properties"].update(id=""),
        "nodes.geojson",
        "bad-id",
        None,
        ("invalid id",),
    ),
    (
        "18-lookalike",
        lambda d: node(d)["properties"].update(id="аlpha"),
        "nodes.geojson",
        "bad-id",
        None,
        ("invalid id", "ASCII"),
    ),
    (
        "19-negative-length",
        lambda d: seg(d)["properties"].update(published_length_km=-900),
        "segments.geojson",
        "bad-number",
        "s1",
        ("must be positive",),
    ),
    (
        "19-zero-gauge",
        lambda d: seg(d)["properties"].update(gauge_mm=0),
        "segments.geojson",
        "bad-number",
        "s1",
        ("gauge_mm",),
    ),
    (
        "19-negative-published",
        lambda d: seg(d)["properties"]["published_lengths_km"][0].update(value=-1),
        "segments.geojson",
        "bad-number",
        "s1",
        ("must be positive",),
    ),
    (
        "20-status",
        lambda d: seg(d)["properties"].update(status="operatonal"),
        "segments.geojson",
        "bad-status",
        "s1",
        ("unknown status 'operatonal'", "did you mean 'operational'", "allowed:"),
    ),
    (
        "20-mode",
        lambda d: seg(d)["properties"].update(mode="rial"),
        "segments.geojson",
        "bad-mode",
        "s1",
        ("unknown mode", "did you mean 'rail'"),
    ),
    (
        "20-precision",
        lambda d: seg(d)["properties"].update(precision="schematc"),
        "segments.geojson",
        "bad-precision",
        "s1",
        ("did you mean 'schematic'",),
    ),
    (
        "21-no-source",
        lambda d: node(d)["properties"].update(sources=[]),
        "nodes.geojson",
        "no-source",
        "alpha",
        ("no source",),
    ),
    (
        "21-ftp-source",
        lambda d: seg(d)["properties"].update(
            sources=[{"url": "ftp://example.org/x", "title": "x"}]
        ),
        "segments.geojson",
        "bad-source-url",
        "s1",
        ("http(s)", "ftp://example.org/x"),
    ),
    (
        "21-javascript-url",
        lambda d: seg(d)["properties"].update(
            sources=[{"url": "javascript:alert(1)", "title": "x"}]
        ),
        "segments.geojson",
        "bad-source-url",
        "s1",
        ("http(s)",),
    ),
    (
        "22-bad-colour",
        set_raw(
            "corridors.toml",
            '[[corridor]]\nid = "root"\nname = "Root"\nsegments = ["s1", "s2", "s3"]\n'
            'colour = "#12345g"\nsources = [{url = "https://example.org/c", title = "c"}]\n',
        ),
        "corridors.toml",
        "bad-colour",
        "root",
        ("corridor[0].colour", "'#12345g'", "hex colour", "e.g. '#1b7837'"),
    ),
    (
        "22-colour-not-a-string",
        set_raw(
            "corridors.toml",
            '[[corridor]]\nid = "root"\nname = "Root"\nsegments = ["s1", "s2", "s3"]\n'
            'colour = 1193046\nsources = [{url = "https://example.org/c", title = "c"}]\n',
        ),
        "corridors.toml",
        "bad-colour",
        "root",
        ("1193046", "'#rrggbb'"),
    ),
    (
        "23-two-featured",
        _two_featured,
        "platforms.toml",
        "featured-twice",
        "guild",
        ("platform[1].featured", "'club' and 'guild' are both featured", "mark one platform"),
    ),
    (
        "23-featured-not-bool",
        lambda d: d.update(
            {
                "platforms.toml": d["platforms.toml"].replace(
                    '"The Club"', '"The Club"\nfeatured = "yes"'
                )
            }
        ),
        "platforms.toml",
        "field-type",
        "club",
        ("platform[0].featured", "must be true or false"),
    ),
    (
        "24-unknown-hub",
        set_raw("hubs.toml", 'hubs = ["alpha", "gmma"]\n'),
        "hubs.toml",
        "unknown-node",
        "gmma",
        ("hubs[1]", "unknown node 'gmma'", "did you mean 'gamma'"),
    ),
    (
        "24-waypoint-hub",
        set_raw("hubs.toml", 'hubs = ["wp-mid"]\n'),
        "hubs.toml",
        "unknown-node",
        "wp-mid",
        ("unknown node 'wp-mid'", "hubs are node ids"),
    ),
    (
        "24-duplicate-hub",
        set_raw("hubs.toml", 'hubs = ["alpha", "beta", "alpha"]\n'),
        "hubs.toml",
        "duplicate-hub",
        "alpha",
        ("hubs[2]", "listed twice"),
    ),
    (
        "24-hubs-not-a-list",
        set_raw("hubs.toml", 'hubs = "alpha"\n'),
        "hubs.toml",
        "field-type",
        None,
        ("'hubs' must be a list of node ids",),
    ),
    (
        "24-hubs-unknown-key",
        set_raw("hubs.toml", 'hub = ["alpha"]\n'),
        "hubs.toml",
        "unknown-key",
        None,
        ("unknown top-level key 'hub'", "did you mean 'hubs'"),
    ),
    (
        "25-ring-with-a-number",
        _ring_with_a_number,
        "countries.geojson",
        "coord-shape",
        "AAA",
        ("/features/0/geometry/coordinates/0/1", "position must be an array"),
    ),
    (
        "25-bad-position-in-ring",
        lambda d: d["countries.geojson"]["features"][0]["geometry"].update(
            coordinates=[[[0, 0], [10, 0], [10, "10"], [0, 10], [0, 0]]]
        ),
        "countries.geojson",
        "coord-type",
        "AAA",
        ("/features/0/geometry/coordinates/0/2/1", "must be a number"),
    ),
    (
        "26-id-with-newline",
        lambda d: node(d)["properties"].update(id="alpha\n"),
        "nodes.geojson",
        "bad-id",
        None,
        ("invalid id", "did you mean 'alpha'"),
    ),
    (
        "26-iso3-with-digit",
        lambda d: d["countries.geojson"]["features"][0]["properties"].update(iso3="A1A"),
        "countries.geojson",
        "bad-iso3",
        None,
        ("3-letter upper-case code", "'A1A'"),
    ),
    (
        "26-member-not-iso3-without-borders",
        lambda d: (
            d.pop("countries.geojson"),
            d.update({"platforms.toml": d["platforms.toml"].replace('"BBB"]', '"Bb"]', 1)}),
        ),
        "platforms.toml",
        "bad-iso3",
        "club",
        ("member must be an ISO3 code", "'Bb'"),
    ),
]


@pytest.mark.parametrize(
    ("case", "mutate", "file", "code", "entity", "fragments"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_is_reported(make_atlas_dir, case, mutate, file, code, entity, fragments):
    directory = make_atlas_dir(mutate)
    result = validate_geodata([directory])
    assert result.atlas is None, f"{case}: expected validation to fail"
    matches = [p for p in result.errors if p.code == code and p.file.endswith(file)]
    assert matches, f"{case}: no {code} problem in {file}; got " + "; ".join(
        p.format() for p in result.problems
    )
    problem = matches[0]
    if entity is not None:
        assert problem.entity == entity
    text = problem.format()
    for frag in fragments:
        assert frag in text, f"{case}: {frag!r} not in {text!r}"


@pytest.mark.parametrize(
    "case",
    [
        c
        for c in CASES
        if c[0]
        in ("01-lat-first", "03-nan-json", "16-unknown-node", "20-status", "11-self-intersection")
    ],
    ids=lambda c: c[0],
)
def test_cli_exits_1_without_traceback(make_atlas_dir, capsys, case):
    _, mutate, file, code, _, _ = case
    directory = make_atlas_dir(mutate)
    assert main(["validate", str(directory)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert file in err and code in err


def test_clockwise_ring_is_accepted(make_atlas_dir):
    def clockwise(d: dict[str, Any]) -> None:
        ring = d["countries.geojson"]["features"][0]["geometry"]["coordinates"][0]
        ring.reverse()

    result = validate_geodata([make_atlas_dir(clockwise)])
    assert result.atlas is not None, [p.format() for p in result.problems]


def test_node_outside_country_is_an_error(make_atlas_dir):
    def move(d: dict[str, Any]) -> None:
        node(d, 3)["geometry"]["coordinates"] = [5.0, 2.0]  # gamma declared BBB, lies in AAA
        seg(d, 2)["geometry"]["coordinates"][-1] = [5.0, 2.0]  # s3 ends at gamma

    result = validate_geodata([make_atlas_dir(move)])
    errs = [p for p in result.errors if p.code == "point-outside-country"]
    assert errs and errs[0].entity == "gamma" and "inside AAA" in errs[0].message


def test_line_not_meeting_its_node(make_atlas_dir):
    result = validate_geodata(
        [
            make_atlas_dir(
                lambda d: seg(d, 1)["geometry"].update(coordinates=[[10.5, 5.0], [18.0, 5.0]])
            )
        ]
    )
    p = next(p for p in result.errors if p.code == "endpoint-mismatch")
    assert p.entity == "s2" and "does not meet its 'from' node 'gate'" in p.message


def test_every_problem_is_collected(make_atlas_dir):
    def many(d: dict[str, Any]) -> None:
        node(d)["geometry"]["coordinates"] = [35.68, 139.69]
        seg(d)["properties"]["status"] = "operatonal"
        seg(d, 1)["properties"]["mode"] = "rial"

    result = validate_geodata([make_atlas_dir(many)])
    codes = {p.code for p in result.errors}
    assert {"coord-lat-range", "bad-status", "bad-mode"} <= codes


def test_unknown_toml_key_suggests(make_atlas_dir):
    result = validate_geodata(
        [
            make_atlas_dir(
                lambda d: d.update(
                    {
                        "corridors.toml": d["corridors.toml"].replace(
                            "segments = []", "segmnts = []", 1
                        )
                    }
                )
            )
        ]
    )
    p = next(p for p in result.errors if p.code == "unknown-key")
    assert "did you mean 'segments'" in p.format()


def test_malformed_toml_has_line_and_column(make_atlas_dir):
    result = validate_geodata([make_atlas_dir(set_raw("corridors.toml", "[[corridor]\nid = 1"))])
    p = next(p for p in result.errors if p.code == "toml-syntax")
    assert p.where.startswith("line 1:")


def test_ragged_but_valid_ring_is_accepted(make_atlas_dir):
    def ragged(d: dict[str, Any]) -> None:  # one position has an altitude, the others not
        d["countries.geojson"]["features"][0]["geometry"]["coordinates"] = [
            [[0, 0], [10, 0, 120.5], [10, 10], [0, 10], [0, 0]]
        ]

    result = validate_geodata([make_atlas_dir(ragged)])
    assert result.atlas is not None, [p.format() for p in result.problems]
    assert result.atlas.countries.polygons["AAA"].area == pytest.approx(100.0)


def test_colours_featured_platform_and_hubs_reach_the_atlas(make_atlas_dir):
    def add(d: dict[str, Any]) -> None:
        d["corridors.toml"] = d["corridors.toml"].replace(
            'name = "Land branch"', 'name = "Land branch"\ncolour = "#C51B7D"'
        )
        d["corridors.toml"] = d["corridors.toml"].replace(
            'name = "Sea branch"', 'name = "Sea branch"\ncolour = "#0af"'
        )
        d["platforms.toml"] = d["platforms.toml"].replace(
            'name = "The Club"', 'name = "The Club"\nfeatured = true'
        )
        d["hubs.toml"] = 'hubs = ["gamma", "alpha", "beta"]\n'

    result = validate_geodata([make_atlas_dir(add)])
    atlas = result.atlas
    assert atlas is not None, [p.format() for p in result.problems]
    assert [c.colour for c in atlas.corridors.values()] == [None, "#c51b7d", "#00aaff"]
    assert atlas.featured_platform == "club" and atlas.platforms["club"].featured
    assert atlas.hubs == ("gamma", "alpha", "beta")  # file order, not node order


def test_without_the_new_fields_nothing_is_featured_and_there_are_no_hubs(mini_dir):
    atlas = validate_geodata([mini_dir]).atlas
    assert atlas is not None
    assert atlas.featured_platform is None and atlas.hubs == ()
    assert all(c.colour is None for c in atlas.corridors.values())


def test_hub_naming_an_invalid_node_is_not_reported_twice(make_atlas_dir):
    def break_gamma(d: dict[str, Any]) -> None:
        node(d, 3)["properties"]["kind"] = "town"
        d["hubs.toml"] = 'hubs = ["alpha", "gamma"]\n'

    result = validate_geodata([make_atlas_dir(break_gamma)])
    assert [p.code for p in result.errors if p.file.endswith("hubs.toml")] == []
    assert any(p.code == "bad-kind" and p.entity == "gamma" for p in result.errors)


def test_toml_problems_are_located_by_toml_keys(make_atlas_dir):
    result = validate_geodata(
        [
            make_atlas_dir(
                lambda d: d.update(
                    {"corridors.toml": d["corridors.toml"].replace("https://", "ftp://", 1)}
                )
            )
        ]
    )
    p = next(p for p in result.errors if p.code == "bad-source-url")
    assert p.where == "corridor[0].sources[0].url" and p.entity == "root"


def test_history_must_end_with_current_status(make_atlas_dir):
    result = validate_geodata(
        [make_atlas_dir(lambda d: seg(d, 1)["properties"].update(status="operational"))]
    )
    p = next(p for p in result.errors if p.code == "history-mismatch")
    assert p.entity == "s2"
