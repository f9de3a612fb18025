"""Controlled vocabularies and the lexical rules (ids, ISO3 codes, borders) shared by the
model, validation, scenarios, analytics and rendering.

Each rule exists once, here: the geodata loader, the model's invariants and the scenario
reader all call :func:`is_valid_id`, :func:`is_iso3` and :func:`parse_border`.
"""

from __future__ import annotations

import re
from typing import TypeGuard

__all__ = [
    "CHOKEPOINT_KIND",
    "EVENT_KINDS",
    "EVENT_RECURRENCES",
    "EVENT_TARGET_KINDS",
    "GAUGE_UNKNOWN",
    "ID_PATTERN",
    "ISO3_PATTERN",
    "LAND_MODES",
    "MODES",
    "NODE_KINDS",
    "NODE_PRECISIONS",
    "PRECISIONS",
    "PROJECT_PRECISIONS",
    "PROJECT_SECTORS",
    "PROJECT_UNITS",
    "SERVICE_KINDS",
    "SERVICE_STATUSES",
    "SOURCE_CLASSES",
    "STATUSES",
    "STATUS_RANK",
    "is_iso3",
    "is_valid_id",
    "parse_border",
]

#: Ids of nodes, segments, corridors, platforms and scenarios.
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
#: ISO 3166-1 alpha-3 country codes: three upper-case ASCII letters.
ISO3_PATTERN = r"^[A-Z]{3}$"

_ID_RE = re.compile(ID_PATTERN)
_ISO3_RE = re.compile(ISO3_PATTERN)
_BORDER_RE = re.compile(r"([A-Z]{3})\s*[-|/]\s*([A-Z]{3})")


def is_valid_id(value: object) -> TypeGuard[str]:
    """True when ``value`` is a str matching :data:`ID_PATTERN` (ASCII, no trailing newline).

    Examples
    --------
    >>> is_valid_id("gwadar_port"), is_valid_id("Gwadar"), is_valid_id("a\\n")
    (True, False, False)
    """
    return isinstance(value, str) and value.isascii() and _ID_RE.fullmatch(value) is not None


def is_iso3(value: object) -> TypeGuard[str]:
    """True when ``value`` is an ISO3-shaped code (:data:`ISO3_PATTERN`).

    Examples
    --------
    >>> is_iso3("PAK"), is_iso3("pak"), is_iso3("PAKI"), is_iso3("P1K"), is_iso3(None)
    (True, False, False, False, False)
    """
    return isinstance(value, str) and _ISO3_RE.fullmatch(value) is not None


def parse_border(text: str) -> tuple[str, str] | None:
    """The two ISO3 codes of a border written ``"AAA-BBB"`` (or ``|``, ``/``), else ``None``.

    Examples
    --------
    >>> parse_border("AFG-PAK"), parse_border("AFG / PAK"), parse_border("AFG")
    (('AFG', 'PAK'), ('AFG', 'PAK'), None)
    """
    m = _BORDER_RE.fullmatch(text)
    return (m.group(1), m.group(2)) if m else None


#: Transport or infrastructure mode of a segment.
MODES: tuple[str, ...] = ("rail", "road", "sea", "ferry", "pipeline", "power_line", "air")

#: Modes drawn on land: their lines are checked against the country polygons.
LAND_MODES: frozenset[str] = frozenset({"rail", "road", "pipeline", "power_line"})

#: The ``gauge_mm`` value of a railway whose gauge is not known (a possible break of gauge
#: wherever it meets another railway).
GAUGE_UNKNOWN = "unknown"

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

#: Kinds of service running over infrastructure (``services.toml``).
SERVICE_KINDS: tuple[str, ...] = ("train", "ferry", "flight", "shipping_line")
#: Life-cycle status of a service.
SERVICE_STATUSES: tuple[str, ...] = ("operational", "suspended", "planned", "proposed", "cancelled")
#: Kinds of dated event (``events.toml``). Only ``closure`` changes the network; the others
#: are dated records of what shaped it (shown and listed, not applied by scenarios).
EVENT_KINDS: tuple[str, ...] = (
    "closure",
    "conflict",
    "sanctions",
    "waiver",
    "agreement",
    "meeting",
    "financing",
)
#: How a closure may recur (``recurs`` in ``events.toml``).
EVENT_RECURRENCES: tuple[str, ...] = ("yearly",)
#: Classes of source, best first: how far an expert trusts a citation by who publishes it.
SOURCE_CLASSES: tuple[str, ...] = (
    "official",
    "multilateral",
    "research",
    "news",
    "reference",
    "other",
)
#: What an event may target: ``<kind>:<ref>``.
EVENT_TARGET_KINDS: tuple[str, ...] = ("node", "border", "passage", "segment")

#: Sectors of a project (``projects.geojson``), in legend order.
PROJECT_SECTORS: tuple[str, ...] = (
    "power",
    "transmission",
    "pipeline",
    "sez",
    "port",
    "airport",
    "road",
    "rail",
    "fibre",
    "other",
)
#: How precise a project's location is: ``footprint`` (a point of the project's own mapped
#: footprint, e.g. an OpenStreetMap way via AidData), ``site`` (the project's own site from
#: a published coordinate), ``area`` (a point of the area the project is in, e.g. its coal
#: block, not its site), ``town`` (the town the project is at or named after: a GeoNames
#: town, not the site) or ``schematic`` (a line drawn through known places).
PROJECT_PRECISIONS: tuple[str, ...] = ("footprint", "site", "area", "town", "schematic")
#: Units of a project's capacity.
PROJECT_UNITS: tuple[str, ...] = ("MW", "Mt/yr", "TEU/yr", "km", "ha", "mmcfd", "pax/yr", "Gbps")
