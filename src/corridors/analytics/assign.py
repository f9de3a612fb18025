"""All-or-nothing assignment of an OD demand table to best routes, with loads vs capacity.

:func:`assign` routes each flow of a :class:`~corridors.analytics.demand.Demand` on the
scenario's network (minimising the demand's ``by``: hours, US$, CO2e or generalized cost)
and adds its tonnes per year to everything the route uses:

* each **segment** it travels;
* each land **border crossing** (the border node, else the border ``AAA-BBB``);
* each **port** where it boards or leaves a vessel (sea or ferry leg);
* each **corridor** one of whose segments it uses (counted once per flow).

A load is compared with a capacity where ``costs.toml`` has one (``capacity.*`` in Mt/yr,
keyed to a segment, a node or a corridor; a node figure with a mode counts only the flows
passing the node by that mode; a seaport's figure only flows that board or leave a vessel
there). Everything else says ``capacity unknown``: no capacity is invented. A figure in
TEU/yr is listed but not compared (tonnes per box vary). ``claimed`` figures (an official's
statement) are marked. A flow with no route is listed as unassigned with the reason.
Flows are assigned all-or-nothing, so a load above capacity means the best route would be
congested, not that traffic would divert.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from corridors.analytics.common import markdown_table, scenario_network, try_route
from corridors.analytics.demand import Demand
from corridors.costs_table import CostParameter
from corridors.model import Atlas
from corridors.scenario.model import Scenario
from corridors.textsafe import md_text

__all__ = ["Assignment", "Load", "assign"]

_VESSEL = ("sea", "ferry")


@dataclass(frozen=True)
class Load:
    """Tonnes per year on one item and its capacity.

    Attributes
    ----------
    kind : str
        ``segment``, ``crossing``, ``border``, ``port``, ``node`` or ``corridor``.
    id : str
    tonnes_per_year : float
    flows : int
        Flows using it.
    capacity_t_per_year : float or None
        ``None``: unknown (no sourced capacity), or not comparable (TEU).
    capacity_param : str or None
        The ``costs.toml`` id of the capacity.
    claimed : bool
        The capacity is an official's statement.
    note : str
        ``capacity unknown``, ``capacity in TEU/yr, not compared``, or the range.
    """

    kind: str
    id: str
    tonnes_per_year: float
    flows: int
    capacity_t_per_year: float | None = None
    capacity_param: str | None = None
    claimed: bool = False
    note: str = "capacity unknown"

    @property
    def utilisation(self) -> float | None:
        """Load over capacity (1.0 = 100 %), ``None`` without a capacity."""
        c = self.capacity_t_per_year
        return self.tonnes_per_year / c if c else None

    @property
    def over(self) -> bool:
        """More than 100 % of capacity."""
        u = self.utilisation
        return u is not None and u > 1.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        u = self.utilisation
        return {
            "kind": self.kind,
            "id": self.id,
            "tonnes_per_year": round(self.tonnes_per_year, 1),
            "flows": self.flows,
            "capacity_t_per_year": self.capacity_t_per_year,
            "capacity_param": self.capacity_param,
            "claimed": self.claimed,
            "utilisation": round(u, 4) if u is not None else None,
            "over_capacity": self.over,
            "note": self.note,
        }


@dataclass
class Assignment:
    """The result of :func:`assign`."""

    scenario: str
    by: str
    flows: list[dict[str, Any]]
    loads: list[Load] = field(default_factory=list)

    @property
    def over_capacity(self) -> list[Load]:
        """Loads above 100 % of their capacity."""
        return [x for x in self.loads if x.over]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "scenario": self.scenario,
            "by": self.by,
            "method": "all-or-nothing",
            "flows": self.flows,
            "loads": [x.to_dict() for x in self.loads],
            "over_capacity": [x.id for x in self.over_capacity],
        }

    def to_json(self) -> str:
        """JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def text(self) -> str:
        """Plain text: flows, then loads with capacity (the CLI prints it)."""
        tot = sum(f["tonnes_per_year"] for f in self.flows)
        ok = [f for f in self.flows if f["routed"]]
        out = [
            f"assignment ({self.scenario}, by {self.by}, all-or-nothing): {len(ok)} of "
            f"{len(self.flows)} flows routed, {tot / 1e6:,.2f} Mt/yr"
        ]
        for f in self.flows:
            if not f["routed"]:
                out.append(f"  unassigned {f['origin']} → {f['destination']}: {f['reason']}")
        over = self.over_capacity
        out.append(
            f"  over capacity: {', '.join(x.id for x in over)}" if over else "  over capacity: none"
        )
        for x in self.loads:
            u = x.utilisation
            cap = (
                f"{u:.0%} of {x.capacity_t_per_year / 1e6:,.1f} Mt/yr ({x.capacity_param}"
                + (", claimed" if x.claimed else "")
                + ")"
                if u is not None and x.capacity_t_per_year
                else x.note
            )
            out.append(
                f"  {'!' if x.over else ' '} {x.kind:<8} {x.id:<34} "
                f"{x.tonnes_per_year / 1e6:>8,.2f} Mt/yr  {cap}"
            )
        return "\n".join(out)

    def to_markdown(self) -> str:
        """Markdown report."""
        import pandas as pd

        rows = [
            {
                "kind": x.kind,
                "id": x.id,
                "Mt/yr": round(x.tonnes_per_year / 1e6, 3),
                "capacity Mt/yr": (
                    round(x.capacity_t_per_year / 1e6, 2) if x.capacity_t_per_year else None
                ),
                "use": f"{x.utilisation:.0%}" if x.utilisation is not None else x.note,
                "over 100 %": "yes" if x.over else "",
            }
            for x in self.loads
        ]
        return (
            f"# Assignment: {md_text(self.scenario)}, by {md_text(self.by)}\n\n"
            + markdown_table(pd.DataFrame(rows), index=False)
            + "\n"
        )


def assign(
    atlas: Atlas,
    demand: Demand,
    scenario: Scenario | str | None = None,
    *,
    by: str | None = None,
) -> Assignment:
    """Assign ``demand`` all-or-nothing to best routes and report loads against capacity.

    Parameters
    ----------
    atlas : Atlas
    demand : Demand
        From :func:`corridors.analytics.demand.load_demand`.
    scenario : Scenario, str or None
        Default: the demand's own ``scenario``, else the full vision.
    by : str, optional
        Default: the demand's ``by``.

    Returns
    -------
    Assignment
        Loads sorted by utilisation (highest first; unknown capacity last), then tonnes.
    """
    net = scenario_network(atlas, scenario if scenario is not None else demand.scenario)
    weight = by or demand.by
    seg_t: dict[str, list[float]] = {}
    cross_t: dict[tuple[str, str], list[float]] = {}
    port_t: dict[str, list[float]] = {}
    routes = []
    flows: list[dict[str, Any]] = []
    for f in demand.flows:
        r, why = try_route(net, f.origin, f.destination, weight=weight, explain=False)
        row: dict[str, Any] = {
            "origin": f.origin,
            "destination": f.destination,
            "tonnes_per_year": f.tonnes_per_year,
            "routed": r is not None,
        }
        if r is None:
            row["reason"] = why
            flows.append(row)
            continue
        routes.append((f, r))
        row["segments"] = list(r.segments)
        row["hours"] = round(r.hours, 1)
        flows.append(row)
        for s in dict.fromkeys(r.segments):  # a segment left and re-joined counts once
            _add(seg_t, s, f.tonnes_per_year)
        for b in r.border_crossings:
            if b.mode in _VESSEL or b.mode == "air":
                continue
            key = (
                ("crossing", b.at)
                if b.at
                else ("border", "-".join(sorted((b.from_country, b.to_country))))
            )
            _add(cross_t, key, f.tonnes_per_year)
        for n in _ports(r):
            _add(port_t, n, f.tonnes_per_year)
    loads: dict[tuple[str, str], Load] = {}
    for s, v in seg_t.items():
        loads[("segment", s)] = Load("segment", s, sum(v), len(v))
    for (k, n), v in cross_t.items():
        loads[(k, n)] = Load(k, n, sum(v), len(v))
    for n, v in port_t.items():
        loads[("port", n)] = Load("port", n, sum(v), len(v))
    table = net.atlas.costs
    for p in table.of_kind("capacity") if table is not None else ():
        key, load = _capacity_load(net.atlas, p, routes, loads)
        if p.unit != "mt_per_year":  # listed beside the Mt/yr figure, not replacing it
            key = (f"{key[0]}-{p.unit}", key[1])
        loads[key] = _with_capacity(load, p)
    ordered = sorted(
        loads.values(),
        key=lambda x: (
            x.utilisation is None,
            -(x.utilisation or 0.0),
            -x.tonnes_per_year,
            x.kind,
            x.id,
        ),
    )
    return Assignment(net.scenario.name, weight, flows, ordered)


def _add(d: dict[Any, list[float]], key: Any, t: float) -> None:
    d.setdefault(key, []).append(t)


def _ports(r: Any) -> list[str]:
    out: list[str] = []
    for leg in r.legs:
        if leg.mode in _VESSEL:
            for n in (leg.from_node, leg.to_node):
                if n not in out:
                    out.append(n)
    return out


def _capacity_load(
    atlas: Atlas, p: CostParameter, routes: list[Any], loads: dict[tuple[str, str], Load]
) -> tuple[tuple[str, str], Load]:
    a = p.applies_to
    if a.segment:
        key = ("segment", a.segment)
        return key, loads.get(key, Load("segment", a.segment, 0.0, 0))
    if a.corridor:
        segs = set(atlas.corridors[a.corridor].segments) if a.corridor in atlas.corridors else set()
        hit = [f.tonnes_per_year for f, r in routes if segs & set(r.segments)]
        return ("corridor", a.corridor), Load("corridor", a.corridor, sum(hit), len(hit))
    if a.node:
        node = atlas.nodes.get(a.node)
        if node is not None and node.kind == "seaport" and a.mode is None:
            key = ("port", a.node)
            return key, loads.get(key, Load("port", a.node, 0.0, 0))
        hit = [
            f.tonnes_per_year
            for f, r in routes
            if any(a.node in leg.nodes and a.mode in (None, leg.mode) for leg in r.legs)
        ]
        return ("node", a.node), Load("node", a.node, sum(hit), len(hit))
    return ("capacity", p.id), Load("capacity", p.id, 0.0, 0, note="applies to nothing routable")


def _with_capacity(load: Load, p: CostParameter) -> Load:
    if p.unit != "mt_per_year":
        note = f"capacity {p.typical:,.0f} {p.unit} ({p.id}), not compared: tonnes per TEU vary"
        return Load(
            load.kind, load.id, load.tonnes_per_year, load.flows, None, p.id, p.claimed, note
        )
    note = f"{p.low:g}–{p.high:g} Mt/yr published"
    return Load(
        load.kind,
        load.id,
        load.tonnes_per_year,
        load.flows,
        p.typical * 1e6,
        p.id,
        p.claimed,
        note,
    )
