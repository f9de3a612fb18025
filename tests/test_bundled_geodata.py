"""Acceptance checks on the bundled geodata: coverage, sources, lengths, country sequences."""

from __future__ import annotations

import json

import pytest

from corridors import load_atlas
from corridors.cli.main import main
from corridors.geo.measure import chain_countries, circuity_factors, segment_measures
from corridors.io.geodata import validate_geodata
from corridors.vocab import NODE_PRECISIONS, PRECISIONS

#: Tolerance between computed and published length before the data must explain it.
LENGTH_TOLERANCE = 0.25


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def test_bundled_data_that_used_to_live_in_code(atlas):
    # the values of the former DEFAULT_HUBS (analytics), featured id (maps/atlas.py) and
    # corridor colours (render/style.py), now in hubs.toml, platforms.toml, corridors.toml
    assert atlas.hubs == (
        "gwadar_port",
        "karachi_port",
        "islamabad",
        "kashgar",
        "kabul",
        "tashkent",
        "tehran",
        "baku",
        "tbilisi",
        "istanbul",
        "moscow",
        "jebel_ali",
        "djibouti",
    )
    assert atlas.featured_platform == "aze-3plus3"
    assert [p.id for p in atlas.platforms.values() if p.featured] == ["aze-3plus3"]
    colours = {c.id: c.colour for c in atlas.corridors.values()}
    assert colours == {
        "cpec-plus": "#0a5e3d",
        "cpec-core": "#0a5e3d",
        "n-cpec-plus": "#006cc4",
        "w-cpec-plus": "#d34300",
        "iti": "#ca9200",
        "s-cpec-plus": "#722678",
        "zangezur": "#289184",
        "araz": "#3b2acd",
        "btk": "#8d1221",
        "middle-corridor": "#ef2086",
        "instc": "#b90000",
        "lapis-lazuli": "#5b7462",
        "air-links": "#46474b",
        "chabahar-zahedan": "#1188a6",
        "trunk-pak-afg": "#078744",
        "trunk-iran": "#b79072",
        "trunk-central-asia": "#2a7172",
        "trunk-caucasus": "#9b82e4",
    }


def test_bundled_geodata_validates_clean_of_errors():
    result = validate_geodata()
    assert result.atlas is not None, "\n".join(p.format() for p in result.errors)


@pytest.mark.parametrize(
    "corridor",
    [
        "cpec-plus",
        "cpec-core",
        "n-cpec-plus",
        "w-cpec-plus",
        "s-cpec-plus",
        "zangezur",
        "btk",
        "middle-corridor",
        "instc",
    ],
)
def test_every_branch_is_present_with_segments(atlas, corridor):
    assert corridor in atlas.corridors
    assert atlas.corridor_segments(corridor), f"{corridor} has no segments"


def test_cpec_plus_branches_hang_under_cpec_plus(atlas):
    for child in ("cpec-core", "n-cpec-plus", "w-cpec-plus", "s-cpec-plus"):
        assert atlas.corridors[child].parent == "cpec-plus"


def test_platforms(atlas):
    p = atlas.platforms["aze-3plus3"]
    assert set(p.members) == {"AZE", "ARM", "GEO", "IRN", "RUS", "TUR"}
    assert p.proposed == "2020-12-10"
    assert [m.date for m in p.meetings][:3] == ["2021-12-10", "2023-10-23", "2024-10-18"]
    assert all("GEO" in m.absent for m in p.meetings)
    assert set(atlas.platforms["pak-aze-tur"].members) == {"PAK", "AZE", "TUR"}


@pytest.mark.parametrize(
    ("needle", "kind"),
    [
        ("gwadar_port", "nodes"),
        ("strait_of_hormuz", "nodes"),
        ("bab_el_mandeb", "nodes"),
        ("khunjerab_pass", "nodes"),
        ("djibouti", "nodes"),
        ("mombasa", "nodes"),
        ("meghri", "nodes"),
        ("astara_aze", "nodes"),
        ("isb_airport", "nodes"),
        ("gyd_airport", "nodes"),
    ],
)
def test_key_places_exist(atlas, needle, kind):
    assert needle in getattr(atlas, kind)


def test_every_feature_has_http_sources_and_precision(atlas):
    for collection in (
        atlas.nodes,
        atlas.waypoints,
        atlas.segments,
        atlas.corridors,
        atlas.platforms,
    ):
        for item in collection.values():
            assert item.sources, f"{item.id} has no source"
            assert all(s.url.startswith(("http://", "https://")) for s in item.sources)
    for seg in atlas.segments.values():
        assert seg.precision in PRECISIONS
    for point in (*atlas.nodes.values(), *atlas.waypoints.values()):
        assert point.precision in NODE_PRECISIONS, point.id
    constructed = [w for w in atlas.waypoints.values() if w.id.startswith("wp-ne-")]
    assert constructed and all(w.precision == "approximate" and w.note for w in constructed)


def test_published_lengths_are_reported_beside_computed(atlas):
    out = []
    for seg in atlas.segments.values():
        if seg.published_lengths:
            full = [p for p in seg.published_lengths if p.scope == "full"]
            if full and seg.published_length_km is None:
                # every full-scope figure rejected (e.g. shorter than the chord): say why
                assert seg.length_note, f"{seg.id}: full-scope length(s) but none chosen"
        out.append(seg.id)
    assert out


def test_large_length_gaps_are_explained(atlas):
    unexplained = []
    for sid, m in segment_measures(atlas).items():
        ratio = m.ratio_published
        if ratio is None:
            continue
        if abs(ratio - 1.0) > LENGTH_TOLERANCE and not atlas.segments[sid].length_note:
            unexplained.append(
                f"{sid}: computed {m.length_km:.0f} km vs published {m.published_length_km:.0f} km"
            )
    assert not unexplained, "differences > 25 % without a length_note:\n" + "\n".join(unexplained)


def test_effective_length_defined_for_every_segment(atlas):
    for sid, m in segment_measures(atlas).items():
        assert m.effective_length_km > 0, sid
        if atlas.segments[sid].published_length_km is not None:
            assert m.effective_basis == "published"


def test_circuity_factors_are_calibrated_and_sane(atlas):
    factors = circuity_factors(atlas)
    assert factors
    for (mode, _precision), cf in factors.items():
        assert 0.9 <= cf.factor <= 2.5, (mode, cf)
    assert any(cf.samples >= 2 for cf in factors.values())


def test_reference_routes_cross_the_published_countries(atlas):
    assert len(atlas.routes) >= 10
    wrong = []
    for route in atlas.routes.values():
        got = chain_countries(atlas, route.segments)
        if list(got) != list(route.countries):
            wrong.append(f"{route.id}: expected {'>'.join(route.countries)}, got {'>'.join(got)}")
    assert not wrong, "\n".join(wrong)


def test_list_segments_json_interface(capsys):
    assert main(["list", "segments", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert isinstance(records, list) and records
    keys = {
        "id",
        "name",
        "corridor",
        "mode",
        "status",
        "precision",
        "length_km",
        "published_length_km",
        "effective_length_km",
        "countries",
        "sources",
    }
    for r in records:
        assert keys <= r.keys()
        assert r["length_km"] > 0
        assert r["sources"] and all("url" in s for s in r["sources"])
        assert all(len(c) == 3 and c.isupper() for c in r["countries"])


@pytest.mark.parametrize(
    ("what", "keys"),
    [
        ("nodes", {"id", "name", "country", "lon", "lat", "kind"}),
        ("corridors", {"id", "name", "parent", "segments", "length_km"}),
        ("platforms", {"id", "name", "members", "meetings"}),
    ],
)
def test_list_json_interfaces(capsys, what, keys):
    assert main(["list", what, "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records and all(keys <= r.keys() for r in records)


def test_list_text_and_validate_exit_codes(capsys):
    assert main(["list", "corridors"]) == 0
    assert "cpec-plus" in capsys.readouterr().out
    assert main(["validate"]) == 0
    assert "OK" in capsys.readouterr().out


def test_validate_usage_errors(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing.geojson")]) == 2
    err = capsys.readouterr().err
    assert "file not found" in err and str(tmp_path) in err
    odd = tmp_path / "stuff.geojson"
    odd.write_text("{}", encoding="utf-8")
    assert main(["validate", str(odd)]) == 2
    assert "cannot tell what kind" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["list", "bananas"])
    assert exc.value.code == 2


def test_single_edited_file_is_checked_against_the_rest(tmp_path, capsys):
    """``corridors validate my-segments.geojson`` uses the bundled nodes for references."""
    atlas_dir = validate_geodata().atlas
    assert atlas_dir is not None
    from corridors.io.geodata import bundled_geodata_dir

    text = (bundled_geodata_dir() / "segments.geojson").read_text(encoding="utf-8")
    doc = json.loads(text)
    doc["features"][0]["properties"]["from"] = "gwadarr"
    edited = tmp_path / "my-segments.geojson"
    edited.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["validate", str(edited)]) == 1
    err = capsys.readouterr().err
    assert "unknown node 'gwadarr'" in err and "my-segments.geojson" in err
