"""Set-up for every pytest run, the tests and the doctests of the installed package alike.

The doctests (``testpaths`` includes ``corridors`` with ``--pyargs``) live outside ``tests/``,
so the fixtures of ``tests/conftest.py`` do not reach them: the derived-value cache is pointed
at a fresh temporary folder here, before anything is collected, so that no example reads or
writes the user's ``~/.cache/corridors`` (or a ``CORRIDORS_CACHE_DIR`` set in the shell).
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_SAVED = pytest.StashKey[tuple[str | None, str]]()


def pytest_configure(config: pytest.Config) -> None:
    folder = tempfile.mkdtemp(prefix="corridors-cache-")
    config.stash[_SAVED] = (os.environ.get("CORRIDORS_CACHE_DIR"), folder)
    os.environ["CORRIDORS_CACHE_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    saved = config.stash.get(_SAVED, None)
    if saved is None:
        return
    previous, folder = saved
    if previous is None:
        os.environ.pop("CORRIDORS_CACHE_DIR", None)
    else:
        os.environ["CORRIDORS_CACHE_DIR"] = previous
    shutil.rmtree(folder, ignore_errors=True)
