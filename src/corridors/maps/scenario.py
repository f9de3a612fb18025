"""Draw a scenario: its open and closed links by corridor, and computed routes on top."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from corridors.maps.atlas import (
    _bounds,
    _corridor_group,
    _tree_order,
    atlas_layers,
    segment_feature,
)
from corridors.model import Atlas

if TYPE_CHECKING:  # pragma: no cover
    import folium

    from corridors.network.routing import Route
    from corridors.render import LayerSpec
    from corridors.scenario.model import Scenario

__all__ = ["scenario_map", "scenario_map_layers"]

GROUP_ROUTES = "Computed routes"


def _parse_pair(text: str) -> tuple[str, str]:
    from corridors.errors import ScenarioError

    if ":" not in text:
        raise ScenarioError(
            f"--route {text!r}: expected FROM:TO, e.g. 'Gwadar:Baku'; hint: quote names with spaces"
        )
    a, b = text.split(":", 1)
    return a.strip(), b.strip()


def scenario_map_layers(
    atlas: Atlas, scenario: Scenario, *, routes: Sequence[Route] = ()
) -> list[LayerSpec]:
    """Layers of a scenario map: corridors (closed links marked), routes, places, basemap."""
    from corridors.analytics.core import scenario_layers
    from corridors.render import LayerSpec

    drawn = scenario_layers(atlas, scenario, routes)
    by_segment: dict[str, list[dict[str, Any]]] = {}
    for f in drawn["segments"]["features"]:
        by_segment.setdefault(f["properties"]["id"], []).append(f)
    layers: list[LayerSpec] = []
    for cor in atlas.corridors.values():
        feats = []
        for sid in cor.segments:
            for part in by_segment.get(sid, ()):
                base = segment_feature(atlas, atlas.segments[sid], cor)
                p = part["properties"]
                base["geometry"] = part["geometry"]
                base["properties"].update(
                    status=p["status"],
                    closed=bool(p["closed"]),
                    closed_by=list(p["closed_by"]),
                    countries=list(p["countries"]),
                )
                if p["closed"]:
                    base["properties"]["note"] = "Closed in this scenario: " + ", ".join(
                        p["closed_by"]
                    )
                feats.append(base)
        if feats:
            layers.append(
                LayerSpec(
                    key=f"corridor:{cor.id}",
                    title=cor.name,
                    group=_corridor_group(atlas, cor),
                    kind="lines",
                    features={"type": "FeatureCollection", "features": feats},
                )
            )
    if drawn["routes"]["features"]:
        feats = []
        for f in drawn["routes"]["features"]:
            props = dict(f["properties"])
            seg = atlas.segments.get(str(props.get("segment")))
            names = {
                n: atlas.nodes[n].name
                for n in (
                    props.get("origin"),
                    props.get("from"),
                    props.get("to"),
                    props.get("destination"),
                )
                if n in atlas.nodes
            }
            route_name = (
                f"{names.get(props.get('origin'), props.get('origin'))} → "
                f"{names.get(props.get('destination'), props.get('destination'))}"
            )
            leg_name = (
                f"{names.get(props.get('from'), props.get('from'))} → "
                f"{names.get(props.get('to'), props.get('to'))}"
            )
            props.setdefault(
                "name",
                f"Route {route_name}, leg {int(props.get('leg', 0)) + 1}: {leg_name}"
                + (f" ({seg.name})" if seg is not None else ""),
            )
            props["route"] = True
            if seg is not None:
                props.setdefault("status", seg.status)
                props.setdefault("mode", seg.mode)
            feats.append({**f, "properties": props})
        layers.append(
            LayerSpec(
                key="routes:computed",
                title="Computed routes",
                group=(GROUP_ROUTES,),
                kind="lines",
                features={"type": "FeatureCollection", "features": feats},
            )
        )
    base = [layer for layer in atlas_layers(atlas) if not layer.key.startswith("corridor:")]
    return _tree_order(atlas, layers + base)


def scenario_map(
    atlas: Atlas,
    scenario: Scenario | str | os.PathLike[str],
    *,
    tiles: Sequence[str] = (),
    overlays: Sequence[LayerSpec] = (),
    routes: Sequence[str | tuple[str, str]] = (),
) -> folium.Map:
    """Interactive map of a scenario (a :class:`folium.Map`).

    Parameters
    ----------
    atlas : Atlas
    scenario : Scenario, path or bundled scenario name
    tiles : sequence of str
        Optional online base layers.
    overlays : sequence of LayerSpec
        User overlays.
    routes : sequence of ``"FROM:TO"`` or ``(from, to)``
        Routes to compute in the scenario and draw as their own layer.
    """
    from corridors.network.routing import route
    from corridors.render import build_map
    from corridors.scenario.bundled import scenario_from_arg

    sc = scenario_from_arg(scenario, atlas=atlas)
    computed = []
    for item in routes:
        a, b = _parse_pair(item) if isinstance(item, str) else item
        computed.append(route(a, b, scenario=sc, atlas=atlas))
    layers = scenario_map_layers(atlas, sc, routes=computed)
    layers = layers + list(overlays)
    title = f"corridors scenario — {sc.name}" if getattr(sc, "name", None) else "corridors"
    return build_map(layers, title=title, tiles=tiles, bounds=_bounds(atlas))
