"""The scenario value object and its fluent builder.

A :class:`Scenario` is an immutable description (no atlas inside): a selection of
corridors / platforms / segments, a status threshold and/or an ``as_of`` year, closures
(segments, nodes, borders, countries, sea passages), additions (user nodes and segments)
and cost parameters (:mod:`corridors.scenario.costs`). It is read from TOML
(:func:`corridors.scenario.toml.load_scenario`) or built fluently::

    Scenario.full_vision().close_passage("hormuz").close_country("AFG").with_speed(rail=40)

Every method returns a new scenario. References to atlas entities are checked when the
scenario is applied to an atlas (:func:`corridors.scenario.resolve.resolve_scenario`), and
every problem is reported with the file, the TOML key, the bad value and a hint. The checks
of the scenario's own fields live in :mod:`corridors.scenario.checks`, closures and the
reading of ``close`` items in :mod:`corridors.scenario.closures` (both re-exported here).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from corridors.html import esc
from corridors.network.sea import normalise_passage, passage_hint
from corridors.scenario.checks import THRESHOLDS, as_of_problem, field_problems
from corridors.scenario.closures import CLOSURE_KINDS, ISO3_RE, Closure, classify_closure
from corridors.scenario.costs import (
    BORDER_RE,
    DEFAULT_CIRCUITY_WARN,
    CostModel,
    border_key,
    check_hours,
)
from corridors.scenario.problems import BUILDER, allowed_hint, scenario_error, scenario_problem
from corridors.vocab import MODES

if TYPE_CHECKING:
    from corridors.model import Atlas

__all__ = [
    "CLOSURE_KINDS",
    "DEFAULT_MODES",
    "ISO3_RE",
    "THRESHOLDS",
    "Closure",
    "Scenario",
    "classify_closure",
    "dedupe",
]

#: Modes routed by default: freight carriers. Pipelines, power lines and air are opt-in.
DEFAULT_MODES: tuple[str, ...] = ("rail", "road", "sea", "ferry")


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
    as_of : int, str or None
        The scenario's date: a year (its last day) or a ``"YYYY[-MM[-DD]]"`` date (the
        last day of that period). Segment and service statuses are read from their
        histories on it, and the closures of ``events.toml`` in force on it apply.
        ``None``: current statuses, and the events in force on the atlas's own as-of date
        (``atlas.toml``).
    include_suspended : bool
        Also include suspended and cancelled segments.
    ignore_events : bool
        Apply no dated closure from ``events.toml``.
    reopened : tuple of str
        Event closures lifted: event targets (``"border:AFG-PAK"``, ``"passage:hormuz"``,
        ``"node:torkham"``, ``"segment:iti-irn"``) or event ids.
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
    circuity_warn : float
        Routes longer than this many times the great-circle distance between their ends
        are reported as implausible (default
        :data:`~corridors.scenario.costs.DEFAULT_CIRCUITY_WARN`, >= 1).
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
    as_of: int | str | None = None
    include_suspended: bool = False
    ignore_events: bool = False
    reopened: tuple[str, ...] = ()
    modes: tuple[str, ...] = DEFAULT_MODES
    corridors: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    open_segments: tuple[str, ...] = ()
    closures: tuple[Closure, ...] = ()
    costs: CostModel = CostModel()  # noqa: RUF009 - a frozen dataclass, shared safely
    additions: tuple[tuple[str, str], ...] = ()
    circuity_warn: float = DEFAULT_CIRCUITY_WARN
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
            "reopened",
        ):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
        probs = field_problems(self)
        if probs:
            raise scenario_error(probs)
        object.__setattr__(self, "circuity_warn", float(self.circuity_warn))

    # ------------------------------------------------------------------ provenance
    def where_of(self, key: str, value: str, default: str) -> tuple[str, str]:
        """``(file, TOML key or builder call)`` that set ``value`` of ``key`` (else ``default``)."""
        hit = self.provenance.get(f"{key}:{value}")
        if hit is not None:
            return hit
        return (self.source or BUILDER, default)

    def _with(self, key: str, values: Iterable[str], call: str, **changes: Any) -> Scenario:
        prov = dict(self.provenance)
        for v in values:
            prov.setdefault(f"{key}:{v}", (BUILDER, call))
        return replace(self, provenance=MappingProxyType(prov), **changes)

    # ------------------------------------------------------------------ presets
    @classmethod
    def full_vision(cls) -> Scenario:
        """Everything in the atlas: up to ``proposed``, suspended and cancelled included,
        with no dated event closure (``ignore_events``)."""
        return cls(
            name="full-vision",
            include_suspended=True,
            ignore_events=True,
            description="Every segment, proposed and suspended ones included.",
        )

    @classmethod
    def today(cls) -> Scenario:
        """Operational segments only."""
        return cls(name="today", status="operational", description="Operational segments only.")

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str], *, atlas: Atlas | None = None) -> Scenario:
        """Read a scenario file (see :func:`~corridors.scenario.toml.load_scenario`)."""
        from corridors.scenario.toml import load_scenario

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
                    scenario_problem(
                        BUILDER,
                        "at_year()",
                        year,
                        "year must be an integer",
                        "e.g. at_year(2030)",
                        code="field-type",
                    )
                ]
            )
        return replace(self, as_of=year)

    def at_date(self, when: int | str) -> Scenario:
        """Statuses and event closures on a date: a year or ``"YYYY[-MM[-DD]]"``.

        Examples
        --------
        >>> Scenario.today().at_date("2023-06-01").as_of
        '2023-06-01'
        """
        problem = as_of_problem(when)
        if problem is not None:
            raise scenario_error(
                [
                    scenario_problem(
                        BUILDER,
                        f"at_date({when!r})",
                        when,
                        problem,
                        "e.g. at_date('2023-06-01') or at_date(2030)",
                        code="bad-date",
                    )
                ]
            )
        return replace(self, as_of=when.strip() if isinstance(when, str) else when)

    def ignoring_events(self, ignore: bool = True) -> Scenario:
        """The same scenario applying no dated closure of ``events.toml`` (or again all)."""
        return replace(self, ignore_events=bool(ignore))

    def reopen(self, *refs: str) -> Scenario:
        """Lift event closures: targets (``"border:AFG-PAK"``, ``"passage:hormuz"``,
        ``"node:<id>"``, ``"segment:<id>"``) or event ids; checked on resolution.

        Examples
        --------
        >>> Scenario.today().reopen("border:AFG-PAK").reopened
        ('border:AFG-PAK',)
        """
        for r in refs:
            if not isinstance(r, str) or not r.strip():
                raise scenario_error(
                    [
                        scenario_problem(
                            BUILDER,
                            f"reopen({r!r})",
                            r,
                            "a reopened target must be a non-empty string",
                            "e.g. reopen('border:AFG-PAK') or reopen('<event id>')",
                            code="field-type",
                        )
                    ]
                )
        clean = [r.strip() for r in refs]
        return self._with(
            "reopen", clean, f"reopen{tuple(clean)!r}", reopened=dedupe((*self.reopened, *clean))
        )

    def with_modes(self, *modes: str) -> Scenario:
        """Route only on these modes."""
        return self._with("modes", modes, f"with_modes{modes!r}", modes=tuple(modes))

    def with_corridors(self, *ids: str) -> Scenario:
        """Add corridors (and their descendants) to the selection."""
        return self._with(
            "corridors",
            ids,
            f"with_corridors{ids!r}",
            corridors=dedupe((*self.corridors, *ids)),
        )

    def with_platforms(self, *ids: str) -> Scenario:
        """Add the corridors of these platforms to the selection."""
        return self._with(
            "platforms",
            ids,
            f"with_platforms{ids!r}",
            platforms=dedupe((*self.platforms, *ids)),
        )

    def with_segments(self, *ids: str) -> Scenario:
        """Add segments to the selection (still subject to the status threshold)."""
        return self._with(
            "segments", ids, f"with_segments{ids!r}", segments=dedupe((*self.segments, *ids))
        )

    def open_segment(self, *ids: str) -> Scenario:
        """Include segments whatever their status or the selection."""
        return self._with(
            "open", ids, f"open_segment{ids!r}", open_segments=dedupe((*self.open_segments, *ids))
        )

    def close(self, *refs: str) -> Scenario:
        """Close anything: passage names, ISO3 countries, ``"AAA-BBB"`` borders, ids."""
        out = self
        for r in refs:
            c = classify_closure(r, file=BUILDER, where=f"close({r!r})")
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
                        scenario_problem(
                            BUILDER,
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
            if not (isinstance(c, str) and ISO3_RE.fullmatch(c.upper())):
                raise scenario_error(
                    [
                        scenario_problem(
                            BUILDER,
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
        c = classify_closure(text.upper(), file=BUILDER, where=f"close_border({text!r})")
        if c.kind != "border":
            raise scenario_error(
                [
                    scenario_problem(
                        BUILDER,
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
        """The same scenario with every closure lifted, dated event closures included."""
        return replace(self, closures=(), ignore_events=True)

    def with_circuity_warn(self, threshold: float) -> Scenario:
        """Circuity above which routes are reported as implausible (>= 1).

        >>> Scenario.today().with_circuity_warn(2.5).circuity_warn
        2.5
        """
        return self._with(
            "circuity_warn",
            [str(threshold)],
            f"with_circuity_warn({threshold!r})",
            circuity_warn=threshold,
        )

    def with_speed(self, **speed_kmh: float) -> Scenario:
        """Override speeds, km/h: ``with_speed(rail=40, sea=30)``."""
        cur = dict(self.costs.speed_kmh)
        for mode, v in speed_kmh.items():
            if mode not in MODES:
                raise scenario_error(
                    [
                        scenario_problem(
                            BUILDER,
                            f"with_speed({mode}=...)",
                            mode,
                            f"unknown mode {mode!r}",
                            allowed_hint(mode, MODES),
                            code="bad-mode",
                        )
                    ]
                )
            cur[mode] = check_hours(v, f"speed_kmh.{mode}", allow_zero=False)
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
            c = replace(c, transfer_h=check_hours(transfer_h, "transfer_h"))
        if border_dwell_h is not None:
            c = replace(c, border_dwell_h=check_hours(border_dwell_h, "border_dwell_h"))
        if break_of_gauge_h is not None:
            c = replace(c, break_of_gauge_h=check_hours(break_of_gauge_h, "break_of_gauge_h"))
        if border_dwell_h_by_border:
            cur = dict(c.border_dwell_h_by_border)
            for k, v in border_dwell_h_by_border.items():
                m = BORDER_RE.fullmatch(str(k).upper())
                if not m:
                    raise scenario_error(
                        [
                            scenario_problem(
                                BUILDER,
                                "border_dwell_h_by_border",
                                k,
                                "border keys are two ISO3 codes",
                                "e.g. 'AFG-PAK'",
                                code="bad-border",
                            )
                        ]
                    )
                cur[border_key(m.group(1), m.group(2))] = check_hours(
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
        if self.ignore_events:
            d["ignore_events"] = True
        if self.reopened:
            d["reopen"] = list(self.reopened)
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
        if self.circuity_warn != DEFAULT_CIRCUITY_WARN:
            d["circuity_warn"] = self.circuity_warn
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
                "events",
                "ignored"
                if self.ignore_events
                else (
                    "applied" + (f", reopened {', '.join(self.reopened)}" if self.reopened else "")
                ),
            ),
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
            ("circuity warn >", f"{self.circuity_warn:g}"),
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


def dedupe(items: Iterable[str]) -> tuple[str, ...]:
    """``items`` without repeats, first occurrence order."""
    return tuple(dict.fromkeys(items))
