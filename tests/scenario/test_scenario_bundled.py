"""Routing on the bundled geodata: W-CPEC+ to Baku, sea legs, passages and closures."""

from __future__ import annotations

import pytest

from corridors.errors import RouteNotFound
from corridors.geo.geodesy import distance_km, line_length_km
from corridors.network.graph import build_network
from corridors.network.routing import route
from corridors.network.sea import sea_leg
from corridors.scenario import Scenario, bundled_scenario


@pytest.fixture(scope="module")
def full(bundled_atlas):
    return bundled_scenario("full-vision", atlas=bundled_atlas)


def test_gwadar_to_baku_full_vision(bundled_atlas, full) -> None:
    r = route("Gwadar", "Baku", scenario=full, atlas=bundled_atlas)
    assert (r.origin, r.destination) == ("gwadar_port", "baku")
    assert r.countries[0] == "PAK" and r.countries[-1] == "AZE"
    assert "IRN" in r.countries
    assert 2000 < r.length_km < 6000
    assert r.hours > r.length_km / 60  # nothing runs faster than 60 km/h on average
    assert len(r.border_crossings) == len(r.countries) - 1
    assert r.legs[0].from_node == "gwadar_port" and r.legs[-1].to_node == "baku"
    for a, b in zip(r.legs, r.legs[1:], strict=False):
        assert a.to_node == b.from_node
    assert sum(leg.length_km for leg in r.legs) == pytest.approx(r.length_km)
    assert r.hours == pytest.approx(
        sum(leg.hours for leg in r.legs)
        + sum(t.hours for t in r.transshipments)
        + sum(t.hours for t in r.gauge_breaks)
    )


def test_gwadar_to_baku_with_iran_closed(bundled_atlas, full) -> None:
    s = full.close_country("IRN")
    try:
        r = route("gwadar_port", "baku", scenario=s, atlas=bundled_atlas)
    except RouteNotFound as exc:
        msg = str(exc)
        assert "Gwadar" in msg and "Baku" in msg and "country IRN" in msg
    else:
        assert "IRN" not in r.countries
        base = route("gwadar_port", "baku", scenario=full, atlas=bundled_atlas)
        assert r.hours > base.hours


def test_sea_leg_gwadar_djibouti_follows_the_sea(bundled_atlas) -> None:
    g, d = bundled_atlas.nodes["gwadar_port"], bundled_atlas.nodes["djibouti"]
    leg = sea_leg(g.lonlat, d.lonlat)
    assert leg is not None
    chord = distance_km(g.lonlat, d.lonlat)
    assert 2600 < leg.length_km < 3000  # searoute: ~2,669 km without the port connectors
    assert leg.length_km > 1.08 * chord
    assert len(leg.coords) > 4
    assert leg.coords[0] == g.lonlat and leg.coords[-1] == d.lonlat
    assert line_length_km(leg.coords) == pytest.approx(leg.length_km)
    # the chord crosses Arabia; the sea line's vertices all lie at sea
    from corridors.geo.geodesy import densify

    chord_pts = densify([g.lonlat, d.lonlat], step_km=50)
    locate = bundled_atlas.countries.locate
    assert any(c is not None for c in locate([p[0] for p in chord_pts], [p[1] for p in chord_pts]))
    inner = leg.coords[1:-1]
    assert all(c is None for c in locate([p[0] for p in inner], [p[1] for p in inner]))


def test_sea_pieces_use_the_searoute_line(bundled_atlas, full) -> None:
    net = build_network(bundled_atlas, full)
    sea = [p for p in net.pieces.values() if p.mode == "sea" and p.id not in net.closed]
    assert sea
    for p in sea:
        assert p.length_basis == "searoute"
        assert p.length_km > 0
        assert p.length_km >= 0.99 * distance_km(p.coords[0], p.coords[-1])


def test_no_sea_route_is_never_a_zero_length_leg() -> None:
    # Karachi -> Suez with Bab-el-Mandeb, the Cape and Gibraltar closed: no path at all
    leg = sea_leg(
        (66.982, 24.835), (32.5263, 29.9737), closed=["bab_el_mandeb", "cape_of_good_hope"]
    )
    assert leg is None or leg.length_km > 10000
    none = sea_leg(
        (66.982, 24.835),
        (32.5263, 29.9737),
        closed=[
            "bab_el_mandeb",
            "cape_of_good_hope",
            "gibraltar",
            "panama",
            "malacca",
            "sunda",
            "magellan",
            "bering",
        ],
    )
    assert none is None


def test_closing_a_passage_reroutes_or_blocks(bundled_atlas, full) -> None:
    open_r = route("gwadar_port", "suez", scenario=full, atlas=bundled_atlas)
    assert "bab_el_mandeb" in open_r.chokepoints
    try:
        closed_r = route(
            "gwadar_port", "suez", scenario=full.close_passage("bab_el_mandeb"), atlas=bundled_atlas
        )
    except RouteNotFound as exc:
        assert "passage bab_el_mandeb" in str(exc)
    else:
        assert "bab_el_mandeb" not in closed_r.chokepoints
        assert closed_r.length_km > open_r.length_km + 5000  # round Africa


def test_hormuz_closure_cuts_the_gulf(bundled_atlas, full) -> None:
    r = route("gwadar_port", "jebel_ali", scenario=full, atlas=bundled_atlas)
    assert "strait_of_hormuz" in r.chokepoints
    with pytest.raises(RouteNotFound) as exc:
        route(
            "gwadar_port", "jebel_ali", scenario=full.close_passage("hormuz"), atlas=bundled_atlas
        )
    msg = str(exc.value)
    assert "Gwadar Port (gwadar_port)" in msg and "jebel_ali" in msg
    assert "passage hormuz" in msg


def test_closing_one_border_reroutes_kashgar_islamabad(bundled_atlas, full) -> None:
    # with the Khunjerab border closed, Kashgar still reaches Islamabad the long way round
    # (over the Kyrgyz passes into Central Asia), never through the closed border
    r = route("Kashgar", "Islamabad", scenario=full.close("CHN-PAK"), atlas=bundled_atlas)
    assert r.countries[0] == "CHN" and r.countries[1] == "KGZ"
    assert all(leg.segment not in ("cpec-kkh", "cpec-khunjerab-rail") for leg in r.legs)


def test_disconnected_by_closure_is_route_not_found(bundled_atlas, full) -> None:
    s = full.close("CHN-PAK", "CHN-KAZ", "CHN-KGZ")
    with pytest.raises(RouteNotFound) as exc:
        route("Kashgar", "Islamabad", scenario=s, atlas=bundled_atlas)
    msg = str(exc.value)
    assert "no route from" in msg and "kashgar" in msg and "islamabad" in msg
    assert "border CHN-PAK" in msg and "border CHN-KAZ" in msg and "border CHN-KGZ" in msg
    assert "mc-cn-urumqi-khorgos" in msg and "cpec-kkh" in msg


def test_node_not_in_scenario_is_a_clear_error(bundled_atlas) -> None:
    s = Scenario.today().with_modes("rail")
    with pytest.raises(RouteNotFound, match="is not on the network of scenario"):
        route("gwadar_port", "baku", scenario=s, atlas=bundled_atlas)


def test_every_bundled_scenario_builds(bundled_atlas) -> None:
    from corridors.scenario import bundled_scenario_names

    for name in bundled_scenario_names():
        net = build_network(bundled_atlas, bundled_scenario(name, atlas=bundled_atlas))
        assert net.graph.number_of_edges() > 0


def test_wcpec_meets_azerbaijan_connects_gwadar_and_baku(bundled_atlas) -> None:
    s = bundled_scenario("wcpec-meets-azerbaijan", atlas=bundled_atlas)
    r = route("gwadar_port", "baku", scenario=s, atlas=bundled_atlas)
    assert r.countries[0] == "PAK" and r.countries[-1] == "AZE"
    assert r.gauge_breaks  # 1,676 / 1,435 / 1,520 mm on the way
