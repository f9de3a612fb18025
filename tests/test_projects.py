"""projects.geojson: the parser's bad inputs, what reaches the atlas, and the bundled data.

The mini atlas (tests/conftest.py) gets a ``projects.geojson`` of three projects: a plant
at a point, a line and one on segment ``s2``. Each bad case mutates one of them and checks
the located problem (file, place, code, message); the CLI exits 1 without a traceback.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridors.cli.main import main
from corridors.io.geodata import load_atlas, validate_geodata
from corridors.io.geodata.context import IdRegistry, Record
from corridors.io.geodata.projects import parse_project
from corridors.model import Project, StatusChange
from corridors.vocab import PROJECT_SECTORS, PROJECT_UNITS

SRC = [{"url": "https://example.org/p", "title": "p", "accessed": "2026-12"}]


def _feature(geometry: Any, **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def projects() -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            _feature(
                {"type": "Point", "coordinates": [3.0, 5.0]},
                id="plant",
                name="Alpha plant",
                sector="power",
                country="AAA",
                status="operational",
                status_history=[
                    {"date": "2015-07", "status": "under_construction"},
                    {"date": "2017-07-03", "status": "operational"},
                ],
                precision="site",
                capacity=1320,
                capacity_unit="MW",
                cost_usd_m=1600,
                cost_year=2017,
                financiers=["Bank A", "Bank B"],
                corridors=["land"],
                sources=SRC,
            ),
            _feature(
                {"type": "LineString", "coordinates": [[2.0, 5.0], [6.0, 5.0]]},
                id="cable",
                name="Alpha cable",
                sector="fibre",
                country="AAA",
                status="planned",
                precision="schematic",
                capacity=40,
                capacity_unit="km",
                corridors=["root"],
                sources=SRC,
            ),
            _feature(
                None,
                id="motorway",
                name="Gate - Beta motorway",
                sector="road",
                country="BBB",
                status="under_construction",
                status_history=[{"date": "2020-05", "status": "under_construction"}],
                precision="schematic",
                segment="s2",
                sources=SRC,
            ),
        ],
    }


@pytest.fixture
def with_projects(make_atlas_dir):
    def build(mutate=None):
        doc = projects()
        if mutate is not None:
            mutate(doc)

        def add(data: dict[str, Any]) -> None:
            data["projects.geojson"] = doc

        return make_atlas_dir(add)

    return build


def test_projects_reach_the_atlas(with_projects):
    atlas = load_atlas(with_projects())
    assert list(atlas.projects) == ["plant", "cable", "motorway"]
    plant = atlas.projects["plant"]
    assert plant.lonlat == (3.0, 5.0) and plant.mw == 1320.0
    assert (plant.cost_usd_m, plant.cost_year) == (1600.0, 2017)
    assert plant.financiers == ("Bank A", "Bank B") and plant.corridors == ("land",)
    assert plant.status_in("2017-06") == "under_construction"
    assert plant.status_in(2017) == "operational" and plant.status_in(2014) is None
    cable = atlas.projects["cable"]
    assert cable.mw is None and cable.capacity_unit == "km" and len(cable.coords) == 2
    # a project on a segment takes the segment's line
    assert atlas.projects["motorway"].coords == atlas.segments["s2"].coords


def _p(i: int, **changes: Any):
    def mutate(doc: dict[str, Any]) -> None:
        props = doc["features"][i]["properties"]
        for k, v in changes.items():
            if v is _DROP:
                props.pop(k, None)
            else:
                props[k] = v

    return mutate


def _geom(i: int, geometry: Any):
    def mutate(doc: dict[str, Any]) -> None:
        doc["features"][i]["geometry"] = geometry

    return mutate


_DROP = object()
P = "/features/0/properties"

BAD = [
    ("sector", _p(0, sector="energy"), "bad-sector", f"{P}/sector", ("unknown sector",)),
    ("unit", _p(0, capacity_unit="GW"), "bad-capacity_unit", f"{P}/capacity_unit", ("'GW'",)),
    ("unit-missing", _p(0, capacity_unit=_DROP), "missing-field", f"{P}/capacity_unit", ("unit",)),
    ("capacity-text", _p(0, capacity="1320"), "field-type", f"{P}/capacity", ("number",)),
    ("capacity-negative", _p(0, capacity=-5), "bad-number", f"{P}/capacity", ("positive",)),
    ("cost-year-missing", _p(0, cost_year=_DROP), "missing-field", f"{P}/cost_year", ("year",)),
    ("cost-year-range", _p(0, cost_year=20017), "bad-year", f"{P}/cost_year", ("20017",)),
    ("corridor", _p(0, corridors=["lnd"]), "unknown-corridor", f"{P}/corridors/0", ("'land'",)),
    ("precision", _p(0, precision="exact"), "bad-precision", f"{P}/precision", ("'exact'",)),
    (
        "point-schematic",
        _p(0, precision="schematic"),
        "precision-geometry",
        f"{P}/precision",
        ("a Point takes precision",),
    ),
    (
        "line-site",
        _p(1, precision="site"),
        "precision-geometry",
        "/features/1/properties/precision",
        ("'schematic'",),
    ),
    ("no-source", _p(0, sources=[]), "no-source", f"{P}/sources", ("no source",)),
    ("unknown-key", _p(0, capacity_mw=5), "unknown-key", f"{P}/capacity_mw", ("property",)),
    ("status", _p(0, status="done"), "bad-status", f"{P}/status", ("'done'",)),
    (
        "history-mismatch",
        _p(0, status="planned"),
        "history-mismatch",
        f"{P}/status_history",
        ("last history entry",),
    ),
    ("iso3", _p(0, country="aa"), "bad-iso3", f"{P}/country", ("alpha-3",)),
    (
        "swapped",
        _geom(0, {"type": "Point", "coordinates": [5.0, 200.0]}),
        "coord-lat-range",
        "/features/0/geometry/coordinates",
        ("[lon, lat]",),
    ),
    (
        "segment-unknown",
        _p(2, segment="s9"),
        "unknown-segment",
        "/features/2/properties/segment",
        ("'s9'",),
    ),
    (
        "segment-and-geometry",
        _geom(2, {"type": "Point", "coordinates": [3.0, 5.0]}),
        "segment-and-geometry",
        "/features/2/properties/segment",
        ("null",),
    ),
    ("duplicate-id", _p(1, id="plant"), "duplicate-id", "/features/1", ("duplicate id",)),
    (
        "outside-country",
        _geom(0, {"type": "Point", "coordinates": [15.0, 5.0]}),
        "point-outside-country",
        "/features/0/geometry",
        ("id=plant", "'AAA'"),
    ),
]


@pytest.mark.parametrize(
    ("case", "mutate", "code", "where", "fragments"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_project_is_reported(with_projects, case, mutate, code, where, fragments):
    result = validate_geodata([with_projects(mutate)])
    assert result.atlas is None, f"{case}: expected validation to fail"
    hits = [p for p in result.errors if p.code == code and p.file.endswith("projects.geojson")]
    assert hits, f"{case}: no {code}: " + "; ".join(p.format() for p in result.problems)
    assert hits[0].where.startswith(where), (hits[0].where, where)
    text = hits[0].format()
    for frag in fragments:
        assert frag in text, f"{case}: {frag!r} not in {text!r}"


def test_bad_projects_file_exits_1_without_traceback(with_projects, capsys):
    assert main(["validate", str(with_projects(_p(0, sector="energy")))]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "projects.geojson" in err and "bad-sector" in err


def test_list_projects_json(with_projects, capsys):
    assert main(["list", "projects", "--json", "--geodata", str(with_projects())]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["plant", "cable", "motorway"]
    assert rows[0]["mw"] == 1320.0 and rows[0]["status_history"][0]["date"] == "2015-07"
    assert rows[0]["sources"][0]["url"] == "https://example.org/p"


def test_projects_frame(with_projects):
    frame = load_atlas(with_projects()).to_geodataframe("projects")
    assert list(frame.index) == ["plant", "cable", "motorway"]
    assert frame.loc["plant", "operational_since"] == "2017-07-03"
    assert frame.loc["cable"].geometry.geom_type == "LineString"
    assert frame.crs.to_epsg() == 4326


def test_project_model_refuses_half_a_capacity():
    with pytest.raises(ValueError, match="capacity"):
        Project("x", "X", "power", "AAA", "planned", ((1.0, 2.0),), "site", capacity=5.0)
    with pytest.raises(ValueError, match="sector"):
        Project("x", "X", "steel", "AAA", "planned", ((1.0, 2.0),), "site")


# --- any input: a located problem or a project, never an exception -------------------------

_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.text(max_size=4), max_size=3),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "sector",
                "capacity",
                "capacity_unit",
                "cost_usd_m",
                "cost_year",
                "precision",
                "corridors",
                "financiers",
                "aiddata_id",
                "status",
                "segment",
            ]
        ),
        _values,
        max_size=4,
    )
)
def test_any_project_fields_give_a_project_or_located_problems(changes):
    feat = copy.deepcopy(projects()["features"][0])
    feat["properties"].update(changes)
    from corridors.io.geodata.context import Context

    rec = Record.from_feature(0, feat, Context("projects.geojson"))
    parsed = parse_project(rec, IdRegistry(), {"land": None, "root": None}, {}, max_vertices=100)
    errors = [p for p in parsed.problems if p.severity == "error"]
    if parsed.value is None:
        assert errors and all(p.file == "projects.geojson" and p.where for p in errors)
    else:
        assert not errors
        assert parsed.value.sector in PROJECT_SECTORS
        assert parsed.value.capacity_unit in (None, *PROJECT_UNITS)


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(PROJECT_SECTORS),
    st.floats(0.001, 1e6, allow_nan=False),
    st.sampled_from(PROJECT_UNITS),
    st.integers(1800, 2100),
    st.lists(st.dates().map(lambda d: d.isoformat()), min_size=1, max_size=4, unique=True),
)
def test_valid_projects_round_trip(sector, capacity, unit, year, dates):
    dates = sorted(dates)
    feat = copy.deepcopy(projects()["features"][0])
    feat["properties"].update(
        sector=sector,
        capacity=capacity,
        capacity_unit=unit,
        cost_year=year,
        status="operational",
        status_history=[{"date": d, "status": "operational"} for d in dates],
    )
    from corridors.io.geodata.context import Context

    rec = Record.from_feature(0, feat, Context("projects.geojson"))
    parsed = parse_project(rec, IdRegistry(), {"land": None}, {}, max_vertices=100)
    p = parsed.value
    assert p is not None, [x.format() for x in parsed.problems]
    assert (p.sector, p.capacity, p.capacity_unit, p.cost_year) == (sector, capacity, unit, year)
    assert p.status_history == tuple(StatusChange(d, "operational") for d in dates)
    assert p.status_in(dates[0]) == "operational"


# --- the bundled projects ---------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    return load_atlas()


def test_bundled_projects_meet_the_issue(bundled, capsys):
    assert main(["list", "projects", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) >= 30
    cpec = {c for c in bundled.corridors if "cpec-core" in bundled.corridor_lineage(c)}
    power = [r for r in rows if r["sector"] == "power" and r["mw"] and cpec & set(r["corridors"])]
    assert len(power) >= 10
    for r in rows:
        assert r["sources"], r["id"]
        assert r["status_history"], r["id"]  # the year filter needs a first date


def test_bundled_footprints_come_from_aiddata(bundled):
    located = [p for p in bundled.projects.values() if p.precision in ("footprint", "area")]
    assert located
    for p in located:
        assert p.aiddata_id is not None, p.id
        assert any("aiddata" in s.url for s in p.sources), p.id


# --- reports and the map ------------------------------------------------------------------


def test_project_table_by_corridor_and_status_on_a_date(with_projects):
    from corridors.analytics.report import project_table

    atlas = load_atlas(with_projects())
    rows = {(r.corridor, r.status): r for r in project_table(atlas).itertuples()}
    # the plant counts in its corridor and in the corridor's parent; the cable in root only
    assert rows[("land", "operational")].power_mw == 1320.0
    assert rows[("root", "operational")].cost_usd_m == 1600.0
    assert rows[("root", "planned")].projects == 1 and rows[("root", "planned")].without_cost == 1
    assert rows[("all", "under_construction")].projects == 1  # the motorway, in no corridor
    assert ("land", "under_construction") not in rows
    then = {(r.corridor, r.status): r for r in project_table(atlas, "2016").itertuples()}
    assert then[("land", "under_construction")].power_mw == 1320.0
    assert ("land", "operational") not in then
    # before its first dated entry a project is left out; the cable has no history
    early = project_table(atlas, 2010)
    assert set(early["corridor"]) == {"root", "all"} and early["projects"].sum() == 2


def test_report_has_the_projects_table(with_projects):
    from corridors.analytics.report import report

    rep = report(load_atlas(with_projects()), "full-vision", hubs=[])
    assert "projects" in rep.tables() and rep.summary["projects"] == 3
    assert "## Projects per corridor and status" in rep.to_markdown()
    assert "projects,land / operational,power_mw,1320.0" in rep.to_csv()


def test_projects_layers_by_sector(with_projects):
    from corridors.maps.atlas import atlas_layers

    layers = {x.key: x for x in atlas_layers(load_atlas(with_projects())) if x.role == "projects"}
    assert list(layers) == ["projects:power", "projects:road", "projects:fibre"]
    power = layers["projects:power"]
    assert power.kind == "points" and power.group == ("Projects",)
    props = power.features["features"][0]["properties"]
    assert props["capacity"] == "1,320 MW" and props["cost_usd_bn"] == "1.60 (2017 US$)"
    assert layers["projects:fibre"].kind == "lines"
