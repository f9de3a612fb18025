"""Render layer: plain layer data in, an offline, deterministic folium map out.

The render layer does not import the data model. Callers describe each layer as a
:class:`LayerSpec` (a GeoJSON FeatureCollection plus a key, title, tree group and kind),
call :func:`build_map`, then :func:`render_html` or :func:`save_html`.

The generated page is self-contained by default: Leaflet and jQuery are inlined from the
installed ``xstatic`` packages with their licence notices, and the controls are this
package's own JavaScript (``assets/corridors.js``): grouped layer tree, legend generated from
the :class:`StyleTable`, search over names and aliases, fullscreen, great-circle measure,
minimap, scale, status filter and year selector.
"""

from __future__ import annotations

from .build import build_map, render_html, save_html
from .escape import esc, json_for_script, safe_url
from .spec import KINDS, LayerSpec
from .style import StyleTable, default_style

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
