"""``--worldview``: which point of view on disputed areas a command reports or draws."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from corridors.errors import CorridorsError
from corridors.geo.disputed import DEFAULT_WORLDVIEW, WORLDVIEWS, parse_worldview

if TYPE_CHECKING:  # pragma: no cover
    from corridors.model import Atlas
    from corridors.network.route import Route

__all__ = ["add_worldview_option", "route_disputed_lines", "worldview_arg"]


def worldview_arg(text: str) -> str:
    """argparse ``type=``: a worldview name, or a usage error with "did you mean"."""
    try:
        return parse_worldview(text, where="--worldview")
    except CorridorsError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--worldview: ")) from None


def add_worldview_option(p: argparse.ArgumentParser, *, many: bool) -> None:
    """Add ``--worldview W`` (repeatable when ``many``: the worldviews to report)."""
    names = ", ".join(WORLDVIEWS)
    if many:
        p.add_argument(
            "--worldview",
            action="append",
            type=worldview_arg,
            metavar="W",
            help=f"report km in disputed areas under W ({names}; repeatable; default: all)",
        )
    else:
        p.add_argument(
            "--worldview",
            type=worldview_arg,
            default=DEFAULT_WORLDVIEW,
            metavar="W",
            help=f"whose country disputed areas are shown in ({names}; "
            f"default {DEFAULT_WORLDVIEW})",
        )


def route_disputed_lines(atlas: Atlas, route: Route, worldviews: Sequence[str]) -> list[str]:
    """Text lines for a route's km in disputed areas (none when it enters none)."""
    from corridors.analytics.disputed import route_disputed

    lines = []
    for e in route_disputed(atlas, route, worldviews):
        held = e["admin"] or "self-administered"
        claims = ", ".join(e["claimants"]) or "none recorded"
        under = ", ".join(f"{w}: {e['country'][w] or 'no country'}" for w in worldviews)
        lines.append(
            f"  disputed area {e['area_name']}: {e['km']:.0f} km geodesic "
            f"({e['effective_km']:.0f} km effective); held by {held}, claimed by {claims}; "
            f"country under {under}"
        )
    return lines
