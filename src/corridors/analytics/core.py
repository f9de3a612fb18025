"""Corridor analytics on scenarios: reports, criticality sweeps, centrality, diffs, layers.

* :func:`report` — km per corridor by status, km per country, hub-to-hub connectivity.
* :func:`criticality` — close each link, border and sea passage in turn; rank them by the
  detour hours they cause and the origin-destination pairs they disconnect.
* :func:`centrality` — betweenness of nodes, and the share of hub-to-hub fastest routes
  touching / transiting each country (the "Pakistan as pivot state" question).
* :func:`diff` — what opened or closed between two scenarios and how reference routes change.
* :func:`scenario_layers` — plain GeoJSON for the map (segments with ``closed``, routes).

Tables are :class:`pandas.DataFrame`; lengths are effective km, times hours.
"""

from __future__ import annotations

import io
import json
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from corridors.errors import CorridorsError
from corridors.geo.measure import LAND_MODES, measure_segment
from corridors.html import esc
from corridors.model import Atlas
from corridors.network.graph import Network, build_network
from corridors.network.routing import Route, find_node, route_on
from corridors.network.sea import PASSAGES
from corridors.scenario.bundled import scenario_from_arg
from corridors.scenario.costs import border_key
from corridors.scenario.model import Scenario
from corridors.vocab import CHOKEPOINT_KIND, STATUSES

__all__ = [
    "DEFAULT_HUBS",
    "Centrality",
    "ScenarioDiff",
    "ScenarioReport",
    "centrality",
    "criticality",
    "diff",
    "hub_pairs",
    "report",
    "scenario_layers",
]

#: Hubs whose pairwise connectivity the report shows (those present in the atlas).
DEFAULT_HUBS: tuple[str, ...] = (
    "gwadar_port",
    "karachi_port",
    "islamabad",
    "kashgar",
    "kabul",
    "tashkent",
    "tehran",
    "baku",
    "tbilisi",
    "istanbul",
    "moscow",
    "jebel_ali",
    "djibouti",
)


def _r1(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 1)


def _net(atlas: Atlas, scenario: Scenario | str | None) -> Network:
    return build_network(atlas, scenario_from_arg(scenario, atlas=atlas))


def hub_pairs(atlas: Atlas, hubs: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """Unordered pairs of the hubs present in ``atlas`` (node ids or names)."""
    ids = []
    for h in hubs if hubs is not None else DEFAULT_HUBS:
        if h in atlas.nodes:
            ids.append(h)
        elif hubs is not None:
            ids.append(find_node(atlas, h))
    ids = list(dict.fromkeys(ids))
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]


def _try_route(net: Network, o: str, d: str, **kw: Any) -> tuple[Route | None, str | None]:
    try:
        return route_on(net, o, d, **kw), None
    except CorridorsError as exc:
        return None, str(exc)


# --------------------------------------------------------------------------- tables → text
def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):
        return f"{v:,.1f}"
    if isinstance(v, list | tuple):
        return (
            " > ".join(map(str, v))
            if all(isinstance(x, str) and len(x) == 3 for x in v)
            else ", ".join(map(str, v))
        )
    return str(v)


def markdown_table(df: pd.DataFrame, *, index: bool = True) -> str:
    """A GitHub-flavoured Markdown table of ``df`` (no ``tabulate`` needed)."""
    frame = df.reset_index() if index and df.index.name is not None else df
    cols = [str(c) for c in frame.columns]
    rows = [[_fmt(v).replace("|", "\\|") for v in rec] for rec in frame.itertuples(index=False)]
    out = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    frame = df.reset_index() if df.index.name is not None else df
    out = []
    for rec in frame.to_dict(orient="records"):
        clean = {}
        for k, v in rec.items():
            if isinstance(v, float):
                v = None if math.isnan(v) else round(v, 2)
            elif isinstance(v, tuple):
                v = list(v)
            clean[str(k)] = v
        out.append(clean)
    return out


# --------------------------------------------------------------------------- report
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
    """

    scenario: Scenario
    summary: dict[str, Any]
    corridor_km: pd.DataFrame
    country_km: pd.DataFrame
    hubs: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name."""
        return {"corridor_km": self.corridor_km, "country_km": self.country_km, "hubs": self.hubs}

    def to_markdown(self) -> str:
        """The report as Markdown."""
        s = self.scenario
        lines = [f"# Scenario report: {s.name}", ""]
        if s.description:
            lines += [s.description, ""]
        lines += [f"- {k.replace('_', ' ')}: {_fmt(v)}" for k, v in self.summary.items()]
        lines += ["", "## Km per corridor by status (effective km)", ""]
        lines += [markdown_table(self.corridor_km), ""]
        lines += ["## Km per country by status (land modes, effective km)", ""]
        lines += [markdown_table(self.country_km), ""]
        lines += ["## Hub connectivity (fastest routes)", ""]
        lines += [markdown_table(self.hubs, index=False), ""]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "scenario": self.scenario.to_dict(),
            "summary": self.summary,
            **{name: _records(df) for name, df in self.tables().items()},
        }

    def to_json(self) -> str:
        """The report as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        """All tables in one long CSV: ``table, key, column, value``."""
        rows = []
        for name, df in self.tables().items():
            for rec in _records(df):
                keys = list(rec)
                key = " / ".join(str(rec[k]) for k in keys[: 2 if name == "hubs" else 1])
                for k in keys[2 if name == "hubs" else 1 :]:
                    v = rec[k]
                    rows.append(
                        {
                            "table": name,
                            "key": key,
                            "column": k,
                            "value": ">".join(v) if isinstance(v, list) else v,
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
            "<ul>" + "".join(f"<li>{e(k)}: {e(_fmt(v))}</li>" for k, v in self.summary.items())
        )
        parts.append("</ul>")
        for name, df in self.tables().items():
            parts.append(f"<details><summary>{e(name)}</summary>{df.to_html()}</details>")
        return "".join(parts) + "</details>"


def report(
    atlas: Atlas, scenario: Scenario | str | None = None, *, hubs: Iterable[str] | None = None
) -> ScenarioReport:
    """Describe a scenario: km per corridor and country by status, hub connectivity.

    Parameters
    ----------
    atlas : Atlas
    scenario : Scenario, str or None
    hubs : iterable of str, optional
        Node ids or names; default :data:`DEFAULT_HUBS` (those in the atlas).

    Returns
    -------
    ScenarioReport
    """
    net = _net(atlas, scenario)
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
    for o, d in hub_pairs(a, hubs):
        r, err = _try_route(net, o, d, explain=False)
        hub_rows.append(
            {
                "origin": o,
                "destination": d,
                "connected": r is not None,
                "length_km": _r1(r.length_km) if r else None,
                "hours": _r1(r.hours) if r else None,
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
        "open_km": _r1(open_km),
        "closures": [str(c) for c in net.scenario.closures],
        "hub_pairs_connected": int(hubs_df["connected"].sum()) if len(hubs_df) else 0,
        "hub_pairs": len(hubs_df),
    }
    return ScenarioReport(net.scenario, summary, corridor_km.round(1), country_km.round(1), hubs_df)


# --------------------------------------------------------------------------- criticality
@dataclass(frozen=True)
class _Item:
    kind: str
    id: str
    name: str
    pieces: frozenset[str] = frozenset()
    passage: str | None = None


def _progress(total: int, progress: bool | Callable[[int, int], None] | None, desc: str):
    """Return ``tick()`` and ``close()`` for a progress display."""
    if callable(progress) and not isinstance(progress, bool):
        state = {"n": 0}

        def tick() -> None:
            state["n"] += 1
            progress(state["n"], total)  # type: ignore[operator]

        return tick, lambda: None
    show = progress if progress is not None else sys.stderr.isatty()
    if not show:
        return (lambda: None), (lambda: None)
    try:
        from tqdm import tqdm
    except ModuleNotFoundError:  # pragma: no cover - tqdm is optional
        state = {"n": 0}

        def tick() -> None:
            state["n"] += 1
            print(f"\r{desc}: {state['n']}/{total}", end="", file=sys.stderr, flush=True)

        return tick, lambda: print(file=sys.stderr)
    bar = tqdm(total=total, desc=desc, unit="closure", file=sys.stderr, leave=False)
    return (lambda: bar.update(1)), bar.close


def _criticality_items(net: Network) -> list[_Item]:
    items: list[_Item] = []
    for sid in net.open_segments():
        seg = net.atlas.segments[sid]
        pieces = frozenset(p for p in net.segment_pieces[sid] if p not in net.closed)
        items.append(_Item("segment", sid, seg.name, pieces))
    borders: dict[str, set[str]] = {}
    for pid, p in net.pieces.items():
        if pid in net.closed:
            continue
        for a, b in p.borders:
            borders.setdefault(border_key(a, b), set()).add(pid)
    for n in net.atlas.nodes.values():
        if n.kind == "border_crossing" and len(n.borders) == 2:
            key = border_key(*n.borders)
            if key in borders:
                borders[key].update(
                    pid
                    for pid, p in net.pieces.items()
                    if pid not in net.closed and n.id in (p.u, p.v)
                )
    for pid, p in net.pieces.items():
        if pid not in net.closed and p.mode in ("sea", "ferry") and len(p.countries) == 2:
            key = border_key(*p.countries)
            if key in borders:
                borders[key].add(pid)
    for key in sorted(borders):
        items.append(_Item("border", key, key.replace("-", "–"), frozenset(borders[key])))
    used = {k for pid, p in net.pieces.items() if pid not in net.closed for k in p.passages}
    for key, pas in PASSAGES.items():
        on_net = any(n in net.graph for n in pas.nodes)
        if (key in used or on_net) and key not in net.resolved.closed_passages:
            items.append(_Item("passage", key, pas.name, passage=key))
    return items


def criticality(
    atlas: Atlas,
    scenario: Scenario | str | None,
    od_pairs: Sequence[tuple[str, str]] | None = None,
    *,
    kinds: Iterable[str] = ("segment", "border", "passage"),
    progress: bool | Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Close each link, border and sea passage in turn and rank them by their damage.

    For every item, the origin-destination pairs whose fastest route uses it are routed
    again without it (pairs that do not use it cannot change).

    Parameters
    ----------
    atlas : Atlas
    scenario : Scenario, str or None
    od_pairs : sequence of (origin, destination), optional
        Node ids or names; default: the hub pairs of :func:`hub_pairs`.
    kinds : iterable of {"segment", "border", "passage"}
    progress : bool, callable or None
        ``None`` shows a progress bar when stderr is a terminal; a callable gets
        ``(done, total)``.

    Returns
    -------
    DataFrame
        One row per item: ``kind, id, name, pairs_using, pairs_disconnected, detour_h``
        (sum over still-connected pairs of the extra hours), ``detour_km``, ``rank``;
        sorted by pairs disconnected, then detour hours. Pairs unconnected in the scenario
        itself are ignored.
    """
    net = _net(atlas, scenario)
    pairs = (
        [(find_node(net.atlas, o), find_node(net.atlas, d)) for o, d in od_pairs]
        if od_pairs is not None
        else hub_pairs(net.atlas)
    )
    base: dict[tuple[str, str], Route] = {}
    for o, d in pairs:
        r, _ = _try_route(net, o, d, explain=False)
        if r is not None:
            base[(o, d)] = r
    wanted = set(kinds)
    items = [i for i in _criticality_items(net) if i.kind in wanted]
    tick, close = _progress(len(items), progress, "criticality")
    rows = []
    try:
        for item in items:
            using = []
            for od, r in base.items():
                if item.kind == "passage":
                    pas = PASSAGES[item.passage or ""]
                    hit = pas.chokepoint in r.chokepoints or any(
                        n in r.chokepoints for n in pas.nodes
                    )
                else:
                    hit = any(p in item.pieces for p in r.pieces)
                if hit:
                    using.append(od)
            disconnected = 0
            detour_h = detour_km = 0.0
            if using:
                if item.kind == "passage":
                    net2 = build_network(atlas, net.scenario.close_passage(item.passage or ""))

                    def run(o: str, d: str, net2: Network = net2) -> Route | None:
                        return _try_route(net2, o, d, explain=False)[0]

                else:
                    hidden_set = item.pieces

                    def hide(data: dict[str, Any], hidden_set: frozenset = hidden_set) -> bool:
                        return data.get("piece") in hidden_set

                    def run(o: str, d: str, hide: Callable = hide) -> Route | None:
                        return _try_route(net, o, d, hidden=hide, explain=False)[0]

                for o, d in using:
                    r2 = run(o, d)
                    if r2 is None:
                        disconnected += 1
                    else:
                        detour_h += r2.hours - base[(o, d)].hours
                        detour_km += r2.length_km - base[(o, d)].length_km
            rows.append(
                {
                    "kind": item.kind,
                    "id": item.id,
                    "name": item.name,
                    "pairs_using": len(using),
                    "pairs_disconnected": disconnected,
                    "detour_h": round(detour_h, 3),
                    "detour_km": round(detour_km, 3),
                }
            )
            tick()
    finally:
        close()
    df = pd.DataFrame(
        rows,
        columns=[
            "kind",
            "id",
            "name",
            "pairs_using",
            "pairs_disconnected",
            "detour_h",
            "detour_km",
        ],
    )
    df = df.sort_values(
        ["pairs_disconnected", "detour_h", "pairs_using", "kind", "id"],
        ascending=[False, False, False, True, True],
        kind="mergesort",
    ).reset_index(drop=True)
    df["rank"] = range(1, len(df) + 1)
    df.attrs["od_pairs"] = len(pairs)
    df.attrs["od_pairs_connected"] = len(base)
    return df


# --------------------------------------------------------------------------- centrality
@dataclass
class Centrality:
    """Node and country centrality of a scenario.

    Attributes
    ----------
    nodes : DataFrame
        ``node, name, country, betweenness`` (networkx betweenness on the open network,
        weighted by hours, normalised), ``hub_routes`` (hub-to-hub fastest routes passing
        the node, ends excluded), ``hub_share``.
    countries : DataFrame
        ``country, routes_touching, routes_transit`` (routes entering a country that is
        neither the origin's nor the destination's), ``share_touching, share_transit``.
    pairs : int
        Hub pairs routed (connected ones).
    """

    nodes: pd.DataFrame
    countries: pd.DataFrame
    pairs: int
    method: str = field(
        default=(
            "Hub pairs: every unordered pair of hubs present in the network is routed "
            "(fastest, scenario costs). A country is 'touched' by a route when it appears "
            "in the route's country sequence and 'transited' when it does so without being "
            "the origin's or the destination's country; shares divide by the number of "
            "connected pairs. Node betweenness is networkx's betweenness_centrality on the "
            "open network (parallel edges collapsed to the fastest), weighted by hours, "
            "normalised."
        )
    )

    def _repr_html_(self) -> str:
        return (
            f"<details open><summary><b>Centrality</b> ({self.pairs} hub pairs)</summary>"
            f"<p>{esc(self.method)}</p>{self.countries.to_html()}"
            f"<details><summary>nodes</summary>{self.nodes.head(25).to_html()}</details>"
            "</details>"
        )


def centrality(
    atlas: Atlas, scenario: Scenario | str | None = None, *, hubs: Iterable[str] | None = None
) -> Centrality:
    """Betweenness of nodes and countries over hub-to-hub fastest routes.

    Parameters
    ----------
    atlas : Atlas
    scenario : Scenario, str or None
    hubs : iterable of str, optional
        Default :data:`DEFAULT_HUBS`.

    Returns
    -------
    Centrality
    """
    net = _net(atlas, scenario)
    a = net.atlas
    simple = nx.Graph()
    for u, v, data in net.graph.edges(data=True):
        if not simple.has_edge(u, v) or simple[u][v]["hours"] > data["hours"]:
            simple.add_edge(u, v, hours=data["hours"])
    btw = nx.betweenness_centrality(simple, weight="hours", normalized=True) if simple else {}
    through: dict[str, int] = {}
    touching: dict[str, int] = {}
    transit: dict[str, int] = {}
    n_pairs = 0
    for o, d in hub_pairs(a, hubs):
        r, _ = _try_route(net, o, d, explain=False)
        if r is None:
            continue
        n_pairs += 1
        inner = {n for leg in r.legs for n in leg.nodes} - {o, d}
        for n in inner:
            through[n] = through.get(n, 0) + 1
        ends = {a.nodes[o].country, a.nodes[d].country}
        for c in set(r.countries):
            touching[c] = touching.get(c, 0) + 1
            if c not in ends:
                transit[c] = transit.get(c, 0) + 1
    node_rows = [
        {
            "node": n,
            "name": a.nodes[n].name,
            "country": a.nodes[n].country,
            "betweenness": round(btw.get(n, 0.0), 4),
            "hub_routes": through.get(n, 0),
            "hub_share": round(through.get(n, 0) / n_pairs, 4) if n_pairs else 0.0,
        }
        for n in net.graph.nodes
    ]
    nodes_df = (
        pd.DataFrame(
            node_rows,
            columns=["node", "name", "country", "betweenness", "hub_routes", "hub_share"],
        )
        .sort_values(["hub_routes", "betweenness", "node"], ascending=[False, False, True])
        .reset_index(drop=True)
    )
    c_rows = [
        {
            "country": c,
            "routes_touching": touching.get(c, 0),
            "routes_transit": transit.get(c, 0),
            "share_touching": round(touching.get(c, 0) / n_pairs, 4) if n_pairs else 0.0,
            "share_transit": round(transit.get(c, 0) / n_pairs, 4) if n_pairs else 0.0,
        }
        for c in sorted(touching)
    ]
    c_df = (
        pd.DataFrame(
            c_rows,
            columns=[
                "country",
                "routes_touching",
                "routes_transit",
                "share_touching",
                "share_transit",
            ],
        )
        .sort_values(
            ["routes_touching", "routes_transit", "country"], ascending=[False, False, True]
        )
        .reset_index(drop=True)
    )
    return Centrality(nodes=nodes_df, countries=c_df, pairs=n_pairs)


# --------------------------------------------------------------------------- diff
@dataclass
class ScenarioDiff:
    """Differences between scenario ``a`` and scenario ``b``.

    Attributes
    ----------
    a, b : str
        Scenario names.
    opened : list of str
        Segments open (at least partly) in ``b`` but not in ``a``.
    closed : list of str
        Segments open in ``a`` but not in ``b``.
    routes : DataFrame
        Per reference pair: km, hours, countries and chokepoints in each scenario, deltas
        and a ``change`` label (same, changed, lost, gained, none).
    """

    a: str
    b: str
    opened: list[str]
    closed: list[str]
    routes: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "a": self.a,
            "b": self.b,
            "opened": self.opened,
            "closed": self.closed,
            "routes": _records(self.routes),
        }

    def to_json(self) -> str:
        """JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_markdown(self) -> str:
        """Markdown text."""
        lines = [f"# {self.a} → {self.b}", ""]
        lines.append(f"- opened in {self.b}: {', '.join(self.opened) or 'none'}")
        lines.append(f"- closed or left out in {self.b}: {', '.join(self.closed) or 'none'}")
        lines += ["", "## Reference routes", "", markdown_table(self.routes, index=False), ""]
        return "\n".join(lines)

    def to_html(self) -> str:
        """A standalone HTML page."""
        e = esc
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            f"<title>{e(self.a)} → {e(self.b)}</title></head><body>"
            f"<h1>{e(self.a)} → {e(self.b)}</h1>"
            f"<p>opened in {e(self.b)}: {e(', '.join(self.opened) or 'none')}</p>"
            f"<p>closed or left out in {e(self.b)}: {e(', '.join(self.closed) or 'none')}</p>"
            f"{self.routes.to_html(index=False)}</body></html>\n"
        )

    def _repr_html_(self) -> str:
        e = esc
        return (
            f"<details open><summary><b>Diff</b> {e(self.a)} → {e(self.b)}</summary>"
            f"<p>opened: {e(', '.join(self.opened) or 'none')}<br>"
            f"closed: {e(', '.join(self.closed) or 'none')}</p>"
            f"{self.routes.to_html(index=False)}</details>"
        )


def diff(
    atlas: Atlas,
    a: Scenario | str | None,
    b: Scenario | str | None,
    reference_pairs: Sequence[tuple[str, str]] | None = None,
) -> ScenarioDiff:
    """Compare two scenarios: segments opened/closed and reference routes.

    Parameters
    ----------
    atlas : Atlas
    a, b : Scenario, str or None
    reference_pairs : sequence of (origin, destination), optional
        Node ids or names; default: the hub pairs.

    Returns
    -------
    ScenarioDiff
    """
    na, nb = _net(atlas, a), _net(atlas, b)
    open_a = set(na.open_segments())
    open_b = set(nb.open_segments())
    order = list(dict.fromkeys([*na.atlas.segments, *nb.atlas.segments]))
    opened = [s for s in order if s in open_b and s not in open_a]
    closed = [s for s in order if s in open_a and s not in open_b]
    pairs = (
        [(find_node(na.atlas, o), find_node(na.atlas, d)) for o, d in reference_pairs]
        if reference_pairs is not None
        else hub_pairs(na.atlas)
    )
    rows = []
    for o, d in pairs:
        ra, _ = _try_route(na, o, d, explain=False) if _on(na, o, d) else (None, None)
        rb, _ = _try_route(nb, o, d, explain=False) if _on(nb, o, d) else (None, None)
        if ra is None and rb is None:
            change = "none"
        elif ra is None:
            change = "gained"
        elif rb is None:
            change = "lost"
        elif (
            abs(ra.hours - rb.hours) < 1e-9
            and abs(ra.length_km - rb.length_km) < 1e-9
            and ra.countries == rb.countries
            and ra.chokepoints == rb.chokepoints
        ):
            change = "same"
        else:
            change = "changed"
        rows.append(
            {
                "origin": o,
                "destination": d,
                "change": change,
                "km_a": _r1(ra.length_km) if ra else None,
                "km_b": _r1(rb.length_km) if rb else None,
                "delta_km": _r1(rb.length_km - ra.length_km) if ra and rb else None,
                "hours_a": _r1(ra.hours) if ra else None,
                "hours_b": _r1(rb.hours) if rb else None,
                "delta_h": _r1(rb.hours - ra.hours) if ra and rb else None,
                "countries_a": list(ra.countries) if ra else None,
                "countries_b": list(rb.countries) if rb else None,
                "chokepoints_a": list(ra.chokepoints) if ra else None,
                "chokepoints_b": list(rb.chokepoints) if rb else None,
            }
        )
    cols = [
        "origin",
        "destination",
        "change",
        "km_a",
        "km_b",
        "delta_km",
        "hours_a",
        "hours_b",
        "delta_h",
        "countries_a",
        "countries_b",
        "chokepoints_a",
        "chokepoints_b",
    ]
    return ScenarioDiff(
        na.scenario.name, nb.scenario.name, opened, closed, pd.DataFrame(rows, columns=cols)
    )


def _on(net: Network, o: str, d: str) -> bool:
    return o in net.atlas.nodes and d in net.atlas.nodes


# --------------------------------------------------------------------------- map layers
def _fc(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def segment_features(net: Network) -> list[dict[str, Any]]:
    """One GeoJSON Feature per run of equally open/closed pieces of each segment."""
    feats = []
    a = net.atlas
    for sid, pids in net.segment_pieces.items():
        seg = a.segments[sid]
        cors = a.corridors_of(sid)
        for closed, group in _runs(pids, lambda p: p in net.closed):
            pieces = [net.pieces[p] for p in group]
            coords: list[tuple[float, float]] = []
            for p in pieces:
                coords.extend(p.coords if not coords else p.coords[1:])
            reasons = sorted({w for p in group for w in net.closed.get(p, ())})
            countries: list[str] = []
            for p in pieces:
                for c in p.countries:
                    if not countries or countries[-1] != c:
                        countries.append(c)
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[round(x, 5), round(y, 5)] for x, y in coords],
                    },
                    "properties": {
                        "id": sid,
                        "name": seg.name,
                        "from": pieces[0].u,
                        "to": pieces[-1].v,
                        "mode": seg.mode,
                        "status": net.resolved.status[sid],
                        "corridor": cors[0] if cors else None,
                        "closed": closed,
                        "closed_by": reasons,
                        "length_km": round(sum(p.length_km for p in pieces), 1),
                        "hours": round(sum(p.hours for p in pieces), 2),
                        "countries": countries,
                        "gauge_mm": sorted({p.gauge_mm for p in pieces if p.gauge_mm}) or None,
                        "chokepoints": [c for p in pieces for c in p.chokepoints],
                        "length_basis": pieces[0].length_basis,
                        "scenario": net.scenario.name,
                    },
                }
            )
    return feats


def _runs(items: Sequence[str], key: Callable[[str], bool]) -> list[tuple[bool, list[str]]]:
    out: list[tuple[bool, list[str]]] = []
    for it in items:
        k = key(it)
        if out and out[-1][0] == k:
            out[-1][1].append(it)
        else:
            out.append((k, [it]))
    return out


def scenario_layers(
    atlas: Atlas, scenario: Scenario | str | None = None, routes: Iterable[Route] = ()
) -> dict[str, dict[str, Any]]:
    """GeoJSON FeatureCollections for drawing a scenario.

    Returns
    -------
    dict
        ``segments`` (property ``closed`` true/false, ``closed_by``, ``status``, ``mode``…;
        a partly closed segment gives one feature per open/closed run), ``nodes`` (the
        scenario's nodes, ``closed`` when a closure shuts them) and ``routes`` (one
        LineString per leg, property ``route: true``).
    """
    net = _net(atlas, scenario)
    nodes = []
    for nid in net.nodes_in_scenario():
        n = net.atlas.nodes[nid]
        nodes.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [n.lon, n.lat]},
                "properties": {
                    "id": n.id,
                    "name": n.name,
                    "kind": n.kind,
                    "country": n.country,
                    "closed": nid in net.closed_nodes,
                    "chokepoint": n.kind == CHOKEPOINT_KIND,
                },
            }
        )
    route_feats: list[dict[str, Any]] = []
    for i, r in enumerate(routes):
        for f in r.to_geojson()["features"]:
            f["properties"]["route_index"] = i
            route_feats.append(f)
    return {
        "segments": _fc(segment_features(net)),
        "nodes": _fc(nodes),
        "routes": _fc(route_feats),
    }


# --------------------------------------------------------------------------- export
#: Export formats by file extension.
EXPORT_FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".parquet": "parquet"}


def scenario_geodataframe(atlas: Atlas, scenario: Scenario | str | None = None):
    """The scenario's segments with computed attributes as a GeoDataFrame (EPSG:4326).

    List-valued properties (countries, closed_by, chokepoints, gauge_mm) are joined into
    strings (``"PAK>IRN"``) so every format can store them.
    """
    import geopandas as gpd

    feats = segment_features(_net(atlas, scenario))
    for f in feats:
        props = f["properties"]
        props["countries"] = ">".join(props["countries"])
        props["closed_by"] = "; ".join(props["closed_by"])
        props["chokepoints"] = ",".join(props["chokepoints"])
        props["gauge_mm"] = ",".join(map(str, props["gauge_mm"] or []))
    cols = list(feats[0]["properties"]) if feats else ["id"]
    return gpd.GeoDataFrame.from_features(feats, crs="EPSG:4326", columns=[*cols, "geometry"])


def export_scenario(
    atlas: Atlas,
    scenario: Scenario | str | None,
    path: str,
    *,
    overwrite: bool = False,
    inputs: Iterable[str] = (),
) -> str:
    """Write the scenario's segments (computed attributes, EPSG:4326) to a file.

    The format follows the extension: ``.geojson``, ``.gpkg`` (layer ``segments``) or
    ``.parquet`` (GeoParquet). The path is checked before any work and written atomically.

    Returns
    -------
    str
        The resolved output path.

    Raises
    ------
    OutputError
        Bad extension, existing file without ``overwrite``, missing directory, or the path
        equals an input.
    """
    from pathlib import Path

    from corridors.io.atomic import check_output_path, write_atomic, write_text_atomic

    out = check_output_path(path, suffixes=EXPORT_FORMATS, overwrite=overwrite, inputs=inputs)
    fmt = EXPORT_FORMATS[out.suffix.lower()]
    net = _net(atlas, scenario)
    if fmt == "geojson":
        text = json.dumps(_fc(segment_features(net)), ensure_ascii=False)
        write_text_atomic(out, text + "\n")
        return str(out)
    gdf = scenario_geodataframe(atlas, net.scenario)

    def writer(tmp: Path) -> None:
        if fmt == "gpkg":
            import warnings

            tmp.unlink(missing_ok=True)
            with warnings.catch_warnings():  # GDAL dislikes the temp file's extension
                warnings.simplefilter("ignore", RuntimeWarning)
                gdf.to_file(tmp, driver="GPKG", layer="segments")
        else:
            gdf.to_parquet(tmp)

    write_atomic(out, writer)
    return str(out)
