"""Turn an :class:`~corridors.model.Atlas` into map layers and build the atlas map.

This module decides *what* is drawn and how layers are grouped (the tree: CPEC+ → its
branches; Azerbaijan's 3+3 platform → member countries and its corridors; other corridors;
places by kind; the country basemap). :mod:`corridors.render` decides *how* it is drawn.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridors.geo.measure import measure_segment
from corridors.model import Atlas, Corridor, Node, Platform, Segment, Source

if TYPE_CHECKING:  # pragma: no cover
    import folium

    from corridors.render import LayerSpec

__all__ = ["atlas_layers", "atlas_map", "save_atlas"]

#: Tree group titles.
GROUP_PLATFORM = "Azerbaijan's 3+3 platform"
GROUP_OTHER = "Other corridors"
GROUP_PLACES = "Places"
GROUP_PLATFORMS = "Other platforms"
GROUP_BASEMAP = "Basemap"

_KIND_TITLES = {
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


def _sources(sources: Iterable[Source]) -> list[dict[str, Any]]:
    return [{"url": s.url, "title": s.title or s.url} for s in sources]


def segment_feature(atlas: Atlas, seg: Segment, corridor: Corridor, **extra: Any) -> dict[str, Any]:
    """GeoJSON feature of a segment with the properties the map's popups show."""
    m = measure_segment(atlas, seg)
    props: dict[str, Any] = {
        "id": seg.id,
        "name": seg.name,
        "corridor": corridor.id,
        "corridor_name": corridor.name,
        "mode": seg.mode,
        "status": seg.status,
        "status_year": seg.status_history[-1].year if seg.status_history else None,
        "status_history": [[h.date, h.status] for h in seg.status_history],
        "precision": seg.precision,
        "length_km": round(m.length_km, 1),
        "published_length_km": m.published_length_km,
        "effective_length_km": round(m.effective_length_km, 1),
        "countries": list(m.countries),
        "gauge_mm": (seg.gauge_mm[0] if len(seg.gauge_mm) == 1 else list(seg.gauge_mm))
        if seg.gauge_mm
        else None,
        "opened_year": seg.opened_year,
        "sources": _sources(seg.sources),
        "note": seg.note,
    }
    props.update(extra)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in seg.coords]},
    }


def node_feature(node: Node) -> dict[str, Any]:
    """GeoJSON feature of a node."""
    return {
        "type": "Feature",
        "properties": {
            "id": node.id,
            "name": node.name,
            "aliases": list(node.aliases),
            "country": node.country,
            "kind": node.kind,
            "precision": node.precision,
            "sources": _sources(node.sources),
            "note": node.note,
        },
        "geometry": {"type": "Point", "coordinates": [node.lon, node.lat]},
    }


def _fc(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _platform_layer(
    atlas: Atlas, platform: Platform, *, group: tuple[str, ...], order: int
) -> LayerSpec | None:
    from corridors.render import LayerSpec

    if atlas.countries is None:
        return None
    names = atlas.countries.names  # type: ignore[attr-defined]
    meetings = [{"date": m.date, "place": m.place, "level": m.level} for m in platform.meetings]
    feats = []
    for iso3 in platform.members:
        poly = atlas.countries.polygons.get(iso3)  # type: ignore[attr-defined]
        if poly is None:
            continue
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "iso3": iso3,
                    "name": names.get(iso3, iso3),
                    "platform": platform.name,
                    "members": list(platform.members),
                    "meetings": meetings,
                    "sources": _sources(platform.sources),
                },
                "geometry": atlas.countries.geojson(iso3),  # type: ignore[attr-defined]
            }
        )
    return LayerSpec(
        key=f"platform:{platform.id}",
        title=f"{platform.name} (member countries)",
        group=group,
        kind="polygons",
        features=_fc(feats),
        order=order,
        source_sha256=_borders_sha256(atlas),
    )


def _borders_sha256(atlas: Atlas) -> str | None:
    cache = getattr(atlas.countries, "cache", None)
    return getattr(cache, "source_sha256", None) or None


def _corridor_group(atlas: Atlas, corridor: Corridor) -> tuple[str, ...]:
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
    if corridor.platform == "aze-3plus3" or (
        corridor.platform is not None and corridor.platform in atlas.platforms
    ):
        return (
            GROUP_PLATFORM
            if corridor.platform == "aze-3plus3"
            else atlas.platforms[corridor.platform].name,
        )
    return (GROUP_OTHER,)


def atlas_layers(
    atlas: Atlas,
    *,
    segment_filter: Mapping[str, Mapping[str, Any]] | None = None,
    extra_layers: Sequence[LayerSpec] = (),
) -> list[LayerSpec]:
    """Layers of the atlas map, in tree order.

    Parameters
    ----------
    atlas : Atlas
    segment_filter : mapping, optional
        Segment id → extra feature properties (e.g. ``{"closed": True}``). When given, only
        these segments are drawn (used for scenarios).
    extra_layers : sequence of LayerSpec
        Added after the corridor layers (e.g. computed routes, user overlays).

    Returns
    -------
    list of LayerSpec
    """
    from corridors.render import LayerSpec

    layers: list[LayerSpec] = []
    order = 0
    for cor in atlas.corridors.values():
        feats = []
        for sid in cor.segments:
            if segment_filter is not None and sid not in segment_filter:
                continue
            extra = dict(segment_filter[sid]) if segment_filter is not None else {}
            feats.append(segment_feature(atlas, atlas.segments[sid], cor, **extra))
        if not feats:
            continue
        order += 1
        layers.append(
            LayerSpec(
                key=f"corridor:{cor.id}",
                title=cor.name,
                group=_corridor_group(atlas, cor),
                kind="lines",
                features=_fc(feats),
                order=order,
            )
        )
    for plat in atlas.platforms.values():
        order += 1
        group = (GROUP_PLATFORM,) if plat.id == "aze-3plus3" else (GROUP_PLATFORMS,)
        layer = _platform_layer(
            atlas, plat, group=group, order=0 if plat.id == "aze-3plus3" else order
        )
        if layer is not None:
            layers.append(layer)
    layers.extend(extra_layers)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for node in atlas.nodes.values():
        by_kind.setdefault(node.kind, []).append(node_feature(node))
    for kind in sorted(by_kind, key=lambda k: (k != "chokepoint", _KIND_TITLES.get(k, k))):
        order += 1
        layers.append(
            LayerSpec(
                key=f"nodes:{kind}",
                title=_KIND_TITLES.get(kind, kind),
                group=(GROUP_PLACES,),
                kind="points",
                features=_fc(by_kind[kind]),
                order=order,
                visible=kind not in ("junction", "station"),
            )
        )
    layers = _tree_order(atlas, layers)
    if atlas.countries is not None:
        feats = [
            {
                "type": "Feature",
                "properties": {"iso3": c, "name": atlas.countries.names[c]},
                "geometry": atlas.countries.geojson(c),  # type: ignore[attr-defined]
            }
            for c in atlas.countries.codes
        ]  # type: ignore[attr-defined]
        layers.append(
            LayerSpec(
                key="basemap:countries",
                title="Countries (Natural Earth)",
                group=(GROUP_BASEMAP,),
                kind="polygons",
                features=_fc(feats),
                order=len(layers) + 1,
                source_sha256=_borders_sha256(atlas),
            )
        )
    return layers


def _tree_order(atlas: Atlas, layers: list[LayerSpec]) -> list[LayerSpec]:
    """Stable tree order: CPEC+ first, then the 3+3 platform, other corridors, other
    platforms, overlays, places; file order inside each group."""
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
        GROUP_PLACES: 104,
        GROUP_BASEMAP: 105,
    }

    def key(item: tuple[int, LayerSpec]) -> tuple[int, int]:
        i, layer = item
        top = layer.group[0] if layer.group else ""
        return (rank.get(top, fixed.get(top, 103)), i)

    ordered = [layer for _, layer in sorted(enumerate(layers), key=key)]
    return [dataclasses.replace(layer, order=i) for i, layer in enumerate(ordered, start=1)]


def _bounds(atlas: Atlas) -> tuple[float, float, float, float]:
    lons = [n.lon for n in atlas.nodes.values()]
    lats = [n.lat for n in atlas.nodes.values()]
    return (min(lons), min(lats), max(lons), max(lats))


def atlas_map(
    atlas: Atlas | None = None,
    *,
    title: str = "corridors atlas — CPEC+ and Azerbaijan's 3+3 platform",
    tiles: Sequence[str] = (),
    overlays: Sequence[LayerSpec] = (),
    segment_filter: Mapping[str, Mapping[str, Any]] | None = None,
) -> folium.Map:
    """Build the interactive atlas map (a :class:`folium.Map`; shows inline in Jupyter).

    Parameters
    ----------
    atlas : Atlas, optional
        Defaults to the bundled geodata.
    title : str
        Page title.
    tiles : sequence of str
        Optional online base layers (e.g. ``"OpenStreetMap"``); the bundled country
        polygons are always the offline basemap.
    overlays : sequence of LayerSpec
        User overlays (see :func:`corridors.io.overlay.load_overlay`).
    segment_filter : mapping, optional
        See :func:`atlas_layers`.

    Returns
    -------
    folium.Map
    """
    from corridors.io.geodata import load_atlas
    from corridors.render import build_map

    atlas = atlas if atlas is not None else load_atlas()
    layers = atlas_layers(atlas, segment_filter=segment_filter, extra_layers=overlays)
    return build_map(layers, title=title, tiles=tiles, bounds=_bounds(atlas))


def save_atlas(
    m: folium.Map,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    inputs: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    """Write the map as one self-contained HTML file (atomic; never clobbers by default)."""
    from corridors.render import save_html

    return save_html(m, path, overwrite=overwrite, inputs=inputs)
