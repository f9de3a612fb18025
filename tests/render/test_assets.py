"""The project's own map script and styles: minified for the page, licence lines kept."""

from __future__ import annotations

from importlib import resources

from corridors.render.resources import minify_css, minify_js, own_css, own_js


def _source(name: str = "corridors.js") -> str:
    return (resources.files("corridors.render") / "assets" / name).read_text("utf-8")


def test_script_has_no_template_literals():
    # rjsmin does not understand template literals; the script does not use them
    code_lines = [
        line for line in _source().splitlines() if not line.strip().startswith(("//", "/*", "*"))
    ]
    assert not any("`" in line for line in code_lines), "rjsmin cannot handle `...`"


def test_minification_drops_comments_and_whitespace_keeps_licence():
    src = (
        "/*! licence */\nfunction f(a) {\n  // note\n  /* block\n     more */\n  return a / 2;\n}\n"
    )
    assert minify_js(src) == "/*! licence */function f(a){return a/2;}\n"
    assert minify_css("/*! l */\n.a {\n  color: red;\n}\n") == "/*! l */.a{color:red}\n"
    out = own_js()
    assert len(out) < 0.8 * len(_source())
    assert out.startswith("/*! corridors.js: map controls of the corridors atlas (MIT licence")
    assert "Corridors" in out and "decodeGeometry" in out
    css = own_css()
    assert css.startswith("/*! corridors.css:") and "MIT licence" in css
    assert len(css) < len(_source("corridors.css"))
    assert own_js() == out  # deterministic


def test_geometry_type_codes_match_the_map_script():
    import re

    from corridors.render.geometry import TYPE_CODES

    m = re.search(r"var GEOMETRY_TYPES = \{(.*?)\};", _source(), re.S)
    assert m
    pairs = dict(re.findall(r"(\w+): '(\w+)'", m.group(1)))
    assert pairs == {code: kind for kind, code in TYPE_CODES.items()}


def test_digit_split_matches_the_map_script():
    import re

    from corridors.render.geometry import ALPHABET, TERMINAL

    assert re.search(rf"TERMINAL = {TERMINAL};", _source())
    assert f"var DIGITS = '{ALPHABET}'" in _source()
