"""Shared helpers of the analyses: the hub pairs, the scenario network, safe routing and
the tables' text forms."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from corridors.errors import CorridorsError
from corridors.model import Atlas
from corridors.network.graph import Network, build_network
from corridors.network.routing import Route, find_node, route_on
from corridors.scenario.bundled import scenario_from_arg
from corridors.scenario.model import Scenario
from corridors.textsafe import md_text

__all__ = [
    "format_cell",
    "hub_pairs",
    "markdown_table",
    "round1",
    "scenario_network",
    "table_records",
    "try_route",
]


def round1(x: float | None) -> float | None:
    """``x`` rounded to 0.1 (``None`` for ``None`` or NaN)."""
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 1)


def scenario_network(atlas: Atlas, scenario: Scenario | str | None) -> Network:
    """The network of ``scenario`` (a Scenario, a file, a bundled name or ``None``)."""
    return build_network(atlas, scenario_from_arg(scenario, atlas=atlas))


def hub_pairs(atlas: Atlas, hubs: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """Unordered pairs of the hubs present in ``atlas`` (node ids or names).

    ``hubs`` defaults to the atlas's own default hubs (``Atlas.hubs``, from ``hubs.toml``).
    """
    ids = []
    for h in hubs if hubs is not None else atlas.hubs:
        if h in atlas.nodes:
            ids.append(h)
        elif hubs is not None:
            ids.append(find_node(atlas, h))
    ids = list(dict.fromkeys(ids))
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]


def try_route(net: Network, o: str, d: str, **kw: Any) -> tuple[Route | None, str | None]:
    """``(route, None)``, or ``(None, the error's message)`` when there is none."""
    try:
        return route_on(net, o, d, **kw), None
    except CorridorsError as exc:
        return None, str(exc)


def format_cell(v: Any) -> str:
    """A table cell as text: ``1,234.5``, ``PAK > IRN`` for country lists, ``""`` for none."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):
        return f"{v:,.1f}"
    if isinstance(v, list | tuple):
        return (
            " > ".join(map(str, v))
            if all(isinstance(x, str) and len(x) == 3 for x in v)
            else ", ".join(map(str, v))
        )
    return str(v)


def markdown_table(df: pd.DataFrame, *, index: bool = True) -> str:
    """A GitHub-flavoured Markdown table of ``df`` (no ``tabulate`` needed)."""
    frame = df.reset_index() if index and df.index.name is not None else df
    cols = [md_text(c) for c in frame.columns]
    rows = [
        [md_text(format_cell(v)) if _is_text(v) else format_cell(v) for v in rec]
        for rec in frame.itertuples(index=False)
    ]
    out = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def _is_text(v: Any) -> bool:
    """Whether a cell holds text from data (strings, lists of them), not a number."""
    return isinstance(v, str) or (isinstance(v, list | tuple) and bool(v))


def table_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows of ``df`` (floats rounded to 0.01, NaN as ``None``, tuples as lists)."""
    frame = df.reset_index() if df.index.name is not None else df
    out = []
    for rec in frame.to_dict(orient="records"):
        clean = {}
        for k, v in rec.items():
            if isinstance(v, float):
                v = None if math.isnan(v) else round(v, 2)
            elif isinstance(v, tuple):
                v = list(v)
            clean[str(k)] = v
        out.append(clean)
    return out
