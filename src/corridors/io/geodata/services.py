"""Parser of ``services.toml``: trains, ferry lines, flights and shipping lines.

A service runs over infrastructure (segments) and has its own status history. Checks: the
id (own namespace ``service:<id>``), ``kind`` and ``status`` vocabularies, every segment id
(with a did-you-mean hint), that the segments form one connected chain (consecutive
segments share an end or a ``via`` node — the error names the gap), the ``stops`` node ids,
the history (dated, in order, last entry = ``status``, http(s) urls) and the sources.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from corridors.errors import MISSING, did_you_mean
from corridors.io.geodata import fields
from corridors.io.geodata.context import Context, IdRegistry, Parsed
from corridors.model import Node, Segment, Service
from corridors.vocab import SERVICE_KINDS, SERVICE_STATUSES

__all__ = ["SERVICE_KEYS", "chain_gap", "parse_service"]

#: Keys of a ``[[service]]`` table.
SERVICE_KEYS = (
    "id",
    "name",
    "kind",
    "operator",
    "segments",
    "stops",
    "status",
    "status_history",
    "frequency",
    "note",
    "sources",
)


def _nodes_of(seg: Segment) -> set[str]:
    return set(seg.node_ids_on_line)


def chain_gap(segs: list[Segment]) -> int | None:
    """Index ``i`` of the first segment that shares no node with segment ``i - 1``.

    Consecutive segments must share an end or a ``via`` node (a service may leave a line at
    a junction on it). ``None`` when the chain is connected.
    """
    for i in range(1, len(segs)):
        if not (_nodes_of(segs[i - 1]) & _nodes_of(segs[i])):
            return i
    return None


def parse_service(
    item: Mapping[str, Any],
    ctx: Context,
    ids: IdRegistry,
    segments: Mapping[str, Segment],
    nodes: Mapping[str, Node],
    invalid: Collection[str] = (),
) -> Parsed[Service]:
    """A :class:`~corridors.model.Service` from a ``[[service]]`` table at ``ctx``.

    ``invalid`` holds ids of records that failed their own checks (not reported again).
    """
    ctx = ctx.collecting()
    ident = fields.ident(item, ctx)
    c = ctx.about(ident)
    name = fields.text(item, "name", c)
    kind = fields.choice(item, "kind", SERVICE_KINDS, c)
    status = fields.choice(item, "status", SERVICE_STATUSES, c)
    history = fields.status_history(item, status, c, SERVICE_STATUSES)
    opt = {k: fields.text(item, k, c, required=False) for k in ("operator", "frequency", "note")}
    seg_ids = fields.str_list(item, "segments", c)
    bad = False
    if "segments" in item and not seg_ids and not c.failed:
        c.at("segments").error(
            "segments",
            item.get("segments"),
            "a service runs on at least one segment",
            'list its segment ids in travel order: segments = ["iti-pak", …]',
            code="missing-field",
        )
        bad = True
    elif "segments" not in item:
        c.at("segments").error(
            "segments",
            MISSING,
            "missing 'segments'",
            'list its segment ids in travel order: segments = ["iti-pak", …]',
            code="missing-field",
        )
        bad = True
    for j, sid in enumerate(seg_ids):
        if sid in segments:
            continue
        bad = True
        if sid in invalid:
            continue
        c.at("segments").at(j).error(
            "segments",
            sid,
            f"unknown segment '{sid}'",
            did_you_mean(sid, segments) or "use segment ids of segments.geojson",
            code="unknown-segment",
        )
    if not bad and seg_ids:
        chain = [segments[s] for s in seg_ids]
        gap = chain_gap(chain)
        if gap is not None:
            a, b = chain[gap - 1], chain[gap]
            c.at("segments").at(gap).error(
                "segments",
                b.id,
                f"gap in the service's chain: '{a.id}' ({a.from_node} → {a.to_node}) and "
                f"'{b.id}' ({b.from_node} → {b.to_node}) share no node",
                "list segments in travel order; each must share an end or via node with "
                "the previous one",
                code="broken-chain",
            )
            bad = True
    stops = fields.str_list(item, "stops", c)
    for j, nid in enumerate(stops):
        if nid not in nodes and nid not in invalid:
            c.at("stops").at(j).error(
                "stops",
                nid,
                f"unknown node '{nid}'",
                did_you_mean(nid, nodes) or "stops are node ids of nodes.geojson",
                code="unknown-node",
            )
            bad = True
    srcs = fields.sources(item, c)
    if ident is None or not ids.register(f"service:{ident}", ctx):
        return Parsed(None, ctx.problems)
    if bad or ctx.failed or name is None or kind is None or status is None or not srcs:
        return Parsed(None, ctx.problems)
    service = Service(
        id=ident,
        name=name,
        kind=kind,
        segments=seg_ids,
        status=status,
        status_history=history,
        stops=stops,
        operator=opt["operator"],
        frequency=opt["frequency"],
        note=opt["note"],
        sources=srcs,
    )
    return Parsed(service, ctx.problems)
