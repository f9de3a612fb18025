"""Render layer: plain layer data in, an offline, deterministic folium map out.

The render layer does not import the data model. Callers describe each layer as a
:class:`LayerSpec` (a GeoJSON FeatureCollection plus a key, title, tree group and kind),
call :func:`build_map`, then :func:`render_html` or :func:`save_html`.

The generated page is self-contained by default: Leaflet is inlined from the installed
``xstatic`` package with its licence notice (jQuery, from ``xstatic-jquery``, only when
other folium elements such as ``folium.Popup`` are added to the map: the atlas does not
need it), and the controls are this package's own JavaScript (``assets/corridors.js``):
grouped layer tree, legend generated from the :class:`StyleTable`, search over names and
aliases, fullscreen, great-circle measure, minimap, scale, status filter and year selector.

Display geometry (drawing only: lengths and analytics always use the full data)
-------------------------------------------------------------------------------
* Lines are simplified with Douglas–Peucker at 0.005° (``LINE_TOLERANCE_DEG``: about
  550 m N–S, 400 m E–W at 40° N, under a pixel up to zoom ≈ 8); polygons at 0.01°
  (``POLYGON_TOLERANCE_DEG``, topology preserved; the bundled countries are already
  simplified at 0.02°, so this removes almost nothing). Both can be set per
  :func:`build_map` call.
* At most 5,000 vertices per feature (``MAX_VERTICES``): the tolerance is doubled until the
  feature fits, then vertices are decimated.
* Coordinates are rounded to 4 decimals for lines and points (≈ 11 m), to 3 for overlay
  polygons (≈ 110 m) and to 2 for the country basemap and platform members (≈ 1.1 km,
  ``BASEMAP_DECIMALS``: the bundled countries are simplified at 0.02° ≈ 2 km, so the
  rounding stays within a quarter of their own error); repeated vertices are dropped.
  ``air`` links are great circles, densified every 50 km.

How the page stays lean (the default atlas is about 0.41 MB; the budget is 1.5 MB)
------------------------------------------------------------------------------------
* Coordinates travel in a compact, lossless text form (integer deltas as variable-length
  integers in 64 URL-safe digits; :func:`corridors.render.geometry.encode_geometry`),
  about a quarter of the size of GeoJSON text, and are decoded in the browser to exactly
  the rounded coordinates. The basemap's and the platforms' polygons form one topology
  (:func:`~corridors.render.geometry.encode_topology`): a border that neighbouring
  countries share exactly is written once, as an arc.
* Popups travel as plain-text models (:mod:`corridors.render.popups`), not HTML, and the
  map builds them as DOM nodes with ``textContent``; search terms and tooltips are built
  from the same names. Rows that a feature's own properties already say (a place's kind,
  aliases, country, position and id; a segment's status, status history, mode and id) are
  not sent but derived by the map (:func:`~corridors.render.popups.derived_rows` and its
  twins).
* A value used by several features is written once, in a shared table: a platform member
  is drawn from the basemap's polygon of that country, and a segment listed by several
  corridors has one geometry and one popup model (its popup lists every corridor). So are
  the common beginnings of source links, repeated muted notes ("(computed)") and, per
  layer, the status, mode or kind that most of its features have.
* The project's own script and styles are minified (``rjsmin``, ``rcssmin``); Leaflet is
  inlined as distributed.

Escaping: every data string reaches the page's markup through
:func:`~corridors.render.escape.esc` (panels built in Python), as script-safe JSON through
:func:`~corridors.render.escape.json_for_script`, or as ``textContent`` set by the map's
JavaScript; links pass :func:`~corridors.render.escape.safe_url` first.
"""

from __future__ import annotations

from corridors.render.build import build_map, render_html, save_html
from corridors.render.escape import esc, json_for_script, safe_url
from corridors.render.spec import KINDS, LayerSpec
from corridors.render.style import StyleTable, default_style

__all__ = [
    "KINDS",
    "LayerSpec",
    "StyleTable",
    "build_map",
    "default_style",
    "esc",
    "json_for_script",
    "render_html",
    "safe_url",
    "save_html",
]
