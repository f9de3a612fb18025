"""Measurements that run in their own Python process (started by benchmarks/run.py).

Usage: ``python benchmarks/_workers.py NAME '<json args>'``; the result is printed as one
JSON object on the last line of stdout. Each worker measures only what its section needs,
so that one section's imports, caches and memory never leak into another's figures.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any


def _vm_hwm_kb() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


# --------------------------------------------------------------------------- explore baseline
def _offline_version(html: str) -> tuple[str, list[str]]:
    """The same page with folium's Leaflet JS/CSS and jQuery CDN tags replaced by inline
    copies of the *same* local files the atlas inlines (corridors.render.resources). The
    other CDN tags (Bootstrap, Font Awesome, awesome-markers) are left as they are: they
    are aborted in the browser, and nothing this baseline draws needs them."""
    import re

    from corridors.render import resources as res

    done = []
    out = html

    def sub(pattern: str, repl: str, name: str) -> None:
        nonlocal out
        new, n = re.subn(pattern, lambda _m: repl, out, count=1)
        if n:
            done.append(name)
            out = new

    sub(
        r'<script src="https://cdn\.jsdelivr\.net/npm/leaflet@[^"]+/dist/leaflet\.js"></script>',
        "<script>\n" + res.leaflet_js() + "</script>",
        "leaflet.js",
    )
    sub(
        r'<script src="https://code\.jquery\.com/jquery-[^"]+\.min\.js"></script>',
        "<script>\n" + res.jquery_js() + "</script>",
        "jquery.js",
    )
    sub(
        r'<link rel="stylesheet" href="https://cdn\.jsdelivr\.net/npm/leaflet@[^"]+/dist/leaflet\.css"/>',
        "<style>\n" + res.leaflet_css() + "</style>",
        "leaflet.css",
    )
    return out, done


def explore_baseline(args: dict[str, Any]) -> dict[str, Any]:
    """The atlas layers drawn the obvious way: one GeoDataFrame.explore() per layer."""
    import folium
    import geopandas as gpd

    from corridors.io.geodata import load_atlas
    from corridors.maps.atlas import atlas_layers

    t0 = time.perf_counter()
    layers = atlas_layers(load_atlas())
    m = None
    for spec in layers:
        gdf = gpd.GeoDataFrame.from_features(spec.features["features"], crs="EPSG:4326")
        m = gdf.explore(m=m, name=spec.title, show=bool(spec.visible))
    folium.LayerControl().add_to(m)
    raw = Path(args["raw"])
    m.save(str(raw))
    build_s = time.perf_counter() - t0
    html = raw.read_text(encoding="utf-8")
    offline, inlined = _offline_version(html)
    Path(args["offline"]).write_text(offline, encoding="utf-8")
    return {
        "build_s": build_s,
        "layers": [[s.key, s.kind, len(s.features["features"])] for s in layers],
        "raw_bytes": raw.stat().st_size,
        "offline_bytes": Path(args["offline"]).stat().st_size,
        "inlined": inlined,
    }


# --------------------------------------------------------------------------- routing
def routing(args: dict[str, Any]) -> dict[str, Any]:
    import networkx as nx

    from corridors.network.graph import VESSEL_MODES, build_network
    from corridors.network.routing import default_atlas, route

    pairs = [tuple(p) for p in args["pairs"]]
    reps = int(args["reps"])
    t0 = time.perf_counter()
    first = route(*pairs[0])  # loads the atlas, builds the network: not part of the warm figure
    cold_first_s = time.perf_counter() - t0
    del first
    atlas = default_atlas()
    net = build_network(atlas, None)
    g, h = net.graph, net.routing
    classes: dict[str, str] = {}
    errors: dict[str, str] = {}
    for o, d in pairs:
        try:
            r = route(o, d)
        except Exception as exc:  # recorded, and the pair is left out
            errors[f"{o}:{d}"] = f"{type(exc).__name__}: {exc}"
            continue
        modes = {leg.mode for leg in r.legs}
        classes[f"{o}:{d}"] = (
            "sea" if modes <= VESSEL_MODES else "land" if not modes & VESSEL_MODES else "mixed"
        )
        nx.dijkstra_path(g, o, d, weight="hours")
        nx.bidirectional_dijkstra(h, ("o", o), ("d", d), weight="hours")
    ok = [p for p in pairs if f"{p[0]}:{p[1]}" in classes]
    samples: dict[str, list[float]] = {"route": [], "nx_graph": [], "nx_routing": []}
    per_pair: dict[str, list[float]] = {f"{o}:{d}": [] for o, d in ok}
    pc = time.perf_counter_ns
    for _ in range(reps):
        for o, d in ok:  # interleaved, so that machine noise hits all three alike
            t = pc()
            route(o, d)
            dt = (pc() - t) / 1e6
            samples["route"].append(dt)
            per_pair[f"{o}:{d}"].append(dt)
            t = pc()
            nx.dijkstra_path(g, o, d, weight="hours")
            samples["nx_graph"].append((pc() - t) / 1e6)
            t = pc()
            nx.bidirectional_dijkstra(h, ("o", o), ("d", d), weight="hours")
            samples["nx_routing"].append((pc() - t) / 1e6)
    by_class: dict[str, list[float]] = {}
    for key, xs in per_pair.items():
        by_class.setdefault(classes[key], []).extend(xs)
    return {
        "cold_first_route_s": cold_first_s,
        "graph": {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()},
        "routing_graph": {"nodes": h.number_of_nodes(), "edges": h.number_of_edges()},
        "classes": classes,
        "class_counts": {c: list(classes.values()).count(c) for c in sorted(set(classes.values()))},
        "errors": errors,
        "samples_ms": samples,
        "p50_ms": {k: _pct(v, 0.5) for k, v in samples.items()},
        "p95_ms": {k: _pct(v, 0.95) for k, v in samples.items()},
        "route_p50_ms_by_class": {c: _pct(v, 0.5) for c, v in by_class.items()},
        "route_p95_ms_by_class": {c: _pct(v, 0.95) for c, v in by_class.items()},
        "route_p50_ms_by_pair": {k: _pct(v, 0.5) for k, v in per_pair.items()},
    }


# --------------------------------------------------------------------------- criticality
def criticality(args: dict[str, Any]) -> dict[str, Any]:
    import networkx as nx

    from corridors.analytics.criticality import criticality as crit
    from corridors.io.geodata import load_atlas
    from corridors.network.graph import build_network

    pairs = [tuple(p) for p in args["pairs"]]
    atlas = load_atlas()
    t0 = time.perf_counter()
    df = crit(atlas, None, pairs, progress=False)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(int(args["warm_reps"])):
        t0 = time.perf_counter()
        crit(atlas, None, pairs, progress=False)
        warm.append(time.perf_counter() - t0)
    # naive baseline on the already-built network: every open segment x every pair,
    # one plain networkx Dijkstra each (no "pairs using it" pruning), the segment hidden.
    net = build_network(atlas, None)
    h = net.routing
    segs = [
        frozenset(p for p in pids if p not in net.closed)
        for sid, pids in net.segment_pieces.items()
        if net.segment_state(sid) != "closed"
    ]
    t0 = time.perf_counter()
    runs = 0
    for hidden in segs:

        def w(_u: Any, _v: Any, d: dict[str, Any], hidden: frozenset = hidden) -> Any:
            return None if d.get("piece") in hidden else d["hours"]

        for o, d in pairs:
            runs += 1
            with contextlib.suppress(nx.NetworkXNoPath, nx.NodeNotFound):
                nx.bidirectional_dijkstra(h, ("o", o), ("d", d), weight=w)
    naive = time.perf_counter() - t0
    return {
        "cold_s": cold,
        "warm_s": warm,
        "naive_s": naive,
        "naive_dijkstra_runs": runs,
        "items": len(df),
        "items_by_kind": {str(k): int(v) for k, v in df["kind"].value_counts().items()},
        "od_pairs": int(df.attrs.get("od_pairs", len(pairs))),
        "od_pairs_connected": int(df.attrs.get("od_pairs_connected", -1)),
    }


# --------------------------------------------------------------------------- scale
def scale_atlas(args: dict[str, Any]) -> dict[str, Any]:
    """10k-feature overlay: load_overlay + atlas_map(overlays=[...]) + save, timed by phase.
    Modules imported lazily on that path are imported first (cold start is section 1)."""
    import folium  # noqa: F401
    import geopandas  # noqa: F401
    import pyproj  # noqa: F401
    import shapely  # noqa: F401

    import corridors.render  # noqa: F401
    from corridors.maps.atlas import atlas_map, save_atlas
    from corridors.maps.overlay import load_overlay

    gc.collect()
    rss0 = _vm_hwm_kb()
    t0 = time.perf_counter()
    spec = load_overlay(args["overlay"])
    t1 = time.perf_counter()
    m = atlas_map(overlays=[spec])
    t2 = time.perf_counter()
    path = save_atlas(m, args["out"], overwrite=True)
    t3 = time.perf_counter()
    n_vertices = 0
    for f in spec.features["features"]:
        n_vertices += len(f["geometry"].get("coordinates", ()))
    return {
        "total_s": t3 - t0,
        "load_overlay_s": t1 - t0,
        "atlas_map_s": t2 - t1,
        "save_s": t3 - t2,
        "bytes": path.stat().st_size,
        "features": len(spec.features["features"]),
        "overlay_vertices_after_load": n_vertices,
        "vm_hwm_kb_before": rss0,
        "vm_hwm_kb": _vm_hwm_kb(),
    }


def scale_explore(args: dict[str, Any]) -> dict[str, Any]:
    """The same overlay the obvious way: geopandas.read_file + .explore() + save."""
    import folium  # noqa: F401
    import geopandas as gpd
    import mapclassify  # noqa: F401
    import matplotlib  # noqa: F401

    gc.collect()
    rss0 = _vm_hwm_kb()
    t0 = time.perf_counter()
    gdf = gpd.read_file(args["overlay"])
    t1 = time.perf_counter()
    m = gdf.explore()
    t2 = time.perf_counter()
    m.save(args["out"])
    t3 = time.perf_counter()
    html = Path(args["out"]).read_text(encoding="utf-8")
    offline, inlined = _offline_version(html)
    Path(args["offline"]).write_text(offline, encoding="utf-8")
    return {
        "total_s": t3 - t0,
        "read_s": t1 - t0,
        "explore_s": t2 - t1,
        "save_s": t3 - t2,
        "bytes": Path(args["out"]).stat().st_size,
        "offline_bytes": Path(args["offline"]).stat().st_size,
        "inlined": inlined,
        "vm_hwm_kb_before": rss0,
        "vm_hwm_kb": _vm_hwm_kb(),
    }


# --------------------------------------------------------------------------- synthetic scale
def network_scale(args: dict[str, Any]) -> dict[str, Any]:
    """Routing and the criticality sweep on ``synthetic_atlas(scale)`` (fixed seed).

    Times: network build; ``route()`` warm p50/p95 over fixed pairs (interleaved with
    ``nx.dijkstra_path`` on ``Network.graph``); the pruned criticality sweep over
    ``crit_pairs`` pairs on the built network (``sweep: false`` skips it)."""
    import networkx as nx

    from corridors.analytics.criticality import criticality as crit
    from corridors.network.graph import build_network
    from corridors.network.routing import route
    from corridors.network.synthetic import SEED, synthetic_atlas, synthetic_pairs

    scale = float(args["scale"])
    t0 = time.perf_counter()
    atlas = synthetic_atlas(scale, seed=SEED)
    gen_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    net = build_network(atlas, None)
    build_s = time.perf_counter() - t0
    pairs = synthetic_pairs(atlas, int(args["pairs"]), seed=SEED)
    t0 = time.perf_counter()
    route(atlas, None, *pairs[0])  # builds the search's adjacency: not part of the warm figure
    first_s = time.perf_counter() - t0
    g = net.graph
    samples: dict[str, list[float]] = {"route": [], "nx_graph": []}
    pc = time.perf_counter_ns
    for _ in range(int(args["reps"])):
        for o, d in pairs:
            t = pc()
            route(atlas, None, o, d)
            samples["route"].append((pc() - t) / 1e6)
            t = pc()
            nx.dijkstra_path(g, o, d, weight="hours")
            samples["nx_graph"].append((pc() - t) / 1e6)
    out: dict[str, Any] = {
        "scale": scale,
        "seed": SEED,
        "nodes": len(atlas.nodes),
        "pieces": len(net.pieces),
        "routing_graph": {
            "nodes": net.routing.number_of_nodes(),
            "edges": net.routing.number_of_edges(),
        },
        "generate_s": gen_s,
        "build_s": build_s,
        "first_route_s": first_s,
        "p50_ms": {k: _pct(v, 0.5) for k, v in samples.items()},
        "p95_ms": {k: _pct(v, 0.95) for k, v in samples.items()},
    }
    if args.get("sweep", True):
        cpairs = synthetic_pairs(atlas, int(args["crit_pairs"]), seed=SEED + 7)
        t0 = time.perf_counter()
        df = crit(atlas, None, cpairs, progress=False)
        out["sweep_s"] = time.perf_counter() - t0
        out["sweep_items"] = len(df)
        out["sweep_reroutes"] = int(df["pairs_using"].sum())
    return out


# --------------------------------------------------------------------------- costs
def costs(args: dict[str, Any]) -> dict[str, Any]:
    """8a: route + Monte Carlo costing (1,000 draws) per OD pair, warm; 8b: a 20 x 20 OD
    comparison of two scenarios with paired-draw probabilities (``diff``), warm."""
    from corridors.analytics.diff import diff
    from corridors.network.routing import default_atlas, route

    pairs = [tuple(p) for p in args["pairs"]]
    reps = int(args["reps"])
    atlas = default_atlas()
    warm = route(*pairs[0]).costs  # loads the atlas and the network, warms the caches
    assert warm is not None
    samples: list[float] = []
    pc = time.perf_counter_ns
    for _ in range(reps):
        for o, d in pairs:
            t = pc()
            c = route(o, d).costs
            samples.append((pc() - t) / 1e6)
            assert c is not None and c.draws == 1000
    # the atlas's hubs, then the benchmark's OD places, to 20 places
    places = [h for h in atlas.hubs if h in atlas.nodes] + [p for od in pairs for p in od]
    hubs = list(dict.fromkeys(places))[:20]
    od = [(a, b) for a in hubs for b in hubs if a != b]
    a_s, b_s = args["scenarios"]
    diff(atlas, a_s, b_s, od)  # builds both networks once
    matrix: list[float] = []
    cpu: list[float] = []
    for _ in range(int(args["matrix_reps"])):
        t, c0 = pc(), time.process_time()
        d = diff(atlas, a_s, b_s, od)
        matrix.append((pc() - t) / 1e9)
        cpu.append(time.process_time() - c0)
    return {
        "route_costs_ms": samples,
        "route_costs_p50_ms": _pct(samples, 0.5),
        "route_costs_p95_ms": _pct(samples, 0.95),
        "matrix_s": matrix,
        "matrix_p50_s": _pct(matrix, 0.5),
        "matrix_cpu_s": cpu,
        "matrix_cpu_p50_s": _pct(cpu, 0.5),
        "matrix_pairs": len(od),
        "matrix_hubs": len(hubs),
        "matrix_costed_pairs": len(d.costs),
    }


WORKERS = {
    "costs": costs,
    "explore_baseline": explore_baseline,
    "routing": routing,
    "criticality": criticality,
    "network_scale": network_scale,
    "scale_atlas": scale_atlas,
    "scale_explore": scale_explore,
}

if __name__ == "__main__":
    name, raw_args = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "{}"
    result = WORKERS[name](json.loads(raw_args))
    sys.stdout.write("\n" + json.dumps(result) + "\n")
