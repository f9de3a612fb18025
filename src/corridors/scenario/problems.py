"""Scenario problems: the one builder of a scenario :class:`~corridors.errors.Problem`,
the :class:`~corridors.errors.ScenarioError` that lists them, and the shared hints."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from corridors.errors import Problem, ScenarioError, did_you_mean, short_repr

__all__ = [
    "BUILDER",
    "NO_VALUE",
    "allowed_hint",
    "scenario_error",
    "scenario_problem",
    "unknown_key_problem",
]

#: The "file" of problems raised by the fluent Python builder.
BUILDER = "<python>"


class _NoValue:
    """The type of :data:`NO_VALUE`."""


#: Passed as ``value`` when a problem has no value to show (e.g. an empty file).
NO_VALUE: Any = _NoValue()


def scenario_error(problems: Sequence[Problem]) -> ScenarioError:
    """A :class:`ScenarioError` listing ``problems`` (kept on ``.problems``)."""
    probs = tuple(problems)
    if len(probs) == 1:
        text = probs[0].format()
    else:
        text = f"{len(probs)} problem(s) in scenario:\n" + "\n".join(
            "  " + p.format() for p in probs
        )
    exc = ScenarioError(text)
    exc.problems = probs
    return exc


def scenario_problem(
    file: str,
    where: str,
    value: Any,
    message: str,
    hint: str | None = None,
    *,
    code: str,
    entity: str | None = None,
) -> Problem:
    """A scenario problem at ``file``/``where`` (a TOML key path, or a builder call).

    The field is the last key of ``where``; ``value`` is shown shortened (:data:`NO_VALUE`
    for none).
    """
    return Problem(
        file,
        where,
        entity,
        where.rsplit(".", 1)[-1].split("[")[0] if where else None,
        None if value is NO_VALUE else short_repr(value),
        message,
        hint,
        code=code,
    )


def allowed_hint(value: Any, allowed: Sequence[str]) -> str:
    """A hint listing ``allowed``, led by a did-you-mean guess for ``value`` when close."""
    guess = did_you_mean(str(value), allowed) if isinstance(value, str) else None
    listing = "allowed: " + ", ".join(allowed)
    return f"{guess} {listing}" if guess else listing


def unknown_key_problem(file: str, where: str, key: str, allowed: Iterable[str]) -> Problem:
    """An ``unknown-key`` problem for ``key``, with a did-you-mean and the allowed keys."""
    allowed = list(allowed)
    guess = did_you_mean(key, allowed)
    return scenario_problem(
        file,
        where,
        key,
        f"unknown key {key!r}",
        (guess + " " if guess else "") + "allowed keys: " + ", ".join(allowed),
        code="unknown-key",
    )
