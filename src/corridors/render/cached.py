"""Display geometry and topology through the on-disk cache of :mod:`corridors.io.cache`.

The country basemap and the platform members come unchanged from one borders file (their
:attr:`~corridors.render.spec.LayerSpec.source_sha256` says which); their display form
and their topology depend only on that file and on the display parameters, so they are
kept with the other values derived from it. Every other layer is computed each time.
A cache entry never changes what is computed, only whether it is computed again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from corridors.render import codec
from corridors.render import geometry as geo
from corridors.render.spec import LayerSpec

__all__ = ["display", "topology"]


def display(
    spec: LayerSpec,
    props: Mapping[str, Any],
    geometry: dict[str, Any] | None,
    **params: Any,
) -> tuple[list[Any], geo.Bounds] | None:
    """:func:`~corridors.render.geometry.encode_display`, from the cache when the layer
    allows it (a ``source_sha256`` and a feature named by ``iso3`` or ``id``)."""
    fid = props.get("iso3") or props.get("id")
    if spec.source_sha256 is None or not isinstance(fid, str) or geometry is None:
        return geo.encode_display(geometry, **params)
    from corridors.io import cache

    disk = cache.for_borders(spec.source_sha256)
    key = cache.digest(fid, sorted(params.items()))
    hit = disk.get("display", key)
    if (
        isinstance(hit, list)
        and len(hit) == 2
        and isinstance(hit[0], list)
        and isinstance(hit[1], list)
        and len(hit[1]) == 4
    ):
        return hit[0], (hit[1][0], hit[1][1], hit[1][2], hit[1][3])
    shown = geo.encode_display(geometry, **params)
    if shown is not None:
        disk.put("display", key, [shown[0], list(shown[1])])
    return shown


def topology(
    sources: set[str | None], unique: Mapping[str, list[Any]], decimals: int
) -> tuple[list[Any], list[list[Any]]]:
    """:func:`~corridors.render.codec.encode_topology` of the distinct compact polygons
    ``unique`` (keyed by their JSON text), from the cache when they all come from one
    borders file (``sources``: the layers' ``source_sha256``)."""
    where = _where(sources, unique)
    if where is not None:
        disk, key = where
        hit = disk.get("topology", key)
        if (
            isinstance(hit, list)
            and len(hit) == 2
            and isinstance(hit[0], list)
            and isinstance(hit[1], list)
            and len(hit[1]) == len(unique)
        ):
            return hit[0], hit[1]
    rounded = [codec.decode_geometry(c) for c in unique.values()]
    found = codec.encode_topology(rounded, decimals)
    if where is not None:
        disk, key = where
        disk.put("topology", key, [found[0], found[1]])
    return found


def _where(sources: set[str | None], unique: Mapping[str, Any]) -> tuple[Any, str] | None:
    if len(sources) != 1 or None in sources:
        return None
    from corridors.io import cache

    (source,) = sources
    text = "\n".join(unique).encode("utf-8")
    return cache.for_borders(str(source)), cache.digest(
        hashlib.sha256(text).hexdigest(), codec.MIN_ARC_VERTICES
    )
