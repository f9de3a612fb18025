"""The cache trusts nothing it did not write (issue 14, item 8)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from corridors.io import cache as _cache
from corridors.io.geodata import bundled_geodata_dir, load_atlas
from corridors.maps.atlas import atlas_map
from corridors.render import render_html


def _fresh_build(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CORRIDORS_CACHE_DIR", str(cache_dir))
    _cache._OPEN.clear()
    _cache._WARNED.clear()
    html = render_html(atlas_map(load_atlas(bundled_geodata_dir())))
    for c in list(_cache._OPEN.values()):
        c.save()
    _cache._OPEN.clear()
    return html


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    mp = pytest.MonkeyPatch()
    try:
        folder = tmp_path_factory.mktemp("warm") / "cache"
        html = _fresh_build(folder, mp)
        return folder, html
    finally:
        mp.undo()


def _poison(folder: Path) -> Path:
    """Rewrite the cache file with valid checksums but hostile values."""
    (path,) = sorted(folder.glob("borders-*.json"))
    _header, _, body = path.read_bytes().partition(b"\n")
    data = json.loads(body)
    for key in data.get("runs", {}):
        data["runs"][key] = [["<img src=x onerror=alert(1)>", 12.5]]
    new = json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()
    import hashlib

    head = json.dumps({"format": _cache.FORMAT, "sha256": hashlib.sha256(new).hexdigest()})
    path.write_bytes(head.encode() + b"\n" + new)
    return path


def test_values_with_a_valid_checksum_are_still_checked(tmp_path, warm_cache, monkeypatch):
    folder, reference = warm_cache
    copy = tmp_path / "cache"
    shutil.copytree(folder, copy)
    os.chmod(copy, 0o700)
    _poison(copy)
    html = _fresh_build(copy, monkeypatch)
    # the page (its payload is compressed, so compare whole pages) is the uncached one
    assert html == reference


@pytest.mark.parametrize("who", ["folder", "file"])
def test_group_writable_cache_is_ignored_with_one_warning(tmp_path, warm_cache, monkeypatch, who):
    folder, reference = warm_cache
    copy = tmp_path / "cache"
    shutil.copytree(folder, copy)
    os.chmod(copy, 0o700)
    path = _poison(copy)
    target = copy if who == "folder" else path
    os.chmod(target, (0o770 if who == "folder" else 0o660) | 0o020)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        html = _fresh_build(copy, monkeypatch)
    msgs = [str(w.message) for w in caught if issubclass(w.category, _cache.CacheWarning)]
    assert len(msgs) == 1 and "writable by group or others" in msgs[0] and str(target) in msgs[0]
    assert html == reference
    os.chmod(target, 0o700 if who == "folder" else 0o600)  # no second warning at exit


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_cache_file_owned_by_someone_else_is_ignored(tmp_path, warm_cache, monkeypatch):
    folder, reference = warm_cache
    copy = tmp_path / "cache"
    shutil.copytree(folder, copy)
    os.chmod(copy, 0o700)
    path = _poison(copy)
    os.chown(path, 65534, 65534)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        html = _fresh_build(copy, monkeypatch)
    assert any("owned by another user" in str(w.message) for w in caught)
    assert html == reference


def test_a_fifo_as_cache_file_does_not_hang(tmp_path, warm_cache):
    folder, _reference = warm_cache
    copy = tmp_path / "cache"
    shutil.copytree(folder, copy)
    os.chmod(copy, 0o700)
    (path,) = sorted(copy.glob("borders-*.json"))
    path.unlink()
    os.mkfifo(path)
    code = (
        "import warnings, sys\n"
        "warnings.simplefilter('ignore')\n"
        "from corridors.io.geodata import load_atlas, bundled_geodata_dir\n"
        "load_atlas(bundled_geodata_dir()); print('done')\n"
    )
    env = {**os.environ, "CORRIDORS_CACHE_DIR": str(copy)}
    # a FIFO once hung the load forever; it must now end within 5 s (issue 14; ~0.5 s here)
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=5)
    assert res.returncode == 0 and b"done" in res.stdout


def test_no_home_directory_means_no_cache_not_a_crash(monkeypatch):
    monkeypatch.delenv("CORRIDORS_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert _cache.cache_dir() is None


def test_untrusted_reasons(tmp_path):
    assert _cache.untrusted(tmp_path / "missing", folder=True) is None
    f = tmp_path / "f.json"
    f.write_text("{}", encoding="utf-8")
    f.chmod(0o600)
    assert _cache.untrusted(f, folder=False) is None
    assert _cache.untrusted(f, folder=True) == "is not a directory"
    link = tmp_path / "l.json"
    link.symlink_to(f)
    assert _cache.untrusted(link, folder=False) == "is not a regular file"
    f.chmod(0o606)
    assert _cache.untrusted(f, folder=False) == "is writable by group or others"
