"""Closures: what a scenario closes, and how a ``close`` item is read.

A ``close`` item is a sea passage (``"hormuz"``), an ISO3 country (``"AFG"``), a land border
(``"AFG-PAK"``) or a segment/node id, told apart by :func:`classify_closure`; the result is a
:class:`Closure`. Both are re-exported by :mod:`corridors.scenario.model`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corridors.network.sea import normalise_passage
from corridors.scenario.costs import BORDER_RE, border_key
from corridors.scenario.problems import scenario_error, scenario_problem

if TYPE_CHECKING:  # pragma: no cover
    from corridors.scenario.model import Scenario

__all__ = [
    "CLOSE_TAGS",
    "CLOSURE_KINDS",
    "ISO3_RE",
    "Closure",
    "classify_closure",
    "with_close_items",
]

#: An ISO3 country code, as closures take it.
ISO3_RE = re.compile(r"^[A-Z]{3}$")
#: The kinds of :class:`Closure`.
CLOSURE_KINDS = ("segment", "node", "border", "country", "passage", "id")
#: Prefixes of a tagged close item (``corridors route --close``, the atlas page's lab).
CLOSE_TAGS = ("segment", "node", "border", "country", "passage")


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


def with_close_items(scenario: Scenario, items: Iterable[str]) -> Scenario:
    """``scenario`` with close items added: tagged (``segment:ID``, ``node:ID``,
    ``border:AAA-BBB``, ``country:AAA``, ``passage:NAME``; the page's lab writes these) or
    bare, read as a scenario's ``close`` list reads them (:func:`classify_closure`).
    Passage names take the same aliases (``ormuz``, ``Bab-el-Mandeb``); border and country
    codes may be lower case. Unknown ids fail when the scenario is resolved, with a
    did-you-mean hint.

    Examples
    --------
    >>> from corridors.scenario.model import Scenario
    >>> s = with_close_items(Scenario.full_vision(), ["border:pak-afg", "passage:Ormuz", "AFG"])
    >>> [str(c) for c in s.closures]
    ['border AFG-PAK', 'passage hormuz', 'country AFG']
    """
    out = scenario
    for item in items:
        kind, sep, ref = item.partition(":")
        kind, ref = kind.strip(), ref.strip()
        if not sep or kind not in CLOSE_TAGS:
            out = out.close(item)
        elif kind == "segment":
            out = out.close_segment(ref)
        elif kind == "node":
            out = out.close_node(ref)
        elif kind == "border":
            out = out.close_border(ref)
        elif kind == "country":
            out = out.close_country(ref)
        else:
            out = out.close_passage(ref)
    return out
