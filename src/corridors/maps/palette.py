"""Colours of computed routes: one per route, in a fixed order (same input, same colours).

Routes are drawn over the corridors with a dark casing (``StyleTable.route_casing``), so
the palette is of light, saturated colours that stand out from the corridors' own darker
hues (``geodata/corridors.toml``) and from each other: the first is the yellow every
route used before. The n-th route of a map (or the n-th pair of a comparison) takes
``ROUTE_COLOURS[n % len(ROUTE_COLOURS)]``; its legend swatch and its caption entry use the
same colour.
"""

from __future__ import annotations

__all__ = ["ROUTE_COLOURS", "route_colour"]

#: Route colours, in the order routes take them.
ROUTE_COLOURS: tuple[str, ...] = (
    "#ffd400",  # yellow
    "#ff2d95",  # magenta
    "#00c8f0",  # sky blue
    "#ff7a00",  # orange
    "#9be22e",  # lime
    "#c77dff",  # lilac
    "#ffffff",  # white
    "#00e5a8",  # mint
)


def route_colour(index: int) -> str:
    """The colour of the ``index``-th route (0-based), cycling through the palette.

    >>> route_colour(0), route_colour(len(ROUTE_COLOURS))
    ('#ffd400', '#ffd400')
    """
    return ROUTE_COLOURS[index % len(ROUTE_COLOURS)]
