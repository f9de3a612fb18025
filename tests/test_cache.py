"""The on-disk cache of values derived from the borders file (corridors.io.cache)."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import pytest

from corridors.gcpause import collection_paused
from corridors.geo.measure import segment_measures
from corridors.io import cache as _cache
from corridors.io.geodata import bundled_geodata_dir, load_atlas, validate_geodata
from corridors.maps.atlas import atlas_map
from corridors.render import render_html


def _build(geodata: Path, cache_dir: Path | str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A whole atlas page built in a fresh cache state, the cache saved afterwards."""
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(cache_dir))
    _cache._OPEN.clear()
    html = render_html(atlas_map(load_atlas(geodata)))
    for cache in list(_cache._OPEN.values()):
        cache.save()
    _cache._OPEN.clear()
    return html


@pytest.fixture(scope="module")
def reference_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    mp = pytest.MonkeyPatch()
    try:
        return _build(bundled_geodata_dir(), "off", mp)
    finally:
        mp.undo()


@pytest.fixture
def geodata(tmp_path: Path) -> Path:
    target = tmp_path / "geodata"
    shutil.copytree(bundled_geodata_dir(), target)
    return target


def _only_file(cache_dir: Path) -> Path:
    files = sorted(cache_dir.glob("borders-*.json"))
    assert len(files) == 1, files
    return files[0]


def test_cold_and_warm_builds_equal_uncached(
    tmp_path: Path, reference_html: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    assert _build(bundled_geodata_dir(), cache_dir, monkeypatch) == reference_html
    path = _only_file(cache_dir)
    header, _, body = path.read_text(encoding="utf-8").partition("\n")
    assert json.loads(header)["format"] == _cache.FORMAT
    sections = json.loads(body)
    assert set(sections) == {
        "countries",
        "runs",
        "display",
        "topology",
        "placement",
        "sea_lanes",
        "lab",
    }
    assert len(sections["countries"]["polygons"]["codes"]) == 89
    before = path.read_bytes()
    assert _build(bundled_geodata_dir(), cache_dir, monkeypatch) == reference_html
    assert path.read_bytes() == before  # all hits: nothing rewritten


def test_warm_measures_equal_uncached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", "off")
    _cache._OPEN.clear()
    expected = segment_measures(load_atlas())
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(tmp_path))
    for _ in range(2):  # cold, then from the file
        _cache._OPEN.clear()
        assert segment_measures(load_atlas()) == expected
        for cache in _cache._OPEN.values():
            cache.save()
    _cache._OPEN.clear()


CORRUPTIONS = {
    "garbage": lambda text: "\x00not json at all",
    "truncated": lambda text: text[: len(text) // 2],
    "other-format": lambda text: text.replace('"format": 1', '"format": 999', 1),
    "checksum-mismatch": lambda text: text.replace('"codes"', '"c0des"', 1),
    "sections-not-dict": lambda text: _edit(text, lambda d: d.update(runs=[])),
    "bad-wkb": lambda text: _edit(
        text, lambda d: d["countries"]["polygons"].update(wkb_base64=["zz"] * 89)
    ),
    "wkb-not-base64": lambda text: _edit(
        text, lambda d: d["countries"]["polygons"].update(wkb_base64=["!!"] * 89)
    ),
    "wrong-codes": lambda text: _edit(
        text, lambda d: d["countries"]["polygons"].update(codes=["XXX"])
    ),
    "bad-run-entries": lambda text: _edit(
        text, lambda d: d["runs"].update({k: "oops" for k in d["runs"]})
    ),
    "bad-display-entries": lambda text: _edit(
        text, lambda d: d["display"].update({k: [1, 2, 3] for k in d["display"]})
    ),
    "bad-topology-entries": lambda text: _edit(
        text, lambda d: d["topology"].update({k: [[2, ""], []] for k in d["topology"]})
    ),
}


def _edit(text: str, change) -> str:
    """Change the entries and keep the checksum valid (a deliberate, consistent edit)."""
    import hashlib

    _header, _, body = text.partition("\n")
    sections = json.loads(body)
    change(sections)
    new_body = json.dumps(sections)
    digest = hashlib.sha256(new_body.encode("utf-8")).hexdigest()
    return json.dumps({"format": _cache.FORMAT, "sha256": digest}) + "\n" + new_body


@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_damaged_cache_is_ignored_and_rewritten(
    name: str, tmp_path: Path, reference_html: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    _build(bundled_geodata_dir(), cache_dir, monkeypatch)
    path = _only_file(cache_dir)
    path.write_text(CORRUPTIONS[name](path.read_text(encoding="utf-8")), encoding="utf-8")
    assert _build(bundled_geodata_dir(), cache_dir, monkeypatch) == reference_html


def test_edited_borders_file_gets_its_own_cache(
    geodata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = tmp_path / "cache"
    _build(geodata, cache_dir, monkeypatch)
    first = _only_file(cache_dir)
    countries = geodata / "countries.geojson"
    countries.write_bytes(countries.read_bytes() + b"\n")  # same data, other bytes
    _build(geodata, cache_dir, monkeypatch)
    assert sorted(cache_dir.glob("borders-*.json")) != [first]
    assert len(sorted(cache_dir.glob("borders-*.json"))) == 2


def test_invalid_borders_file_is_never_cached(
    geodata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    countries = geodata / "countries.geojson"
    doc = json.loads(countries.read_text(encoding="utf-8"))
    ring = doc["features"][0]["geometry"]["coordinates"]
    ring = ring[0] if doc["features"][0]["geometry"]["type"] == "Polygon" else ring[0][0]
    ring[-1] = [ring[-1][0] + 1.0, ring[-1][1]]  # ring no longer closed
    countries.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(tmp_path / "cache"))
    for _ in range(2):  # the second run must not be helped by anything the first stored
        _cache._OPEN.clear()
        result = validate_geodata([geodata])
        assert result.atlas is None
        assert any(p.code == "ring-not-closed" for p in result.problems)
        for cache in _cache._OPEN.values():
            assert cache.get("countries", "polygons") is None
            cache.save()
    _cache._OPEN.clear()


def test_cache_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for value in ("off", "0", "none", ""):
        monkeypatch.setenv("CORRIDORS_CACHE_DIR", value)
        assert _cache.cache_dir() is None
    _build(bundled_geodata_dir(), "off", monkeypatch)
    assert list(tmp_path.iterdir()) == []


def test_default_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORRIDORS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.cache_dir() == tmp_path / "xdg" / "corridors"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _cache.cache_dir() == tmp_path / ".cache" / "corridors"


def test_unwritable_cache_location_only_costs_time(
    tmp_path: Path, reference_html: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert _build(bundled_geodata_dir(), blocker / "cache", monkeypatch) == reference_html
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    assert list(tmp_path.iterdir()) == [blocker]  # no temporary file left behind


def test_collection_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not switch it back on
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_old_cache_files_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    for i in range(_cache.KEEP_FILES + 3):
        old = cache_dir / f"borders-old{i:02d}.json"
        old.write_text("{}", encoding="utf-8")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    (cache_dir / "unrelated.txt").write_text("keep me", encoding="utf-8")
    _build(bundled_geodata_dir(), cache_dir, monkeypatch)
    left = sorted(p.name for p in cache_dir.glob("borders-*.json"))
    assert len(left) == _cache.KEEP_FILES
    assert "borders-old00.json" not in left  # the oldest went first
    assert f"borders-old{_cache.KEEP_FILES + 2:02d}.json" in left
    assert (cache_dir / "unrelated.txt").exists()


def test_unreadable_sources_turn_the_cache_off(
    tmp_path: Path, reference_html: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_cache, "_CODE", ("no-such-module.py",))
    monkeypatch.setattr(_cache, "_CODE_DIGEST", [])
    cache_dir = tmp_path / "cache"
    assert _build(bundled_geodata_dir(), cache_dir, monkeypatch) == reference_html
    assert not cache_dir.exists()


def test_library_functions_leave_the_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading and drawing the atlas never switch the process's collector off (the CLI may)."""
    from corridors import atlas_map, load_atlas

    def refuse() -> None:
        raise AssertionError("a library function switched the garbage collector off")

    monkeypatch.setattr(gc, "disable", refuse)
    atlas_map(load_atlas())
    assert gc.isenabled()
