"""Checks across records and files, run once every record is parsed."""

from __future__ import annotations

from collections.abc import Mapping

from corridors.errors import did_you_mean
from corridors.io.geodata.context import Context
from corridors.model import Corridor, Platform, Segment

__all__ = [
    "check_platform_refs",
    "check_segments_in_corridors",
]


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
