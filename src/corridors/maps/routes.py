"""Route layers: computed routes as GeoJSON features and as the map's "Computed routes" layer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from corridors.maps.features import feature_collection
from corridors.maps.tree import GROUP_ROUTES
from corridors.model import Atlas

if TYPE_CHECKING:  # pragma: no cover
    from corridors.network.route import Route
    from corridors.render import LayerSpec

__all__ = ["route_features", "route_layer", "route_note"]


def route_features(routes: Iterable[Route]) -> list[dict[str, Any]]:
    """One LineString feature per leg of each route (``route: true``, ``route_index``).

    Each leg also carries its route's plausibility: ``circuity`` (rounded to 0.01),
    ``circuity_warn``, ``implausible`` (true when the circuity exceeds the threshold),
    ``depends_on`` (one line) and ``route_warnings`` (messages).
    """
    feats: list[dict[str, Any]] = []
    for i, r in enumerate(routes):
        c = r.circuity
        plaus = {
            "circuity": round(c, 2) if c is not None else None,
            "circuity_warn": r.circuity_warn,
            "implausible": not r.plausible,
            "depends_on": r.depends_on.summary(),
            "route_warnings": [w.message for w in r.warnings],
        }
        for f in r.to_geojson()["features"]:
            f["properties"]["route_index"] = i
            f["properties"].update(plaus)
            feats.append(f)
    return feats


def _service_label(s: dict[str, Any]) -> str:
    """``"ITI container train — suspended since 2022"`` from a leg's service dict."""
    from corridors.network.services import LegService

    return LegService(
        str(s.get("id")), str(s.get("name")), str(s.get("kind")), s.get("status"), s.get("since")
    ).label()


def route_note(props: dict[str, Any]) -> list[str]:
    """The popup note of a route leg: circuity, what the route depends on, its warnings.

    >>> route_note({"circuity": 3.39, "circuity_warn": 2.0, "implausible": True,
    ...             "depends_on": "countries IRN", "route_warnings": ["no link"]})
    ['Route circuity 3.39 (implausible: above 2)', 'Depends on: countries IRN', 'Warning: no link']
    """
    out: list[str] = []
    c = props.get("circuity")
    if isinstance(c, int | float):
        warn = props.get("circuity_warn")
        judged = (
            f" ({'implausible: above' if props.get('implausible') else 'threshold'} {warn:g})"
            if isinstance(warn, int | float)
            else ""
        )
        out.append(f"Route circuity {c:.2f}{judged}")
    dep = props.get("depends_on")
    if dep:
        out.append(f"Depends on: {dep}")
    out.extend(f"Warning: {w}" for w in props.get("route_warnings") or ())
    return out


def route_layer(atlas: Atlas, features: Sequence[dict[str, Any]]) -> LayerSpec | None:
    """The "Computed routes" layer of ``features`` (from :func:`route_features`).

    Each leg is named ``Route A → B, leg n: X → Y (segment)`` with the atlas' names, and
    takes the status and mode of its segment; the services running on the leg (with their
    status on the scenario's date) are listed in its popup (``service_labels``); ``None``
    when there are no features.
    """
    from corridors.render import LayerSpec

    if not features:
        return None
    feats = []
    for f in features:
        props = dict(f["properties"])
        seg = atlas.segments.get(str(props.get("segment")))
        names: dict[Any, str] = {
            n: atlas.nodes[n].name
            for n in (
                props.get("origin"),
                props.get("from"),
                props.get("to"),
                props.get("destination"),
            )
            if isinstance(n, str) and n in atlas.nodes
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
        services = props.get("services")
        if isinstance(services, list) and services:
            props["service_labels"] = [_service_label(s) for s in services if isinstance(s, dict)]
        note = route_note(props)
        if note:
            props.setdefault("note", note)
        if seg is not None:
            props.setdefault("status", seg.status)
            props.setdefault("mode", seg.mode)
        feats.append({**f, "properties": props})
    return LayerSpec(
        key="routes:computed",
        role="corridor",
        title="Computed routes",
        group=(GROUP_ROUTES,),
        kind="lines",
        features=feature_collection(feats),
    )
