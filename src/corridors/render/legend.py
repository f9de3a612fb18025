"""Legend generated from the style table and from what the layers actually draw.

:class:`DrawnSets` records what prepared layers draw; :func:`legend_sections` turns it into
the legend's rows (rendered by :mod:`corridors.render.panels`), whose SVG samples use the
same :class:`~corridors.render.style.StyleTable` values as the map. Rows for things that
can be drawn (e.g. a status only reached by moving the year slider, or a hidden layer) are
present but ``hidden``; the map's JavaScript shows exactly the rows for what is currently
drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from corridors.render.escape import esc
from corridors.render.style import Casing, StyleTable, marker_svg, mix_colour
from corridors.vocab import MODES, NODE_KINDS, STATUSES

__all__ = [
    "OTHER",
    "ROUTE_LAYER_PREFIX",
    "DrawnSets",
    "kind_key",
    "legend_sections",
    "line_sample",
    "mode_key",
    "split_title",
    "status_key",
]

#: Legend/filter key of a status, mode or kind that the style table does not know.
OTHER = "_other"

#: Key prefix of the layers that each hold one computed route (``route:1``): the legend
#: lists them in a "Routes" section, in their colour and with their whole title.
ROUTE_LAYER_PREFIX = "route:"


def split_title(title: str) -> tuple[str, str]:
    """Split ``"Name (long explanation)"`` into ``("Name", "(long explanation)")``.

    Only a title that ends with a parenthesis is split, at its first ``" ("``; other
    titles come back whole, with ``""``.
    """
    t = str(title).strip()
    i = t.find(" (")
    if t.endswith(")") and i > 0:
        return t[:i], t[i + 1 :]
    return t, ""


def status_key(value: Any, style: StyleTable) -> str:
    """Key of a status in the legend and the filter (unknown ones → :data:`OTHER`)."""
    return value if isinstance(value, str) and value in style.statuses else OTHER


def mode_key(value: Any, style: StyleTable) -> str:
    """Key of a mode in the legend (unknown ones → :data:`OTHER`)."""
    return value if isinstance(value, str) and value in style.modes else OTHER


def kind_key(value: Any, style: StyleTable) -> str:
    """Key of a node kind in the legend (unknown ones → :data:`OTHER`)."""
    return value if isinstance(value, str) and value in style.nodes else OTHER


@dataclass
class DrawnSets:
    """What a set of layers can draw (``possible``) and draws at first (``initial``).

    Keys are ``"status:<s>"``, ``"mode:<m>"``, ``"precision:schematic"``, ``"kind:<k>"``,
    ``"node:approximate"``, ``"closed"``, ``"route"`` and ``"layer:<layer key>"``.
    """

    possible: set[str] = field(default_factory=set)
    initial: set[str] = field(default_factory=set)

    def add(self, key: str, *, initially: bool) -> None:
        """Record ``key`` as drawable, and as drawn at first when ``initially``."""
        self.possible.add(key)
        if initially:
            self.initial.add(key)

    def values(self, prefix: str, *, initial: bool = True) -> set[str]:
        """Values with ``prefix`` (e.g. ``"status"``) in the initial or possible set."""
        pool = self.initial if initial else self.possible
        head = prefix + ":"
        return {k[len(head) :] for k in pool if k.startswith(head)}


def _dash(dash: str | None) -> str:
    return f' stroke-dasharray="{esc(dash)}"' if dash else ""


def line_sample(
    colour: str,
    weight: float,
    *,
    dash: str | None = None,
    cap: str = "round",
    opacity: float = 1.0,
    casing: Casing | None = None,
    halo: Casing | None = None,
    width: int = 46,
) -> str:
    """An inline SVG line sample drawn with the given map style.

    Each line is a one-segment ``<path>``; attributes at their SVG defaults are left out
    (``stroke-opacity="1"``, the square cap ``butt``), and so is the ``viewBox``: the
    sample is drawn at its own size.
    """
    h = 16
    y = h / 2
    parts = []
    for under in (halo, casing):
        if under is not None:
            parts.append(
                f'<path d="M4 {y:g}H{width - 4}" '
                f'stroke="{esc(under.colour)}" stroke-width="{weight + under.extra:g}"'
                f"{_opacity(under.opacity)}{_cap('round' if under.dash else 'butt')}"
                f"{_dash(under.dash)}/>"
            )
    parts.append(
        f'<path d="M4 {y:g}H{width - 4}" stroke="{esc(colour)}" '
        f'stroke-width="{weight:g}"{_opacity(opacity)}{_cap(cap)}{_dash(dash)}/>'
    )
    return (
        f'<svg class="cx-sample" width="{width}" height="{h}" aria-hidden="true">'
        f"{''.join(parts)}</svg>"
    )


def _cap(cap: str) -> str:
    return "" if cap == "butt" else f' stroke-linecap="{esc(cap)}"'


def _opacity(value: float) -> str:
    return "" if value == 1 else f' stroke-opacity="{value:g}"'


def _swatch(colour: str) -> str:
    return (
        '<svg class="cx-sample" width="46" height="16" aria-hidden="true">'
        f'<rect x="12" y="2" width="22" height="12" fill="{esc(colour)}" fill-opacity="0.35" '
        f'stroke="{esc(colour)}" stroke-width="1.5"/></svg>'
    )


def _hatch(colour: str) -> str:
    """A hatched, dash-outlined swatch (the map's disputed areas)."""
    c = esc(colour)
    lines = "".join(f'<path d="M{x} 14L{x + 12} 2"/>' for x in (8, 14, 20, 26))
    return (
        '<svg class="cx-sample" width="46" height="16" aria-hidden="true">'
        f'<g stroke="{c}" stroke-opacity="0.6">{lines}</g>'
        f'<rect x="12" y="2" width="22" height="12" fill="none" stroke="{c}" '
        'stroke-width="1.2" stroke-dasharray="3 2"/></svg>'
    )


def _marker(svg: str) -> str:
    return f'<span class="cx-sample cx-marker-sample">{svg}</span>'


def _row(
    key: str,
    sample: str,
    drawn: DrawnSets,
    *,
    label: str = "",
    title: str | None = None,
    short: bool = False,
) -> dict[str, Any]:
    return {
        "key": key,
        "hidden": key not in drawn.initial,
        "sample": sample,
        "label": label,
        "title": title,
        "short": short,
    }


def _section(title: str, rows: list[dict[str, Any]], drawn: DrawnSets) -> dict[str, Any]:
    hidden = not any(row["key"] in drawn.initial for row in rows)
    return {"title": title, "hidden": hidden, "rows": rows}


def _ordered(values: set[str], vocabulary: Sequence[str]) -> list[str]:
    known = [v for v in vocabulary if v in values]
    return (
        known
        + sorted(v for v in values if v not in vocabulary and v != OTHER)
        + ([OTHER] if OTHER in values else [])
    )


def legend_sections(
    drawn: DrawnSets,
    style: StyleTable,
    layers: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """The legend's sections and rows for the drawable things in ``drawn``.

    Parameters
    ----------
    drawn : DrawnSets
        What the layers can draw / draw at first.
    style : StyleTable
        The style table the map uses.
    layers : sequence of mapping
        Prepared layers (``key``, ``title``, ``role``, ``kind``, ``colour``) in tree order.

    Returns
    -------
    list of dict
        Non-empty sections ``{"title", "hidden", "rows"}``; a row is ``{"key", "hidden",
        "sample"}`` (the sample's SVG markup) with a plain-text ``label``, or a layer
        ``title`` shown ``short`` (the name alone) when no other layer has that name. The
        panel template (:mod:`corridors.render.panels`) renders them.
    """
    ink = style.legend_ink
    sections = []

    rows = []
    project_rows: list[dict[str, Any]] = []
    route_rows: list[dict[str, Any]] = []
    short_names = [split_title(layer["title"])[0] for layer in layers]
    for layer in layers:
        key = "layer:" + layer["key"]
        if key not in drawn.possible:
            continue
        role = layer["role"]
        if role == "corridor" and str(layer["key"]).startswith(ROUTE_LAYER_PREFIX):
            # a computed route of its own: its colour, with the route casing, and its
            # whole title (the totals)
            sample = line_sample(
                layer["colour"], 3 + style.route_extra_weight, casing=style.route_casing
            )
            route_rows.append(_row(key, sample, drawn, title=layer["title"]))
            continue
        if role == "corridor" or (role == "overlay" and layer["kind"] == "lines"):
            sample = line_sample(layer["colour"], 4)
        elif role in ("platform",) or (role == "overlay" and layer["kind"] == "polygons"):
            sample = _swatch(layer["colour"])
        elif role == "disputed":
            sample = _hatch(layer["colour"])
        elif role == "overlay":
            sample = _marker(marker_svg("circle", layer["colour"], 12))
        elif role == "projects":
            project_rows.append(
                _row(
                    key,
                    _marker(marker_svg("circle", layer["colour"], 12)),
                    drawn,
                    title=layer["title"],
                    short=True,
                )
            )
            continue
        else:
            continue
        # the name alone, unless another layer has the same name
        short = short_names.count(split_title(layer["title"])[0]) == 1
        rows.append(_row(key, sample, drawn, title=layer["title"], short=short))
    if route_rows:
        sections.append(_section("Routes", route_rows, drawn))
    sections.append(_section("Corridors and areas", rows, drawn))
    sections.append(_section("Projects (by sector)", project_rows, drawn))

    rows = []
    for s in _ordered(drawn.values("status", initial=False), STATUSES):
        st = style.status(None if s == OTHER else s)
        label = st.label if s != OTHER else "Other status"
        colour = mix_colour(ink, style.grey, st.grey)
        sample = line_sample(colour, 3, dash=st.dash, cap=st.cap, opacity=st.opacity)
        rows.append(_row("status:" + s, sample, drawn, label=label))
    sections.append(_section("Status (line pattern)", rows, drawn))

    rows = []
    for m in _ordered(drawn.values("mode", initial=False), MODES):
        md = style.mode(None if m == OTHER else m)
        sample = line_sample(ink, md.weight, casing=md.casing)
        rows.append(_row("mode:" + m, sample, drawn, label=md.label))
    sections.append(_section("Mode (line weight, casing)", rows, drawn))

    rows = []
    if "precision:schematic" in drawn.possible:
        op = style.status("operational").opacity * style.schematic_opacity
        sample = line_sample(ink, 3, opacity=op, halo=style.schematic_halo)
        rows.append(_row("precision:schematic", sample, drawn, label=style.schematic_label))
    if "closed" in drawn.possible:
        sample = line_sample(style.closed_colour, 3)
        sample = sample.replace(
            "</svg>",
            f'<text x="23" y="12" text-anchor="middle" font-size="13" font-weight="bold" '
            f'fill="{esc(style.closed_mark_colour)}">✕</text></svg>',
        )
        rows.append(_row("closed", sample, drawn, label=style.closed_label))
    if "route" in drawn.possible and not route_rows:
        # routes are drawn in their layer's colour (listed above): the sample shows the
        # route casing round the ink colour
        sample = line_sample(ink, 3 + style.route_extra_weight, casing=style.route_casing)
        rows.append(_row("route", sample, drawn, label=style.route_label))
    sections.append(_section("Alignment and scenario", rows, drawn))

    rows = []
    for k in _ordered(drawn.values("kind", initial=False), NODE_KINDS):
        ns = style.node(None if k == OTHER else k)
        rows.append(
            _row("kind:" + k, _marker(marker_svg(ns.shape, ns.colour, 14)), drawn, label=ns.label)
        )
    if "node:approximate" in drawn.possible:
        sample = (
            '<span class="cx-sample cx-marker-sample cx-approx">'
            + marker_svg("circle", ink, 14)
            + "</span>"
        )
        rows.append(_row("node:approximate", sample, drawn, label=style.approximate_node_label))
    sections.append(_section("Places", rows, drawn))

    return [s for s in sections if s["rows"]]
