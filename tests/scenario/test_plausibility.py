"""Plausibility of routes: circuity, dependencies, warnings naming missing links, the
isolated-link scenario warning, and their text, JSON and HTML forms."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from gap_fixture import SRC, load_gap_atlas
from hypothesis import given, settings
from hypothesis import strategies as st

from corridors.errors import RouteNotFound, ScenarioError
from corridors.geo.geodesy import GEOD
from corridors.maps.routes import route_features, route_layer
from corridors.network import plausibility
from corridors.network.graph import build_network
from corridors.network.routing import route
from corridors.render.popups import line_popup
from corridors.render.style import StyleTable
from corridors.scenario import Scenario
from corridors.scenario.resolve import resolve_scenario

TODAY = Scenario.today()


@pytest.fixture(scope="module")
def gap_atlas(tmp_path_factory: pytest.TempPathFactory):
    return load_gap_atlas(tmp_path_factory.mktemp("gap") / "atlas")


@pytest.fixture(scope="module")
def script_atlas(tmp_path_factory: pytest.TempPathFactory):
    return load_gap_atlas(
        tmp_path_factory.mktemp("gap-script") / "atlas", mid_name="<script>alert(1)</script>"
    )


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(GEOD.inv(a[0], a[1], b[0], b[1])[2]) / 1000.0


# --------------------------------------------------------------------------- circuity
def test_golden_circuity_on_bundled_data(bundled_atlas) -> None:
    """Ankara → Istanbul in the full vision: one segment, ~483 km for ~352.7 km of great
    circle. Tolerances: 2 km on the great circle (node coordinates may be refined), 0.1 on
    the circuity (the segment's effective length may be re-measured)."""
    r = route(bundled_atlas, "full-vision", "ankara", "istanbul")
    assert r.geodesic_km == pytest.approx(352.7, abs=2.0)
    assert r.circuity == pytest.approx(1.37, abs=0.1)
    a, b = bundled_atlas.nodes["ankara"], bundled_atlas.nodes["istanbul"]
    assert r.geodesic_km == pytest.approx(_km(a.lonlat, b.lonlat), rel=1e-12)
    assert r.circuity == pytest.approx(r.length_km / r.geodesic_km, rel=1e-12)
    assert r.plausible and r.circuity_warn == 2.0


def test_gap_route_is_implausible_and_names_the_missing_link(gap_atlas) -> None:
    r = route(gap_atlas, TODAY, "w", "e")
    assert r.length_km == pytest.approx(3500.0)
    gc = _km((1.0, 5.0), (9.0, 5.0))
    assert r.geodesic_km == pytest.approx(gc, rel=1e-12)
    assert r.circuity == pytest.approx(3500.0 / gc, rel=1e-12)  # ~3.95
    assert not r.plausible
    codes = [w.code for w in r.warnings]
    assert codes == ["circuitous", "excluded-link", "missing-link"]
    circ, excl, miss = r.warnings
    assert "circuity 3.95 > 2" in circ.message
    assert excl.refs == ("mid-e",)
    assert "mid-e (MID-E): proposed, beyond the scenario's threshold 'operational'" in excl.message
    assert "about 910 km" in excl.message  # 450 + 460
    assert miss.refs == ("mid", "e")
    assert miss.message.startswith("no open link between Middle (mid) and East (e) within 444 km")
    assert "the network connects them over 3,950 km" in miss.message  # 450 + 3,500


def test_full_vision_route_is_plausible_and_says_what_it_depends_on(gap_atlas) -> None:
    r = route(gap_atlas, "full-vision", "w", "e")
    assert r.segments == ("w-mid", "mid-e")
    assert r.plausible and r.warnings == ()
    dep = r.depends_on
    assert dep.not_operational == (("mid-e", "proposed"),)
    assert dep.countries == ("AAA",)
    assert dep.borders == () and dep.chokepoints == ()


def test_depends_on_lists_borders(gap_atlas) -> None:
    r = route(gap_atlas, TODAY, "w", "e")
    assert r.depends_on.borders == ("AAA>BBB", "BBB>AAA")
    assert r.depends_on.summary() == "countries AAA>BBB>AAA; borders AAA>BBB, BBB>AAA"


def test_threshold_is_scenario_data_and_overridable(gap_atlas) -> None:
    lax = TODAY.with_circuity_warn(4.0)
    r = route(gap_atlas, lax, "w", "e")
    assert r.circuity_warn == 4.0 and r.plausible and r.warnings == ()
    assert lax.to_dict()["circuity_warn"] == 4.0
    assert "circuity_warn" not in TODAY.to_dict()  # the default is not written out


def test_circuity_warn_from_toml(gap_atlas, tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text('name = "lax"\nstatus = "operational"\ncircuity_warn = 4\n', encoding="utf-8")
    scen = Scenario.from_toml(f)
    assert scen.circuity_warn == 4.0
    assert route(gap_atlas, scen, "w", "e").plausible


@pytest.mark.parametrize(
    ("value", "code", "text"),
    [
        (0.5, "bad-number", "circuity_warn must be >= 1"),
        (float("nan"), "field-type", "must be a finite number"),
        ("2", "field-type", "must be a finite number"),
        (True, "field-type", "must be a finite number"),
    ],
)
def test_bad_circuity_warn(value: object, code: str, text: str) -> None:
    with pytest.raises(ScenarioError) as exc:
        TODAY.with_circuity_warn(value)  # type: ignore[arg-type]
    (p,) = exc.value.problems
    assert p.code == code and text in p.message
    assert p.where.startswith("with_circuity_warn(")


@pytest.mark.parametrize(
    ("line", "code", "text"),
    [
        ('circuity_warn = "2"', "field-type", "a number"),
        ("circuity_warn = 0.9", "bad-number", ">= 1"),
    ],
)
def test_bad_circuity_warn_in_toml(tmp_path: Path, line: str, code: str, text: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(f'name = "x"\n{line}\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        Scenario.from_toml(f)
    (p,) = exc.value.problems
    assert p.code == code and text in p.message
    assert p.file.endswith("bad.toml") and p.where == "circuity_warn"


@settings(max_examples=20, deadline=None)
@given(st.floats(min_value=1.0, max_value=10.0, allow_nan=False))
def test_plausible_iff_circuity_within_threshold(gap_atlas, thr: float) -> None:
    r = route(gap_atlas, TODAY.with_circuity_warn(thr), "w", "e")
    assert r.circuity is not None
    assert r.plausible == (r.circuity <= thr)
    assert any(w.code == "circuitous" for w in r.warnings) == (not r.plausible)


def test_slower_shorter_path_is_named(gap_atlas) -> None:
    """With a crawling rail the fastest route is the long road-only way round... there is
    none here, so make the short way slow instead: rail at 1 km/h sends the fastest route
    north; the 910 km open path is named."""
    scen = Scenario.full_vision().with_speed(rail=1.0, road=100.0)
    net = build_network(gap_atlas, scen)
    warns = plausibility.diagnose(net, "w", "e", route_km=3500.0)
    assert [w.code for w in warns] == ["slower-shorter"]
    assert "shorter open path of 910 km" in warns[0].message


def test_no_route_message_names_the_gap(gap_atlas) -> None:
    with pytest.raises(RouteNotFound) as exc:
        route(gap_atlas, TODAY, "e", "i1")
    assert "no open link between East (e) and I1 (i1) within 702 km" in str(exc.value)


def test_diagnosis_is_empty_for_a_plausible_route(gap_atlas) -> None:
    net = build_network(gap_atlas, "full-vision")
    assert plausibility.diagnose(net, "w", "e", route_km=910.0) == ()


def test_route_json_carries_plausibility(gap_atlas) -> None:
    d = route(gap_atlas, TODAY, "w", "e").to_dict()
    assert d["circuity"] == pytest.approx(3.945, abs=0.001)
    assert d["geodesic_km"] == pytest.approx(887.2, abs=0.1)
    assert d["circuity_warn"] == 2.0 and d["plausible"] is False
    assert [w["code"] for w in d["warnings"]] == ["circuitous", "excluded-link", "missing-link"]
    assert d["depends_on"]["borders"] == ["AAA>BBB", "BBB>AAA"]
    json.dumps(d)  # JSON-ready


def test_summary_and_str_flag_implausible(gap_atlas) -> None:
    r = route(gap_atlas, TODAY, "w", "e")
    assert str(r) == r.summary()
    assert r.summary().endswith("circuity 3.95 — IMPLAUSIBLE (> 2; 3 warning(s))")
    ok = route(gap_atlas, "full-vision", "w", "e")
    assert ok.summary().endswith("circuity 1.03") and "IMPLAUSIBLE" not in ok.summary()


# --------------------------------------------------------------------------- escaping
def test_route_html_escapes_names_in_warnings(script_atlas) -> None:
    r = route(script_atlas, TODAY, "w", "e")
    assert any("<script>" in w.message for w in r.warnings)
    html = r._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[missing-link]" in html and "implausible" in html


def test_route_map_popup_shows_circuity_and_escapes(script_atlas) -> None:
    r = route(script_atlas, TODAY, "w", "e")
    layer = route_layer(script_atlas, route_features([r]))
    assert layer is not None
    props = layer.features["features"][0]["properties"]
    assert props["implausible"] is True and props["circuity"] == pytest.approx(3.95)
    assert props["note"][0] == "Route circuity 3.95 (implausible: above 2)"
    assert any("<script>" in line for line in props["note"])
    html = line_popup(props, layer_title=layer.title, style=StyleTable())
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'class="cx-closed"' in html  # the note is an alert
    assert "Route circuity 3.95" in html


# --------------------------------------------------------------------------- scenarios
def _add_x_link(scen: Scenario, **extra: object) -> Scenario:
    return scen.add_segment(
        id="my-link",
        name="My link",
        **{"from": "x1", "to": "x2"},
        mode="road",
        status="operational",
        precision="schematic",
        sources=SRC,
        **extra,
    )


@pytest.mark.parametrize("how", ["open", "add"])
def test_isolated_link_is_a_warning_naming_it(gap_atlas, how: str) -> None:
    scen = TODAY.open_segment("x-link") if how == "open" else _add_x_link(TODAY)
    sid = "x-link" if how == "open" else "my-link"
    res = resolve_scenario(gap_atlas, scen)
    (w,) = res.warnings
    assert w.severity == "warning" and w.code == "isolated-link" and w.entity == sid
    assert f"segment {sid} (" in w.message
    assert "connects to nothing else in the scenario's network" in w.message
    assert "x1, x2" in w.message
    assert "nearest place on the rest of the network is" in (w.hint or "")
    assert build_network(gap_atlas, scen).resolved.warnings == res.warnings


def test_opening_a_connected_link_is_no_warning(gap_atlas) -> None:
    assert resolve_scenario(gap_atlas, TODAY.open_segment("mid-e")).warnings == ()
    assert resolve_scenario(gap_atlas, TODAY).warnings == ()


def test_isolated_link_warning_is_located_in_the_toml(gap_atlas, tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text('name = "s"\nstatus = "operational"\nopen = ["x-link"]\n', encoding="utf-8")
    (w,) = resolve_scenario(gap_atlas, Scenario.from_toml(f)).warnings
    assert w.file.endswith("s.toml") and w.where == "open[0]"


def test_circuity_handles_coincident_ends() -> None:
    from corridors.network.route import Route

    r = Route("a", "b", "A", "B", "s", 10.0, 1.0, (), (), (), (), (), (), geodesic_km=0.0)
    assert r.circuity is None and r.plausible
    assert math.isclose(
        Route("a", "b", "A", "B", "s", 10.0, 1.0, (), (), (), (), (), (), geodesic_km=5.0).circuity
        or 0.0,
        2.0,
    )


def test_large_atlas_path_gives_the_same_warnings(gap_atlas, monkeypatch) -> None:
    """Atlases above MATRIX_MAX_NODES compute distances per call: same answer."""
    net = build_network(gap_atlas, TODAY)
    cached = plausibility.diagnose(net, "w", "e", route_km=3500.0)
    monkeypatch.setattr(plausibility, "MATRIX_MAX_NODES", 0)
    assert plausibility.diagnose(net, "w", "e", route_km=3500.0) == cached
    assert plausibility.diagnose(net, "e", "i1") == plausibility.diagnose(
        build_network(gap_atlas, TODAY), "e", "i1"
    )


def test_doctor_html_escapes(script_atlas) -> None:
    from corridors.analytics.doctor import doctor

    html = doctor(script_atlas, TODAY)._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_closed_link_is_named_with_its_closure(gap_atlas) -> None:
    """Closing mid-e in the full vision: the route goes round; the closure is named, and
    a left-out segment the closures would shut anyway is not proposed."""
    scen = Scenario.full_vision().close_segment("mid-e")
    r = route(gap_atlas, scen, "w", "e")
    excl = [w for w in r.warnings if w.code == "excluded-link"]
    assert [w.refs for w in excl] == [("mid-e",)]
    assert "mid-e (MID-E): closed: segment mid-e" in excl[0].message
    shut = TODAY.close_node("mid")
    r2 = route(gap_atlas, shut, "w", "e")
    assert all(w.code != "excluded-link" for w in r2.warnings)
