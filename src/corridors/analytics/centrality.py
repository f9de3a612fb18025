"""Centrality: betweenness of nodes, and countries touched / transited by hub routes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from corridors.analytics.common import hub_pairs, scenario_network, try_route
from corridors.html import esc
from corridors.model import Atlas
from corridors.scenario.model import Scenario

__all__ = ["Centrality", "centrality"]


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
        Default the atlas's default hubs (``Atlas.hubs``).

    Returns
    -------
    Centrality
    """
    net = scenario_network(atlas, scenario)
    a = net.atlas
    simple: nx.Graph[str] = nx.Graph()
    for u, v, data in net.graph.edges(data=True):
        if not simple.has_edge(u, v) or simple[u][v]["hours"] > data["hours"]:
            simple.add_edge(u, v, hours=data["hours"])
    btw = nx.betweenness_centrality(simple, weight="hours", normalized=True) if simple else {}
    through: dict[str, int] = {}
    touching: dict[str, int] = {}
    transit: dict[str, int] = {}
    n_pairs = 0
    for o, d in hub_pairs(a, hubs):
        r, _ = try_route(net, o, d, explain=False)
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
