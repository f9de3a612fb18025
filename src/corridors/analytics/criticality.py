"""Criticality: close each link, border and sea passage in turn and rank them by damage."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from corridors.analytics.common import hub_pairs, scenario_network, try_route
from corridors.model import Atlas
from corridors.network.graph import Network, build_network
from corridors.network.routing import Route, find_node, route_cost
from corridors.network.sea import PASSAGES
from corridors.scenario.costs import border_key
from corridors.scenario.model import Scenario

__all__ = ["criticality"]


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
            progress(state["n"], total)

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


def _changed_pieces(net: Network, closed: Network) -> frozenset[str] | None:
    """Pieces of ``net`` closed or dearer in ``closed``; ``None`` if any got cheaper
    (then pruning would not be exact and every pair is re-routed)."""
    out = set()
    for pid, p in net.pieces.items():
        if pid in net.closed:
            continue
        q = closed.pieces.get(pid)
        if q is None or pid in closed.closed:
            out.add(pid)
        elif q.hours != p.hours or q.length_km != p.length_km:
            if q.hours < p.hours or q.length_km < p.length_km:
                return None
            out.add(pid)
    if any(pid not in net.pieces for pid in closed.pieces if pid not in closed.closed):
        return None
    return frozenset(out)


def criticality(
    atlas: Atlas,
    scenario: Scenario | str | None,
    od_pairs: Sequence[tuple[str, str]] | None = None,
    *,
    kinds: Iterable[str] = ("segment", "border", "passage"),
    progress: bool | Callable[[int, int], None] | None = None,
    prune: bool = True,
) -> pd.DataFrame:
    """Close each link, border and sea passage in turn and rank them by their damage.

    For every item, the origin-destination pairs whose fastest route uses it are routed
    again without it. This pruning is exact: removing links that are not on a pair's
    best route leaves that route available and still the least ``(cost, piece ids)``
    (see :mod:`corridors.network.search`), so the pair cannot change; an item on no best
    route needs no routing at all. ``prune=False`` routes every pair for every item (the
    reference the tests compare with).

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
    prune : bool
        Re-route only the pairs whose best route uses the item (default; same result).

    Returns
    -------
    DataFrame
        One row per item: ``kind, id, name, pairs_using, pairs_disconnected, detour_h``
        (sum over still-connected pairs of the extra hours), ``detour_km``, ``rank``;
        sorted by pairs disconnected, then detour hours. Pairs unconnected in the scenario
        itself are ignored.
    """
    net = scenario_network(atlas, scenario)
    pairs = (
        [(find_node(net.atlas, o), find_node(net.atlas, d)) for o, d in od_pairs]
        if od_pairs is not None
        else hub_pairs(net.atlas)
    )
    base: dict[tuple[str, str], Route] = {}
    cost: dict[tuple[str, str], tuple[float, float]] = {}
    for o, d in pairs:
        r, _ = try_route(net, o, d, explain=False, guide=True)
        c = route_cost(net, o, d)
        if r is not None and c is not None:
            base[(o, d)], cost[(o, d)] = r, c
    wanted = set(kinds)
    items = [i for i in _criticality_items(net) if i.kind in wanted]
    tick, close = _progress(len(items), progress, "criticality")
    # which pairs' best routes use each piece (the prune: an item on none needs no routing)
    order = {od: i for i, od in enumerate(base)}
    by_piece: dict[str, set[tuple[str, str]]] = {}
    for od, r in base.items():
        for p in r.pieces:
            by_piece.setdefault(p, set()).add(od)
    rows = []
    try:
        for item in items:
            on = net
            if item.kind == "passage":
                pas = PASSAGES[item.passage or ""]
                using = [
                    od
                    for od, r in base.items()
                    if pas.chokepoint in r.chokepoints or any(n in r.chokepoints for n in pas.nodes)
                ]
                on = build_network(atlas, net.scenario.close_passage(item.passage or ""))
                # also re-route pairs on a sea leg the closure changed (exact prune)
                changed = _changed_pieces(net, on)
                if changed is None:
                    rerouted = list(base)
                else:
                    affected = set(using).union(*(by_piece.get(p, ()) for p in changed))
                    rerouted = sorted(affected, key=order.__getitem__)
            else:
                hits = set().union(*(by_piece.get(p, ()) for p in item.pieces))
                using = rerouted = sorted(hits, key=order.__getitem__)
            disconnected = 0
            detour_h = detour_km = 0.0
            if not prune:
                rerouted = list(base)
            if rerouted:
                hide = item.pieces if item.kind != "passage" else frozenset()
                for od in rerouted:
                    c2 = route_cost(on, *od, hide_pieces=hide)
                    if c2 is None:
                        disconnected += 1
                    else:
                        detour_h += c2[0] - cost[od][0]
                        detour_km += c2[1] - cost[od][1]
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
