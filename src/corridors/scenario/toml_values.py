"""The scenario TOML keys and the checking and coercion of their values.

The key tables (:data:`TOP_KEYS`, :data:`CLOSURE_KEYS`, :data:`COST_KEYS`, :data:`ADD_KEYS`)
say what a scenario file may hold; :func:`check_list`, :func:`as_of_value` and
:func:`read_cost` turn the raw TOML values into checked ones, recording every problem with
the file, the key and a hint. :mod:`corridors.scenario.toml` reads the files and their
includes into a :class:`RawScenario` with these.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from corridors.errors import Problem
from corridors.io.numbers import NumberError, parse_number, safe_value
from corridors.model import date_span
from corridors.scenario.costs import BORDER_RE, HOURS_RANGE, SPEED_KMH_RANGE, border_key
from corridors.scenario.problems import allowed_hint, scenario_problem, unknown_key_problem
from corridors.vocab import MODES

__all__ = [
    "ADD_KEYS",
    "CLOSURE_KEYS",
    "COST_KEYS",
    "TOP_KEYS",
    "TYPE_NAMES",
    "RawScenario",
    "as_of_value",
    "check_list",
    "cost_number",
    "is_number",
    "read_cost",
    "type_problem",
]

#: Top-level keys and what each holds: Python types, or "list[str]", "date", "table".
TOP_KEYS: dict[str, tuple[type, ...] | str] = {
    "name": (str,),
    "description": (str,),
    "include": "list[str]",
    "status": (str,),
    "as_of": "date",
    "include_suspended": (bool,),
    "ignore_events": (bool,),
    "reopen": "list[str]",
    "modes": "list[str]",
    "corridors": "list[str]",
    "platforms": "list[str]",
    "segments": "list[str]",
    "open": "list[str]",
    "close": "list[str]",
    "closures": "table",
    "cost": "table",
    "add": "table",
    "circuity_warn": (float, int),
}
#: Keys of the ``[closures]`` table.
CLOSURE_KEYS = ("segments", "nodes", "borders", "countries", "passages")
#: Keys of the ``[cost]`` table: ``"number"`` (hours) or ``"table"``.
COST_KEYS: dict[str, str] = {
    "speed_kmh": "table",
    "transfer_h": "number",
    "border_dwell_h": "number",
    "border_dwell_h_by_border": "table",
    "break_of_gauge_h": "number",
}
#: Array-of-tables keys of ``[add]``.
ADD_KEYS = ("node", "segment")
#: How a message names an expected scalar type.
TYPE_NAMES = {
    str: "a string",
    int: "an integer (year)",
    bool: "true or false",
    float: "a number",
}


@dataclass
@dataclass
class RawScenario:
    """Merged raw values with provenance, built while reading includes."""

    scalars: dict[str, tuple[Any, str, str]] = field(default_factory=dict)
    lists: dict[str, list[tuple[Any, str, str]]] = field(default_factory=dict)
    costs: dict[str, tuple[Any, str, str]] = field(default_factory=dict)
    speeds: dict[str, tuple[Any, str, str]] = field(default_factory=dict)
    dwell: dict[str, tuple[Any, str, str]] = field(default_factory=dict)
    additions: list[tuple[str, dict[str, Any], str, str]] = field(default_factory=list)
    #: files read so far (the top file and every include, repeats counted) and their bytes
    files_read: int = 0
    bytes_read: int = 0
    #: set once the read budget is exhausted, so the problem is reported once
    over_budget: bool = False


def type_problem(
    file: str, where: str, value: Any, expected: str, hint: str | None = None
) -> Problem:
    """A ``field-type`` problem: ``where`` must be ``expected``, not the type of ``value``."""
    return scenario_problem(
        file,
        where,
        value,
        f"'{where}' must be {expected}, not {type(value).__name__}",
        hint,
        code="field-type",
    )


def check_list(
    value: Any, *, file: str, where: str, problems: list[Problem], example: str
) -> list[str] | None:
    """``value`` as a list of stripped non-empty strings, else ``None`` and a problem."""
    if not isinstance(value, list):
        problems.append(
            type_problem(
                file,
                where,
                value,
                "a list of strings",
                f"write {where.rsplit('.', 1)[-1]} = [{example}]",
            )
        )
        return None
    out = []
    for i, v in enumerate(value):
        if not isinstance(v, str) or not v.strip():
            problems.append(type_problem(file, f"{where}[{i}]", v, "a non-empty string"))
            return None
        out.append(v.strip())
    return out


def as_of_value(value: Any, *, file: str, problems: list[Problem]) -> int | str | None:
    """``as_of``: a year (int), a ``"YYYY[-MM[-DD]]"`` string or a TOML date, else a problem."""
    hint = 'write a year (as_of = 2030) or a date in quotes (as_of = "2023-06-01")'
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return int(parse_number(value, field="as_of", lo=1, hi=9999, integer=True))
        except NumberError as exc:
            problems.append(
                scenario_problem(
                    file, "as_of", safe_value(value), f"year {exc.reason}", hint, code="bad-date"
                )
            )
            return None
    if isinstance(value, str):
        text = value.strip()
        if text != value:  # matched whole: "2023-01-01\n" is not a date
            problems.append(
                scenario_problem(
                    file,
                    "as_of",
                    value,
                    "date has spaces or a line break around it",
                    hint,
                    code="bad-date",
                )
            )
            return None
        try:
            date_span(text)
        except ValueError as exc:
            problems.append(scenario_problem(file, "as_of", value, str(exc), hint, code="bad-date"))
            return None
        return text
    problems.append(type_problem(file, "as_of", value, "a year or a date", hint))
    return None


def read_cost(
    value: dict[str, Any], *, file: str, raw: RawScenario, problems: list[Problem]
) -> None:
    """Check a ``[cost]`` table and record its valid entries in ``raw`` (with provenance)."""
    for k, v in value.items():
        where = f"cost.{k}"
        if k not in COST_KEYS:
            problems.append(unknown_key_problem(file, where, k, COST_KEYS))
            continue
        if COST_KEYS[k] == "number":
            hours = cost_number(v, file=file, where=where, problems=problems)
            if hours is not None:
                raw.costs[k] = (hours, file, where)
            continue
        if not isinstance(v, dict):
            problems.append(type_problem(file, where, v, f"a table ([{where}])"))
            continue
        for kk, vv in v.items():
            w2 = f"{where}.{kk}"
            if k == "speed_kmh":
                if kk not in MODES:
                    problems.append(
                        scenario_problem(
                            file,
                            w2,
                            kk,
                            f"unknown mode {kk!r}",
                            allowed_hint(kk, MODES),
                            code="bad-mode",
                        )
                    )
                else:
                    speed = cost_number(vv, file=file, where=w2, problems=problems, speed=True)
                    if speed is not None:
                        raw.speeds[kk] = (speed, file, w2)
            else:
                m = BORDER_RE.fullmatch(str(kk))
                if not m:
                    problems.append(
                        scenario_problem(
                            file,
                            w2,
                            kk,
                            "border keys are two ISO3 codes",
                            'e.g. "AFG-PAK" = 48',
                            code="bad-border",
                        )
                    )
                else:
                    hours = cost_number(vv, file=file, where=w2, problems=problems)
                    if hours is not None:
                        raw.dwell[border_key(m.group(1), m.group(2))] = (hours, file, w2)


def cost_number(
    v: Any, *, file: str, where: str, problems: list[Problem], speed: bool = False
) -> float | None:
    """A speed (km/h) or a number of hours through :func:`~corridors.io.numbers.parse_number`.

    Not a number → a ``field-type`` problem; non-finite, huge (``10**400``) or out of
    :data:`~corridors.scenario.costs.SPEED_KMH_RANGE` / ``HOURS_RANGE`` → ``bad-number``.
    """
    if isinstance(v, bool) or not isinstance(v, int | float):
        problems.append(
            type_problem(file, where, v, "a speed in km/h" if speed else "a number of hours")
        )
        return None
    lo, hi = SPEED_KMH_RANGE if speed else HOURS_RANGE
    try:
        return parse_number(v, field=where, lo=lo, hi=hi, unit="km/h" if speed else "hours")
    except NumberError as exc:
        problems.append(
            scenario_problem(file, where, safe_value(v), exc.reason, exc.hint, code="bad-number")
        )
        return None


def is_number(v: Any) -> bool:
    """True for a finite int or float that is not a bool (huge ints are not finite floats)."""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:
        return False
