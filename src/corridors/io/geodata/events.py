"""Parser of ``events.toml`` (dated closures) and of ``atlas.toml`` (the data's as-of date).

An event closes things that stay in the data: a crossing that is closed is closed by a
dated event, never deleted. Targets are ``node:<id>``, ``border:<ISO3>-<ISO3>`` (codes in
alphabetical order), ``passage:<key>`` (checked against the sea passages when a scenario
is resolved) or ``segment:<id>``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from corridors.errors import MISSING, did_you_mean
from corridors.io.geodata import fields
from corridors.io.geodata.context import Context, IdRegistry, Parsed
from corridors.io.geodata.tables import read_document
from corridors.model import Event, Node, Segment, date_span
from corridors.vocab import (
    EVENT_KINDS,
    EVENT_RECURRENCES,
    EVENT_TARGET_KINDS,
    MODES,
    is_valid_id,
    parse_border,
)

__all__ = ["ATLAS_KEYS", "EVENT_KEYS", "parse_atlas_meta", "parse_event"]

#: Keys of an ``[[event]]`` table.
EVENT_KEYS = (
    "id",
    "kind",
    "start",
    "end",
    "recurs",
    "until",
    "targets",
    "modes",
    "note",
    "sources",
)
#: Keys of ``atlas.toml``.
ATLAS_KEYS = ("as_of",)

_TARGET_HINT = (
    "write 'node:<id>', 'border:AFG-PAK' (ISO3 codes in alphabetical order), "
    "'passage:hormuz' or 'segment:<id>'"
)


def _target(
    t: Any,
    at: Context,
    nodes: Mapping[str, Node],
    segments: Mapping[str, Segment],
    countries: Collection[str],
    invalid: Collection[str],
) -> str | None:
    if not isinstance(t, str):
        at.error("targets", t, "a target must be a string", _TARGET_HINT, code="field-type")
        return None
    kind, sep, ref = t.partition(":")
    if not sep or kind not in EVENT_TARGET_KINDS or not ref:
        guess = did_you_mean(kind, EVENT_TARGET_KINDS) if sep else None
        at.error(
            "targets",
            t,
            f"bad event target {t!r}",
            (guess + "; " if guess else "") + _TARGET_HINT,
            code="bad-target",
        )
        return None
    if kind == "border":
        pair = parse_border(ref)
        if pair is None or ref != f"{pair[0]}-{pair[1]}":
            at.error(
                "targets", t, f"bad border {ref!r}", "write 'border:AFG-PAK'", code="bad-border"
            )
            return None
        a, b = pair
        if a >= b:
            at.error(
                "targets",
                t,
                f"border codes are not in alphabetical order in {t!r}",
                f"write 'border:{min(a, b)}-{max(a, b)}'",
                code="bad-border",
            )
            return None
        for code in pair:
            if countries and code not in countries:
                at.error(
                    "targets",
                    t,
                    f"unknown country {code!r} in {t!r}",
                    did_you_mean(code, countries) or "use ISO3 codes present in the atlas",
                    code="unknown-country",
                )
                return None
        return t
    if kind == "passage":
        if not is_valid_id(ref):
            at.error(
                "targets", t, f"bad passage key {ref!r}", "e.g. 'passage:hormuz'", code="bad-target"
            )
            return None
        return t
    pool: Mapping[str, Any] = nodes if kind == "node" else segments
    if ref not in pool:
        if ref not in invalid:
            at.error(
                "targets",
                t,
                f"unknown {kind} {ref!r}",
                did_you_mean(ref, pool) or f"use a {kind} id of the geodata",
                code=f"unknown-{kind}",
            )
        return None
    return t


def parse_event(
    item: Mapping[str, Any],
    ctx: Context,
    ids: IdRegistry,
    nodes: Mapping[str, Node],
    segments: Mapping[str, Segment],
    countries: Collection[str] = (),
    invalid: Collection[str] = (),
) -> Parsed[Event]:
    """An :class:`~corridors.model.Event` from an ``[[event]]`` table at ``ctx``.

    ``countries`` are the ISO3 codes borders may name (empty = not checked); ``invalid``
    holds ids of records that failed their own checks (not reported again).
    """
    ctx = ctx.collecting()
    ident = fields.ident(item, ctx)
    c = ctx.about(ident)
    kind = fields.choice(item, "kind", EVENT_KINDS, c)
    start = fields.date(item, "start", c, required=True)
    end = fields.date(item, "end", c)
    if start is not None and end is not None and date_span(end)[0] <= date_span(start)[0]:
        c.at("end").error(
            "end",
            end,
            f"event ends ({end}) before or when it starts ({start})",
            "end is the first day the closure is no longer in force; omit it while in force",
            code="event-order",
        )
        end = None
    raw = item.get("targets")
    targets: list[str] = []
    bad = False
    if not isinstance(raw, list) or not raw:
        c.at("targets").error(
            "targets",
            raw if raw is not None else MISSING,
            "'targets' must be a non-empty list",
            _TARGET_HINT,
            code="missing-field" if raw is None else "field-type",
        )
        bad = True
    else:
        for j, t in enumerate(raw):
            ok = _target(t, c.at("targets").at(j), nodes, segments, countries, invalid)
            if ok is None:
                bad = True
            elif ok not in targets:
                targets.append(ok)
    modes = fields.str_list(item, "modes", c)
    for j, m in enumerate(modes):
        if m not in MODES:
            c.at("modes").at(j).error(
                "modes", m, f"unknown mode {m!r}", did_you_mean(m, MODES), code="bad-mode"
            )
            bad = True
    recurs = fields.choice(item, "recurs", EVENT_RECURRENCES, c, required=False)
    until = fields.date(item, "until", c)
    if recurs is not None and start is not None:
        if end is None or len(start) != 10 or len(end) != 10:
            c.at("recurs").error(
                "recurs",
                recurs,
                "a recurring event needs full start and end dates",
                "give the first season: start = 'YYYY-MM-DD', end = 'YYYY-MM-DD'",
                code="event-recurrence",
            )
            bad = True
        elif (date_span(end)[0] - date_span(start)[0]).days > 365:
            c.at("end").error(
                "end",
                end,
                "a yearly event must end within a year of its start",
                "start and end bound one season (e.g. 2020-12-01 to 2021-04-01)",
                code="event-recurrence",
            )
            bad = True
    if until is not None and start is not None and date_span(until)[0] <= date_span(start)[0]:
        c.at("until").error(
            "until", until, f"until ({until}) is not after start ({start})", code="event-order"
        )
        bad = True
    note = fields.text(item, "note", c, required=False)
    srcs = fields.sources(item, c)
    if ident is None or not ids.register(f"event:{ident}", ctx):
        return Parsed(None, ctx.problems)
    if bad or ctx.failed or kind is None or start is None or not srcs:
        return Parsed(None, ctx.problems)
    event = Event(
        id=ident,
        kind=kind,
        start=start,
        end=end,
        targets=tuple(targets),
        modes=tuple(dict.fromkeys(modes)),
        note=note,
        sources=srcs,
        recurs=recurs,
        until=until,
    )
    return Parsed(event, ctx.problems)


def parse_atlas_meta(path: Path, ctx: Context) -> Parsed[str]:
    """The as-of date of ``atlas.toml`` (``as_of = "2026-12-01"``, a partial date)."""
    ctx = ctx.collecting()
    doc = read_document(path, ctx)
    if doc is None:
        return Parsed(None, ctx.problems)
    for key in doc:
        if key not in ATLAS_KEYS:
            ctx.at(key).error(
                key,
                MISSING,
                f"unknown top-level key '{key}'",
                did_you_mean(key, ATLAS_KEYS) or "atlas.toml holds as_of = 'YYYY-MM-DD'",
                code="unknown-key",
            )
    as_of = fields.date(doc, "as_of", ctx, required=True)
    if as_of is not None:
        try:
            date_span(as_of)
        except ValueError as exc:
            ctx.at("as_of").error("as_of", as_of, str(exc), code="bad-date")
            as_of = None
    return Parsed(as_of, ctx.problems)
