"""A page of two maps side by side whose views move together (``corridors compare``).

:func:`compare_html` takes the :class:`~corridors.render.build.MapParts` of two maps
(:func:`~corridors.render.build.build_parts`) and writes one offline page from
``templates/compare.html.j2``: a heading with what opened and closed, the two maps (each
its own app, with its panels, on its half; stacked on a narrow screen), and the per-pair
table. ``assets/compare/compare.js`` starts both apps and keeps their views in step; it
is packed with Leaflet and the map script as every page's scripts are
(:func:`~corridors.render.resources.packed_scripts`), and the page's own script waits for
them (``corridorsReady``).

Escaping: the summary and the table are plain text rendered by the autoescaped template;
each map's configuration is script-safe JSON (:func:`~corridors.render.escape.json_for_script`),
its panels were rendered by the autoescaped panel templates, its payload is base64.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources as ir
from typing import Any

from markupsafe import Markup

from corridors.render import resources
from corridors.render.build import MapParts
from corridors.render.escape import json_for_script, safe_colour
from corridors.render.legend import line_sample
from corridors.render.panels import render_template

__all__ = ["compare_html"]

_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_SIDES = ("a", "b")


@lru_cache(maxsize=2)
def _asset(name: str) -> str:
    text = (ir.files("corridors.render") / "assets" / "compare" / name).read_text("utf-8")
    return re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.IGNORECASE)


def _side(parts: MapParts, side: str) -> dict[str, Any]:
    if not _BASE64.fullmatch(parts.payload):
        raise ValueError("the payload must be base64 text")
    # the ids of one map's panels must not repeat in the other's
    panels = parts.panels.replace('"cx-year-input"', f'"cx-year-input-{side}"')
    (south, west), (north, east) = parts.view
    config = {**parts.config, "ui": f"cx-ui-{side}", "compact": True}
    return {
        "id": side,
        "title": parts.title,
        "panels": Markup(panels),
        "start": Markup(
            json_for_script(
                {
                    "map": f"cx-map-{side}",
                    "center": [(south + north) / 2, (west + east) / 2],
                    "cfg": config,
                    "payload": parts.payload,
                }
            )
        ),
    }


def compare_html(
    left: MapParts,
    right: MapParts,
    *,
    summary: Mapping[str, Any],
    table: Mapping[str, Any],
) -> str:
    """The compare page (see the module docstring).

    Parameters
    ----------
    left, right : MapParts
        Scenario A's map and scenario B's.
    summary : mapping
        ``a``, ``b`` (scenario names), ``opened``, ``closed`` (link names), ``drawn``
        (pairs drawn) and ``pairs`` (pairs in the table).
    table : mapping
        :meth:`corridors.analytics.diff.ScenarioDiff.table`, each row with an optional
        ``colour`` (the pair's route colour on the maps).
    """
    rows = []
    for row in table["rows"]:
        colour = safe_colour(str(row.get("colour") or ""), "")
        rows.append(
            {
                "cells": [str(c) for c in row["cells"]],
                "change": str(row["change"]),
                "sample": Markup(line_sample(colour, 5, width=24)) if colour else None,
            }
        )
    a, b = str(summary["a"]), str(summary["b"])
    return (
        render_template(
            "compare.html.j2",
            title=f"corridors compare — {a} → {b}",
            a=a,
            b=b,
            opened=[str(s) for s in summary.get("opened", ())],
            closed=[str(s) for s in summary.get("closed", ())],
            drawn=int(summary.get("drawn", 0)),
            npairs=int(summary.get("pairs", len(rows))),
            sides=[_side(left, "a"), _side(right, "b")],
            groups=[(str(t), int(n)) for t, n in table["groups"]],
            headers=[str(h) for h in table["headers"]],
            rows=rows,
            leaflet_css=Markup(resources.leaflet_css(images=False)),
            own_css=Markup(resources.own_css()),
            compare_css=Markup(_asset("compare.css")),
            scripts=Markup(
                resources.packed_scripts(
                    (resources.leaflet_js(), resources.own_js(lab=False), _asset("compare.js"))
                )
            ),
        )
        + "\n"
    )
