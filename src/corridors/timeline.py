"""The time model: partial dates and their spans, dated statuses, services and events.

A date in the geodata is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (:func:`parse_partial_date`)
and names a period (:func:`date_span`). A question "what holds on ``when``?" is asked about
the *last* day of its period (:func:`point_in_time`), while a history entry holds from the
*first* day of its own (:func:`status_on`). :class:`Service` and :class:`Event` are the
dated records built on that; :mod:`corridors.model` re-exports every name here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corridors.vocab import (
    EVENT_KINDS,
    EVENT_RECURRENCES,
    EVENT_TARGET_KINDS,
    MODES,
    PROJECT_PRECISIONS,
    PROJECT_SECTORS,
    PROJECT_UNITS,
    SERVICE_KINDS,
    SERVICE_STATUSES,
    STATUSES,
    is_valid_id,
)

if TYPE_CHECKING:  # pragma: no cover - only an annotation; corridors.model imports this module
    from corridors.model import Source

__all__ = [
    "Event",
    "Project",
    "Service",
    "StatusChange",
    "When",
    "date_span",
    "parse_partial_date",
    "point_in_time",
    "status_on",
]


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(value: str) -> tuple[int, int | None, int | None]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` into ``(year, month, day)``.

    Raises
    ------
    ValueError
        If the text is not one of those forms or the month/day is out of range.
    """
    if not isinstance(value, str):
        raise ValueError(f"date must be a string 'YYYY[-MM[-DD]]', got {value!r}")
    m = _DATE_RE.fullmatch(value)
    if not m:
        raise ValueError(f"date must look like 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', got {value!r}")
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month out of range in {value!r}")
    if day is not None and not 1 <= day <= 31:
        raise ValueError(f"day out of range in {value!r}")
    return year, month, day


#: What a status or an event is asked about: a year (its last day), a partial or full date
#: string (the last day of that period) or a :class:`datetime.date`.
When = int | str | dt.date


def date_span(value: str) -> tuple[dt.date, dt.date]:
    """First and last day of the period a partial date names.

    Examples
    --------
    >>> date_span("2023")
    (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    >>> date_span("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> date_span("2023-11-02")
    (datetime.date(2023, 11, 2), datetime.date(2023, 11, 2))

    Raises
    ------
    ValueError
        As :func:`parse_partial_date`, and for a day the month does not have (``2023-02-30``).
    """
    year, month, day = parse_partial_date(value)
    if year < 1:
        raise ValueError(f"year out of range in {value!r}")
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return dt.date(year, month, 1), dt.date(year, month, last)
    if day > last:
        raise ValueError(f"day out of range in {value!r} (that month has {last} days)")
    return dt.date(year, month, day), dt.date(year, month, day)


def point_in_time(when: When) -> dt.date:
    """The day a status question is asked about: the *last* day of a year or partial date.

    A history entry is in force from the *first* day of its own period, so ``2023`` (a year,
    as scenarios' ``as_of`` used to be) sees every entry dated in 2023, while
    ``"2023-06-01"`` does not see one dated ``2023-11-02``.

    Examples
    --------
    >>> point_in_time(2023), point_in_time("2023-06")
    (datetime.date(2023, 12, 31), datetime.date(2023, 6, 30))

    Raises
    ------
    ValueError
        For anything else than an int year, a ``YYYY[-MM[-DD]]`` string or a date.
    """
    if isinstance(when, dt.date):
        return when
    if isinstance(when, bool) or not isinstance(when, int | str):
        raise ValueError(f"a date is a year, 'YYYY[-MM[-DD]]' or a datetime.date, got {when!r}")
    if isinstance(when, int):
        if not 1 <= when <= 9999:
            raise ValueError(f"year out of range: {when}")
        return dt.date(when, 12, 31)
    return date_span(when)[1]


def status_on(history: tuple[StatusChange, ...], when: When) -> StatusChange | None:
    """The entry of a date-ordered ``history`` in force on ``when`` (``None`` before the first).

    Examples
    --------
    >>> h = (StatusChange("2021-12", "operational"), StatusChange("2022-08", "suspended"))
    >>> status_on(h, "2022-07").status, status_on(h, 2022).status, status_on(h, 2020)
    ('operational', 'suspended', None)
    """
    day = point_in_time(when)
    current = None
    for change in history:
        if date_span(change.date)[0] <= day:
            current = change
    return current


@dataclass(frozen=True)
class StatusChange:
    """A dated status entry in a segment's history."""

    date: str
    status: str
    note: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        parse_partial_date(self.date)
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    @property
    def year(self) -> int:
        """Year of the change."""
        return parse_partial_date(self.date)[0]


@dataclass(frozen=True)
class Service:
    """A service (train, ferry line, flight, shipping line) run over infrastructure.

    A service has its own status and history; it never changes the status of the land
    segments it runs on (a suspended train leaves its track in the network). For vessel
    modes (ferry, air) the crossing's usable status is derived from its services — see
    :mod:`corridors.network.services`.

    Parameters
    ----------
    id, name : str
    kind : str
        One of :data:`corridors.vocab.SERVICE_KINDS`.
    segments : tuple of str
        Segment ids it runs on, in travel order (a connected chain).
    status : str
        One of :data:`corridors.vocab.SERVICE_STATUSES`.
    status_history : tuple of StatusChange
    stops : tuple of str
        Node ids it calls at, in order (optional).
    operator, frequency, note : str or None
    sources : tuple of Source

    Examples
    --------
    >>> s = Service("x", "X train", "train", ("a",), "suspended",
    ...     (StatusChange("2021-12-21", "operational"), StatusChange("2022-08", "suspended")))
    >>> s.status_in("2022-07-31"), s.status_in(2022), s.status_in(2020)
    ('operational', 'suspended', None)
    >>> s.since("2023-01-01"), s.since("2009-01-01")
    ('2022-08', None)
    """

    id: str
    name: str
    kind: str
    segments: tuple[str, ...]
    status: str
    status_history: tuple[StatusChange, ...] = ()
    stops: tuple[str, ...] = ()
    operator: str | None = None
    frequency: str | None = None
    note: str | None = None
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        if not is_valid_id(self.id):
            raise ValueError(f"invalid id {self.id!r}")
        if self.kind not in SERVICE_KINDS:
            raise ValueError(f"unknown service kind {self.kind!r}")
        if self.status not in SERVICE_STATUSES:
            raise ValueError(f"unknown service status {self.status!r}")
        if not self.segments:
            raise ValueError("a service runs on at least one segment")

    def status_in(self, when: When) -> str | None:
        """Status on a date (as :meth:`corridors.model.Segment.status_in`; ``None`` before the
        history)."""
        if not self.status_history:
            return self.status
        hit = status_on(self.status_history, when)
        return hit.status if hit is not None else None

    def since(self, when: When) -> str | None:
        """Since when the status in force on ``when`` has held (``None`` without history).

        Consecutive entries with the same status (e.g. a postponed relaunch of a suspended
        train) do not restart the count.
        """
        day = point_in_time(when)
        run: str | None = None
        last: str | None = None
        for change in self.status_history:
            if date_span(change.date)[0] > day:
                break
            if change.status != last:
                run, last = change.date, change.status
        return run


@dataclass(frozen=True)
class Event:
    """A dated event on things that stay in the data: a ``closure`` (applied by scenarios) or
    a record of what shaped them (``sanctions``, ``waiver``, ``agreement``, ``meeting``,
    ``financing``; listed and shown, never applied).

    ``targets`` are ``node:<id>``, ``border:<ISO3>-<ISO3>`` (codes sorted),
    ``passage:<key>`` or ``segment:<id>``; ``end`` is ``None`` while still in force at the
    atlas's as-of date; ``modes`` limits the closure to those modes (empty = all).

    Examples
    --------
    >>> e = Event("x", "closure", "2025-10-12", ("border:AFG-PAK",), end="2026-01")
    >>> e.in_force("2025-10-11"), e.in_force("2025-10-12"), e.in_force(2025), e.in_force(2026)
    (False, True, True, False)
    """

    id: str
    kind: str
    start: str
    targets: tuple[str, ...]
    end: str | None = None
    modes: tuple[str, ...] = ()
    note: str | None = None
    sources: tuple[Source, ...] = ()
    recurs: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        if not is_valid_id(self.id):
            raise ValueError(f"invalid id {self.id!r}")
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")
        start = date_span(self.start)[0]
        if self.end is not None and date_span(self.end)[0] <= start:
            raise ValueError(f"event end {self.end!r} is not after its start {self.start!r}")
        for t in self.targets:
            kind, _, ref = t.partition(":")
            if kind not in EVENT_TARGET_KINDS or not ref:
                raise ValueError(f"bad event target {t!r}")
        for m in self.modes:
            if m not in MODES:
                raise ValueError(f"unknown mode {m!r}")
        if self.recurs is not None:
            if self.recurs not in EVENT_RECURRENCES:
                raise ValueError(f"unknown recurrence {self.recurs!r}")
            if self.end is None or not _is_day(self.start) or not _is_day(self.end):
                raise ValueError("a recurring event needs full start and end dates (YYYY-MM-DD)")
            if _shift_years(date_span(self.start)[0], 1) < date_span(self.end)[0]:
                raise ValueError("a yearly event must end within a year of its start")
        if self.until is not None and date_span(self.until)[0] <= start:
            raise ValueError(f"event until {self.until!r} is not after its start {self.start!r}")

    def in_force(self, when: When) -> bool:
        """True when the event has started and not yet ended on ``when``.

        It starts on the first day of ``start`` and stops on the first day of ``end``. A
        ``recurs = "yearly"`` event (a season) repeats that span every year from ``start``
        until ``until`` (exclusive; ``None`` = still recurring); it is asked about days only,
        so a year or month ``when`` (``2026``, ``"2026-12"``) never sees a season in force.

        Examples
        --------
        >>> w = Event("w", "closure", "2020-12-01", ("node:k",), end="2021-04-01", recurs="yearly")
        >>> w.in_force("2026-12-01"), w.in_force("2027-03-31"), w.in_force("2026-04-01")
        (True, True, False)
        >>> w.in_force(2026), w.in_force("2020-11-30")
        (False, False)
        """
        day = point_in_time(when)
        start = date_span(self.start)[0]
        if day < start:
            return False
        if self.recurs is None:
            return self.end is None or day < date_span(self.end)[0]
        if not _is_day(when) or (self.until is not None and day >= date_span(self.until)[0]):
            return False
        end = date_span(self.end or self.start)[0]
        for k in (day.year - start.year - 1, day.year - start.year):
            if k >= 0 and _shift_years(start, k) <= day < _shift_years(end, k):
                return True
        return False


def _is_day(when: When) -> bool:
    """True for a day-precision ``when`` (a date or ``YYYY-MM-DD``)."""
    if isinstance(when, dt.date):
        return True
    return isinstance(when, str) and parse_partial_date(when)[2] is not None


def _shift_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Project:
    """An infrastructure project (a power plant, a line, a zone, a port facility…).

    Like an AidData project record: where it is (``coords``: one ``(lon, lat)`` for a
    site, several for a line, with a ``precision`` class), what it builds (``sector``,
    ``capacity`` in ``capacity_unit``), what it cost (``cost_usd_m``, million US$ of
    ``cost_year``), who paid (``financiers``), its dated ``status_history`` (the time
    model of segments) and the ``corridors`` it belongs to.

    Examples
    --------
    >>> p = Project("x", "X plant", "power", "PAK", "operational", ((70.4, 24.8),), "town",
    ...     capacity=660.0, capacity_unit="MW",
    ...     status_history=(StatusChange("2016-04", "under_construction"),
    ...                     StatusChange("2019-07-10", "operational")))
    >>> p.status_in(2015), p.status_in("2019-06"), p.status_in(2019), p.mw
    (None, 'under_construction', 'operational', 660.0)
    """

    id: str
    name: str
    sector: str
    country: str
    status: str
    coords: tuple[tuple[float, float], ...]
    precision: str
    capacity: float | None = None
    capacity_unit: str | None = None
    cost_usd_m: float | None = None
    cost_year: int | None = None
    financiers: tuple[str, ...] = ()
    status_history: tuple[StatusChange, ...] = ()
    corridors: tuple[str, ...] = ()
    aiddata_id: int | None = None
    note: str | None = None
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        if not is_valid_id(self.id):
            raise ValueError(f"invalid id {self.id!r}")
        if self.sector not in PROJECT_SECTORS:
            raise ValueError(f"unknown project sector {self.sector!r}")
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.precision not in PROJECT_PRECISIONS:
            raise ValueError(f"unknown project precision {self.precision!r}")
        if not self.coords:
            raise ValueError("a project has at least one position")
        if (self.capacity is None) != (self.capacity_unit is None):
            raise ValueError("capacity and capacity_unit go together")
        if self.capacity_unit is not None and self.capacity_unit not in PROJECT_UNITS:
            raise ValueError(f"unknown capacity unit {self.capacity_unit!r}")
        if (self.cost_usd_m is None) != (self.cost_year is None):
            raise ValueError("cost_usd_m and cost_year go together")

    @property
    def lonlat(self) -> tuple[float, float]:
        """The project's point: its site, or the middle vertex of its line."""
        return self.coords[len(self.coords) // 2] if len(self.coords) > 2 else self.coords[0]

    @property
    def mw(self) -> float | None:
        """Capacity in MW (``None`` when the capacity is in another unit or unknown)."""
        return self.capacity if self.capacity_unit == "MW" else None

    def status_in(self, when: When) -> str | None:
        """Status on a date (as :meth:`corridors.model.Segment.status_in`; ``None`` before the
        history)."""
        if not self.status_history:
            return self.status
        hit = status_on(self.status_history, when)
        return hit.status if hit is not None else None
