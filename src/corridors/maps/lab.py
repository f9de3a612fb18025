"""The network the atlas page routes on (the in-page scenario lab), as compact plain data.

The page's router (``render/assets/js/lab.js``) searches the routing graph of one scenario
(by default the one ``corridors route`` uses: the full vision). Python computes every
number the search needs and the page only adds them up, so the page gives the same routes
as :func:`corridors.network.routing.route`:

* each *piece* (a segment between two consecutive nodes) with its hours and effective
  length as :class:`~corridors.network.graph.Network` computes them (``repr`` of the float,
  so the page reads the same double), its scenario status, gauge, countries and passages;
* the transfer and break-of-gauge hours of the scenario, so the page rebuilds the routing
  graph of :mod:`corridors.network.graph` (vertices ``(node, class)``) and ranks its steps
  as :mod:`corridors.network.search` does;
* for each sea piece through a closable passage, the sea legs searoute gives with
  passages closed (:func:`_sea_alternatives`): closing a passage in the page re-routes the
  leg as the scenario would, or closes it when no sea route is left;
* the nodes (name, country, kind, borders, position), the border-crossing nodes on each
  segment's line (for ``BorderCrossing.at``), the services on each segment on the
  scenario's date and the passages (names, aliases, nodes closed with them).

Place and segment names are not repeated here (a node's name is ``""``): the page reads
them, and the places' aliases, from the features it draws, which keeps the data small.

Closures are not applied here: the page applies them (same rules as
:meth:`~corridors.network.graph.Network._apply_closures`). See ``docs/lab.md``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from corridors.geo.measure import LAND_MODES
from corridors.model import Atlas
from corridors.network.graph import Network, build_network
from corridors.network.sea import PASSAGES, sea_leg
from corridors.network.services import services_on
from corridors.scenario.model import Scenario
from corridors.vocab import CHOKEPOINT_KIND, STATUS_RANK

__all__ = ["LAB_VERSION", "MAX_PASSAGES_CLOSED", "cached_lab_network", "lab_network"]

#: Version of the page data's layout (``lab.js`` checks it).
LAB_VERSION = 1
#: Passages closed together at most when the page's sea legs are precomputed (deeper
#: combinations fall back to the deepest leg known; the bundled sea lanes need 2).
MAX_PASSAGES_CLOSED = 4


def _sea_alternatives(net: Network, pid: str) -> list[list[Any]]:
    """Sea legs of piece ``pid`` with passages closed: ``[[keys], km, passages]`` rows
    (``km`` ``None``: no sea route). Rows are the closed sets the page can reach: from a
    set ``K``, closing passages the leg of ``K`` passes gives ``K`` plus those passages.
    """
    p = net.pieces[pid]
    a, b = net.atlas.point(p.u), net.atlas.point(p.v)
    rows: list[list[Any]] = []
    seen: set[tuple[str, ...]] = set()
    todo: list[tuple[tuple[str, ...], tuple[str, ...]]] = [((), p.passages)]
    while todo:
        closed, passages = todo.pop(0)
        if len(closed) >= MAX_PASSAGES_CLOSED:
            continue
        for n in range(1, len(passages) + 1):
            for extra in itertools.combinations(sorted(set(passages)), n):
                key = tuple(sorted({*closed, *extra}))
                if key in seen:
                    continue
                seen.add(key)
                leg = sea_leg(a, b, closed=key)
                if leg is None:
                    rows.append([list(key), None, []])
                    continue
                rows.append([list(key), leg.length_km, list(leg.passages)])
                if leg.passages:
                    todo.append((key, leg.passages))
    return rows


def _node_rows(net: Network, ids: list[str]) -> list[list[Any]]:
    out = []
    for nid in ids:
        n = net.atlas.nodes[nid]
        row: list[Any] = [nid, "", n.country, n.kind, round(n.lon, 5), round(n.lat, 5)]
        if n.borders:
            row.append(list(n.borders))
        out.append(row)
    return out


def _toml_head(s: Scenario) -> list[str]:
    """The lines of a scenario file that give ``s`` before the page's closures are added
    (the page's "Copy as scenario TOML"; a test round-trips it)."""
    if s.corridors or s.platforms or s.segments or s.open_segments or s.additions:
        raise ValueError(f"the page's lab routes on whole-atlas scenarios, not {s.name!r}")
    lines = [
        f"status = {json.dumps(s.status)}",
        f"include_suspended = {'true' if s.include_suspended else 'false'}",
        f"ignore_events = {'true' if s.ignore_events else 'false'}",
    ]
    if s.as_of is not None:
        lines.append(f"as_of = {json.dumps(str(s.as_of))}")
    if s.closures:
        lines.append("close = [" + ", ".join(json.dumps(c.ref) for c in s.closures) + "]")
    return lines


def lab_network(atlas: Atlas, scenario: Scenario | str | None = None) -> dict[str, Any]:
    """The routing data of ``scenario`` on ``atlas`` for the page (see module docstring).

    Parameters
    ----------
    atlas : Atlas
    scenario : Scenario, str or None
        ``None``: the full vision, as ``corridors route`` without ``--scenario``.

    Returns
    -------
    dict
        JSON-ready, deterministic (atlas and piece order; no hash-ordered sets).

    Examples
    --------
    >>> from corridors.network.routing import default_atlas
    >>> lab = lab_network(default_atlas())
    >>> lab["scenario"], lab["v"], len(lab["pieces"]) > 100
    ('full-vision', 1, True)
    """
    net = build_network(atlas, scenario)
    costs = net.scenario.costs
    node_ids = net.nodes_in_scenario()
    nidx = {n: i for i, n in enumerate(node_ids)}
    seg_ids = list(net.segment_pieces)
    sidx = {s: i for i, s in enumerate(seg_ids)}
    segs = []
    for sid in seg_ids:
        seg = net.atlas.segments[sid]
        line = [nidx[x] for x in seg.node_ids_on_line if x in nidx and net.atlas.nodes[x].borders]
        svcs = [[s.id, s.label()] for s in services_on(net.atlas, sid, net.resolved.date)]
        segs.append([sid, seg.mode, net.resolved.status[sid], line, svcs])
    pieces = []
    for pid, p in net.pieces.items():
        rank = STATUS_RANK.get(p.status)
        row: list[Any] = [
            sidx[p.segment],
            p.index,
            nidx[p.u],
            nidx[p.v],
            len(STATUS_RANK) if rank is None else rank,
            p.hours,
            p.length_km,
            p.gauge_mm,
            list(p.countries),
            list(p.passages),
            1 if pid in net.closed else 0,
        ]
        if p.mode == "sea" and p.passages:
            row.append(_sea_alternatives(net, pid))
        pieces.append(row)
    out = {
        "v": LAB_VERSION,
        "toml": _toml_head(net.scenario),
        "scenario": net.scenario.name,
        "date": None if net.resolved.date is None else str(net.resolved.date),
        "transfer_h": costs.transfer_h,
        "gauge_h": costs.break_of_gauge_h,
        "sea_kmh": costs.speed("sea"),
        "circuity_warn": net.scenario.circuity_warn,
        "land": sorted(LAND_MODES),
        "choke": CHOKEPOINT_KIND,
        "nodes": _node_rows(net, node_ids),
        "segs": segs,
        "pieces": pieces,
        "passages": [
            [
                k,
                p.name,
                p.chokepoint,
                [n for n in p.nodes if n in net.atlas.nodes],
                list(p.aliases),
                p.searoute,
            ]
            for k, p in PASSAGES.items()
        ],
    }
    return dict(sorted(out.items()))  # key order as the derived-value cache keeps it


def _inputs_digest(atlas: Atlas) -> str | None:
    """SHA-256 of what :func:`lab_network` reads: the geodata files (but the country
    borders, whose cache this is), the corridors sources and searoute's version."""
    if atlas.root is None:
        return None
    h = hashlib.sha256()
    root = Path(atlas.root)
    pkg = Path(__file__).resolve().parent.parent
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != "countries.geojson")
    for base, group in ((root, files), (pkg, sorted(pkg.rglob("*.py")))):
        for f in group:
            h.update(str(f.relative_to(base)).encode())
            h.update(f.read_bytes())
    try:
        h.update(metadata.version("searoute").encode())
    except metadata.PackageNotFoundError:  # pragma: no cover - a dependency of corridors
        h.update(b"?")
    return h.hexdigest()


def cached_lab_network(atlas: Atlas) -> dict[str, Any]:
    """:func:`lab_network` of the full vision, kept in the borders file's derived-value
    cache (:mod:`corridors.io.cache`, section ``lab``: one entry, replaced when an input
    changes), so that an atlas rebuild does not load searoute's network for it."""
    disk = getattr(atlas.countries, "cache", None)
    key = _inputs_digest(atlas) if disk is not None else None
    if disk is None or key is None:
        return lab_network(atlas)
    hit = disk.get("lab", "full-vision")
    if isinstance(hit, dict) and hit.get("key") == key and isinstance(hit.get("data"), dict):
        data: dict[str, Any] = dict(sorted(hit["data"].items()))
        return data
    data = lab_network(atlas)
    disk.put("lab", "full-vision", {"key": key, "data": data})
    return data
