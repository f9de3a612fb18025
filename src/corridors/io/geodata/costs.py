"""The parser of ``costs.toml``: calibrated cost parameters, checked against the atlas.

Every ``[[parameter]]`` carries a typical value, a low–high range, a unit from a closed
vocabulary (:data:`corridors.costs_table.UNITS`), a year, what it applies to (a mode, a mode
pair, a node, a node kind, a border, a segment or a corridor of the atlas), an optional
``claimed`` flag for an official's statement, and sources. Problems are located by TOML key
(``parameter[3].low``) and carry a code and a hint; every problem of the file is reported.

Examples
--------
>>> import tempfile, pathlib
>>> from corridors.io.geodata.context import Context
>>> text = '''[[parameter]]
... id = "speed.road"
... typical = 42.0
... low = 43.6
... high = 41.6
... unit = "km/h"
... year = 2022
... applies_to = { mode = "road" }
... sources = [{ url = "https://example.org/cpmm", title = "CPMM", accessed = "2026" }]
... '''
>>> with tempfile.TemporaryDirectory() as d:
...     path = pathlib.Path(d) / "costs.toml"
...     _ = path.write_text(text, encoding="utf-8")
...     parsed = parse_costs(path, Context(str(path), toml=True), {}, {}, ())
>>> [(p.where, p.code) for p in parsed.problems]
[('parameter[0].low', 'bad-range')]
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from corridors.costs_table import (
    PARAMETER_ID_PATTERN,
    UNIT_LIMITS,
    UNITS,
    AppliesTo,
    CostParameter,
    CostTable,
    is_parameter_id,
)
from corridors.errors import MISSING, did_you_mean
from corridors.io.geodata import fields
from corridors.io.geodata.context import Context, Parsed
from corridors.io.geodata.tables import toml_tables
from corridors.io.read import suggest_allowed
from corridors.model import Node, Segment
from corridors.vocab import MODES, NODE_KINDS, is_iso3, parse_border

__all__ = ["APPLIES_TO_KEYS", "PARAMETER_KEYS", "YEAR_RANGE", "known_borders", "parse_costs"]

#: Keys of a ``[[parameter]]`` table.
PARAMETER_KEYS = (
    "id",
    "typical",
    "low",
    "high",
    "unit",
    "year",
    "applies_to",
    "claimed",
    "note",
    "sources",
)
#: Keys of an ``applies_to`` table.
APPLIES_TO_KEYS = (
    "mode",
    "modes",
    "node",
    "node_kind",
    "border",
    "segment",
    "corridor",
    "scope",
)
#: Values of ``applies_to.scope``: ``all`` = a model-wide figure (consignment, value of time).
SCOPES = ("all",)
#: Years a figure may be dated (inclusive).
YEAR_RANGE = (1950, 2100)


def known_borders(nodes: Mapping[str, Node], segments: Mapping[str, Segment]) -> set[str]:
    """Border keys ``"AAA-BBB"`` the atlas knows: border nodes, and segments whose two end
    nodes lie in different countries.

    >>> known_borders({}, {})
    set()
    """
    out: set[str] = set()
    for n in nodes.values():
        if len(n.borders) == 2:
            out.add("-".join(sorted(n.borders)))
    for s in segments.values():
        a, b = nodes.get(s.from_node), nodes.get(s.to_node)
        if a is not None and b is not None and a.country != b.country:
            out.add("-".join(sorted((a.country, b.country))))
    return out


def _number(item: Mapping[str, Any], key: str, unit: str | None, ctx: Context) -> float | None:
    at = ctx.at(key)
    if key not in item:
        at.error(key, MISSING, f"missing '{key}'", f"add {key} = <number>", code="missing-field")
        return None
    v = item[key]
    if isinstance(v, bool) or not isinstance(v, int | float):
        at.error(
            key, v, f"'{key}' must be a number", "write a number without quotes", code="field-type"
        )
        return None
    if not math.isfinite(v):
        at.error(
            key, v, f"'{key}' must be finite", "nan and inf are not figures", code="bad-number"
        )
        return None
    if v < 0:
        at.error(
            key,
            v,
            f"'{key}' must be >= 0",
            "costs, times and capacities are not negative",
            code="bad-number",
        )
        return None
    limit = UNIT_LIMITS.get(unit or "")
    if limit is not None and v > limit:
        at.error(
            key,
            v,
            f"'{key}' = {v:g} {unit} is not plausible (above {limit:g})",
            "check the unit and the number of zeros",
            code="absurd-value",
        )
        return None
    return float(v)


def _unit(item: Mapping[str, Any], ctx: Context) -> str | None:
    v = item.get("unit")
    at = ctx.at("unit")
    if v is None:
        at.error(
            "unit", MISSING, "missing 'unit'", "allowed: " + ", ".join(UNITS), code="missing-unit"
        )
        return None
    if v not in UNITS:
        at.error("unit", v, f"unknown unit {v!r}", suggest_allowed(v, UNITS), code="bad-unit")
        return None
    return str(v)


def _year(item: Mapping[str, Any], ctx: Context) -> int | None:
    v = item.get("year")
    at = ctx.at("year")
    lo, hi = YEAR_RANGE
    if v is None:
        at.error(
            "year",
            MISSING,
            "missing 'year'",
            "the year the figure describes, e.g. 2022",
            code="missing-field",
        )
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        at.error(
            "year",
            v,
            f"'year' must be a whole year in {lo}–{hi}",
            "write e.g. year = 2022",
            code="bad-year",
        )
        return None
    return v


def _applies_to(
    item: Mapping[str, Any],
    ctx: Context,
    nodes: Mapping[str, Node],
    segments: Mapping[str, Segment],
    corridors: Collection[str],
    borders: Collection[str],
    invalid: Collection[str],
) -> AppliesTo | None:
    raw = item.get("applies_to")
    at = ctx.at("applies_to")
    if raw is None:
        at.error(
            "applies_to",
            MISSING,
            "missing 'applies_to'",
            'say what the figure is for, e.g. applies_to = { mode = "road" }',
            code="missing-field",
        )
        return None
    if not isinstance(raw, Mapping) or not raw:
        at.error(
            "applies_to",
            raw,
            "'applies_to' must be a non-empty table",
            "keys: " + ", ".join(APPLIES_TO_KEYS),
            code="field-type",
        )
        return None
    ok = True
    for k in raw:
        if k not in APPLIES_TO_KEYS:
            at.at(k).error(
                k,
                MISSING,
                f"unknown key '{k}'",
                did_you_mean(k, APPLIES_TO_KEYS) or "allowed: " + ", ".join(APPLIES_TO_KEYS),
                code="unknown-key",
            )
            ok = False
    values: dict[str, Any] = {}
    for k in APPLIES_TO_KEYS:
        if k not in raw:
            continue
        v = raw[k]
        kat = at.at(k)
        if k == "modes":
            if (
                not isinstance(v, list)
                or len(v) != 2
                or not all(isinstance(m, str) and m in MODES for m in v)
            ):
                kat.error(
                    k,
                    v,
                    "'modes' must be a pair of modes",
                    'e.g. modes = ["rail", "ferry"]; allowed: ' + ", ".join(MODES),
                    code="bad-modes",
                )
                ok = False
            else:
                values[k] = tuple(v)
            continue
        if not isinstance(v, str):
            kat.error(k, v, f"'{k}' must be a string", code="field-type")
            ok = False
            continue
        check = _check_target(k, v, kat, nodes, segments, corridors, borders, invalid)
        ok = ok and check
        values[k] = v
    return AppliesTo(**values) if ok else None


def _check_target(
    key: str,
    v: str,
    at: Context,
    nodes: Mapping[str, Node],
    segments: Mapping[str, Segment],
    corridors: Collection[str],
    borders: Collection[str],
    invalid: Collection[str],
) -> bool:
    if key == "mode":
        if v not in MODES:
            at.error(key, v, f"unknown mode {v!r}", suggest_allowed(v, MODES), code="bad-mode")
            return False
    elif key == "node_kind":
        if v not in NODE_KINDS:
            at.error(
                key,
                v,
                f"unknown node kind {v!r}",
                suggest_allowed(v, NODE_KINDS),
                code="bad-node_kind",
            )
            return False
    elif key == "border":
        return _check_border(v, at, borders)
    elif key == "scope":
        if v not in SCOPES:
            at.error(key, v, f"unknown scope {v!r}", suggest_allowed(v, SCOPES), code="bad-scope")
            return False
    else:
        pool: Collection[str] = {"node": nodes, "segment": segments, "corridor": corridors}[key]
        if v not in pool:
            if v not in invalid:  # an invalid record is already reported
                at.error(
                    key,
                    v,
                    f"unknown {key} '{v}'",
                    did_you_mean(v, pool) or f"use a {key} id of the atlas",
                    code=f"unknown-{key}",
                )
            return False
    return True


def _check_border(v: str, at: Context, borders: Collection[str]) -> bool:
    pair = parse_border(v)
    if pair is None or not all(is_iso3(c) for c in pair):
        at.error(
            "border",
            v,
            "a border is written 'AAA-BBB' (two ISO3 codes)",
            'e.g. border = "AFG-PAK"',
            code="bad-border",
        )
        return False
    key = "-".join(sorted(pair))
    if v != key:
        at.error(
            "border",
            v,
            f"write the border as '{key}'",
            "ISO3 codes in alphabetical order, joined by '-'",
            code="bad-border",
        )
        return False
    if key not in borders:
        at.error(
            "border",
            v,
            f"unknown border '{v}'",
            did_you_mean(v, borders) or "no border node or cross-border segment joins them",
            code="unknown-border",
        )
        return False
    return True


def parse_costs(
    path: Path,
    ctx: Context,
    nodes: Mapping[str, Node],
    segments: Mapping[str, Segment],
    corridors: Collection[str],
    invalid: Collection[str] = (),
) -> Parsed[CostTable]:
    """The :class:`~corridors.costs_table.CostTable` of ``costs.toml`` at ``path``.

    ``nodes``, ``segments`` and ``corridors`` are the atlas the ``applies_to`` targets are
    checked against; ids in ``invalid`` (records that failed their own checks) are not
    reported again. The table is ``None`` when any parameter has an error.
    """
    ctx = ctx.collecting()
    borders = known_borders(nodes, segments)
    params: list[CostParameter] = []
    first: dict[str, str] = {}
    failed = False
    for pctx, item in toml_tables(path, ctx, "parameter", PARAMETER_KEYS):
        ident = item.get("id")
        if not is_parameter_id(ident):
            pctx.at("id").error(
                "id",
                ident if ident is not None else MISSING,
                "invalid parameter id" if ident is not None else "missing 'id'",
                f"ids match {PARAMETER_ID_PATTERN}, e.g. 'speed.road'",
                code="bad-id" if ident is not None else "missing-id",
            )
            ident = None
        c = pctx.about(ident)
        if ident is not None and ident in first:
            c.at("id").error(
                "id",
                ident,
                f"duplicate parameter id '{ident}' (first defined at {first[ident]})",
                "give each parameter a unique id",
                code="duplicate-id",
            )
            ident = None
        elif ident is not None:
            first[ident] = pctx.where
        unit = _unit(item, c)
        typical, low, high = (_number(item, k, unit, c) for k in ("typical", "low", "high"))
        if low is not None and high is not None and low > high:
            c.at("low").error(
                "low",
                low,
                f"low {low:g} is above high {high:g}",
                "swap them: low <= typical <= high",
                code="bad-range",
            )
            low = None
        elif (
            typical is not None
            and low is not None
            and high is not None
            and not low <= typical <= high
        ):
            c.at("typical").error(
                "typical",
                typical,
                f"typical {typical:g} is outside [{low:g}, {high:g}]",
                "widen the range or fix the typical value",
                code="typical-outside-range",
            )
            typical = None
        year = _year(item, c)
        applies = _applies_to(item, c, nodes, segments, corridors, borders, invalid)
        claimed = fields.flag(item, "claimed", c)
        note = fields.text(item, "note", c, required=False) or ""
        srcs = fields.sources(item, c)
        values = (ident, unit, typical, low, high, year, applies)
        if any(v is None for v in values) or not srcs or c.failed:
            failed = True
            continue
        assert ident is not None and unit is not None and year is not None  # for mypy
        assert typical is not None and low is not None and high is not None
        assert applies is not None
        params.append(
            CostParameter(
                id=ident,
                typical=typical,
                low=low,
                high=high,
                unit=unit,
                year=year,
                applies_to=applies,
                claimed=claimed,
                note=note,
                sources=srcs,
            )
        )
    if failed or ctx.failed:
        return Parsed(None, ctx.problems)
    return Parsed(CostTable(tuple(params)), ctx.problems)
