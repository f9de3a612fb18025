"""Issue 9: every module under ``src/corridors`` is at most 600 lines (as ``wc -l`` counts)
unless its module docstring says why, with the words "over 600 lines because"."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

MAX_LINES = 600
REASON = "over 600 lines because"
PACKAGE = Path(__file__).resolve().parents[1] / "src" / "corridors"


def line_count(text: str) -> int:
    """Lines as ``wc -l`` counts them: newline characters."""
    return text.count("\n")


def size_problem(name: str, text: str) -> str | None:
    """Why a module of this text is too long, or ``None`` when it is fine."""
    n = line_count(text)
    if n <= MAX_LINES:
        return None
    doc = ast.get_docstring(ast.parse(text, filename=name)) or ""
    if REASON in " ".join(doc.split()).lower():
        return None
    return (
        f"{name}: {n} lines > {MAX_LINES}; split it along a seam (one reason to change per "
        f'module) or give the reason in its docstring ("{REASON} ...")'
    )


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_package_is_found() -> None:
    # the size test below must not pass on an empty list
    assert (PACKAGE / "__init__.py").is_file()
    assert len(_modules()) > 50


def test_no_module_over_600_lines_without_a_reason() -> None:
    problems = [
        p
        for path in _modules()
        if (
            p := size_problem(
                str(path.relative_to(PACKAGE.parent)), path.read_text(encoding="utf-8")
            )
        )
    ]
    assert not problems, "\n".join(problems)


def _module(docstring: str, lines: int) -> str:
    head = f'"""{docstring}"""\n'
    return head + "x = 1\n" * (lines - head.count("\n"))


@pytest.mark.parametrize(
    ("docstring", "lines", "too_long"),
    [
        ("A module.", MAX_LINES, False),
        ("A module.", MAX_LINES + 1, True),
        ("A module over 600 lines\n    because one table is long.", MAX_LINES + 1, False),
        ("A module. Over 600 lines because of the tables.", 2 * MAX_LINES, False),
        ("A module of 600 lines.", MAX_LINES + 1, True),
    ],
)
def test_size_rule(docstring: str, lines: int, too_long: bool) -> None:
    text = _module(docstring, lines)
    assert line_count(text) == lines
    problem = size_problem("m.py", text)
    assert (problem is not None) is too_long
    if too_long:
        assert problem is not None and f"m.py: {lines} lines > 600" in problem


def test_a_reason_outside_the_docstring_does_not_count() -> None:
    text = '"""A module."""\n# over 600 lines because\n' + "x = 1\n" * MAX_LINES
    assert size_problem("m.py", text) is not None
