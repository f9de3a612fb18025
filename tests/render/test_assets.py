"""The project's own map script: the preconditions of its line-based compaction hold."""

from __future__ import annotations

from importlib import resources

from corridors.render.resources import compact_js, own_js


def _source() -> str:
    return (resources.files("corridors.render") / "assets" / "corridors.js").read_text("utf-8")


def test_script_has_no_template_literals_or_continued_strings():
    code_lines = [
        line for line in _source().splitlines() if not line.strip().startswith(("//", "/*", "*"))
    ]
    assert not any("`" in line for line in code_lines), "compact_js cannot handle `...`"
    assert not any(line.rstrip().endswith("\\") for line in code_lines)


def test_compaction_drops_comments_and_indentation_only():
    src = "function f(a) {\n  // note\n  /* block\n     more */\n  return a / 2; /* keep */\n}\n"
    assert compact_js(src) == "function f(a) {\nreturn a / 2; /* keep */\n}\n"
    out = own_js()
    assert len(out) < len(_source())
    assert "corridorsMap" in out or "L.map" in out
