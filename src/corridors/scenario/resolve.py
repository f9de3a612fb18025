"""Applying a scenario to an atlas: check every reference, compute the segment set, and
warn about opened or added segments that connect to nothing else (``isolated-link``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from corridors.errors import Problem, did_you_mean
from corridors.geo.geodesy import GEOD
from corridors.model import Atlas, Event, When
from corridors.network.sea import PASSAGES
from corridors.network.services import gated_status
from corridors.scenario.additions import apply_additions
from corridors.scenario.model import Scenario
from corridors.scenario.problems import scenario_error, scenario_problem
from corridors.vocab import STATUS_RANK

__all__ = ["ResolvedScenario", "resolve_scenario"]


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
    date : int, str or None
        The scenario's date: its ``as_of``, else the atlas's as-of date (``None`` when
        neither is set). Events and service statuses are read on it.
    events : tuple of str
        Ids of the event closures applied (in force on ``date``, not ignored or reopened).
    event_reasons : Mapping[str, tuple of str]
        Closure reason (``"border AFG-PAK"``, ``"passage hormuz"``, ``"node torkham"``,
        ``"segment iti-irn"``) → ids of the events that close it.
    scenario_reasons : frozenset of str
        Reasons closed by the scenario's own closures (whatever the events).
    warnings : tuple of Problem
        Severity ``warning``: opened (``open``) or added segments that connect to nothing
        else in the scenario's network (code ``isolated-link``), located at their
        scenario key.
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
    date: When | None = None
    events: tuple[str, ...] = ()
    event_reasons: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    scenario_reasons: frozenset[str] = frozenset()
    warnings: tuple[Problem, ...] = ()

    def closes(self, reason: str, mode: str) -> bool:
        """Whether closure ``reason`` applies to a piece of ``mode`` (event ``modes``)."""
        ids = self.event_reasons.get(reason)
        if not ids or reason in self.scenario_reasons:
            return True
        return any(
            not self.atlas.events[e].modes or mode in self.atlas.events[e].modes for e in ids
        )

    def explain(self, reason: str) -> str:
        """``reason`` with the events behind it: ``"border AFG-PAK (event x: note)"``."""
        ids = self.event_reasons.get(reason)
        if not ids:
            return reason
        parts = []
        for e in ids:
            ev = self.atlas.events[e]
            if ev.recurs is not None and ev.end is not None:
                span = f"every year {ev.start[5:]} to {ev.end[5:]}, since {ev.start[:4]}"
            else:
                span = f"since {ev.start}" + (f" until {ev.end}" if ev.end else "")
            parts.append(f"event {e}, {span}" + (f": {ev.note}" if ev.note else ""))
        return f"{reason} ({'; '.join(parts)})"


def _known_countries(atlas: Atlas) -> set[str]:
    out = {n.country for n in atlas.nodes.values()}
    if atlas.countries is not None:
        out.update(atlas.countries.codes)
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
    atlas2 = apply_additions(atlas, scenario, problems)
    if atlas2 is None:
        raise scenario_error(problems)
    s = scenario

    def bad(
        key: str, value: str, default_where: str, what: str, pool: Iterable[str], hint_extra=""
    ):
        f, w = s.where_of(key, value, default_where)
        guess = did_you_mean(value, pool)
        problems.append(
            scenario_problem(
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
                f, w = s.where_of(pk, c.ref, "close")
                problems.append(
                    scenario_problem(
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
                    f, w = s.where_of(pk, c.ref, "close")
                    problems.append(
                        scenario_problem(
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
                f, w = s.where_of(pk, c.ref, "close")
                pool = [*atlas2.segments, *atlas2.nodes, *PASSAGES]
                guess = did_you_mean(c.ref, pool)
                problems.append(
                    scenario_problem(
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
    when: When | None = s.as_of if s.as_of is not None else atlas2.as_of
    scenario_reasons = {_reason(c.kind, c.ref, atlas2) for c in s.closures}
    applied, event_reasons = _events_in_force(atlas2, s, when, problems)
    for reason in event_reasons:
        kind, _, ref = reason.partition(" ")
        if kind == "passage":
            closed_passages.add(ref)
            closed_nodes.update(n for n in PASSAGES[ref].nodes if n in atlas2.nodes)
        elif kind == "border":
            closed_borders.add(ref)
        elif kind == "node":
            closed_nodes.add(ref)
        else:
            closed_segments.add(ref)
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
        gated, from_services = gated_status(atlas2, sid, s.as_of)
        if gated:
            st = from_services
        if seg.mode not in s.modes:
            excluded[sid] = f"mode {seg.mode} not in the scenario's modes"
            continue
        if not forced:
            via = " (status of its services)" if gated else ""
            if st is None:
                excluded[sid] = (
                    f"no service running on {when}" if gated else f"no status yet in {s.as_of}"
                )
                continue
            rank = STATUS_RANK.get(st)
            if rank is None and not s.include_suspended:
                excluded[sid] = f"{st}{via} (include_suspended = false)"
                continue
            if rank is not None and rank > limit:
                excluded[sid] = f"{st}{via}, beyond the scenario's threshold '{s.status}'"
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
        date=when,
        events=applied,
        event_reasons=MappingProxyType(event_reasons),
        scenario_reasons=frozenset(scenario_reasons),
        warnings=isolated_link_warnings(atlas2, s, included),
    )


def _line_nodes(atlas: Atlas, sid: str) -> tuple[str, ...]:
    seg = atlas.segments[sid]
    return tuple(n for n in seg.node_ids_on_line if n in atlas.nodes)


def isolated_link_warnings(
    atlas: Atlas, scenario: Scenario, included: Iterable[str]
) -> tuple[Problem, ...]:
    """Warnings for opened or added segments joined to no other segment of the scenario.

    The segments forced in by the scenario (``open`` and ``[[add.segment]]``) are grouped
    with every included segment they share a node with, transitively; a group made only of
    forced segments is an island of the user's making, and each of its segments gets one
    ``isolated-link`` warning naming the group and the nearest node of the rest of the
    network. Closures are not considered. Order: the atlas' segment order.
    """
    inc = list(included)
    added = {json.loads(j).get("id") for kind, j in scenario.additions if kind == "segment"}
    forced = [sid for sid in inc if sid in scenario.open_segments or sid in added]
    if not forced:
        return ()
    by_node: dict[str, list[str]] = {}
    for sid in inc:
        for n in _line_nodes(atlas, sid):
            by_node.setdefault(n, []).append(sid)
    forced_set = set(forced)
    done: set[str] = set()
    out: list[Problem] = []
    for sid in forced:
        if sid in done:
            continue
        group: dict[str, None] = {}
        todo = [sid]
        while todo:
            cur = todo.pop()
            if cur in group:
                continue
            group[cur] = None
            for n in _line_nodes(atlas, cur):
                todo.extend(x for x in by_node[n] if x not in group)
        if not set(group) <= forced_set:
            continue
        members = [x for x in inc if x in group]
        done.update(members)
        out.extend(_isolated_problem(atlas, scenario, x, members, by_node) for x in members)
    return tuple(out)


def _isolated_problem(
    atlas: Atlas,
    scenario: Scenario,
    sid: str,
    members: list[str],
    by_node: Mapping[str, list[str]],
) -> Problem:
    seg = atlas.segments[sid]
    mine = {n for m in members for n in _line_nodes(atlas, m)}
    others = [n for n in by_node if n not in mine]
    key = "open" if sid in scenario.open_segments else "add.segment"
    f, w = scenario.where_of(key, sid, key)
    if key == "add.segment":
        for idx, (kind, j) in enumerate(scenario.additions):
            if kind == "segment" and json.loads(j).get("id") == sid:
                f, w = scenario.provenance.get(f"add.segment#{idx}") or (f, w)
    ends = ", ".join(_line_nodes(atlas, sid))
    if len(members) == 1:
        msg = (
            f"segment {sid} ({seg.name}) connects to nothing else in the scenario's network: "
            f"no other segment of the scenario touches {ends}"
        )
    else:
        msg = (
            f"segment {sid} ({seg.name}) is part of an island of opened/added segments "
            f"({', '.join(members)}) that connects to nothing else in the scenario's network"
        )
    hint = "open or add a segment joining it to the network"
    if others:
        best: tuple[float, int, str, str] | None = None
        order = {n: i for i, n in enumerate(atlas.nodes)}
        for a in sorted(mine, key=order.__getitem__):
            na = atlas.nodes[a]
            for b in others:
                nb = atlas.nodes[b]
                km = round(float(GEOD.inv(na.lon, na.lat, nb.lon, nb.lat)[2]) / 1000.0, 1)
                cand = (km, order[b], a, b)
                if best is None or cand < best:
                    best = cand
        assert best is not None
        km, _, a, b = best
        hint += f"; the nearest place on the rest of the network is {b}, {km:,.0f} km from {a}"
    return replace(
        scenario_problem(f, w, sid, msg, hint, code="isolated-link", entity=sid),
        severity="warning",
    )


def _reason(kind: str, ref: str, atlas: Atlas) -> str:
    """The closure reason the network gives for a scenario closure."""
    if kind == "id":
        kind = "segment" if ref in atlas.segments else "node"
    return f"{kind} {ref}"


def _target_reason(target: str) -> str:
    kind, _, ref = target.partition(":")
    return f"{kind} {ref}"


def _normal_target(ref: str) -> str:
    kind, sep, rest = ref.partition(":")
    if sep and kind == "border":
        a, _, b = rest.upper().partition("-")
        return f"border:{min(a, b)}-{max(a, b)}"
    return ref


def _events_in_force(
    atlas: Atlas, s: Scenario, when: When | None, problems: list[Problem]
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """Closure events applied on ``when``: their ids and reason → event ids.

    Reports unknown ``reopen`` entries and event passages unknown to the sea router.
    """
    targets = {t for ev in atlas.events.values() for t in ev.targets}
    reopened: set[str] = set()
    lifted: set[str] = set()
    for ref in s.reopened:
        norm = _normal_target(ref)
        if ref in atlas.events:
            lifted.add(ref)
        elif norm in targets or norm.partition(":")[0] in ("node", "border", "passage", "segment"):
            reopened.add(norm)
        else:
            f, w = s.where_of("reopen", ref, "reopen")
            guess = did_you_mean(ref, [*atlas.events, *sorted(targets)])
            problems.append(
                scenario_problem(
                    f,
                    w,
                    ref,
                    f"nothing to reopen called {ref!r} (not an event id or target)",
                    (guess + " " if guess else "")
                    + "reopen takes event ids or targets: 'border:AFG-PAK', 'passage:hormuz', "
                    "'node:<id>', 'segment:<id>'",
                    code="unknown-event",
                )
            )
    applied: list[str] = []
    reasons: dict[str, list[str]] = {}
    if s.ignore_events or when is None:
        return (), {}
    for ev in atlas.events.values():
        if ev.kind != "closure" or ev.id in lifted or not ev.in_force(when):
            continue
        hit = False
        for t in ev.targets:
            if t in reopened:
                continue
            if not _known_target(atlas, ev, t, problems):
                continue
            reasons.setdefault(_target_reason(t), []).append(ev.id)
            hit = True
        if hit:
            applied.append(ev.id)
    return tuple(applied), {k: tuple(v) for k, v in reasons.items()}


def _known_target(atlas: Atlas, ev: Event, target: str, problems: list[Problem]) -> bool:
    kind, _, ref = target.partition(":")
    if kind != "passage" or ref in PASSAGES:
        return True
    problems.append(
        scenario_problem(
            f"{atlas.root}/events.toml" if atlas.root else "events.toml",
            f"event {ev.id}.targets",
            target,
            f"unknown sea passage {ref!r}",
            did_you_mean(ref, PASSAGES) or "passages: " + ", ".join(PASSAGES),
            code="unknown-passage",
        )
    )
    return False
