"""Parsers of point records: nodes (``nodes.geojson``) and waypoints (``waypoints.geojson``)."""

from __future__ import annotations

from typing import Any

from corridors.io.geodata import fields
from corridors.io.geodata.context import IdRegistry, Parsed, Record
from corridors.io.geodata.geometry import point_position
from corridors.model import Node, Waypoint
from corridors.vocab import NODE_KINDS, NODE_PRECISIONS, is_iso3

__all__ = ["parse_node", "parse_waypoint"]


def _common(rec: Record) -> tuple[Any, ...]:
    """The fields nodes and waypoints share, read in the order problems are reported."""
    pctx = rec.props_ctx
    props = rec.props
    ident = fields.ident(props, pctx)
    pctx = pctx.about(ident)
    pos = point_position(rec.geometry, rec.geometry_ctx.about(ident))
    name = fields.text(props, "name", pctx)
    country = fields.iso3(props, "country", pctx)
    srcs = fields.sources(props, pctx)
    note = fields.text(props, "note", pctx, required=False)
    return ident, pctx, pos, name, country, srcs, note


def parse_node(rec: Record, ids: IdRegistry) -> Parsed[Node]:
    """A :class:`~corridors.model.Node` from one record; its id is registered in ``ids``."""
    rec = rec.collecting()
    ident, pctx, pos, name, country, srcs, note = _common(rec)
    props = rec.props
    kind = fields.choice(props, "kind", NODE_KINDS, pctx)
    prec = fields.choice(props, "precision", NODE_PRECISIONS, pctx)
    aliases = fields.str_list(props, "aliases", pctx)
    raw_borders = props.get("borders") or ()
    if not isinstance(raw_borders, list | tuple):
        pctx.at("borders").error(
            "borders", raw_borders, "borders must be a list of two ISO3 codes", code="bad-iso3"
        )
        raw_borders = ()
    borders = tuple(raw_borders)
    for b in borders:
        if not is_iso3(b):
            pctx.at("borders").error("borders", b, "borders must list ISO3 codes", code="bad-iso3")
            borders = ()
            break
    problems = rec.problems
    if ident is None or not ids.register(ident, rec.ctx):
        return Parsed(None, problems)
    if pos is None or name is None or country is None or not srcs:
        return Parsed(None, problems)
    if kind is None or prec is None:
        return Parsed(None, problems)
    node = Node(
        id=ident,
        name=name,
        country=country,
        lon=pos[0],
        lat=pos[1],
        kind=kind,
        aliases=aliases,
        borders=borders,
        precision=prec,
        sources=srcs,
        note=note,
    )
    return Parsed(node, problems)


def parse_waypoint(rec: Record, ids: IdRegistry) -> Parsed[Waypoint]:
    """A :class:`~corridors.model.Waypoint` from one record; its id is registered in ``ids``."""
    rec = rec.collecting()
    ident, pctx, pos, name, country, srcs, note = _common(rec)
    prec: str | None = "exact"
    if rec.props.get("precision") is not None:
        prec = fields.choice(rec.props, "precision", NODE_PRECISIONS, pctx)
    problems = rec.problems
    if ident is None or not ids.register(ident, rec.ctx):
        return Parsed(None, problems)
    if pos is None or name is None or country is None or not srcs or prec is None:
        return Parsed(None, problems)
    wp = Waypoint(
        id=ident,
        name=name,
        country=country,
        lon=pos[0],
        lat=pos[1],
        sources=srcs,
        note=note,
        precision=prec,
    )
    return Parsed(wp, problems)
