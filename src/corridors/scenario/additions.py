"""Scenario additions: the user's nodes and segments, validated like geodata."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from corridors.errors import Problem
from corridors.io.geodata import Context, IdRegistry, Record, parse_node, parse_segment
from corridors.io.geodata.geometry import max_vertices
from corridors.model import Atlas, Node, Segment
from corridors.network.sea import normalise_passage
from corridors.scenario.problems import BUILDER, unknown_key_problem

if TYPE_CHECKING:
    from corridors.scenario.model import Scenario

__all__ = ["apply_additions"]


_NODE_KEYS = (
    "id",
    "name",
    "country",
    "coordinates",
    "kind",
    "precision",
    "aliases",
    "borders",
    "sources",
    "note",
)
_SEG_KEYS = (
    "id",
    "name",
    "from",
    "to",
    "via",
    "mode",
    "status",
    "precision",
    "coordinates",
    "status_history",
    "published_lengths_km",
    "published_length_km",
    "length_note",
    "gauge_mm",
    "gauge_breaks_at",
    "countries",
    "opened_year",
    "announced_year",
    "cost_usd_bn",
    "financier",
    "capacity",
    "sources",
    "note",
)


def apply_additions(atlas: Atlas, scenario: Scenario, problems: list[Problem]) -> Atlas | None:
    """The atlas plus the scenario's nodes and segments, validated like geodata.

    Each ``[[add.node]]`` / ``[[add.segment]]`` goes through the geodata record parsers
    (:func:`~corridors.io.geodata.parse_node`, :func:`~corridors.io.geodata.parse_segment`)
    with a TOML :class:`~corridors.io.geodata.Context` at its own key (``add.node[0]``), so
    problems name the scenario file and key directly. A segment without ``coordinates`` is
    drawn through its ``from``, ``via`` and ``to`` places.
    """
    if not scenario.additions:
        return atlas
    items: list[tuple[str, dict[str, Any], Context]] = []
    for idx, (kind, j) in enumerate(scenario.additions):
        item = json.loads(j)
        f, w = (
            scenario.provenance.get(f"add.{kind}#{idx}")
            or scenario.provenance.get(f"add.{kind}:{item.get('id')}")
            or (scenario.source or BUILDER, f"add.{kind}")
        )
        allowed = _NODE_KEYS if kind == "node" else _SEG_KEYS
        for k in item:
            if k not in allowed:
                problems.append(unknown_key_problem(f, f"{w}.{k}", k, allowed))
        items.append((kind, item, Context(f, w, toml=True)))
    if problems:
        return None
    ids = IdRegistry()
    ids.seed((*atlas.nodes, *atlas.waypoints, *atlas.segments), atlas.root or "geodata")
    node_pos: dict[str, Any] = {nid: n.lonlat for nid, n in atlas.nodes.items()}
    node_pos.update({wid: w.lonlat for wid, w in atlas.waypoints.items()})
    for kind, item, _ in items:
        c = item.get("coordinates")
        if (
            kind == "node"
            and isinstance(item.get("id"), str)
            and isinstance(c, list)
            and len(c) == 2
        ):
            node_pos[item["id"]] = tuple(c)
    new_nodes: dict[str, Node] = {}
    found: list[Problem] = []
    for kind, item, ctx in items:
        if kind == "node":
            rec = Record.from_table(item, ctx, "Point", item.get("coordinates"))
            parsed = parse_node(rec, ids)
            found.extend(parsed.problems)
            if parsed.value is not None:
                new_nodes[parsed.value.id] = parsed.value
    known = set(atlas.countries.codes) if atlas.countries is not None else set()
    known.update(n.country for n in atlas.nodes.values())
    for kind, item, ctx in items:
        node = new_nodes.get(str(item.get("id"))) if kind == "node" else None
        if node is not None and node.country not in known:
            from corridors.errors import did_you_mean

            guess = did_you_mean(node.country, known)
            ctx.at("country").error(
                "country",
                node.country,
                f"unknown country {node.country!r}: not in the borders layer or any node",
                f"{guess + ' ' if guess else ''}write the ISO3 code of the country it lies in",
                code="unknown-country",
            )
            found.extend(ctx.problems[-1:])
    all_nodes = {**atlas.nodes, **new_nodes}
    points = {**atlas.waypoints, **all_nodes}
    new_segs: dict[str, Segment] = {}
    for kind, item, ctx in items:
        if kind == "segment":
            coords = item.get("coordinates")
            if coords is None:
                coords = [_drawn_at(r, node_pos) for r in _places(item)]
            item = {**item, "via": item.get("via", [])}
            rec = Record.from_table(item, ctx, "LineString", coords)
            parsed_seg = parse_segment(rec, ids, points, all_nodes, max_vertices=max_vertices())
            found.extend(parsed_seg.problems)
            if parsed_seg.value is not None:
                new_segs[parsed_seg.value.id] = parsed_seg.value
    for kind, item, ctx in items:
        ident = item.get("id")
        if isinstance(ident, str) and normalise_passage(ident) is not None:
            ctx.at("id").error(
                "id",
                ident,
                f"id {ident!r} is also the name of a sea passage, so closing or avoiding "
                f"{ident!r} would be ambiguous",
                f"give the {kind} another id (e.g. {ident}-link)",
                code="ambiguous-id",
            )
            found.extend(ctx.problems[-1:])
    problems.extend(p for p in found if p.severity == "error")
    if problems:
        return None
    return replace(
        atlas,
        nodes={**atlas.nodes, **new_nodes},
        segments={**atlas.segments, **new_segs},
    )


def _places(item: dict[str, Any]) -> list[Any]:
    """``from``, the ``via`` items and ``to`` of a segment addition, in order."""
    via = item.get("via") or []
    return [item.get("from"), *(via if isinstance(via, list) else []), item.get("to")]


def _drawn_at(ref: Any, node_pos: dict[str, Any]) -> list[Any]:
    """The position a line is drawn through for one of its places."""
    if isinstance(ref, str) and ref in node_pos:
        return list(node_pos[ref])
    if isinstance(ref, list):
        return ref
    return [0.0, 0.0]  # the reference is reported as unknown
