"""The scenario report: km per corridor and country by status, hub-to-hub connectivity, and
the projects (count, MW and US$) per corridor and status."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from corridors.analytics.common import (
    format_cell,
    hub_pairs,
    markdown_table,
    round1,
    scenario_network,
    table_records,
    try_route,
)
from corridors.geo.measure import LAND_MODES, measure_segment
from corridors.html import esc
from corridors.model import Atlas
from corridors.scenario.model import Scenario
from corridors.textsafe import csv_cell, md_text
from corridors.vocab import STATUSES

__all__ = ["PROJECT_COLUMNS", "ScenarioReport", "project_table", "report"]


@dataclass
class ScenarioReport:
    """Tables describing one scenario.

    Attributes
    ----------
    scenario : Scenario
    summary : dict
        Counts and totals (segments, closed segments, open km…).
    corridor_km : DataFrame
        Per corridor (incl. descendants): effective km by scenario status, closed km, total.
    country_km : DataFrame
        Per country: land km by scenario status (sea legs are not attributed to countries).
    hubs : DataFrame
        Hub pairs: connected, length_km, hours, countries, border crossings, chokepoints.
    projects : DataFrame
        Per corridor (a project counts in its corridors and their ancestors) and status on
        the scenario's date: projects, generation MW (sector power), cost in million US$
        (each in its own year's dollars, summed as given) and projects without a cost.
    """

    scenario: Scenario
    summary: dict[str, Any]
    corridor_km: pd.DataFrame
    country_km: pd.DataFrame
    hubs: pd.DataFrame
    #: Km in disputed areas per corridor and per link (:mod:`corridors.analytics.disputed`).
    disputed_km: pd.DataFrame | None = None
    disputed_links: pd.DataFrame | None = None
    worldviews: tuple[str, ...] = ()
    projects: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name."""
        out = {"corridor_km": self.corridor_km, "country_km": self.country_km, "hubs": self.hubs}
        if self.disputed_km is not None and self.disputed_links is not None:
            out.update(disputed_km=self.disputed_km, disputed_links=self.disputed_links)
        if self.projects is not None:
            out["projects"] = self.projects
        return out

    def to_markdown(self) -> str:
        """The report as Markdown."""
        s = self.scenario
        lines = [f"# Scenario report: {md_text(s.name)}", ""]
        if s.description:
            lines += [md_text(s.description), ""]
        lines += [
            f"- {k.replace('_', ' ')}: {md_text(format_cell(v))}" for k, v in self.summary.items()
        ]
        lines += ["", "## Km per corridor by status (effective km)", ""]
        lines += [markdown_table(self.corridor_km), ""]
        lines += ["## Km per country by status (land modes, effective km)", ""]
        lines += [markdown_table(self.country_km), ""]
        lines += ["## Hub connectivity (fastest routes)", ""]
        lines += [markdown_table(self.hubs, index=False), ""]
        if self.disputed_km is not None and self.disputed_links is not None:
            from corridors.analytics.disputed import disputed_markdown

            lines += disputed_markdown(self.disputed_km, self.disputed_links, self.worldviews)
        if self.projects is not None and len(self.projects):
            lines += [
                "## Projects per corridor and status (generation MW; million US$ as published)",
                "",
            ]
            lines += [markdown_table(self.projects, index=False), ""]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "scenario": self.scenario.to_dict(),
            "summary": self.summary,
            **{name: table_records(df) for name, df in self.tables().items()},
        }

    def to_json(self) -> str:
        """The report as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        """All tables in one long CSV: ``table, key, column, value``."""
        rows = []
        for name, df in self.tables().items():
            for rec in table_records(df):
                keys = list(rec)
                nk = 2 if name in ("hubs", "disputed_links", "projects") else 1
                key = " / ".join(str(rec[k]) for k in keys[:nk])
                for k in keys[nk:]:
                    v = rec[k]
                    rows.append(
                        {
                            "table": name,
                            "key": csv_cell(key),
                            "column": csv_cell(k),
                            "value": csv_cell(">".join(v) if isinstance(v, list) else v),
                        }
                    )
        buf = io.StringIO()
        pd.DataFrame(rows, columns=["table", "key", "column", "value"]).to_csv(
            buf, index=False, lineterminator="\n"
        )
        return buf.getvalue()

    def _repr_html_(self) -> str:
        e = esc
        parts = [f"<details open><summary><b>Report</b> {e(self.scenario.name)}</summary>"]
        parts.append(
            "<ul>"
            + "".join(f"<li>{e(k)}: {e(format_cell(v))}</li>" for k, v in self.summary.items())
        )
        parts.append("</ul>")
        for name, df in self.tables().items():
            parts.append(f"<details><summary>{e(name)}</summary>{df.to_html()}</details>")
        return "".join(parts) + "</details>"


def report(
    atlas: Atlas,
    scenario: Scenario | str | None = None,
    *,
    hubs: Iterable[str] | None = None,
    worldviews: Iterable[str] | None = None,
) -> ScenarioReport:
    """Describe a scenario: km per corridor and country by status, hub connectivity.

    Parameters
    ----------
    atlas : Atlas
    scenario : Scenario, str or None
    hubs : iterable of str, optional
        Node ids or names; default the atlas's default hubs (``Atlas.hubs``) (those in the atlas).
    worldviews : iterable of str, optional
        Worldviews of the disputed-areas tables (default: every one,
        :data:`corridors.geo.disputed.WORLDVIEWS`).

    Returns
    -------
    ScenarioReport
    """
    net = scenario_network(atlas, scenario)
    a = net.atlas
    statuses = [s for s in STATUSES if s in set(net.resolved.status.values())]
    # corridors
    rows = []
    for cid, c in a.corridors.items():
        row: dict[str, Any] = {"corridor": cid, "name": c.name}
        for st in statuses:
            row[st] = 0.0
        row["closed_km"] = 0.0
        row["total_km"] = 0.0
        for sid in a.corridor_segments(cid):
            for pid in net.segment_pieces.get(sid, ()):
                p = net.pieces[pid]
                row[p.status] += p.length_km
                row["total_km"] += p.length_km
                if pid in net.closed:
                    row["closed_km"] += p.length_km
        rows.append(row)
    corridor_km = pd.DataFrame(
        rows, columns=["corridor", "name", *statuses, "closed_km", "total_km"]
    )
    corridor_km = corridor_km.set_index("corridor")
    # countries (land km from the foundation's per-country geodesic km, scaled to effective)
    by_country: dict[str, dict[str, float]] = {}
    for sid in net.resolved.segments:
        seg = a.segments[sid]
        if seg.mode not in LAND_MODES:
            continue
        m = measure_segment(a, seg)
        scale = (
            sum(net.pieces[p].length_km for p in net.segment_pieces[sid]) / m.length_km
            if m.length_km
            else 1.0
        )
        st = net.resolved.status[sid]
        for iso3, km in m.km_by_country:
            d = by_country.setdefault(iso3, {s: 0.0 for s in statuses})
            d[st] = d.get(st, 0.0) + km * scale
    country_km = pd.DataFrame.from_dict(by_country, orient="index", columns=statuses).fillna(0.0)
    country_km["total_km"] = country_km.sum(axis=1)
    country_km = country_km.sort_values("total_km", ascending=False)
    country_km.index.name = "country"
    # hubs
    hub_rows = []
    for o, dest in hub_pairs(a, hubs):
        r, err = try_route(net, o, dest, explain=False)
        hub_rows.append(
            {
                "origin": o,
                "destination": dest,
                "connected": r is not None,
                "length_km": round1(r.length_km) if r else None,
                "hours": round1(r.hours) if r else None,
                "border_crossings": len(r.border_crossings) if r else None,
                "countries": list(r.countries) if r else None,
                "chokepoints": list(r.chokepoints) if r else None,
                "note": None if r else err,
            }
        )
    hubs_df = pd.DataFrame(
        hub_rows,
        columns=[
            "origin",
            "destination",
            "connected",
            "length_km",
            "hours",
            "border_crossings",
            "countries",
            "chokepoints",
            "note",
        ],
    )
    open_km = sum(p.length_km for pid, p in net.pieces.items() if pid not in net.closed)
    summary = {
        "status_threshold": net.scenario.status,
        "as_of": net.scenario.as_of,
        "segments": len(net.resolved.segments),
        "segments_closed": sum(1 for s in net.segment_pieces if net.segment_state(s) == "closed"),
        "segments_partly_closed": sum(
            1 for s in net.segment_pieces if net.segment_state(s) == "partial"
        ),
        "open_km": round1(open_km),
        "closures": [str(c) for c in net.scenario.closures],
        "hub_pairs_connected": int(hubs_df["connected"].sum()) if len(hubs_df) else 0,
        "hub_pairs": len(hubs_df),
    }
    from corridors.analytics.disputed import corridor_disputed, disputed_parts, worldview_list

    wvs = worldview_list(worldviews)
    in_scenario = list(net.resolved.segments)
    when = net.scenario.as_of if net.scenario.as_of is not None else a.as_of
    projects_df = project_table(a, when)
    summary["projects"] = int(projects_df.loc[projects_df["corridor"] == "all", "projects"].sum())
    return ScenarioReport(
        net.scenario,
        summary,
        corridor_km.round(1),
        country_km.round(1),
        hubs_df,
        disputed_km=corridor_disputed(a, in_scenario, wvs),
        disputed_links=disputed_parts(a, in_scenario, wvs),
        worldviews=wvs,
        projects=projects_df,
    )


#: Columns of :func:`project_table`.
PROJECT_COLUMNS = ("corridor", "status", "projects", "power_mw", "cost_usd_m", "without_cost")


def project_table(atlas: Atlas, when: Any = None) -> pd.DataFrame:
    """Projects per corridor and status on ``when`` (their current status when ``None``).

    A project counts in each of its corridors and in their ancestors, once per corridor;
    the ``all`` rows count every project once. Projects whose history starts after
    ``when`` are left out. Rows in corridor file order, then status order.
    """
    sums: dict[tuple[str, str], list[float]] = {}

    def add(cid: str, status: str, mw: float | None, cost: float | None) -> None:
        row = sums.setdefault((cid, status), [0, 0.0, 0.0, 0])
        row[0] += 1
        row[1] += mw or 0.0
        row[2] += cost or 0.0
        row[3] += cost is None

    for p in atlas.projects.values():
        status = p.status if when is None else p.status_in(when)
        if status is None:
            continue
        mw = p.mw if p.sector == "power" else None  # generation, not line capacity
        cors = dict.fromkeys(c for cid in p.corridors for c in atlas.corridor_lineage(cid))
        for cid in cors:
            add(cid, status, mw, p.cost_usd_m)
        add("all", status, mw, p.cost_usd_m)
    order = {c: i for i, c in enumerate([*atlas.corridors, "all"])}
    rank = {s: i for i, s in enumerate(STATUSES)}
    rows = [
        {
            "corridor": cid,
            "status": st,
            "projects": int(v[0]),
            "power_mw": round1(v[1]),
            "cost_usd_m": round1(v[2]),
            "without_cost": int(v[3]),
        }
        for (cid, st), v in sorted(sums.items(), key=lambda kv: (order[kv[0][0]], rank[kv[0][1]]))
    ]
    return pd.DataFrame(rows, columns=list(PROJECT_COLUMNS))
