"""The result of routing: a :class:`Route` of :class:`Leg` s, with its border crossings,
transshipments and gauge breaks, as a dict, GeoJSON, a GeoDataFrame or HTML.

Routes are made by :func:`corridors.network.routing.route`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from corridors.html import esc

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = ["BorderCrossing", "Leg", "LonLat", "Route", "Transfer"]

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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``from, to, mode, segment, length_km, hours, countries…``)."""
        return {
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


@dataclass(frozen=True)
class Transfer:
    """A stop between two legs: change of mode or vessel, or break of gauge.

    ``kind`` is ``transfer`` (mode change), ``transshipment`` (vessel change at a port)
    or ``gauge_break``; ``hours`` is the penalty applied.
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
        if self.kind == "gauge_break":
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
    differs_by : tuple of str
        On an alternative: how it differs from the best route (``"avoids IRN"``,
        ``"via Strait of Hormuz"``…); empty on the best route.
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
    differs_by: tuple[str, ...] = ()

    @property
    def segments(self) -> tuple[str, ...]:
        """Segment ids used, in travel order (no repeats in a row)."""
        return tuple(k for k, _ in itertools.groupby(leg.segment for leg in self.legs))

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
            "legs": [leg.to_dict() for leg in self.legs],
        }
        if self.differs_by:
            d["differs_by"] = list(self.differs_by)
        if alternatives and self.alternatives:
            d["alternatives"] = [a.to_dict(alternatives=False) for a in self.alternatives]
        return d

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
        """One line: ``Gwadar Port → Baku: 3,456 km, 123.4 h (5.1 d), PAK>IRN>AZE``."""
        return (
            f"{self.origin_name} → {self.destination_name}: {self.length_km:,.0f} km, "
            f"{self.hours:,.1f} h ({self.hours / 24:.1f} d), {'>'.join(self.countries)}"
            + (f", via {', '.join(self.chokepoints)}" if self.chokepoints else "")
        )

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        e = esc
        head = (
            f"<b>{e(self.origin_name)} → {e(self.destination_name)}</b> "
            f"({e(self.scenario)}): {self.length_km:,.0f} km, {self.hours:,.1f} h "
            f"({self.hours / 24:.1f} days)"
        )
        facts = [
            ("countries", " › ".join(self.countries)),
            ("border crossings", str(len(self.border_crossings))),
            ("chokepoints", ", ".join(self.chokepoints) or "—"),
            ("transshipments", ", ".join(t.at for t in self.transshipments) or "—"),
            ("gauge breaks", ", ".join(t.at for t in self.gauge_breaks) or "—"),
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
            f"<details><summary>{len(self.legs)} legs</summary>{legs_html}</details>{alts}"
            "</details>"
        )
