"""Build a folium map from :class:`~corridors.render.spec.LayerSpec` lists; render and save it."""

from __future__ import annotations

import hashlib
import json
import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
from shapely.geometry import shape

from corridors.io.atomic import check_output_path, write_text_atomic
from corridors.render import geometry as geo
from corridors.render.document import (
    AppElement,
    CorridorsMap,
    Document,
    FinishElement,
    InlineAssets,
    LayerElement,
    SharedElement,
)
from corridors.render.escape import esc, json_for_script, safe_colour
from corridors.render.legend import (
    OTHER,
    DrawnSets,
    kind_key,
    legend_html,
    line_sample,
    mode_key,
    status_key,
    title_html,
)
from corridors.render.popups import (
    APPROXIMATE_TEXT,
    EXACT_TEXT,
    ROW_LABELS,
    ROW_ORDER,
    SCHEMATIC_TEXT,
    derived_detail,
    derived_rows,
    derived_terms,
    history_entries,
    line_popup_model,
    node_popup_model,
    overlay_columns,
    overlay_texts,
    platform_popup_model,
    reduce_model,
)
from corridors.render.spec import LayerSpec
from corridors.render.style import StyleTable, marker_svg, mix_colour

__all__ = ["DEFAULT_BOUNDS", "build_map", "render_html", "save_html"]

_EXTERNAL_RESOURCE = re.compile(
    r"<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE
)

#: View when nothing is drawn: Eurasia from the Mediterranean to western China.
DEFAULT_BOUNDS = (25.0, 10.0, 95.0, 55.0)

_ROLE_GEOMETRY = {
    # role: (tolerance, decimals)
    "corridor": (geo.LINE_TOLERANCE_DEG, geo.LINE_DECIMALS),
    "nodes": (0.0, geo.LINE_DECIMALS),
    "basemap": (geo.POLYGON_TOLERANCE_DEG, geo.BASEMAP_DECIMALS),
    "platform": (geo.POLYGON_TOLERANCE_DEG, geo.BASEMAP_DECIMALS),
}


@dataclass
class _Prepared:
    spec: LayerSpec
    role: str
    colour: str
    features: list[list[Any]] = field(default_factory=list)
    bounds: list[geo.Bounds] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    defaults: dict[str, Any] = field(default_factory=dict)
    skipped: int = 0

    def as_js(self) -> dict[str, Any]:
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
        if self.defaults:
            out["defaults"] = self.defaults
        return out


# --------------------------------------------------------------------------- tree order


@dataclass
class _Node:
    name: str
    path: tuple[str, ...]
    layers: list[LayerSpec] = field(default_factory=list)
    groups: list[_Node] = field(default_factory=list)

    def min_order(self) -> int:
        orders = [s.order for s in self.layers] + [g.min_order() for g in self.groups]
        return min(orders) if orders else 0

    def children(self) -> list[tuple[str, Any]]:
        items: list[tuple[tuple[int, str], str, Any]] = []
        items += [((s.order, s.title), "layer", s) for s in self.layers]
        items += [((g.min_order(), g.name), "group", g) for g in self.groups]
        items.sort(key=lambda x: x[0])  # stable: ties keep input order
        return [(kind, obj) for _key, kind, obj in items]


def _tree(layers: Sequence[LayerSpec]) -> _Node:
    root = _Node("", ())
    index: dict[tuple[str, ...], _Node] = {(): root}
    for spec in layers:
        parent = root
        for depth in range(1, len(spec.group) + 1):
            path = spec.group[:depth]
            if path not in index:
                node = _Node(path[-1], path)
                index[path] = node
                parent.groups.append(node)
            parent = index[path]
        parent.layers.append(spec)
    return root


def _flatten(node: _Node) -> list[LayerSpec]:
    out: list[LayerSpec] = []
    for kind, obj in node.children():
        out.extend([obj] if kind == "layer" else _flatten(obj))
    return out


# --------------------------------------------------------------------------- features


def _props(feature: Any) -> Mapping[str, Any]:
    props = feature.get("properties") if isinstance(feature, Mapping) else None
    return props if isinstance(props, Mapping) else {}


def _union(boxes: Sequence[geo.Bounds]) -> geo.Bounds | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _mid_and_marks(geom: dict[str, Any], closed: bool) -> tuple[list[float] | None, list[Any]]:
    try:
        line = shape(geom)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None, []
    if line.is_empty:
        return None, []
    if line.geom_type == "MultiLineString":
        line = max(line.geoms, key=lambda g: g.length)
    if line.geom_type != "LineString":
        return None, []
    nd = geo.LINE_DECIMALS

    def at(t: float) -> list[float]:
        p = line.interpolate(t, normalized=True)
        return [round(p.x, nd) + 0.0, round(p.y, nd) + 0.0]

    mid = at(0.5)
    marks: list[Any] = []
    if closed:
        n = max(1, min(5, int(line.length // 3.0)))
        marks = [at((i + 0.5) / n) for i in range(n)]
    return mid, marks


def _display(
    spec: LayerSpec,
    props: Mapping[str, Any],
    geometry: dict[str, Any] | None,
    **params: Any,
) -> tuple[list[Any], geo.Bounds] | None:
    """:func:`geo.encode_display`, through the on-disk cache when the layer allows it."""
    fid = props.get("iso3") or props.get("id")
    if spec.source_sha256 is None or not isinstance(fid, str) or geometry is None:
        return geo.encode_display(geometry, **params)
    from corridors.io import cache as _cache

    disk = _cache.for_borders(spec.source_sha256)
    key = _cache.digest(fid, sorted(params.items()))
    hit = disk.get("display", key)
    if (
        isinstance(hit, list)
        and len(hit) == 2
        and isinstance(hit[0], list)
        and isinstance(hit[1], list)
        and len(hit[1]) == 4
    ):
        return hit[0], tuple(hit[1])  # type: ignore[return-value]
    shown = geo.encode_display(geometry, **params)
    if shown is not None:
        disk.put("display", key, [shown[0], list(shown[1])])
    return shown


def _prepare(
    spec: LayerSpec,
    role: str,
    colour: str,
    style: StyleTable,
    drawn: DrawnSets,
    names: Mapping[str, str],
    js_style: Mapping[str, Any],
    *,
    line_tolerance: float,
    polygon_tolerance: float,
    max_vertices: int,
) -> _Prepared:
    """Display geometry (compact form) and compact properties of every feature of a layer.

    Properties sent to the page: ``n`` name, ``id``, ``p`` popup model, ``s`` aliases
    (searched with the name and the id), ``d`` search detail; corridors add ``status``, ``history``,
    ``mode``, ``precision``, ``closed``, ``route``, ``mid`` and ``marks``; nodes ``kind``,
    ``approximate``, ``a`` (aliases as shown) and ``c`` (country); basemap and platform
    polygons ``i`` (ISO3); overlays ``v`` (the plain-text values of
    :attr:`_Prepared.columns`). ``s`` and ``d`` are left out when the map derives the same
    from the other properties (:func:`~corridors.render.popups.derived_terms`,
    :func:`~corridors.render.popups.derived_detail`); so are popup rows, later
    (:func:`_reduce_popups`).
    """
    prep = _Prepared(spec, role, colour)
    visible = bool(spec.visible)
    feats = spec.features["features"]
    columns = overlay_columns(feats) if role == "overlay" else []
    prep.columns = list(columns)
    tol, nd = _ROLE_GEOMETRY.get(role, (line_tolerance, geo.LINE_DECIMALS))
    if role == "corridor":
        tol = line_tolerance
    elif role in ("basemap", "platform"):
        tol = polygon_tolerance
    elif role == "overlay":
        tol = {"lines": line_tolerance, "polygons": polygon_tolerance}.get(spec.kind, 0.0)
        nd = geo.POLYGON_DECIMALS if spec.kind == "polygons" else geo.LINE_DECIMALS
    any_drawn = False
    for feature in feats:
        props = _props(feature)
        raw_geom = feature.get("geometry") if isinstance(feature, Mapping) else None
        mode = props.get("mode")
        geodesic = (
            role == "corridor" and style.mode(mode if isinstance(mode, str) else None).geodesic
        )
        gtype = raw_geom.get("type") if isinstance(raw_geom, Mapping) else None
        ftol, fnd = tol, nd
        if role == "overlay" and gtype in ("Polygon", "MultiPolygon"):
            ftol, fnd = polygon_tolerance, geo.POLYGON_DECIMALS
        elif role == "overlay" and gtype in ("Point", "MultiPoint"):
            ftol = 0.0
        shown = _display(
            spec,
            props,
            dict(raw_geom) if isinstance(raw_geom, Mapping) else None,
            tolerance=ftol,
            decimals=fnd,
            max_vertices=max_vertices,
            geodesic=geodesic,
        )
        if shown is None:
            prep.skipped += 1
            continue
        compact, bbox = shown
        name = props.get("name")
        name_t = "" if name is None else str(name)
        out: dict[str, Any] = {}
        if name_t and role != "overlay":
            out["n"] = name_t
        fid = None if props.get("id") is None else str(props["id"])
        if fid is not None:
            out["id"] = fid
        terms: list[str] = []
        if role == "corridor":
            history = sorted(history_entries(props.get("status_history")), key=lambda h: h[1])
            status = props.get("status")
            if not isinstance(status, str) and history:
                status = history[-1][2]
            skey = status_key(status, style)
            out["status"] = skey
            if history:
                # [year, status, rest of the date after the year, when there is one]
                out["history"] = [
                    [y, status_key(s, style)]
                    + ([d[len(str(y)) :]] if d != str(y) and d.startswith(str(y)) else [])
                    for d, y, s in history
                ]
            out["mode"] = mode_key(mode, style)
            if props.get("precision") == "schematic":
                out["precision"] = "schematic"
            closed = props.get("closed") is True
            if closed:
                out["closed"] = True
            if props.get("route") is True:
                out["route"] = True
            mid, marks = _mid_and_marks(geo.decode_geometry(compact), closed)
            if mid:
                out["mid"] = mid
            if marks:
                out["marks"] = marks
            out["p"] = line_popup_model(props, layer_title=spec.title, style=style)
            drawn.add("status:" + skey, initially=visible)
            for _y, s, *_rest in out.get("history", ()):
                drawn.add("status:" + s, initially=False)
            drawn.add("mode:" + out["mode"], initially=visible)
            if "precision" in out:
                drawn.add("precision:schematic", initially=visible)
            if closed:
                drawn.add("closed", initially=visible)
            if "route" in out:
                drawn.add("route", initially=visible)
            if mode:
                out["d"] = str(mode).replace("_", " ")  # the map prefixes the layer title
        elif role == "nodes":
            kkey = kind_key(props.get("kind"), style)
            out["kind"] = kkey
            if props.get("precision") == "approximate":
                out["approximate"] = True
                drawn.add("node:approximate", initially=visible)
            drawn.add("kind:" + kkey, initially=visible)
            out["p"] = node_popup_model(props, style=style)
            for row in out["p"].get("r", ()):  # aliases and country as shown (derived rows)
                if row[0] == ROW_LABELS.index("Also known as"):
                    out["a"] = row[1]
                elif row[0] == ROW_LABELS.index("Country"):
                    out["c"] = row[1]
            kind_label = style.node(props.get("kind")).label if kkey != OTHER else "place"
            out["d"] = " · ".join(x for x in (kind_label, str(props.get("country") or "")) if x)
            aliases = props.get("aliases")
            if isinstance(aliases, (list, tuple)):
                terms += [a for a in aliases if isinstance(a, str) and a and a != name_t]
        elif role in ("basemap", "platform"):
            iso = props.get("iso3")
            if isinstance(iso, str) and iso:
                out["i"] = iso
            if role == "platform":
                out["p"] = platform_popup_model(props, names)
        else:  # overlay: plain-text values of the columns; the map builds the table
            out["v"] = overlay_texts(props, columns)
        terms = list(dict.fromkeys(t for t in terms if t != fid))
        if terms != derived_terms(out):  # the map also searches the name and the id
            out["s"] = terms
        if role in ("nodes", "corridor"):  # sent only when the map cannot derive it
            detail = out.pop("d", "")
            if detail != derived_detail(role, out, js_style):
                out["d"] = detail
        prep.features.append([compact, out])
        prep.bounds.append(bbox)
        any_drawn = True
    if any_drawn:
        drawn.add("layer:" + spec.key, initially=visible)
    if prep.skipped:
        warnings.warn(
            f"layer {spec.key!r}: {prep.skipped} feature(s) without drawable geometry skipped",
            stacklevel=3,
        )
    return prep


def _share(prepared: Iterable[_Prepared]) -> list[Any]:
    """Move values used more than once into one shared table; return the table.

    A platform member polygon is the basemap country's polygon, a segment listed by several
    corridors has one geometry and one popup model, and many places and links cite the same
    source: each such value is written once, in the table, and referred to as
    ``{"$": index}`` (indices in order of first use, so the output stays deterministic).
    Geometries and popup models are shared first, then the source entries of the popup
    models that are left.
    """
    prepared = list(prepared)
    table: list[Any] = []
    index: dict[str, int] = {}

    def text(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def sharer(values: Iterable[Any]) -> Callable[[Any], Any]:
        counts: dict[str, int] = {}
        for value in values:
            k = text(value)
            counts[k] = counts.get(k, 0) + 1

        def ref(value: Any) -> Any:
            k = text(value)
            if counts.get(k, 0) < 2 or len(k) < 16:
                return value
            if k not in index:
                index[k] = len(table)
                table.append(value)
            return {"$": index[k]}

        return ref

    features = [f for p in prepared for f in p.features]
    ref = sharer(v for f in features for v in (f[0], f[1].get("p")) if v is not None)
    for f in features:
        f[0] = ref(f[0])
        if "p" in f[1]:
            f[1]["p"] = ref(f[1]["p"])
    models = [v for v in table if isinstance(v, dict)]
    models += [f[1]["p"] for f in features if "p" in f[1] and "$" not in f[1]["p"]]
    ref = sharer(src for m in models for src in m.get("s", ()))
    for m in models:
        if "s" in m:
            m["s"] = [ref(src) for src in m["s"]]
    return table


def _topology(prepared: Iterable[_Prepared]) -> list[Any] | None:
    """Write the basemap's and the platforms' polygons as one topology; return its arcs.

    Neighbouring countries share borders: each run of vertices that rings share exactly is
    written once (:func:`~corridors.render.geometry.encode_topology`); a platform member
    is the basemap's polygon, so equal geometries are encoded once and stay equal (shared
    by :func:`_share`). ``None`` when no border is shared (the geometries are unchanged).
    """
    nd = geo.BASEMAP_DECIMALS
    polygonal = (geo.TYPE_CODES["Polygon"], geo.TYPE_CODES["MultiPolygon"])
    targets: list[tuple[list[Any], str]] = []
    unique: dict[str, list[Any]] = {}
    sources: set[str | None] = set()
    for p in prepared:
        if p.role not in ("basemap", "platform"):
            continue
        sources.add(p.spec.source_sha256)
        for f in p.features:
            if f[0][0] in polygonal and f[0][1] == nd:
                key = json.dumps(f[0], separators=(",", ":"))
                unique.setdefault(key, f[0])
                targets.append((f, key))
    if not unique:
        return None
    found = _topology_from_disk(sources, unique)
    if found is None:
        rounded = [geo.decode_geometry(c) for c in unique.values()]
        found = geo.encode_topology(rounded, nd)
        _topology_to_disk(sources, unique, found)
    topology, compact = found
    if not topology[1]:
        return None
    by_key = dict(zip(unique, compact, strict=True))
    for f, key in targets:
        f[0] = by_key[key]
    return topology


def _topology_key(sources: set[str | None], unique: Mapping[str, Any]) -> tuple[Any, str] | None:
    """The derived-value cache and entry key of a topology, when all its polygons come
    unchanged from one borders file (see :attr:`LayerSpec.source_sha256`)."""
    if len(sources) != 1 or None in sources:
        return None
    from corridors.io import cache as _cache

    (source,) = sources
    text = "\n".join(unique).encode("utf-8")
    return _cache.for_borders(str(source)), _cache.digest(
        hashlib.sha256(text).hexdigest(), geo.MIN_ARC_VERTICES
    )


def _topology_from_disk(
    sources: set[str | None], unique: Mapping[str, Any]
) -> tuple[list[Any], list[list[Any]]] | None:
    where = _topology_key(sources, unique)
    if where is None:
        return None
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
    return None


def _topology_to_disk(
    sources: set[str | None], unique: Mapping[str, Any], found: tuple[list[Any], list[Any]]
) -> None:
    where = _topology_key(sources, unique)
    if where is not None:
        disk, key = where
        disk.put("topology", key, [found[0], found[1]])


#: Properties that every feature of a layer of that role has: the most common value of
#: each is written once per layer (:func:`_layer_defaults`).
_DEFAULTED = {"corridor": ("status", "mode"), "nodes": ("kind",)}


def _layer_defaults(prepared: Iterable[_Prepared], statuses: Sequence[str]) -> None:
    """Write what most features of a layer share once, and statuses as numbers.

    For the properties of :data:`_DEFAULTED`, the value most features of the layer have
    (the first seen on a tie) becomes the layer's ``defaults`` and is left out of those
    features; the map puts it back (``addLayer`` in corridors.js). In a segment's status
    history, each status is its index in ``statuses`` (the configuration's ``statuses``).
    """
    index = {s: i for i, s in enumerate(statuses)}
    for p in prepared:
        for key in _DEFAULTED.get(p.role, ()):
            values = [f[1].get(key) for f in p.features]
            if not values or any(v is None for v in values):
                continue
            counts: dict[Any, int] = {}
            for v in values:
                counts[v] = counts.get(v, 0) + 1
            best = max(counts, key=lambda v: counts[v])  # first seen wins a tie
            if counts[best] < 2:
                continue
            p.defaults[key] = best
            for f in p.features:
                if f[1][key] == best:
                    del f[1][key]
        for f in p.features:
            if "history" in f[1]:
                f[1]["history"] = [[y, index.get(s, s), *rest] for y, s, *rest in f[1]["history"]]


def _muted_texts(prepared: Iterable[_Prepared], table: list[Any]) -> list[str]:
    """Write the muted notes of popup lines used more than once (such as "(computed)"
    after a length) once; return them. Such a line ``[text, note]`` becomes
    ``[text, index]``; the map puts the note back (``expandMuted`` in corridors.js).
    Deterministic: notes are numbered in order of first use."""
    models = [v for v in table if isinstance(v, dict)]
    models += [
        f[1]["p"]
        for p in prepared
        for f in p.features
        if isinstance(f[1].get("p"), dict) and "$" not in f[1]["p"]
    ]
    lines: list[list[Any]] = []
    for model in models:
        for row in model.get("r", ()):
            if isinstance(row[1], list):
                lines += [ln for ln in row[1] if isinstance(ln, list) and len(ln) > 1]
    counts: dict[str, int] = {}
    for ln in lines:
        if isinstance(ln[1], str) and len(ln[1]) > 2:
            counts[ln[1]] = counts.get(ln[1], 0) + 1
    texts: list[str] = []
    index: dict[str, int] = {}
    for ln in lines:
        if isinstance(ln[1], str) and counts.get(ln[1], 0) > 1:
            if ln[1] not in index:
                index[ln[1]] = len(texts)
                texts.append(ln[1])
            ln[1] = index[ln[1]]
    return texts


_URL_DIR = re.compile(r"https?://[^/?#]+/")


def _url_prefixes(prepared: Iterable[_Prepared], table: list[Any]) -> list[str]:
    """Write the common beginnings of source links once; return them.

    Every ``/``-ending beginning of a source URL (from ``scheme://host/`` on) that several
    source entries share is a candidate; each URL takes the longest candidate still shared
    by another, and becomes ``[index, rest]`` (``prefixes[index] + rest`` is the URL). The
    map puts the URL together again before checking it (``expandSource`` in corridors.js).
    Deterministic: prefixes are numbered in order of first use.
    """
    entries: list[list[Any]] = []
    seen: set[int] = set()

    def collect(model: Any) -> None:
        for src in model.get("s", ()) if isinstance(model, dict) else ():
            if isinstance(src, dict) and "$" in src:
                src = table[src["$"]]
            if isinstance(src, list) and src and isinstance(src[0], str) and id(src) not in seen:
                seen.add(id(src))
                entries.append(src)

    for v in table:
        collect(v)
    for p in prepared:
        for f in p.features:
            collect(f[1].get("p"))

    def candidates(url: str) -> list[str]:
        m = _URL_DIR.match(url)
        if not m:
            return []
        out, end = [], m.end()
        while end > 0:
            out.append(url[:end])
            end = url.find("/", end) + 1
        return out

    counts: dict[str, int] = {}
    for e in entries:
        for c in candidates(e[0]):
            counts[c] = counts.get(c, 0) + 1
    choice: dict[int, str] = {}
    for _round in range(2):  # longest shared beginning; again once unshared ones are dropped
        for i, e in enumerate(entries):
            shared = [c for c in candidates(e[0]) if counts.get(c, 0) >= 2]
            if shared:
                choice[i] = shared[-1]
            else:
                choice.pop(i, None)
        counts = {}
        for c in choice.values():
            counts[c] = counts.get(c, 0) + 1
    prefixes: list[str] = []
    index: dict[str, int] = {}
    for i, e in enumerate(entries):
        prefix = choice.get(i)
        if prefix is None or counts[prefix] < 2:
            continue
        if prefix not in index:
            index[prefix] = len(prefixes)
            prefixes.append(prefix)
        e[0] = [index[prefix], e[0][len(prefix) :]]
    return prefixes


def _reduce_popups(
    prepared: Iterable[_Prepared], table: list[Any], js_style: Mapping[str, Any]
) -> None:
    """Drop the popup rows that the map derives from each feature's own properties.

    A model in the shared table loses a row only when every feature showing it derives
    that row identically (see :func:`~corridors.render.popups.reduce_model`).
    """
    users: dict[int, list[dict[int, Any]]] = {}
    for p in prepared:
        if p.role not in ROW_ORDER:
            continue
        for f in p.features:
            model = f[1].get("p")
            if model is None:
                continue
            derived = derived_rows(p.role, f[1], js_style)
            if "$" in model and len(model) == 1:
                users.setdefault(model["$"], []).append(derived)
            else:
                f[1]["p"] = reduce_model(model, [derived])
    for i, derived_list in users.items():
        table[i] = reduce_model(table[i], derived_list)


# --------------------------------------------------------------------------- panels


def _layer_sample(p: _Prepared, style: StyleTable) -> str:
    if p.role == "corridor" or (p.role == "overlay" and p.spec.kind == "lines"):
        return line_sample(p.colour, 4, width=28)
    if p.role == "nodes":
        kinds = [f[1].get("kind") for f in p.features]
        first = kinds[0] if kinds else None
        ns = style.node(None if first == OTHER else first)
        return f'<span class="cx-sample">{marker_svg(ns.shape, ns.colour, 12)}</span>'
    if p.role == "overlay" and p.spec.kind == "points":
        return f'<span class="cx-sample">{marker_svg("circle", p.colour, 12)}</span>'
    fill = style.basemap_fill if p.role == "basemap" else p.colour
    stroke = style.basemap_stroke if p.role == "basemap" else p.colour
    return (
        '<svg class="cx-sample" width="16" height="12" aria-hidden="true">'
        f'<rect x="1" y="1" width="14" height="10" fill="{esc(fill)}" stroke="{esc(stroke)}"/>'
        "</svg>"
    )


def _tree_html(
    node: _Node, prepared: Mapping[str, _Prepared], style: StyleTable, gid: list[int]
) -> str:
    items = []
    for kind, obj in node.children():
        if kind == "layer":
            p = prepared[obj.key]
            checked = " checked" if obj.visible else ""
            items.append(
                '<li class="cx-tree-leaf"><label>'
                f'<input type="checkbox" data-cx-layer="{esc(obj.key)}"{checked}>'
                f'{_layer_sample(p, style)}<span class="cx-text">{title_html(obj.title)}</span>'
                "</label></li>"
            )
        else:
            gid[0] += 1
            inner = _tree_html(obj, prepared, style, gid)
            items.append(
                '<li class="cx-tree-group"><div class="cx-group-row">'
                '<button type="button" class="cx-caret" aria-expanded="true" '
                f'aria-label="Show or hide the layers of {esc(obj.name)}"></button>'
                f'<label><input type="checkbox" data-cx-group="g{gid[0]}">'
                f'<span class="cx-text">{title_html(obj.name)}</span></label></div>{inner}</li>'
            )
    return "<ul>" + "".join(items) + "</ul>"


def _panel(part: str, title: str, body: str, extra_class: str = "") -> str:
    return (
        f'<div class="cx-panel {extra_class}" data-cx-part="{part}" hidden>'
        f'<button type="button" class="cx-panel-toggle" aria-expanded="true">{esc(title)}</button>'
        f'<div class="cx-panel-body">{body}</div></div>'
    )


def _filter_html(statuses: Sequence[str], years: tuple[int, int] | None, style: StyleTable) -> str:
    if not statuses and not years:
        return ""
    body = []
    if statuses:
        rows = []
        for s in statuses:
            st = style.status(None if s == OTHER else s)
            label = st.label if s != OTHER else "Other status"
            sample = line_sample(
                mix_colour(style.legend_ink, style.grey, st.grey),
                3,
                dash=st.dash,
                cap=st.cap,
                opacity=st.opacity,
                width=30,
            )
            rows.append(
                f'<label title="{esc(label)}"><input type="checkbox" data-cx-status="{esc(s)}" '
                f"checked>{sample}<span>{esc(label)}</span></label>"
            )
        body.append(
            '<fieldset class="cx-statuses"><legend>Show links by status</legend>'
            + "".join(rows)
            + "</fieldset>"
        )
    if years:
        lo, hi = years
        body.append(
            '<div class="cx-year"><label for="cx-year-input">Network as of '
            '<output for="cx-year-input">latest</output></label>'
            f'<input id="cx-year-input" type="range" min="{lo}" max="{hi + 1}" step="1" '
            f'value="{hi + 1}" aria-valuetext="latest status">'
            f'<div class="cx-year-ends"><span>{lo}</span><span>latest</span></div>'
            '<p class="cx-note">Status at the end of the year, from each link\'s dated history; '
            "hidden before its first entry. Links without history keep their current status."
            "</p></div>"
        )
    return _panel("filter", "Filter", "".join(body), "cx-filter")


def _tiles_config(tiles: Sequence[str]) -> tuple[list[dict[str, Any]], list[str]]:
    out, labels = [], []
    for name in tiles:
        try:
            layer = folium.TileLayer(tiles=name)
        except ValueError as exc:
            raise ValueError(
                f"unknown tile provider {name!r}; hint: use an xyzservices name such as "
                "'OpenStreetMap' or 'CartoDB positron'"
            ) from exc
        opts = layer.options
        out.append(
            {
                "url": layer.tiles,
                "options": {
                    "attribution": opts.get("attribution", ""),
                    "maxZoom": opts.get("max_zoom", 18),
                    "maxNativeZoom": opts.get("max_native_zoom", 18),
                    "minZoom": opts.get("min_zoom", 0),
                    "subdomains": opts.get("subdomains", "abc"),
                },
            }
        )
        labels.append(str(name))
    return out, labels


def _base_html(labels: Sequence[str], base_index: int, has_basemap: bool) -> str:
    if not labels:
        return ""
    offline = "Country outlines only (offline)" if has_basemap else "None (offline)"
    rows = [
        '<label><input type="radio" name="cx-base" value="-1"'
        + (" checked" if base_index < 0 else "")
        + f"> {esc(offline)}</label>"
    ]
    for i, label in enumerate(labels):
        checked = " checked" if i == base_index else ""
        rows.append(
            f'<label><input type="radio" name="cx-base" value="{i}"{checked}> '
            f'{esc(label)} <span class="cx-muted">(online)</span></label>'
        )
    return '<fieldset class="cx-base"><legend>Base map</legend>' + "".join(rows) + "</fieldset>"


# --------------------------------------------------------------------------- public API


def build_map(
    layers: Sequence[LayerSpec],
    *,
    title: str,
    style: StyleTable | None = None,
    tiles: Sequence[str] = (),
    offline: bool = True,
    bounds: tuple[float, float, float, float] | None = None,
    line_tolerance_deg: float = geo.LINE_TOLERANCE_DEG,
    polygon_tolerance_deg: float = geo.POLYGON_TOLERANCE_DEG,
    max_vertices: int = geo.MAX_VERTICES,
) -> folium.Map:
    """Build an interactive, self-contained folium map from plain layer data.

    Parameters
    ----------
    layers : sequence of LayerSpec
        Layers in input order (the tree order is by group, then ``order``, then title).
    title : str
        Page title (``<title>``); escaped.
    style : StyleTable, optional
        Style table; the default one when ``None``.
    tiles : sequence of str
        Optional online base layers (xyzservices names such as ``"OpenStreetMap"``).
        They are offered in the layer tree; the bundled country polygons stay the base.
    offline : bool
        Inline Leaflet and jQuery (default) instead of linking them from a CDN. When
        ``True`` no tile layer is switched on at start, so nothing is requested.
    bounds : tuple of float, optional
        Initial view ``(min_lon, min_lat, max_lon, max_lat)``; default: the extent of
        non-basemap layers.
    line_tolerance_deg, polygon_tolerance_deg : float
        Display simplification tolerances (degrees); see :mod:`corridors.render.geometry`.
    max_vertices : int
        Cap on vertices per feature, for display only.

    Returns
    -------
    folium.Map
        The map (its root is a :class:`~corridors.render.document.Document`); render it
        with :func:`render_html` or write it with :func:`save_html`.

    Raises
    ------
    ValueError
        Duplicate layer keys, a non-LayerSpec item, bad bounds or an unknown tile name.
    """
    style = style or StyleTable()
    specs = list(layers)
    seen: set[str] = set()
    for i, spec in enumerate(specs):
        if not isinstance(spec, LayerSpec):
            raise ValueError(f"layers[{i}] is {type(spec).__name__}, not a LayerSpec")
        if spec.key in seen:
            raise ValueError(f"duplicate layer key {spec.key!r}; hint: keys must be unique")
        seen.add(spec.key)
    if bounds is not None and (
        len(bounds) != 4 or not (bounds[0] <= bounds[2] and bounds[1] <= bounds[3])
    ):
        raise ValueError(f"bounds must be (min_lon, min_lat, max_lon, max_lat), got {bounds!r}")

    root = _tree(specs)
    ordered = _flatten(root)

    names: dict[str, str] = {}
    for spec in ordered:
        if spec.kind == "polygons":
            for f in spec.features["features"]:
                props = _props(f)
                iso, name = props.get("iso3"), props.get("name")
                if isinstance(iso, str) and isinstance(name, str):
                    names.setdefault(iso, name)

    drawn = DrawnSets()
    js_style = style.to_js()
    prepared: dict[str, _Prepared] = {}
    fallback = 0
    for spec in ordered:
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
        elif role == "platform":
            colour = style.platform_colour
        elif role == "basemap":
            colour = style.basemap_fill
        elif role == "overlay":
            colour = (
                style.overlay_colour
                if fallback == 0
                else style.palette[fallback % len(style.palette)]
            )
            fallback += 1
        else:
            colour = style.unknown_node.colour
        prepared[spec.key] = _prepare(
            spec,
            role,
            colour,
            style,
            drawn,
            names,
            js_style,
            line_tolerance=line_tolerance_deg,
            polygon_tolerance=polygon_tolerance_deg,
            max_vertices=max_vertices,
        )

    if bounds is None:
        focus = [b for p in prepared.values() if p.role != "basemap" for b in p.bounds]
        every = [b for p in prepared.values() for b in p.bounds]
        bounds = _union(focus) or _union(every) or DEFAULT_BOUNDS
    min_lon, min_lat, max_lon, max_lat = (float(b) for b in bounds)
    if max_lon - min_lon < 0.5:
        min_lon, max_lon = min_lon - 0.5, max_lon + 0.5
    if max_lat - min_lat < 0.5:
        min_lat, max_lat = min_lat - 0.5, max_lat + 0.5
    south_west = geo.to_latlon(min_lon, min_lat)
    north_east = geo.to_latlon(max_lon, max_lat)
    centre = geo.to_latlon((min_lon + max_lon) / 2, (min_lat + max_lat) / 2)

    years_seen = [
        h[0] for p in prepared.values() for f in p.features for h in f[1].get("history", [])
    ]
    years = (min(years_seen), max(years_seen)) if years_seen else None
    status_keys = sorted(
        drawn.values("status", initial=False),
        key=lambda s: (list(style.statuses).index(s) if s in style.statuses else 99, s),
    )

    tile_cfg, tile_labels = _tiles_config(tiles)
    base_index = -1 if offline or not tile_cfg else 0
    has_basemap = any(p.role == "basemap" for p in prepared.values())

    layer_info = [
        {
            "key": s.key,
            "title": s.title,
            "role": prepared[s.key].role,
            "kind": s.kind,
            "colour": prepared[s.key].colour,
        }
        for s in ordered
    ]
    panels = "".join(
        [
            '<div class="cx-search" data-cx-part="search" hidden role="search">'
            '<input type="search" placeholder="Search places and links…" '
            'aria-label="Search places and links by name or alias" autocomplete="off" '
            'spellcheck="false" aria-autocomplete="list" aria-expanded="false">'
            '<ul role="listbox" hidden></ul></div>',
            _panel(
                "layers",
                "Layers",
                '<div class="cx-tree">'
                + _tree_html(root, prepared, style, [0])
                + "</div>"
                + _base_html(tile_labels, base_index, has_basemap),
                "cx-layers",
            ),
            _panel("legend", "Legend", legend_html(drawn, style, layer_info), "cx-legend"),
            _filter_html(status_keys, years, style),
        ]
    )

    config = {
        "title": str(title),
        "style": js_style,
        "bounds": [list(south_west), list(north_east)],
        "tiles": tile_cfg,
        "baseIndex": base_index,
        "statuses": status_keys,
        "years": list(years) if years else None,
        "labels": list(ROW_LABELS),
        "rowOrder": ROW_ORDER,
        "texts": {"approx": APPROXIMATE_TEXT, "schematic": SCHEMATIC_TEXT, "exact": EXACT_TEXT},
    }

    m = CorridorsMap(
        aria_label=str(title),
        offline=offline,
        location=list(centre),
        zoom_start=4,
        tiles=None,
        prefer_canvas=True,
        zoom_control=True,
        control_scale=False,
        world_copy_jump=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    doc = Document(str(title))
    doc.add_child(m)
    m.add_child(InlineAssets(offline=offline), name="corridors_assets")
    app = AppElement(config, panels)
    m.add_child(app, name="corridors_app")
    topology = _topology(prepared[spec.key] for spec in ordered)
    shared = _share(prepared[spec.key] for spec in ordered)
    _reduce_popups((prepared[spec.key] for spec in ordered), shared, js_style)
    url_prefixes = _url_prefixes((prepared[spec.key] for spec in ordered), shared)
    if url_prefixes:
        app.config["urls"] = url_prefixes
    muted = _muted_texts((prepared[spec.key] for spec in ordered), shared)
    if muted:
        app.config["muted"] = muted
    _layer_defaults((prepared[spec.key] for spec in ordered), status_keys)
    if shared or topology:
        args = json_for_script(shared) + ("," + json_for_script(topology) if topology else "")
        m.add_child(SharedElement(app, args), name="corridors_shared")
    for spec in ordered:
        js = json_for_script(prepared[spec.key].as_js())
        m.add_child(
            LayerElement(app, js, spec.key), name="corridors_layer_" + str(len(m._children))
        )
    m.add_child(FinishElement(app), name="corridors_finish")
    m.corridors_drawn = drawn  # type: ignore[attr-defined]
    m.corridors_offline = offline  # type: ignore[attr-defined]
    m.corridors_layers = [p.spec.key for p in prepared.values()]  # type: ignore[attr-defined]
    from corridors.render.document import assign_ids

    assign_ids(doc)
    return m


def render_html(m: folium.Map) -> str:
    """Render the full HTML document of ``m`` (deterministic: same input, same bytes).

    Parameters
    ----------
    m : folium.Map
        A map from :func:`build_map` (any folium map works, but only maps built here are
        offline and deterministic).

    Returns
    -------
    str
        The complete HTML page.
    """
    root = m.get_root()
    if not isinstance(root, Document):
        from corridors.render.document import assign_ids

        assign_ids(root)
    html = root.render()
    if getattr(m, "corridors_offline", False) and _EXTERNAL_RESOURCE.search(html):
        warnings.warn(
            "the map was built offline, but an element added later (e.g. a folium plugin) "
            "links an external script or stylesheet; the page will not work without internet",
            stacklevel=2,
        )
    return html


def save_html(
    m: folium.Map,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Write the map's HTML atomically to ``path`` (``.html``/``.htm``).

    Parameters
    ----------
    m : folium.Map
        The map.
    path : path-like
        Output file.
    overwrite : bool
        Replace an existing file.
    inputs : iterable of path-like
        Input files of the run; the output may not be one of them.

    Returns
    -------
    Path
        The resolved path written.

    Raises
    ------
    corridors.errors.OutputError
        Bad extension, existing file without ``overwrite``, missing directory, or an input.
    """
    target = check_output_path(path, suffixes=[".html", ".htm"], overwrite=overwrite, inputs=inputs)
    html = render_html(m)
    return write_text_atomic(target, html)
