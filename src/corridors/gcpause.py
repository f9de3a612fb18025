"""Pausing Python's cyclic garbage collector around allocation-heavy, acyclic work."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

__all__ = ["collection_paused", "paused_collection"]

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def collection_paused() -> Iterator[None]:
    """Switch the cyclic garbage collector off for the ``with`` block.

    Reading the borders file or building a map's data creates hundreds of thousands of
    lists and dicts, which keep triggering collections that also walk the objects pandas,
    shapely and folium created at import time, while nothing collectable is produced (the
    data is acyclic). Pausing it takes about a quarter off a warm ``corridors map`` build
    (benchmarks/README.md).
    Reference counting still frees memory as usual; cycles made in the block are
    collected after it, when the collector is switched back on (if it was on).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def paused_collection(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator form of :func:`collection_paused`."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with collection_paused():
            return fn(*args, **kwargs)

    return wrapper
