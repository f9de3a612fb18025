"""How corridors drives Debian's Chromium offline (browser tests, screenshots, benchmarks).

Only the flags live here: Playwright itself is a test/benchmark dependency and is imported
by the callers. Chromium is started as root in a sandboxed CI with no network, so the
background services that would try to reach Google's hosts are switched off.
"""

from __future__ import annotations

__all__ = ["CHROMIUM_ARGS"]

#: Launch flags for headless Chromium with no network (give each run a fresh profile dir).
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
