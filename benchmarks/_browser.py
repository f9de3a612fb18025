"""Headless-Chromium "map ready" timing for benchmarks/run.py.

Definition of *ready* (the same for the atlas and for the ``.explore()`` baseline):

1. the page's ``load`` event has fired;
2. at least one Leaflet map exists (any ``window`` global that is an ``L.Map``);
3. if the page is a corridors atlas (``.corridors-map``), its container carries
   ``data-cx-ready="true"`` (set by ``corridors.js`` at the end of ``App.finish``);
4. no canvas renderer has a redraw pending (``L.Canvas#_redrawRequest`` is null: the canvas
   has actually been painted), and
5. the drawing is stable: the number of layers on the map(s), of ``<path>`` elements and of
   ``<canvas>`` elements is unchanged for ``STABLE_FRAMES`` consecutive animation frames.

The figure is ``performance.now()`` (ms since navigation start) at the *first* frame of that
stable window, so the confirmation frames are not counted. Each page gets a fresh browser
with a fresh profile (user-data-dir); a blank local page is loaded first so that starting
the renderer process is not measured. Every request that is not a ``file:``/``data:``/
``blob:`` URL is aborted and counted. A page with a script error and no ready map
``GIVE_UP_MS`` after ``load`` is reported as failed instead of waiting for the timeout.

Also recorded, as a diagnostic that a busy machine disturbs much less than wall time: the
renderer main thread's CPU time from navigation to ready (CDP ``Performance.getMetrics``
with ``timeDomain=threadTicks``: TaskDuration, ScriptDuration, LayoutDuration…).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from corridors.render.chromium import CHROMIUM_ARGS

FLAGS = list(CHROMIUM_ARGS)
VIEWPORT = {"width": 1280, "height": 800}
STABLE_FRAMES = 3
#: A page with a script error and no ready map this long after ``load`` is reported failed.
GIVE_UP_MS = 5000

_INIT_SCRIPT = """
(() => {
  const STABLE = @STABLE@, GIVE_UP_MS = @GIVE_UP@;
  const st = { load: null, ready: null, failed: null, cxReady: null, frames: 0, errors: [],
               layers: 0, paths: 0, canvases: 0, maps: 0 };
  window.__bench = st;
  window.addEventListener('error', (e) => { st.errors.push(String(e.message || e)); });
  let found = [];
  function maps() {
    const L = window.L;
    if (!L || !L.Map) { return []; }
    if (found.length) { return found; }  // maps are created by the page's inline scripts
    const out = found = [];
    for (const k of Object.keys(window)) {
      let v; try { v = window[k]; } catch (e) { continue; }
      if (v instanceof L.Map && out.indexOf(v) < 0) { out.push(v); }
    }
    return out;
  }
  let candidate = null, same = 0, last = null;
  function tick() {
    st.frames++;
    const ms = maps();
    let layers = 0, pending = 0;
    for (const m of ms) {
      for (const id in m._layers) {
        layers++;
        if (m._layers[id]._redrawRequest) { pending++; }
      }
    }
    const cx = document.querySelector('.corridors-map');
    const cxOk = !cx || cx.getAttribute('data-cx-ready') === 'true';
    if (cx && cxOk && st.cxReady === null) { st.cxReady = performance.now(); }
    const paths = document.getElementsByTagName('path').length;
    const canvases = document.getElementsByTagName('canvas').length;
    const sig = ms.length + '/' + layers + '/' + paths + '/' + canvases;
    const ok = ms.length > 0 && layers > 0 && cxOk && pending === 0;
    const now = performance.now();
    if (!ok && st.errors.length && now - st.load > GIVE_UP_MS) {
      // a script error and still no drawn map: the page is broken, stop waiting
      st.failed = 'script error and no ready map ' + GIVE_UP_MS + ' ms after load';
      st.maps = ms.length; st.layers = layers; st.paths = paths; st.canvases = canvases;
      return;
    }
    // a frame counts towards the stable window only after an ok frame: a frame that was
    // not ok (a redraw pending, the app not ready) with the same counts starts a new one
    if (ok && sig === last && candidate !== null) {
      same++;
    } else {
      same = ok ? 1 : 0;
      candidate = ok ? now : null;
    }
    last = sig;
    if (ok && same >= STABLE) {
      st.ready = candidate;
      st.maps = ms.length; st.layers = layers; st.paths = paths; st.canvases = canvases;
      return;
    }
    requestAnimationFrame(tick);
  }
  window.addEventListener('load', () => {
    st.load = performance.now();
    requestAnimationFrame(tick);
  });
})();
""".replace("@STABLE@", str(STABLE_FRAMES)).replace("@GIVE_UP@", str(GIVE_UP_MS))


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_version() -> str | None:
    exe = chromium_path()
    if exe is None:
        return None
    import subprocess

    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
        return out.stdout.strip() or None
    except Exception:  # pragma: no cover - informational only
        return None


_CPU_METRICS = (
    "TaskDuration",
    "ScriptDuration",
    "LayoutDuration",
    "RecalcStyleDuration",
    "TaskOtherDuration",
)


def _metrics(cdp: Any) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def _blank_page() -> Path:
    path = Path(tempfile.gettempdir()) / "corridors-bench-blank.html"
    if not path.exists():
        path.write_text("<!DOCTYPE html><title>blank</title>\n", encoding="utf-8")
    return path


def _router(aborted: list[str]) -> Any:
    def handle(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            aborted.append(url)
            route.abort()

    return handle


def measure_ready(
    pages: list[tuple[str, Path]], *, timeout_s: float = 60.0
) -> list[dict[str, Any]]:
    """Open each ``(label, html_path)`` in its own fresh Chromium profile; return one
    record per page: ``ready_ms`` (None on timeout), ``load_ms``, ``cx_ready_ms``,
    ``aborted`` (count) and ``aborted_urls``, layer/path/canvas counts, JS errors."""
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    if exe is None:
        raise RuntimeError("chromium not found on PATH")
    results = []
    with sync_playwright() as pw:
        for label, html in pages:
            profile = tempfile.mkdtemp(prefix="bench-chromium-")
            ctx = pw.chromium.launch_persistent_context(
                profile,
                executable_path=exe,
                headless=True,
                args=FLAGS,
                viewport=VIEWPORT,
                device_scale_factor=1,
            )
            aborted: list[str] = []
            rec: dict[str, Any] = {"label": label, "file": str(html)}
            try:
                page = ctx.pages[0] if ctx.pages else ctx.new_page()

                page.route("**/*", _router(aborted))
                # warm-up: a blank local page first, so that spawning the renderer process
                # for file:// is not part of the measured navigation
                page.goto(_blank_page().as_uri(), wait_until="load")
                page.add_init_script(_INIT_SCRIPT)
                # main-thread CPU time (thread ticks, robust to a busy machine): a diagnostic
                cdp = ctx.new_cdp_session(page)
                cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
                m0 = _metrics(cdp)
                t0 = time.perf_counter()
                page.goto(
                    Path(html).resolve().as_uri(), wait_until="load", timeout=timeout_s * 1000
                )
                try:
                    page.wait_for_function(
                        "() => window.__bench && "
                        "(window.__bench.ready !== null || window.__bench.failed !== null)",
                        timeout=timeout_s * 1000,
                        polling=50,
                    )
                    timed_out = False
                except Exception:
                    timed_out = True
                rec["wall_s"] = time.perf_counter() - t0
                m1 = _metrics(cdp)
                rec["main_thread_ms"] = {
                    k: round(1000.0 * (m1.get(k, 0.0) - m0.get(k, 0.0)), 1)
                    for k in _CPU_METRICS
                    if k in m1
                }
                st = page.evaluate("() => window.__bench")
                nav = page.evaluate(
                    "() => { const e = performance.getEntriesByType('navigation')[0];"
                    " return e ? e.toJSON() : null; }"
                )
                rec.update(
                    ready_ms=None if timed_out else st["ready"],
                    failed=st["failed"] or ("timed out" if timed_out else None),
                    load_ms=st["load"],
                    cx_ready_ms=st["cxReady"],
                    frames=st["frames"],
                    maps=st["maps"],
                    layers=st["layers"],
                    paths=st["paths"],
                    canvases=st["canvases"],
                    js_errors=st["errors"][:10],
                    timed_out=timed_out,
                    navigation={
                        k: nav.get(k)
                        for k in (
                            "responseEnd",
                            "domInteractive",
                            "domContentLoadedEventEnd",
                            "loadEventStart",
                            "transferSize",
                        )
                    }
                    if nav
                    else None,
                )
            finally:
                rec["aborted"] = len(aborted)
                rec["aborted_urls"] = sorted(set(aborted))
                ctx.close()
                shutil.rmtree(profile, ignore_errors=True)
            results.append(rec)
    return results


_REROUTE_JS = """async ([origin, destination, items, n]) => {
  const lab = window.corridorsLab, core = lab.lab;
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  lab.show(origin, destination, { close: [] });
  await frame();
  const total = [], compute = [];
  for (let i = 0; i < n; i++) {
    const item = items[i % items.length];
    core._states = {}; core._stateKeys = [];  // no cached network: every closure is new
    const t0 = performance.now();
    const on = lab.closures().indexOf(core.parseClosure(item)) >= 0;
    if (on) { lab.reopen(item); } else { lab.close(item); }
    const t1 = performance.now();
    await frame();  // Leaflet draws the new route on the next animation frame
    total.push(performance.now() - t0);
    compute.push(t1 - t0);
  }
  const last = lab.result();
  return { total: total, compute: compute, routes: last.routes ? last.routes.length : 0 };
}"""


def measure_reroute(
    html: Path, origin: str, destination: str, items: list[str], n: int
) -> dict[str, Any]:
    """In-page re-route after a closure (what a popup's Close button does): for each of
    ``n`` toggles of one of ``items``, ms from the toggle to the next animation frame after
    it (``total``: the new route computed, the panel and map updated and drawn) and the
    synchronous part alone (``compute``)."""
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    if exe is None:
        raise RuntimeError("chromium not found on PATH")
    with sync_playwright() as pw:
        profile = tempfile.mkdtemp(prefix="bench-chromium-")
        ctx = pw.chromium.launch_persistent_context(
            profile,
            executable_path=exe,
            headless=True,
            args=FLAGS,
            viewport=VIEWPORT,
            device_scale_factor=1,
        )
        aborted: list[str] = []
        try:
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            page.route("**/*", _router(aborted))
            page.goto(Path(html).resolve().as_uri(), wait_until="load")
            page.wait_for_selector(".leaflet-container[data-cx-ready='true']", timeout=60000)
            res = page.evaluate(_REROUTE_JS, [origin, destination, items, n])
        finally:
            ctx.close()
            shutil.rmtree(profile, ignore_errors=True)
    res["aborted"] = len(aborted)
    return res
