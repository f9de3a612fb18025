"""Parser of segment records (``segments.geojson``, a scenario's ``[[add.segment]]``)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from corridors.errors import MISSING, did_you_mean
from corridors.geo.geodesy import distance_km
from corridors.io.geodata import fields
from corridors.io.geodata.context import Context, IdRegistry, Parsed, Record
from corridors.io.geodata.geometry import Position, line_positions
from corridors.io.read import check_position, suggest_allowed
from corridors.model import Node, PublishedLength, Segment
from corridors.vocab import GAUGE_UNKNOWN, MODES, PRECISIONS, STATUSES, is_iso3

__all__ = ["ENDPOINT_TOLERANCE_KM", "parse_segment"]

#: How far (km) a segment's end may lie from its node before it "does not meet" it.
ENDPOINT_TOLERANCE_KM = 0.05


def parse_segment(
    rec: Record,
    ids: IdRegistry,
    points: Mapping[str, Any],
    nodes: Mapping[str, Node],
    *,
    max_vertices: int,
) -> Parsed[Segment]:
    """A :class:`~corridors.model.Segment` from one record.

    ``points`` are the nodes and waypoints its ``via`` may name, ``nodes`` those its ends
    and gauge breaks may name; ids that ``ids`` knows as declared but invalid are not
    reported again.
    """
    rec = rec.collecting()
    p = rec.props
    ident = fields.ident(p, rec.props_ctx)
    ctx = rec.props_ctx.about(ident)
    gctx = rec.geometry_ctx.about(ident)
    coords = line_positions(rec.geometry, gctx, cap=max_vertices)
    name = fields.text(p, "name", ctx)
    mode = fields.choice(p, "mode", MODES, ctx)
    status = fields.choice(p, "status", STATUSES, ctx)
    prec = fields.choice(p, "precision", PRECISIONS, ctx)
    srcs = fields.sources(p, ctx)
    ends: list[str | None] = []
    for key in ("from", "to"):
        ref = p.get(key)
        if not isinstance(ref, str):
            ctx.at(key).error(
                key,
                ref if ref is not None else MISSING,
                f"'{key}' must be a node id",
                code="missing-field",
            )
            ends.append(None)
        elif ref not in nodes:
            if ref not in ids.declared:
                ctx.at(key).error(
                    key,
                    ref,
                    f"unknown node '{ref}'",
                    did_you_mean(ref, nodes) or "define the node in nodes.geojson",
                    code="unknown-node",
                )
            ends.append(None)
        else:
            ends.append(ref)
    via = _via(p, points, ctx, ids)
    history = fields.status_history(p, status, ctx, STATUSES)
    pubs, chosen, length_note = _lengths(p, ctx)
    gauges, breaks, gauge_unknown = _gauges(p, nodes, ctx, mode)
    declared = _countries(p, ctx)
    opt: dict[str, Any] = {}
    for key, integer in (("opened_year", True), ("announced_year", True), ("cost_usd_bn", False)):
        opt[key] = fields.number(p, key, ctx, integer=integer)
    for key in ("financier", "capacity", "note"):
        opt[key] = fields.text(p, key, ctx, required=False)
    if ident is None or not ids.register(ident, rec.ctx):
        return Parsed(None, rec.problems)
    start, end = ends
    if coords is None or via is None or start is None or end is None or not srcs:
        return Parsed(None, rec.problems)
    if name is None or mode is None or status is None or prec is None:
        return Parsed(None, rec.problems)
    _check_geometry_matches(coords, start, via, end, points, gctx.at("coordinates"))
    seg = Segment(
        id=ident,
        name=name,
        from_node=start,
        to_node=end,
        mode=mode,
        status=status,
        precision=prec,
        coords=tuple(coords),
        via=tuple(via),
        status_history=history,
        published_lengths=pubs,
        published_length_km=chosen,
        length_note=length_note,
        gauge_mm=gauges,
        gauge_breaks_at=breaks,
        gauge_unknown=gauge_unknown,
        countries=declared,
        sources=srcs,
        **opt,
    )
    return Parsed(seg, rec.problems)


def _via(
    p: Mapping[str, Any], points: Mapping[str, Any], ctx: Context, ids: IdRegistry
) -> list[Any] | None:
    raw = p.get("via", [])
    if raw is None:
        return []
    vctx = ctx.at("via")
    if not isinstance(raw, list):
        vctx.error(
            "via",
            raw,
            "'via' must be a list of node/waypoint ids or [lon, lat] pairs",
            code="field-type",
        )
        return None
    out: list[Any] = []
    ok = True
    for j, item in enumerate(raw):
        if isinstance(item, str):
            if item not in points and item in ids.declared:
                ok = False
            elif item not in points:
                vctx.at(j).error(
                    "via",
                    item,
                    f"unknown node or waypoint '{item}'",
                    did_you_mean(item, points) or "define it in nodes.geojson or waypoints.geojson",
                    code="unknown-node",
                )
                ok = False
            out.append(item)
        else:
            at = vctx.at(j)
            pos = check_position(
                item, file=at.file, where=at.where, entity=at.entity, problems=at.problems
            )
            if pos is None:
                ok = False
            out.append(pos)
    return out if ok else None


def _lengths(
    p: Mapping[str, Any], ctx: Context
) -> tuple[tuple[PublishedLength, ...], float | None, str | None]:
    raw = p.get("published_lengths_km", [])
    lctx = ctx.at("published_lengths_km")
    pubs: list[PublishedLength] = []
    if raw not in (None, []):
        if not isinstance(raw, list):
            lctx.error(
                "published_lengths_km",
                raw,
                "'published_lengths_km' must be a list",
                code="field-type",
            )
            raw = []
        for j, item in enumerate(raw):
            ictx = lctx.at(j)
            if not isinstance(item, Mapping):
                ictx.error(
                    "published_lengths_km",
                    item,
                    "entry must be an object {value, url, title, scope}",
                    code="field-type",
                )
                continue
            value = fields.number(item, "value", ictx)
            if "value" not in item:
                ictx.at("value").error("value", MISSING, "missing 'value'", code="missing-field")
            url = item.get("url")
            if not fields.is_http_url(url):
                ictx.at("url").error(
                    "url",
                    url if url is not None else MISSING,
                    "published length needs an http(s) source url",
                    code="bad-source-url",
                )
                continue
            scope = item.get("scope", "full")
            if scope not in ("full", "partial"):
                ictx.at("scope").error(
                    "scope",
                    scope,
                    "scope must be 'full' or 'partial'",
                    suggest_allowed(scope, ("full", "partial")),
                    code="bad-scope",
                )
                continue
            if value is None:
                continue
            pubs.append(
                PublishedLength(
                    value_km=value,
                    url=url,
                    title=str(item.get("title", "")),
                    scope=scope,
                    note=item.get("note") if isinstance(item.get("note"), str) else None,
                )
            )
    chosen = fields.number(p, "published_length_km", ctx)
    if chosen is not None:
        full = [x.value_km for x in pubs if x.scope == "full"]
        if not any(math.isclose(chosen, v) for v in full):
            ctx.at("published_length_km").error(
                "published_length_km",
                chosen,
                "chosen published length is not one of the 'full' values in published_lengths_km",
                f"pick one of {full}"
                if full
                else "add the figure with its source to published_lengths_km",
                code="length-choice",
            )
    note = p.get("length_note") if isinstance(p.get("length_note"), str) else None
    return tuple(pubs), chosen, note


def _countries(p: Mapping[str, Any], ctx: Context) -> tuple[str, ...]:
    """The optional explicit ``countries`` list (ISO3 codes the line may cross)."""
    raw = p.get("countries")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(is_iso3(c) for c in raw):
        ctx.at("countries").error(
            "countries",
            raw,
            "'countries' must be a list of ISO3 codes",
            'e.g. ["ARM"] for a line that crosses Armenia without a node or waypoint there',
            code="bad-iso3",
        )
        return ()
    return tuple(dict.fromkeys(raw))


def _gauges(
    p: Mapping[str, Any], nodes: Mapping[str, Node], ctx: Context, mode: str | None
) -> tuple[tuple[int, ...], tuple[str, ...], bool]:
    """``(gauges, break nodes, unknown)``; a railway must state its gauge (or ``"unknown"``)."""
    raw = p.get("gauge_mm")
    if raw is None:
        if mode == "rail":
            ctx.at("gauge_mm").error(
                "gauge_mm",
                MISSING,
                "a railway needs its track gauge",
                "give gauge_mm in mm (e.g. 1676 Pakistan, 1520 ex-USSR, 1435 standard) or "
                '"unknown" when no source states it',
                code="gauge-missing",
            )
        return (), (), False
    if raw == GAUGE_UNKNOWN:
        return (), (), True
    vals = raw if isinstance(raw, list) else [raw]
    out: list[int] = []
    for v in vals:
        if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
            ctx.at("gauge_mm").error(
                "gauge_mm",
                raw,
                "gauge_mm must be a positive whole number of mm (or a list of them), "
                f'or "{GAUGE_UNKNOWN}"',
                "e.g. 1676 (Pakistan), 1520 (ex-USSR), 1435 (standard)",
                code="bad-number",
            )
            return (), (), False
        out.append(v)
    breaks = fields.str_list(p, "gauge_breaks_at", ctx)
    bctx = ctx.at("gauge_breaks_at")
    if len(breaks) != len(out) - 1:
        bctx.error(
            "gauge_breaks_at",
            list(breaks),
            f"{len(out)} gauges need {len(out) - 1} break node(s)",
            code="gauge-breaks",
        )
        return (), (), False
    for b in breaks:
        if b not in nodes:
            bctx.error(
                "gauge_breaks_at",
                b,
                f"unknown node '{b}'",
                did_you_mean(b, nodes),
                code="unknown-node",
            )
            return (), (), False
    return tuple(out), breaks, False


def _check_geometry_matches(
    coords: list[Position],
    start: str,
    via: list[Any],
    end: str,
    points: Mapping[str, Any],
    ctx: Context,
) -> None:
    """The drawn line must run ``[from] + via + [to]``, one vertex per item (at ``ctx``)."""
    expected: list[Position] = [points[start].lonlat]
    for item in via:
        expected.append(points[item].lonlat if isinstance(item, str) else item)
    expected.append(points[end].lonlat)
    for key, pos, want in (("from", coords[0], expected[0]), ("to", coords[-1], expected[-1])):
        gap = distance_km(pos, want)
        if gap > ENDPOINT_TOLERANCE_KM:
            ref = start if key == "from" else end
            ctx.error(
                key,
                list(pos),
                f"line does not meet its '{key}' node '{ref}' ({gap:.2f} km away, "
                f"node at {list(want)})",
                "make the line start/end at the node position, or fix 'from'/'to'",
                code="endpoint-mismatch",
            )
            return
    if len(coords) != len(expected):
        ctx.error(
            "via",
            f"{len(coords)} vertices vs {len(expected)} expected",
            "geometry vertices do not match [from] + via + [to]",
            "regenerate the geometry from 'via' (one vertex per via item)",
            code="via-mismatch",
        )
        return
    for j, (pos, want) in enumerate(zip(coords, expected, strict=True)):
        if distance_km(pos, want) > ENDPOINT_TOLERANCE_KM:
            ctx.at(j).error(
                "via",
                list(pos),
                f"vertex {j} is not at via item {via[j - 1] if 0 < j <= len(via) else ''}"
                f" {list(want)}",
                "regenerate the geometry from 'via'",
                code="via-mismatch",
            )
            return
