"""Checks of a scenario's own fields, independent of any atlas.

:class:`~corridors.scenario.model.Scenario` runs :func:`field_problems` when it is built (from
TOML or the builder): the status threshold, ``as_of``, the reopened targets,
``circuity_warn`` and the modes. Each problem names the file and TOML key (or builder call)
that set the value, through :meth:`~corridors.scenario.model.Scenario.where_of`. References
to atlas entities are checked later, by :func:`corridors.scenario.resolve.resolve_scenario`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from corridors.errors import Problem
from corridors.io.numbers import safe_value
from corridors.model import date_span
from corridors.scenario.problems import allowed_hint, scenario_problem
from corridors.vocab import MODES, STATUS_RANK

#: Largest circuity_warn accepted (a route 100 times the great circle is no threshold).
CIRCUITY_WARN_MAX = 100.0

if TYPE_CHECKING:
    from corridors.scenario.model import Scenario

__all__ = ["THRESHOLDS", "as_of_problem", "field_problems"]

#: Status thresholds accepted by ``status``.
THRESHOLDS: tuple[str, ...] = tuple(s for s, r in STATUS_RANK.items() if r is not None)


def field_problems(s: Scenario) -> list[Problem]:
    """Every problem of ``s``'s status, ``as_of``, reopened targets, ``circuity_warn`` and
    modes, in that order (empty when they are all valid).

    Examples
    --------
    >>> from corridors.scenario.model import Scenario
    >>> field_problems(Scenario.today())
    []
    """
    probs: list[Problem] = []
    if s.status not in THRESHOLDS:
        w = s.where_of("status", s.status, "status")
        probs.append(
            scenario_problem(
                w[0],
                w[1],
                s.status,
                f"unknown status threshold {s.status!r}",
                allowed_hint(s.status, THRESHOLDS),
                code="bad-status",
            )
        )
    if s.as_of is not None:
        problem = as_of_problem(s.as_of)
        if problem is not None:
            w = s.where_of("as_of", str(s.as_of), "as_of")
            probs.append(
                scenario_problem(
                    w[0],
                    w[1],
                    s.as_of,
                    problem,
                    'a year (2030) or a date string ("2023-06", "2023-06-01")',
                    code="bad-date",
                )
            )
    for ref in s.reopened:
        if not isinstance(ref, str) or not ref.strip():
            w = s.where_of("reopen", str(ref), "reopen")
            probs.append(
                scenario_problem(
                    w[0],
                    w[1],
                    ref,
                    "a reopened target must be a non-empty string",
                    "e.g. 'border:AFG-PAK', 'passage:hormuz' or an event id",
                    code="field-type",
                )
            )
    cw = s.circuity_warn
    # ints are finite (math.isfinite(10**400) would raise OverflowError)
    if (
        isinstance(cw, bool)
        or not isinstance(cw, int | float)
        or not (isinstance(cw, int) or math.isfinite(cw))
    ):
        w = s.where_of("circuity_warn", str(cw), "circuity_warn")
        probs.append(
            scenario_problem(
                w[0],
                w[1],
                cw,
                "circuity_warn must be a finite number",
                "e.g. circuity_warn = 2.0 (no quotes)",
                code="field-type",
            )
        )
    elif cw < 1.0:
        w = s.where_of("circuity_warn", str(cw), "circuity_warn")
        probs.append(
            scenario_problem(
                w[0],
                w[1],
                cw,
                "circuity_warn must be >= 1 (a route is never shorter than the great circle)",
                "e.g. circuity_warn = 2.0",
                code="bad-number",
            )
        )
    elif cw > CIRCUITY_WARN_MAX:
        w = s.where_of("circuity_warn", str(safe_value(cw)), "circuity_warn")
        probs.append(
            scenario_problem(
                w[0],
                w[1],
                safe_value(cw),
                f"circuity_warn must be in [1, {CIRCUITY_WARN_MAX:g}]",
                "e.g. circuity_warn = 2.0",
                code="bad-number",
            )
        )
    for m in s.modes:
        if m not in MODES:
            w = s.where_of("modes", m, "modes")
            probs.append(
                scenario_problem(
                    w[0],
                    w[1],
                    m,
                    f"unknown mode {m!r}",
                    allowed_hint(m, MODES),
                    code="bad-mode",
                )
            )
    return probs


def as_of_problem(value: Any) -> str | None:
    """Why ``value`` is not a scenario date (a year or ``YYYY[-MM[-DD]]``), else ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return f"as_of must be a year or a date string, got {type(value).__name__}"
    if isinstance(value, int):
        return None if 1 <= value <= 9999 else f"year out of range: {value}"
    try:
        date_span(value.strip())
    except ValueError as exc:
        return str(exc)
    return None
