"""Draw a scenario: its open and closed links by corridor, and computed routes on top."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from corridors.maps.atlas import atlas_layers
from corridors.maps.features import feature_collection, segment_feature, segment_features
from corridors.maps.routes import route_features, route_layer
from corridors.maps.tree import atlas_bounds, corridor_group, tree_order
from corridors.model import Atlas
from corridors.vocab import CHOKEPOINT_KIND

if TYPE_CHECKING:  # pragma: no cover
    import folium

    from corridors.maps.overlay import OverlaySource
    from corridors.network.route import Route
    from corridors.render import LayerSpec
    from corridors.scenario.model import Scenario

__all__ = ["scenario_layers", "scenario_map", "scenario_map_layers"]


def scenario_layers(
    atlas: Atlas,
    scenario: Scenario | str | os.PathLike[str] | None = None,
    routes: Iterable[Route] = (),
) -> dict[str, dict[str, Any]]:
    """GeoJSON FeatureCollections for drawing a scenario.

    Returns
    -------
    dict
        ``segments`` (property ``closed`` true/false, ``closed_by``, ``status``, ``mode``…;
        a partly closed segment gives one feature per open/closed run), ``nodes`` (the
        scenario's nodes, ``closed`` when a closure shuts them) and ``routes`` (one
        LineString per leg, property ``route: true``).
    """
    from corridors.network.graph import build_network
    from corridors.scenario.bundled import scenario_from_arg

    net = build_network(atlas, scenario_from_arg(scenario, atlas=atlas))
    nodes = []
    for nid in net.nodes_in_scenario():
        n = net.atlas.nodes[nid]
        nodes.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [n.lon, n.lat]},
                "properties": {
                    "id": n.id,
                    "name": n.name,
                    "kind": n.kind,
                    "country": n.country,
                    "closed": nid in net.closed_nodes,
                    "chokepoint": n.kind == CHOKEPOINT_KIND,
                },
            }
        )
    return {
        "segments": feature_collection(segment_features(net)),
        "nodes": feature_collection(nodes),
        "routes": feature_collection(route_features(routes)),
    }


def scenario_map_layers(
    atlas: Atlas,
    scenario: Scenario,
    *,
    routes: Sequence[Route] = (),
    pair_layers: Sequence[LayerSpec] = (),
) -> list[LayerSpec]:
    """Layers of a scenario map: corridors (closed links marked), routes, places, basemap.

    ``routes`` are drawn together as one "Computed routes" layer; ``pair_layers`` (from
    :func:`corridors.maps.scenario_answer.pair_route_layers`) are route layers of their
    own, one colour each.
    """
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
                    role="corridor",
                    title=cor.name,
                    group=corridor_group(atlas, cor),
                    kind="lines",
                    features=feature_collection(feats),
                )
            )
    routes_layer = route_layer(atlas, drawn["routes"]["features"])
    if routes_layer is not None:
        layers.append(routes_layer)
    layers.extend(pair_layers)
    others = [layer for layer in atlas_layers(atlas) if not layer.key.startswith("corridor:")]
    return tree_order(atlas, layers + others)


def scenario_map(
    atlas: Atlas,
    scenario: Scenario | str | os.PathLike[str] | None,
    *,
    tiles: Sequence[str] = (),
    overlays: Sequence[OverlaySource] = (),
    routes: Sequence[str | tuple[str, str]] = (),
) -> folium.Map:
    """Interactive map of a scenario (a :class:`folium.Map`) with the answer on it.

    The caption names the scenario, its as-of date and its closures; each route of
    ``routes`` is drawn in its own colour, with its totals (km, hours, P50 US$/t and CO2e
    when costed) on the map, in the caption, the legend and the layer tree; a pair without
    a route is listed in the caption with the reason, and the rest of the map is drawn.

    Parameters
    ----------
    atlas : Atlas
    scenario : Scenario, path, bundled scenario name or None
        ``None`` is the default scenario (the full vision, as ``corridors route`` uses).
    tiles : sequence of str
        Optional online base layers.
    overlays : sequence of LayerSpec, GeoDataFrame or path
        User overlays (see :func:`corridors.maps.overlay.overlay_layers`).
    routes : sequence of ``"FROM:TO"`` or ``(from, to)``
        Routes to compute in the scenario and draw, each as its own layer.

    Raises
    ------
    UnknownEntityError
        A place of ``routes`` is not known (a pair with no route does not raise).
    """
    from corridors.maps.overlay import overlay_layers
    from corridors.maps.scenario_answer import caption_data, pair_route_layers, route_pairs
    from corridors.network.graph import build_network
    from corridors.render import build_map
    from corridors.scenario.bundled import scenario_from_arg

    sc = scenario_from_arg(scenario, atlas=atlas)
    net = build_network(atlas, sc)
    results = route_pairs(net, routes)
    layers = scenario_map_layers(atlas, sc, pair_layers=pair_route_layers(net.atlas, results))
    layers = layers + overlay_layers(overlays)
    title = f"corridors scenario — {sc.name}" if getattr(sc, "name", None) else "corridors"
    return build_map(
        layers,
        title=title,
        tiles=tiles,
        bounds=atlas_bounds(atlas),
        caption=caption_data(net, results),
    )
