"""The caption of a map: what it shows, and the answer (routes with totals, pairs without).

A caption is plain data (made by :func:`corridors.maps.scenario_answer.caption_data`, or
by hand)::

    {"title": "Scenario: today", "description": "…", "lines": ["As of 2026-12-01", …],
     "routes": [{"key": "route:1", "colour": "#ffd400", "name": "Gwadar Port → Tashkent",
                 "totals": "2,916 km · 115.3 h", "label": "…", "short": "…",
                 "at": [[lon, lat], …], "warnings": [...]}],
     "unrouted": [{"name": "Kabul → Tashkent", "reason": "no route from …"}]}

:func:`caption_html` renders its panel from ``templates/caption.html.j2`` (autoescaped:
every value is text; the swatches are SVG built from checked colours);
:func:`caption_config` is what the map's script needs (``assets/js/caption.js``): each
route's label on the map, as text (``label``, else the name and totals; ``short``, else
the name and the first total: on phones, and where the text does not fit) and the
``[lat, lon]`` places it may take along the route, best first (the map takes the first
where it overlaps no other label and no panel, else moves it aside, else hides it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from corridors.render.escape import safe_colour
from corridors.render.legend import line_sample

__all__ = ["caption_config", "caption_html", "check_caption"]


def _texts(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError(f"caption {field} must be a list of str, got {type(value).__name__}")
    return [str(v) for v in value]


def check_caption(caption: Mapping[str, Any]) -> dict[str, Any]:
    """The caption with every value as text and every colour checked.

    Raises
    ------
    ValueError
        A route without a ``#rgb``/``#rrggbb`` colour, or a field of the wrong type.
    """
    if not isinstance(caption, Mapping):
        raise ValueError(f"caption must be a mapping, got {type(caption).__name__}")
    routes = []
    for i, r in enumerate(caption.get("routes") or ()):
        colour = safe_colour(str(r.get("colour", "")), "")
        if not colour:
            raise ValueError(f"caption routes[{i}]: colour {r.get('colour')!r} is not #rrggbb")
        points = []
        for p in r.get("at") or ():
            if not (isinstance(p, Sequence) and not isinstance(p, str) and len(p) == 2):
                raise ValueError(f"caption routes[{i}]: label place {p!r} is not [lon, lat]")
            points.append([float(p[0]), float(p[1])])
        routes.append(
            {
                "key": str(r.get("key", "")),
                "colour": colour,
                "name": str(r.get("name", "")),
                "totals": str(r.get("totals", "")),
                "label": str(r.get("label") or ""),
                "short": str(r.get("short") or ""),
                "at": points,
                "warnings": _texts(r.get("warnings"), f"routes[{i}].warnings"),
            }
        )
    unrouted = [
        {"name": str(u.get("name", "")), "reason": str(u.get("reason", ""))}
        for u in caption.get("unrouted") or ()
    ]
    return {
        "title": str(caption.get("title", "")),
        "description": str(caption.get("description", "") or ""),
        "lines": _texts(caption.get("lines"), "lines"),
        "routes": routes,
        "unrouted": unrouted,
    }


def caption_html(caption: Mapping[str, Any]) -> str:
    """The caption panel (hidden until the map's script places it)."""
    from corridors.render.panels import render_template

    data = check_caption(caption)
    for r in data["routes"]:
        r["sample"] = Markup(line_sample(r["colour"], 6, width=28))
    return render_template("caption.html.j2", caption=data)


def caption_config(caption: Mapping[str, Any]) -> dict[str, Any]:
    """The route labels of the caption, for the page's script (Leaflet ``[lat, lon]``)."""
    data = check_caption(caption)
    labels = []
    for r in data["routes"]:
        if not r["at"]:
            continue
        first = r["totals"].split(" · ")[0]
        labels.append(
            {
                "key": r["key"],
                "colour": r["colour"],
                "text": r["label"] or (f"{r['name']}: {r['totals']}" if r["totals"] else r["name"]),
                "short": r["short"] or (f"{r['name']}: {first}" if first else r["name"]),
                "at": [[lat, lon] for lon, lat in r["at"]],
            }
        )
    return {"routes": labels, "unrouted": len(data["unrouted"])}
