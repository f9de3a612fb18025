"""Render layer: plain layer data in, an offline, deterministic folium map out.

The render layer does not import the data model. Callers describe each layer as a
:class:`LayerSpec` (a GeoJSON FeatureCollection plus a key, title, tree group, kind and
role), call :func:`build_map`, then :func:`render_html` or :func:`save_html`.

The generated page is self-contained by default: Leaflet is inlined from the installed
``xstatic`` package with its licence notice (jQuery, from ``xstatic-jquery``, only when
other folium elements such as ``folium.Popup`` are added to the map: the atlas does not
need it), and the controls are this package's own JavaScript (``assets/js/*.js``,
concatenated by :mod:`corridors.render.resources`): a title with the data's date,
collision-aware labels of countries and main hubs (English or another script), grouped
layer tree, legend generated from the :class:`StyleTable`, search over places, links,
corridors and countries with "did you mean", fullscreen, great-circle measure, minimap,
scale, status filter, a year control (an "earlier" step, then yearly; play/pause; event
marks), a picker for stacked lines, a keyboard table of the links shown, Save PNG and a
print stylesheet. Panels start collapsed where the map needs the room.

Where things are
----------------
:mod:`~corridors.render.spec` (the :class:`LayerSpec` contract and its ``role``),
:mod:`~corridors.render.build` (:func:`build_map` as a few steps),
:mod:`~corridors.render.prepare` (one ``prepare_<role>`` function per role),
:mod:`~corridors.render.geometry` (display geometry), :mod:`~corridors.render.codec` (the
compact geometry text and the topology), :mod:`~corridors.render.cached` (display forms
through the on-disk cache), :mod:`~corridors.render.payload` (the page's data),
:mod:`~corridors.render.panels` with ``templates/*.html.j2`` (the panels),
:mod:`~corridors.render.legend`, :mod:`~corridors.render.popups`,
:mod:`~corridors.render.style`, :mod:`~corridors.render.document` (the folium elements) and
:mod:`~corridors.render.resources` (inlined libraries and assets).

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
  ``air`` links are geodesics on the WGS84 ellipsoid (``pyproj.Geod``), densified every
  50 km at most.

How the page stays lean (the default atlas is about 0.38 MB; the budget is 1.5 MB)
------------------------------------------------------------------------------------
* All the data travels as one payload (:mod:`corridors.render.payload`): JSON,
  gzip-compressed and written in base64, decoded in the page by the browser's
  ``DecompressionStream``; the map is drawn once it is decoded. gzip takes care of
  repetition, so nothing is shared or shortened by hand: every feature carries its full
  popup model and search terms.
* Coordinates in it are in a compact, lossless text form (integer deltas as
  variable-length integers in 64 URL-safe digits; :mod:`corridors.render.codec`), decoded
  in the browser to exactly the rounded coordinates. The basemap's and the platforms'
  polygons form one topology (:func:`~corridors.render.codec.encode_topology`): a border
  that neighbouring countries share exactly is written once, as an arc.
* Popups travel as plain-text models (:mod:`corridors.render.popups`), not HTML, and the
  map builds them as DOM nodes with ``textContent``; search terms and tooltips come from
  the same names.
* Nothing is minified. The styles are inline as written; the scripts (Leaflet as
  distributed, jQuery when a folium element needs it, the project's script) are packed
  into one gzip + base64 text that ``assets/boot.js`` unpacks with ``DecompressionStream``
  and runs before the page's own script (:func:`~corridors.render.resources.packed_scripts`);
  their licence notices stay readable as plain comments.

Escaping: every data string reaches the page's markup through the panels' Jinja templates,
whose autoescape escapes every value (:mod:`corridors.render.panels`; SVG samples are built
from numbers and colours checked by :func:`~corridors.render.escape.safe_colour` or escaped
by :func:`~corridors.render.escape.esc`), as script-safe JSON through
:func:`~corridors.render.escape.json_for_script` (the configuration), inside the base64
payload, or as ``textContent`` set by the map's JavaScript; links pass
:func:`~corridors.render.escape.safe_url` first.
"""

from __future__ import annotations

from corridors.render.build import build_map, render_html, save_html
from corridors.render.escape import esc, json_for_script, safe_url
from corridors.render.spec import KINDS, ROLES, LayerSpec
from corridors.render.style import StyleTable, default_style

__all__ = [
    "KINDS",
    "ROLES",
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
