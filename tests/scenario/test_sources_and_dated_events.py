"""Issue 11: sources an expert trusts (class, dates, order) and dated events on the network.

The network tests read the bundled data: what they assert is what the cited sources say
(events.toml), so a change of the data that contradicts a source makes them fail.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from corridors.io.geodata import Context, fields
from corridors.model import Event, Source
from corridors.network.graph import build_network
from corridors.render.popups import sources_html, sources_model
from corridors.scenario.model import Scenario
from corridors.vocab import SOURCE_CLASSES

GEODATA = Path(__file__).resolve().parents[2] / "geodata"
#: "other"-class citations in geodata/ when the classes were first assigned (2026-12-02).
OTHER_BEFORE = 432


def _bundled_sources() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def walk(obj: Any) -> None:
        if isinstance(obj, dict):
            if isinstance(obj.get("sources"), list):
                out.extend(s for s in obj["sources"] if isinstance(s, dict))
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    for p in sorted(GEODATA.glob("*.geojson")):
        if p.name != "countries.geojson":
            walk(json.loads(p.read_text("utf-8")))
    for p in sorted(GEODATA.glob("*.toml")):
        walk(tomllib.loads(p.read_text("utf-8")))
    return out


def test_every_bundled_source_has_a_class_and_an_access_date():
    srcs = _bundled_sources()
    assert len(srcs) > 1000
    assert [s["url"] for s in srcs if s.get("class") not in SOURCE_CLASSES] == []
    assert [s["url"] for s in srcs if len(str(s.get("accessed", ""))) < 7] == []


def test_fewer_other_class_sources_than_before_the_review():
    other = [s for s in _bundled_sources() if s["class"] == "other"]
    assert len(other) < OTHER_BEFORE


def _parse(srcs: list[dict[str, Any]]) -> tuple[tuple[Source, ...], Context]:
    ctx = Context("x.toml", "node", toml=True)
    return fields.sources({"sources": srcs}, ctx), ctx


def test_sources_are_ordered_best_class_first_and_keep_dates():
    got, ctx = _parse(
        [
            {"url": "https://blog.example.org/a", "title": "blog", "class": "other"},
            {"url": "https://news.example.org/b", "class": "news", "published": "2025-10-15"},
            {"url": "https://www.adb.org/c", "class": "multilateral", "accessed": "2026-12-02"},
            {"url": "https://news.example.org/d", "class": "news"},
        ]
    )
    assert [s.url[8:12] for s in got] == ["www.", "news", "news", "blog"]
    assert got[1].url.endswith("/b") and got[1].published == "2025-10-15"
    assert got[0].accessed == "2026-12-02"
    assert ctx.problems == []


def test_only_other_sources_warn_and_a_bad_class_is_an_error():
    _, ctx = _parse([{"url": "https://blog.example.org/a", "class": "other"}])
    assert [(p.code, p.severity) for p in ctx.problems] == [("only-other-source", "warning")]
    _, ctx = _parse([{"url": "https://x.example.org/a", "class": "blog"}])
    assert [(p.code, p.where) for p in ctx.problems] == [("bad-class", "node.sources[0].class")]
    _, ctx = _parse([{"url": "https://x.example.org/a", "class": "news", "published": "May"}])
    assert [p.code for p in ctx.problems] == ["bad-date"]


def test_popups_show_class_and_dates():
    srcs = [{"url": "https://a.org", "title": "A", "accessed": "2026-12", "class": "news"}]
    srcs[0]["published"] = "2025-10-15"
    assert sources_model(srcs) == [["https://a.org", "A", "2026-12", "news", "2025-10-15"]]
    assert "(news, published 2025-10-15, accessed 2026-12)" in sources_html(srcs)
    assert "(accessed 2026)" in sources_html([{"url": "https://a.org", "accessed": "2026"}])


def test_a_yearly_event_recurs_between_start_and_until():
    e = Event(
        "w",
        "closure",
        "2020-12-01",
        ("node:k",),
        end="2021-04-01",
        recurs="yearly",
        until="2024-12-01",
    )
    assert [e.in_force(d) for d in ("2020-11-30", "2020-12-01", "2021-03-31", "2021-04-01")] == [
        False,
        True,
        True,
        False,
    ]
    assert e.in_force("2024-01-15") and not e.in_force("2024-12-15")
    assert not e.in_force(2022) and not e.in_force("2022-01")
    with pytest.raises(ValueError, match="full start and end"):
        Event("w", "closure", "2020-12", ("node:k",), end="2021-04", recurs="yearly")
    with pytest.raises(ValueError, match="within a year"):
        Event("w", "closure", "2020-12-01", ("node:k",), end="2022-04-01", recurs="yearly")


def test_a_recurring_event_without_days_is_reported_with_its_place(tmp_path, make_atlas_dir):
    from corridors.errors import CorridorsError
    from corridors.io.geodata import load_atlas

    def edit(data: dict[str, Any]) -> None:
        data["events.toml"] = (
            '[[event]]\nid = "w"\nkind = "closure"\nstart = "2020-12"\nend = "2021-04"\n'
            'recurs = "yearly"\ntargets = ["border:AAA-BBB"]\n'
            'sources = [{ url = "https://x.org", class = "news" }]\n'
        )

    root = make_atlas_dir(edit)
    with pytest.raises(CorridorsError) as err:
        load_atlas(root)
    assert "event-recurrence" in str(err.value) and "events.toml" in str(err.value)


def _events(bundled_atlas, when: str) -> set[str]:
    return set(build_network(bundled_atlas, Scenario.today().at_date(when)).resolved.events)


def test_the_network_on_1_april_and_1_december_2026_differs_as_the_sources_say(bundled_atlas):
    april, december = _events(bundled_atlas, "2026-04-01"), _events(bundled_atlas, "2026-12-01")
    # Hormuz closed by Iran from 28 Feb until the 7/8 April ceasefire; open by December
    assert "hormuz-closure-2026-02-28" in april
    assert not {"hormuz-closure-2026-02-28", "hormuz-closure-2026-04-18"} & december
    # the Pakistan-Afghanistan crossings: closed on both dates (no reopening found)
    assert "afg-pak-crossings-closed-2025-10" in april & december
    # records that are not closures never change the network
    assert not {"chabahar-conditional-waiver-2025-10-28", "us-israel-iran-war-2026-02-28"} & (
        april | december
    )
    may = _events(bundled_atlas, "2026-05-01")
    assert {"hormuz-closure-2026-04-18", "us-blockade-iranian-ports-2026-04-13"} <= may


def test_khunjerab_closed_in_winter_until_it_opened_year_round(bundled_atlas):
    assert "khunjerab-winter-closure" in _events(bundled_atlas, "2024-01-15")
    assert "khunjerab-winter-closure" not in _events(bundled_atlas, "2024-07-15")
    assert "khunjerab-winter-closure" not in _events(bundled_atlas, "2026-01-15")


def _cli(capsys, argv: list[str]) -> tuple[int, str, str]:
    from corridors.cli.main import main

    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_route_as_of_before_the_closure_goes_through_torkham(capsys):
    cmd = ["route", "Peshawar", "Kabul", "-s", "today"]
    code, out, err = _cli(capsys, [*cmd, "--as-of", "2025-09-01", "--json"])
    assert code == 0, err
    assert [c["at"] for c in json.loads(out)["border_crossings"]] == ["torkham"]
    code, out, err = _cli(capsys, cmd)
    assert "afg-pak-crossings-closed-2025-10" in out + err
    code, out, err = _cli(capsys, [*cmd, "--as-of", "2025-13-01"])
    assert code != 0 and "month out of range" in err
    assert "Traceback" not in err
