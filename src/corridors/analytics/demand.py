"""Reading and checking a demand file (``DEMAND.toml``): an OD table of tonnes per year.

Layout::

    scenario = "today"          # optional: a bundled name or a scenario file
    by = "hours"                # optional: hours | usd | co2 | generalized (what routes minimise)

    [[flow]]
    origin = "Kashgar"          # node id or name
    destination = "Baku"
    tonnes_per_year = 500000    # > 0 and at most MAX_TONNES_PER_YEAR
    note = "optional text"

Every problem is reported at once, each located at its TOML key (``flow[2].origin``) with
the value and a hint: unknown keys and places get "did you mean", a negative, zero,
non-finite or absurd tonnage is refused, as are a flow from a place to itself, the same
origin-destination pair twice and a file without flows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from corridors.errors import (
    MISSING,
    GeodataError,
    Problem,
    UnknownEntityError,
    did_you_mean,
    problem,
)
from corridors.io.numbers import NumberError, parse_number, safe_value
from corridors.io.read import read_toml
from corridors.model import Atlas
from corridors.network.places import find_node

__all__ = ["BY", "MAX_FLOWS", "MAX_TONNES_PER_YEAR", "Demand", "Flow", "load_demand"]

#: Largest tonnage of one flow: 2,000 Mt/yr, several times the world's busiest corridors
#: (above it is a typo: kg instead of t, extra zeros).
MAX_TONNES_PER_YEAR = 2.0e9
#: Most flows a file may hold (each is a full route search).
MAX_FLOWS = 10_000
#: What routes may minimise.
BY = ("hours", "usd", "co2", "generalized")
_TOP_KEYS = ("scenario", "by", "flow")
_FLOW_KEYS = ("origin", "destination", "tonnes_per_year", "note")


@dataclass(frozen=True)
class Flow:
    """One OD flow: node ids and tonnes per year."""

    origin: str
    destination: str
    tonnes_per_year: float
    note: str = ""


@dataclass(frozen=True)
class Demand:
    """A checked demand table."""

    flows: tuple[Flow, ...]
    scenario: str | None = None
    by: str = "hours"
    source: str = "<memory>"


def load_demand(
    path: str | os.PathLike[str] | Mapping[str, Any], atlas: Atlas, *, name: str | None = None
) -> Demand:
    """Read and check a demand file (or an already-parsed mapping) against ``atlas``.

    Raises
    ------
    GeodataError
        Listing every problem, each at its key, with the value and a hint.
    InputFileError
        Missing or unreadable file.
    """
    if isinstance(path, Mapping):
        data, fname = dict(path), name or "<demand>"
    else:
        fname = str(path)
        data = read_toml(path, allow_empty=False)
    probs: list[Problem] = []

    def err(where: str, field: str | None, value: object, msg: str, hint: str, code: str) -> None:
        probs.append(
            problem(fname, where, msg, hint, code=code, field=field, value=safe_value(value))
        )

    for k in data:
        if k not in _TOP_KEYS:
            err(k, k, MISSING, f"unknown key '{k}'",
                did_you_mean(k, _TOP_KEYS) or "allowed: " + ", ".join(_TOP_KEYS),
                "unknown-key")  # fmt: skip
    scen = data.get("scenario")
    if scen is not None and not isinstance(scen, str):
        err("scenario", "scenario", scen, "'scenario' must be a string",
            'a bundled name or a file, e.g. scenario = "today"', "field-type")  # fmt: skip
        scen = None
    by = data.get("by", "hours")
    if by not in BY:
        err("by", "by", by, f"'by' must be one of {', '.join(BY)}",
            did_you_mean(str(by), BY) or 'e.g. by = "hours"', "bad-by")  # fmt: skip
        by = "hours"
    raw = data.get("flow")
    flows: list[Flow] = []
    if raw is None or (isinstance(raw, list) and not raw):
        err("flow", "flow", MISSING, "no [[flow]] tables",
            'add [[flow]] with origin, destination and tonnes_per_year', "no-flows")  # fmt: skip
        raw = []
    elif not isinstance(raw, list) or not all(isinstance(x, Mapping) for x in raw):
        err("flow", "flow", raw, "'flow' must be an array of tables",
            "write each flow as [[flow]]", "field-type")  # fmt: skip
        raw = []
    elif len(raw) > MAX_FLOWS:
        err("flow", "flow", len(raw), f"{len(raw)} flows, more than {MAX_FLOWS}",
            "split the file or aggregate flows", "too-many-flows")  # fmt: skip
        raw = []
    seen: dict[tuple[str, str], int] = {}
    for i, item in enumerate(raw):
        at = f"flow[{i}]"
        for k in item:
            if k not in _FLOW_KEYS:
                err(f"{at}.{k}", k, MISSING, f"unknown key '{k}'",
                    did_you_mean(k, _FLOW_KEYS) or "allowed: " + ", ".join(_FLOW_KEYS),
                    "unknown-key")  # fmt: skip
        ends: list[str | None] = []
        for k in ("origin", "destination"):
            ends.append(_place(item, k, f"{at}.{k}", atlas, err))
        t = _tonnes(item, f"{at}.tonnes_per_year", err)
        note = item.get("note", "")
        if not isinstance(note, str):
            err(f"{at}.note", "note", note, "'note' must be a string", "quote the text",
                "field-type")  # fmt: skip
            note = ""
        o, d = ends
        if o is None or d is None or t is None:
            continue
        if o == d:
            err(f"{at}.destination", "destination", item.get("destination"),
                f"origin and destination are the same place ({o})",
                "a flow goes between two different places", "same-place")  # fmt: skip
            continue
        if (o, d) in seen:
            err(at, None, f"{o} -> {d}",
                f"the pair {o} -> {d} is already given at flow[{seen[(o, d)]}]",
                "give each origin-destination pair once (add the tonnages)",
                "duplicate-flow")  # fmt: skip
            continue
        seen[(o, d)] = i
        flows.append(Flow(o, d, t, note))
    if probs:
        raise GeodataError(probs)
    return Demand(tuple(flows), scen, str(by), fname)


def _place(item: Mapping[str, Any], key: str, where: str, atlas: Atlas, err: Any) -> str | None:
    v = item.get(key)
    if v is None:
        err(where, key, MISSING, f"missing '{key}'", "a node id or name, e.g. \"Kashgar\"",
            "missing-field")  # fmt: skip
        return None
    if not isinstance(v, str):
        err(where, key, v, f"'{key}' must be a string", "quote the place name", "field-type")
        return None
    try:
        return find_node(atlas, v)
    except UnknownEntityError as exc:
        msg = str(exc)
        head, _, hint = msg.partition("; hint: ")
        err(where, key, v, head, hint or "use a node id or name of the atlas", "unknown-place")
        return None


def _tonnes(item: Mapping[str, Any], where: str, err: Any) -> float | None:
    v = item.get("tonnes_per_year")
    if v is None:
        err(where, "tonnes_per_year", MISSING, "missing 'tonnes_per_year'",
            "tonnes per year, e.g. tonnes_per_year = 250000", "missing-field")  # fmt: skip
        return None
    try:
        return parse_number(
            v, field="tonnes_per_year", lo=0.0, hi=MAX_TONNES_PER_YEAR, lo_open=True, unit="t/yr"
        )
    except NumberError as exc:
        code = (
            "bad-tonnes" if isinstance(v, int | float) and not isinstance(v, bool) else "field-type"
        )
        err(where, "tonnes_per_year", v, exc.reason, exc.hint, code)
        return None
