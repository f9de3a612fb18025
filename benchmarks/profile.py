#!/usr/bin/env python
"""Profiles behind the benchmark figures (for diagnosis; not part of the timed run).

    python benchmarks/profile.py build              # `corridors map`, in-process, imports excluded
    python benchmarks/profile.py overlay            # 10k-line overlay: load + atlas_map + save
    python benchmarks/profile.py browser PAGE.html [--runs 5] [--callers getSize]

``build`` and ``overlay`` use pyinstrument when installed (else cProfile); ``browser``
records Chromium's sampling CPU profile (CDP ``Profiler``) while the page loads up to
"ready" (same definition as benchmarks/run.py), over several fresh browsers, and prints
self time per function summed over the runs (``(program)`` is HTML parsing, script
compilation, style and layout outside JavaScript). ``--callers NAME`` prints the call
stacks under which NAME spent its time (e.g. ``getSize``: forced synchronous layout).
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _profile(fn, *, interval: float = 0.001) -> str:
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import io
        import pstats

        pr = cProfile.Profile()
        pr.enable()
        fn()
        pr.disable()
        s = io.StringIO()
        pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(40)
        return s.getvalue()
    p = Profiler(interval=interval)
    p.start()
    fn()
    p.stop()
    return p.output_text(unicode=False, color=False)


def cmd_build(_args: argparse.Namespace) -> None:
    import corridors.cli.atlas
    import corridors.render  # noqa: F401
    from corridors.io.geodata import load_atlas
    from corridors.maps.atlas import atlas_map, save_atlas

    out = Path(tempfile.mkdtemp()) / "atlas.html"

    def run() -> None:
        save_atlas(atlas_map(load_atlas()), out, overwrite=True)

    print(_profile(run))


def cmd_overlay(args: argparse.Namespace) -> None:
    import folium  # noqa: F401
    import geopandas  # noqa: F401
    from run import make_overlay

    import corridors.render  # noqa: F401
    from corridors.maps.atlas import atlas_map, save_atlas
    from corridors.maps.overlay import load_overlay

    work = Path(tempfile.mkdtemp())
    src = work / "synthetic_overlay.geojson"
    make_overlay(src)

    def run() -> None:
        spec = load_overlay(src)
        save_atlas(atlas_map(overlays=[spec]), work / "scale.html", overwrite=True)

    print(_profile(run, interval=0.002))


def cmd_browser(args: argparse.Namespace) -> None:
    from _browser import _INIT_SCRIPT, FLAGS, VIEWPORT, _blank_page, _router, chromium_path
    from playwright.sync_api import sync_playwright

    page_uri = Path(args.page).resolve().as_uri()
    self_ms: collections.Counter = collections.Counter()
    stacks: collections.Counter = collections.Counter()
    readies = []
    with sync_playwright() as pw:
        for _ in range(args.runs):
            profile_dir = tempfile.mkdtemp(prefix="bench-chromium-")
            ctx = pw.chromium.launch_persistent_context(
                profile_dir,
                executable_path=chromium_path(),
                headless=True,
                args=FLAGS,
                viewport=VIEWPORT,
            )
            try:
                page = ctx.pages[0] if ctx.pages else ctx.new_page()
                page.route("**/*", _router([]))
                page.goto(_blank_page().as_uri(), wait_until="load")
                page.add_init_script(_INIT_SCRIPT)
                cdp = ctx.new_cdp_session(page)
                cdp.send("Profiler.enable")
                cdp.send("Profiler.setSamplingInterval", {"interval": 200})
                cdp.send("Profiler.start")
                page.goto(page_uri, wait_until="load", timeout=120_000)
                page.wait_for_function(
                    "() => window.__bench.ready !== null || window.__bench.failed !== null",
                    timeout=120_000,
                )
                readies.append(page.evaluate("() => window.__bench.ready"))
                prof = cdp.send("Profiler.stop")["profile"]
            finally:
                ctx.close()
                shutil.rmtree(profile_dir, ignore_errors=True)
            nodes = {n["id"]: n for n in prof["nodes"]}
            parent = {c: n["id"] for n in prof["nodes"] for c in n.get("children", [])}
            for sid, dt in zip(prof["samples"], prof["timeDeltas"], strict=True):
                cf = nodes[sid]["callFrame"]
                name = cf["functionName"] or "(anonymous)"
                key = f"{name}  [{cf['url'].rsplit('/', 1)[-1] or '-'}:{cf['lineNumber']}]"
                self_ms[key] += dt / 1000.0
                if args.callers and name == args.callers:
                    chain, x = [], sid
                    for _ in range(8):
                        x = parent.get(x)
                        if x is None:
                            break
                        c = nodes[x]["callFrame"]
                        chain.append(f"{c['functionName'] or '(anonymous)'}:{c['lineNumber']}")
                    stacks[" <- ".join(chain)] += dt / 1000.0
    total = sum(self_ms.values())
    print(f"{args.page}: ready (ms) per run {readies}")
    print(f"self time summed over {args.runs} runs: {total:.0f} ms")
    for key, ms in self_ms.most_common(args.top):
        print(f"{ms / args.runs:9.1f} ms/run  {100 * ms / total:5.1f}%  {key}")
    if args.callers:
        print(f"\nstacks under {args.callers}:")
        for chain, ms in stacks.most_common(10):
            print(f"{ms / args.runs:9.1f} ms/run  {chain}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("build", help="in-process `corridors map` (imports excluded)")
    sub.add_parser("overlay", help="10k-line overlay: load_overlay + atlas_map + save")
    b = sub.add_parser("browser", help="Chromium CPU profile of a page up to 'ready'")
    b.add_argument("page")
    b.add_argument("--runs", type=int, default=5)
    b.add_argument("--top", type=int, default=25)
    b.add_argument("--callers", help="print call stacks of this function")
    args = ap.parse_args()
    {"build": cmd_build, "overlay": cmd_overlay, "browser": cmd_browser}[args.cmd](args)


if __name__ == "__main__":
    main()
