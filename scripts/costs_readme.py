"""Write (or check) the README's table of cost defaults from geodata/costs.toml.

Usage: ``python scripts/costs_readme.py`` rewrites the table between the
``<!-- costs-table:start -->`` and ``<!-- costs-table:end -->`` markers of README.md;
``--check`` exits 1 when the README is out of date (the test suite checks the same).
"""

from __future__ import annotations

import sys
from pathlib import Path

from corridors.costs_table import markdown_table
from corridors.io.geodata import load_atlas

START, END = "<!-- costs-table:start -->", "<!-- costs-table:end -->"
README = Path(__file__).resolve().parents[1] / "README.md"


def render(text: str) -> str:
    """``text`` (the README) with the table between the markers regenerated."""
    head, sep, rest = text.partition(START)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise SystemExit(f"{README}: markers {START} / {END} not found")
    table = load_atlas().costs
    if table is None:
        raise SystemExit("the bundled geodata has no costs.toml")
    return f"{head}{START}\n{markdown_table(table)}\n{END}{tail}"


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print(f"{README}: the cost table is out of date; run scripts/costs_readme.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
