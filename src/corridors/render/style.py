"""One declarative style table for everything the map draws — and for its legend.

The JavaScript of the map receives :meth:`StyleTable.to_js` and styles features with it;
the legend (:mod:`corridors.render.legend`) draws its samples from the same table, so the
legend always matches the map.

How a line (segment) is drawn
-----------------------------
* colour: the layer colour (``LayerSpec.colour``, else :meth:`StyleTable.colour_for`);
  a status with ``grey`` > 0 mixes it towards :attr:`StyleTable.grey`;
* dash pattern, line cap and opacity: from its **status** (:attr:`StyleTable.statuses`);
* weight and an optional casing drawn underneath: from its **mode**
  (:attr:`StyleTable.modes`); ``air`` links are drawn as great circles;
* ``precision == "schematic"``: opacity × :attr:`StyleTable.schematic_opacity` and a wide,
  faint grey band underneath (:attr:`StyleTable.schematic_halo`): an uncertainty band
  saying the alignment is approximate;
* ``closed`` (scenarios): grey line with red ✕ marks (:attr:`StyleTable.closed_colour`);
* ``route`` (computed route): on top of everything, thick, with a dark casing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from corridors.vocab import MODES, NODE_KINDS, STATUSES

__all__ = [
    "Casing",
    "ModeStyle",
    "NodeStyle",
    "StatusStyle",
    "StyleTable",
    "default_style",
    "marker_canvas",
    "marker_svg",
]


@dataclass(frozen=True)
class StatusStyle:
    """How a segment's life-cycle status is drawn.

    Parameters
    ----------
    label : str
        Legend label.
    dash : str or None
        SVG/canvas dash array in pixels (``None`` = solid).
    cap : {"round", "butt"}
        Line cap; dotted patterns need ``round``.
    opacity : float
        Stroke opacity.
    grey : float
        0–1: how far the corridor colour is mixed towards the table's grey.
    """

    label: str
    dash: str | None
    cap: str = "round"
    opacity: float = 0.95
    grey: float = 0.0


@dataclass(frozen=True)
class Casing:
    """A wider line drawn under a line (sea lanes, pipelines, halos)."""

    colour: str
    extra: float
    opacity: float = 0.6
    dash: str | None = None


@dataclass(frozen=True)
class ModeStyle:
    """How a transport/infrastructure mode is drawn.

    Parameters
    ----------
    label : str
        Legend label.
    weight : float
        Line weight in pixels.
    casing : Casing or None
        Optional casing under the line.
    geodesic : bool
        Draw as a great circle between vertices (``air``).
    """

    label: str
    weight: float
    casing: Casing | None = None
    geodesic: bool = False


@dataclass(frozen=True)
class NodeStyle:
    """Marker of a node kind: an SVG ``shape`` filled with ``colour``, ``size`` px wide."""

    label: str
    shape: str
    colour: str
    size: int = 12


def _ro(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#59a14f",
    "#b07aa1",
    "#9c755f",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#7f7f7f",
)

_STATUSES = {
    "operational": StatusStyle("Operational", None, "round", 0.95),
    "under_construction": StatusStyle("Under construction", "10 6", "butt", 0.95),
    "planned": StatusStyle("Planned", "1 7", "round", 0.9),
    "proposed": StatusStyle("Proposed", "1 12", "round", 0.85),
    "suspended": StatusStyle("Suspended", "12 5 2 5", "butt", 0.85, grey=0.65),
    "cancelled": StatusStyle("Cancelled", "4 8", "butt", 0.35, grey=0.4),
}

_SEA = Casing("#9ecae1", 5.0, 0.7)
_MODES = {
    "rail": ModeStyle("Rail", 4.0),
    "road": ModeStyle("Road", 3.0),
    "sea": ModeStyle("Sea lane (pale-blue casing)", 2.0, _SEA),
    "ferry": ModeStyle("Ferry (dashed pale-blue casing)", 2.5, Casing("#9ecae1", 5.0, 0.8, "6 4")),
    "pipeline": ModeStyle("Pipeline (dark casing)", 2.5, Casing("#252525", 2.5, 0.8)),
    "power_line": ModeStyle("Power line (yellow casing)", 1.5, Casing("#fdd835", 3.5, 0.8)),
    "air": ModeStyle("Air (great circle)", 1.25, None, geodesic=True),
}

_NODES = {
    "capital": NodeStyle("Capital", "star", "#b2182b", 16),
    "city": NodeStyle("City", "circle", "#4d4d4d", 10),
    "seaport": NodeStyle("Seaport", "square", "#1f78b4", 12),
    "dry_port": NodeStyle("Dry port", "square", "#a6761d", 12),
    "border_crossing": NodeStyle("Border crossing", "diamond", "#6a3d9a", 13),
    "junction": NodeStyle("Junction", "circle", "#969696", 8),
    "station": NodeStyle("Station", "ring", "#252525", 10),
    "chokepoint": NodeStyle("Chokepoint", "bowtie", "#e31a1c", 18),
    "airport": NodeStyle("Airport", "plus", "#0570b0", 13),
    "pass": NodeStyle("Mountain pass", "triangle", "#8c510a", 13),
    "gas_field": NodeStyle("Gas field", "hexagon", "#4d9221", 13),
    "power_station": NodeStyle("Power station", "pentagon", "#e6ab02", 13),
}


_PROJECT_COLOURS = {
    "power": "#e31a1c",
    "transmission": "#ff7f00",
    "pipeline": "#6a3d9a",
    "sez": "#33a02c",
    "port": "#1f78b4",
    "airport": "#a6cee3",
    "road": "#b15928",
    "rail": "#4d4d4d",
    "fibre": "#fb9a99",
    "other": "#999999",
}


@dataclass(frozen=True)
class StyleTable:
    """Declarative styling of corridors, statuses, modes, precision and node kinds.

    All fields have sensible defaults; build a variant with :func:`dataclasses.replace`.
    """

    corridor_colours: Mapping[str, str] = field(default_factory=lambda: _ro({}))
    palette: tuple[str, ...] = _PALETTE
    statuses: Mapping[str, StatusStyle] = field(default_factory=lambda: _ro(_STATUSES))
    unknown_status: StatusStyle = StatusStyle("Status unknown", "2 4", "round", 0.8)
    modes: Mapping[str, ModeStyle] = field(default_factory=lambda: _ro(_MODES))
    unknown_mode: ModeStyle = ModeStyle("Other / unknown mode", 2.5)
    nodes: Mapping[str, NodeStyle] = field(default_factory=lambda: _ro(_NODES))
    unknown_node: NodeStyle = NodeStyle("Other place", "circle", "#737373", 9)
    grey: str = "#8c8c8c"
    schematic_opacity: float = 0.7
    schematic_halo: Casing = Casing("#636363", 9.0, 0.22)
    schematic_label: str = "Schematic alignment (approximate: faded, grey band)"
    approximate_node_label: str = "Approximate position (dashed ring)"
    closed_colour: str = "#7f7f7f"
    closed_mark_colour: str = "#d7191c"
    closed_label: str = "Closed in scenario (grey, red ✕)"
    route_colour: str = "#ffd400"
    route_casing: Casing = Casing("#1a1a1a", 4.0, 0.9)
    route_extra_weight: float = 3.0
    route_label: str = "Computed route"
    basemap_fill: str = "#f2efe9"
    basemap_stroke: str = "#a8a195"
    sea_colour: str = "#d5e7f2"
    platform_colour: str = "#7b3294"
    overlay_colour: str = "#ff7f00"
    #: Colour of each project sector's layer (``projects:<sector>``).
    project_colours: Mapping[str, str] = field(default_factory=lambda: _ro(_PROJECT_COLOURS))
    legend_ink: str = "#4d4d4d"

    def colour_for(self, key: str, fallback_index: int = 0) -> str:
        """Colour of a corridor layer key (``"corridor:n-cpec-plus"`` or ``"n-cpec-plus"``).

        Unknown keys take ``palette[fallback_index % len(palette)]``.
        """
        bare = key.split(":", 1)[1] if ":" in key else key
        for candidate in (key, bare):
            if candidate in self.corridor_colours:
                return self.corridor_colours[candidate]
        return self.palette[fallback_index % len(self.palette)]

    def status(self, name: str | None) -> StatusStyle:
        """Style of status ``name`` (unknown/missing statuses get :attr:`unknown_status`)."""
        return self.statuses.get(name or "", self.unknown_status)

    def mode(self, name: str | None) -> ModeStyle:
        """Style of mode ``name`` (unknown/missing modes get :attr:`unknown_mode`)."""
        return self.modes.get(name or "", self.unknown_mode)

    def node(self, kind: str | None) -> NodeStyle:
        """Style of node kind ``kind`` (unknown kinds get :attr:`unknown_node`)."""
        return self.nodes.get(kind or "", self.unknown_node)

    def to_js(self) -> dict[str, Any]:
        """Serialise the parts the browser needs (plain JSON-able data, stable order)."""

        def casing(c: Casing | None) -> dict[str, Any] | None:
            if c is None:
                return None
            return {"colour": c.colour, "extra": c.extra, "opacity": c.opacity, "dash": c.dash}

        statuses = {k: self.status(k) for k in _ordered(self.statuses, STATUSES)}
        modes = {k: self.mode(k) for k in _ordered(self.modes, MODES)}
        nodes = {k: self.node(k) for k in _ordered(self.nodes, NODE_KINDS)}

        def status_js(s: StatusStyle) -> dict[str, Any]:
            return {
                "dash": s.dash,
                "cap": s.cap,
                "opacity": s.opacity,
                "grey": s.grey,
                "label": s.label,
            }

        def mode_js(m: ModeStyle) -> dict[str, Any]:
            return {"weight": m.weight, "casing": casing(m.casing), "geodesic": m.geodesic}

        def node_js(n: NodeStyle) -> dict[str, Any]:
            return {"parts": marker_canvas(n.shape, n.colour), "size": n.size, "label": n.label}

        return {
            "statuses": {k: status_js(v) for k, v in statuses.items()},
            "unknownStatus": status_js(self.unknown_status),
            "modes": {k: mode_js(v) for k, v in modes.items()},
            "unknownMode": mode_js(self.unknown_mode),
            "nodes": {k: node_js(v) for k, v in nodes.items()},
            "unknownNode": node_js(self.unknown_node),
            "grey": self.grey,
            "schematicOpacity": self.schematic_opacity,
            "schematicHalo": casing(self.schematic_halo),
            "closedColour": self.closed_colour,
            "closedMarkColour": self.closed_mark_colour,
            "routeColour": self.route_colour,
            "routeCasing": casing(self.route_casing),
            "routeExtraWeight": self.route_extra_weight,
            "basemapFill": self.basemap_fill,
            "basemapStroke": self.basemap_stroke,
            "seaColour": self.sea_colour,
            "platformColour": self.platform_colour,
        }


def _ordered(mapping: Mapping[str, Any], vocabulary: tuple[str, ...]) -> list[str]:
    """Keys of ``mapping``: vocabulary order first, then the others sorted."""
    known = [k for k in vocabulary if k in mapping]
    return known + sorted(k for k in mapping if k not in vocabulary)


def default_style() -> StyleTable:
    """Return the default :class:`StyleTable`."""
    return StyleTable()


def _polygon(n: int, radius: float, rotation: float = -90.0, star: bool = False) -> str:
    points = []
    count = n * 2 if star else n
    for i in range(count):
        r = radius if not star or i % 2 == 0 else radius * 0.45
        a = math.radians(rotation + 360.0 * i / count)
        points.append(f"{_num(10 + r * math.cos(a))},{_num(10 + r * math.sin(a))}")
    return "M" + " ".join(points) + "Z"  # pairs after the first are lines (implicit L)


def _num(v: float) -> str:
    """``v`` to 2 decimals, without trailing zeros (``10.00`` → ``10``, ``0.80`` → ``0.8``)."""
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class _Part:
    """One element of a marker shape, in a 20×20 box: an SVG ``circle``, ``rect`` or
    ``path``; ``fill``/``stroke`` are colours, ``"{c}"`` standing for the kind's colour."""

    tag: str
    attrs: tuple[tuple[str, float | str], ...]
    fill: str
    stroke: str
    width: float
    join: str | None = None

    def svg(self, colour: str) -> str:
        attrs = "".join(f' {k}="{_attr(v)}"' for k, v in self.attrs)
        join = f' stroke-linejoin="{self.join}"' if self.join else ""
        return (
            f'<{self.tag}{attrs} fill="{self.fill}" stroke="{self.stroke}" '
            f'stroke-width="{_attr(self.width)}"{join}/>'
        ).replace("{c}", colour)

    def path_data(self) -> str:
        """The outline as SVG path data (what a canvas ``Path2D`` takes)."""
        a = dict(self.attrs)
        if self.tag == "circle":
            cx, cy, r = float(a["cx"]), float(a["cy"]), float(a["r"])
            return (
                f"M{_num(cx - r)} {_num(cy)}a{_num(r)} {_num(r)} 0 1 0 {_num(2 * r)} 0"
                f"a{_num(r)} {_num(r)} 0 1 0 {_num(-2 * r)} 0Z"
            )
        if self.tag == "rect":
            x, y, w, h = (float(a[k]) for k in ("x", "y", "width", "height"))
            return f"M{_num(x)} {_num(y)}h{_num(w)}v{_num(h)}h{_num(-w)}Z"
        return str(a["d"])

    def canvas(self, colour: str) -> list[Any]:
        """``[path data, fill, stroke, stroke width, line join]`` for the map's canvas."""
        return [
            self.path_data(),
            self.fill.replace("{c}", colour),
            self.stroke.replace("{c}", colour),
            self.width,
            self.join or "miter",
        ]


def _attr(v: float | str) -> str:
    return v if isinstance(v, str) else f"{v:g}"


def _path(d: str, width: float = 1.5, join: str | None = None) -> _Part:
    return _Part("path", (("d", d),), "{c}", "#fff", width, join)


_CENTRE = (("cx", 10), ("cy", 10))

#: Marker shapes: drawn as inline SVG (legend, layer tree) and on the map's canvas.
_SHAPES: dict[str, tuple[_Part, ...]] = {
    "circle": (_Part("circle", (*_CENTRE, ("r", 6.5)), "{c}", "#fff", 1.5),),
    "ring": (_Part("circle", (*_CENTRE, ("r", 6)), "#fff", "{c}", 3),),
    "square": (
        _Part("rect", (("x", 3.5), ("y", 3.5), ("width", 13), ("height", 13)), "{c}", "#fff", 1.5),
    ),
    "diamond": (_path("M10 1.5 18.5 10 10 18.5 1.5 10Z"),),
    "triangle": (_path(_polygon(3, 8.5)),),
    "pentagon": (_path(_polygon(5, 8)),),
    "hexagon": (_path(_polygon(6, 8, 0)),),
    "star": (_path(_polygon(5, 9.2, star=True), 1.2),),
    "plus": (_path("M7 2H13V7H18V13H13V18H7V13H2V7H7Z", 1.2),),
    "bowtie": (
        _path("M1.5 2.5 10 10 1.5 17.5ZM18.5 2.5 10 10 18.5 17.5Z", 1.2, "round"),
        _Part("circle", (*_CENTRE, ("r", 2.2)), "#fff", "{c}", 1.2),
    ),
}


def marker_svg(shape: str, colour: str, size: int) -> str:
    """Inline SVG of a node marker (used by the legend and the layer tree; the map draws
    the same shape on its canvas, see :func:`marker_canvas`).

    Parameters
    ----------
    shape : str
        One of circle, ring, square, diamond, triangle, pentagon, hexagon, star, plus,
        bowtie (unknown shapes draw a circle).
    colour : str
        Fill (or ring) colour, ``#rrggbb``.
    size : int
        Width and height in CSS pixels.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    body = "".join(part.svg(colour) for part in _SHAPES.get(shape, _SHAPES["circle"]))
    return (
        f'<svg width="{size}" height="{size}" '
        f'viewBox="0 0 20 20" aria-hidden="true" focusable="false">{body}</svg>'
    )


def marker_canvas(shape: str, colour: str) -> list[list[Any]]:
    """The marker of :func:`marker_svg` as drawing instructions for the map's canvas: one
    ``[path data, fill, stroke, stroke width, line join]`` per part, in a 20×20 box."""
    return [part.canvas(colour) for part in _SHAPES.get(shape, _SHAPES["circle"])]


def mix_colour(colour: str, other: str, t: float) -> str:
    """Mix ``#rrggbb`` ``colour`` towards ``other`` by ``t`` (0 = colour, 1 = other).

    The map's JavaScript implements the same formula (``mix`` in ``corridors.js``).
    """
    if t <= 0:
        return colour
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))
