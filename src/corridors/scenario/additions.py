"""Scenario additions: the user's nodes and segments, validated like geodata."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridors.errors import Problem
from corridors.model import Atlas
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
    "opened_year",
    "announced_year",
    "cost_usd_bn",
    "financier",
    "capacity",
    "sources",
    "note",
)


def apply_additions(atlas: Atlas, scenario: Scenario, problems: list[Problem]) -> Atlas | None:
    """The atlas plus the scenario's nodes and segments, validated like geodata."""
    if not scenario.additions:
        return atlas
    from corridors.io.geodata import _Loader  # the geodata validator, reused for additions

    adds_nodes: list[tuple[int, dict[str, Any], str, str]] = []
    adds_segs: list[tuple[int, dict[str, Any], str, str]] = []
    for idx, (kind, j) in enumerate(scenario.additions):
        item = json.loads(j)
        f, w = scenario.provenance.get(
            f"add.{kind}#{idx}", scenario.provenance.get(f"add.{kind}:{item.get('id')}", None)
        ) or (scenario.source or BUILDER, f"add.{kind}")
        allowed = _NODE_KEYS if kind == "node" else _SEG_KEYS
        for k in item:
            if k not in allowed:
                problems.append(unknown_key_problem(f, f"{w}.{k}", k, allowed))
        (adds_nodes if kind == "node" else adds_segs).append((idx, item, f, w))
    if problems:
        return None
    node_pos = {nid: n.lonlat for nid, n in atlas.nodes.items()}
    node_pos.update({wid: w.lonlat for wid, w in atlas.waypoints.items()})
    for _, item, _, _ in adds_nodes:
        c = item.get("coordinates")
        if isinstance(item.get("id"), str) and isinstance(c, list) and len(c) == 2:
            node_pos[item["id"]] = tuple(c)  # type: ignore[assignment]

    def node_feature(item: dict[str, Any]) -> dict[str, Any]:
        props = {k: v for k, v in item.items() if k != "coordinates"}
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": item.get("coordinates")},
            "properties": props,
        }

    def seg_feature(item: dict[str, Any]) -> dict[str, Any]:
        props = {k: v for k, v in item.items() if k != "coordinates"}
        coords = item.get("coordinates")
        if coords is None:
            refs = [item.get("from"), *(item.get("via") or []), item.get("to")]
            coords = []
            for r in refs:
                if isinstance(r, str) and r in node_pos:
                    coords.append(list(node_pos[r]))
                elif isinstance(r, list):
                    coords.append(r)
                else:
                    coords.append([0.0, 0.0])  # the reference is reported as unknown
        props.setdefault("via", [])
        return {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": coords},
            "properties": props,
        }

    feats = {
        "nodes": [node_feature(i) for _, i, _, _ in adds_nodes],
        "segments": [seg_feature(i) for _, i, _, _ in adds_segs],
    }
    where_of = {
        "nodes": [(f, w) for _, _, f, w in adds_nodes],
        "segments": [(f, w) for _, _, f, w in adds_segs],
    }

    class _AdditionLoader(_Loader):
        def feature_collection(self, kind: str) -> list[tuple[int, dict[str, Any]]]:
            return list(enumerate(feats.get(kind, [])))

    def make_loader() -> _AdditionLoader:
        ld = _AdditionLoader({"nodes": Path("<scenario>"), "segments": Path("<scenario>")})
        for ident in (*atlas.nodes, *atlas.waypoints, *atlas.segments):
            ld.id_seen[ident] = (atlas.root or "geodata", "")
            ld.declared.add(ident)
        return ld

    node_loader = make_loader()
    new_nodes = node_loader.load_points("nodes")
    seg_loader = make_loader()
    for ident, seen in node_loader.id_seen.items():
        seg_loader.id_seen.setdefault(ident, seen)
    seg_loader.declared |= node_loader.declared
    all_nodes = {**atlas.nodes, **new_nodes}
    points = {**atlas.waypoints, **all_nodes}
    new_segs = seg_loader.load_segments(points, all_nodes)
    for kind, ld in (("nodes", node_loader), ("segments", seg_loader)):
        for p in ld.problems:
            if p.severity != "error":
                continue
            m = re.match(r"^/features/(\d+)(?:/properties)?/?(.*)$", p.where or "")
            if m and int(m.group(1)) < len(where_of[kind]):
                f, w = where_of[kind][int(m.group(1))]
                rest = m.group(2).replace("/", ".")
                if rest.startswith("geometry.coordinates"):
                    rest = "coordinates" + rest.removeprefix("geometry.coordinates")
                elif rest == "geometry":
                    rest = "coordinates"
                where = f"{w}.{rest}" if rest else w
            else:
                f, where = scenario.source or BUILDER, p.where
            problems.append(replace(p, file=f, where=where))
    if problems:
        return None
    return Atlas(
        nodes={**atlas.nodes, **new_nodes},
        waypoints=atlas.waypoints,
        segments={**atlas.segments, **new_segs},
        corridors=atlas.corridors,
        platforms=atlas.platforms,
        routes=atlas.routes,
        countries=atlas.countries,
        root=atlas.root,
    )
