"""The multimodal network of a scenario: segments split at their nodes, costs in hours.

:func:`build_network` applies a :class:`~corridors.scenario.model.Scenario` to an atlas and returns
a :class:`Network`:

* ``graph`` — a :class:`networkx.MultiGraph` with one edge per open *piece* (a segment split
  at every node of its ``via``, so one can join the ML-1 at Lahore), keyed by piece id
  ``"<segment>#<i>"``, with ``segment``, ``mode``, ``length_km`` (the segment's effective
  length shared out in proportion to the pieces' geodesic lengths; sea pieces: the
  searoute length), ``hours`` (length / speed + land border dwell), ``countries``,
  ``gauge_mm``;
* a directed *routing graph* whose vertices are ``(node, class)`` pairs (class = mode and
  gauge on land, mode and segment at sea), so that a change of mode or vessel costs
  ``transfer_h`` and a change of rail gauge costs ``break_of_gauge_h``;
* ``closed`` — every piece the scenario closed, with the reasons.

Networks are cached per (atlas, scenario); sea legs are cached process-wide in
:mod:`corridors.network.sea`.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from corridors.geo.geodesy import GEOD, densify, line_length_km
from corridors.geo.measure import LAND_MODES, circuity_factors
from corridors.model import Atlas, Segment
from corridors.network.sea import PASSAGES, sea_leg
from corridors.scenario.bundled import scenario_from_arg
from corridors.scenario.costs import border_key
from corridors.scenario.model import Scenario
from corridors.scenario.resolve import ResolvedScenario, resolve_scenario
from corridors.vocab import CHOKEPOINT_KIND

__all__ = ["Network", "Piece", "build_network", "piece_class"]

LonLat = tuple[float, float]
#: Modes whose pieces keep their own vessel class (changing segment = changing vessel).
VESSEL_MODES = frozenset({"sea", "ferry", "air"})
#: Networks kept per atlas.
CACHE_SIZE = 16


@dataclass(frozen=True)
class Piece:
    """A stretch of one segment between two consecutive nodes on its line.

    Attributes
    ----------
    id : str
        ``"<segment>#<index>"``.
    segment : str
    index : int
    u, v : str
        End node ids, in the segment's direction.
    mode, status : str
        Mode and scenario-effective status.
    length_km : float
        Effective length, km (sea: searoute length).
    geodesic_km : float
        Geodesic length of the drawn piece, km.
    coords : tuple of (lon, lat)
        Line from ``u`` to ``v`` (sea: the searoute line).
    countries : tuple of str
        ISO3 codes from ``u`` to ``v`` (sea: the ports' countries, straits excluded).
    borders : tuple of (str, str)
        Land borders crossed, in order.
    gauge_mm : int or None
    passages : tuple of str
        Sea passages traversed (our keys), in order.
    travel_h, dwell_h, hours : float
        Hours moving, hours at land borders, and their sum.
    length_basis : str
        ``published``, ``geodesic x f`` or ``searoute``.
    """

    id: str
    segment: str
    index: int
    u: str
    v: str
    mode: str
    status: str
    length_km: float
    geodesic_km: float
    coords: tuple[LonLat, ...]
    countries: tuple[str, ...]
    borders: tuple[tuple[str, str], ...]
    gauge_mm: int | None
    passages: tuple[str, ...]
    travel_h: float
    dwell_h: float
    hours: float
    length_basis: str

    @property
    def chokepoints(self) -> tuple[str, ...]:
        """Chokepoint ids passed, ``u`` → ``v`` (passages; strait nodes are added by routes)."""
        return tuple(PASSAGES[p].chokepoint for p in self.passages)


def piece_class(p: Piece) -> tuple[Any, ...]:
    """Routing class of a piece: ``(mode, gauge)`` on land, ``(mode, segment)`` for vessels.

    A railway of unknown gauge (``gauge_mm`` ``None``) is a class of its own per segment,
    ``("rail", None, segment)``, so that where it meets any other railway the route passes
    a *possible* break of gauge (see :func:`_transfer`).
    """
    if p.mode in VESSEL_MODES:
        return (p.mode, p.segment)
    if p.mode == "rail":
        return ("rail", p.gauge_mm) if p.gauge_mm is not None else ("rail", None, p.segment)
    return (p.mode, None)


# --------------------------------------------------------------------------- static pieces
@dataclass(frozen=True)
class _StaticPiece:
    u: str
    v: str
    coords: tuple[LonLat, ...]
    geodesic_km: float
    countries: tuple[str, ...]
    gauge_mm: int | None


_STATIC: weakref.WeakKeyDictionary[Atlas, dict[str, tuple[_StaticPiece, ...]]] = (
    weakref.WeakKeyDictionary()
)


def _dedupe(seq: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for c in seq:
        if not out or out[-1] != c:
            out.append(c)
    return tuple(out)


def _static_pieces(atlas: Atlas, seg: Segment) -> tuple[_StaticPiece, ...]:
    """Split ``seg`` at its nodes (geometry and countries; no scenario involved)."""
    idx = [0]
    inner: list[str] = []
    for j, item in enumerate(seg.via, start=1):
        if isinstance(item, str) and item in atlas.nodes:
            idx.append(j)
            inner.append(item)
    idx.append(len(seg.coords) - 1)
    refs = [seg.from_node, *inner, seg.to_node]
    # gauge per piece: the gauge changes at the listed break nodes
    gauges: list[int | None] = []
    gi = 0
    for k in range(len(idx) - 1):
        if k > 0 and gi < len(seg.gauge_breaks_at) and refs[k] == seg.gauge_breaks_at[gi]:
            gi += 1
        gauges.append(seg.gauge_mm[gi] if seg.gauge_mm else None)
    vertex_countries = [_vertex_country(atlas, seg, j) for j in range(len(seg.coords))]
    out = []
    for k in range(len(idx) - 1):
        coords = tuple(seg.coords[idx[k] : idx[k + 1] + 1])
        u, v = refs[k], refs[k + 1]
        geo = line_length_km(coords)
        if seg.mode in LAND_MODES:
            countries = _land_countries(atlas, seg, idx[k], idx[k + 1], vertex_countries)
        else:
            countries = _dedupe(
                atlas.nodes[n].country for n in (u, v) if atlas.nodes[n].kind != CHOKEPOINT_KIND
            )
        out.append(_StaticPiece(u, v, coords, geo, countries, gauges[k]))
    return tuple(out)


#: A country crossed for less than this (km) between two vertices declared elsewhere is a
#: drawing artefact (schematic lines along border rivers, simplified polygons). A real short
#: transit is recorded by putting a waypoint in that country.
TRANSIT_MIN_KM = 30.0


def _vertex_country(atlas: Atlas, seg: Segment, j: int) -> str | None:
    ref: object
    if j == 0:
        ref = seg.from_node
    elif j == len(seg.coords) - 1:
        ref = seg.to_node
    else:
        ref = seg.via[j - 1]
    if isinstance(ref, str):
        point = atlas.nodes.get(ref) or atlas.waypoints.get(ref)
        if point is not None:
            return point.country
    if atlas.countries is not None:
        lon, lat = seg.coords[j]
        return atlas.countries.locate_one(lon, lat)
    return None


def _land_countries(
    atlas: Atlas, seg: Segment, j0: int, j1: int, vertex_countries: list[str | None]
) -> tuple[str, ...]:
    """Countries from vertex ``j0`` to ``j1``: the vertices' declared countries, plus any
    country the line crosses for at least :data:`TRANSIT_MIN_KM` between two vertices
    (in order of first appearance)."""
    seq: list[str] = []

    def push(c: str | None) -> None:
        if c is not None and (not seq or seq[-1] != c):
            seq.append(c)

    for j in range(j0, j1):
        push(vertex_countries[j])
        if atlas.countries is None:
            continue
        sub = seg.coords[j : j + 2]
        if line_length_km(sub) < TRANSIT_MIN_KM:
            continue
        pts = densify(sub, step_km=2.0)
        lons = np.array([p[0] for p in pts])
        lats = np.array([p[1] for p in pts])
        _, _, d = GEOD.inv(lons[:-1], lats[:-1], lons[1:], lats[1:])
        owners = atlas.countries.locate((lons[:-1] + lons[1:]) / 2.0, (lats[:-1] + lats[1:]) / 2.0)
        km: dict[str, float] = {}
        for iso3, metres in zip(owners, d, strict=True):
            if iso3 is not None:
                km[iso3] = km.get(iso3, 0.0) + float(metres) / 1000.0
        for iso3, total in km.items():  # dicts keep first-appearance order
            if total >= TRANSIT_MIN_KM and iso3 != vertex_countries[j + 1]:
                push(iso3)
    push(vertex_countries[j1])
    return tuple(seq)


def static_pieces(
    atlas: Atlas, seg: Segment, *, base: Atlas | None = None
) -> tuple[_StaticPiece, ...]:
    """Cached :func:`_static_pieces` (cached on ``base`` when the segment comes from it)."""
    owner = base if base is not None and seg.id in base.segments else atlas
    cache = _STATIC.setdefault(owner, {})
    if seg.id not in cache:
        cache[seg.id] = _static_pieces(atlas, seg)
    return cache[seg.id]


def effective_length(base: Atlas, atlas: Atlas, seg: Segment) -> tuple[float, str]:
    """Effective length (km) of a segment and its basis, as in
    :func:`corridors.geo.measure.measure_segment` but without the country work."""
    if seg.published_length_km is not None:
        return float(seg.published_length_km), "published"
    factors = circuity_factors(base)
    cf = (
        factors.get((seg.mode, seg.precision)) or circuity_factors(atlas)[(seg.mode, seg.precision)]
    )
    return (
        line_length_km(seg.coords) * cf.factor,
        f"geodesic x {cf.factor:.3f} ({cf.basis}, n={cf.samples})",
    )


# --------------------------------------------------------------------------- network
class Network:
    """A scenario applied to an atlas: pieces, closures and graphs (see module docstring).

    Attributes
    ----------
    atlas : Atlas
        The atlas plus the scenario's additions.
    scenario : Scenario
    resolved : ResolvedScenario
    pieces : dict of str to Piece
        Every piece of every segment in the scenario, open or closed.
    closed : dict of str to tuple of str
        Closed piece id → reasons (``"country IRN"``, ``"passage hormuz"``…).
    unavailable_sea : dict of str to str
        Sea pieces searoute could not route (subset of ``closed``).
    graph : networkx.MultiGraph
        Open pieces (edges keyed by piece id) between node ids.
    routing : networkx.DiGraph
        Vertices ``("o", node)``, ``("d", node)``, ``(node, class)``; edges carry ``hours``,
        ``km`` and ``kind`` (``piece``, ``transfer``, ``transshipment``, ``gauge_break``,
        ``through``, ``end``).
    """

    def __init__(self, atlas: Atlas, scenario: Scenario, *, resolved: ResolvedScenario):
        self.base_atlas = atlas
        self.atlas = resolved.atlas
        self.scenario = scenario
        self.resolved = resolved
        self.pieces: dict[str, Piece] = {}
        self.closed: dict[str, tuple[str, ...]] = {}
        self.unavailable_sea: dict[str, str] = {}
        self.segment_pieces: dict[str, tuple[str, ...]] = {}
        self._build_pieces()
        self.graph = self._build_graph()
        self.routing = self._build_routing()
        self._open_nodes = frozenset(n for n in self.graph.nodes if self.graph.degree(n) > 0)

    # ---------------------------------------------------------------- pieces
    def _build_pieces(self) -> None:
        atlas, r, costs = self.atlas, self.resolved, self.scenario.costs
        closed_passages = r.closed_passages
        for sid in r.segments:
            seg = atlas.segments[sid]
            statics = static_pieces(atlas, seg, base=self.base_atlas)
            eff_km, eff_basis = effective_length(self.base_atlas, atlas, seg)
            total_geo = sum(sp.geodesic_km for sp in statics) or 1.0
            ids = []
            for i, sp in enumerate(statics):
                pid = f"{sid}#{i}"
                ids.append(pid)
                passages: tuple[str, ...]
                coords, passages = sp.coords, ()
                basis = eff_basis
                if seg.mode == "sea":
                    leg = sea_leg(atlas.point(sp.u), atlas.point(sp.v), closed=closed_passages)
                    if leg is None:
                        open_leg = sea_leg(atlas.point(sp.u), atlas.point(sp.v))
                        why = (
                            "no sea route with "
                            + ", ".join(f"passage {p}" for p in sorted(closed_passages))
                            + " closed"
                            if open_leg is not None
                            else "not reachable on searoute's maritime network"
                        )
                        self.unavailable_sea[pid] = why
                        length = eff_km * sp.geodesic_km / total_geo
                        basis = "drawn (no sea route)"
                    else:
                        coords, length, passages = leg.coords, leg.length_km, leg.passages
                        basis = "searoute"
                else:
                    length = eff_km * sp.geodesic_km / total_geo
                borders = (
                    tuple((a, b) for a, b in zip(sp.countries, sp.countries[1:], strict=False))
                    if seg.mode in LAND_MODES
                    else ()
                )
                travel = length / costs.speed(seg.mode)
                dwell = sum(costs.dwell_h(a, b) for a, b in borders)
                self.pieces[pid] = Piece(
                    id=pid,
                    segment=sid,
                    index=i,
                    u=sp.u,
                    v=sp.v,
                    mode=seg.mode,
                    status=r.status[sid],
                    length_km=length,
                    geodesic_km=sp.geodesic_km,
                    coords=coords,
                    countries=sp.countries,
                    borders=borders,
                    gauge_mm=sp.gauge_mm,
                    passages=passages,
                    travel_h=travel,
                    dwell_h=dwell,
                    hours=travel + dwell,
                    length_basis=basis,
                )
            self.segment_pieces[sid] = tuple(ids)
        self._apply_closures()

    def _apply_closures(self) -> None:
        r, nodes = self.resolved, self.atlas.nodes
        closed_nodes = set(r.closed_nodes)
        for n in nodes.values():
            if n.country in r.closed_countries and n.kind != CHOKEPOINT_KIND:
                closed_nodes.add(n.id)
            if (
                n.kind == "border_crossing"
                and len(n.borders) == 2
                and border_key(*n.borders) in r.closed_borders
            ):
                closed_nodes.add(n.id)
        self.closed_nodes = frozenset(closed_nodes)
        for pid, p in self.pieces.items():
            why: list[str] = []
            if p.segment in r.closed_segments:
                why.append(f"segment {p.segment}")
            for nid in (p.u, p.v):
                if nid in closed_nodes:
                    why.append(self._node_reason(nid))
            if p.mode in LAND_MODES:
                hit = [c for c in p.countries if c in r.closed_countries]
            else:
                hit = [
                    nodes[n].country
                    for n in (p.u, p.v)
                    if nodes[n].kind != CHOKEPOINT_KIND and nodes[n].country in r.closed_countries
                ]
            why.extend(f"country {c}" for c in dict.fromkeys(hit))
            for a, b in p.borders:
                if border_key(a, b) in r.closed_borders:
                    why.append(f"border {border_key(a, b)}")
            if (
                p.mode in VESSEL_MODES
                and len(p.countries) == 2
                and border_key(*p.countries) in r.closed_borders
            ):
                why.append(f"border {border_key(*p.countries)}")
            if pid in self.unavailable_sea:
                why.append(self.unavailable_sea[pid])
            why = [r.explain(w) for w in why if r.closes(w, p.mode)]  # dated events
            if why:
                self.closed[pid] = tuple(dict.fromkeys(why))

    def _node_reason(self, n: str) -> str:
        r = self.resolved
        node = self.atlas.nodes[n]
        if n in r.closed_nodes:
            for key in r.closed_passages:
                if n in PASSAGES[key].nodes:
                    return f"passage {key}"
            return f"node {n}"
        if node.country in r.closed_countries:
            return f"country {node.country}"
        return f"border {border_key(*node.borders)}" if node.borders else f"node {n}"

    # ---------------------------------------------------------------- graphs
    def _build_graph(self) -> nx.MultiGraph[str]:
        g: nx.MultiGraph[str] = nx.MultiGraph(scenario=self.scenario.name)
        for nid in self.nodes_in_scenario():
            n = self.atlas.nodes[nid]
            g.add_node(nid, name=n.name, country=n.country, kind=n.kind, lon=n.lon, lat=n.lat)
        for pid, p in self.pieces.items():
            if pid in self.closed:
                continue
            g.add_edge(
                p.u,
                p.v,
                key=pid,
                segment=p.segment,
                mode=p.mode,
                status=p.status,
                length_km=p.length_km,
                hours=p.hours,
                countries=p.countries,
                gauge_mm=p.gauge_mm,
                u=p.u,
                v=p.v,
            )
        return g

    def _build_routing(self) -> nx.DiGraph[tuple[Any, ...]]:
        h: nx.DiGraph[tuple[Any, ...]] = nx.DiGraph()
        # vessel classes per node in first-seen order (a set's order follows the string
        # hash seed, and edge order breaks ties between equally fast routes)
        classes: dict[str, dict[tuple[Any, ...], None]] = {}
        for pid, p in self.pieces.items():
            if pid in self.closed:
                continue
            cls = piece_class(p)
            classes.setdefault(p.u, {})[cls] = None
            classes.setdefault(p.v, {})[cls] = None
            for a, b, rev in ((p.u, p.v, False), (p.v, p.u, True)):
                s, t = (a, cls), (b, cls)
                data = {
                    "hours": p.hours,
                    "km": p.length_km,
                    "kind": "piece",
                    "piece": pid,
                    "rev": rev,
                }
                if h.has_edge(s, t):
                    mid = ("m", pid, rev)
                    h.add_edge(s, mid, **data)
                    h.add_edge(mid, t, hours=0.0, km=0.0, kind="mid")
                else:
                    h.add_edge(s, t, **data)
        costs = self.scenario.costs
        for n, cl in classes.items():
            h.add_node(("o", n))
            h.add_node(("d", n))
            is_choke = self.atlas.nodes[n].kind == CHOKEPOINT_KIND
            for c in cl:
                h.add_edge(("o", n), (n, c), hours=0.0, km=0.0, kind="end")
                h.add_edge((n, c), ("d", n), hours=0.0, km=0.0, kind="end")
                for c2 in cl:
                    if c2 == c:
                        continue
                    kind, hours = _transfer(c, c2, is_choke, costs)
                    h.add_edge((n, c), (n, c2), hours=hours, km=0.0, kind=kind, at=n)
        return h

    # ---------------------------------------------------------------- queries
    def nodes_in_scenario(self) -> list[str]:
        """Node ids touched by any piece of the scenario (open or closed), atlas order."""
        seen = {p.u for p in self.pieces.values()} | {p.v for p in self.pieces.values()}
        return [n for n in self.atlas.nodes if n in seen]

    def open_nodes(self) -> frozenset[str]:
        """Node ids with at least one open piece."""
        return self._open_nodes

    def segment_state(self, segment_id: str) -> str:
        """``open``, ``closed`` (every piece closed) or ``partial``."""
        ids = self.segment_pieces.get(segment_id, ())
        n = sum(1 for p in ids if p in self.closed)
        if n == 0:
            return "open"
        return "closed" if n == len(ids) else "partial"

    def closed_segments(self) -> dict[str, tuple[str, ...]]:
        """Segments with a closed piece → reasons (all pieces pooled)."""
        out: dict[str, tuple[str, ...]] = {}
        for sid, ids in self.segment_pieces.items():
            why: dict[str, None] = {}
            for p in ids:
                for w in self.closed.get(p, ()):
                    why.setdefault(w, None)
            if why:
                out[sid] = tuple(why)
        return out

    def open_segments(self) -> list[str]:
        """Segments with at least one open piece (file order)."""
        return [s for s in self.segment_pieces if self.segment_state(s) != "closed"]

    def __repr__(self) -> str:
        return (
            f"Network({self.scenario.name!r}: {len(self.segment_pieces)} segments, "
            f"{len(self.pieces)} pieces, {len(self.closed)} closed, "
            f"{self.graph.number_of_nodes()} nodes)"
        )


def _transfer(
    c1: tuple[Any, ...], c2: tuple[Any, ...], is_choke: bool, costs: Any
) -> tuple[str, float]:
    m1, m2 = c1[0], c2[0]
    if m1 != m2:
        return "transfer", costs.transfer_h
    if m1 in VESSEL_MODES:
        return ("through", 0.0) if is_choke else ("transshipment", costs.transfer_h)
    if m1 == "rail" and c1[1] is not None and c2[1] is not None and c1[1] != c2[1]:
        return "gauge_break", costs.break_of_gauge_h
    if m1 == "rail" and (c1[1] is None or c2[1] is None):
        # an unknown gauge meets another railway: reported, not charged (it may not exist)
        return "possible_gauge_break", 0.0
    return "through", 0.0


_NETWORKS: weakref.WeakKeyDictionary[Atlas, OrderedDict[Scenario, Network]] = (
    weakref.WeakKeyDictionary()
)


def build_network(
    atlas: Atlas, scenario: Scenario | str | None = None, *, cache: bool = True
) -> Network:
    """Build (or fetch from the cache) the network of ``scenario`` on ``atlas``.

    Parameters
    ----------
    atlas : Atlas
    scenario : Scenario, str or None
        A scenario, a path or bundled name, or ``None`` for the full vision.
    cache : bool
        Reuse a network built earlier for an equal scenario on the same atlas.

    Returns
    -------
    Network

    Raises
    ------
    ScenarioError
        When the scenario refers to unknown entities or its additions are invalid.
    """
    scen = scenario_from_arg(scenario, atlas=atlas)
    per_atlas = _NETWORKS.setdefault(atlas, OrderedDict())
    if cache and scen in per_atlas:
        per_atlas.move_to_end(scen)
        return per_atlas[scen]
    net = Network(atlas, scen, resolved=resolve_scenario(atlas, scen))
    if cache:
        per_atlas[scen] = net
        while len(per_atlas) > CACHE_SIZE:
            per_atlas.popitem(last=False)
    return net
