"""Controlled vocabularies shared by the model, validation, analytics and rendering."""

from __future__ import annotations

__all__ = [
    "CHOKEPOINT_KIND",
    "ID_PATTERN",
    "MODES",
    "NODE_KINDS",
    "NODE_PRECISIONS",
    "PRECISIONS",
    "STATUSES",
    "STATUS_RANK",
]

#: Ids of nodes, segments, corridors, platforms and scenarios.
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

#: Transport or infrastructure mode of a segment.
MODES: tuple[str, ...] = ("rail", "road", "sea", "ferry", "pipeline", "power_line", "air")

#: Life-cycle status of a segment, from most to least real.
STATUSES: tuple[str, ...] = (
    "operational",
    "under_construction",
    "planned",
    "proposed",
    "suspended",
    "cancelled",
)

#: Thresholds for "status at least X": operational < under_construction < planned < proposed.
#: ``suspended`` and ``cancelled`` are not on the ladder (rank ``None``): a threshold never
#: includes them unless asked for explicitly.
STATUS_RANK: dict[str, int | None] = {
    "operational": 0,
    "under_construction": 1,
    "planned": 2,
    "proposed": 3,
    "suspended": None,
    "cancelled": None,
}

#: How precise a segment's geometry is.
#: ``exact``: follows the built alignment vertex by vertex (surveyed or traced from a map);
#: ``traced``: drawn through enough known towns/stations on the alignment to follow it;
#: ``schematic``: drawn through a few known points only (route unknown or not built).
PRECISIONS: tuple[str, ...] = ("exact", "traced", "schematic")

#: How precise a node's position is: ``exact`` (the place's own point, e.g. GeoNames)
#: or ``approximate`` (a proxy or representative point, explained in the node's note).
NODE_PRECISIONS: tuple[str, ...] = ("exact", "approximate")

CHOKEPOINT_KIND = "chokepoint"

#: Kinds of node.
NODE_KINDS: tuple[str, ...] = (
    "capital",
    "city",
    "seaport",
    "dry_port",
    "border_crossing",
    "junction",
    "station",
    CHOKEPOINT_KIND,
    "airport",
    "pass",
    "gas_field",
    "power_station",
)
