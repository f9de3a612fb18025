"""Turn an :class:`~corridors.model.Atlas` into map layers and build the atlas map.

This module decides *what* is drawn (corridors, platforms, places, the basemap); the layer
tree is :mod:`corridors.maps.tree`, the features :mod:`corridors.maps.features`.
:mod:`corridors.render` decides *how* it is drawn.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridors.maps.features import (
    feature_collection,
    node_feature,
    segment_feature,
    source_links,
)
from corridors.maps.projects import project_layers
from corridors.maps.sealanes import sea_lane_coords
from corridors.maps.tree import (
    GROUP_BASEMAP,
    GROUP_PLACES,
    GROUP_PLATFORM,
    GROUP_PLATFORMS,
    KIND_TITLES,
    atlas_bounds,
    corridor_group,
    tree_order,
)
from corridors.model import Atlas, Platform

if TYPE_CHECKING:  # pragma: no cover
    import folium

    from corridors.maps.overlay import OverlaySource
    from corridors.render import LayerSpec

__all__ = ["atlas_layers", "atlas_map", "atlas_timeline", "format_date", "save_atlas"]


def _platform_layer(
    atlas: Atlas, platform: Platform, *, group: tuple[str, ...], order: int
) -> LayerSpec | None:
    from corridors.render import LayerSpec

    if atlas.countries is None:
        return None
    names = atlas.countries.names
    meetings = [{"date": m.date, "place": m.place, "level": m.level} for m in platform.meetings]
    feats = []
    for iso3 in platform.members:
        poly = atlas.countries.polygons.get(iso3)
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
                    "sources": source_links(platform.sources),
                },
                "geometry": atlas.countries.geojson(iso3),
            }
        )
    return LayerSpec(
        key=f"platform:{platform.id}",
        role="platform",
        title=f"{platform.name} (member countries)",
        group=group,
        kind="polygons",
        features=feature_collection(feats),
        order=order,
        source_sha256=_borders_sha256(atlas),
    )


def _borders_sha256(atlas: Atlas) -> str | None:
    cache = getattr(atlas.countries, "cache", None)
    return getattr(cache, "source_sha256", None) or None


def atlas_layers(
    atlas: Atlas,
    *,
    segment_filter: Mapping[str, Mapping[str, Any]] | None = None,
    extra_layers: Sequence[LayerSpec] = (),
    worldview: str = "deu",
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
    worldview : str
        Whose country the disputed-areas layer names (:mod:`corridors.geo.disputed`).

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
            seg = atlas.segments[sid]
            feat = segment_feature(atlas, seg, cor, **extra)
            if seg.mode == "sea":  # as ships sail it, like the scenario maps
                feat["geometry"]["coordinates"] = [list(c) for c in sea_lane_coords(atlas, seg)]
            feats.append(feat)
        if not feats:
            continue
        order += 1
        layers.append(
            LayerSpec(
                key=f"corridor:{cor.id}",
                role="corridor",
                title=cor.name,
                group=corridor_group(atlas, cor),
                kind="lines",
                features=feature_collection(feats),
                order=order,
                colour=cor.colour,
            )
        )
    for plat in atlas.platforms.values():
        order += 1
        featured = plat.id == atlas.featured_platform
        group = (GROUP_PLATFORM,) if featured else (GROUP_PLATFORMS,)
        layer = _platform_layer(atlas, plat, group=group, order=0 if featured else order)
        if layer is not None:
            layers.append(layer)
    layers.extend(extra_layers)
    if segment_filter is None:  # the atlas map; scenario maps draw their own network only
        projects = project_layers(atlas, start_order=order)
        layers.extend(projects)
        order += len(projects)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    hub_rank = {h: i + 1 for i, h in enumerate(atlas.hubs)}
    for node in atlas.nodes.values():
        feat = node_feature(node)
        if node.id in hub_rank:  # labelled on the map, in hubs.toml order
            feat["properties"]["hub"] = hub_rank[node.id]
        by_kind.setdefault(node.kind, []).append(feat)
    for kind in sorted(by_kind, key=lambda k: (k != "chokepoint", KIND_TITLES.get(k, k))):
        order += 1
        layers.append(
            LayerSpec(
                key=f"nodes:{kind}",
                role="nodes",
                title=KIND_TITLES.get(kind, kind),
                group=(GROUP_PLACES,),
                kind="points",
                features=feature_collection(by_kind[kind]),
                order=order,
                visible=kind not in ("junction", "station"),
            )
        )
    layers = tree_order(atlas, layers)
    if atlas.countries is not None:
        feats = [
            {
                "type": "Feature",
                "properties": {"iso3": c, "name": atlas.countries.names[c]},
                "geometry": atlas.countries.geojson(c),
            }
            for c in atlas.countries.codes
        ]
        layers.append(
            LayerSpec(
                key="basemap:countries",
                role="basemap",
                title="Countries (Natural Earth)",
                group=(GROUP_BASEMAP,),
                kind="polygons",
                features=feature_collection(feats),
                order=len(layers) + 1,
                source_sha256=_borders_sha256(atlas),
            )
        )
    from corridors.maps.disputed import disputed_layer

    disputed = disputed_layer(atlas, worldview=worldview, order=len(layers) + 1)
    if disputed is not None:
        layers.append(disputed)
    return layers


def atlas_map(
    atlas: Atlas | None = None,
    *,
    title: str = "corridors atlas — CPEC+ and Azerbaijan's 3+3 platform",
    tiles: Sequence[str] = (),
    overlays: Sequence[OverlaySource] = (),
    segment_filter: Mapping[str, Mapping[str, Any]] | None = None,
    worldview: str = "deu",
    lab: bool = True,
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
    overlays : sequence of LayerSpec, GeoDataFrame or path
        User overlays: layers from :func:`corridors.maps.overlay.load_overlay`, or
        GeoDataFrames and files it reads (a frame needs a CRS; it is reprojected to
        EPSG:4326 when needed).
    segment_filter : mapping, optional
        See :func:`atlas_layers`.
    worldview : str
        See :func:`atlas_layers`.
    lab : bool
        Put the full-vision network in the page, so that it routes, closes and reopens
        links itself (the route lab, :mod:`corridors.maps.lab`).

    Returns
    -------
    folium.Map
    """
    from corridors.io.geodata import load_atlas
    from corridors.maps.overlay import overlay_layers
    from corridors.render import build_map

    atlas = atlas if atlas is not None else load_atlas()
    extra = overlay_layers(overlays)
    layers = atlas_layers(
        atlas, segment_filter=segment_filter, extra_layers=extra, worldview=worldview
    )
    data = None
    if lab:
        from corridors.maps.lab import cached_lab_network

        data = {"lab": cached_lab_network(atlas)}
    return build_map(
        layers,
        title=title,
        tiles=tiles,
        bounds=atlas_bounds(atlas),
        subtitle=f"Data as of {format_date(atlas.as_of)}" if atlas.as_of else None,
        timeline=atlas_timeline(atlas),
        data=data,
    )


_MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def format_date(text: str) -> str:
    """``"2026-12-01"`` → ``"1 Dec 2026"`` (partial dates as far as they go).

    Examples
    --------
    >>> format_date("2026-12-01"), format_date("2026-04"), format_date("2026")
    ('1 Dec 2026', 'Apr 2026', '2026')
    """
    parts = str(text).split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = _MONTHS[int(parts[1]) - 1]
        day = f"{int(parts[2])} " if len(parts) > 2 and parts[2].isdigit() else ""
        return f"{day}{month} {parts[0]}"
    return str(text)


def _target_name(atlas: Atlas, target: str) -> str:
    from corridors.network.sea import PASSAGES

    kind, _, ref = target.partition(":")
    if kind == "node" and ref in atlas.nodes:
        return atlas.nodes[ref].name
    if kind == "segment" and ref in atlas.segments:
        return atlas.segments[ref].name
    if kind == "passage" and ref in PASSAGES:
        return PASSAGES[ref].name
    if kind == "border":
        return ref.replace("-", "\u2013") + " border"
    return target


def atlas_timeline(atlas: Atlas) -> list[dict[str, str]]:
    """The dated marks of the map's year control: closures (``events.toml``) and platform
    meetings, by date (ties: id)."""
    marks: list[tuple[str, str, dict[str, str]]] = []
    for ev in atlas.events.values():
        what = ", ".join(_target_name(atlas, t) for t in ev.targets)
        span = format_date(ev.start) + " \u2013 " + (format_date(ev.end) if ev.end else "")
        mark = {"date": ev.start, "kind": ev.kind, "label": f"{ev.kind.capitalize()}: {what}"}
        mark["span"] = span.strip()
        if ev.end:
            mark["end"] = ev.end
        marks.append((ev.start, ev.id, mark))
    for plat in atlas.platforms.values():
        short = plat.name.split(" (")[0]
        for i, m in enumerate(plat.meetings):
            label = f"Meeting: {short}, {m.place}"
            mark = {"date": m.date, "kind": "meeting", "label": label, "span": format_date(m.date)}
            marks.append((m.date, f"{plat.id}-{i:03d}", mark))
    return [m for _d, _id, m in sorted(marks, key=lambda x: (x[0], x[1]))]


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
