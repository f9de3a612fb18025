"""The data model: small frozen dataclasses with validated invariants and no I/O.

Coordinates are always ``(lon, lat)`` in WGS84 degrees. Lengths are kilometres and say so
in their names. Parsing files into these objects lives in :mod:`corridors.io.geodata`. The
time model (partial dates, :class:`StatusChange`, :class:`Service`, :class:`Event`) lives in
:mod:`corridors.timeline` and is re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from corridors.html import safe_colour
from corridors.timeline import (
    Event,
    Project,
    Service,
    StatusChange,
    When,
    date_span,
    parse_partial_date,
    point_in_time,
    status_on,
)
from corridors.vocab import (
    MODES,
    NODE_KINDS,
    NODE_PRECISIONS,
    PRECISIONS,
    SOURCE_CLASSES,
    STATUSES,
    is_iso3,
    is_valid_id,
)

if TYPE_CHECKING:  # pragma: no cover - geo.countries needs shapely; the model needs no I/O
    from corridors.geo.countries import CountryIndex

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from corridors.costs_table import CostTable

__all__ = [
    "Atlas",
    "Corridor",
    "Event",
    "Meeting",
    "Node",
    "Platform",
    "Project",
    "PublishedLength",
    "ReferenceRoute",
    "Segment",
    "Service",
    "Source",
    "StatusChange",
    "Waypoint",
    "When",
    "check_lonlat",
    "date_span",
    "is_valid_id",
    "parse_partial_date",
    "point_in_time",
]


def _finite_number(name: str, v: object) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ValueError(f"{name} must be a number, got {v!r}")
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {v!r}")
    return float(v)


def check_lonlat(lon: object, lat: object) -> tuple[float, float]:
    """Validate one ``(lon, lat)`` position and return it as floats.

    Raises
    ------
    ValueError
        For non-numbers (strings are not coerced), NaN/inf, or out-of-range values, with a
        hint when the pair looks swapped.
    """
    lon_f, lat_f = _finite_number("lon", lon), _finite_number("lat", lat)
    if not -90.0 <= lat_f <= 90.0:
        raise ValueError(f"latitude {lat_f} outside [-90, 90]")
    if not -180.0 <= lon_f <= 180.0:
        raise ValueError(f"longitude {lon_f} outside [-180, 180]")
    return lon_f, lat_f


@dataclass(frozen=True)
class Source:
    """A citation: http(s) URL, short title, access date (``YYYY[-MM[-DD]]``), the class of
    its publisher (one of :data:`~corridors.vocab.SOURCE_CLASSES`, ``None`` = not classified)
    and the page's own publication date where known.

    Examples
    --------
    >>> s = Source("https://www.adb.org/x", "ADB", "2026-12-02", "multilateral", "2024-05")
    >>> s.rank < Source("https://blog.example.org", source_class="other").rank
    True
    """

    url: str
    title: str = ""
    accessed: str | None = None
    source_class: str | None = None
    published: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.url, str) or not self.url.lower().startswith(
            ("http://", "https://")
        ):
            raise ValueError(f"source url must be http(s), got {self.url!r}")
        if self.source_class is not None and self.source_class not in SOURCE_CLASSES:
            raise ValueError(f"unknown source class {self.source_class!r}")
        for name in ("accessed", "published"):
            value = getattr(self, name)
            if value is not None:
                parse_partial_date(value)

    @property
    def rank(self) -> int:
        """Position of the class in :data:`~corridors.vocab.SOURCE_CLASSES` (best = 0;
        unclassified after ``other``)."""
        if self.source_class is None:
            return len(SOURCE_CLASSES)
        return SOURCE_CLASSES.index(self.source_class)


@dataclass(frozen=True)
class PublishedLength:
    """A length figure published by a source, in km."""

    value_km: float
    url: str
    title: str = ""
    scope: str = "full"
    note: str | None = None

    def __post_init__(self) -> None:
        if not (isinstance(self.value_km, int | float) and math.isfinite(self.value_km)):
            raise ValueError(f"published length must be a finite number, got {self.value_km!r}")
        if self.value_km <= 0:
            raise ValueError(f"published length must be positive, got {self.value_km!r}")
        if self.scope not in ("full", "partial"):
            raise ValueError(f"scope must be 'full' or 'partial', got {self.scope!r}")


@dataclass(frozen=True)
class Node:
    """A network place: city, port, border crossing, chokepoint…

    Parameters
    ----------
    id, name : str
        Stable id (``^[a-z0-9][a-z0-9_-]*$``) and English display name.
    country : str
        ISO3 code of the country the point lies in.
    lon, lat : float
        Position, WGS84 degrees.
    kind : str
        One of :data:`corridors.vocab.NODE_KINDS`.
    aliases : tuple of str
        Other names, including non-Latin scripts.
    borders : tuple of str
        For border nodes, the ISO3 codes of both sides.
    precision : {"exact", "approximate"}
    sources : tuple of Source
    note : str or None
    """

    id: str
    name: str
    country: str
    lon: float
    lat: float
    kind: str
    aliases: tuple[str, ...] = ()
    borders: tuple[str, ...] = ()
    precision: str = "exact"
    sources: tuple[Source, ...] = ()
    note: str | None = None

    def __post_init__(self) -> None:
        if not is_valid_id(self.id):
            raise ValueError(f"invalid id {self.id!r}")
        if not is_iso3(self.country):
            raise ValueError(f"country must be an ISO3 code, got {self.country!r}")
        check_lonlat(self.lon, self.lat)
        if self.kind not in NODE_KINDS:
            raise ValueError(f"unknown node kind {self.kind!r}")
        if self.precision not in NODE_PRECISIONS:
            raise ValueError(f"unknown node precision {self.precision!r}")

    @property
    def lonlat(self) -> tuple[float, float]:
        """``(lon, lat)`` of the node."""
        return (self.lon, self.lat)

    @property
    def names(self) -> tuple[str, ...]:
        """Name followed by aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Waypoint:
    """A tracing point on an alignment (not a network place)."""

    id: str
    name: str
    country: str
    lon: float
    lat: float
    sources: tuple[Source, ...] = ()
    note: str | None = None
    precision: str = "exact"

    def __post_init__(self) -> None:
        if not is_valid_id(self.id):
            raise ValueError(f"invalid id {self.id!r}")
        check_lonlat(self.lon, self.lat)
        if self.precision not in NODE_PRECISIONS:
            raise ValueError(f"unknown waypoint precision {self.precision!r}")

    @property
    def lonlat(self) -> tuple[float, float]:
        """``(lon, lat)`` of the waypoint."""
        return (self.lon, self.lat)


ViaItem = str | tuple[float, float]


@dataclass(frozen=True)
class Segment:
    """A link between two nodes by one mode.

    ``coords`` holds the full drawn line ``[from] + via + [to]`` as ``(lon, lat)`` pairs.
    ``via`` keeps the ids (or bare positions) the line passes through, in order.
    ``gauge_unknown`` marks a railway whose gauge is not known (``gauge_mm`` is then
    empty); ``countries`` are ISO3 codes the segment declares explicitly on top of the
    countries of its nodes and waypoints
    (see :func:`corridors.io.geodata.placement.declared_countries`).
    """

    id: str
    name: str
    from_node: str
    to_node: str
    mode: str
    status: str
    precision: str
    coords: tuple[tuple[float, float], ...]
    via: tuple[ViaItem, ...] = ()
    status_history: tuple[StatusChange, ...] = ()
    published_lengths: tuple[PublishedLength, ...] = ()
    published_length_km: float | None = None
    length_note: str | None = None
    gauge_mm: tuple[int, ...] = ()
    gauge_breaks_at: tuple[str, ...] = ()
    gauge_unknown: bool = False
    countries: tuple[str, ...] = ()
    opened_year: int | None = None
    announced_year: int | None = None
    cost_usd_bn: float | None = None
    financier: str | None = None
    capacity: str | None = None
    sources: tuple[Source, ...] = ()
    note: str | None = None

    def __post_init__(self) -> None:
        if not is_valid_id(self.id):
            raise ValueError(f"invalid id {self.id!r}")
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}")
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")
        if len(self.coords) < 2:
            raise ValueError("a segment needs at least two positions")
        if self.gauge_mm and len(self.gauge_breaks_at) != len(self.gauge_mm) - 1:
            raise ValueError("gauge_breaks_at must have one node per gauge change")
        if self.gauge_unknown and self.gauge_mm:
            raise ValueError("a segment's gauge is either known (gauge_mm) or unknown, not both")

    @property
    def node_ids_on_line(self) -> tuple[str, ...]:
        """``from``, the string items of ``via`` and ``to``, in order (waypoint ids included)."""
        inner = tuple(v for v in self.via if isinstance(v, str))
        return (self.from_node, *inner, self.to_node)

    def status_in(self, when: When) -> str | None:
        """Status on a date from the history (``None`` before the first entry).

        ``when`` is a year (its last day), a ``YYYY[-MM[-DD]]`` string (the last day of
        that period) or a :class:`datetime.date`; an entry counts from the first day of its
        own date. Without a history the current status is returned for every date.
        """
        if not self.status_history:
            return self.status
        hit = status_on(self.status_history, when)
        return hit.status if hit is not None else None


@dataclass(frozen=True)
class Corridor:
    """A named corridor or branch: an ordered list of segment ids, optionally under a parent.

    ``colour`` is the corridor's map colour (``#rrggbb``, lower case), or ``None`` when the
    geodata gives none (the map then picks one from its palette).
    """

    id: str
    name: str
    segments: tuple[str, ...] = ()
    parent: str | None = None
    platform: str | None = None
    description: str = ""
    sources: tuple[Source, ...] = ()
    colour: str | None = None

    def __post_init__(self) -> None:
        if not is_valid_id(self.id):
            raise ValueError(f"invalid id {self.id!r}")
        if self.colour is not None and safe_colour(self.colour, "") != self.colour:
            raise ValueError(f"colour must be '#rrggbb' (lower case), got {self.colour!r}")


@dataclass(frozen=True)
class Meeting:
    """A dated meeting of a platform."""

    date: str
    place: str
    level: str = ""
    node: str | None = None
    attended: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        parse_partial_date(self.date)


@dataclass(frozen=True)
class Platform:
    """A group of countries with a purpose and a history of meetings."""

    id: str
    name: str
    members: tuple[str, ...]
    purpose: str = ""
    proposed: str | None = None
    proposed_by: str | None = None
    status: str | None = None
    meetings: tuple[Meeting, ...] = ()
    sources: tuple[Source, ...] = ()
    featured: bool = False

    def __post_init__(self) -> None:
        if not is_valid_id(self.id):
            raise ValueError(f"invalid id {self.id!r}")
        for iso3 in self.members:
            if not is_iso3(iso3):
                raise ValueError(f"member must be an ISO3 code, got {iso3!r}")


@dataclass(frozen=True)
class ReferenceRoute:
    """A published route (chain of segments) with its expected country sequence."""

    id: str
    name: str
    segments: tuple[str, ...]
    countries: tuple[str, ...]
    sources: tuple[Source, ...] = ()


def _frozen(d: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(d))


@dataclass(frozen=True, eq=False)
class Atlas:
    """Everything loaded from a geodata directory, keyed by id (insertion order = file order).

    Attributes
    ----------
    nodes, waypoints, segments, corridors, platforms, routes : Mapping
        Read-only mappings from id to model object.
    countries : corridors.geo.countries.CountryIndex or None
        Country polygons, or ``None`` when no borders file was loaded.
    root : str
        The directory or files the atlas was loaded from (for messages).
    hubs : tuple of str
        Node ids whose pairwise connectivity analyses use by default, in order
        (``hubs.toml``); empty when the geodata lists none.
    featured_platform : str or None
        Id of the platform marked ``featured = true`` (at most one), shown first on the map.
    services : Mapping
        Services (trains, ferry lines, flights) by id (``services.toml``).
    events : Mapping
        Dated events (closures) by id (``events.toml``).
    as_of : str or None
        The date the data describes (``atlas.toml``); the ``today`` scenario applies the
        events in force on it.
    costs : corridors.costs_table.CostTable or None
        The calibrated cost parameters of ``costs.toml``; ``None`` without that file.
    projects : Mapping
        Infrastructure projects by id (``projects.geojson``).
    """

    nodes: Mapping[str, Node] = field(default_factory=dict)
    waypoints: Mapping[str, Waypoint] = field(default_factory=dict)
    segments: Mapping[str, Segment] = field(default_factory=dict)
    corridors: Mapping[str, Corridor] = field(default_factory=dict)
    platforms: Mapping[str, Platform] = field(default_factory=dict)
    routes: Mapping[str, ReferenceRoute] = field(default_factory=dict)
    countries: CountryIndex | None = None
    root: str = ""
    hubs: tuple[str, ...] = ()
    featured_platform: str | None = None
    services: Mapping[str, Service] = field(default_factory=dict)
    events: Mapping[str, Event] = field(default_factory=dict)
    as_of: str | None = None
    costs: CostTable | None = None
    projects: Mapping[str, Project] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in (
            "nodes",
            "waypoints",
            "segments",
            "corridors",
            "platforms",
            "routes",
            "services",
            "events",
            "projects",
        ):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "hubs", tuple(self.hubs))
        for hub in self.hubs:
            if hub not in self.nodes:
                raise ValueError(f"hub {hub!r} is not a node of the atlas")
        if self.featured_platform is not None and self.featured_platform not in self.platforms:
            raise ValueError(f"featured platform {self.featured_platform!r} is not in the atlas")

    def point(self, ref: str) -> tuple[float, float]:
        """Position of a node or waypoint id."""
        if ref in self.nodes:
            return self.nodes[ref].lonlat
        return self.waypoints[ref].lonlat

    def services_on(self, segment_id: str) -> tuple[Service, ...]:
        """Services running on ``segment_id``, in file order."""
        return tuple(s for s in self.services.values() if segment_id in s.segments)

    def corridors_of(self, segment_id: str) -> tuple[str, ...]:
        """Ids of the corridors listing ``segment_id``, in file order."""
        return tuple(c.id for c in self.corridors.values() if segment_id in c.segments)

    def corridor_lineage(self, corridor_id: str) -> tuple[str, ...]:
        """``corridor_id`` and its ancestors, nearest first."""
        out: list[str] = []
        cur: str | None = corridor_id
        while cur is not None and cur not in out and cur in self.corridors:
            out.append(cur)
            cur = self.corridors[cur].parent
        return tuple(out)

    def corridor_segments(self, corridor_id: str) -> tuple[str, ...]:
        """Segment ids of a corridor and of all its descendants (no duplicates, stable)."""
        seen: dict[str, None] = {}
        stack = [corridor_id]
        visited: set[str] = set()
        while stack:
            cid = stack.pop(0)
            if cid in visited:
                continue
            visited.add(cid)
            for sid in self.corridors[cid].segments:
                seen.setdefault(sid, None)
            stack.extend(c.id for c in self.corridors.values() if c.parent == cid)
        return tuple(seen)

    def __repr__(self) -> str:
        return (
            f"Atlas({len(self.nodes)} nodes, {len(self.segments)} segments, "
            f"{len(self.corridors)} corridors, {len(self.platforms)} platforms)"
        )

    def to_geodataframe(self, kind: str) -> gpd.GeoDataFrame:
        """One row per node, segment, corridor, platform or project, in EPSG:4326.

        ``kind`` is ``"nodes"``, ``"segments"``, ``"corridors"``, ``"platforms"`` or
        ``"projects"``; see
        :func:`corridors.frames.atlas_geodataframe` for the columns. Try
        ``atlas.to_geodataframe("segments").explore(column="status")`` in a notebook.
        """
        from corridors.frames import atlas_geodataframe

        return atlas_geodataframe(self, kind)

    def _repr_html_(self) -> str:
        from corridors.frames import atlas_html

        return atlas_html(self)
