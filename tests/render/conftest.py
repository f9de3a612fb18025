"""Fixtures of the render tests (data in ``render_fixtures.py``)."""

from __future__ import annotations

import copy

import pytest
from render_fixtures import build_hostile_layers, build_layers

from corridors.render import LayerSpec


@pytest.fixture
def layers() -> list[LayerSpec]:
    return build_layers()


@pytest.fixture
def hostile_layers() -> list[LayerSpec]:
    return build_hostile_layers()


@pytest.fixture
def copy_layers():
    return lambda: copy.deepcopy(build_layers())
