"""Materially different alternative routes (the penalty method) and how each one differs.

After the best route, every further search multiplies the cost of the *stretches* already
used by :data:`PENALTY_FACTOR` (once more for each earlier route found on them). A stretch
is a piece's pair of end nodes and its mode, so a parallel lane between the same two ports
is penalised with the lane it parallels. A route found is accepted as an alternative when
at most :data:`MAX_SHARED` of its length runs on stretches of any route accepted before it
(the best one included); up to :data:`TRIES_PER_ALTERNATIVE` searches are made per
alternative asked for. Alternatives come in the order found, and each carries
``differs_by``: short phrases, computed from the countries, straits, vessel legs and modes
it uses and the best route does not (or the reverse), such as ``"avoids IRN"``,
``"via Strait of Hormuz"`` or ``"by ferry Aktau – Port of Baku (Alat)"``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from corridors.network.graph import VESSEL_MODES, Network
from corridors.network.route import Route
from corridors.network.sea import PASSAGES
from corridors.vocab import CHOKEPOINT_KIND

__all__ = [
    "MAX_SHARED",
    "PENALTY_FACTOR",
    "TRIES_PER_ALTERNATIVE",
    "alternatives",
    "differs_by",
    "shared_fraction",
    "stretch",
]

#: Largest share of an alternative's length allowed on stretches of earlier routes.
MAX_SHARED = 0.7
#: Cost multiplier of a stretch, per earlier route found on it.
PENALTY_FACTOR = 2.0
#: Penalised searches made per alternative asked for, at most.
TRIES_PER_ALTERNATIVE = 8
#: Phrases in one ``differs_by``, at most.
MAX_PHRASES = 4

Stretch = tuple[str, str, str]


def stretch(net: Network, pid: str) -> Stretch:
    """``(node, node, mode)`` of a piece, the nodes sorted: parallel lanes share it."""
    p = net.pieces[pid]
    a, b = sorted((p.u, p.v))
    return (a, b, p.mode)


def _stretches(net: Network, r: Route) -> set[Stretch]:
    return {stretch(net, pid) for pid in r.pieces}


def shared_fraction(net: Network, r: Route, other: Route) -> float:
    """Share of ``r``'s length on stretches ``other`` also uses (0–1)."""
    theirs = _stretches(net, other)
    total = sum(net.pieces[p].length_km for p in r.pieces)
    if total <= 0:
        return 1.0
    same = sum(net.pieces[p].length_km for p in r.pieces if stretch(net, p) in theirs)
    return same / total


def alternatives(
    net: Network,
    best: Route,
    k: int,
    search: Callable[[dict[str, float]], Route | None],
) -> tuple[Route, ...]:
    """Up to ``k - 1`` alternatives to ``best`` (see module docstring).

    ``search(factors)`` routes with piece id → cost multiplier ``factors`` and returns the
    route found (``None`` if none).
    """
    accepted = [best]
    found: list[Route] = []
    seen = {tuple(sorted(_stretches(net, best)))}
    counts: dict[Stretch, int] = dict.fromkeys(_stretches(net, best), 1)
    for _ in range(TRIES_PER_ALTERNATIVE * (k - 1)):
        if len(found) >= k - 1:
            break
        factors = {
            pid: PENALTY_FACTOR ** counts[st]
            for pid in net.pieces
            if (st := stretch(net, pid)) in counts
        }
        cand = search(factors)
        if cand is None:
            break
        used = _stretches(net, cand)
        for st in used:
            counts[st] = counts.get(st, 0) + 1
        sig = tuple(sorted(used))
        if sig in seen:
            continue
        seen.add(sig)
        if all(shared_fraction(net, cand, e) <= MAX_SHARED for e in accepted):
            alt = replace(cand, differs_by=differs_by(net, cand, best))
            accepted.append(alt)
            found.append(alt)
    return tuple(found)


def _place(net: Network, nid: str) -> str:
    n = net.atlas.nodes.get(nid)
    return n.name if n is not None else nid


def _chokepoint_name(net: Network, cid: str) -> str:
    if cid in net.atlas.nodes:
        return net.atlas.nodes[cid].name
    for p in PASSAGES.values():
        if p.chokepoint == cid:
            return p.name
    return cid


def _vessel_runs(net: Network, r: Route) -> list[tuple[str, str, str, list[str]]]:
    """Consecutive vessel legs of one mode joined at a strait, as (mode, from, to, segments)."""
    runs: list[tuple[str, str, str, list[str]]] = []
    for leg in r.legs:
        if leg.mode not in VESSEL_MODES:
            continue
        if runs and runs[-1][0] == leg.mode and runs[-1][2] == leg.from_node:
            joint = net.atlas.nodes[leg.from_node]
            if joint.kind == CHOKEPOINT_KIND:
                mode, start, _, segs = runs[-1]
                runs[-1] = (mode, start, leg.to_node, [*segs, leg.segment])
                continue
        runs.append((leg.mode, leg.from_node, leg.to_node, [leg.segment]))
    return runs


def differs_by(net: Network, alt: Route, best: Route) -> tuple[str, ...]:
    """How ``alt`` differs from ``best``, as short phrases (deterministic, travel order).

    Examples
    --------
    >>> from corridors.network.routing import route
    >>> r = route(None, "full-vision", "Aktau", "Baku", k=2)
    >>> r.alternatives[0].differs_by[0].startswith(("avoids", "through", "via", "by"))
    True
    """
    out: list[str] = []
    avoided = [c for c in best.countries if c not in alt.countries]
    added = [c for c in alt.countries if c not in best.countries]
    if avoided:
        out.append("avoids " + ", ".join(dict.fromkeys(avoided)))
    if added:
        out.append("through " + ", ".join(dict.fromkeys(added)))
    new_chokes = [c for c in alt.chokepoints if c not in best.chokepoints]
    gone_chokes = [c for c in best.chokepoints if c not in alt.chokepoints]
    if new_chokes:
        out.append("via " + ", ".join(_chokepoint_name(net, c) for c in new_chokes))
    if gone_chokes:
        out.append("avoids " + ", ".join(_chokepoint_name(net, c) for c in gone_chokes))
    best_segments = set(best.segments)
    for mode, start, end, segs in _vessel_runs(net, alt):
        if any(s not in best_segments for s in segs):
            out.append(f"by {mode} {_place(net, start)} – {_place(net, end)}")
    modes_best = {leg.mode for leg in best.legs}
    modes_alt = {leg.mode for leg in alt.legs}
    land_new = [m for m in dict.fromkeys(leg.mode for leg in alt.legs) if m not in modes_best]
    land_new = [m for m in land_new if m not in VESSEL_MODES]
    if land_new:
        out.append("by " + " and ".join(land_new))
    gone = [m for m in dict.fromkeys(leg.mode for leg in best.legs) if m not in modes_alt]
    if gone:
        out.append("without " + " or ".join(gone))
    if not out:
        other = [s for s in alt.segments if s not in set(best.segments)]
        if other:
            longest = max(
                other,
                key=lambda s: (sum(leg.length_km for leg in alt.legs if leg.segment == s), s),
            )
            out.append("via " + net.atlas.segments[longest].name)
        else:
            out.append("same lines in another order")
    return tuple(out[:MAX_PHRASES])
