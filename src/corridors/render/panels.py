"""The map's panels (search, layer tree and base maps, legend, filter) from a template.

The layer tree is the layers' groups (:func:`layer_tree`, :func:`tree_order`); the panels
are rendered by Jinja2 from ``templates/panels.html.j2`` with autoescape on, so every
value from data is escaped there, once. The only markup passed in is the SVG samples,
as :class:`markupsafe.Markup`: :mod:`corridors.render.legend` and
:mod:`corridors.render.style` build them from numbers and colours checked by
:func:`corridors.html.safe_colour`/escaped by :func:`corridors.html.esc`.

Templates are written one element per line: leading indentation and line breaks are not
output (:class:`_CompactLoader`), spaces inside a line are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from corridors.render.escape import esc
from corridors.render.legend import OTHER, DrawnSets, legend_sections, line_sample, split_title
from corridors.render.prepare import Prepared
from corridors.render.spec import LayerSpec
from corridors.render.style import StyleTable, marker_svg, mix_colour

__all__ = [
    "TreeNode",
    "layer_tree",
    "panels_html",
    "render_template",
    "title_html",
    "tree_order",
]


@dataclass
class TreeNode:
    """A group of the layer tree: its layers and sub-groups, in input order."""

    name: str
    path: tuple[str, ...]
    layers: list[LayerSpec] = field(default_factory=list)
    groups: list[TreeNode] = field(default_factory=list)

    def min_order(self) -> int:
        """The smallest ``order`` of the layers in the group (and its sub-groups)."""
        orders = [s.order for s in self.layers] + [g.min_order() for g in self.groups]
        return min(orders) if orders else 0

    def children(self) -> list[LayerSpec | TreeNode]:
        """Layers and sub-groups by ``order``, then title or name (ties: input order)."""
        items: list[tuple[tuple[int, str], LayerSpec | TreeNode]] = []
        items += [((s.order, s.title), s) for s in self.layers]
        items += [((g.min_order(), g.name), g) for g in self.groups]
        items.sort(key=lambda x: x[0])  # stable: ties keep input order
        return [obj for _key, obj in items]


def layer_tree(layers: Sequence[LayerSpec]) -> TreeNode:
    """The tree of the layers' :attr:`~LayerSpec.group` paths."""
    root = TreeNode("", ())
    index: dict[tuple[str, ...], TreeNode] = {(): root}
    for spec in layers:
        parent = root
        for depth in range(1, len(spec.group) + 1):
            path = spec.group[:depth]
            if path not in index:
                node = TreeNode(path[-1], path)
                index[path] = node
                parent.groups.append(node)
            parent = index[path]
        parent.layers.append(spec)
    return root


def tree_order(node: TreeNode) -> list[LayerSpec]:
    """The layers in tree order (the order they are listed, drawn and searched in)."""
    out: list[LayerSpec] = []
    for obj in node.children():
        out.extend([obj] if isinstance(obj, LayerSpec) else tree_order(obj))
    return out


# --------------------------------------------------------------------------- template data


class _CompactLoader(jinja2.BaseLoader):
    """Package templates with each line stripped and the lines joined."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, None, Any]:
        from importlib import resources

        path = resources.files("corridors.render") / "templates" / template
        source = path.read_text(encoding="utf-8")
        return "".join(line.strip() for line in source.splitlines()), None, lambda: True


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=_CompactLoader(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


def render_template(name: str, **values: Any) -> str:
    """Render the package template ``templates/<name>`` with autoescape on."""
    return _environment().get_template(name).render(**values)


def _title(text: str) -> dict[str, str]:
    name, detail = split_title(text)
    return {"full": str(text), "name": name, "detail": detail}


def title_html(title: str, *, short: bool = False) -> str:
    """Escaped HTML of a layer or group title: the name, then its explanation, muted.

    With ``short``, only the name is shown and the whole title is its ``title`` attribute
    (the legend, where the layer tree already shows the full titles).

    Examples
    --------
    >>> title_html("CPEC core (Kashgar-Gwadar)")
    '<span class="cx-name">CPEC core</span> <span class="cx-detail">(Kashgar-Gwadar)</span>'
    """
    macro = _environment().get_template("macros.html.j2").module.title  # type: ignore[attr-defined]
    return str(macro(_title(title), short=short))


def _layer_sample(p: Prepared, style: StyleTable) -> Markup:
    if p.role == "corridor" or (p.role == "overlay" and p.spec.kind == "lines"):
        return Markup(line_sample(p.colour, 4, width=28))
    if p.role == "nodes":
        kinds = [f[1].get("kind") for f in p.features]
        first = kinds[0] if kinds else None
        ns = style.node(None if first == OTHER else first)
        return Markup(f'<span class="cx-sample">{marker_svg(ns.shape, ns.colour, 12)}</span>')
    if p.role == "overlay" and p.spec.kind == "points":
        return Markup(f'<span class="cx-sample">{marker_svg("circle", p.colour, 12)}</span>')
    fill = style.basemap_fill if p.role == "basemap" else p.colour
    stroke = style.basemap_stroke if p.role == "basemap" else p.colour
    return Markup(
        '<svg class="cx-sample" width="16" height="12" aria-hidden="true">'
        f'<rect x="1" y="1" width="14" height="10" fill="{esc(fill)}" stroke="{esc(stroke)}"/>'
        "</svg>"
    )


def _tree_items(
    node: TreeNode, prepared: Mapping[str, Prepared], style: StyleTable, gid: list[int]
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for obj in node.children():
        if isinstance(obj, LayerSpec):
            items.append(
                {
                    "group": None,
                    "key": obj.key,
                    "checked": bool(obj.visible),
                    "sample": _layer_sample(prepared[obj.key], style),
                    "title": _title(obj.title),
                }
            )
        else:
            gid[0] += 1
            group = gid[0]
            children = _tree_items(obj, prepared, style, gid)
            items.append({"group": group, "title": _title(obj.name), "children": children})
    return items


def _bases(labels: Sequence[str], base_index: int, has_basemap: bool) -> list[dict[str, Any]]:
    if not labels:
        return []
    offline = "Country outlines only (offline)" if has_basemap else "None (offline)"
    out = [{"value": -1, "label": offline, "checked": base_index < 0}]
    out += [{"value": i, "label": str(t), "checked": i == base_index} for i, t in enumerate(labels)]
    return out


def _statuses(statuses: Sequence[str], style: StyleTable) -> list[dict[str, Any]]:
    out = []
    for s in statuses:
        st = style.status(None if s == OTHER else s)
        sample = line_sample(
            mix_colour(style.legend_ink, style.grey, st.grey),
            3,
            dash=st.dash,
            cap=st.cap,
            opacity=st.opacity,
            width=30,
        )
        label = st.label if s != OTHER else "Other status"
        out.append({"key": s, "label": label, "sample": Markup(sample)})
    return out


def panels_html(
    *,
    root: TreeNode,
    prepared: Sequence[Prepared],
    style: StyleTable,
    drawn: DrawnSets,
    statuses: Sequence[str],
    years: tuple[int, int, int] | None,
    tile_labels: Sequence[str],
    base_index: int,
    title: str = "",
    subtitle: str | None = None,
) -> str:
    """The HTML of every panel of the map (see the module docstring)."""
    by_key = {p.spec.key: p for p in prepared}
    layer_info = [
        {
            "key": p.spec.key,
            "title": p.spec.title,
            "role": p.role,
            "kind": p.spec.kind,
            "colour": p.colour,
        }
        for p in prepared
    ]
    sections = legend_sections(drawn, style, layer_info)
    for section in sections:
        for row in section["rows"]:
            row["sample"] = Markup(row["sample"])
            if row.get("title") is not None:
                row["title"] = _title(row["title"])
    return (
        _environment()
        .get_template("panels.html.j2")
        .render(
            layer_tree=_tree_items(root, by_key, style, [0]),
            bases=_bases(tile_labels, base_index, any(p.role == "basemap" for p in prepared)),
            legend=sections,
            statuses=_statuses(statuses, style),
            years=list(years) if years else None,
            page_title=title,
            subtitle=subtitle,
            labels=any(p.role in ("basemap", "nodes") for p in prepared),
        )
    )
