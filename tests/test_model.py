"""The data model: invariants hold without any I/O."""

from __future__ import annotations

import pytest

from corridors.model import (
    Corridor,
    Node,
    PublishedLength,
    Segment,
    Source,
    StatusChange,
    check_lonlat,
    is_valid_id,
    parse_partial_date,
)


@pytest.mark.parametrize("ident", ["gwadar", "ncpec-uap-2023", "a_b", "9x"])
def test_valid_ids(ident):
    assert is_valid_id(ident)


@pytest.mark.parametrize("ident", ["", "Gwadar", "gwa dar", "-x", "gwаdar", None, 3])
def test_invalid_ids(ident):  # the 5th has a Cyrillic 'а'
    assert not is_valid_id(ident)


def test_partial_dates():
    assert parse_partial_date("2020") == (2020, None, None)
    assert parse_partial_date("2020-12-10") == (2020, 12, 10)
    with pytest.raises(ValueError):
        parse_partial_date("2020-13")
    with pytest.raises(ValueError):
        parse_partial_date("10 Dec 2020")


def test_lonlat_checks():
    assert check_lonlat(62.3, 25.1) == (62.3, 25.1)
    with pytest.raises(ValueError, match="latitude"):
        check_lonlat(35.68, 139.69)
    with pytest.raises(ValueError, match="number"):
        check_lonlat("62.3", 25.1)
    with pytest.raises(ValueError, match="finite"):
        check_lonlat(float("nan"), 0)


def test_source_requires_http():
    with pytest.raises(ValueError, match="http"):
        Source(url="ftp://example.org/x")
    assert Source(url="https://example.org").url.startswith("https")


def test_node_invariants():
    n = Node(
        id="gwadar_port",
        name="Gwadar Port",
        country="PAK",
        lon=62.3396,
        lat=25.1105,
        kind="seaport",
        aliases=("گوادر",),
    )
    assert n.lonlat == (62.3396, 25.1105)
    assert n.names == ("Gwadar Port", "گوادر")
    with pytest.raises(ValueError, match="kind"):
        Node(id="x", name="X", country="PAK", lon=0, lat=0, kind="harbour")
    with pytest.raises(ValueError, match="ISO3"):
        Node(id="x", name="X", country="pk", lon=0, lat=0, kind="city")


def _seg(**kw):
    base = dict(
        id="s",
        name="S",
        from_node="a",
        to_node="b",
        mode="rail",
        status="operational",
        precision="traced",
        coords=((0.0, 0.0), (1.0, 1.0)),
    )
    base.update(kw)
    return Segment(**base)


def test_segment_status_as_of_year():
    s = _seg(
        status_history=(
            StatusChange("2007", "planned"),
            StatusChange("2008-05", "under_construction"),
            StatusChange("2017-10-30", "operational"),
        )
    )
    assert s.status_in(2006) is None
    assert s.status_in(2007) == "planned"
    assert s.status_in(2016) == "under_construction"
    assert s.status_in(2030) == "operational"
    assert _seg().status_in(1900) == "operational"


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"mode": "hyperloop"}, "mode"),
        ({"status": "operatonal"}, "status"),
        ({"precision": "rough"}, "precision"),
        ({"coords": ((0.0, 0.0),)}, "two positions"),
        ({"gauge_mm": (1520, 1435)}, "gauge_breaks_at"),
    ],
)
def test_segment_invariants(kw, match):
    with pytest.raises(ValueError, match=match):
        _seg(**kw)


@pytest.mark.parametrize("value", [0, -5, float("nan")])
def test_published_length_positive(value):
    with pytest.raises(ValueError):
        PublishedLength(value_km=value, url="https://example.org")


def test_corridor_colour_is_lower_case_rrggbb():
    assert Corridor(id="c", name="C", colour="#1b7837").colour == "#1b7837"
    for bad in ("#1B7837", "#abc", "1b7837", "#12345g"):
        with pytest.raises(ValueError, match="colour"):
            Corridor(id="c", name="C", colour=bad)
