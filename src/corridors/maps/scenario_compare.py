"""``corridors compare A B -o diff.html``: both scenarios side by side, and what changes.

The page (:func:`compare_page`) holds two scenario maps whose views move together
(:mod:`corridors.render.compare`): A on the left, B on the right (stacked on a phone).
Each map has its caption (scenario, as-of date, closures), the routes of the drawn pairs
in the same colour on both sides with their totals, and two layers of the changes: the
links B opens (green) and the links B closes or leaves out (red). Under the maps, the
per-pair table of :meth:`corridors.analytics.diff.ScenarioDiff.table` (km, hours, P50
US$/t and kg CO2e/t, each in A, in B and the change).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from corridors.maps.features import feature_collection, segment_features
from corridors.maps.palette import route_colour
from corridors.maps.scenario_answer import caption_data, pair_route_layers, route_pairs
from corridors.model import Atlas

if TYPE_CHECKING:  # pragma: no cover
    from corridors.analytics.diff import ScenarioDiff
    from corridors.network.graph import Network
    from corridors.render import LayerSpec
    from corridors.scenario.model import Scenario

__all__ = ["CLOSED_COLOUR", "GROUP_CHANGES", "MAX_DRAWN_PAIRS", "OPENED_COLOUR", "compare_page"]

#: Tree group of the change layers.
GROUP_CHANGES = "Changes from A to B"
#: Colour of the links B opens, and of those B closes or leaves out (ColorBrewer RdYlGn ends).
OPENED_COLOUR = "#1a9850"
CLOSED_COLOUR = "#d73027"
#: Pairs drawn on the maps when ``--pairs`` is not given: the first pairs whose route
#: changes (all pairs stay in the table).
MAX_DRAWN_PAIRS = 6


def _change_feature(f: dict[str, Any], note: str) -> dict[str, Any]:
    p = f["properties"]
    props = {
        "id": p["id"],
        "name": p["name"],
        "mode": p["mode"],
        "status": p["status"],
        "countries": list(p["countries"]),
        "length_km": p["length_km"],
        "note": note,
    }
    return {"type": "Feature", "geometry": f["geometry"], "properties": props}


def change_layers(na: Network, nb: Network, d: ScenarioDiff) -> list[LayerSpec]:
    """The "opened in B" and "closed or left out in B" layers (drawn on both maps)."""
    from corridors.render import LayerSpec

    fa, fb = segment_features(na), segment_features(nb)
    in_b = {f["properties"]["id"] for f in fb}
    opened = set(d.opened)
    closed = set(d.closed)
    opened_feats = [
        _change_feature(f, f"Opened in {d.b} (closed or left out in {d.a})")
        for f in fb
        if f["properties"]["id"] in opened and not f["properties"]["closed"]
    ]
    closed_feats = []
    for f in fb:
        p = f["properties"]
        if p["id"] in closed and p["closed"]:
            why = ", ".join(p["closed_by"]) or "closed"
            closed_feats.append(_change_feature(f, f"Closed in {d.b}: {why} (open in {d.a})"))
    for f in fa:
        p = f["properties"]
        if p["id"] in closed and p["id"] not in in_b and not p["closed"]:
            why = nb.resolved.excluded.get(p["id"], "not in the scenario")
            closed_feats.append(_change_feature(f, f"Left out of {d.b}: {why} (open in {d.a})"))
    out = []
    for key, title, colour, feats in (
        ("change:opened", f"Opened in {d.b}", OPENED_COLOUR, opened_feats),
        ("change:closed", f"Closed or left out in {d.b}", CLOSED_COLOUR, closed_feats),
    ):
        if feats:
            out.append(
                LayerSpec(
                    key=key,
                    role="corridor",
                    title=title,
                    group=(GROUP_CHANGES,),
                    kind="lines",
                    features=feature_collection(feats),
                    colour=colour,
                )
            )
    return out


def _drawn_pairs(d: ScenarioDiff, given: bool) -> list[tuple[str, str]]:
    rows = d.routes.to_dict(orient="records")
    if given:
        return [(str(r["origin"]), str(r["destination"])) for r in rows]
    changed = [r for r in rows if r["change"] in ("changed", "lost", "gained")]
    return [(str(r["origin"]), str(r["destination"])) for r in changed[:MAX_DRAWN_PAIRS]]


def compare_page(
    atlas: Atlas,
    a: Scenario | str | None,
    b: Scenario | str | None,
    pairs: Sequence[tuple[str, str]] | None = None,
) -> str:
    """The HTML of the compare page of scenarios ``a`` and ``b``.

    Parameters
    ----------
    atlas : Atlas
    a, b : Scenario, str or None
        Scenarios (objects, files, bundled names; ``None`` the full vision).
    pairs : sequence of (origin, destination), optional
        Node ids or names: all drawn and in the table. Default: the hub pairs in the
        table, the first :data:`MAX_DRAWN_PAIRS` that change drawn.

    Returns
    -------
    str
        One offline page (byte-identical for the same input).
    """
    from corridors.analytics.common import scenario_network
    from corridors.analytics.diff import diff
    from corridors.maps.scenario import scenario_map_layers
    from corridors.maps.tree import atlas_bounds
    from corridors.render.build import build_parts
    from corridors.render.compare import compare_html

    na, nb = scenario_network(atlas, a), scenario_network(atlas, b)
    d = diff(atlas, na.scenario, nb.scenario, pairs)
    drawn = _drawn_pairs(d, pairs is not None)
    changes = change_layers(na, nb, d)
    sides = []
    for net, visible_changes in ((na, False), (nb, True)):
        results = route_pairs(net, drawn)
        layers = scenario_map_layers(
            atlas,
            net.scenario,
            pair_layers=pair_route_layers(net.atlas, results)
            + [dataclasses.replace(c, visible=visible_changes) for c in changes],
        )
        caption = caption_data(net, results)
        sides.append(
            build_parts(
                layers,
                title=f"corridors scenario — {net.scenario.name}",
                bounds=atlas_bounds(atlas),
                caption=caption,
            )
        )
    names = {nid: n.name for nid, n in {**na.atlas.nodes, **nb.atlas.nodes}.items()}
    colours = {pair: route_colour(i) for i, pair in enumerate(drawn)}
    table = d.table(names, labels=("A", "B"))
    for row in table["rows"]:
        row["colour"] = colours.get((row["origin"], row["destination"]))
    summary = {
        "a": d.a,
        "b": d.b,
        "opened": [_seg_name(nb, s) for s in d.opened],
        "closed": [_seg_name(na, s) for s in d.closed],
        "drawn": len(drawn),
        "pairs": len(table["rows"]),
    }
    return compare_html(sides[0], sides[1], summary=summary, table=table)


def _seg_name(net: Network, sid: str) -> str:
    seg = net.atlas.segments.get(sid)
    return f"{seg.name} ({sid})" if seg is not None and seg.name != sid else sid
