"""services.toml, events.toml and atlas.toml: bad inputs, dated statuses and closures.

The mini atlas (tests/conftest.py): alpha -s1 rail- gate (border AAA-BBB) -s2 road- beta
-s3 sea- gamma. s2 is planned from 2010 and under construction from 2020-05.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridors.errors import RouteNotFound, ScenarioError
from corridors.io.geodata import load_atlas, validate_geodata
from corridors.model import Event, Service, StatusChange, date_span, point_in_time
from corridors.network.routing import route
from corridors.network.services import best_status, services_on
from corridors.scenario import Scenario
from corridors.scenario.resolve import resolve_scenario

SRC = 'sources = [{url = "https://example.org/s", title = "s", accessed = "2026-11"}]\n'

SERVICE = (
    "[[service]]\n"
    'id = "ab-train"\n'
    'name = "Alpha - Beta train"\n'
    'kind = "train"\n'
    'segments = ["s1", "s2"]\n'
    'stops = ["alpha", "beta"]\n'
    'status = "suspended"\n'
    'status_history = [{date = "2019-05-01", status = "operational", '
    'url = "https://example.org/a"}, {date = "2022-08", status = "suspended"}]\n' + SRC
)
EVENT = (
    "[[event]]\n"
    'id = "gate-closed"\n'
    'kind = "closure"\n'
    'start = "2025-10-12"\n'
    'end = "2026-01"\n'
    'targets = ["border:AAA-BBB"]\n'
    'note = "crossings shut after clashes"\n' + SRC
)
ATLAS = 'as_of = "2025-12-01"\n'


def _with(files: dict[str, str]) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        d.update(files)

    return mutate


def _svc(old: str, new: str) -> dict[str, str]:
    assert old in SERVICE
    return {"services.toml": SERVICE.replace(old, new, 1)}


def _ev(old: str, new: str) -> dict[str, str]:
    assert old in EVENT
    return {"events.toml": EVENT.replace(old, new, 1)}


# (case, files, file, code, where, fragments)
BAD = [
    (
        "unknown-segment",
        _svc('["s1", "s2"]', '["s1", "s2x"]'),
        "services.toml",
        "unknown-segment",
        "service[0].segments[1]",
        ("unknown segment 's2x'", "did you mean 's2'"),
    ),
    (
        "chain-gap",
        _svc('["s1", "s2"]', '["s1", "s3"]'),
        "services.toml",
        "broken-chain",
        "service[0].segments[1]",
        ("gap in the service's chain", "'s1' (alpha → gate)", "'s3' (beta → gamma)"),
    ),
    (
        "unknown-stop",
        _svc('["alpha", "beta"]', '["alfa", "beta"]'),
        "services.toml",
        "unknown-node",
        "service[0].stops[0]",
        ("unknown node 'alfa'", "did you mean 'alpha'"),
    ),
    (
        "bad-status",
        _svc('status = "suspended"\n', 'status = "running"\n'),
        "services.toml",
        "bad-status",
        "service[0].status",
        ("unknown status 'running'",),
    ),
    (
        "under-construction-is-not-a-service-status",
        _svc('status = "suspended"\n', 'status = "under_construction"\n'),
        "services.toml",
        "bad-status",
        "service[0].status",
        ("unknown status 'under_construction'",),
    ),
    (
        "bad-kind",
        _svc('kind = "train"', 'kind = "bus"'),
        "services.toml",
        "bad-kind",
        "service[0].kind",
        ("unknown kind 'bus'", "train"),
    ),
    (
        "history-order",
        _svc('date = "2019-05-01"', 'date = "2023-05-01"'),
        "services.toml",
        "history-order",
        "service[0].status_history",
        ("not in date order", "sort the entries"),
    ),
    (
        "history-mismatch",
        _svc('{date = "2022-08", status = "suspended"}', '{date = "2022-08", status = "planned"}'),
        "services.toml",
        "history-mismatch",
        "service[0].status_history",
        ("differs from the last history entry 'planned'",),
    ),
    (
        "history-url",
        _svc("https://example.org/a", "ftp://example.org/a"),
        "services.toml",
        "bad-source-url",
        "service[0].status_history[0].url",
        ("http(s)",),
    ),
    (
        "history-bad-day",
        _svc('"2019-05-01"', '"2019-02-30"'),
        "services.toml",
        "bad-date",
        "service[0].status_history[0].date",
        ("day out of range", "'2019-02-30'"),
    ),
    (
        "duplicate-id",
        {"services.toml": SERVICE + "\n" + SERVICE},
        "services.toml",
        "duplicate-id",
        "service[1]",
        ("duplicate id 'service:ab-train'",),
    ),
    (
        "source-url",
        _svc("https://example.org/s", "example.org/s"),
        "services.toml",
        "bad-source-url",
        "service[0].sources[0].url",
        ("http(s)",),
    ),
    (
        "unknown-key",
        _svc("segments =", "segmants ="),
        "services.toml",
        "unknown-key",
        "service[0].segmants",
        ("did you mean 'segments'",),
    ),
    (
        "event-target-kind",
        _ev('"border:AAA-BBB"', '"bordr:AAA-BBB"'),
        "events.toml",
        "bad-target",
        "event[0].targets[0]",
        ("bad event target 'bordr:AAA-BBB'", "did you mean 'border'"),
    ),
    (
        "event-border-order",
        _ev('"border:AAA-BBB"', '"border:BBB-AAA"'),
        "events.toml",
        "bad-border",
        "event[0].targets[0]",
        ("not in alphabetical order", "write 'border:AAA-BBB'"),
    ),
    (
        "event-unknown-country",
        _ev('"border:AAA-BBB"', '"border:AAA-BBC"'),
        "events.toml",
        "unknown-country",
        "event[0].targets[0]",
        ("unknown country 'BBC'", "did you mean 'BBB'"),
    ),
    (
        "event-unknown-node",
        _ev('"border:AAA-BBB"', '"node:gaet"'),
        "events.toml",
        "unknown-node",
        "event[0].targets[0]",
        ("unknown node 'gaet'", "did you mean 'gate'"),
    ),
    (
        "event-unknown-segment",
        _ev('"border:AAA-BBB"', '"segment:s4"'),
        "events.toml",
        "unknown-segment",
        "event[0].targets[0]",
        ("unknown segment 's4'",),
    ),
    (
        "event-ends-before-start",
        _ev('end = "2026-01"', 'end = "2025-10"'),
        "events.toml",
        "event-order",
        "event[0].end",
        ("ends (2025-10) before or when it starts (2025-10-12)",),
    ),
    (
        "event-bad-start",
        _ev('start = "2025-10-12"', 'start = "2025-10-32"'),
        "events.toml",
        "bad-date",
        "event[0].start",
        ("day out of range",),
    ),
    (
        "event-missing-start",
        _ev('start = "2025-10-12"\n', ""),
        "events.toml",
        "missing-field",
        "event[0].start",
        ("missing 'start'",),
    ),
    (
        "event-kind",
        _ev('kind = "closure"', 'kind = "strike"'),
        "events.toml",
        "bad-kind",
        "event[0].kind",
        ("unknown kind 'strike'", "closure"),
    ),
    (
        "event-mode",
        _ev('targets = ["border:AAA-BBB"]', 'targets = ["border:AAA-BBB"]\nmodes = ["rial"]'),
        "events.toml",
        "bad-mode",
        "event[0].modes[0]",
        ("unknown mode 'rial'", "did you mean 'rail'"),
    ),
    (
        "event-no-targets",
        _ev('targets = ["border:AAA-BBB"]', "targets = []"),
        "events.toml",
        "field-type",
        "event[0].targets",
        ("non-empty list",),
    ),
    (
        "atlas-bad-as-of",
        {"atlas.toml": 'as_of = "2026-13-01"\n'},
        "atlas.toml",
        "bad-date",
        "as_of",
        ("month out of range",),
    ),
    (
        "atlas-unknown-key",
        {"atlas.toml": 'as_of = "2026-12-01"\nasof = 1\n'},
        "atlas.toml",
        "unknown-key",
        "asof",
        ("did you mean 'as_of'",),
    ),
]


@pytest.mark.parametrize(
    ("case", "files", "file", "code", "where", "fragments"), BAD, ids=[c[0] for c in BAD]
)
def test_bad_services_events_atlas(make_atlas_dir, case, files, file, code, where, fragments):
    base = {"services.toml": SERVICE, "events.toml": EVENT, "atlas.toml": ATLAS}
    directory = make_atlas_dir(_with({**base, **files}))
    result = validate_geodata([directory])
    assert result.atlas is None, f"{case}: expected validation to fail"
    hits = [p for p in result.errors if p.code == code and p.file.endswith(file)]
    assert hits, f"{case}: no {code} in {file}: " + "; ".join(p.format() for p in result.problems)
    assert hits[0].where == where
    text = hits[0].format()
    for frag in fragments:
        assert frag in text, f"{case}: {frag!r} not in {text!r}"


@pytest.fixture
def mini(make_atlas_dir):
    def build(**files: str):
        base = {"services.toml": SERVICE, "events.toml": EVENT, "atlas.toml": ATLAS}
        return load_atlas(make_atlas_dir(_with({**base, **files})))

    return build


def test_services_events_and_as_of_reach_the_atlas(mini):
    atlas = mini()
    assert atlas.as_of == "2025-12-01"
    svc = atlas.services["ab-train"]
    assert svc.segments == ("s1", "s2") and svc.stops == ("alpha", "beta")
    assert [s.id for s in atlas.services_on("s2")] == ["ab-train"]
    assert atlas.events["gate-closed"].targets == ("border:AAA-BBB",)
    # a service never changes the status of its track
    assert atlas.segments["s1"].status == "operational"


def test_segment_status_on_full_dates(mini):
    s2 = mini().segments["s2"]  # planned 2010, under_construction 2020-05
    assert s2.status_in("2020-04-30") == "planned"
    assert s2.status_in("2020-05-01") == "under_construction"
    assert s2.status_in("2020-05") == "under_construction"
    assert s2.status_in(2020) == "under_construction"
    assert s2.status_in(dt.date(2009, 12, 31)) is None


def _uc() -> Scenario:
    return Scenario(name="uc", status="under_construction")


def test_event_closes_the_border_on_its_dates_only(mini):
    atlas = mini()
    before = route(atlas, _uc().at_date("2025-10-11"), "alpha", "beta")
    assert before.segments == ("s1", "s2")
    for day in ("2025-10-12", "2025-12-31"):
        with pytest.raises(RouteNotFound) as exc:
            route(atlas, _uc().at_date(day), "alpha", "beta")
        msg = str(exc.value)
        assert "border AAA-BBB (event gate-closed, since 2025-10-12 until 2026-01" in msg
        assert "crossings shut after clashes" in msg
    after = route(atlas, _uc().at_date("2026-01-01"), "alpha", "beta")
    assert after.segments == ("s1", "s2")
    # a year means its last day: the closure is in force at the end of 2025, not of 2026
    assert resolve_scenario(atlas, _uc().at_year(2025)).events == ("gate-closed",)
    assert resolve_scenario(atlas, _uc().at_year(2026)).events == ()


def test_without_as_of_the_atlas_date_applies_and_can_be_lifted(mini):
    atlas = mini()  # as_of 2025-12-01: the closure is in force
    r = resolve_scenario(atlas, _uc())
    assert r.events == ("gate-closed",)
    assert "AAA-BBB" in r.closed_borders
    for lifted in (
        _uc().reopen("border:AAA-BBB"),
        _uc().reopen("border:BBB-AAA"),
        _uc().reopen("gate-closed"),
        _uc().ignoring_events(),
        _uc().close("s3").without_closures(),
    ):
        assert resolve_scenario(atlas, lifted).events == ()
        assert route(atlas, lifted, "alpha", "beta").segments == ("s1", "s2")
    # a scenario closure of the same border stays whatever the events
    assert (
        "AAA-BBB"
        in resolve_scenario(atlas, _uc().reopen("gate-closed").close("AAA-BBB")).closed_borders
    )


def test_event_modes_limit_the_closure(mini):
    ev = EVENT.replace(
        'targets = ["border:AAA-BBB"]', 'targets = ["border:AAA-BBB"]\nmodes = ["road"]'
    )
    atlas = mini(**{"events.toml": ev})
    from corridors.network.graph import build_network

    def closed(scenario: Scenario) -> set[str]:
        net = build_network(atlas, scenario)
        return {net.pieces[p].segment for p in net.closed}

    # the road is closed at the border, the rail s1 still reaches it
    assert closed(_uc()) - closed(_uc().ignoring_events()) == {"s2"}
    assert "s1" not in closed(_uc())


def test_unknown_reopen_is_reported(mini):
    with pytest.raises(ScenarioError) as exc:
        resolve_scenario(mini(), _uc().reopen("gate-clsoed"))
    p = exc.value.problems[0]
    assert p.code == "unknown-event"
    assert "did you mean 'gate-closed'" in p.format()


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        ("2025-13", "bad-date", "month out of range"),
        ("2023-02-29", "bad-date", "day out of range"),
        ("soon", "bad-date", "'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'"),
        (2.5, "bad-date", "a year or a date string"),
        (True, "bad-date", "a year or a date string"),
    ],
)
def test_bad_scenario_dates(value, code, fragment):
    with pytest.raises(ScenarioError) as exc:
        Scenario(as_of=value)
    p = exc.value.problems[0]
    assert p.code == code and fragment in p.format()
    assert "2023-06-01" in p.format()  # the hint shows the accepted form


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ('as_of = "2025-13"\n', "bad-date", "month out of range"),
        ("as_of = 1.5\n", "field-type", "a year or a date"),
        ("ignore_events = 1\n", "field-type", "ignore_events = true or false"),
    ],
)
def test_bad_scenario_dates_in_toml(tmp_path, text, code, fragment):
    from corridors.scenario.toml import load_scenario

    path = tmp_path / "s.toml"
    path.write_text('name = "s"\n' + text, encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    p = exc.value.problems[0]
    assert p.code == code and fragment in p.format() and p.file.endswith("s.toml")


def test_scenario_toml_reads_dates_and_event_options(tmp_path):
    from corridors.scenario.toml import load_scenario

    path = tmp_path / "s.toml"
    path.write_text(
        'name = "s"\nas_of = 2023-06-01\nignore_events = true\nreopen = ["border:AFG-PAK"]\n',
        encoding="utf-8",
    )
    s = load_scenario(path)
    assert (s.as_of, s.ignore_events, s.reopened) == ("2023-06-01", True, ("border:AFG-PAK",))
    path.write_text('name = "s"\nas_of = "2023-06"\n', encoding="utf-8")
    assert load_scenario(path).as_of == "2023-06"
    path.write_text('name = "s"\nas_of = 2030\n', encoding="utf-8")
    assert load_scenario(path).as_of == 2030


def test_ferry_crossing_takes_its_status_from_its_services(mini):
    ferry = (
        "[[service]]\n"
        'id = "bg-ferry"\nname = "Beta - Gamma ferry"\nkind = "ferry"\nsegments = ["s3"]\n'
        'status = "suspended"\nstatus_history = [{date = "2015", status = "operational"}, '
        '{date = "2024-03", status = "suspended"}]\n' + SRC
    )

    def ferry_seg(d: dict[str, Any]) -> None:
        d["segments.geojson"]["features"][2]["properties"]["mode"] = "ferry"

    atlas = mini(**{"services.toml": SERVICE + "\n" + ferry})
    atlas = replace(
        atlas,
        segments={**atlas.segments, "s3": replace(atlas.segments["s3"], mode="ferry")},
    )
    today = Scenario.today().ignoring_events()
    r = resolve_scenario(atlas, today)
    assert "s3" not in r.segments
    assert r.excluded["s3"] == "suspended (status of its services) (include_suspended = false)"
    r2020 = resolve_scenario(atlas, today.at_date("2020-06"))
    assert "s3" in r2020.segments and r2020.status["s3"] == "operational"
    assert "s3" not in resolve_scenario(atlas, today.at_date("2014-12-31")).segments
    # a land segment never takes its status from a service: s1 stays in, the train suspended
    assert "s1" in r.segments
    [svc] = services_on(atlas, "s1", "2025-12-01")
    assert (svc.status, svc.since) == ("suspended", "2022-08")


def test_iti_track_routes_today_while_the_train_is_reported_suspended():
    atlas = load_atlas()
    # the iti-* segments are the track (operational infrastructure); the train is a service
    assert all(atlas.segments[s].status == "operational" for s in ("iti-pak", "iti-irn", "iti-tur"))
    r = route(atlas, Scenario.today().with_modes("rail"), "quetta", "tabriz")
    assert "iti-irn" in r.segments
    legs = [leg for leg in r.legs if leg.segment == "iti-irn"]
    labels = {s.id: s.label() for s in legs[0].services}
    assert labels["iti-container-train"].endswith("— suspended since 2022")
    assert "ITI" in r.summary() and "suspended since 2022" in r.summary()
    assert "suspended since 2022" in r._repr_html_()
    d = r.to_dict()
    leg = next(x for x in d["legs"] if x["segment"] == "iti-irn")
    assert leg["services"][0] == {
        "id": "iti-container-train",
        "name": "Islamabad - Tehran - Istanbul (ITI) container train",
        "kind": "train",
        "status": "suspended",
        "since": "2022",
    }
    # relaunched 2021-12-21; the 2022 suspension is dated by its year only, so it counts
    # from 2022-01-01
    iti = atlas.services["iti-container-train"]
    assert iti.status_in("2021-12-20") == "suspended"
    assert iti.status_in("2021-12-31") == "operational"
    assert iti.status_in("2022-01-01") == "suspended"


def test_bundled_hormuz_closure_has_its_dates():
    atlas = load_atlas()
    assert atlas.as_of == "2026-12-01"
    ev = atlas.events["hormuz-closure-2026-02-28"]
    assert not ev.in_force("2026-02-27") and ev.in_force("2026-02-28")
    assert ev.in_force("2026-04-07") and not ev.in_force("2026-04-08")
    r = resolve_scenario(atlas, Scenario.today().at_date("2026-03-15"))
    assert "hormuz" in r.closed_passages
    assert "hormuz" not in resolve_scenario(atlas, Scenario.today()).closed_passages


def _route_json(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "CORRIDORS_CACHE_DIR": "off"}
    argv = ["route", "Islamabad", "Istanbul", "--scenario", "full-vision", "--json"]
    code = f"import sys; from corridors.cli.main import main; sys.exit(main({argv!r}))"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout


def test_route_json_with_services_is_the_same_whatever_the_hash_seed():
    first = _route_json("0")
    assert '"iti-container-train"' in first
    assert _route_json("7") == first


# ---------------------------------------------------------------- dates (Hypothesis)
days = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31))


@given(days, st.sampled_from(["year", "month", "day"]))
def test_partial_dates_span_their_period(day, grain):
    text = {"year": f"{day.year:04d}", "month": day.isoformat()[:7], "day": day.isoformat()}[grain]
    first, last = date_span(text)
    assert first <= day <= last
    assert point_in_time(text) == last
    if grain == "day":
        assert first == last == day
    if grain == "year":
        assert point_in_time(day.year) == last == dt.date(day.year, 12, 31)


@given(st.lists(days, min_size=1, max_size=6, unique=True), days)
def test_status_in_is_the_last_entry_started(dates, query):
    dates = sorted(dates)
    statuses = ["operational", "suspended"]
    history = tuple(StatusChange(d.isoformat(), statuses[i % 2]) for i, d in enumerate(dates))
    svc = Service("x", "X", "train", ("s",), history[-1].status, history)
    started = [h for h in history if dt.date.fromisoformat(h.date) <= query]
    assert svc.status_in(query) == (started[-1].status if started else None)
    assert best_status([svc], query) == svc.status_in(query)


@given(days, days, days)
def test_event_in_force_between_start_and_end(a, b, query):
    start, end = min(a, b), max(a, b)
    if start == end:
        return
    ev = Event("e", "closure", start.isoformat(), ("node:x",), end=end.isoformat())
    assert ev.in_force(query) == (start <= query < end)
    open_ended = Event("e", "closure", start.isoformat(), ("node:x",))
    assert open_ended.in_force(query) == (start <= query)
