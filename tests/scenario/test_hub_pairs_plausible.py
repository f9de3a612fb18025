"""Issue 10 acceptance: hub pairs route along real infrastructure, or say why they cannot.

For every pair that real infrastructure connects, the fastest route's circuity (route km /
great-circle km between the two nodes) is at most 1.8, or 2.6 where the route must cross the
Tian Shan, the Pamirs, the Hindu Kush or the Caucasus (MOUNTAIN). Pairs that a dated
closure cuts in `today` (the Pakistan-Afghanistan crossings since 2025-10-12, the
Armenia-Türkiye border since 1993) must either have no route, with the error naming the
closure event, or a detour flagged as implausible whose warnings name the event.

Left out on purpose: pairs a sea separates with no sea or ferry line in the data between
them (Aktau -> Astrakhan, 3.4 by rail round the north Caspian): there circuity measures
geography, not a gap. `corridors doctor` lists every implausible hub pair.
"""

from __future__ import annotations

import pytest

from corridors.errors import RouteNotFound
from corridors.network.routing import route

PLAIN = 1.8
MOUNTAIN = 2.6

#: (origin, destination, limit): connected by real infrastructure in both scenarios.
CONNECTED: list[tuple[str, str, float]] = [
    # the four routes the issue names
    ("zahedan", "tehran", PLAIN),
    ("tabriz", "tehran", PLAIN),
    ("kabul", "mazar_i_sharif", PLAIN),
    ("gwadar_port", "tashkent", MOUNTAIN),  # today over the Karakoram and the Tian Shan
    # Pakistan
    ("karachi_port", "lahore", PLAIN),
    ("lahore", "islamabad", PLAIN),
    ("islamabad", "peshawar", PLAIN),
    ("karachi", "quetta", PLAIN),
    ("quetta", "taftan", PLAIN),
    ("gwadar_port", "karachi_port", PLAIN),
    ("islamabad", "kashgar", MOUNTAIN),  # the Karakoram Highway
    # Xinjiang and Central Asia
    ("kashgar", "urumqi", PLAIN),
    ("kashgar", "tashkent", MOUNTAIN),
    ("kashgar", "bishkek", MOUNTAIN),
    ("bishkek", "almaty", PLAIN),
    ("almaty", "tashkent", PLAIN),
    ("almaty", "urumqi", PLAIN),
    ("tashkent", "samarkand", PLAIN),
    ("samarkand", "dushanbe", PLAIN),
    ("tashkent", "ashgabat", PLAIN),
    ("ashgabat", "turkmenbashi", PLAIN),
    ("aktau", "almaty", PLAIN),
    ("tashkent", "moscow", PLAIN),
    ("termez", "tashkent", PLAIN),
    # Iran
    ("ashgabat", "mashhad", PLAIN),
    ("mashhad", "tehran", PLAIN),
    ("tehran", "bandar_abbas", PLAIN),
    ("tehran", "qazvin", PLAIN),
    ("rasht", "astara_irn", PLAIN),
    ("bandar_abbas", "chabahar_port", PLAIN),
    ("zahedan", "mashhad", PLAIN),
    ("herat", "mashhad", PLAIN),
    # Afghanistan
    ("kabul", "kandahar", PLAIN),
    ("kandahar", "herat", PLAIN),
    ("herat", "mazar_i_sharif", PLAIN),
    ("termez", "mazar_i_sharif", PLAIN),
    # South Caucasus, Türkiye, Russia
    ("tabriz", "baku", PLAIN),
    ("tabriz", "yerevan", PLAIN),
    ("tabriz", "van", PLAIN),
    ("van", "ankara", PLAIN),
    ("kars", "ankara", PLAIN),
    ("ankara", "istanbul", PLAIN),
    ("baku", "tbilisi", PLAIN),
    ("tbilisi", "yerevan", PLAIN),
    ("tbilisi", "kars", PLAIN),
    ("tbilisi", "batumi", PLAIN),
    ("baku", "makhachkala", PLAIN),
    ("baku", "astara_aze", PLAIN),
    ("astrakhan", "moscow", PLAIN),
    # long corridors
    ("karachi_port", "istanbul", PLAIN),
    ("tehran", "ankara", PLAIN),
    ("tehran", "baku", PLAIN),
    ("gwadar_port", "chabahar_port", PLAIN),  # the Gabd-Rimdan crossing (2020)
    ("gwadar_port", "tehran", PLAIN),
    ("gwadar_port", "baku", PLAIN),
]

#: (origin, destination, event id): cut or diverted in `today` by a dated closure;
#: connected (within PLAIN) in `full-vision`, which ignores events.
CUT_TODAY: list[tuple[str, str, str]] = [
    ("peshawar", "kabul", "afg-pak-crossings-closed-2025-10"),
    ("quetta", "kandahar", "afg-pak-crossings-closed-2025-10"),
    ("islamabad", "kabul", "afg-pak-crossings-closed-2025-10"),
    ("karachi_port", "kabul", "afg-pak-crossings-closed-2025-10"),
    ("islamabad", "tashkent", "afg-pak-crossings-closed-2025-10"),
    ("yerevan", "kars", "arm-tur-border-closed-1993"),
]


@pytest.mark.parametrize("scenario", ["today", "full-vision"])
@pytest.mark.parametrize(("origin", "destination", "limit"), CONNECTED)
def test_connected_pairs_are_plausible(bundled_atlas, scenario, origin, destination, limit):
    r = route(bundled_atlas, scenario, origin, destination)
    assert r.circuity is not None
    assert r.circuity <= limit, r.summary() + "\n" + "\n".join(w.message for w in r.warnings)
    assert r.plausible or limit > PLAIN


@pytest.mark.parametrize(("origin", "destination", "event"), CUT_TODAY)
def test_cut_pairs_name_the_closure(bundled_atlas, origin, destination, event):
    try:
        r = route(bundled_atlas, "today", origin, destination)
    except RouteNotFound as exc:
        assert f"event {event}" in str(exc)
        return
    assert not r.plausible, r.summary()
    named = [w for w in r.warnings if w.code == "excluded-link" and event in w.message]
    assert named, [w.message for w in r.warnings]


@pytest.mark.parametrize(("origin", "destination", "event"), CUT_TODAY)
def test_cut_pairs_are_plausible_in_the_full_vision(bundled_atlas, origin, destination, event):
    r = route(bundled_atlas, "full-vision", origin, destination)
    assert r.circuity is not None and r.circuity <= PLAIN, r.summary()


def test_at_least_forty_pairs():
    assert len(CONNECTED) + len(CUT_TODAY) >= 40
