"""Notebook HTML views escape data through the one helper (corridors.html.esc)."""

from __future__ import annotations

from corridors import Scenario, load_atlas, route

HOSTILE = '<img src=x onerror=alert(1)> </script> "quoted" Naxçıvan'


def test_scenario_repr_html_escapes_its_name():
    html = Scenario.full_vision().named(HOSTILE)._repr_html_()
    assert "<img" not in html and "&lt;img src=x" in html and "Naxçıvan" in html


def test_route_repr_html_escapes_the_scenario_name():
    r = route(
        "Gwadar", "Karachi", scenario=Scenario.full_vision().named(HOSTILE), atlas=load_atlas()
    )
    html = r._repr_html_()
    assert "<img" not in html and "&lt;img src=x" in html and "</script> " not in html
