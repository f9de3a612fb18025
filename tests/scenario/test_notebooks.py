"""The scenario notebooks: stored with small, current outputs (they read without being run),
and executed top to bottom against the bundled data (nbclient)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ["wcpec-meets-azerbaijan.ipynb", "scpec-chokepoint-exposure.ipynb"]


def _runner():
    spec = importlib.util.spec_from_file_location(
        "run_notebooks", ROOT / "scripts" / "run_notebooks.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _shown(nb) -> list[list[str]]:
    """What each code cell shows, as text (figures as a marker)."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        shown = []
        for o in cell.outputs:
            if o.output_type == "stream":
                if shown and shown[-1].startswith("stream:"):
                    shown[-1] += o.text
                else:
                    shown.append("stream:" + o.text)
            elif "data" in o:
                data = o["data"]
                shown.append(
                    "<png>"
                    if "image/png" in data
                    else data.get("text/html") or data.get("text/plain", "")
                )
            else:
                shown.append(o.output_type)
        out.append(shown)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_with_small_outputs(name: str) -> None:
    nbformat = pytest.importorskip("nbformat")
    path = NOTEBOOKS / name
    assert path.stat().st_size <= _runner().MAX_BYTES
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs for c in code), f"{name}: run scripts/run_notebooks.py to store outputs"
    assert any("<png>" in shown for shown in _shown(nb)), "a static map is stored"
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"/(work|tmp|root|home)/", text), "no local paths in stored outputs"
    for c in code:
        assert c.execution_count is None
        assert all(o.output_type != "error" for o in c.outputs)
    # every result is followed by prose that reads it
    prose = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert sum(p.startswith("**Reading it.**") for p in prose) >= 2


@pytest.mark.notebook
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_and_its_stored_outputs_are_current(name: str, bundled_atlas) -> None:
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    stored = nbformat.read(NOTEBOOKS / name, as_version=4)
    fresh = _runner().execute(NOTEBOOKS / name)  # raises CellExecutionError on a failing cell
    assert _shown(fresh) == _shown(stored), (
        f"{name}: stored outputs are stale; run python scripts/run_notebooks.py {name}"
    )
