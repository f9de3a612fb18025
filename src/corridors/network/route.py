"""The result of routing: a :class:`Route` of :class:`Leg` s, with its border crossings,
transshipments and gauge breaks, as a dict, GeoJSON, a GeoDataFrame or HTML.

Every route also reports its plausibility: its :attr:`Route.circuity` (length over the
great-circle distance between its ends), what it :attr:`~Route.depends_on` (countries,
borders, chokepoints, segments not yet operational) and :attr:`~Route.warnings`
(:class:`RouteWarning`, set by :mod:`corridors.network.plausibility`).

Routes are made by :func:`corridors.network.routing.route`.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from corridors.html import esc

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from corridors.costs_table import CostTable
    from corridors.model import Atlas
    from corridors.network.costing import RouteCosts
    from corridors.network.explain import Explanation
    from corridors.network.services import LegService

__all__ = [
    "BorderCrossing",
    "Dependencies",
    "Leg",
    "LonLat",
    "Route",
    "RouteWarning",
    "Transfer",
]

#: A position, ``(lon, lat)`` in degrees.
LonLat = tuple[float, float]


@dataclass(frozen=True)
class Leg:
    """A stretch of one segment travelled in one direction.

    Attributes
    ----------
    from_node, to_node : str
        Node ids, in travel order.
    mode, segment : str
    length_km : float
        Effective length, km.
    hours : float
        Moving time plus land border dwell, h.
    countries : tuple of str
    chokepoints : tuple of str
    gauge_mm : int or None
    pieces : tuple of str
    coords : tuple of (lon, lat)
    services : tuple of LegService
        Services (trains, ferry lines, flights) running on the segment, with their status
        on the scenario's date (:mod:`corridors.network.services`).
    """

    from_node: str
    to_node: str
    mode: str
    segment: str
    length_km: float
    hours: float
    countries: tuple[str, ...]
    chokepoints: tuple[str, ...]
    gauge_mm: int | None
    pieces: tuple[str, ...]
    coords: tuple[LonLat, ...] = field(repr=False)
    nodes: tuple[str, ...] = ()
    services: tuple[LegService, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``from, to, mode, segment, length_km, hours, countries…``;
        ``services`` when any runs on the segment)."""
        d: dict[str, Any] = {
            "from": self.from_node,
            "to": self.to_node,
            "mode": self.mode,
            "segment": self.segment,
            "length_km": round(self.length_km, 1),
            "hours": round(self.hours, 2),
            "countries": list(self.countries),
            "chokepoints": list(self.chokepoints),
            "gauge_mm": self.gauge_mm,
        }
        if self.services:
            d["services"] = [s.to_dict() for s in self.services]
        return d


@dataclass(frozen=True)
class Transfer:
    """A stop between two legs: change of mode or vessel, or break of gauge.

    ``kind`` is ``transfer`` (mode change), ``transshipment`` (vessel change at a port)
    ``gauge_break`` or ``possible_gauge_break`` (a railway of unknown gauge meets another
    railway: ``None`` stands for the unknown gauge); ``hours`` is the penalty applied.
    """

    at: str
    kind: str
    hours: float
    from_mode: str
    to_mode: str
    from_gauge_mm: int | None = None
    to_gauge_mm: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        d: dict[str, Any] = {
            "at": self.at,
            "kind": self.kind,
            "hours": round(self.hours, 2),
            "from_mode": self.from_mode,
            "to_mode": self.to_mode,
        }
        if self.kind in ("gauge_break", "possible_gauge_break"):
            d["from_gauge_mm"] = self.from_gauge_mm
            d["to_gauge_mm"] = self.to_gauge_mm
        return d


@dataclass(frozen=True)
class BorderCrossing:
    """Passage from one country to the next along a route (``at``: border node, if any)."""

    from_country: str
    to_country: str
    mode: str
    segment: str
    at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "from": self.from_country,
            "to": self.to_country,
            "at": self.at,
            "mode": self.mode,
            "segment": self.segment,
        }


@dataclass(frozen=True)
class RouteWarning:
    """Something implausible about a route (or a scenario's network).

    Attributes
    ----------
    code : str
        Stable short code: ``circuitous`` (circuity above the threshold), ``missing-link``
        (two places close together but far apart, or apart, on the network),
        ``excluded-link`` (a segment the scenario leaves out or closes would make the route
        plausible), ``slower-shorter`` (a shorter open path exists but is slower).
    message : str
        One sentence for people.
    refs : tuple of str
        Node and segment ids the warning names, in the order it names them.
    """

    code: str
    message: str
    refs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict ``{code, message, refs}``."""
        return {"code": self.code, "message": self.message, "refs": list(self.refs)}

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Dependencies:
    """What a route relies on besides its hours.

    Attributes
    ----------
    countries : tuple of str
        ISO3 codes in travel order.
    borders : tuple of str
        Land or sea country changes, ``"AAA>BBB"`` (with ``" at <node>"`` when a border
        node is known), in travel order.
    chokepoints : tuple of str
        Straits, canals and sea passages, in order.
    not_operational : tuple of (str, str)
        ``(segment, status)`` for each segment used whose status in the scenario is not
        ``operational``, in travel order.
    """

    countries: tuple[str, ...] = ()
    borders: tuple[str, ...] = ()
    chokepoints: tuple[str, ...] = ()
    not_operational: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "countries": list(self.countries),
            "borders": list(self.borders),
            "chokepoints": list(self.chokepoints),
            "not_operational": [{"segment": s, "status": st} for s, st in self.not_operational],
        }

    def summary(self) -> str:
        """One line, e.g. ``countries PAK>IRN; borders PAK>IRN at taftan; …``.

        >>> Dependencies(("PAK", "IRN"), ("PAK>IRN",), (), (("ml-x", "planned"),)).summary()
        'countries PAK>IRN; borders PAK>IRN; not operational ml-x (planned)'
        """
        parts = [f"countries {'>'.join(self.countries) or '—'}"]
        if self.borders:
            parts.append("borders " + ", ".join(self.borders))
        if self.chokepoints:
            parts.append("chokepoints " + ", ".join(self.chokepoints))
        if self.not_operational:
            parts.append(
                "not operational " + ", ".join(f"{s} ({st})" for s, st in self.not_operational)
            )
        return "; ".join(parts)


@dataclass(frozen=True)
class Route:
    """A route between two nodes in a scenario.

    Attributes
    ----------
    origin, destination : str
        Node ids.
    origin_name, destination_name : str
    scenario : str
        Scenario name.
    length_km : float
        Sum of the legs' effective lengths, km.
    hours : float
        Moving time + border dwell + transfers + gauge breaks, h.
    countries : tuple of str
        ISO3 codes in travel order.
    border_crossings : tuple of BorderCrossing
    chokepoints : tuple of str
        Straits and canals passed, in order.
    transshipments, gauge_breaks : tuple of Transfer
    legs : tuple of Leg
    alternatives : tuple of Route
        The next-best routes when asked for ``k > 1``.
    geodesic_km : float or None
        Great-circle (geodesic) distance between the origin and destination nodes, km;
        ``None`` for a route built without it (then :attr:`circuity` uses the line's ends).
    circuity_warn : float or None
        The scenario's circuity threshold the route was judged against.
    segment_status : tuple of (str, str)
        ``(segment, scenario status)`` of the segments used, in travel order.
    warnings : tuple of RouteWarning
        Why the route may be implausible (empty when it is not).
    possible_gauge_breaks : tuple of Transfer
        Where a railway of unknown gauge meets another railway (not charged in ``hours``).
    differs_by : tuple of str
        On an alternative: how it differs from the best route (``"avoids IRN"``,
        ``"via Strait of Hormuz"``…); empty on the best route.
    cost_table : CostTable or None
        The atlas's ``costs.toml`` table the route is costed with (:attr:`costs`).
    """

    origin: str
    destination: str
    origin_name: str
    destination_name: str
    scenario: str
    length_km: float
    hours: float
    countries: tuple[str, ...]
    border_crossings: tuple[BorderCrossing, ...]
    chokepoints: tuple[str, ...]
    transshipments: tuple[Transfer, ...]
    gauge_breaks: tuple[Transfer, ...]
    legs: tuple[Leg, ...]
    alternatives: tuple[Route, ...] = field(default=(), repr=False)
    geodesic_km: float | None = field(default=None, repr=False)
    circuity_warn: float | None = field(default=None, repr=False)
    segment_status: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    warnings: tuple[RouteWarning, ...] = field(default=(), repr=False)
    possible_gauge_breaks: tuple[Transfer, ...] = ()
    differs_by: tuple[str, ...] = ()
    cost_table: CostTable | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def costs(self) -> RouteCosts | None:
        """The route costed with :attr:`cost_table`: P10/P50/P90 hours, US$/t and kg CO2e/t
        with a breakdown (:func:`corridors.network.costing.route_costs`, default draws and
        seed; computed on first use); ``None`` without a cost table."""
        if self.cost_table is None:
            return None
        from corridors.network.costing import route_costs

        return route_costs(self.cost_table, self)

    def explain(self, atlas: Atlas | None = None) -> Explanation:
        """Why this route: its cost components, legs (status, precision), circuity and the
        sources of its biggest cost items (:func:`corridors.network.explain.explain_route`;
        ``atlas`` gives the segments' precision, default the bundled atlas).

        Raises
        ------
        ValueError
            Without a cost table.
        """
        from corridors.network.explain import explain_route

        return explain_route(self, atlas)

    @property
    def circuity(self) -> float | None:
        """Length over the great-circle distance between the ends (``None`` if they meet).

        1.0 is a straight line; the scenario's ``circuity_warn`` (default 2.0) marks a
        route as implausible.
        """
        geo = self.geodesic_km
        if geo is None:
            from corridors.geo.geodesy import line_length_km

            line = self.coords
            geo = line_length_km([line[0], line[-1]]) if len(line) >= 2 else None
        if not geo or geo <= 0.0:
            return None
        return self.length_km / geo

    @property
    def plausible(self) -> bool:
        """``False`` when :attr:`circuity` exceeds :attr:`circuity_warn`."""
        c = self.circuity
        return not (c is not None and self.circuity_warn is not None and c > self.circuity_warn)

    @property
    def depends_on(self) -> Dependencies:
        """Countries, borders, chokepoints and not-yet-operational segments relied on."""
        borders = tuple(
            f"{b.from_country}>{b.to_country}" + (f" at {b.at}" if b.at else "")
            for b in self.border_crossings
        )
        return Dependencies(
            countries=self.countries,
            borders=borders,
            chokepoints=self.chokepoints,
            not_operational=tuple((s, st) for s, st in self.segment_status if st != "operational"),
        )

    @property
    def segments(self) -> tuple[str, ...]:
        """Segment ids used, in travel order (no repeats in a row)."""
        return tuple(k for k, _ in itertools.groupby(leg.segment for leg in self.legs))

    @property
    def services(self) -> tuple[LegService, ...]:
        """Services on the route's legs, first appearance order, each once."""
        seen: dict[str, LegService] = {}
        for leg in self.legs:
            for s in leg.services:
                seen.setdefault(s.id, s)
        return tuple(seen.values())

    @property
    def pieces(self) -> tuple[str, ...]:
        """Piece ids used, in travel order."""
        return tuple(p for leg in self.legs for p in leg.pieces)

    @property
    def coords(self) -> list[LonLat]:
        """The whole line, ``(lon, lat)``."""
        out: list[LonLat] = []
        for leg in self.legs:
            out.extend(leg.coords if not out else leg.coords[1:])
        return out

    def to_dict(self, *, alternatives: bool = True) -> dict[str, Any]:
        """JSON-ready dict (the stable ``corridors route --json`` interface)."""
        d: dict[str, Any] = {
            "origin": self.origin,
            "origin_name": self.origin_name,
            "destination": self.destination,
            "destination_name": self.destination_name,
            "scenario": self.scenario,
            "length_km": round(self.length_km, 1),
            "hours": round(self.hours, 2),
            "days": round(self.hours / 24.0, 2),
            "countries": list(self.countries),
            "border_crossings": [b.to_dict() for b in self.border_crossings],
            "chokepoints": list(self.chokepoints),
            "transshipments": [t.to_dict() for t in self.transshipments],
            "gauge_breaks": [t.to_dict() for t in self.gauge_breaks],
            "possible_gauge_breaks": [t.to_dict() for t in self.possible_gauge_breaks],
            "legs": [leg.to_dict() for leg in self.legs],
            **self._plausibility_dict(),
        }
        d["costs"] = self.costs.to_dict() if self.costs is not None else None
        if self.costs is None:
            d["costs_note"] = "not costed: the atlas has no cost table (geodata/costs.toml)"
        if self.differs_by:
            d["differs_by"] = list(self.differs_by)
        if alternatives and self.alternatives:
            d["alternatives"] = [a.to_dict(alternatives=False) for a in self.alternatives]
        return d

    def _plausibility_dict(self) -> dict[str, Any]:
        c = self.circuity
        geo = self.geodesic_km
        return {
            "geodesic_km": round(geo, 1) if geo is not None else None,
            "circuity": round(c, 3) if c is not None else None,
            "circuity_warn": self.circuity_warn,
            "plausible": self.plausible,
            "depends_on": self.depends_on.to_dict(),
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def to_geojson(self) -> dict[str, Any]:
        """GeoJSON FeatureCollection, one LineString per leg (property ``route: true``)."""
        feats = []
        for i, leg in enumerate(self.legs):
            props = {
                "route": True,
                "leg": i,
                "origin": self.origin,
                "destination": self.destination,
                **leg.to_dict(),
            }
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [list(c) for c in leg.coords],
                    },
                    "properties": props,
                }
            )
        return {"type": "FeatureCollection", "features": feats}

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """One row per leg, LineString geometry, EPSG:4326.

        Needs only geopandas and shapely (dependencies of corridors); ``.explore()`` on
        the result also needs matplotlib and mapclassify.
        """
        import geopandas as gpd
        from shapely.geometry import LineString

        rows = [leg.to_dict() for leg in self.legs]
        geoms = [LineString(leg.coords) for leg in self.legs]
        for r in rows:
            r["countries"] = ">".join(r["countries"])
            r["chokepoints"] = ",".join(r["chokepoints"])
        return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")

    def summary(self) -> str:
        """One line: ``Gwadar Port → Baku: 3,456 km, 123.4 h (5.1 d), PAK>IRN>AZE, circuity
        1.31`` — and ``IMPLAUSIBLE (circuity 3.39 > 2)`` with the number of warnings when
        the route is implausible."""
        c = self.circuity
        return (
            f"{self.origin_name} → {self.destination_name}: {self.length_km:,.0f} km, "
            f"{self.hours:,.1f} h ({self.hours / 24:.1f} d), {'>'.join(self.countries)}"
            + (f", via {', '.join(self.chokepoints)}" if self.chokepoints else "")
            + (f", circuity {c:.2f}" if c is not None else "")
            + (
                f" — IMPLAUSIBLE (> {self.circuity_warn:g}; {len(self.warnings)} warning(s))"
                if not self.plausible and self.circuity_warn is not None
                else ""
            )
            + (
                f"; services: {'; '.join(s.label() for s in self.services)}"
                if self.services
                else ""
            )
        )

    def plausibility_lines(self) -> list[str]:
        """Circuity, dependencies and warnings as text lines (the CLI prints them)."""
        c = self.circuity
        geo = self.geodesic_km
        lines = []
        if c is not None:
            lines.append(
                f"circuity {c:.2f}"
                + (f" ({self.length_km:,.0f} km / {geo:,.0f} km great circle)" if geo else "")
                + (f", threshold {self.circuity_warn:g}" if self.circuity_warn is not None else "")
                + ("" if self.plausible else " — implausible")
            )
        lines.append("depends on: " + self.depends_on.summary())
        lines.extend(f"warning [{w.code}]: {w.message}" for w in self.warnings)
        return lines

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        e = esc
        head = (
            f"<b>{e(self.origin_name)} → {e(self.destination_name)}</b> "
            f"({e(self.scenario)}): {self.length_km:,.0f} km, {self.hours:,.1f} h "
            f"({self.hours / 24:.1f} days)"
        )
        c = self.circuity
        facts = [
            (
                "circuity",
                (f"{c:.2f}" if c is not None else "—")
                + (f" (threshold {self.circuity_warn:g})" if self.circuity_warn is not None else "")
                + ("" if self.plausible else " — implausible"),
            ),
            ("depends on", self.depends_on.summary()),
            ("countries", " › ".join(self.countries)),
            ("border crossings", str(len(self.border_crossings))),
            ("chokepoints", ", ".join(self.chokepoints) or "—"),
            ("transshipments", ", ".join(t.at for t in self.transshipments) or "—"),
            ("gauge breaks", ", ".join(t.at for t in self.gauge_breaks) or "—"),
            ("services", "; ".join(s.label() for s in self.services) or "—"),
            (
                "possible gauge breaks (unknown gauge)",
                ", ".join(t.at for t in self.possible_gauge_breaks) or "—",
            ),
        ]
        facts_html = "".join(
            f"<tr><th style='text-align:left'>{e(k)}</th><td style='text-align:left'>{e(v)}"
            "</td></tr>"
            for k, v in facts
        )
        leg_rows = "".join(
            "<tr>"
            + "".join(
                f"<td style='text-align:left'>{e(str(x))}</td>"
                for x in (
                    leg.from_node,
                    leg.to_node,
                    leg.mode,
                    leg.segment,
                    f"{leg.length_km:,.0f}",
                    f"{leg.hours:,.1f}",
                    ">".join(leg.countries),
                )
            )
            + "</tr>"
            for leg in self.legs
        )
        legs_html = (
            "<table><tr><th>from</th><th>to</th><th>mode</th><th>segment</th><th>km</th>"
            f"<th>h</th><th>countries</th></tr>{leg_rows}</table>"
        )
        warns = ""
        if self.warnings:
            warns = (
                "<p><b>warnings</b></p><ul>"
                + "".join(f"<li>[{e(w.code)}] {e(w.message)}</li>" for w in self.warnings)
                + "</ul>"
            )
        alts = ""
        if self.alternatives:
            alts = (
                "<p>alternatives:</p><ol>"
                + "".join(
                    f"<li>{e(a.summary())}"
                    + (f" — {e('; '.join(a.differs_by))}" if a.differs_by else "")
                    + "</li>"
                    for a in self.alternatives
                )
                + "</ol>"
            )
        return (
            f"<details open><summary>{head}</summary><table>{facts_html}</table>"
            f"{warns}<details><summary>{len(self.legs)} legs</summary>{legs_html}</details>{alts}"
            "</details>"
        )
