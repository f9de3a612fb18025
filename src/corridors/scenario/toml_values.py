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
from corridors.model import date_span
from corridors.scenario.costs import BORDER_RE, border_key
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
        if 1 <= value <= 9999:
            return value
        problems.append(
            scenario_problem(file, "as_of", value, "year out of range", hint, code="bad-date")
        )
        return None
    if isinstance(value, str):
        text = value.strip()
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
            if not is_number(v):
                problems.append(type_problem(file, where, v, "a number of hours"))
            elif v < 0:
                problems.append(
                    scenario_problem(
                        file, where, v, f"{where} must be >= 0 hours", code="bad-number"
                    )
                )
            else:
                raw.costs[k] = (float(v), file, where)
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
                elif not is_number(vv):
                    problems.append(type_problem(file, w2, vv, "a speed in km/h"))
                elif vv <= 0:
                    problems.append(
                        scenario_problem(file, w2, vv, "speed must be > 0 km/h", code="bad-number")
                    )
                else:
                    raw.speeds[kk] = (float(vv), file, w2)
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
                elif not is_number(vv):
                    problems.append(type_problem(file, w2, vv, "a number of hours"))
                elif vv < 0:
                    problems.append(
                        scenario_problem(
                            file, w2, vv, "dwell must be >= 0 hours", code="bad-number"
                        )
                    )
                else:
                    raw.dwell[border_key(m.group(1), m.group(2))] = (float(vv), file, w2)


def is_number(v: Any) -> bool:
    """True for a finite int or float that is not a bool."""
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
