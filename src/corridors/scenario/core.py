"""Scenarios: which corridors are built, what is closed, what things cost.

A :class:`Scenario` is an immutable description (no atlas inside): a selection of
corridors / platforms / segments, a status threshold and/or an ``as_of`` year, closures
(segments, nodes, borders, countries, sea passages), additions (user nodes and segments)
and cost parameters. It is read from TOML (:func:`load_scenario`) or built fluently::

    Scenario.full_vision().close_passage("hormuz").close_country("AFG").with_speed(rail=40)

Every method returns a new scenario. References to atlas entities are checked when the
scenario is applied to an atlas (:func:`resolve_scenario`), and every problem is reported
with the file, the TOML key, the bad value and a hint.

Cost defaults are assumptions, not measurements (no CAREC CPMM figures were at hand):

* speeds, km/h: rail 40, road 50, sea 28 (~15 knots), ferry 20 (air 700; pipeline and power
  line are not routed unless asked for) — average commercial speeds including stops;
* ``transfer_h`` = 12 h per change of mode, and per change of vessel at a port;
* ``border_dwell_h`` = 12 h per *land* border crossing, overridable per border
  (``[cost.border_dwell_h_by_border] "AFG-PAK" = 48``); ADB CAREC's Corridor Performance
  Measurement and Monitoring (CPMM) publishes measured crossing times per border: use them
  there. Maritime country changes carry no border dwell (port handling is ``transfer_h``);
* ``break_of_gauge_h`` = 6 h per change of rail gauge (1,676 mm Pakistan; 1,520 mm Central
  Asia, Caucasus, Russia; 1,435 mm Iran, Türkiye, China), e.g. at Zahedan or Akhalkalaki.

TOML layout (every key optional)::

    include = ["base.toml"]        # relative, inside this file's folder; depth <= 8
    name = "my-scenario"
    description = "..."
    status = "under_construction"  # operational | under_construction | planned | proposed
    as_of = 2030                   # statuses from each segment's history at that year
    include_suspended = false      # also suspended / cancelled segments
    modes = ["rail", "road", "sea", "ferry"]
    corridors = ["w-cpec-plus"]    # selection (a corridor includes its children)
    platforms = ["aze-3plus3"]     # the corridors whose platform is this one
    segments = ["mc-btk"]          # single segments (status threshold still applies)
    open = ["zz-tripp-arm"]        # included whatever their status or the selection
    close = ["hormuz", "AFG", "AFG-PAK", "iti-irn", "torkham"]
    [closures]                     # the same, typed
    segments = [], nodes = [], borders = [], countries = [], passages = []
    [cost]
    transfer_h = 12
    border_dwell_h = 12
    break_of_gauge_h = 6
    [cost.speed_kmh]
    rail = 40
    [cost.border_dwell_h_by_border]
    "AFG-PAK" = 48
    [[add.node]]                   # same fields as nodes.geojson, coordinates = [lon, lat]
    [[add.segment]]                # same fields as segments.geojson (coordinates optional)

Included files are read first; the including file's scalars and cost entries override
theirs, and its lists (selection, open, close, additions) extend theirs.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from corridors.errors import (
    GeodataError,
    Problem,
    ScenarioError,
    UnknownEntityError,
    did_you_mean,
    short_repr,
)
from corridors.html import esc
from corridors.io.read import read_toml
from corridors.model import Atlas
from corridors.network.sea import PASSAGES, normalise_passage, passage_hint
from corridors.vocab import MODES, STATUS_RANK

__all__ = [
    "DEFAULT_MODES",
    "DEFAULT_SPEED_KMH",
    "Closure",
    "CostModel",
    "ResolvedScenario",
    "Scenario",
    "bundled_scenario",
    "bundled_scenario_names",
    "load_scenario",
    "resolve_scenario",
    "scenario_from_arg",
]

#: Modes routed by default: freight carriers. Pipelines, power lines and air are opt-in.
DEFAULT_MODES: tuple[str, ...] = ("rail", "road", "sea", "ferry")

#: Default average commercial speeds, km/h, including stops (assumptions, see docs).
DEFAULT_SPEED_KMH: dict[str, float] = {
    "rail": 40.0,
    "road": 50.0,
    "sea": 28.0,  # ~15 knots
    "ferry": 20.0,
    "air": 700.0,
    "pipeline": 10.0,
    "power_line": 1000.0,
}
#: Default hours per mode change or port transshipment (assumption).
DEFAULT_TRANSFER_H = 12.0
#: Default hours per land border crossing (assumption; override per border).
DEFAULT_BORDER_DWELL_H = 12.0
#: Default hours per break of gauge (bogie exchange or transshipment; assumption).
DEFAULT_BREAK_OF_GAUGE_H = 6.0
#: Maximum include depth.
MAX_INCLUDE_DEPTH = 8
#: Status thresholds accepted by ``status``.
THRESHOLDS: tuple[str, ...] = tuple(s for s, r in STATUS_RANK.items() if r is not None)

_ISO3_RE = re.compile(r"^[A-Z]{3}$")
_BORDER_RE = re.compile(r"^([A-Z]{3})\s*[-|/]\s*([A-Z]{3})$")
_BUILDER = "<python>"
CLOSURE_KINDS = ("segment", "node", "border", "country", "passage", "id")


# --------------------------------------------------------------------------- errors
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
    exc.problems = probs  # type: ignore[attr-defined]
    return exc


def _problem(
    file: str,
    where: str,
    value: Any,
    message: str,
    hint: str | None = None,
    *,
    code: str,
    entity: str | None = None,
) -> Problem:
    return Problem(
        file,
        where,
        entity,
        where.rsplit(".", 1)[-1].split("[")[0] if where else None,
        None if value is _NOVALUE else short_repr(value),
        message,
        hint,
        code=code,
    )


class _NoValue:
    pass


_NOVALUE: Any = _NoValue()


# --------------------------------------------------------------------------- parts
@dataclass(frozen=True)
class Closure:
    """One closure: ``kind`` (segment, node, border, country, passage; ``id`` = a segment
    or node id, decided against the atlas) and the normalised reference."""

    kind: str
    ref: str

    def __str__(self) -> str:
        return f"{self.kind} {self.ref}" if self.kind != "id" else self.ref


@dataclass(frozen=True)
class CostModel:
    """Cost parameters of a scenario.

    Attributes
    ----------
    speed_kmh : tuple of (mode, float)
        Average speed per mode, km/h (> 0).
    transfer_h : float
        Hours per change of mode, and per change of vessel at a port (>= 0).
    border_dwell_h : float
        Hours per land border crossing (>= 0).
    border_dwell_h_by_border : tuple of (str, float)
        Overrides per border, keyed ``"AAA-BBB"`` (ISO3 codes sorted).
    break_of_gauge_h : float
        Hours per change of rail gauge (>= 0).
    """

    speed_kmh: tuple[tuple[str, float], ...] = tuple(DEFAULT_SPEED_KMH.items())
    transfer_h: float = DEFAULT_TRANSFER_H
    border_dwell_h: float = DEFAULT_BORDER_DWELL_H
    border_dwell_h_by_border: tuple[tuple[str, float], ...] = ()
    break_of_gauge_h: float = DEFAULT_BREAK_OF_GAUGE_H

    def speed(self, mode: str) -> float:
        """Speed of ``mode`` in km/h."""
        return dict(self.speed_kmh).get(mode, DEFAULT_SPEED_KMH.get(mode, 30.0))

    def dwell_h(self, a: str, b: str) -> float:
        """Hours to cross the land border between ISO3 ``a`` and ``b``."""
        key = border_key(a, b)
        return dict(self.border_dwell_h_by_border).get(key, self.border_dwell_h)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (TOML ``[cost]`` layout)."""
        return {
            "speed_kmh": dict(self.speed_kmh),
            "transfer_h": self.transfer_h,
            "border_dwell_h": self.border_dwell_h,
            "border_dwell_h_by_border": dict(self.border_dwell_h_by_border),
            "break_of_gauge_h": self.break_of_gauge_h,
        }


def border_key(a: str, b: str) -> str:
    """Canonical ``"AAA-BBB"`` key of a border (codes sorted)."""
    x, y = sorted((a, b))
    return f"{x}-{y}"


def _check_hours(value: Any, what: str, *, allow_zero: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise scenario_error(
            [
                _problem(
                    _BUILDER,
                    what,
                    value,
                    f"{what} must be a finite number",
                    "write a number without quotes",
                    code="field-type",
                )
            ]
        )
    if value < 0 or (value == 0 and not allow_zero):
        raise scenario_error(
            [
                _problem(
                    _BUILDER,
                    what,
                    value,
                    f"{what} must be {'>= 0' if allow_zero else '> 0'}",
                    code="bad-number",
                )
            ]
        )
    return float(value)


# --------------------------------------------------------------------------- Scenario
@dataclass(frozen=True)
class Scenario:
    """An immutable what-if: selection, status threshold, closures, additions and costs.

    Build one with :meth:`full_vision`, :meth:`today` or :func:`load_scenario`, then chain
    methods; each returns a new scenario.

    Attributes
    ----------
    name, description : str
    status : str
        Threshold: ``operational`` (built only), ``under_construction`` (built or being
        built), ``planned`` or ``proposed`` (the full vision).
    as_of : int or None
        Use each segment's status at the end of that year (from its history).
    include_suspended : bool
        Also include suspended and cancelled segments.
    modes : tuple of str
        Modes to route on.
    corridors, platforms, segments : tuple of str
        Selection; all empty = every segment of the atlas. A platform selects the corridors
        whose ``platform`` is it; a corridor includes its descendants.
    open_segments : tuple of str
        Segments included whatever their status or the selection.
    closures : tuple of Closure
    costs : CostModel
    additions : tuple of (kind, json) pairs
        User nodes and segments (``kind`` is ``node`` or ``segment``), validated on use.
    source : str or None
        File the scenario was read from.

    Examples
    --------
    >>> s = Scenario.full_vision().close_passage("Hormuz").with_speed(rail=45)
    >>> s.closures
    (Closure(kind='passage', ref='hormuz'),)
    >>> s.costs.speed("rail")
    45.0
    """

    name: str = "custom"
    description: str = ""
    status: str = "proposed"
    as_of: int | None = None
    include_suspended: bool = False
    modes: tuple[str, ...] = DEFAULT_MODES
    corridors: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    open_segments: tuple[str, ...] = ()
    closures: tuple[Closure, ...] = ()
    costs: CostModel = CostModel()
    additions: tuple[tuple[str, str], ...] = ()
    source: str | None = field(default=None, compare=False)
    provenance: Mapping[str, tuple[str, str]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for name in (
            "modes",
            "corridors",
            "platforms",
            "segments",
            "open_segments",
            "closures",
            "additions",
        ):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
        probs: list[Problem] = []
        src = self.source or _BUILDER
        if self.status not in THRESHOLDS:
            w = self._where("status", self.status, "status")
            probs.append(
                _problem(
                    w[0],
                    w[1],
                    self.status,
                    f"unknown status threshold {self.status!r}",
                    _allowed(self.status, THRESHOLDS),
                    code="bad-status",
                )
            )
        if self.as_of is not None and (
            isinstance(self.as_of, bool) or not isinstance(self.as_of, int)
        ):
            probs.append(
                _problem(src, "as_of", self.as_of, "as_of must be a year", code="field-type")
            )
        for m in self.modes:
            if m not in MODES:
                w = self._where("modes", m, "modes")
                probs.append(
                    _problem(
                        w[0], w[1], m, f"unknown mode {m!r}", _allowed(m, MODES), code="bad-mode"
                    )
                )
        if probs:
            raise scenario_error(probs)

    # ------------------------------------------------------------------ provenance
    def _where(self, key: str, value: str, default: str) -> tuple[str, str]:
        hit = self.provenance.get(f"{key}:{value}")
        if hit is not None:
            return hit
        return (self.source or _BUILDER, default)

    def _with(self, key: str, values: Iterable[str], call: str, **changes: Any) -> Scenario:
        prov = dict(self.provenance)
        for v in values:
            prov.setdefault(f"{key}:{v}", (_BUILDER, call))
        return replace(self, provenance=MappingProxyType(prov), **changes)

    # ------------------------------------------------------------------ presets
    @classmethod
    def full_vision(cls) -> Scenario:
        """Everything in the atlas: up to ``proposed``, suspended and cancelled included."""
        return cls(
            name="full-vision",
            include_suspended=True,
            description="Every segment, proposed and suspended ones included.",
        )

    @classmethod
    def today(cls) -> Scenario:
        """Operational segments only."""
        return cls(name="today", status="operational", description="Operational segments only.")

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str], *, atlas: Atlas | None = None) -> Scenario:
        """Read a scenario file (see :func:`load_scenario`)."""
        return load_scenario(path, atlas=atlas)

    # ------------------------------------------------------------------ fluent builder
    def named(self, name: str, description: str | None = None) -> Scenario:
        """Same scenario with another name (and description)."""
        return replace(
            self, name=name, description=self.description if description is None else description
        )

    def with_status(self, status: str, *, include_suspended: bool | None = None) -> Scenario:
        """Status threshold (operational, under_construction, planned, proposed)."""
        inc = self.include_suspended if include_suspended is None else bool(include_suspended)
        return self._with(
            "status", [status], f"with_status({status!r})", status=status, include_suspended=inc
        )

    def at_year(self, year: int) -> Scenario:
        """Statuses as of the end of ``year`` (from each segment's history)."""
        if isinstance(year, bool) or not isinstance(year, int):
            raise scenario_error(
                [
                    _problem(
                        _BUILDER,
                        "at_year()",
                        year,
                        "year must be an integer",
                        "e.g. at_year(2030)",
                        code="field-type",
                    )
                ]
            )
        return replace(self, as_of=year)

    def with_modes(self, *modes: str) -> Scenario:
        """Route only on these modes."""
        return self._with("modes", modes, f"with_modes{modes!r}", modes=tuple(modes))

    def with_corridors(self, *ids: str) -> Scenario:
        """Add corridors (and their descendants) to the selection."""
        return self._with(
            "corridors",
            ids,
            f"with_corridors{ids!r}",
            corridors=_dedupe((*self.corridors, *ids)),
        )

    def with_platforms(self, *ids: str) -> Scenario:
        """Add the corridors of these platforms to the selection."""
        return self._with(
            "platforms",
            ids,
            f"with_platforms{ids!r}",
            platforms=_dedupe((*self.platforms, *ids)),
        )

    def with_segments(self, *ids: str) -> Scenario:
        """Add segments to the selection (still subject to the status threshold)."""
        return self._with(
            "segments", ids, f"with_segments{ids!r}", segments=_dedupe((*self.segments, *ids))
        )

    def open_segment(self, *ids: str) -> Scenario:
        """Include segments whatever their status or the selection."""
        return self._with(
            "open", ids, f"open_segment{ids!r}", open_segments=_dedupe((*self.open_segments, *ids))
        )

    def close(self, *refs: str) -> Scenario:
        """Close anything: passage names, ISO3 countries, ``"AAA-BBB"`` borders, ids."""
        out = self
        for r in refs:
            c = classify_closure(r, file=_BUILDER, where=f"close({r!r})")
            out = out._add_closure(c, f"close({r!r})")
        return out

    def close_passage(self, *names: str) -> Scenario:
        """Close sea passages (``hormuz``, ``bab_el_mandeb``, ``suez``, ``malacca``…)."""
        out = self
        for n in names:
            key = normalise_passage(n) if isinstance(n, str) else None
            if key is None:
                raise scenario_error(
                    [
                        _problem(
                            _BUILDER,
                            f"close_passage({n!r})",
                            n,
                            f"unknown sea passage {n!r}",
                            passage_hint(str(n)),
                            code="unknown-passage",
                        )
                    ]
                )
            out = out._add_closure(Closure("passage", key), f"close_passage({n!r})")
        return out

    def close_country(self, *iso3: str) -> Scenario:
        """Close whole countries (every segment with km in it or ending there)."""
        out = self
        for c in iso3:
            if not (isinstance(c, str) and _ISO3_RE.match(c.upper())):
                raise scenario_error(
                    [
                        _problem(
                            _BUILDER,
                            f"close_country({c!r})",
                            c,
                            "country must be an ISO3 code",
                            "e.g. 'AFG', 'IRN'",
                            code="bad-iso3",
                        )
                    ]
                )
            out = out._add_closure(Closure("country", c.upper()), f"close_country({c!r})")
        return out

    def close_border(self, a: str, b: str | None = None) -> Scenario:
        """Close a border: ``close_border("AFG", "PAK")`` or ``close_border("AFG-PAK")``."""
        text = a if b is None else f"{a}-{b}"
        c = classify_closure(text.upper(), file=_BUILDER, where=f"close_border({text!r})")
        if c.kind != "border":
            raise scenario_error(
                [
                    _problem(
                        _BUILDER,
                        f"close_border({text!r})",
                        text,
                        "a border is two ISO3 codes",
                        "e.g. close_border('AFG', 'PAK') or close_border('AFG-PAK')",
                        code="bad-border",
                    )
                ]
            )
        return self._add_closure(c, f"close_border({text!r})")

    def close_segment(self, *ids: str) -> Scenario:
        """Close segments by id."""
        out = self
        for s in ids:
            out = out._add_closure(Closure("segment", s), f"close_segment({s!r})")
        return out

    def close_node(self, *ids: str) -> Scenario:
        """Close nodes by id (every piece of line touching them)."""
        out = self
        for n in ids:
            out = out._add_closure(Closure("node", n), f"close_node({n!r})")
        return out

    def _add_closure(self, c: Closure, call: str) -> Scenario:
        if c in self.closures:
            return self
        return self._with(f"close.{c.kind}", [c.ref], call, closures=(*self.closures, c))

    def without_closures(self) -> Scenario:
        """The same scenario with every closure lifted."""
        return replace(self, closures=())

    def with_speed(self, **speed_kmh: float) -> Scenario:
        """Override speeds, km/h: ``with_speed(rail=40, sea=30)``."""
        cur = dict(self.costs.speed_kmh)
        for mode, v in speed_kmh.items():
            if mode not in MODES:
                raise scenario_error(
                    [
                        _problem(
                            _BUILDER,
                            f"with_speed({mode}=...)",
                            mode,
                            f"unknown mode {mode!r}",
                            _allowed(mode, MODES),
                            code="bad-mode",
                        )
                    ]
                )
            cur[mode] = _check_hours(v, f"speed_kmh.{mode}", allow_zero=False)
        return replace(self, costs=replace(self.costs, speed_kmh=tuple(cur.items())))

    def with_costs(
        self,
        *,
        transfer_h: float | None = None,
        border_dwell_h: float | None = None,
        break_of_gauge_h: float | None = None,
        border_dwell_h_by_border: Mapping[str, float] | None = None,
    ) -> Scenario:
        """Override penalties (hours, >= 0); ``border_dwell_h_by_border`` keys ``"AAA-BBB"``."""
        c = self.costs
        if transfer_h is not None:
            c = replace(c, transfer_h=_check_hours(transfer_h, "transfer_h"))
        if border_dwell_h is not None:
            c = replace(c, border_dwell_h=_check_hours(border_dwell_h, "border_dwell_h"))
        if break_of_gauge_h is not None:
            c = replace(c, break_of_gauge_h=_check_hours(break_of_gauge_h, "break_of_gauge_h"))
        if border_dwell_h_by_border:
            cur = dict(c.border_dwell_h_by_border)
            for k, v in border_dwell_h_by_border.items():
                m = _BORDER_RE.match(str(k).upper())
                if not m:
                    raise scenario_error(
                        [
                            _problem(
                                _BUILDER,
                                "border_dwell_h_by_border",
                                k,
                                "border keys are two ISO3 codes",
                                "e.g. 'AFG-PAK'",
                                code="bad-border",
                            )
                        ]
                    )
                cur[border_key(m.group(1), m.group(2))] = _check_hours(
                    v, f"border_dwell_h_by_border.{k}"
                )
            c = replace(c, border_dwell_h_by_border=tuple(sorted(cur.items())))
        return replace(self, costs=c)

    def add_node(self, **fields: Any) -> Scenario:
        """Add a user node: ``id, name, country, coordinates=[lon, lat], kind, precision,
        sources=[{url, title, accessed}]`` (validated like geodata when used)."""
        return replace(
            self, additions=(*self.additions, ("node", json.dumps(fields, sort_keys=True)))
        )

    def add_segment(self, **fields: Any) -> Scenario:
        """Add a user segment: ``id, name, from, to, via, mode, status, precision, sources``
        (+ optional ``coordinates``; default ``[from] + via + [to]`` positions)."""
        return replace(
            self, additions=(*self.additions, ("segment", json.dumps(fields, sort_keys=True)))
        )

    # ------------------------------------------------------------------ views
    def to_dict(self) -> dict[str, Any]:
        """Plain dict in the TOML layout."""
        d: dict[str, Any] = {"name": self.name}
        if self.description:
            d["description"] = self.description
        d["status"] = self.status
        if self.as_of is not None:
            d["as_of"] = self.as_of
        if self.include_suspended:
            d["include_suspended"] = True
        d["modes"] = list(self.modes)
        for key, vals in (
            ("corridors", self.corridors),
            ("platforms", self.platforms),
            ("segments", self.segments),
            ("open", self.open_segments),
        ):
            if vals:
                d[key] = list(vals)
        if self.closures:
            d["close"] = [c.ref for c in self.closures]
        d["cost"] = self.costs.to_dict()
        if self.additions:
            d["add"] = {
                "node": [json.loads(j) for k, j in self.additions if k == "node"],
                "segment": [json.loads(j) for k, j in self.additions if k == "segment"],
            }
        return d

    def _repr_html_(self) -> str:
        e = esc
        rows = [
            ("status ≤", self.status + (" (+suspended)" if self.include_suspended else "")),
            ("as of", str(self.as_of) if self.as_of is not None else "—"),
            ("modes", ", ".join(self.modes)),
            ("corridors", ", ".join(self.corridors) or "all"),
            ("platforms", ", ".join(self.platforms) or "—"),
            ("segments", ", ".join(self.segments) or "—"),
            ("open", ", ".join(self.open_segments) or "—"),
            ("closed", ", ".join(str(c) for c in self.closures) or "—"),
            (
                "speeds km/h",
                ", ".join(f"{m} {v:g}" for m, v in self.costs.speed_kmh if m in self.modes),
            ),
            (
                "penalties h",
                f"transfer {self.costs.transfer_h:g}, border {self.costs.border_dwell_h:g}, "
                f"gauge {self.costs.break_of_gauge_h:g}",
            ),
            ("additions", str(len(self.additions)) if self.additions else "—"),
        ]
        body = "".join(
            f"<tr><th style='text-align:left'>{e(k)}</th><td style='text-align:left'>{e(v)}"
            "</td></tr>"
            for k, v in rows
        )
        desc = f"<p>{e(self.description)}</p>" if self.description else ""
        return (
            f"<details open><summary><b>Scenario</b> {e(self.name)}</summary>{desc}"
            f"<table>{body}</table></details>"
        )


def _fields(s: Scenario) -> dict[str, Any]:
    return {f: getattr(s, f) for f in s.__dataclass_fields__}


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _allowed(value: Any, allowed: Sequence[str]) -> str:
    guess = did_you_mean(str(value), allowed) if isinstance(value, str) else None
    listing = "allowed: " + ", ".join(allowed)
    return f"{guess} {listing}" if guess else listing


def classify_closure(ref: Any, *, file: str, where: str) -> Closure:
    """Turn a ``close`` item into a :class:`Closure` (passage, country, border or id)."""
    if not isinstance(ref, str) or not ref.strip():
        raise scenario_error(
            [
                _problem(
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
    m = _BORDER_RE.match(text)
    if m:
        return Closure("border", border_key(m.group(1), m.group(2)))
    if _ISO3_RE.match(text):
        return Closure("country", text)
    key = normalise_passage(text)
    if key is not None:
        return Closure("passage", key)
    return Closure("id", text)


# --------------------------------------------------------------------------- TOML
_TOP_KEYS: dict[str, tuple[type, ...] | str] = {
    "name": (str,),
    "description": (str,),
    "include": "list[str]",
    "status": (str,),
    "as_of": (int,),
    "include_suspended": (bool,),
    "modes": "list[str]",
    "corridors": "list[str]",
    "platforms": "list[str]",
    "segments": "list[str]",
    "open": "list[str]",
    "close": "list[str]",
    "closures": "table",
    "cost": "table",
    "add": "table",
}
_CLOSURE_KEYS = ("segments", "nodes", "borders", "countries", "passages")
_COST_KEYS: dict[str, str] = {
    "speed_kmh": "table",
    "transfer_h": "number",
    "border_dwell_h": "number",
    "border_dwell_h_by_border": "table",
    "break_of_gauge_h": "number",
}
_ADD_KEYS = ("node", "segment")
_TYPE_NAMES = {str: "a string", int: "an integer (year)", bool: "true or false"}


@dataclass
class _Raw:
    """Merged raw values with provenance, built while reading includes."""

    scalars: dict[str, tuple[Any, str, str]] = field(default_factory=dict)
    lists: dict[str, list[tuple[Any, str, str]]] = field(default_factory=dict)
    costs: dict[str, tuple[Any, str, str]] = field(default_factory=dict)
    speeds: dict[str, tuple[Any, str, str]] = field(default_factory=dict)
    dwell: dict[str, tuple[Any, str, str]] = field(default_factory=dict)
    additions: list[tuple[str, dict[str, Any], str, str]] = field(default_factory=list)


def _type_problem(file: str, where: str, value: Any, expected: str, hint: str | None = None):
    return _problem(
        file,
        where,
        value,
        f"'{where}' must be {expected}, not {type(value).__name__}",
        hint,
        code="field-type",
    )


def _check_list(
    value: Any, *, file: str, where: str, problems: list[Problem], example: str
) -> list[str] | None:
    if not isinstance(value, list):
        problems.append(
            _type_problem(
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
            problems.append(_type_problem(file, f"{where}[{i}]", v, "a non-empty string"))
            return None
        out.append(v.strip())
    return out


def _unknown_key(file: str, where: str, key: str, allowed: Iterable[str]) -> Problem:
    allowed = list(allowed)
    guess = did_you_mean(key, allowed)
    return _problem(
        file,
        where,
        key,
        f"unknown key {key!r}",
        (guess + " " if guess else "") + "allowed keys: " + ", ".join(allowed),
        code="unknown-key",
    )


def _resolve_include(
    item: str, *, current: Path, root: Path, file: str, where: str
) -> tuple[Path | None, Problem | None]:
    p = Path(item)
    if p.is_absolute() or item.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", item):
        return None, _problem(
            file,
            where,
            item,
            "include must be a relative path inside the scenario's folder",
            f"put the file in {root} and include it by name",
            code="include-escape",
        )
    if ".." in p.parts:
        return None, _problem(
            file,
            where,
            item,
            "include may not leave the scenario's folder ('..')",
            f"put the file in {root} and include it by name",
            code="include-escape",
        )
    target = current.parent / p
    resolved = target.resolve()
    try:
        resolved.relative_to(root)
    except ValueError:
        return None, _problem(
            file,
            where,
            item,
            f"include resolves outside the scenario's folder (to {resolved}; a symlink?)",
            f"copy the file into {root}",
            code="include-escape",
        )
    if not resolved.is_file():
        siblings = sorted(x.name for x in current.parent.glob("*.toml"))
        return None, _problem(
            file,
            where,
            item,
            f"included file not found: {resolved}",
            did_you_mean(p.name, siblings) or "check the path (relative to the including file)",
            code="include-missing",
        )
    return resolved, None


def _read_file(
    path: Path,
    *,
    root: Path,
    chain: list[Path],
    raw: _Raw,
    problems: list[Problem],
    display: str,
) -> None:
    file = display
    try:
        data = read_toml(path)
    except GeodataError as exc:
        problems.extend(_locate_eof(p, path) for p in exc.problems)
        return
    if not data:
        problems.append(
            _problem(
                file,
                "",
                _NOVALUE,
                "scenario file is empty",
                "add at least 'status = \"operational\"' or an include",
                code="empty-file",
            )
        )
        return
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(_unknown_key(file, key, key, _TOP_KEYS))
    # includes first: the file's own values override / extend them
    inc = data.get("include")
    if inc is not None:
        items = _check_list(
            inc, file=file, where="include", problems=problems, example='"base.toml"'
        )
        for i, item in enumerate(items or ()):
            where = f"include[{i}]"
            target, prob = _resolve_include(item, current=path, root=root, file=file, where=where)
            if prob is not None:
                problems.append(prob)
                continue
            assert target is not None
            if target in chain:
                names = [_rel(c, root) for c in chain[chain.index(target) :]] + [_rel(target, root)]
                problems.append(
                    _problem(
                        file,
                        where,
                        item,
                        "include cycle: " + " → ".join(names),
                        "remove one of the includes",
                        code="include-cycle",
                    )
                )
                continue
            if len(chain) >= MAX_INCLUDE_DEPTH:
                problems.append(
                    _problem(
                        file,
                        where,
                        item,
                        f"includes nested deeper than {MAX_INCLUDE_DEPTH} levels: "
                        + " → ".join(_rel(c, root) for c in [*chain, target]),
                        "flatten the includes",
                        code="include-depth",
                    )
                )
                continue
            _read_file(
                target,
                root=root,
                chain=[*chain, target],
                raw=raw,
                problems=problems,
                display=str(_display_path(target, root, display, path)),
            )
    for key, spec in _TOP_KEYS.items():
        if key not in data or key == "include":
            continue
        value = data[key]
        if spec == "list[str]":
            examples = {
                "close": '"hormuz", "AFG", "AFG-PAK", "segment-id"',
                "modes": '"rail", "road"',
            }
            items = _check_list(
                value, file=file, where=key, problems=problems, example=examples.get(key, '"id"')
            )
            if items is not None:
                bucket = raw.lists.setdefault(key, [])
                bucket.extend((v, file, f"{key}[{i}]") for i, v in enumerate(items))
                if key == "modes":
                    # modes replace, they do not accumulate
                    raw.lists["modes"] = [(v, file, f"modes[{i}]") for i, v in enumerate(items)]
        elif spec == "table":
            if not isinstance(value, dict):
                problems.append(_type_problem(file, key, value, f"a table ([{key}])"))
                continue
            if key == "closures":
                for k, v in value.items():
                    if k not in _CLOSURE_KEYS:
                        problems.append(_unknown_key(file, f"closures.{k}", k, _CLOSURE_KEYS))
                        continue
                    items = _check_list(
                        v, file=file, where=f"closures.{k}", problems=problems, example='"id"'
                    )
                    bucket = raw.lists.setdefault(f"closures.{k}", [])
                    bucket.extend(
                        (x, file, f"closures.{k}[{i}]") for i, x in enumerate(items or ())
                    )
            elif key == "cost":
                _read_cost(value, file=file, raw=raw, problems=problems)
            else:  # add
                for k, v in value.items():
                    if k not in _ADD_KEYS:
                        problems.append(_unknown_key(file, f"add.{k}", k, _ADD_KEYS))
                        continue
                    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
                        problems.append(
                            _type_problem(file, f"add.{k}", v, f"an array of tables ([[add.{k}]])")
                        )
                        continue
                    for i, item in enumerate(v):
                        raw.additions.append((k, item, file, f"add.{k}[{i}]"))
        else:
            assert isinstance(spec, tuple)
            ok = isinstance(value, spec) and not (spec != (bool,) and isinstance(value, bool))
            if not ok:
                hint = None
                if key == "as_of":
                    hint = (
                        f"write a year without quotes: as_of = {value}"
                        if isinstance(value, str) and value.strip().isdigit()
                        else "write a year without quotes, e.g. as_of = 2030"
                    )
                elif key == "include_suspended":
                    hint = "write include_suspended = true or false (no quotes)"
                problems.append(_type_problem(file, key, value, _TYPE_NAMES[spec[0]], hint))
                continue
            raw.scalars[key] = (value, file, key)


def _locate_eof(p: Problem, path: Path) -> Problem:
    """tomllib says "at end of document" without a position: give the last line:column."""
    if p.where or "end of document" not in p.message:
        return p
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()
    return replace(p, where=f"line {len(lines)}:{len(lines[-1]) + 1 if lines else 1}")


def _read_cost(value: dict[str, Any], *, file: str, raw: _Raw, problems: list[Problem]) -> None:
    for k, v in value.items():
        where = f"cost.{k}"
        if k not in _COST_KEYS:
            problems.append(_unknown_key(file, where, k, _COST_KEYS))
            continue
        if _COST_KEYS[k] == "number":
            if not _is_number(v):
                problems.append(_type_problem(file, where, v, "a number of hours"))
            elif v < 0:
                problems.append(
                    _problem(file, where, v, f"{where} must be >= 0 hours", code="bad-number")
                )
            else:
                raw.costs[k] = (float(v), file, where)
            continue
        if not isinstance(v, dict):
            problems.append(_type_problem(file, where, v, f"a table ([{where}])"))
            continue
        for kk, vv in v.items():
            w2 = f"{where}.{kk}"
            if k == "speed_kmh":
                if kk not in MODES:
                    problems.append(
                        _problem(
                            file,
                            w2,
                            kk,
                            f"unknown mode {kk!r}",
                            _allowed(kk, MODES),
                            code="bad-mode",
                        )
                    )
                elif not _is_number(vv):
                    problems.append(_type_problem(file, w2, vv, "a speed in km/h"))
                elif vv <= 0:
                    problems.append(
                        _problem(file, w2, vv, "speed must be > 0 km/h", code="bad-number")
                    )
                else:
                    raw.speeds[kk] = (float(vv), file, w2)
            else:
                m = _BORDER_RE.match(str(kk))
                if not m:
                    problems.append(
                        _problem(
                            file,
                            w2,
                            kk,
                            "border keys are two ISO3 codes",
                            'e.g. "AFG-PAK" = 48',
                            code="bad-border",
                        )
                    )
                elif not _is_number(vv):
                    problems.append(_type_problem(file, w2, vv, "a number of hours"))
                elif vv < 0:
                    problems.append(
                        _problem(file, w2, vv, "dwell must be >= 0 hours", code="bad-number")
                    )
                else:
                    raw.dwell[border_key(m.group(1), m.group(2))] = (float(vv), file, w2)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _rel(p: Path, root: Path) -> str:
    try:
        return str(p.relative_to(root))
    except ValueError:
        return str(p)


def _display_path(target: Path, root: Path, parent_display: str, parent_path: Path) -> str:
    # show included files next to how the top file was named
    try:
        base = Path(parent_display).parent
        return str(base / target.relative_to(parent_path.parent))
    except ValueError:
        return str(target)


def load_scenario(path: str | os.PathLike[str], *, atlas: Atlas | None = None) -> Scenario:
    """Read a scenario TOML file (with its includes).

    Parameters
    ----------
    path : path-like
        The scenario file. ``include = [...]`` entries are resolved relative to the file
        and must stay inside its folder.
    atlas : Atlas, optional
        When given, every reference (corridors, closures, additions…) is also checked
        against it.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Listing every problem (file, key, value, hint); ``.problems`` holds them.
    InputFileError
        When the file does not exist.
    """
    from corridors.io.read import check_input_file

    resolved = check_input_file(path)
    root = resolved.parent
    raw = _Raw()
    problems: list[Problem] = []
    _read_file(resolved, root=root, chain=[resolved], raw=raw, problems=problems, display=str(path))
    if problems:
        raise scenario_error(problems)
    prov: dict[str, tuple[str, str]] = {}

    def sc(key: str, default: Any) -> Any:
        if key in raw.scalars:
            v, f, w = raw.scalars[key]
            prov[f"{key}:{v}"] = (f, w)
            return v
        return default

    def lst(key: str, pkey: str | None = None) -> tuple[str, ...]:
        out = []
        for v, f, w in raw.lists.get(key, []):
            prov.setdefault(f"{pkey or key}:{v}", (f, w))
            out.append(v)
        return _dedupe(out)

    closures: list[Closure] = []
    for v, f, w in raw.lists.get("close", []):
        try:
            c = classify_closure(v, file=f, where=w)
        except ScenarioError as exc:
            problems.extend(exc.problems)  # type: ignore[attr-defined]
            continue
        closures.append(c)
        prov.setdefault(f"close.{c.kind}:{c.ref}", (f, w))
    kinds = {"segments": "segment", "nodes": "node", "countries": "country", "passages": "passage"}
    for key in _CLOSURE_KEYS:
        for v, f, w in raw.lists.get(f"closures.{key}", []):
            if key == "borders":
                c = classify_closure(v.upper(), file=f, where=w)
                if c.kind != "border":
                    problems.append(
                        _problem(
                            f,
                            w,
                            v,
                            "a border is two ISO3 codes",
                            'e.g. "AFG-PAK"',
                            code="bad-border",
                        )
                    )
                    continue
            elif key == "passages":
                k = normalise_passage(v)
                if k is None:
                    problems.append(
                        _problem(
                            f,
                            w,
                            v,
                            f"unknown sea passage {v!r}",
                            passage_hint(v),
                            code="unknown-passage",
                        )
                    )
                    continue
                c = Closure("passage", k)
            elif key == "countries":
                if not _ISO3_RE.match(v):
                    problems.append(
                        _problem(
                            f,
                            w,
                            v,
                            "country must be an ISO3 code",
                            'e.g. "AFG"',
                            code="bad-iso3",
                        )
                    )
                    continue
                c = Closure("country", v)
            else:
                c = Closure(kinds[key], v)
            if c not in closures:
                closures.append(c)
            prov.setdefault(f"close.{c.kind}:{c.ref}", (f, w))
    costs = CostModel(
        speed_kmh=tuple({**DEFAULT_SPEED_KMH, **{k: v[0] for k, v in raw.speeds.items()}}.items()),
        transfer_h=raw.costs.get("transfer_h", (DEFAULT_TRANSFER_H,))[0],
        border_dwell_h=raw.costs.get("border_dwell_h", (DEFAULT_BORDER_DWELL_H,))[0],
        border_dwell_h_by_border=tuple(sorted((k, v[0]) for k, v in raw.dwell.items())),
        break_of_gauge_h=raw.costs.get("break_of_gauge_h", (DEFAULT_BREAK_OF_GAUGE_H,))[0],
    )
    additions = []
    for kind, item, f, w in raw.additions:
        additions.append((kind, json.dumps(item, sort_keys=True, default=str)))
        ident = item.get("id")
        prov.setdefault(f"add.{kind}:{ident}", (f, w))
        prov.setdefault(f"add.{kind}#{len(additions) - 1}", (f, w))
    if problems:
        raise scenario_error(problems)
    modes = lst("modes") or DEFAULT_MODES
    status = sc("status", "proposed")
    try:
        scen = Scenario(
            name=sc("name", resolved.stem),
            description=sc("description", ""),
            status=status,
            as_of=sc("as_of", None),
            include_suspended=sc("include_suspended", False),
            modes=modes,
            corridors=lst("corridors"),
            platforms=lst("platforms"),
            segments=lst("segments"),
            open_segments=lst("open"),
            closures=tuple(closures),
            costs=costs,
            additions=tuple(additions),
            source=str(path),
            provenance=MappingProxyType(prov),
        )
    except ScenarioError:
        raise
    if atlas is not None:
        resolve_scenario(atlas, scen)
    return scen


# --------------------------------------------------------------------------- bundled
def _scenario_dir() -> Path:
    from corridors.io.geodata import bundled_geodata_dir

    return bundled_geodata_dir() / "scenarios"


def bundled_scenario_names() -> tuple[str, ...]:
    """Names of the example scenarios shipped with corridors (file stems)."""
    d = _scenario_dir()
    if not d.is_dir():
        return ()
    return tuple(sorted(p.stem for p in d.glob("*.toml") if not p.stem.startswith("_")))


def bundled_scenario(name: str, *, atlas: Atlas | None = None) -> Scenario:
    """Load a bundled example scenario by name (``today``, ``full-vision``…).

    Raises
    ------
    UnknownEntityError
        With a did-you-mean suggestion.
    """
    key = name.strip().lower().replace("_", "-").replace(" ", "-").removesuffix(".toml")
    names = bundled_scenario_names()
    if key not in names:
        hint = did_you_mean(key, names)
        raise UnknownEntityError(
            f"unknown scenario {name!r}; "
            + (f"hint: {hint} " if hint else "hint: ")
            + "bundled scenarios: "
            + ", ".join(names)
        )
    return load_scenario(_scenario_dir() / f"{key}.toml", atlas=atlas)


def scenario_from_arg(
    value: Scenario | str | os.PathLike[str] | None, *, atlas: Atlas | None = None
) -> Scenario:
    """A scenario from a Scenario, a path, a bundled name, or ``None`` (full vision)."""
    if value is None:
        return Scenario.full_vision()
    if isinstance(value, Scenario):
        return value
    text = os.fspath(value)
    p = Path(text).expanduser()
    if p.suffix.lower() == ".toml" or os.sep in text or p.exists():
        return load_scenario(p, atlas=atlas)
    return bundled_scenario(text, atlas=atlas)


# --------------------------------------------------------------------------- resolving
@dataclass(frozen=True, eq=False)
class ResolvedScenario:
    """A scenario applied to an atlas.

    Attributes
    ----------
    scenario : Scenario
    atlas : Atlas
        The atlas plus the scenario's additions.
    segments : tuple of str
        Segments in the scenario (selection, status/as_of, modes, open), file order;
        closed ones included.
    status : Mapping[str, str]
        Scenario-effective status per included segment.
    closed_segments, closed_nodes : frozenset of str
    closed_borders : frozenset of str
        ``"AAA-BBB"`` keys.
    closed_countries : frozenset of str
    closed_passages : frozenset of str
        Our passage keys (see :data:`corridors.network.sea.PASSAGES`).
    excluded : Mapping[str, str]
        Why an atlas segment is not in the scenario (for messages).
    """

    scenario: Scenario
    atlas: Atlas
    segments: tuple[str, ...]
    status: Mapping[str, str]
    closed_segments: frozenset[str]
    closed_nodes: frozenset[str]
    closed_borders: frozenset[str]
    closed_countries: frozenset[str]
    closed_passages: frozenset[str]
    excluded: Mapping[str, str]


def _known_countries(atlas: Atlas) -> set[str]:
    out = {n.country for n in atlas.nodes.values()}
    if atlas.countries is not None:
        out.update(atlas.countries.codes)  # type: ignore[attr-defined]
    for p in atlas.platforms.values():
        out.update(p.members)
    return out


def resolve_scenario(atlas: Atlas, scenario: Scenario) -> ResolvedScenario:
    """Apply ``scenario`` to ``atlas``: check every reference and compute the segment set.

    Raises
    ------
    ScenarioError
        Listing every unknown reference with a did-you-mean hint, and every invalid
        addition (validated like geodata).
    """
    problems: list[Problem] = []
    atlas2 = _apply_additions(atlas, scenario, problems)
    if atlas2 is None:
        raise scenario_error(problems)
    s = scenario

    def bad(
        key: str, value: str, default_where: str, what: str, pool: Iterable[str], hint_extra=""
    ):
        f, w = s._where(key, value, default_where)
        guess = did_you_mean(value, pool)
        problems.append(
            _problem(
                f,
                w,
                value,
                f"unknown {what} {value!r}",
                (guess or f"see `corridors list {what}s`" if what != "country" else guess)
                or hint_extra
                or None,
                code=f"unknown-{what}",
            )
        )

    for cid in s.corridors:
        if cid not in atlas2.corridors:
            bad("corridors", cid, "corridors", "corridor", atlas2.corridors)
    for pid in s.platforms:
        if pid not in atlas2.platforms:
            bad("platforms", pid, "platforms", "platform", atlas2.platforms)
    for key, vals in (("segments", s.segments), ("open", s.open_segments)):
        for sid in vals:
            if sid not in atlas2.segments:
                bad(key, sid, key, "segment", atlas2.segments)
    countries = _known_countries(atlas2)
    closed_segments: set[str] = set()
    closed_nodes: set[str] = set()
    closed_borders: set[str] = set()
    closed_countries: set[str] = set()
    closed_passages: set[str] = set()
    for c in s.closures:
        pk = f"close.{c.kind}"
        if c.kind == "passage":
            closed_passages.add(c.ref)
            closed_nodes.update(n for n in PASSAGES[c.ref].nodes if n in atlas2.nodes)
        elif c.kind == "country":
            if c.ref not in countries:
                f, w = s._where(pk, c.ref, "close")
                problems.append(
                    _problem(
                        f,
                        w,
                        c.ref,
                        f"unknown country {c.ref!r}",
                        did_you_mean(c.ref, countries) or "use an ISO3 code present in the atlas",
                        code="unknown-country",
                    )
                )
            closed_countries.add(c.ref)
        elif c.kind == "border":
            a, b = c.ref.split("-")
            for code in (a, b):
                if code not in countries:
                    f, w = s._where(pk, c.ref, "close")
                    problems.append(
                        _problem(
                            f,
                            w,
                            c.ref,
                            f"unknown country {code!r} in border {c.ref!r}",
                            did_you_mean(code, countries) or "use ISO3 codes present in the atlas",
                            code="unknown-country",
                        )
                    )
            closed_borders.add(c.ref)
        elif c.kind == "segment":
            if c.ref not in atlas2.segments:
                bad(pk, c.ref, "close", "segment", atlas2.segments)
            closed_segments.add(c.ref)
        elif c.kind == "node":
            if c.ref not in atlas2.nodes:
                bad(pk, c.ref, "close", "node", atlas2.nodes)
            closed_nodes.add(c.ref)
        else:  # id: segment or node
            if c.ref in atlas2.segments:
                closed_segments.add(c.ref)
            elif c.ref in atlas2.nodes:
                closed_nodes.add(c.ref)
            else:
                f, w = s._where(pk, c.ref, "close")
                pool = [*atlas2.segments, *atlas2.nodes, *PASSAGES]
                guess = did_you_mean(c.ref, pool)
                problems.append(
                    _problem(
                        f,
                        w,
                        c.ref,
                        f"nothing to close called {c.ref!r} (not a segment, node, passage, "
                        "country or border)",
                        (guess + " " if guess else "")
                        + "close takes segment/node ids, passages ("
                        + ", ".join(PASSAGES)
                        + "), ISO3 countries ('AFG') or borders ('AFG-PAK')",
                        code="unknown-entity",
                    )
                )
    if problems:
        raise scenario_error(problems)

    # selection
    if s.corridors or s.platforms or s.segments:
        chosen: dict[str, None] = {}
        cids = list(s.corridors)
        for pid in s.platforms:
            cids.extend(c.id for c in atlas2.corridors.values() if c.platform == pid)
        for cid in cids:
            for sid in atlas2.corridor_segments(cid):
                chosen.setdefault(sid, None)
        for sid in s.segments:
            chosen.setdefault(sid, None)
        # additions are always in
        for kind, j in s.additions:
            if kind == "segment":
                chosen.setdefault(json.loads(j).get("id"), None)
        selected = [sid for sid in atlas2.segments if sid in chosen]
    else:
        selected = list(atlas2.segments)
    limit = STATUS_RANK[s.status]
    assert limit is not None
    included: list[str] = []
    status: dict[str, str] = {}
    excluded: dict[str, str] = {}
    for sid, seg in atlas2.segments.items():
        forced = sid in s.open_segments
        if sid not in selected and not forced:
            excluded[sid] = "not selected by the scenario's corridors/platforms/segments"
            continue
        st = seg.status_in(s.as_of) if s.as_of is not None else seg.status
        if seg.mode not in s.modes:
            excluded[sid] = f"mode {seg.mode} not in the scenario's modes"
            continue
        if not forced:
            if st is None:
                excluded[sid] = f"no status yet in {s.as_of}"
                continue
            rank = STATUS_RANK.get(st)
            if rank is None and not s.include_suspended:
                excluded[sid] = f"{st} (include_suspended = false)"
                continue
            if rank is not None and rank > limit:
                excluded[sid] = f"{st}, beyond the scenario's threshold '{s.status}'"
                continue
        included.append(sid)
        status[sid] = st or seg.status
    return ResolvedScenario(
        scenario=s,
        atlas=atlas2,
        segments=tuple(included),
        status=MappingProxyType(status),
        closed_segments=frozenset(closed_segments),
        closed_nodes=frozenset(closed_nodes),
        closed_borders=frozenset(closed_borders),
        closed_countries=frozenset(closed_countries),
        closed_passages=frozenset(closed_passages),
        excluded=MappingProxyType(excluded),
    )


# --------------------------------------------------------------------------- additions
_NODE_KEYS = (
    "id",
    "name",
    "country",
    "coordinates",
    "kind",
    "precision",
    "aliases",
    "borders",
    "sources",
    "note",
)
_SEG_KEYS = (
    "id",
    "name",
    "from",
    "to",
    "via",
    "mode",
    "status",
    "precision",
    "coordinates",
    "status_history",
    "published_lengths_km",
    "published_length_km",
    "length_note",
    "gauge_mm",
    "gauge_breaks_at",
    "opened_year",
    "announced_year",
    "cost_usd_bn",
    "financier",
    "capacity",
    "sources",
    "note",
)


def _apply_additions(atlas: Atlas, scenario: Scenario, problems: list[Problem]) -> Atlas | None:
    """The atlas plus the scenario's nodes and segments, validated like geodata."""
    if not scenario.additions:
        return atlas
    from corridors.io.geodata import _Loader  # the geodata validator, reused for additions

    adds_nodes: list[tuple[int, dict[str, Any], str, str]] = []
    adds_segs: list[tuple[int, dict[str, Any], str, str]] = []
    for idx, (kind, j) in enumerate(scenario.additions):
        item = json.loads(j)
        f, w = scenario.provenance.get(
            f"add.{kind}#{idx}", scenario.provenance.get(f"add.{kind}:{item.get('id')}", None)
        ) or (scenario.source or _BUILDER, f"add.{kind}")
        allowed = _NODE_KEYS if kind == "node" else _SEG_KEYS
        for k in item:
            if k not in allowed:
                problems.append(_unknown_key(f, f"{w}.{k}", k, allowed))
        (adds_nodes if kind == "node" else adds_segs).append((idx, item, f, w))
    if problems:
        return None
    node_pos = {nid: n.lonlat for nid, n in atlas.nodes.items()}
    node_pos.update({wid: w.lonlat for wid, w in atlas.waypoints.items()})
    for _, item, _, _ in adds_nodes:
        c = item.get("coordinates")
        if isinstance(item.get("id"), str) and isinstance(c, list) and len(c) == 2:
            node_pos[item["id"]] = tuple(c)  # type: ignore[assignment]

    def node_feature(item: dict[str, Any]) -> dict[str, Any]:
        props = {k: v for k, v in item.items() if k != "coordinates"}
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": item.get("coordinates")},
            "properties": props,
        }

    def seg_feature(item: dict[str, Any]) -> dict[str, Any]:
        props = {k: v for k, v in item.items() if k != "coordinates"}
        coords = item.get("coordinates")
        if coords is None:
            refs = [item.get("from"), *(item.get("via") or []), item.get("to")]
            coords = []
            for r in refs:
                if isinstance(r, str) and r in node_pos:
                    coords.append(list(node_pos[r]))
                elif isinstance(r, list):
                    coords.append(r)
                else:
                    coords.append([0.0, 0.0])  # the reference is reported as unknown
        props.setdefault("via", [])
        return {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": coords},
            "properties": props,
        }

    feats = {
        "nodes": [node_feature(i) for _, i, _, _ in adds_nodes],
        "segments": [seg_feature(i) for _, i, _, _ in adds_segs],
    }
    where_of = {
        "nodes": [(f, w) for _, _, f, w in adds_nodes],
        "segments": [(f, w) for _, _, f, w in adds_segs],
    }

    class _AdditionLoader(_Loader):
        def feature_collection(self, kind: str) -> list[tuple[int, dict[str, Any]]]:
            return list(enumerate(feats.get(kind, [])))

    def make_loader() -> _AdditionLoader:
        ld = _AdditionLoader({"nodes": Path("<scenario>"), "segments": Path("<scenario>")})
        for ident in (*atlas.nodes, *atlas.waypoints, *atlas.segments):
            ld.id_seen[ident] = (atlas.root or "geodata", "")
            ld.declared.add(ident)
        return ld

    node_loader = make_loader()
    new_nodes = node_loader.load_points("nodes")
    seg_loader = make_loader()
    for ident, seen in node_loader.id_seen.items():
        seg_loader.id_seen.setdefault(ident, seen)
    seg_loader.declared |= node_loader.declared
    all_nodes = {**atlas.nodes, **new_nodes}
    points = {**atlas.waypoints, **all_nodes}
    new_segs = seg_loader.load_segments(points, all_nodes)
    for kind, ld in (("nodes", node_loader), ("segments", seg_loader)):
        for p in ld.problems:
            if p.severity != "error":
                continue
            m = re.match(r"^/features/(\d+)(?:/properties)?/?(.*)$", p.where or "")
            if m and int(m.group(1)) < len(where_of[kind]):
                f, w = where_of[kind][int(m.group(1))]
                rest = m.group(2).replace("/", ".")
                if rest.startswith("geometry.coordinates"):
                    rest = "coordinates" + rest.removeprefix("geometry.coordinates")
                elif rest == "geometry":
                    rest = "coordinates"
                where = f"{w}.{rest}" if rest else w
            else:
                f, where = scenario.source or _BUILDER, p.where
            problems.append(replace(p, file=f, where=where))
    if problems:
        return None
    return Atlas(
        nodes={**atlas.nodes, **new_nodes},
        waypoints=atlas.waypoints,
        segments={**atlas.segments, **new_segs},
        corridors=atlas.corridors,
        platforms=atlas.platforms,
        routes=atlas.routes,
        countries=atlas.countries,
        root=atlas.root,
    )
