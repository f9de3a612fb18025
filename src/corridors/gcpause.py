"""Pausing Python's cyclic garbage collector around allocation-heavy, acyclic work.

Only the command line uses this (:func:`corridors.cli.main.main`): a library function never
switches the collector off, since that is a process-wide setting a notebook or an
application owns. The pause is re-entrant and thread-safe: nested or concurrent pauses
switch the collector back on only when the last one ends, and only if it was on before the
first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collection_paused"]

_LOCK = threading.Lock()
_STATE = {"depth": 0, "was_enabled": False}


@contextmanager
def collection_paused() -> Iterator[None]:
    """Switch the cyclic garbage collector off for the ``with`` block.

    Reading the borders file or building a map's data creates hundreds of thousands of
    lists and dicts, which keep triggering collections that also walk the objects pandas,
    shapely and folium created at import time, while nothing collectable is produced (the
    data is acyclic). Pausing it takes about a quarter off a warm ``corridors map`` build
    (benchmarks/README.md). Reference counting still frees memory as usual; cycles made in
    the block are collected after it, when the collector is switched back on.

    Examples
    --------
    >>> import gc
    >>> gc.isenabled()
    True
    >>> with collection_paused():
    ...     with collection_paused():
    ...         pass
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    with _LOCK:
        if _STATE["depth"] == 0:
            _STATE["was_enabled"] = gc.isenabled()
            gc.disable()
        _STATE["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE["depth"] -= 1
            if _STATE["depth"] == 0 and _STATE["was_enabled"]:
                gc.enable()
