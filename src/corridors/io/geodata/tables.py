"""TOML geodata: the ``[[table]]`` reader, and the corridor, route and hub parsers.

Platforms, which have nested meetings, live in :mod:`corridors.io.geodata.platforms`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from corridors.errors import MISSING, GeodataError, InputFileError, did_you_mean
from corridors.geo.chain import chain_coords
from corridors.io.geodata import fields
from corridors.io.geodata.context import Context, IdRegistry, Parsed
from corridors.io.read import read_toml
from corridors.model import Corridor, Node, ReferenceRoute, Segment

__all__ = [
    "CORRIDOR_KEYS",
    "ROUTE_KEYS",
    "check_parent_cycles",
    "parse_corridor",
    "parse_hubs",
    "parse_route",
    "read_document",
    "toml_tables",
]

#: Keys of a ``[[corridor]]`` table.
CORRIDOR_KEYS = (
    "id",
    "name",
    "parent",
    "platform",
    "segments",
    "description",
    "sources",
    "colour",
)
#: Keys of a ``[[route]]`` table.
ROUTE_KEYS = ("id", "name", "segments", "countries", "sources", "note")


def read_document(path: Path, ctx: Context) -> dict[str, Any] | None:
    """The TOML document of ``path``, or ``None`` after reporting why it cannot be read."""
    try:
        return read_toml(path)
    except GeodataError as exc:
        ctx.problems.extend(exc.problems)
    except InputFileError as exc:
        ctx.error(None, None, str(exc), code="input-file")
    return None


def toml_tables(
    path: Path, ctx: Context, table: str, allowed: Iterable[str]
) -> list[tuple[Context, dict[str, Any]]]:
    """The ``[[table]]`` entries of a TOML file, each with its context (``table[i]``).

    Unknown top-level keys and unknown keys inside an entry are reported (with a guess).
    """
    doc = read_document(path, ctx)
    if doc is None:
        return []
    allowed_top = {table}
    for key in doc:
        if key not in allowed_top:
            ctx.at(key).error(
                key,
                MISSING,
                f"unknown top-level key '{key}'",
                did_you_mean(key, allowed_top) or f"use [[{table}]] tables",
                code="unknown-key",
            )
    items = doc.get(table, [])
    tctx = ctx.at(table)
    if not isinstance(items, list):
        tctx.error(
            table,
            items,
            f"'{table}' must be an array of tables",
            f"write [[{table}]]",
            code="field-type",
        )
        return []
    allowed_set = set(allowed)
    out = []
    for i, item in enumerate(items):
        ictx = tctx.at(i)
        if not isinstance(item, dict):
            ictx.error(table, item, "expected a table", code="field-type")
            continue
        entity = item.get("id") if isinstance(item.get("id"), str) else None
        for k in item:
            if k not in allowed_set:
                ictx.at(k).about(entity).error(
                    k,
                    MISSING,
                    f"unknown key '{k}'",
                    did_you_mean(k, allowed_set) or "allowed: " + ", ".join(sorted(allowed_set)),
                    code="unknown-key",
                )
        out.append((ictx, item))
    return out


def parse_corridor(
    item: Mapping[str, Any],
    ctx: Context,
    ids: IdRegistry,
    segments: Mapping[str, Segment],
    known: Collection[str],
) -> Parsed[Corridor]:
    """A :class:`~corridors.model.Corridor` from a ``[[corridor]]`` table at ``ctx``.

    ``known`` holds the ids of every corridor in the file (for ``parent``).
    """
    ctx = ctx.collecting()
    ident = fields.ident(item, ctx)
    c = ctx.about(ident)
    name = fields.text(item, "name", c)
    segs = fields.str_list(item, "segments", c)
    for s in segs:
        if s not in segments and s not in ids.declared:
            c.at("segments").error(
                "segments",
                s,
                f"unknown segment '{s}'",
                did_you_mean(s, segments) or "define it in segments.geojson",
                code="unknown-segment",
            )
    parent = item.get("parent")
    if parent is not None and parent not in known:
        c.at("parent").error(
            "parent",
            parent,
            f"unknown parent corridor '{parent}'",
            did_you_mean(parent, known),
            code="unknown-corridor",
        )
        parent = None
    srcs = fields.sources(item, c)
    desc = item.get("description", "")
    colour = fields.colour(item, "colour", c)
    if ident is None or not ids.register(f"corridor:{ident}", ctx):
        return Parsed(None, ctx.problems)
    if name is None or not srcs:
        return Parsed(None, ctx.problems)
    corridor = Corridor(
        id=ident,
        name=name,
        segments=segs,
        parent=parent,
        platform=item.get("platform"),
        description=desc if isinstance(desc, str) else "",
        sources=srcs,
        colour=colour,
    )
    return Parsed(corridor, ctx.problems)


def check_parent_cycles(corridors: Mapping[str, Corridor], ctx: Context) -> None:
    """Report corridors whose ``parent`` chain comes back to them."""
    for cid in corridors:
        seen = [cid]
        cur = corridors[cid].parent
        while cur is not None and cur in corridors:
            if cur in seen:
                ctx.about(cid).error(
                    "parent",
                    " → ".join([*seen, cur]),
                    "corridor parents form a cycle",
                    "break the cycle",
                    code="parent-cycle",
                )
                break
            seen.append(cur)
            cur = corridors[cur].parent


def parse_route(
    item: Mapping[str, Any], ctx: Context, ids: IdRegistry, segments: Mapping[str, Segment]
) -> Parsed[ReferenceRoute]:
    """A :class:`~corridors.model.ReferenceRoute` from a ``[[route]]`` table at ``ctx``."""
    ctx = ctx.collecting()
    ident = fields.ident(item, ctx)
    c = ctx.about(ident)
    name = fields.text(item, "name", c)
    segs = fields.str_list(item, "segments", c)
    bad = False
    for s in segs:
        if s not in segments:
            bad = True
            if s in ids.declared:
                continue
            c.at("segments").error(
                "segments",
                s,
                f"unknown segment '{s}'",
                did_you_mean(s, segments),
                code="unknown-segment",
            )
    countries = fields.str_list(item, "countries", c)
    srcs = fields.sources(item, c)
    if ident is None or not ids.register(f"route:{ident}", ctx):
        return Parsed(None, ctx.problems)
    if bad or name is None or not segs or not srcs:
        return Parsed(None, ctx.problems)
    try:
        chain_coords([segments[s] for s in segs])
    except ValueError as exc:
        c.at("segments").error(
            "segments",
            list(segs),
            str(exc),
            "list segments in travel order; each must meet the previous one",
            code="broken-chain",
        )
        return Parsed(None, ctx.problems)
    route = ReferenceRoute(id=ident, name=name, segments=segs, countries=countries, sources=srcs)
    return Parsed(route, ctx.problems)


def parse_hubs(
    path: Path, ctx: Context, nodes: Mapping[str, Node], invalid: Collection[str] = ()
) -> Parsed[tuple[str, ...]]:
    """The default hubs of ``hubs.toml``: ``hubs = ["node-id", …]``, distinct node ids.

    Unknown ids are reported (with a guess); ids in ``invalid`` (records that failed their
    own checks, already reported) are left out silently.
    """
    ctx = ctx.collecting()
    doc = read_document(path, ctx)
    if doc is None:
        return Parsed(None, ctx.problems)
    for key in doc:
        if key != "hubs":
            ctx.at(key).error(
                key,
                MISSING,
                f"unknown top-level key '{key}'",
                did_you_mean(key, ["hubs"]) or 'write hubs = ["node-id", …]',
                code="unknown-key",
            )
    raw = doc.get("hubs", [])
    hctx = ctx.at("hubs")
    if not isinstance(raw, list):
        hctx.error(
            "hubs",
            raw,
            "'hubs' must be a list of node ids",
            'write hubs = ["node-id", …]',
            code="field-type",
        )
        return Parsed(None, ctx.problems)
    out: list[str] = []
    for i, hub in enumerate(raw):
        at = hctx.at(i).about(hub if isinstance(hub, str) else None)
        if not isinstance(hub, str):
            at.error("hubs", hub, "a hub must be a node id (a string)", code="field-type")
        elif hub in out:
            at.error(
                "hubs",
                hub,
                f"hub '{hub}' is listed twice",
                "list each hub once",
                code="duplicate-hub",
            )
        elif hub in nodes:
            out.append(hub)
        elif hub not in invalid:
            at.error(
                "hubs",
                hub,
                f"unknown node '{hub}'",
                did_you_mean(hub, nodes) or "hubs are node ids of nodes.geojson",
                code="unknown-node",
            )
    return Parsed(tuple(out), ctx.problems)
