"""Build the default atlas and write a screenshot of it (``docs/atlas.png``, 1400×900).

The atlas is built from the bundled geodata with the real command line
(``python -m corridors.cli.main map``) into a temporary directory and opened in headless
Chromium through Playwright, with the same flags as the browser tests and every
request other than ``file:``/``data:`` blocked, so the picture shows exactly what a user
sees offline.

Usage::

    python scripts/screenshot_atlas.py                 # writes docs/atlas.png
    python scripts/screenshot_atlas.py -o /tmp/a.png --width 1280 --height 800
    # any page corridors wrote (a scenario map, a compare page), e.g.
    corridors map today -o /tmp/today.html --route gwadar_port:tashkent --route kabul:baku
    python scripts/screenshot_atlas.py --html /tmp/today.html -o /tmp/today.png \\
        --width 390 --height 844
    corridors compare today full-vision -o /tmp/diff.html --pairs gwadar_port:tashkent
    python scripts/screenshot_atlas.py --html /tmp/diff.html -o /tmp/diff.png --full-page

Needs the ``chromium`` executable on ``PATH`` (Debian: ``apt-get install chromium``) and
the ``playwright`` Python package (its own browser downloads are not used). When Pillow is
installed, the PNG is reduced to a 256-colour palette (octree, no dithering: the map's flat
colours survive), which keeps ``docs/atlas.png`` around 100 kB instead of 400 kB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from corridors.render.chromium import CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO / "docs" / "atlas.png"


def build_atlas(directory: Path) -> Path:
    """Write the default atlas into ``directory`` with the ``corridors`` CLI."""
    out = directory / "atlas.html"
    run = subprocess.run(
        [sys.executable, "-m", "corridors.cli.main", "map", "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"corridors map failed:\n{run.stderr}")
    return out


def shrink_png(png: Path) -> bool:
    """Rewrite ``png`` with a 256-colour palette if Pillow is installed; True if done."""
    try:
        from PIL import Image
    except ImportError:
        return False
    with Image.open(png) as im:
        rgb = im.convert("RGB")
    small = rgb.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small.save(png, format="PNG", optimize=True)
    return True


#: True once every map of the page has drawn (a compare page holds two).
_READY = (
    "() => { const maps = document.querySelectorAll('.corridors-map');"
    " return maps.length > 0 && [...maps].every(m => m.dataset.cxReady === 'true'); }"
)


def screenshot(
    html: Path,
    png: Path,
    *,
    width: int,
    height: int,
    chromium: str,
    profile: Path,
    full_page: bool = False,
) -> list[str]:
    """Open ``html`` offline in headless Chromium and write a PNG screenshot to ``png``.

    Returns
    -------
    list of str
        Console errors, page errors and blocked external requests (empty when clean).
    """
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            user_data_dir=str(profile),
            executable_path=chromium,
            headless=True,
            args=list(CHROMIUM_ARGS),
            viewport={"width": width, "height": height},
        )
        try:
            page = context.new_page()

            def route(r) -> None:
                url = r.request.url
                if url.startswith(("file:", "data:")):
                    r.continue_()
                else:
                    problems.append(f"blocked request: {url}")
                    r.abort()

            page.route("**/*", route)
            page.on(
                "console", lambda m: m.type == "error" and problems.append(f"console: {m.text}")
            )
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.goto(html.as_uri())
            page.wait_for_function(_READY)
            page.evaluate("corridorsApp.home(false)")
            page.wait_for_timeout(300)
            png.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(png), type="png", full_page=full_page)
        finally:
            context.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    """Run the script; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="PNG path")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument(
        "--html", type=Path, help="screenshot this page instead of building the default atlas"
    )
    parser.add_argument(
        "--full-page", action="store_true", help="the whole scrolling page (a compare page)"
    )
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("screenshot_atlas: chromium not found on PATH", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="corridors-shot-") as tmp:
        tmp_dir = Path(tmp)
        profile = tmp_dir / "profile"
        profile.mkdir()
        html = args.html.resolve() if args.html else build_atlas(tmp_dir)
        problems = screenshot(
            html,
            args.output,
            width=args.width,
            height=args.height,
            chromium=chromium,
            profile=profile,
            full_page=args.full_page,
        )
    palette = shrink_png(args.output)
    for p in problems:
        print(f"screenshot_atlas: {p}", file=sys.stderr)
    size = os.path.getsize(args.output)
    kind = "256-colour PNG" if palette else "PNG"
    print(f"wrote {args.output} ({args.width}×{args.height} {kind}, {size / 1e3:.0f} kB)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
