"""The escaping helpers of the render layer (defined in :mod:`corridors.html`).

Every string that reaches HTML from data goes through :func:`esc` (text and attribute
values), :func:`safe_url` (links: http/https only) or :func:`json_for_script` (data
embedded in a ``<script>``). They live in a folium-free module so that the analytics'
``_repr_html_`` tables use the very same functions.
"""

from __future__ import annotations

from corridors.html import esc, json_for_script, safe_colour, safe_url

__all__ = ["esc", "json_for_script", "safe_colour", "safe_url"]
