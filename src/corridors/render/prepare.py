"""One layer's features as the page draws them: display geometry plus page properties.

:func:`prepare_layer` runs the same loop for every layer (display geometry through
:func:`corridors.render.cached.display`, bounds, skipped features) and hands each
feature's properties to the ``prepare_<role>`` function of the layer's
:attr:`~corridors.render.spec.LayerSpec.role` (:data:`PREPARERS`). Those return the
properties sent to the page and record what the feature draws in the legend's
:class:`~corridors.render.legend.DrawnSets`.

Page properties (every value sent in full; the map derives nothing from them):

* every role but ``overlay``: ``n`` name; every role: ``id``;
* ``corridor``: ``status``, ``history`` (``[year, status]``, plus the rest of the date
  after the year when there is one), ``mode``, ``precision`` (``"schematic"`` only),
  ``closed``, ``route``, ``mid`` and ``marks`` (positions of the label and of the closed
  marks), ``p`` popup model, ``d`` search detail;
* ``nodes``: ``kind``, ``approximate``, ``p``, ``d``, ``s`` search terms (aliases other
  than the name and the id);
* ``corridor`` also ``e``: the ids of the places at its ends;
* ``nodes`` also ``h``: the hub rank (main hubs are labelled) and ``ln``, a hub's first
  non-Latin alias (the labels' "local script" option);
* ``basemap``: ``i`` ISO3, ``lp`` label point and ``la`` its area (label priority);
  ``platform``: ``i`` and ``p``;
* ``disputed``: ``t``, who holds and claims the area and whose it is under the worldview;
* ``overlay``: ``v``, the plain-text values of the layer's ``columns``;
* ``projects``: ``status``, ``history`` (``[year, status]``), ``p`` popup model, ``d`` the
  layer (sector) title.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.ops import polylabel

from corridors.render import cached
from corridors.render import geometry as geo
from corridors.render.codec import decode_geometry
from corridors.render.escape import safe_colour
from corridors.render.legend import OTHER, DrawnSets, kind_key, mode_key, status_key
from corridors.render.popups import (
    history_entries,
    line_popup_model,
    node_popup_model,
    overlay_columns,
    overlay_texts,
    platform_popup_model,
)
from corridors.render.spec import LayerSpec
from corridors.render.style import StyleTable

__all__ = [
    "PREPARERS",
    "Context",
    "Prepared",
    "country_names",
    "layer_colours",
    "prepare_basemap",
    "prepare_corridor",
    "prepare_disputed",
    "prepare_layer",
    "prepare_nodes",
    "prepare_overlay",
    "prepare_platform",
    "prepare_projects",
]


@dataclass(frozen=True)
class Context:
    """What every ``prepare_<role>`` function may use."""

    style: StyleTable
    drawn: DrawnSets
    #: Country names by ISO3 code (for the members of a platform).
    names: Mapping[str, str]
    line_tolerance: float = geo.LINE_TOLERANCE_DEG
    polygon_tolerance: float = geo.POLYGON_TOLERANCE_DEG
    max_vertices: int = geo.MAX_VERTICES


@dataclass
class Prepared:
    """A layer ready for the page: ``features`` are ``[compact geometry, properties]``."""

    spec: LayerSpec
    colour: str
    features: list[list[Any]] = field(default_factory=list)
    bounds: list[geo.Bounds] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    skipped: int = 0

    @property
    def role(self) -> str:
        """The layer's role (:attr:`LayerSpec.role`)."""
        return self.spec.role

    def as_page(self) -> dict[str, Any]:
        """The layer as the page's payload holds it."""
        out: dict[str, Any] = {
            "key": self.spec.key,
            "title": self.spec.title,
            "kind": self.spec.kind,
            "role": self.role,
            "colour": self.colour,
            "visible": bool(self.spec.visible),
            "features": self.features,
        }
        if self.columns:
            out["columns"] = self.columns
        return out


def props_of(feature: Any) -> Mapping[str, Any]:
    """A GeoJSON feature's properties, ``{}`` when missing or not a mapping."""
    props = feature.get("properties") if isinstance(feature, Mapping) else None
    return props if isinstance(props, Mapping) else {}


def country_names(layers: Sequence[LayerSpec]) -> dict[str, str]:
    """ISO3 → name of every polygon feature that has both (the first one wins)."""
    names: dict[str, str] = {}
    for spec in layers:
        if spec.kind == "polygons":
            for f in spec.features["features"]:
                props = props_of(f)
                iso, name = props.get("iso3"), props.get("name")
                if isinstance(iso, str) and isinstance(name, str):
                    names.setdefault(iso, name)
    return names


def layer_colours(layers: Sequence[LayerSpec], style: StyleTable) -> dict[str, str]:
    """Colour of each layer (by key): its own, else from the style table.

    Corridors without a colour of their own in the table and overlays take the next colour
    of the palette, in layer order (the first overlay takes ``overlay_colour``).
    """
    out: dict[str, str] = {}
    fallback = 0
    for spec in layers:
        role = spec.role
        if spec.colour is not None:
            colour = safe_colour(spec.colour, "")
            if not colour:
                raise ValueError(f"layer {spec.key!r}: colour {spec.colour!r} is not #rgb/#rrggbb")
        elif role == "corridor":
            colour = style.colour_for(spec.key, fallback)
            bare = spec.key.split(":", 1)[-1]
            if spec.key not in style.corridor_colours and bare not in style.corridor_colours:
                fallback += 1
        elif role == "overlay":
            colour = (
                style.overlay_colour
                if fallback == 0
                else style.palette[fallback % len(style.palette)]
            )
            fallback += 1
        elif role == "projects":
            colour = style.project_colours.get(spec.key.split(":", 1)[-1], style.grey)
        else:
            colour = {
                "platform": style.platform_colour,
                "basemap": style.basemap_fill,
            }.get(role, style.unknown_node.colour)
        out[spec.key] = colour
    return out


# --------------------------------------------------------------------------- per role


def _common(props: Mapping[str, Any], *, named: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    name = props.get("name")
    if named and name is not None and str(name):
        out["n"] = str(name)
    if props.get("id") is not None:
        out["id"] = str(props["id"])
    return out


def _mid_and_marks(compact: list[Any], closed: bool) -> tuple[list[float] | None, list[Any]]:
    """Where a line's label goes (its middle) and, when closed, where its ✕ marks go."""
    try:
        line = shape(decode_geometry(compact))
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None, []
    if line.is_empty:
        return None, []
    if line.geom_type == "MultiLineString":
        line = max(shapely.get_parts(line), key=lambda g: g.length)
    if line.geom_type != "LineString":
        return None, []
    nd = geo.LINE_DECIMALS

    def at(t: float) -> list[float]:
        p = line.interpolate(t, normalized=True)
        return [round(p.x, nd) + 0.0, round(p.y, nd) + 0.0]

    marks: list[Any] = []
    if closed:
        n = max(1, min(5, int(line.length // 3.0)))
        marks = [at((i + 0.5) / n) for i in range(n)]
    return at(0.5), marks


def prepare_corridor(
    props: Mapping[str, Any], compact: list[Any], prep: Prepared, ctx: Context
) -> dict[str, Any]:
    """Page properties of a segment: status and its dated history, mode, flags, popup."""
    style, drawn, visible = ctx.style, ctx.drawn, bool(prep.spec.visible)
    out = _common(props)
    history = sorted(history_entries(props.get("status_history")), key=lambda h: h[1])
    status = props.get("status")
    if not isinstance(status, str) and history:
        status = history[-1][2]
    out["status"] = status_key(status, style)
    if history:
        out["history"] = [
            [y, status_key(s, style)]
            + ([d[len(str(y)) :]] if d != str(y) and d.startswith(str(y)) else [])
            for d, y, s in history
        ]
    mode = props.get("mode")
    out["mode"] = mode_key(mode, style)
    if props.get("precision") == "schematic":
        out["precision"] = "schematic"
    closed = props.get("closed") is True
    if closed:
        out["closed"] = True
    if props.get("route") is True:
        out["route"] = True
    ends = [str(props[k]) for k in ("from", "to") if props.get(k) is not None]
    if ends:
        out["e"] = ends  # the places the link serves (node popups list them)
    mid, marks = _mid_and_marks(compact, closed)
    if mid:
        out["mid"] = mid
    if marks:
        out["marks"] = marks
    out["p"] = line_popup_model(props, layer_title=prep.spec.title, style=style)
    if mode:
        out["d"] = str(mode).replace("_", " ")  # the map prefixes the layer title
    drawn.add("status:" + out["status"], initially=visible)
    for _y, s, *_rest in out.get("history", ()):
        drawn.add("status:" + s, initially=False)
    drawn.add("mode:" + out["mode"], initially=visible)
    for flag, key in (
        ("precision", "precision:schematic"),
        ("closed", "closed"),
        ("route", "route"),
    ):
        if flag in out:
            drawn.add(key, initially=visible)
    return out


def prepare_nodes(
    props: Mapping[str, Any], compact: list[Any], prep: Prepared, ctx: Context
) -> dict[str, Any]:
    """Page properties of a place: kind, precision, popup, search terms and detail."""
    style, drawn, visible = ctx.style, ctx.drawn, bool(prep.spec.visible)
    out = _common(props)
    kkey = kind_key(props.get("kind"), style)
    out["kind"] = kkey
    if props.get("precision") == "approximate":
        out["approximate"] = True
        drawn.add("node:approximate", initially=visible)
    drawn.add("kind:" + kkey, initially=visible)
    out["p"] = node_popup_model(props, style=style)
    kind_label = style.node(props.get("kind")).label if kkey != OTHER else "place"
    detail = " · ".join(x for x in (kind_label, str(props.get("country") or "")) if x)
    if detail:
        out["d"] = detail
    aliases = props.get("aliases")
    name = out.get("n", "")
    terms = (
        [a for a in aliases if isinstance(a, str) and a and a != name]
        if isinstance(aliases, (list, tuple))
        else []
    )
    terms = list(dict.fromkeys(t for t in terms if t != out.get("id")))
    if terms:
        out["s"] = terms
    hub = props.get("hub")
    if isinstance(hub, int) and not isinstance(hub, bool) and hub > 0:
        out["h"] = hub  # labelled on the map, by this rank
        local = next((t for t in terms if _non_latin(t)), None)
        if local:
            out["ln"] = local
    return out


def prepare_projects(
    props: Mapping[str, Any], compact: list[Any], prep: Prepared, ctx: Context
) -> dict[str, Any]:
    """Page properties of a project: status, its dated history (for the year filter),
    popup and search detail. A project is not drawn before its first dated entry."""
    out = _common(props)
    history = sorted(history_entries(props.get("status_history")), key=lambda h: h[1])
    status = props.get("status")
    out["status"] = status_key(status, ctx.style)
    if history:
        out["history"] = [[y, status_key(s, ctx.style)] for _d, y, s in history]
    out["p"] = line_popup_model(props, layer_title=None, style=ctx.style)
    out["d"] = prep.spec.title
    return out


def _non_latin(text: str) -> bool:
    """Whether ``text`` has a letter of a script other than Latin (``"Москва"``: True)."""
    return any(ch.isalpha() and "LATIN" not in unicodedata.name(ch, "") for ch in text)


def _label_point(compact: list[Any]) -> tuple[list[float], int] | None:
    """Where a country's name goes (the pole of inaccessibility of its largest part,
    :func:`shapely.ops.polylabel`) and the part's area in square degrees (the label's
    priority)."""
    try:
        geom = shape(decode_geometry(compact))
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None
    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]
    if not parts:
        return None
    part = max(parts, key=lambda g: g.area)
    p = polylabel(part, tolerance=0.05)
    return [round(p.x, 2) + 0.0, round(p.y, 2) + 0.0], round(part.area)


def prepare_basemap(
    props: Mapping[str, Any], compact: list[Any], prep: Prepared, ctx: Context
) -> dict[str, Any]:
    """Page properties of a country of the base map: name, id and ISO3."""
    out = _common(props)
    iso = props.get("iso3")
    if isinstance(iso, str) and iso:
        out["i"] = iso
    if prep.role == "basemap":
        label = _label_point(compact)
        if label:
            out["lp"], out["la"] = label
    return out


def prepare_platform(
    props: Mapping[str, Any], compact: list[Any], prep: Prepared, ctx: Context
) -> dict[str, Any]:
    """Page properties of a platform member: as a country, plus the platform's popup."""
    out = prepare_basemap(props, compact, prep, ctx)
    out["p"] = platform_popup_model(props, ctx.names)
    return out


def prepare_overlay(
    props: Mapping[str, Any], compact: list[Any], prep: Prepared, ctx: Context
) -> dict[str, Any]:
    """Page properties of a user-overlay feature: the plain text of its columns."""
    out = _common(props, named=False)
    out["v"] = overlay_texts(props, prep.columns)
    return out


def prepare_disputed(
    props: Mapping[str, Any], compact: list[Any], prep: Prepared, ctx: Context
) -> dict[str, Any]:
    """Page properties of a disputed area: name, id and one line of plain text ``t``."""
    out = _common(props)

    def who(key: str) -> str:
        iso, name = props.get(key), props.get(key + "_name")
        return f"{name} ({iso})" if name and name != iso else str(iso)

    held = f"held by {who('admin')}" if props.get("admin") else "self-administered"
    claims = props.get("claimants") or []
    parts = [held]
    if isinstance(claims, (list, tuple)) and claims:
        parts.append("claimed by " + ", ".join(str(c) for c in claims))
    country = who("country") if props.get("country") else "no country"
    parts.append(f"worldview {props.get('worldview')}: {country}")
    if props.get("ne_name"):
        parts.append(f"Natural Earth: {props['ne_name']}")
    out["t"] = " · ".join(parts)
    return out


Preparer = Callable[[Mapping[str, Any], list[Any], Prepared, Context], dict[str, Any]]

#: The ``prepare_<role>`` function of each role: ``(properties, compact geometry, layer,
#: context)`` → the feature's page properties.
PREPARERS: dict[str, Preparer] = {
    "corridor": prepare_corridor,
    "nodes": prepare_nodes,
    "basemap": prepare_basemap,
    "platform": prepare_platform,
    "overlay": prepare_overlay,
    "disputed": prepare_disputed,
    "projects": prepare_projects,
}


# --------------------------------------------------------------------------- the loop


def _geometry_params(
    spec: LayerSpec, raw: Any, props: Mapping[str, Any], ctx: Context
) -> dict[str, Any]:
    """Display parameters of one feature (see :mod:`corridors.render.geometry`)."""
    role = spec.role
    tolerance, decimals, geodesic = ctx.line_tolerance, geo.LINE_DECIMALS, False
    if role == "nodes":
        tolerance = 0.0
    elif role in ("basemap", "platform", "disputed"):
        tolerance, decimals = ctx.polygon_tolerance, geo.BASEMAP_DECIMALS
    elif role == "projects":  # points as they are, schematic lines simplified like corridors
        gtype = raw.get("type") if isinstance(raw, Mapping) else None
        if gtype == "Point":
            tolerance = 0.0
    elif role == "corridor":
        mode = props.get("mode")
        geodesic = ctx.style.mode(mode if isinstance(mode, str) else None).geodesic
    else:  # overlays: by the layer's kind, then by the feature's own geometry type
        tolerance = {"lines": ctx.line_tolerance, "polygons": ctx.polygon_tolerance}.get(
            spec.kind, 0.0
        )
        decimals = geo.POLYGON_DECIMALS if spec.kind == "polygons" else geo.LINE_DECIMALS
        gtype = raw.get("type") if isinstance(raw, Mapping) else None
        if gtype in ("Polygon", "MultiPolygon"):
            tolerance, decimals = ctx.polygon_tolerance, geo.POLYGON_DECIMALS
        elif gtype in ("Point", "MultiPoint"):
            tolerance = 0.0
    return {
        "tolerance": tolerance,
        "decimals": decimals,
        "max_vertices": ctx.max_vertices,
        "geodesic": geodesic,
    }


def prepare_layer(spec: LayerSpec, colour: str, ctx: Context) -> Prepared:
    """Display geometry and page properties of every feature of a layer.

    Features without drawable geometry are skipped, with one warning per layer.
    """
    prep = Prepared(spec, colour)
    feats = spec.features["features"]
    if spec.role == "overlay":
        prep.columns = overlay_columns(feats)
    per_feature = PREPARERS[spec.role]
    for feature in feats:
        props = props_of(feature)
        raw = feature.get("geometry") if isinstance(feature, Mapping) else None
        shown = cached.display(
            spec,
            props,
            dict(raw) if isinstance(raw, Mapping) else None,
            **_geometry_params(spec, raw, props, ctx),
        )
        if shown is None:
            prep.skipped += 1
            continue
        compact, bbox = shown
        prep.features.append([compact, per_feature(props, compact, prep, ctx)])
        prep.bounds.append(bbox)
    if prep.features:
        ctx.drawn.add("layer:" + spec.key, initially=bool(spec.visible))
    if prep.skipped:
        warnings.warn(
            f"layer {spec.key!r}: {prep.skipped} feature(s) without drawable geometry skipped",
            stacklevel=3,
        )
    return prep
