"""Sea lanes drawn as ships sail them: searoute's line for every ``sea`` segment.

The atlas draws a ``sea`` segment with the same geometry the scenario maps use
(:func:`corridors.network.sea.sea_leg` for each piece between the segment's nodes, no
passage closed), not the straight chords of ``segments.geojson``. Searches are computed
when the map is built and kept in the borders file's derived-value cache
(:mod:`corridors.io.cache`, section ``sea_lanes``), so a rebuild does not load searoute's
network again; the key holds both ends and searoute's version. A piece searoute cannot
reach keeps its drawn line. Ferries keep their drawn lines (as on scenario maps).
"""

from __future__ import annotations

import itertools
from importlib import metadata

from corridors.io.cache import digest
from corridors.model import Atlas, Segment

__all__ = ["sea_lane_coords"]

LonLat = tuple[float, float]


def _searoute_version() -> str:
    try:
        return metadata.version("searoute")
    except metadata.PackageNotFoundError:  # pragma: no cover - a dependency of corridors
        return "?"


def _leg(atlas: Atlas, origin: LonLat, destination: LonLat) -> tuple[LonLat, ...] | None:
    """searoute's line from ``origin`` to ``destination`` (cached on disk), or ``None``."""
    disk = getattr(atlas.countries, "cache", None)
    key = digest(list(origin), list(destination), _searoute_version())
    if disk is not None:
        hit = disk.get("sea_lanes", key)
        if isinstance(hit, list) and all(
            isinstance(c, list) and len(c) == 2 and all(type(v) is float for v in c) for c in hit
        ):
            return tuple((c[0], c[1]) for c in hit) if len(hit) >= 2 else None
    from corridors.network.sea import sea_leg

    leg = sea_leg(origin, destination)
    coords = leg.coords if leg is not None else None
    if disk is not None:
        disk.put("sea_lanes", key, [[float(x), float(y)] for x, y in coords or ()])
    return coords


def sea_lane_coords(atlas: Atlas, seg: Segment) -> tuple[LonLat, ...]:
    """The line the maps draw for ``seg``: searoute's for ``sea``, else the drawn line.

    A ``sea`` segment is split at the nodes of its ``via`` like the network splits it, and
    each piece follows :func:`corridors.network.sea.sea_leg` (the drawn piece when there is
    no sea route).
    """
    if seg.mode != "sea":
        return seg.coords
    # split at the nodes of ``via`` exactly like network.graph.static_pieces (without
    # importing the network: a warm build needs neither networkx nor searoute)
    cut = [0] + [j for j, v in enumerate(seg.via, 1) if isinstance(v, str) and v in atlas.nodes]
    cut.append(len(seg.coords) - 1)
    refs = [seg.from_node, *(seg.via[j - 1] for j in cut[1:-1]), seg.to_node]
    out: list[LonLat] = []
    for k, (a, b) in enumerate(itertools.pairwise(cut)):
        leg = _leg(atlas, atlas.point(str(refs[k])), atlas.point(str(refs[k + 1])))
        piece = leg if leg is not None else seg.coords[a : b + 1]
        out.extend(piece if not out else piece[1:])
    return tuple(out)
