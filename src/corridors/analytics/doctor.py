"""A scenario network's health: dead ends, islands and hub pairs without a plausible route.

:func:`doctor` looks at the scenario's *open* network (pieces not closed) and lists

* **dead ends** — places of the main network joined to exactly one other place (an
  island's places are listed with the island), except those whose kind is a
  natural terminus (:data:`TERMINUS_KINDS`: a seaport is where land lines meet the sea, so
  one line ending there is normal; a gas field is where a pipeline starts; an airport is
  where a flight ends);
* **islands** — connected parts of the network other than the main (largest) one, with
  their places, segments and the nearest place of the main network;
* **hub pairs** — pairs of hubs (``Atlas.hubs`` from ``hubs.toml`` unless given) whose
  best route is implausible (circuity above the scenario's ``circuity_warn``) or missing,
  with the warnings of :mod:`corridors.network.plausibility` (missing links named);
* the scenario's own warnings (``isolated-link``).

The report is deterministic (atlas order, then hub order) and JSON-ready; ``corridors
doctor`` prints it and exits 1 when it lists anything, 0 when the network is clean.

Examples
--------
>>> rep = doctor(None, "full-vision")
>>> rep.pairs_checked > 0, isinstance(rep.ok, bool)
(True, True)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from corridors.analytics.common import hub_pairs, scenario_network
from corridors.errors import Problem, RouteNotFound
from corridors.html import esc
from corridors.model import Atlas
from corridors.network import plausibility
from corridors.network.graph import Network
from corridors.network.route import RouteWarning
from corridors.network.routing import default_atlas, route_on
from corridors.scenario.model import Scenario

__all__ = ["TERMINUS_KINDS", "DeadEnd", "DoctorReport", "HubFinding", "Island", "doctor"]

#: Node kinds where a single line may end without it being a gap (see module docstring).
TERMINUS_KINDS = frozenset({"seaport", "gas_field", "airport"})


@dataclass(frozen=True)
class DeadEnd:
    """A place joined to one other place only."""

    node: str
    name: str
    kind: str
    country: str
    neighbour: str
    segments: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "node": self.node,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "neighbour": self.neighbour,
            "segments": list(self.segments),
        }


@dataclass(frozen=True)
class Island:
    """A connected part of the open network apart from the main one.

    ``nearest`` is ``(island node, main-network node, km)``: the closest pair, geodesic.
    """

    nodes: tuple[str, ...]
    segments: tuple[str, ...]
    nearest: tuple[str, str, float] | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        near = None
        if self.nearest is not None:
            a, b, km = self.nearest
            near = {"node": a, "network_node": b, "km": round(km, 1)}
        return {"nodes": list(self.nodes), "segments": list(self.segments), "nearest": near}


@dataclass(frozen=True)
class HubFinding:
    """A hub pair whose best route is ``implausible``, missing (``no-route``) or whose
    hub is not on the open network (``off-network``)."""

    origin: str
    destination: str
    problem: str
    length_km: float | None
    geodesic_km: float
    circuity: float | None
    warnings: tuple[RouteWarning, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "origin": self.origin,
            "destination": self.destination,
            "problem": self.problem,
            "length_km": None if self.length_km is None else round(self.length_km, 1),
            "geodesic_km": round(self.geodesic_km, 1),
            "circuity": None if self.circuity is None else round(self.circuity, 3),
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _problem_dict(p: Problem) -> dict[str, Any]:
    return {
        "code": p.code,
        "severity": p.severity,
        "entity": p.entity,
        "message": p.message,
        "hint": p.hint,
    }


@dataclass(frozen=True)
class DoctorReport:
    """What :func:`doctor` found (see the module docstring)."""

    scenario: str
    circuity_warn: float
    hubs: tuple[str, ...]
    pairs_checked: int
    dead_ends: tuple[DeadEnd, ...]
    islands: tuple[Island, ...]
    hub_pairs: tuple[HubFinding, ...]
    scenario_warnings: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """``True`` when nothing was found."""
        return not (self.dead_ends or self.islands or self.hub_pairs or self.scenario_warnings)

    def counts(self) -> dict[str, int]:
        """Number of findings of each kind."""
        return {
            "dead_ends": len(self.dead_ends),
            "islands": len(self.islands),
            "implausible_hub_pairs": len(self.hub_pairs),
            "scenario_warnings": len(self.scenario_warnings),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the stable ``corridors doctor --json`` interface)."""
        return {
            "scenario": self.scenario,
            "circuity_warn": self.circuity_warn,
            "ok": self.ok,
            "summary": {**self.counts(), "hub_pairs_checked": self.pairs_checked},
            "hubs": list(self.hubs),
            "dead_ends": [d.to_dict() for d in self.dead_ends],
            "islands": [i.to_dict() for i in self.islands],
            "hub_pairs": [h.to_dict() for h in self.hub_pairs],
            "scenario_warnings": [_problem_dict(p) for p in self.scenario_warnings],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON, newline-terminated."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_text(self) -> str:
        """The report as text lines (what ``corridors doctor`` prints)."""
        lines = [f"scenario {self.scenario}: circuity threshold {self.circuity_warn:g}"]
        lines.append(f"dead ends ({len(self.dead_ends)}):")
        for d in self.dead_ends:
            lines.append(
                f"  {d.node} ({d.name}; {d.kind}, {d.country}): only linked to {d.neighbour} "
                f"by {', '.join(d.segments)}"
            )
        lines.append(f"islands ({len(self.islands)}):")
        for i in self.islands:
            near = ""
            if i.nearest is not None:
                a, b, km = i.nearest
                near = f"; nearest: {a} is {km:,.0f} km from {b} on the main network"
            lines.append(
                f"  {len(i.nodes)} place(s) {', '.join(i.nodes)}; segments "
                f"{', '.join(i.segments)}{near}"
            )
        lines.append(
            f"hub pairs without a plausible route ({len(self.hub_pairs)} of {self.pairs_checked}):"
        )
        for h in self.hub_pairs:
            what = {
                "implausible": f"{h.length_km or 0:,.0f} km for {h.geodesic_km:,.0f} km "
                f"great circle (circuity {h.circuity or 0:.2f})",
                "no-route": f"no route ({h.geodesic_km:,.0f} km great circle)",
                "off-network": "a hub is not on the open network",
            }[h.problem]
            lines.append(f"  {h.origin} → {h.destination}: {what}")
            lines.extend(
                f"    - [{w.code}] {w.message}" for w in h.warnings if w.code != "circuitous"
            )
        if self.scenario_warnings:
            lines.append(f"scenario warnings ({len(self.scenario_warnings)}):")
            lines.extend("  " + p.format() for p in self.scenario_warnings)
        c = self.counts()
        lines.append(
            "OK: no dead ends, islands or implausible hub pairs"
            if self.ok
            else f"{c['dead_ends']} dead end(s), {c['islands']} island(s), "
            f"{c['implausible_hub_pairs']} implausible hub pair(s), "
            f"{c['scenario_warnings']} scenario warning(s)"
        )
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        e = esc
        body = "".join(f"<li>{e(line)}</li>" for line in self.to_text().splitlines()[1:])
        return (
            f"<details open><summary><b>Doctor</b> {e(self.scenario)} "
            f"({'OK' if self.ok else 'problems'})</summary><ul>{body}</ul></details>"
        )


# --------------------------------------------------------------------------- checks
def _open_graph(net: Network) -> nx.MultiGraph[str]:
    g = net.graph
    return g.subgraph([n for n in g.nodes if g.degree(n) > 0])


def _dead_ends(net: Network, g: nx.MultiGraph[str]) -> list[DeadEnd]:
    out = []
    for nid in net.atlas.nodes:
        if nid not in g:
            continue
        nbrs = sorted(set(g.neighbors(nid)) - {nid})
        node = net.atlas.nodes[nid]
        if len(nbrs) != 1 or node.kind in TERMINUS_KINDS:
            continue
        segs = sorted({d["segment"] for d in g.get_edge_data(nid, nbrs[0]).values()})
        out.append(DeadEnd(nid, node.name, node.kind, node.country, nbrs[0], tuple(segs)))
    return out


def _islands(net: Network, g: nx.MultiGraph[str]) -> list[Island]:
    order = {n: i for i, n in enumerate(net.atlas.nodes)}
    comps = [sorted(c, key=order.__getitem__) for c in nx.connected_components(g)]
    if len(comps) < 2:
        return []
    comps.sort(key=lambda c: (-len(c), order[c[0]]))
    main = comps[0]
    seg_order = {s: i for i, s in enumerate(net.segment_pieces)}
    out = []
    for comp in comps[1:]:
        segs = sorted(
            {d["segment"] for _u, _v, d in g.edges(comp, data=True)}, key=seg_order.__getitem__
        )
        best: tuple[float, int, int, str, str] | None = None
        for a in comp:
            for b in main:
                km = round(plausibility.geodesic_km(net, a, b), 3)
                cand = (km, order[a], order[b], a, b)
                if best is None or cand < best:
                    best = cand
        near = None if best is None else (best[3], best[4], best[0])
        out.append(Island(tuple(comp), tuple(segs), near))
    return out


def _hub_findings(
    net: Network, pairs: Iterable[tuple[str, str]], thr: float
) -> tuple[list[HubFinding], int]:
    out: list[HubFinding] = []
    n = 0
    on = net.open_nodes()
    for o, d in pairs:
        n += 1
        geo = plausibility.geodesic_km(net, o, d)
        if o not in on or d not in on:
            off = [x for x in (o, d) if x not in on]
            w = RouteWarning(
                "off-network",
                f"hub {', '.join(off)} has no open segment in scenario '{net.scenario.name}'",
                tuple(off),
            )
            out.append(HubFinding(o, d, "off-network", None, geo, None, (w,)))
            continue
        try:
            r = route_on(net, o, d, explain=False)
        except RouteNotFound:
            warns = plausibility.diagnose(net, o, d, threshold=thr)
            out.append(HubFinding(o, d, "no-route", None, geo, None, warns))
            continue
        c = r.circuity
        if c is None or c <= thr:
            continue
        r = plausibility.explain_route(net, r)
        out.append(HubFinding(o, d, "implausible", r.length_km, geo, c, r.warnings))
    return out, n


def doctor(
    atlas: Atlas | None = None,
    scenario: Scenario | str | None = None,
    *,
    hubs: Iterable[str] | None = None,
    circuity_warn: float | None = None,
) -> DoctorReport:
    """Dead ends, islands and hub pairs without a plausible route in a scenario's network.

    Parameters
    ----------
    atlas : Atlas or None
        ``None`` for the bundled atlas.
    scenario : Scenario, str or None
        A scenario, file or bundled name; ``None`` for the full vision.
    hubs : iterable of str, optional
        Hub node ids or names (default: the atlas' hubs, ``hubs.toml``).
    circuity_warn : float, optional
        Threshold overriding the scenario's ``circuity_warn``.

    Returns
    -------
    DoctorReport
    """
    atlas = atlas if atlas is not None else default_atlas()
    net = scenario_network(atlas, scenario)
    if circuity_warn is not None:
        net = scenario_network(atlas, net.scenario.with_circuity_warn(circuity_warn))
    thr = net.scenario.circuity_warn
    g = _open_graph(net)
    islands = _islands(net, g)
    on_islands = {n for i in islands for n in i.nodes}
    pairs = hub_pairs(net.atlas, hubs)
    hub_ids = tuple(dict.fromkeys(x for p in pairs for x in p))
    findings, n = _hub_findings(net, pairs, thr)
    return DoctorReport(
        scenario=net.scenario.name,
        circuity_warn=thr,
        hubs=hub_ids,
        pairs_checked=n,
        dead_ends=tuple(d for d in _dead_ends(net, g) if d.node not in on_islands),
        islands=tuple(islands),
        hub_pairs=tuple(findings),
        scenario_warnings=net.resolved.warnings,
    )
