"""Fixtures of the render tests (data in ``render_fixtures.py``), and headless Chromium.

``browser_page`` opens a page in the system's Chromium (``chromium`` on ``PATH``) through
Playwright, with a fresh profile and the network cut off: every request other than
``file:``/``data:`` is aborted and recorded. Without Chromium or Playwright the test is
skipped, except under CI (env ``CI`` set), where it fails.
"""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path

import pytest
from render_fixtures import build_default_atlas, build_hostile_layers, build_layers

from corridors.render import LayerSpec
from corridors.render.chromium import CHROMIUM_ARGS


@pytest.fixture
def layers() -> list[LayerSpec]:
    return build_layers()


@pytest.fixture
def hostile_layers() -> list[LayerSpec]:
    return build_hostile_layers()


@pytest.fixture
def copy_layers():
    return lambda: copy.deepcopy(build_layers())


@pytest.fixture(scope="session")
def default_atlas(tmp_path_factory) -> Path:
    """The default atlas (bundled geodata), built once per session by the command line."""
    out = tmp_path_factory.mktemp("default-atlas") / "atlas.html"
    run = build_default_atlas(out)
    assert run.returncode == 0, run.stderr
    return out


def _need(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI for the browser tests")
    pytest.skip(f"{what} not available")


@pytest.fixture
def browser_page(tmp_path: Path):
    """``(page, state)``: a Playwright page, and the ``external`` requests it tried, the
    console/page ``errors`` and the ``dialogs`` it opened."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        _need("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("playwright")
    profile = tmp_path / "profile"
    profile.mkdir()
    state: dict[str, list[str]] = {"external": [], "errors": [], "dialogs": []}
    with sync_playwright() as pw:
        # Playwright takes the (fresh) profile directory as user_data_dir, not as an arg.
        browser = pw.chromium.launch_persistent_context(
            user_data_dir=str(profile),
            executable_path=chromium,
            headless=True,
            args=list(CHROMIUM_ARGS),
            viewport={"width": 1280, "height": 800},
        )
        page = browser.new_page()

        def route(r):
            url = r.request.url
            if url.startswith(("file:", "data:")):
                r.continue_()
            else:
                state["external"].append(url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and state["errors"].append(m.text))
        page.on("pageerror", lambda e: state["errors"].append(str(e)))

        def on_dialog(d):
            state["dialogs"].append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        yield page, state
        browser.close()
