"""Execute the bundled notebooks and store their (small) outputs, so that they read well on a
code-hosting site without being run.

Usage: ``python scripts/run_notebooks.py`` (all) or ``python scripts/run_notebooks.py NAME``.
Each output keeps one representation: HTML when there is one (tables), else the PNG for a
figure, else the text; execution counts and metadata that change from run to run are
dropped. ``tests/scenario/test_notebooks.py`` re-executes them and checks that the stored
outputs are current.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbclient
import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["wcpec-meets-azerbaijan.ipynb", "scpec-chokepoint-exposure.ipynb"]
#: Largest notebook file, bytes (stored outputs must stay small).
MAX_BYTES = 250_000


def slim(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep one representation per output and drop run-specific metadata, in place."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.execution_count = None
        cell.metadata = {k: v for k, v in cell.metadata.items() if k not in ("execution",)}
        merged = []  # one stream output per stream name (chunking varies between runs)
        for out in cell.outputs:
            if (
                out.output_type == "stream"
                and merged
                and merged[-1].output_type == "stream"
                and (merged[-1].name == out.name)
            ):
                merged[-1].text += out.text
                continue
            merged.append(out)
        cell.outputs = merged
        for out in cell.outputs:
            if "execution_count" in out:
                out["execution_count"] = None
            if "data" in out:
                data = out["data"]
                for keep in ("text/html", "image/png", "text/plain"):
                    if keep in data:
                        out["data"] = {keep: data[keep]}
                        break
                out["metadata"] = {}
    return nb


def execute(path: Path) -> nbformat.NotebookNode:
    """Run ``path`` top to bottom in its folder and return the slimmed notebook."""
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return slim(nb)


def main(argv: list[str]) -> int:
    for name in argv or NAMES:
        path = NOTEBOOKS / name
        nb = execute(path)
        nbformat.write(nb, path)
        size = path.stat().st_size
        print(f"{path}: {size:,} bytes")
        if size > MAX_BYTES:
            print(f"{path}: larger than {MAX_BYTES:,} bytes; make the outputs smaller")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
