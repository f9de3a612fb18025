"""How map layers are grouped and ordered: the layer tree, its group titles, the map's bounds.

The tree: CPEC+ → its branches; Azerbaijan's 3+3 platform → member countries and its
corridors; other corridors; other platforms; overlays; places by kind; the country basemap.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from corridors.model import Atlas, Corridor

if TYPE_CHECKING:  # pragma: no cover
    from corridors.render import LayerSpec

__all__ = [
    "GROUP_BASEMAP",
    "GROUP_OTHER",
    "GROUP_OVERLAYS",
    "GROUP_PLACES",
    "GROUP_PLATFORM",
    "GROUP_PLATFORMS",
    "GROUP_PROJECTS",
    "GROUP_ROUTES",
    "KIND_TITLES",
    "atlas_bounds",
    "corridor_group",
    "tree_order",
]

#: Tree group titles.
GROUP_PLATFORM = "Azerbaijan's 3+3 platform"
GROUP_OTHER = "Other corridors"
GROUP_PLACES = "Places"
GROUP_PLATFORMS = "Other platforms"
GROUP_BASEMAP = "Basemap"
GROUP_ROUTES = "Computed routes"
GROUP_OVERLAYS = "Overlays"
GROUP_PROJECTS = "Projects"

#: Layer titles of the node kinds.
KIND_TITLES = {
    "capital": "Capitals",
    "city": "Cities",
    "seaport": "Seaports",
    "dry_port": "Dry ports",
    "border_crossing": "Border crossings",
    "junction": "Junctions",
    "station": "Stations",
    "chokepoint": "Chokepoints",
    "airport": "Airports",
    "pass": "Mountain passes",
    "gas_field": "Gas fields",
    "power_station": "Power stations",
}


def corridor_group(atlas: Atlas, corridor: Corridor) -> tuple[str, ...]:
    """Tree group of a corridor's layer: its ancestors, and itself when it has branches.

    A corridor with branches (W-CPEC+ → ITI) is a group holding its own layer and its
    branches' layers, instead of a layer next to a group of the same name.
    """
    lineage = atlas.corridor_lineage(corridor.id)  # self, parent, grandparent…
    ancestors = [atlas.corridors[c].name for c in reversed(lineage[1:])]
    if any(c.parent == corridor.id for c in atlas.corridors.values()):
        ancestors.append(corridor.name)
    if ancestors:
        return tuple(ancestors)
    featured = corridor.platform is not None and corridor.platform == atlas.featured_platform
    if featured or (corridor.platform is not None and corridor.platform in atlas.platforms):
        return (GROUP_PLATFORM if featured else atlas.platforms[str(corridor.platform)].name,)
    return (GROUP_OTHER,)


def tree_order(atlas: Atlas, layers: list[LayerSpec]) -> list[LayerSpec]:
    """Stable tree order: CPEC+ first, then the 3+3 platform, other corridors, other
    platforms, overlays and projects, places; file order inside each group."""
    roots = [
        c.name
        for c in atlas.corridors.values()
        if c.parent is None and any(x.parent == c.id for x in atlas.corridors.values())
    ]
    rank = {name: i for i, name in enumerate(roots)}
    fixed = {
        GROUP_PLATFORM: 100,
        GROUP_OTHER: 101,
        GROUP_PLATFORMS: 102,
        GROUP_PROJECTS: 103,
        GROUP_PLACES: 104,
        GROUP_BASEMAP: 105,
    }

    def key(item: tuple[int, LayerSpec]) -> tuple[int, int]:
        i, layer = item
        top = layer.group[0] if layer.group else ""
        return (rank.get(top, fixed.get(top, 103)), i)

    ordered = [layer for _, layer in sorted(enumerate(layers), key=key)]
    return [dataclasses.replace(layer, order=i) for i, layer in enumerate(ordered, start=1)]


def atlas_bounds(atlas: Atlas) -> tuple[float, float, float, float]:
    """``(min lon, min lat, max lon, max lat)`` of the atlas' nodes."""
    lons = [n.lon for n in atlas.nodes.values()]
    lats = [n.lat for n in atlas.nodes.values()]
    return (min(lons), min(lats), max(lons), max(lats))
