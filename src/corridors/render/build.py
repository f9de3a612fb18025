"""Build a folium map from :class:`~corridors.render.spec.LayerSpec` lists; render and save it.

:func:`build_map` runs these steps, each in its own module:

1. check the layers and order them as the layer tree lists them (:mod:`.panels`);
2. prepare every layer: display geometry and page properties, by role (:mod:`.prepare`);
3. the initial view, the statuses and years of the filter, the online base layers;
4. the panels, from templates (:mod:`.panels`), and the data, one compressed payload
   (:mod:`.payload`);
5. assemble the document (:mod:`.document`).

The map carries no state of ours besides what its elements hold: the
:class:`~corridors.render.document.CorridorsMap` knows whether it was built ``offline``.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium

from corridors.io.atomic import check_output_path, write_text_atomic
from corridors.render import geometry as geo
from corridors.render.caption import caption_config, caption_html
from corridors.render.document import AppElement, CorridorsMap, Document, InlineAssets, assign_ids
from corridors.render.legend import DrawnSets
from corridors.render.panels import layer_tree, panels_html, tree_order
from corridors.render.payload import encode_payload, page_payload
from corridors.render.popups import ROW_LABELS
from corridors.render.prepare import Context, Prepared, country_names, layer_colours, prepare_layer
from corridors.render.spec import LayerSpec
from corridors.render.style import StyleTable

__all__ = ["DEFAULT_BOUNDS", "MapParts", "build_map", "build_parts", "render_html", "save_html"]

_EXTERNAL_RESOURCE = re.compile(
    r"<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE
)

#: View when nothing is drawn: Eurasia from the Mediterranean to western China.
DEFAULT_BOUNDS = (25.0, 10.0, 95.0, 55.0)

Box = tuple[float, float, float, float]


def _check(layers: Iterable[Any], bounds: Box | None) -> list[LayerSpec]:
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
    return specs


def _union(boxes: Sequence[geo.Bounds]) -> geo.Bounds | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _view(prepared: Sequence[Prepared], bounds: Box | None) -> list[list[float]]:
    """``[south_west, north_east]`` (Leaflet order) of the initial view, at least 1° wide."""
    if bounds is None:
        focus = [b for p in prepared if p.role != "basemap" for b in p.bounds]
        every = [b for p in prepared for b in p.bounds]
        bounds = _union(focus) or _union(every) or DEFAULT_BOUNDS
    min_lon, min_lat, max_lon, max_lat = (float(b) for b in bounds)
    if max_lon - min_lon < 0.5:
        min_lon, max_lon = min_lon - 0.5, max_lon + 0.5
    if max_lat - min_lat < 0.5:
        min_lat, max_lat = min_lat - 0.5, max_lat + 0.5
    return [list(geo.to_latlon(min_lon, min_lat)), list(geo.to_latlon(max_lon, max_lat))]


#: When the dated status changes span more than :data:`COMPRESS_YEARS`, the year control
#: runs yearly from the decade in which this share of them has happened, and everything
#: before is one "earlier" step (the bundled data has changes from 1799, but 80 % of them
#: from 2000 on: 2 px per year over 1799-2027 helped nobody).
EARLIER_SHARE = 0.2
COMPRESS_YEARS = 40


def _filter_values(
    prepared: Sequence[Prepared], drawn: DrawnSets, style: StyleTable
) -> tuple[list[str], tuple[int, int, int] | None]:
    """The statuses the filter offers (style order) and the years of the dated histories:
    ``(first, start, last)``, ``start`` the first year shown yearly (see
    :data:`EARLIER_SHARE`)."""
    years_seen = sorted(h[0] for p in prepared for f in p.features for h in f[1].get("history", []))
    years = None
    if years_seen:
        first, last = years_seen[0], years_seen[-1]
        start = first
        if last - first > COMPRESS_YEARS:
            start = years_seen[int(len(years_seen) * EARLIER_SHARE)] // 10 * 10
            start = min(max(start, first + 1), last)
        years = (first, start, last)
    statuses = sorted(
        drawn.values("status", initial=False),
        key=lambda s: (list(style.statuses).index(s) if s in style.statuses else 99, s),
    )
    return statuses, years


def tile_layer(name: str) -> Any:
    """The folium tile layer of provider ``name``, or :class:`~corridors.errors.OptionError`
    naming it with the nearest xyzservices name ("did you mean ...?")."""
    try:
        return folium.TileLayer(tiles=name)
    except ValueError as exc:
        import xyzservices.providers as xyz  # type: ignore[import-untyped]

        from corridors.errors import OptionError, did_you_mean

        known = {*xyz.flatten(), *xyz.keys()}
        lowered = {k.lower(): k for k in sorted(known)}
        guess = did_you_mean(str(name).lower(), lowered)
        if guess is not None:
            close = [lowered[m] for m in lowered if f"'{m}'" in guess]
            guess = "did you mean " + " or ".join(f"'{c}'" for c in close) + "? "
        raise OptionError(
            f"unknown tile provider {name!r}; hint: {guess or ''}use an xyzservices name such "
            "as 'OpenStreetMap' or 'CartoDB positron'"
        ) from exc


def _tiles_config(tiles: Sequence[str]) -> tuple[list[dict[str, Any]], list[str]]:
    out, labels = [], []
    for name in tiles:
        layer = tile_layer(name)
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


def _document(
    title: str, offline: bool, view: list[list[float]], app: AppElement, *, lab: bool = False
) -> folium.Map:
    """The map in its own :class:`Document`, with the assets (the route lab's script when
    ``lab``) and the app."""
    (south, west), (north, east) = view
    m = CorridorsMap(
        aria_label=title,
        offline=offline,
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=4,
        tiles=None,
        prefer_canvas=True,
        zoom_control=True,
        control_scale=False,
        world_copy_jump=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    doc = Document(title)
    doc.add_child(m)
    m.add_child(InlineAssets(offline=offline, lab=lab), name="corridors_assets")
    m.add_child(app, name="corridors_app")
    assign_ids(doc)
    return m


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class MapParts:
    """What the page of one map is made of (:func:`build_parts`): its ``title``, the
    app's ``config``, the ``panels`` markup (escaped), the base64 ``payload``, the
    initial ``view`` ``[south_west, north_east]`` and whether it carries the ``lab``."""

    title: str
    config: dict[str, Any]
    panels: str
    payload: str
    view: list[list[float]]
    #: the payload carries the route lab's network (the page gets the lab's script)
    lab: bool = False


def build_parts(
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
    caption: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    subtitle: str | None = None,
    timeline: Sequence[Mapping[str, str]] = (),
) -> MapParts:
    """The parts of a map's page (see :func:`build_map` for the parameters): a page that
    holds several maps (:mod:`corridors.render.compare`) assembles them itself."""
    style = style or StyleTable()
    root = layer_tree(_check(layers, bounds))
    ordered = tree_order(root)

    ctx = Context(
        style=style,
        drawn=DrawnSets(),
        names=country_names(ordered),
        line_tolerance=line_tolerance_deg,
        polygon_tolerance=polygon_tolerance_deg,
        max_vertices=max_vertices,
    )
    colours = layer_colours(ordered, style)
    prepared = [prepare_layer(spec, colours[spec.key], ctx) for spec in ordered]

    statuses, years = _filter_values(prepared, ctx.drawn, style)
    tile_cfg, tile_labels = _tiles_config(tiles)
    base_index = -1 if offline or not tile_cfg else 0
    view = _view(prepared, bounds)
    config = {
        "title": str(title),
        "style": style.to_js(),
        "bounds": view,
        "tiles": tile_cfg,
        "baseIndex": base_index,
        "statuses": statuses,
        "years": list(years) if years else None,
        "labels": list(ROW_LABELS),
        "subtitle": subtitle,
        "marks": [_mark(m) for m in timeline],
    }
    panels = panels_html(
        root=root,
        prepared=prepared,
        style=style,
        drawn=ctx.drawn,
        statuses=statuses,
        years=years,
        tile_labels=tile_labels,
        base_index=base_index,
        title=str(title),
        subtitle=subtitle,
    )
    if caption is not None:
        config["caption"] = caption_config(caption)
        panels = caption_html(caption) + panels
    body = page_payload(prepared)
    for key, value in (data or {}).items():
        if key in body:
            raise ValueError(f"payload entry {key!r} is reserved")
        body[key] = value
    payload = encode_payload(body)
    return MapParts(str(title), config, panels, payload, view, lab="lab" in body)


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
    caption: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    subtitle: str | None = None,
    timeline: Sequence[Mapping[str, str]] = (),
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
    caption : mapping, optional
        A caption panel (:mod:`corridors.render.caption`): what the map shows and the
        routes' totals, also written on the map at each route.
    data : mapping, optional
        Further plain-data entries of the page's payload (JSON-ready), e.g. ``{"lab":
        ...}``: the network the page routes on (:mod:`corridors.maps.lab`, read by
        ``assets/js/labpanel.js``). ``topology`` and ``layers`` are reserved.
    subtitle : str, optional
        Shown under the title on the page (e.g. the data's as-of date); escaped.
    timeline : sequence of mapping
        Dated marks of the year control: ``date`` (ISO, partial allowed), ``label``,
        ``kind`` (``closure``, ``meeting``…), optional ``span`` (display text) and ``end``.

    Returns
    -------
    folium.Map
        The map (its root is a :class:`~corridors.render.document.Document`); render it
        with :func:`render_html` or write it with :func:`save_html`.

    Raises
    ------
    ValueError
        Duplicate layer keys, a non-LayerSpec item, bad bounds, an unknown tile name or
        a caption route without a colour.
    """
    parts = build_parts(
        layers,
        title=title,
        style=style,
        tiles=tiles,
        offline=offline,
        bounds=bounds,
        line_tolerance_deg=line_tolerance_deg,
        polygon_tolerance_deg=polygon_tolerance_deg,
        max_vertices=max_vertices,
        caption=caption,
        data=data,
        subtitle=subtitle,
        timeline=timeline,
    )
    app = AppElement(parts.config, parts.panels, parts.payload)
    return _document(parts.title, offline, parts.view, app, lab=parts.lab)


def _mark(m: Mapping[str, str]) -> dict[str, Any]:
    """A timeline mark for the page: its year and texts (plain strings)."""
    date = str(m.get("date", ""))
    if not re.match(r"\d{4}", date):
        raise ValueError(f"timeline mark {m!r}: date must start with a year (YYYY)")
    out: dict[str, Any] = {
        "y": int(date[:4]),
        "kind": str(m.get("kind", "")),
        "label": str(m.get("label", "")),
    }
    if m.get("span"):
        out["span"] = str(m["span"])
    if m.get("end"):
        out["end"] = int(str(m["end"])[:4])
    return out


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
        assign_ids(root)
    html = root.render()
    if isinstance(m, CorridorsMap) and m.offline and _EXTERNAL_RESOURCE.search(html):
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
    return write_text_atomic(target, html, overwrite=overwrite)
