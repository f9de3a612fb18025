"""Exception hierarchy and the located ``Problem`` record used by every validator.

Every error raised by corridors for bad input is a :class:`CorridorsError`. Validators
collect :class:`Problem` records (file, place, entity id, field, value, message, hint)
and raise one :class:`GeodataError` listing all of them, so a user fixes a file in one go.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MISSING",
    "CorridorsError",
    "GeodataError",
    "InputFileError",
    "OptionError",
    "OutputError",
    "Problem",
    "RouteNotFound",
    "ScenarioError",
    "UnknownEntityError",
    "did_you_mean",
    "problem",
    "short_repr",
]


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file.

    Parameters
    ----------
    file : str
        Path of the file (as given or resolved), or ``"<memory>"``.
    where : str
        Place inside the file: a JSON pointer (``/features/3/properties/status``),
        a TOML key (``corridor[2].segments``) or ``line:col``.
    entity : str or None
        Id of the feature the problem belongs to, when known.
    field : str or None
        Name of the offending field.
    value : str or None
        ``repr`` of the offending value (truncated).
    message : str
        What is wrong.
    hint : str or None
        What to do about it.
    severity : {"error", "warning"}
        Warnings are reported but do not fail validation.
    code : str
        Short stable code, e.g. ``"coord-lat-range"``; tests assert on it.
    """

    file: str
    where: str
    entity: str | None
    field: str | None
    value: str | None
    message: str
    hint: str | None = None
    severity: str = "error"
    code: str = "invalid"

    def format(self) -> str:
        """Return a one-line, human-readable description of the problem."""
        loc = self.file + (f" {self.where}" if self.where else "")
        parts = [f"{loc}: {self.severity}: {self.message}"]
        detail = []
        if self.entity is not None:
            detail.append(f"id={self.entity!s}")
        if self.field is not None:
            detail.append(f"field={self.field}")
        if self.value is not None:
            detail.append(f"value={self.value}")
        if detail:
            parts.append(" [" + ", ".join(detail) + "]")
        if self.hint:
            parts.append(f" hint: {self.hint}")
        parts.append(f" ({self.code})")
        return "".join(parts)


class _Missing:
    """Type of :data:`MISSING` (one instance)."""

    def __repr__(self) -> str:
        return "(missing)"


#: The one "no value" sentinel of the validators: a problem about a field that is absent
#: passes ``value=MISSING`` and its :attr:`Problem.value` is ``None`` (``None`` itself is a
#: value, shown as ``None``).
MISSING: Any = _Missing()


def problem(
    file: str,
    where: str,
    message: str,
    hint: str | None = None,
    *,
    code: str,
    entity: str | None = None,
    field: str | None = None,
    value: object = MISSING,
    severity: str = "error",
) -> Problem:
    """Build a :class:`Problem`; the one builder every validator uses.

    ``value`` is shown as its (shortened) ``repr``; :data:`MISSING` shows no value.

    Examples
    --------
    >>> problem("nodes.geojson", "/features/0", "bad", code="x", value="a b").format()
    "nodes.geojson /features/0: error: bad [value='a b'] (x)"
    >>> problem("s.toml", "", "empty", code="empty-file").value is None
    True
    """
    shown = None if value is MISSING else short_repr(value)
    return Problem(file, where, entity, field, shown, message, hint, severity=severity, code=code)


def short_repr(value: object, limit: int = 80) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters for error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def did_you_mean(value: str, candidates: Iterable[str], *, n: int = 1) -> str | None:
    """Suggest the closest candidate(s) to ``value`` as ``"did you mean 'x'?"``, or ``None``."""
    pool = sorted(set(candidates))
    matches = difflib.get_close_matches(str(value), pool, n=n, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        hit = lowered.get(str(value).lower())
        matches = [hit] if hit else []
    if not matches:
        return None
    return "did you mean " + " or ".join(f"'{m}'" for m in matches) + "?"


class CorridorsError(Exception):
    """Base class of every error corridors raises for bad input or impossible requests."""


class GeodataError(CorridorsError, ValueError):
    """Geodata (or another structured input) failed validation.

    Parameters
    ----------
    problems : sequence of Problem
        Every problem found; warnings may be included but at least one is an error.
    """

    def __init__(self, problems: Sequence[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        head = f"{len(errors)} problem(s) found"
        lines = [p.format() for p in self.problems]
        super().__init__(head + ":\n" + "\n".join("  " + line for line in lines))


class InputFileError(CorridorsError, OSError):
    """An input file is missing, unreadable, too large or of the wrong kind."""


class OptionError(CorridorsError, ValueError):
    """A command-line option or function argument has a value that is not allowed."""


class OutputError(CorridorsError, OSError):
    """An output cannot be written (exists, bad directory, bad extension, same as an input)."""


class UnknownEntityError(CorridorsError, LookupError):
    """A node, segment, corridor, platform or country id/name is not known."""


class ScenarioError(CorridorsError, ValueError):
    """A scenario file or object is invalid.

    Attributes
    ----------
    problems : tuple of Problem
        The located problems, when the error was built from them (else empty).
    """

    problems: tuple[Problem, ...] = ()


class RouteNotFound(CorridorsError, LookupError):  # noqa: N818 - name used by the catalogue
    """No path exists between two places in a scenario."""
