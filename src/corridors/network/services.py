"""Services on infrastructure: which trains, ferry lines and flights run on a segment, with
their status on a date, and the usable status of a ferry or air crossing.

Infrastructure and services are different things. A track or road keeps its own status
history and is routed by it (and the scenario's threshold); a suspended train never removes
it. A route reports the services on each leg (:class:`LegService`).

A ferry or air segment is the crossing itself: it is only usable when a service runs on
it. So when ``services.toml`` lists services on a segment of a mode in
:data:`SERVICE_GATED_MODES`, the segment's usable status on a date is the *best* status of
those services then (``operational`` > ``planned`` > ``proposed`` > ``suspended`` >
``cancelled``; ``None`` before any of them has a status: not usable). Land segments and
sea lanes never take their status from services: a shipping line is reported on a route
but does not open or close the sea.

Examples
--------
>>> from corridors.model import Service, StatusChange
>>> svc = Service("x", "X ferry", "ferry", ("f",), "suspended",
...     (StatusChange("2010", "operational"), StatusChange("2022-08", "suspended")))
>>> best_status([svc], "2021-06-01"), best_status([svc], None)
('operational', 'suspended')
>>> leg_service(svc, "2023-01-01").label()
'X ferry — suspended since 2022-08'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corridors.model import Atlas, Service, When

if TYPE_CHECKING:  # pragma: no cover
    from corridors.network.route import Route

__all__ = [
    "SERVICE_GATED_MODES",
    "SERVICE_STATUS_ORDER",
    "LegService",
    "best_status",
    "gated_status",
    "leg_service",
    "services_on",
    "with_services",
]

#: Modes whose segments are crossings that only a running service makes usable.
SERVICE_GATED_MODES: frozenset[str] = frozenset({"ferry", "air"})
#: Service statuses from best to worst (the best one sets a gated crossing's status).
SERVICE_STATUS_ORDER: tuple[str, ...] = (
    "operational",
    "planned",
    "proposed",
    "suspended",
    "cancelled",
)


@dataclass(frozen=True)
class LegService:
    """A service running on a leg's segment, with its status on the scenario's date.

    ``status`` is ``None`` when the date is before the service's history; ``since`` is the
    date of the history entry in force (``None`` without one).
    """

    id: str
    name: str
    kind: str
    status: str | None
    since: str | None = None
    operator: str | None = None

    def label(self) -> str:
        """``"ITI container train — suspended since 2022"`` (``"not yet running"`` before)."""
        if self.status is None:
            return f"{self.name} — not yet running"
        return f"{self.name} — {self.status}" + (f" since {self.since}" if self.since else "")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``id, name, kind, status, since``)."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "since": self.since,
        }


def _status(svc: Service, when: When | None) -> str | None:
    return svc.status if when is None else svc.status_in(when)


def best_status(services: Iterable[Service], when: When | None) -> str | None:
    """Best status of ``services`` on ``when`` (current statuses when ``None``)."""
    found = {_status(s, when) for s in services} - {None}
    for st in SERVICE_STATUS_ORDER:
        if st in found:
            return st
    return None


def gated_status(atlas: Atlas, segment_id: str, when: When | None) -> tuple[bool, str | None]:
    """``(gated, status)``: whether the segment's status comes from its services, and it.

    ``gated`` is True for a ferry or air segment with services in the atlas; ``status`` is
    then :func:`best_status` of them on ``when``.
    """
    seg = atlas.segments[segment_id]
    if seg.mode not in SERVICE_GATED_MODES:
        return False, None
    svcs = atlas.services_on(segment_id)
    if not svcs:
        return False, None
    return True, best_status(svcs, when)


def leg_service(svc: Service, when: When | None) -> LegService:
    """The :class:`LegService` of ``svc`` on ``when`` (current status when ``None``)."""
    since = svc.since(when if when is not None else "9999")
    return LegService(svc.id, svc.name, svc.kind, _status(svc, when), since, svc.operator)


def services_on(atlas: Atlas, segment_id: str, when: When | None) -> tuple[LegService, ...]:
    """Services running on ``segment_id`` with their status on ``when``, in file order."""
    return tuple(leg_service(s, when) for s in atlas.services_on(segment_id))


def with_services(route: Route, atlas: Atlas, when: When | None) -> Route:
    """``route`` (and its alternatives) with each leg's services filled in."""
    from dataclasses import replace

    legs = tuple(replace(leg, services=services_on(atlas, leg.segment, when)) for leg in route.legs)
    alts = tuple(with_services(a, atlas, when) for a in route.alternatives)
    return replace(route, legs=legs, alternatives=alts)
