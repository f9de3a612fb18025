"""Legend generated from the style table and from what the layers actually draw.

:func:`drawn_sets` inspects prepared layers; :func:`legend_html` turns the result into an
HTML panel whose samples use the same :class:`~corridors.render.style.StyleTable` values as
the map. Rows for things that can be drawn (e.g. a status only reached by moving the year
slider, or a hidden layer) are present but ``hidden``; the map's JavaScript shows exactly
the rows for what is currently drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from corridors.render.escape import esc
from corridors.render.style import Casing, StyleTable, marker_svg, mix_colour
from corridors.vocab import MODES, NODE_KINDS, STATUSES

__all__ = [
    "OTHER",
    "DrawnSets",
    "legend_html",
    "line_sample",
    "split_title",
    "status_key",
    "title_html",
]

#: Legend/filter key of a status, mode or kind that the style table does not know.
OTHER = "_other"


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


def title_html(title: str, *, short: bool = False) -> str:
    """Escaped HTML of a layer or group title: the name, then its explanation, muted.

    With ``short``, only the name is shown and the whole title is its ``title`` attribute
    (the legend, where the layer tree already shows the full titles).
    """
    name, detail = split_title(title)
    if short:
        hint = f' title="{esc(title)}"' if detail else ""
        return f'<span class="cx-name"{hint}>{esc(name)}</span>'
    extra = f' <span class="cx-detail">{esc(detail)}</span>' if detail else ""
    return f'<span class="cx-name">{esc(name)}</span>{extra}'


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


def _marker(svg: str) -> str:
    return f'<span class="cx-sample cx-marker-sample">{svg}</span>'


def _row(key: str, sample: str, label_html: str, drawn: DrawnSets) -> str:
    hidden = "" if key in drawn.initial else " hidden"
    return (
        f'<li data-cx="{esc(key)}"{hidden}>{sample}<span class="cx-label">{label_html}</span></li>'
    )


def _section(title: str, rows: Sequence[str], keys: Iterable[str], drawn: DrawnSets) -> str:
    if not rows:
        return ""
    hidden = "" if any(k in drawn.initial for k in keys) else " hidden"
    return (
        f'<section class="cx-legend-section"{hidden}><h4>{esc(title)}</h4>'
        f"<ul>{''.join(rows)}</ul></section>"
    )


def _ordered(values: set[str], vocabulary: Sequence[str]) -> list[str]:
    known = [v for v in vocabulary if v in values]
    return (
        known
        + sorted(v for v in values if v not in vocabulary and v != OTHER)
        + ([OTHER] if OTHER in values else [])
    )


def legend_html(
    drawn: DrawnSets,
    style: StyleTable,
    layers: Sequence[Mapping[str, Any]],
) -> str:
    """Legend panel for the drawable things in ``drawn``.

    Parameters
    ----------
    drawn : DrawnSets
        What the layers can draw / draw at first.
    style : StyleTable
        The style table the map uses.
    layers : sequence of mapping
        Prepared layers (``key``, ``title``, ``role``, ``colour``) in tree order.

    Returns
    -------
    str
        HTML of the legend body.
    """
    ink = style.legend_ink
    sections = []

    rows, keys = [], []
    short_names = [split_title(layer["title"])[0] for layer in layers]
    for layer in layers:
        key = "layer:" + layer["key"]
        if key not in drawn.possible:
            continue
        role = layer["role"]
        if role == "corridor" or (role == "overlay" and layer["kind"] == "lines"):
            sample = line_sample(layer["colour"], 4)
        elif role in ("platform",) or (role == "overlay" and layer["kind"] == "polygons"):
            sample = _swatch(layer["colour"])
        elif role == "overlay":
            sample = _marker(marker_svg("circle", layer["colour"], 12))
        else:
            continue
        # the name alone, unless another layer has the same name
        short = short_names.count(split_title(layer["title"])[0]) == 1
        rows.append(_row(key, sample, title_html(layer["title"], short=short), drawn))
        keys.append(key)
    sections.append(_section("Corridors and areas", rows, keys, drawn))

    statuses = _ordered(drawn.values("status", initial=False), STATUSES)
    rows, keys = [], []
    for s in statuses:
        st = style.status(None if s == OTHER else s)
        label = st.label if s != OTHER else "Other status"
        colour = mix_colour(ink, style.grey, st.grey)
        sample = line_sample(colour, 3, dash=st.dash, cap=st.cap, opacity=st.opacity)
        rows.append(_row("status:" + s, sample, esc(label), drawn))
        keys.append("status:" + s)
    sections.append(_section("Status (line pattern)", rows, keys, drawn))

    modes = _ordered(drawn.values("mode", initial=False), MODES)
    rows, keys = [], []
    for m in modes:
        md = style.mode(None if m == OTHER else m)
        sample = line_sample(ink, md.weight, casing=md.casing)
        rows.append(_row("mode:" + m, sample, esc(md.label), drawn))
        keys.append("mode:" + m)
    sections.append(_section("Mode (line weight, casing)", rows, keys, drawn))

    rows, keys = [], []
    if "precision:schematic" in drawn.possible:
        op = style.status("operational").opacity * style.schematic_opacity
        sample = line_sample(ink, 3, opacity=op, halo=style.schematic_halo)
        rows.append(_row("precision:schematic", sample, esc(style.schematic_label), drawn))
        keys.append("precision:schematic")
    if "closed" in drawn.possible:
        sample = line_sample(style.closed_colour, 3)
        sample = sample.replace(
            "</svg>",
            f'<text x="23" y="12" text-anchor="middle" font-size="13" font-weight="bold" '
            f'fill="{esc(style.closed_mark_colour)}">✕</text></svg>',
        )
        rows.append(_row("closed", sample, esc(style.closed_label), drawn))
        keys.append("closed")
    if "route" in drawn.possible:
        sample = line_sample(
            style.route_colour, 3 + style.route_extra_weight, casing=style.route_casing
        )
        rows.append(_row("route", sample, esc(style.route_label), drawn))
        keys.append("route")
    sections.append(_section("Alignment and scenario", rows, keys, drawn))

    kinds = _ordered(drawn.values("kind", initial=False), NODE_KINDS)
    rows, keys = [], []
    for k in kinds:
        ns = style.node(None if k == OTHER else k)
        rows.append(
            _row("kind:" + k, _marker(marker_svg(ns.shape, ns.colour, 14)), esc(ns.label), drawn)
        )
        keys.append("kind:" + k)
    if "node:approximate" in drawn.possible:
        sample = (
            '<span class="cx-sample cx-marker-sample cx-approx">'
            + marker_svg("circle", ink, 14)
            + "</span>"
        )
        rows.append(_row("node:approximate", sample, esc(style.approximate_node_label), drawn))
        keys.append("node:approximate")
    sections.append(_section("Places", rows, keys, drawn))

    return "".join(s for s in sections if s)
