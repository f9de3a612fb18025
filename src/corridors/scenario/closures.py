"""Closures: what a scenario closes, and how a ``close`` item is read.

A ``close`` item is a sea passage (``"hormuz"``), an ISO3 country (``"AFG"``), a land border
(``"AFG-PAK"``) or a segment/node id, told apart by :func:`classify_closure`; the result is a
:class:`Closure`. Both are re-exported by :mod:`corridors.scenario.model`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from corridors.network.sea import normalise_passage
from corridors.scenario.costs import BORDER_RE, border_key
from corridors.scenario.problems import scenario_error, scenario_problem

__all__ = ["CLOSURE_KINDS", "ISO3_RE", "Closure", "classify_closure"]

#: An ISO3 country code, as closures take it.
ISO3_RE = re.compile(r"^[A-Z]{3}$")
#: The kinds of :class:`Closure`.
CLOSURE_KINDS = ("segment", "node", "border", "country", "passage", "id")


@dataclass(frozen=True)
class Closure:
    """One closure: ``kind`` (segment, node, border, country, passage; ``id`` = a segment
    or node id, decided against the atlas) and the normalised reference."""

    kind: str
    ref: str

    def __str__(self) -> str:
        return f"{self.kind} {self.ref}" if self.kind != "id" else self.ref


def classify_closure(ref: Any, *, file: str, where: str) -> Closure:
    """Turn a ``close`` item into a :class:`Closure` (passage, country, border or id)."""
    if not isinstance(ref, str) or not ref.strip():
        raise scenario_error(
            [
                scenario_problem(
                    file,
                    where,
                    ref,
                    "a closure must be a non-empty string",
                    "a passage ('hormuz'), an ISO3 country ('AFG'), a border ('AFG-PAK'), "
                    "or a segment/node id",
                    code="field-type",
                )
            ]
        )
    text = ref.strip()
    m = BORDER_RE.fullmatch(text)
    if m:
        return Closure("border", border_key(m.group(1), m.group(2)))
    if ISO3_RE.fullmatch(text):
        return Closure("country", text)
    key = normalise_passage(text)
    if key is not None:
        return Closure("passage", key)
    return Closure("id", text)
