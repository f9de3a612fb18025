"""The hostile-input catalogue (tests/hostile_corpus.toml) is complete and holds.

Every case names its message and either runs here (the CLI in process on a fresh folder,
its outcome classified by :func:`tests.hostile_corpus.classify`) or names the test that
covers it, which must exist. ``python tests/hostile_corpus.py`` counts the outcomes of the
runnable cases on any source tree, each in its own process (the before/after numbers).
"""

from __future__ import annotations

import re
import signal
from pathlib import Path
from typing import Any

import pytest
from tests.hostile_corpus import OUTCOMES, classify, load_cases, prepare

from corridors.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
CASES = load_cases()

#: The examples issue 14 lists; each must be in the catalogue.
ISSUE_EXAMPLES = {
    "md-report-injection", "compare-md-injection", "csv-formula", "cache-valid-checksum-poisoned",
    "parquet-bomb", "line-2-6m-vertices", "nodes-195mb", "id-trailing-newline",
    "segment-id-is-a-passage", "added-node-unknown-country", "empty-modes", "subnormal-speed",
    "hours-1e308", "env-max-input-nan", "env-max-vertices-nan", "misspelt-countries-file",
    "validate-two-nodes-files", "export-onto-its-geodata", "gpkg-stale-count",
    "lone-surrogate-validate", "lone-surrogate-list-json", "no-home-directory",
    "sigterm-temp-file", "dangling-symlink-output", "antimeridian-link", "nested-json-overlay",
    "nested-json-geodata", "nested-toml-scenario", "fifo-overlay", "fifo-scenario", "fifo-cache",
    "dev-zero-scenario", "digits-coordinate", "digits-as-of", "speed-10e400-integer",
    "include-fan-out", "enospc-map", "stdout-dev-full", "closed-pipe", "name-too-long",
    "file-created-during-run", "tiles-unknown", "ctrl-c-in-geos", "md-renders-as-text",
}  # fmt: skip


def test_ids_are_unique_and_every_case_says_what_it_must_give():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    for c in CASES:
        assert c["expect"] in ("error", "accept"), c["id"]
        assert "message" in c and c.get("what"), c["id"]
        assert "argv" in c or "test" in c, f"{c['id']}: neither runnable nor covered by a test"
        assert c.get("was", "located-error") in OUTCOMES, c["id"]


def test_every_example_of_the_issue_and_of_the_floor_is_catalogued():
    ids = {c["id"] for c in CASES}
    assert ids >= ISSUE_EXAMPLES, sorted(ISSUE_EXAMPLES - ids)
    floor = Path("/work/shared/reference/bad-inputs.md")
    numbers = {int(c["origin"].split("-")[-1]) for c in CASES if c["origin"].startswith("bad-")}
    assert numbers == set(range(1, 41)) or not floor.exists()


@pytest.mark.parametrize("case", [c for c in CASES if "test" in c], ids=lambda c: c["id"])
def test_every_referenced_test_exists(case: dict[str, Any]):
    path, _, name = case["test"].partition("::")
    text = (ROOT / path).read_text(encoding="utf-8")
    func, _, param = name.partition("[")
    assert re.search(rf"^def {re.escape(func)}\(", text, re.M), case["test"]
    if param:
        assert f'"{param.rstrip("]")}"' in text, case["test"]


#: Seconds a case that used to hang may take now.
HANG_S = 5


def _too_slow(signum: int, frame: object) -> None:
    raise TimeoutError(f"still running after {HANG_S} s: a hang")


def _run_in_process(case: dict[str, Any], tmp: Path, monkeypatch, capsys) -> tuple[str, str]:
    argv, env = prepare(case, tmp)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.chdir(tmp)
    crashed = False
    if case.get("was") == "hang":  # a case that hung before must end within 5 s
        signal.signal(signal.SIGALRM, _too_slow)
        signal.alarm(HANG_S)
    try:
        status: int | None = main(argv)
    except SystemExit as exc:
        status = int(exc.code or 0)
    except Exception:  # a traceback (or the hang guard), which classify reports
        status, crashed = None, True
    finally:
        signal.alarm(0)
    captured = capsys.readouterr()
    outcome = classify(
        case, tmp, status=status, out=captured.out, err=captured.err, crashed=crashed
    )
    return outcome, captured.err[-2000:]


RUNNABLE = [c for c in CASES if "argv" in c and not c.get("slow")]


@pytest.mark.parametrize("case", RUNNABLE, ids=lambda c: c["id"])
def test_runnable_case_gives_its_message(case, tmp_path, monkeypatch, capsys):
    outcome, err = _run_in_process(case, tmp_path, monkeypatch, capsys)
    assert outcome == ("located-error" if case["expect"] == "error" else "accepted"), err
