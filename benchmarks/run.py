#!/usr/bin/env python
"""Performance benchmarks of corridors: one entry point, one table, one JSON file.

    python benchmarks/run.py [--quick] [--out benchmarks/results/latest.json]

Every figure is compared with a baseline measured in the same run (the machine is shared
and noisy): cold atlas build vs ``import geopandas, folium``; atlas HTML vs the same layers
drawn with one ``GeoDataFrame.explore()`` per layer; map-ready time in headless Chromium vs
that baseline; ``route()`` vs plain networkx Dijkstra; the criticality sweep vs a naive
sweep; a 10,000-line overlay vs ``read_file().explore()``. Each row shows the figure, its
baseline, the ratio and PASS/FAIL against its budget; the JSON keeps every raw sample.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as _dt
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
WORKERS = HERE / "_workers.py"
#: Environment of every measured process (``--src`` prepends a source tree to PYTHONPATH).
CHILD_ENV: dict[str, str] = dict(os.environ)

MB = 1_000_000  # decimal, as `corridors map` prints sizes
GB = 1_000_000_000

#: 50 origin/destination pairs (bundled node ids): intended land, sea and mixed; the class
#: actually taken (by the modes of the route found) is recorded in the JSON.
OD_PAIRS: list[tuple[str, str]] = [
    # land
    ("islamabad", "kashgar"), ("lahore", "peshawar"), ("karachi", "quetta"),
    ("tashkent", "termez"), ("kabul", "peshawar"), ("tehran", "tabriz"), ("baku", "tbilisi"),
    ("kars", "tbilisi"), ("ankara", "istanbul"), ("urumqi", "almaty"), ("moscow", "astrakhan"),
    ("herat", "kandahar"), ("gilgit", "islamabad"), ("zahedan", "quetta"),
    ("nakhchivan", "baku"), ("ganja", "kars"), ("multan", "sukkur"),
    ("mazar_i_sharif", "kabul"), ("tehran", "baku"), ("ashgabat", "tehran"),
    # sea
    ("gwadar_port", "djibouti"), ("karachi_port", "jebel_ali"), ("gwadar_port", "mombasa"),
    ("bandar_abbas", "mumbai"), ("chabahar_port", "dar_es_salaam"), ("karachi_port", "suez"),
    ("jebel_ali", "djibouti"), ("aktau", "port_of_baku_alat"),
    ("turkmenbashi", "port_of_baku_alat"), ("poti", "constanta"), ("dammam", "mumbai"),
    ("bandar_anzali", "astrakhan"), ("kuryk", "port_of_baku_alat"), ("batumi", "constanta"),
    ("mumbai", "mombasa"),
    # mixed
    ("kashgar", "jebel_ali"), ("islamabad", "djibouti"), ("tashkent", "baku"),
    ("almaty", "tbilisi"), ("kabul", "mumbai"), ("urumqi", "istanbul"), ("moscow", "mumbai"),
    ("tehran", "mombasa"), ("quetta", "suez"), ("kashgar", "istanbul"),
    ("lahore", "dar_es_salaam"), ("ashgabat", "ankara"), ("tashkent", "constanta"),
    ("herat", "jebel_ali"), ("gilgit", "djibouti"),
]  # fmt: skip

#: 20 pairs for the criticality sweep (every 5th of the land/sea/mixed list above, plus
#: the corridor pairs the project's own reports revolve around).
CRIT_PAIRS: list[tuple[str, str]] = [
    ("gwadar_port", "baku"), ("karachi_port", "istanbul"), ("kashgar", "gwadar_port"),
    ("islamabad", "tbilisi"), ("tashkent", "karachi_port"), ("kabul", "baku"),
    ("tehran", "moscow"), ("jebel_ali", "baku"), ("djibouti", "islamabad"),
    ("urumqi", "istanbul"), ("almaty", "tbilisi"), ("herat", "jebel_ali"),
    ("mumbai", "moscow"), ("ashgabat", "ankara"), ("lahore", "dar_es_salaam"),
    ("quetta", "suez"), ("kars", "tbilisi"), ("nakhchivan", "baku"), ("peshawar", "kabul"),
    ("aktau", "port_of_baku_alat"),
]  # fmt: skip

SCALE_FEATURES = 10_000
SCALE_SEED = 20240611


# --------------------------------------------------------------------------- utilities
def median(xs: list[float]) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def run_child(
    argv: list[str],
    *,
    timeout: float = 300.0,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> dict:
    """Run a process; return wall time, exit code, its own peak RSS (``wait4``), output.

    ``env`` adds to (or overrides) :data:`CHILD_ENV`.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(
            argv, stdout=out, stderr=err, cwd=cwd, env={**CHILD_ENV, **(env or {})}
        )
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        try:
            _pid, status, ru = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "wall_s": wall,
            "rc": p.returncode,
            "maxrss_kb": ru.ru_maxrss,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def worker(name: str, args: dict[str, Any], *, timeout: float = 300.0) -> dict[str, Any]:
    res = run_child([PY, str(WORKERS), name, json.dumps(args)], timeout=timeout, cwd=ROOT)
    if res["rc"] != 0:
        raise RuntimeError(f"worker {name} failed (rc={res['rc']}):\n{res['stderr'][-4000:]}")
    data = json.loads(res["stdout"].strip().splitlines()[-1])
    data["_process"] = {"wall_s": res["wall_s"], "maxrss_kb": res["maxrss_kb"]}
    return data


def note(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Report:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.details: dict[str, Any] = {}

    def row(
        self,
        rid: str,
        title: str,
        value: float | None,
        unit: str,
        baseline: float | None,
        baseline_label: str,
        *,
        budget: tuple[str, float] | None,
        samples: Any = None,
        baseline_samples: Any = None,
        notes: str = "",
    ) -> None:
        """``budget``: ("ratio", limit) → ratio <= limit; ("abs", limit) → value <= limit;
        None → informational."""
        ratio = (
            value / baseline
            if value is not None and baseline not in (None, 0) and not math.isnan(baseline)
            else None
        )
        ok: bool | None
        if budget is None:
            ok = None
        elif value is None:
            ok = False
        elif budget[0] == "ratio":
            ok = ratio is not None and ratio <= budget[1]
        else:
            ok = value <= budget[1]
        self.rows.append(
            {
                "id": rid,
                "title": title,
                "value": value,
                "unit": unit,
                "baseline": baseline,
                "baseline_label": baseline_label,
                "ratio": ratio,
                "budget": None if budget is None else {"kind": budget[0], "limit": budget[1]},
                "pass": ok,
                "samples": samples,
                "baseline_samples": baseline_samples,
                "notes": notes,
            }
        )


def fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "n/a"
    if unit == "s":
        return f"{v:.3f} s"
    if unit == "ms":
        return f"{v:.2f} ms" if v < 100 else f"{v:.0f} ms"
    if unit == "B":
        return f"{v / MB:.3f} MB"
    if unit == "KB":
        return f"{v / 1000:.0f} MB"
    return f"{v:g} {unit}"


def fmt_budget(b: dict | None, unit: str) -> str:
    if b is None:
        return "(info)"
    if b["kind"] == "ratio":
        return f"ratio <= {b['limit']:g}"
    if unit == "B":
        return f"<= {b['limit'] / MB:g} MB"
    if unit == "KB":
        return f"<= {b['limit'] / 1000:g} MB"
    return f"<= {b['limit']:g} {unit}"


def table(rows: list[dict[str, Any]]) -> str:
    head = ["Figure", "Value", "Baseline", "Ratio", "Budget", "Result"]
    lines = []
    for r in rows:
        lines.append(
            [
                r["title"],
                fmt(r["value"], r["unit"]),
                f"{fmt(r['baseline'], r['unit'])} ({r['baseline_label']})",
                "n/a" if r["ratio"] is None else f"{r['ratio']:.2f}x",
                fmt_budget(r["budget"], r["unit"]),
                "info" if r["pass"] is None else ("PASS" if r["pass"] else "FAIL"),
            ]
        )
    widths = [max(len(h), *(len(x[i]) for x in lines)) for i, h in enumerate(head)]
    out = [" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    out.append("-+-".join("-" * w for w in widths))
    out += [" | ".join(c.ljust(w) for c, w in zip(x, widths, strict=True)) for x in lines]
    return "\n".join(out)


def markdown_table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| Figure | Value | Baseline | Ratio | Budget | Result |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        res = "info" if r["pass"] is None else ("PASS" if r["pass"] else "**FAIL**")
        out.append(
            f"| {r['title']} | {fmt(r['value'], r['unit'])} | {fmt(r['baseline'], r['unit'])} "
            f"({r['baseline_label']}) | "
            + ("n/a" if r["ratio"] is None else f"{r['ratio']:.2f}x")
            + f" | {fmt_budget(r['budget'], r['unit'])} | {res} |"
        )
    return "\n".join(out)


# --------------------------------------------------------------------------- sections
def bench_cold_build(rep: Report, work: Path, n: int) -> Path:
    note(f"1. cold atlas build vs import floor ({n} x 2 processes)")
    out = work / "atlas.html"
    atlas_cmd = [PY, "-m", "corridors.cli.main", "map", "-o", str(out), "--overwrite"]
    floor_cmd = [PY, "-c", "import geopandas, folium"]
    # the floor's packages were byte-compiled by pip at install; do the same for the
    # measured corridors tree, or an editable install under PYTHONDONTWRITEBYTECODE would
    # recompile ~13,000 lines of source in every timed run (~65 ms)
    pkg = corridors_file()
    if pkg:
        compiled = compileall.compile_dir(Path(pkg).parent, quiet=1)
        rep.details["bytecode"] = {"compiled": str(Path(pkg).parent), "ok": bool(compiled)}
    # corridors keeps values derived from the borders file in an on-disk cache
    # (corridors.io.cache): "warm" runs use a private one, filled by the warm-up run, and
    # the same command with the cache turned off is timed alongside for comparison
    warm_env = {"CORRIDORS_CACHE_DIR": CHILD_ENV["CORRIDORS_CACHE_DIR"]}
    off_env = {"CORRIDORS_CACHE_DIR": "off"}
    cmds = {"a": (atlas_cmd, warm_env), "o": (atlas_cmd, off_env), "f": (floor_cmd, None)}
    # warm the page cache (and the derived-value cache) for all three (not recorded)
    for cmd, env in cmds.values():
        r = run_child(cmd, cwd=work, env=env)
        if r["rc"] != 0:
            raise RuntimeError(f"{cmd} failed:\n{r['stderr'][-4000:]}")
    times: dict[str, list[float]] = {k: [] for k in cmds}
    rss: dict[str, list[int]] = {k: [] for k in cmds}
    for i in range(n):  # rotate the order so drift hits all alike
        order = "aof"[i % 3 :] + "aof"[: i % 3]
        for tag in order:
            cmd, env = cmds[tag]
            r = run_child(cmd, cwd=work, env=env)
            if r["rc"] != 0:
                raise RuntimeError(f"{cmd} failed:\n{r['stderr'][-4000:]}")
            times[tag].append(r["wall_s"])
            rss[tag].append(r["maxrss_kb"])
    atlas, floor, off = times["a"], times["f"], times["o"]
    rep.row(
        "cold_atlas_build",
        "1. Cold `corridors map` (new process)",
        median(atlas),
        "s",
        median(floor),
        "import geopandas, folium",
        budget=("ratio", 1.3),
        samples=atlas,
        baseline_samples=floor,
        notes="median wall time of a new process, derived-value cache warm; baseline: "
        "same-run median of the import floor",
    )
    rep.row(
        "cold_atlas_build_nocache",
        "1'. Same, derived-value cache off",
        median(off),
        "s",
        median(floor),
        "import geopandas, folium",
        budget=None,
        samples=off,
        baseline_samples=floor,
        notes="CORRIDORS_CACHE_DIR=off: every value recomputed (a first run on a machine)",
    )
    rep.details["cold_build"] = {
        "atlas_cmd": atlas_cmd[1:],
        "floor_cmd": floor_cmd[1:],
        "atlas_s": atlas,
        "atlas_nocache_s": off,
        "floor_s": floor,
        "atlas_maxrss_kb": rss["a"],
        "atlas_nocache_maxrss_kb": rss["o"],
        "floor_maxrss_kb": rss["f"],
    }
    note("   atlas build phases (one in-process breakdown, for diagnosis)")
    rep.details["cold_build"]["phases_s"] = worker_phases()
    return out


def worker_phases() -> dict[str, float]:
    code = r"""
import json, time
t0 = time.perf_counter()
import corridors, corridors.cli.main, corridors.cli.atlas
from corridors.io.geodata import load_atlas
t1 = time.perf_counter()
import corridors.render
from corridors.maps.atlas import atlas_layers
from corridors.maps.tree import atlas_bounds
from corridors.render import build_map, render_html
t2 = time.perf_counter()
a = load_atlas(); t3 = time.perf_counter()
layers = atlas_layers(a); t4 = time.perf_counter()
m = build_map(layers, title="x", bounds=atlas_bounds(a)); t5 = time.perf_counter()
html = render_html(m); t6 = time.perf_counter()
print(json.dumps({"import_cli_load": t1 - t0, "import_render_folium": t2 - t1,
  "load_atlas": t3 - t2, "atlas_layers": t4 - t3, "build_map": t5 - t4,
  "render_html": t6 - t5, "total_in_process": t6 - t0, "corridors_file": corridors.__file__}))
"""
    r = run_child([PY, "-c", code], cwd=ROOT)
    if r["rc"] != 0:
        return {"error": r["stderr"][-2000:]}  # type: ignore[dict-item]
    return json.loads(r["stdout"].strip().splitlines()[-1])


_EXTERNAL = re.compile(
    r"<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE
)


def bench_weight(rep: Report, work: Path, atlas_html: Path) -> dict[str, Path]:
    note("2. HTML weight vs one .explore() per layer")
    raw, offline = work / "explore_raw.html", work / "explore_offline.html"
    res = worker("explore_baseline", {"raw": str(raw), "offline": str(offline)})
    size = atlas_html.stat().st_size
    text = atlas_html.read_text(encoding="utf-8")
    external = len(_EXTERNAL.findall(text))
    rep.row(
        "html_weight_ratio",
        "2a. Atlas HTML vs .explore() baseline",
        size,
        "B",
        res["offline_bytes"],
        ".explore(), Leaflet+jQuery inlined",
        budget=("ratio", 0.35),
        notes=(
            f"vs the .explore() page as saved (CDN links, not offline): {res['raw_bytes']} B, "
            f"ratio {size / res['raw_bytes']:.2f}"
        ),
    )
    rep.row(
        "html_weight_abs",
        "2b. Atlas HTML size",
        size,
        "B",
        res["raw_bytes"],
        ".explore() as saved, CDN-linked",
        budget=("abs", 1.5 * MB),
        notes="1 MB = 10^6 bytes (as `corridors map` prints)",
    )
    rep.details["weight"] = {
        "atlas_bytes": size,
        "atlas_external_refs": external,
        "explore": res,
        "composition": html_composition(text),
    }
    return {"raw": raw, "offline": offline}


def html_composition(text: str) -> dict[str, int]:
    """Bytes by part of the atlas page (for diagnosis): vendored libs, own assets, the
    payload (base64) and each layer's JSON inside it (before compression), and the
    inflation from escaping ``<``/``>``/``&`` as ``\\u00XX`` (in the configuration)."""
    comp: dict[str, int] = {}
    for m in re.finditer(r"<(script|style)>(.*?)</\1>", text, re.S):
        body = m.group(2)
        n = len(body.encode("utf-8"))
        if "Leaflet 1." in body[:200] and m.group(1) == "style":
            comp["leaflet_css"] = comp.get("leaflet_css", 0) + n
        elif "corridorsBoot(" in body:
            # Leaflet (+ jQuery) + corridors.js, gzip + base64 (render.resources)
            comp["packed_scripts"] = n
            from corridors.render.resources import unpack_scripts

            comp["packed_scripts_unpacked"] = len(unpack_scripts(body).encode("utf-8"))
        elif "Leaflet 1." in body[:200]:
            comp["leaflet_js"] = comp.get("leaflet_js", 0) + n
        elif "jQuery" in body[:200]:
            comp["jquery_js"] = comp.get("jquery_js", 0) + n
        elif "L.Icon.Default" in body[:200]:
            comp["icon_data_uris_and_corridors_js"] = n
        elif "corridors.css" in body[:200]:
            comp["corridors_css"] = n
        elif '.load("' in body:
            comp["page_script_total"] = n
            payload = re.search(r'\.load\("([A-Za-z0-9+/=]*)"\);', body)
            if payload:
                from corridors.render.payload import decode_payload

                comp["payload_base64"] = len(payload.group(1))
                data = decode_payload(payload.group(1))
                comp["payload_json_topology"] = len(json.dumps(data["topology"]))
                for layer in data["layers"]:
                    text = json.dumps(layer, ensure_ascii=False, separators=(",", ":"))
                    comp["payload_json_layer:" + layer["key"]] = len(text.encode("utf-8"))
        else:
            comp["other"] = comp.get("other", 0) + n
    esc = sum(text.count(s) for s in ("\\u003c", "\\u003e", "\\u0026"))
    comp["escape_inflation_u00XX"] = esc * 5
    return comp


def bench_browser(
    rep: Report,
    pages: dict[str, Path],
    reps: int,
    *,
    prefix: str,
    title: str,
    cpu_title: str,
    budget: Any,
) -> dict[str, Any]:
    from _browser import measure_ready

    order: list[tuple[str, Path]] = []
    for i in range(reps):
        pair = [("atlas", pages["atlas"]), ("baseline", pages["baseline"])]
        order += pair if i % 2 == 0 else pair[::-1]
    recs = measure_ready(order, timeout_s=60.0)
    a = [r["ready_ms"] for r in recs if r["label"] == "atlas"]
    b = [r["ready_ms"] for r in recs if r["label"] == "baseline"]
    a_ok, b_ok = [x for x in a if x is not None], [x for x in b if x is not None]
    value = median(a_ok) if len(a_ok) == len(a) else None
    base = median(b_ok)
    rep.row(
        prefix,
        title,
        value,
        "ms",
        base,
        ".explore(), Leaflet+jQuery inlined",
        budget=budget,
        samples=a,
        baseline_samples=b,
        notes="ms from navigation start to ready (see README)"
        + "".join(
            f"; {r['label']} run {i} FAILED: {r['failed']} {r['js_errors'][:1]}"
            for i, r in enumerate(recs)
            if r.get("failed")
        ),
    )
    cpu_a = [r["main_thread_ms"].get("TaskDuration") for r in recs if r["label"] == "atlas"]
    cpu_b = [r["main_thread_ms"].get("TaskDuration") for r in recs if r["label"] == "baseline"]
    rep.row(
        prefix + "_cpu",
        cpu_title,
        median(cpu_a),
        "ms",
        median(cpu_b),
        "same baseline",
        budget=None,
        samples=cpu_a,
        baseline_samples=cpu_b,
        notes="renderer main-thread CPU (thread ticks) from navigation to ready: diagnostic, "
        "much less disturbed by other load on the machine than the wall-clock figure",
    )
    return {"runs": recs}


#: Closures toggled by the in-page re-route benchmark (section 8), on Gwadar -> Tashkent.
REROUTE_ITEMS = [
    "border:AFG-PAK",
    "passage:hormuz",
    "country:IRN",
    "segment:cpec-west",
    "node:zahedan",
    "country:AFG",
    "border:AFG-TJK",
    "segment:ncpec-chaman-road",
]


def bench_reroute(rep: Report, atlas_html: Path, n: int) -> None:
    from _browser import measure_reroute

    note(f"8. in-page re-route after a closure in Chromium ({n} toggles)")
    res = measure_reroute(atlas_html, "gwadar_port", "tashkent", REROUTE_ITEMS, n)
    total, compute = res["total"], res["compute"]
    rep.row(
        "lab_reroute_p95",
        "8a. In-page re-route after a closure, p95",
        _pct(total, 95),
        "ms",
        None,
        "",
        budget=("abs", 50.0),
        samples=total,
        notes="closure -> new route computed, panel and map redrawn (next animation frame); "
        "the page's network rebuilt each time (no cache); Gwadar -> Tashkent",
    )
    rep.row(
        "lab_reroute_compute_p95",
        "8b. Re-route compute (synchronous part), p95",
        _pct(compute, 95),
        "ms",
        None,
        "",
        budget=None,
        samples=compute,
        notes="closures applied, routing graph rebuilt, search, panel and layers updated",
    )


def _pct(xs: list[float], q: float) -> float | None:
    """Percentile ``q`` (0-100) with linear interpolation (as ``_workers._pct``)."""
    s = sorted(xs)
    if not s:
        return None
    k = (len(s) - 1) * q / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def bench_routing(rep: Report, reps: int) -> None:
    note(f"4. routing: {len(OD_PAIRS)} OD pairs x {reps} reps, warm")
    res = worker("routing", {"pairs": OD_PAIRS, "reps": reps})
    rep.row(
        "route_p50",
        "4a. route() warm p50",
        res["p50_ms"]["route"],
        "ms",
        res["p50_ms"]["nx_graph"],
        "nx.dijkstra_path on Network.graph",
        budget=("abs", 2.0),
        samples=res["samples_ms"]["route"],
        baseline_samples=res["samples_ms"]["nx_graph"],
    )
    rep.row(
        "route_p95",
        "4b. route() warm p95",
        res["p95_ms"]["route"],
        "ms",
        res["p95_ms"]["nx_graph"],
        "nx.dijkstra_path on Network.graph",
        budget=None,
    )
    res.pop("samples_ms")
    rep.details["routing"] = res


def bench_costs(rep: Report, reps: int, matrix_reps: int) -> None:
    note(f"9. costs: route + 1,000-draw costing, {len(OD_PAIRS)} pairs x {reps}; 20 x 20 diff")
    res = worker(
        "costs",
        {
            "pairs": OD_PAIRS,
            "reps": reps,
            "matrix_reps": matrix_reps,
            "scenarios": ["today", "full-vision"],
        },
    )
    rep.row(
        "route_costs_p50",
        "9a. route() + costs (1,000 draws) warm p50",
        res["route_costs_p50_ms"],
        "ms",
        None,
        "",
        budget=("abs", 20.0),
        samples=res["route_costs_ms"],
    )
    rep.row(
        "od_matrix_diff",
        f"9b. {res['matrix_hubs']}x{res['matrix_hubs']} OD diff with probabilities "
        f"({res['matrix_pairs']} pairs, today vs full-vision)",
        res["matrix_p50_s"],
        "s",
        None,
        "",
        budget=("abs", 2.0),
        samples=res["matrix_s"],
        notes=f"process CPU p50 {res['matrix_cpu_p50_s']:.3f} s; "
        f"{res['matrix_costed_pairs']} pairs costed in both",
    )
    rep.row(
        "od_matrix_diff_cpu",
        "9c. same, process CPU time (diagnostic: wall time on a shared machine)",
        res["matrix_cpu_p50_s"],
        "s",
        None,
        "",
        budget=None,
        samples=res["matrix_cpu_s"],
    )
    res.pop("route_costs_ms")
    rep.details["costs"] = res


def bench_criticality(rep: Report, runs: int, warm_reps: int) -> None:
    note(f"5. criticality sweep x {len(CRIT_PAIRS)} OD pairs ({runs} fresh processes)")
    results = [
        worker("criticality", {"pairs": CRIT_PAIRS, "warm_reps": warm_reps}) for _ in range(runs)
    ]
    cold = [r["cold_s"] for r in results]
    naive = [r["naive_s"] for r in results]
    rep.row(
        "criticality",
        "5. Criticality sweep (fresh process)",
        median(cold),
        "s",
        median(naive),
        "naive: every segment x pair, nx Dijkstra",
        budget=("abs", 5.0),
        samples=cold,
        baseline_samples=naive,
        notes="value includes building the scenario network and closed-passage networks; "
        "baseline runs on the already-built network",
    )
    rep.details["criticality"] = results


def make_overlay(path: Path, n: int = SCALE_FEATURES, seed: int = SCALE_SEED) -> dict[str, int]:
    """``n`` seeded random-walk lines in the atlas region (lon 25–95, lat 10–55)."""
    rng = random.Random(seed)
    cats = ["road", "rail", "pipeline", "power line", "fibre", "other"]
    feats = []
    vertices = 0
    for i in range(n):
        lon, lat = rng.uniform(30.0, 90.0), rng.uniform(15.0, 50.0)
        heading = rng.uniform(0.0, 2 * math.pi)
        nv = rng.randint(10, 50)
        coords = [[round(lon, 5), round(lat, 5)]]
        for _ in range(nv - 1):
            heading += rng.gauss(0.0, 0.5)
            step = rng.uniform(0.02, 0.1)
            lon = min(95.0, max(25.0, lon + step * math.cos(heading)))
            lat = min(55.0, max(10.0, lat + step * math.sin(heading)))
            coords.append([round(lon, 5), round(lat, 5)])
        vertices += nv
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "id": f"syn-{i:05d}",
                    "name": f"Synthetic line {i}",
                    "category": rng.choice(cats),
                    "capacity": round(rng.uniform(0.0, 1000.0), 1),
                    "year": rng.randint(1990, 2035),
                    "operator": f"Operator {rng.randint(1, 200)}",
                },
                "geometry": {"type": "LineString", "coordinates": coords},
            }
        )
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": feats}, separators=(",", ":")),
        encoding="utf-8",
    )
    return {"features": n, "vertices": vertices, "bytes": path.stat().st_size, "seed": seed}


#: Synthetic network scales (x the bundled network; see corridors.network.synthetic).
NET_SCALES = (1, 10, 100)


def bench_network_scale(rep: Report, reps: int, *, sweep_100x: bool) -> None:
    """7. route() p50 and the criticality sweep on synthetic networks 1x, 10x, 100x."""
    res: dict[int, dict[str, Any]] = {}
    for scale in NET_SCALES:
        sweep = scale < 100 or sweep_100x
        note(
            f"7. synthetic network x{scale}: route p50" + (" + criticality sweep" if sweep else "")
        )
        res[scale] = worker(
            "network_scale",
            {
                "scale": scale,
                "pairs": 30,
                "reps": reps if scale < 100 else max(1, reps // 5),
                "crit_pairs": len(CRIT_PAIRS),
                "sweep": sweep,
            },
            timeout=1200.0,
        )
    one = res[1]
    for scale, r in res.items():
        rep.row(
            f"net_route_p50_x{scale}",
            f"7a. route() p50, synthetic x{scale} ({r['nodes']} nodes, {r['pieces']} pieces)",
            r["p50_ms"]["route"],
            "ms",
            r["p50_ms"]["nx_graph"],
            "nx.dijkstra_path on Network.graph",
            budget=None,
            notes=f"x{r['p50_ms']['route'] / one['p50_ms']['route']:.1f} the 1x p50; "
            f"network build {r['build_s']:.2f} s",
        )
    for scale, r in res.items():
        if "sweep_s" not in r:
            continue
        rep.row(
            f"net_sweep_x{scale}",
            f"7b. Criticality sweep, synthetic x{scale} ({len(CRIT_PAIRS)} pairs, "
            f"{r['sweep_items']} items)",
            r["sweep_s"],
            "s",
            one["sweep_s"],
            "same sweep on the x1 network",
            budget=("abs", 5.0) if scale == 10 else None,
            notes="pruned to links on current best paths; network already built",
        )
    rep.details["network_scale"] = res


def bench_scale(rep: Report, work: Path, build_reps: int, browser_reps: int) -> None:
    overlay = work / "synthetic_overlay.geojson"
    info = make_overlay(overlay)
    note(
        f"6. scale: {info['features']} lines, {info['vertices']} vertices, "
        f"{info['bytes'] / MB:.1f} MB GeoJSON ({build_reps} build(s) each, "
        f"{browser_reps} browser load(s) each)"
    )
    out = work / "scale_atlas.html"
    ex_raw, ex_off = work / "scale_explore_raw.html", work / "scale_explore_offline.html"
    atlas_runs, explore_runs = [], []
    for i in range(build_reps):
        jobs = [("a", {"overlay": str(overlay), "out": str(out)})]
        jobs.append(("e", {"overlay": str(overlay), "out": str(ex_raw), "offline": str(ex_off)}))
        for tag, args in jobs if i % 2 == 0 else jobs[::-1]:
            if tag == "a":
                atlas_runs.append(worker("scale_atlas", args, timeout=600))
            else:
                explore_runs.append(worker("scale_explore", args, timeout=600))
    a_t = [r["total_s"] for r in atlas_runs]
    e_t = [r["total_s"] for r in explore_runs]
    rep.row(
        "scale_build",
        "6a. 10k-line overlay: load+validate+render+save",
        median(a_t),
        "s",
        median(e_t),
        "read_file + .explore() + save",
        budget=None,
        samples=a_t,
        baseline_samples=e_t,
    )
    rep.row(
        "scale_html",
        "6b. 10k-line overlay: HTML size",
        atlas_runs[-1]["bytes"],
        "B",
        explore_runs[-1]["bytes"],
        ".explore() as saved, CDN-linked",
        budget=("abs", 8 * MB),
    )
    a_rss = [r["_process"]["maxrss_kb"] * 1024 for r in atlas_runs]
    e_rss = [r["_process"]["maxrss_kb"] * 1024 for r in explore_runs]
    rep.row(
        "scale_rss",
        "6d. 10k-line overlay: peak RSS",
        max(a_rss),
        "B",
        max(e_rss),
        "read_file + .explore() + save",
        budget=("abs", 1 * GB),
        samples=a_rss,
        baseline_samples=e_rss,
        notes="ru_maxrss of the worker process (os.wait4), imports included; max over runs",
    )
    note("   browser-ready of the 10k-line pages")
    b = bench_browser(
        rep,
        {"atlas": out, "baseline": ex_off},
        browser_reps,
        prefix="scale_ready",
        title="6c. 10k-line overlay: ready in Chromium",
        cpu_title="6c'. 10k-line overlay: main-thread CPU to ready",
        budget=("abs", 3000.0),
    )
    # keep row order a, b, c, c', d
    rows = rep.rows
    c_cpu, c = rows.pop(), rows.pop()
    rows.insert(len(rows) - 1, c)
    rows.insert(len(rows) - 1, c_cpu)
    rep.details["scale"] = {
        "overlay": info,
        "atlas_runs": atlas_runs,
        "explore_runs": explore_runs,
        "browser": b,
    }


# --------------------------------------------------------------------------- main
def versions() -> dict[str, Any]:
    from importlib import metadata

    out: dict[str, Any] = {}
    for pkg in (
        "corridors",
        "folium",
        "branca",
        "geopandas",
        "shapely",
        "networkx",
        "pandas",
        "numpy",
        "searoute",
        "playwright",
        "xstatic-leaflet",
        "xstatic-jquery",
    ):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def git_commit() -> str | None:
    try:
        r = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
        return r.stdout.strip() or None
    except Exception:
        return None


def corridors_file() -> str | None:
    r = run_child([PY, "-c", "import corridors; print(corridors.__file__)"], cwd=ROOT)
    return r["stdout"].strip() or None


def dirty_src() -> list[str] | None:
    """Files under src/ with uncommitted changes (read-only `git status`)."""
    try:
        r = subprocess.run(
            ["git", "status", "--porcelain", "--", "src", "geodata"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        )
        return [line[3:] for line in r.stdout.splitlines()]
    except Exception:
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions")
    ap.add_argument(
        "--out", default=str(HERE / "results" / "latest.json"), help="JSON results file"
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    ap.add_argument(
        "--markdown", action="store_true", help="also print the table as Markdown (README)"
    )
    ap.add_argument(
        "--src",
        help="measure another source tree (prepended to PYTHONPATH of every measured "
        "process), e.g. a `git archive HEAD` snapshot; default: the installed package",
    )
    ap.add_argument(
        "--only",
        default="1,2,3,4,5,6,7,8,9",
        help="comma-separated sections to run (1 cold build … 6 scale, 7 network scale, "
        "8 in-page re-route, 9 costs); 2, 3 and 8 need 1",
    )
    args = ap.parse_args(argv)
    sections = {s.strip() for s in args.only.split(",") if s.strip()}
    if sections & {"2", "3", "8"}:
        sections.add("1")
    q = args.quick
    n_cold = 3 if q else 5
    n_browser = 3 if q else 7
    n_route = 5 if q else 20
    n_crit = 1 if q else 3
    n_scale_build = 1 if q else 2
    n_scale_browser = 1 if q else 3

    if args.src:
        src = str(Path(args.src).resolve())
        CHILD_ENV["PYTHONPATH"] = os.pathsep.join(
            [src, *filter(None, [os.environ.get("PYTHONPATH")])]
        )
    sys.path.insert(0, str(HERE))
    from _browser import chromium_version

    t_start = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="corridors-bench-"))
    # every measured process shares one private derived-value cache (never ~/.cache)
    CHILD_ENV["CORRIDORS_CACHE_DIR"] = str(work / "derived-cache")
    rep = Report()
    meta = {
        "started": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "quick": q,
        "python": sys.version.split()[0],
        "executable": PY,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
        "chromium": chromium_version(),
        "versions": versions(),
        "commit": git_commit(),
        "repetitions": {
            "cold_build": n_cold,
            "browser": n_browser,
            "route_per_pair": n_route,
            "criticality_processes": n_crit,
            "scale_build": n_scale_build,
            "scale_browser": n_scale_browser,
        },
        "workdir": str(work),
        "src": args.src,
        "corridors_file": corridors_file(),
        "dirty_src": dirty_src(),
    }
    try:
        if "1" in sections:
            atlas_html = bench_cold_build(rep, work, n_cold)
            if "2" in sections or "3" in sections:
                base = bench_weight(rep, work, atlas_html)
                if "2" not in sections:
                    rep.rows = [r for r in rep.rows if not r["id"].startswith("html_")]
            if "3" in sections:
                note(f"3. map ready in headless Chromium ({n_browser} x 2 loads)")
                rep.details["browser"] = bench_browser(
                    rep,
                    {"atlas": atlas_html, "baseline": base["offline"]},
                    n_browser,
                    prefix="ready",
                    title="3. Map ready in Chromium",
                    cpu_title="3'. Main-thread CPU to ready (diagnostic)",
                    budget=("ratio", 1.0),
                )
        if "8" in sections:
            bench_reroute(rep, atlas_html, 40 if q else 200)
        if "4" in sections:
            bench_routing(rep, n_route)
        if "5" in sections:
            bench_criticality(rep, n_crit, 2 if q else 3)
        if "6" in sections:
            bench_scale(rep, work, n_scale_build, n_scale_browser)
        if "7" in sections:
            bench_network_scale(rep, 2 if q else 5, sweep_100x=not q)
        if "9" in sections:
            bench_costs(rep, n_route, 2 if q else 5)
    finally:
        meta["elapsed_s"] = time.perf_counter() - t_start
        meta["loadavg_end"] = os.getloadavg()
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps({"meta": meta, "results": rep.rows, "details": rep.details}, indent=1)
            + "\n",
            encoding="utf-8",
        )
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(table(rep.rows))
    if args.markdown:
        print("\n" + markdown_table(rep.rows) + "\n")
    fails = [r for r in rep.rows if r["pass"] is False]
    print(
        f"\n{len(rep.rows) - len(fails)} of {len(rep.rows)} rows PASS or info, {len(fails)} FAIL; "
        f"{meta['elapsed_s']:.0f} s; load average {meta['loadavg_start'][0]:.2f} -> "
        f"{meta['loadavg_end'][0]:.2f}; JSON: {out}"
    )
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
