"""Fixture data of the render tests: small LayerSpec lists built from literal GeoJSON.

Kept out of ``conftest.py`` under a unique module name, so test modules can import it even
when other ``conftest.py`` files exist in the repository.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from corridors.render import LayerSpec


def build_default_atlas(path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m corridors.cli.main map -o PATH`` (the real command line) in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "corridors.cli.main", "map", "-o", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self.styles: list[str] = []
        self._current: str | None = None

    def handle_data(self, data):
        if self._current == "style":
            self.styles.append(data)

    def handle_endtag(self, tag):
        self._current = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._current = tag
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "poster", "action") and value:
                self.refs.append((tag, name, value))
            if name == "style" and value and "url(" in value:
                self.refs.append((tag, "style", value))


_EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_TAG_REF = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*?\s(src|href|srcset|poster)\s*=\s*[\"']?\s*((?:[a-z][a-z0-9+.-]*:)?//[^\"'\s>]*)",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]*)", re.IGNORECASE)
_IMPORT = re.compile(r"@import", re.IGNORECASE)


def external_refs(html: str) -> list[str]:
    """Every external resource reference in a page (``<a href>`` links are not resources)."""
    bad = []
    parser = _Refs()
    parser.feed(html)
    for tag, name, value in parser.refs:
        if name == "style":
            bad += [u for u in _CSS_URL.findall(value) if not u.startswith(("data:", "#"))]
        elif tag != "a" and (_EXTERNAL.match(value) or not value.startswith(("data:", "#"))):
            bad.append(f"<{tag} {name}={value}>")
    # markup inside scripts and JSON data (popups): decode the JSON escapes, then only <a href>
    decoded = html.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"')
    for tag, name, value in _TAG_REF.findall(decoded):
        if tag.lower() != "a":
            bad.append(f"<{tag} {name}={value}> in script/data")
    # CSS: <style> blocks, and style attributes in markup and in the JSON payloads
    css = list(parser.styles)
    css += re.findall(r"style=\"([^\"]*)\"", decoded)
    for block in css:
        for value in _CSS_URL.findall(block):
            if not value.startswith(("data:", "#")) and value.strip():
                bad.append(f"url({value[:60]})")
        if _IMPORT.search(block):
            bad.append("@import")
    return bad


HOSTILE_NAMES = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    'Dera Ismail Khan\'s "bypass"',
    "گوادر",
    "زاهدان",
    "Մեղրի",
    "თბილისი",
    "Москва",
    "Naxçıvan",
)


def fc(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def line(coords: list[list[float]], **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coords},
        "properties": props,
    }


def point(lon: float, lat: float, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": props,
    }


def polygon(ring: list[list[float]], **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": props,
    }


SRC = [{"url": "https://example.org/source-a", "title": "Source A", "accessed": "2026"}]

PAK = [
    [61.0, 25.0],
    [66.8, 24.8],
    [71.0, 28.0],
    [75.0, 32.5],
    [74.5, 36.8],
    [71.0, 36.2],
    [69.2, 31.0],
    [61.0, 29.5],
    [61.0, 25.0],
]
IRN = [
    [44.0, 39.4],
    [48.0, 38.3],
    [54.0, 37.4],
    [61.0, 36.5],
    [61.0, 29.5],
    [61.0, 25.0],
    [57.0, 25.6],
    [51.0, 27.6],
    [48.2, 30.0],
    [46.0, 33.0],
    [44.2, 37.0],
    [44.0, 39.4],
]
AZE = [
    [45.0, 41.2],
    [46.6, 41.8],
    [49.0, 41.6],
    [50.4, 40.3],
    [48.9, 38.4],
    [48.0, 38.6],
    [46.6, 39.4],
    [45.2, 40.6],
    [45.0, 41.2],
]
GEO = [
    [40.0, 43.4],
    [42.6, 43.2],
    [46.6, 41.8],
    [45.0, 41.2],
    [43.4, 41.1],
    [41.5, 41.5],
    [40.0, 43.4],
]


def build_layers() -> list[LayerSpec]:
    """Three corridors, places with a chokepoint, a country basemap and a platform layer."""
    countries = LayerSpec(
        key="basemap:countries",
        title="Countries",
        group=(),
        kind="polygons",
        features=fc(
            [
                polygon(PAK, iso3="PAK", name="Pakistan"),
                polygon(IRN, iso3="IRN", name="Iran"),
                polygon(AZE, iso3="AZE", name="Azerbaijan"),
                polygon(GEO, iso3="GEO", name="Georgia"),
            ]
        ),
        order=100,
    )
    platform = LayerSpec(
        key="platform:aze-3plus3",
        title="3+3 members",
        group=("Azerbaijan's 3+3 platform",),
        kind="polygons",
        features=fc(
            [
                polygon(
                    AZE,
                    iso3="AZE",
                    name="Azerbaijan",
                    platform="3+3 regional platform",
                    members=["AZE", "ARM", "GEO", "IRN", "RUS", "TUR"],
                    meetings=[
                        {"date": "2023-10-23", "place": "Tehran", "level": "foreign ministers"},
                        {
                            "date": "2021-12-10",
                            "place": "Moscow",
                            "level": "deputy foreign ministers",
                        },
                    ],
                )
            ]
        ),
        order=0,
    )
    cpec = LayerSpec(
        key="corridor:cpec-plus",
        title="CPEC (core)",
        group=("CPEC+",),
        kind="lines",
        order=0,
        features=fc(
            [
                line(
                    [
                        [71.58, 34.01],
                        [73.05, 33.69],
                        [74.33, 31.55],
                        [68.37, 25.39],
                        [67.01, 24.86],
                    ],
                    id="ml1",
                    name="ML-1 Peshawar–Karachi",
                    corridor="cpec-plus",
                    corridor_name="CPEC",
                    mode="rail",
                    status="under_construction",
                    status_year=2020,
                    status_history=[["2015", "planned"], ["2020-06", "under_construction"]],
                    precision="traced",
                    length_km=1726.4,
                    published_length_km=1733,
                    effective_length_km=1800.2,
                    countries=["PAK"],
                    gauge_mm=1676,
                    sources=[
                        {"url": "https://example.org/ml1", "title": "ML-1 project page"},
                        {"url": "javascript:alert(1)", "title": "bad link"},
                    ],
                    note="Upgrade of the existing main line.",
                ),
                line(
                    [[62.33, 25.12], [64.5, 26.9], [66.99, 30.18]],
                    id="gwadar-quetta",
                    name="Gwadar–Quetta rail",
                    mode="rail",
                    status="planned",
                    status_history=[["2016", "proposed"], ["2018", "planned"]],
                    precision="schematic",
                    countries=["PAK"],
                    sources=SRC,
                ),
            ]
        ),
    )
    ncpec = LayerSpec(
        key="corridor:n-cpec-plus",
        title="N-CPEC+",
        group=("CPEC+",),
        kind="lines",
        order=1,
        features=fc(
            [
                line(
                    [[70.9, 31.83], [71.6, 33.0], [73.05, 33.69]],
                    id="di-khan-bypass",
                    name='Dera Ismail Khan\'s "bypass"',
                    mode="road",
                    status="operational",
                    status_history=[["2010", "planned"], ["2016", "operational"]],
                    countries=["PAK"],
                    sources=SRC,
                ),
                line(
                    [[66.99, 30.18], [65.7, 31.6], [62.2, 34.35]],
                    id="quetta-herat",
                    name="Quetta–Kandahar–Herat",
                    mode="road",
                    status="suspended",
                    precision="schematic",
                    countries=["PAK", "AFG"],
                    sources=SRC,
                ),
            ]
        ),
    )
    middle = LayerSpec(
        key="corridor:middle-corridor",
        title="Middle Corridor",
        group=("Other corridors",),
        kind="lines",
        order=0,
        features=fc(
            [
                line(
                    [[49.87, 40.41], [47.0, 41.0], [44.79, 41.72], [43.1, 40.6]],
                    id="btk",
                    name="Baku–Tbilisi–Kars",
                    mode="rail",
                    status="operational",
                    status_history=[
                        ["2007-11-21", "under_construction"],
                        ["2017-10-30", "operational"],
                    ],
                    gauge_mm=[1520, 1435],
                    countries=["AZE", "GEO", "TUR"],
                    sources=SRC,
                    route=True,
                ),
                line(
                    [[51.2, 43.65], [50.3, 42.0], [49.87, 40.41]],
                    id="aktau-baku",
                    name="Aktau–Baku ferry",
                    mode="ferry",
                    status="operational",
                    countries=["KAZ", "AZE"],
                    sources=SRC,
                ),
                line(
                    [[53.0, 40.0], [50.5, 39.2], [49.0, 38.9]],
                    id="caspian-south",
                    name="South Caspian link",
                    mode="sea",
                    status="cancelled",
                    sources=SRC,
                    closed=True,
                ),
                line(
                    [[76.9, 43.25], [49.87, 40.41]],
                    id="almaty-baku-air",
                    name="Almaty–Baku air",
                    mode="air",
                    status="operational",
                    sources=SRC,
                ),
            ]
        ),
    )
    aze = LayerSpec(
        key="corridor:aze-3plus3",
        title="Zangezur link",
        group=("Azerbaijan's 3+3 platform",),
        kind="lines",
        order=1,
        features=fc(
            [
                line(
                    [[45.41, 39.2], [46.24, 38.9], [46.8, 39.1]],
                    id="naxcivan-meghri",
                    name="Naxçıvan – Մեղրի rail",
                    mode="rail",
                    status="proposed",
                    status_history=[["2020-11-10", "proposed"]],
                    precision="schematic",
                    countries=["AZE", "ARM"],
                    sources=SRC,
                )
            ]
        ),
    )
    nodes = LayerSpec(
        key="nodes:places",
        title="Places",
        group=("Places",),
        kind="points",
        features=fc(
            [
                point(
                    62.33,
                    25.12,
                    id="gwadar",
                    name="Gwadar",
                    aliases=["گوادر"],
                    country="PAK",
                    kind="seaport",
                    precision="exact",
                    sources=SRC,
                ),
                point(
                    60.86,
                    29.5,
                    id="zahedan",
                    name="Zahedan",
                    aliases=["زاهدان"],
                    country="IRN",
                    kind="city",
                    precision="exact",
                    sources=SRC,
                ),
                point(
                    46.24,
                    38.9,
                    id="meghri",
                    name="Meghri",
                    aliases=["Մեղրի"],
                    country="ARM",
                    kind="border_crossing",
                    precision="exact",
                    sources=SRC,
                ),
                point(
                    44.79,
                    41.72,
                    id="tbilisi",
                    name="Tbilisi",
                    aliases=["თბილისი"],
                    country="GEO",
                    kind="capital",
                    precision="exact",
                    sources=SRC,
                ),
                point(
                    37.62,
                    55.75,
                    id="moscow",
                    name="Moscow",
                    aliases=["Москва"],
                    country="RUS",
                    kind="capital",
                    precision="exact",
                    sources=SRC,
                ),
                point(
                    45.41,
                    39.2,
                    id="nakhchivan",
                    name="Nakhchivan",
                    aliases=["Naxçıvan"],
                    country="AZE",
                    kind="city",
                    precision="approximate",
                    note="City centre.",
                    sources=SRC,
                ),
                point(
                    56.25,
                    26.57,
                    id="hormuz",
                    name="Strait of Hormuz",
                    aliases=["تنگه هرمز"],
                    country="IRN",
                    kind="chokepoint",
                    precision="exact",
                    sources=SRC,
                ),
            ]
        ),
    )
    return [countries, platform, cpec, ncpec, middle, aze, nodes]


def build_hostile_layers() -> list[LayerSpec]:
    """The sample layers plus layers, groups and features named with hostile strings."""
    layers = build_layers()
    feats = [
        point(
            60.0 + i,
            35.0,
            id=f"hostile-{i}",
            name=name,
            aliases=[name + " alias"],
            kind="city",
            note=name,
            sources=[{"url": "https://example.org/?q=" + str(i), "title": name}],
        )
        for i, name in enumerate(HOSTILE_NAMES)
    ]
    layers.append(
        LayerSpec(
            key="nodes:hostile",
            title=HOSTILE_NAMES[0],
            group=(HOSTILE_NAMES[1],),
            kind="points",
            features=fc(feats),
        )
    )
    layers.append(
        LayerSpec(
            key="corridor:hostile",
            title=HOSTILE_NAMES[2],
            group=("Other corridors",),
            kind="lines",
            features=fc(
                [
                    line(
                        [[58.0, 36.0], [59.0, 37.0]],
                        id="hostile-line",
                        name=HOSTILE_NAMES[1],
                        note=HOSTILE_NAMES[0] + "\u2028\u2029<!--",
                        mode="road",
                        status="planned",
                    )
                ]
            ),
        )
    )
    return layers


class _Tokens(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[Any, ...]] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("<", tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag):
        self.tokens.append(("/", tag))

    def handle_data(self, data):
        if self.tokens and self.tokens[-1][0] == "t":
            self.tokens[-1] = ("t", self.tokens[-1][1] + data)
        else:
            self.tokens.append(("t", data))


def html_tokens(html: str) -> list[tuple[Any, ...]]:
    """Tags (attributes sorted) and text of an HTML fragment, to compare markup that
    differs only in how it is serialised (quotes, entity spelling, attribute order)."""
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return [t for t in parser.tokens if t != ("/", "br")]


def build_derived_layers() -> list[LayerSpec]:
    """Segments and places whose popup rows, search terms and details the map derives, with
    odd properties (unknown kind and mode, non-text ids and aliases, a precision the map
    does not derive) that it must not derive wrongly."""
    return [
        LayerSpec(
            key="corridor:x",
            title="X",
            group=(),
            kind="lines",
            features=fc(
                [
                    line(
                        [[50.0, 40.0], [51.0, 41.0]],
                        id="a",
                        name="A",
                        mode="rail",
                        precision="schematic",
                        status="operational",
                        length_km=140.4,
                    ),
                    line(
                        [[50.0, 40.0], [51.0, 42.0]],
                        id="b",
                        name="B",
                        mode="hyper_loop",
                        precision="traced",
                        length_km=230.0,
                        effective_length_km=250,
                        status="planned",
                        status_history=[
                            ["2015", "planned"],
                            ["2019-05", "under_construction"],
                            ["2020", "planned"],
                            ["2021", "planned"],
                        ],
                    ),
                    line(
                        [[50.0, 40.0], [52.0, 41.0]],
                        id="c",
                        name="C",
                        status_history=[["2010", "operational"]],
                    ),
                    line(
                        [[50.0, 40.0], [52.0, 42.0]],
                        id=7.0,
                        name="D",
                        mode="road_link",
                        status="dreamt",
                        status_year=2001,
                    ),
                    line(
                        [[50.0, 40.0], [53.0, 42.0]],
                        id="e",
                        name="E",
                        mode="rail",
                        status="operational",
                        status_year=2017,
                    ),
                    line(
                        [[50.0, 40.0], [53.0, 43.0]],
                        id="f",
                        name="F",
                        mode="rail",
                        status="operational",
                        status_history=[["2018-06-01", "operational"]],
                    ),
                    line(
                        [[50.0, 40.0], [53.0, 44.0]],
                        id="g",
                        name="G",
                        mode="rail",
                        status="operational",
                        status_history=[["2020", "operational"], [" 2016", "planned"]],
                    ),
                ]
            ),
        ),
        LayerSpec(
            key="nodes:x",
            title="Places",
            group=(),
            kind="points",
            features=fc(
                [
                    point(
                        50.0,
                        40.0,
                        id="p",
                        name="P",
                        kind="city",
                        country="AZE",
                        aliases=["Pé", "P", "Pé", 12],
                        precision="exact",
                    ),
                    point(
                        50.5,
                        40.0,
                        id="q",
                        name="Q",
                        kind="spaceport",
                        country=7,
                        precision="approximate",
                    ),
                    point(51.0, 40.0, id="r", name="R", kind="seaport", precision="surveyed"),
                    point(51.5, 40.0, id="s", name="S", kind="city", aliases=["s", "S", "S2"]),
                    point(52.0, 40.0, id=3.0, name="T", kind="pass", aliases=[]),
                ]
            ),
        ),
    ]
