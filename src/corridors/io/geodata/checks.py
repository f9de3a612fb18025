"""Checks across records and files, run once every record is parsed."""

from __future__ import annotations

from collections.abc import Mapping

from corridors.errors import did_you_mean
from corridors.geo.countries import CountryIndex
from corridors.io.geodata.context import Context
from corridors.model import Corridor, Node, Platform, Segment, Waypoint
from corridors.vocab import CHOKEPOINT_KIND

__all__ = [
    "NODE_COUNTRY_TOLERANCE_KM",
    "check_nodes_in_countries",
    "check_platform_refs",
    "check_segments_in_corridors",
]

#: How far (km) outside its declared country a node may lie before a warning.
NODE_COUNTRY_TOLERANCE_KM = 10.0


def check_nodes_in_countries(
    points: Mapping[str, Node] | Mapping[str, Waypoint], countries: CountryIndex, ctx: Context
) -> None:
    """Warn about points outside their declared country (or its ``borders``)."""
    for n in points.values():
        if getattr(n, "kind", None) == CHOKEPOINT_KIND:
            continue  # straits lie at sea; their country is the coastal state
        at = ctx.about(n.id)
        allowed = {n.country, *getattr(n, "borders", ())}
        if n.country not in countries:
            at.warning(
                "country",
                n.country,
                f"country '{n.country}' is not in the borders layer",
                did_you_mean(n.country, countries.codes),
                code="country-unknown",
            )
            continue
        owner = countries.locate_one(n.lon, n.lat)
        if owner in allowed:
            continue
        gap = countries.distance_km(n.country, n.lon, n.lat)
        if gap > NODE_COUNTRY_TOLERANCE_KM or (owner is not None and gap > 2.0):
            where = f"inside {owner}" if owner else "outside every country polygon"
            at.warning(
                "country",
                n.country,
                f"point [{n.lon}, {n.lat}] is {where}, {gap:.1f} km from {n.country}",
                "check the coordinates ([lon, lat]) or the declared country",
                code="node-outside-country",
            )


def check_segments_in_corridors(
    segments: Mapping[str, Segment], corridors: Mapping[str, Corridor], ctx: Context
) -> None:
    """Warn about segments no corridor lists."""
    listed = {s for c in corridors.values() for s in c.segments}
    for sid in segments:
        if sid not in listed:
            ctx.about(sid).warning(
                "id",
                sid,
                "segment is not listed in any corridor",
                "add it to a corridor's 'segments' in corridors.toml",
                code="orphan-segment",
            )


def check_platform_refs(
    corridors: Mapping[str, Corridor], platforms: Mapping[str, Platform], ctx: Context
) -> None:
    """Report corridors naming a platform that is not defined."""
    for c in corridors.values():
        if c.platform is not None and c.platform not in platforms:
            ctx.about(c.id).error(
                "platform",
                c.platform,
                f"unknown platform '{c.platform}'",
                did_you_mean(c.platform, platforms),
                code="unknown-platform",
            )
