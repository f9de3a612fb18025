"""The project's own map script and styles: the script files concatenated as they are."""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib import resources

import pytest

from corridors.render.resources import CSS_FILES, JS_FILES, own_css, own_js


def _source(*parts: str) -> str:
    return (resources.files("corridors.render") / "assets").joinpath(*parts).read_text("utf-8")


def _script() -> str:
    return "".join(_source("js", name) for name in JS_FILES)


def test_script_is_the_files_in_their_order_unminified():
    folder = resources.files("corridors.render") / "assets" / "js"
    assert sorted(p.name for p in folder.iterdir() if p.name.endswith(".js")) == sorted(JS_FILES)
    out = own_js()
    assert out == _script()  # nothing removed or rewritten (no "</script" in the sources)
    assert out.startswith("/*! corridors.js: map controls of the corridors atlas (MIT licence")
    assert "Corridors" in out and "decodeGeometry" in out and "DecompressionStream" in out
    assert own_js() == out  # deterministic
    css = own_css()
    assert css.startswith("/*! corridors.css:") and "MIT licence" in css
    assert css == "".join(_source(name) for name in CSS_FILES)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_concatenated_script_parses(tmp_path):
    path = tmp_path / "corridors.js"
    path.write_text(own_js(), encoding="utf-8")
    done = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_script_does_not_patch_leaflet():
    """The header's promise: Leaflet's classes are used and extended, never patched."""
    code = own_js()
    assert "_clipPoints" not in code
    assert not re.search(r"\bL\.\w+\.(?:include|mergeOptions|addInitHook)\(", code)
    assert not re.search(r"\bL\.\w+\.prototype\.\w+\s*=", code)
    # private names are the script's own, or the drawing hooks that CanvasMark overrides
    # and the state they read (the exception the header names)
    code = re.sub(r"(?s)/\*.*?\*/", "", code)
    used = set(re.findall(r"\.(_[a-zA-Z]\w*)", code))
    own = set(re.findall(r"(?:App\.prototype|this|self)\.(_\w+)\s*=", code))
    hooks = {"_updateBounds", "_updatePath"}
    read = {"_clickTolerance", "_point", "_pxBounds", "_renderer", "_drawing", "_empty", "_ctx"}
    assert used - own - hooks - read == set()
    assert hooks <= set(re.findall(r"(_\w+): function", code))


def test_geometry_type_codes_match_the_map_script():
    from corridors.render.codec import TYPE_CODES

    m = re.search(r"var GEOMETRY_TYPES = \{(.*?)\};", _source("js", "decode.js"), re.S)
    assert m
    pairs = dict(re.findall(r"(\w+): '(\w+)'", m.group(1)))
    assert pairs == {code: kind for kind, code in TYPE_CODES.items()}


def test_digit_split_matches_the_map_script():
    from corridors.render.codec import ALPHABET, TERMINAL

    assert re.search(rf"TERMINAL = {TERMINAL};", _source("js", "decode.js"))
    assert f"var DIGITS = '{ALPHABET}'" in _source("js", "decode.js")
