"""Where points and land lines lie against the borders layer (``countries.geojson``).

Three checks, all errors, all on the simplified Natural Earth polygons:

* **point outside its country** — a node or waypoint farther than
  :data:`POINT_TOLERANCE_KM` from the polygon of its declared ``country`` while inside
  another country's polygon, or farther than :data:`COAST_TOLERANCE_KM` while outside
  every polygon (a port on its quay, a town on a lake shore);
* **undeclared country** — a land line (rail, road, pipeline, power line) that runs more
  than :data:`UNDECLARED_MAX_KM` through a country it does not declare
  (:func:`declared_countries`);
* **at sea** — a road or railway with more than :data:`AT_SEA_MAX_SHARE` of its length
  (within the layer's coverage) outside every country polygon.

The thresholds follow from the layer: its polygons are simplified with a tolerance of
0.02° (about 2 km), and neighbours are simplified independently. A correct point on a
border river may therefore fall up to ~1 km on the wrong side, and a line along a border
may clip a neighbour for a kilometre; anything beyond that is a drawing error.

Lines are densified along the geodesic (:data:`STEP_KM`) and intersected with the
candidate polygons in one vectorised shapely call; lengths are geodesic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from corridors.geo.countries import CountryIndex
from corridors.geo.geodesy import GEOD
from corridors.io.cache import digest
from corridors.io.geodata.context import Context
from corridors.model import Segment
from corridors.vocab import CHOKEPOINT_KIND, LAND_MODES

__all__ = [
    "AT_SEA_MAX_SHARE",
    "COAST_TOLERANCE_KM",
    "ON_BORDER_KINDS",
    "POINT_TOLERANCE_KM",
    "PORT_COAST_TOLERANCE_KM",
    "SEA_CHECKED_MODES",
    "STEP_KM",
    "UNDECLARED_MAX_KM",
    "LinePlacement",
    "Placed",
    "cached_placements",
    "check_lines_in_countries",
    "check_points_in_countries",
    "declared_countries",
    "line_placement",
]

#: km a node or waypoint may lie inside another country's polygon (simplified borders).
POINT_TOLERANCE_KM = 1.0
#: km a node or waypoint may lie outside every polygon (simplified coastlines, quays).
COAST_TOLERANCE_KM = 3.0
#: km a seaport may lie outside every polygon: container terminals stand on reclaimed land
#: and piers that the 1:10m coastline does not draw (Khalifa Port 5 km, King Abdulaziz
#: Port's berths 8.5 km off the simplified coast).
PORT_COAST_TOLERANCE_KM = 10.0
#: km a land line may run through a country it does not declare.
UNDECLARED_MAX_KM = 1.5
#: Largest share of a road's or railway's length (inside the layer's coverage) at sea.
AT_SEA_MAX_SHARE = 0.5
#: Modes whose lines must be drawn mostly on land (pipelines and cables may run at sea).
SEA_CHECKED_MODES = frozenset({"rail", "road"})
#: Node kinds that sit on a border line: with ``borders`` set, their point may lie in
#: any of those countries (the simplified border may fall on either side of it).
ON_BORDER_KINDS = frozenset({"border_crossing", "pass", "dry_port"})
#: Densification step (km) before lines are intersected with the polygons.
STEP_KM = 1.0


def declared_countries(seg: Segment, points: Mapping[str, Any]) -> frozenset[str]:
    """The countries a segment declares.

    These are the ``country`` of its ``from``/``to`` nodes and of every node and waypoint
    in its ``via``, the ``borders`` of those that are border nodes, and the segment's own
    optional ``countries`` list. Bare ``[lon, lat]`` via pairs declare nothing.

    Examples
    --------
    >>> from corridors.model import Segment
    >>> class P:
    ...     def __init__(self, country, borders=()):
    ...         self.country, self.borders = country, borders
    >>> seg = Segment(id="s", name="s", from_node="a", to_node="b", mode="road",
    ...     status="operational", precision="schematic", coords=((0, 0), (1, 1), (2, 2)),
    ...     via=("x",), countries=("ARM",))
    >>> sorted(declared_countries(seg, {"a": P("AZE"), "x": P("IRN", ("IRN", "AZE")),
    ...     "b": P("AZE")}))
    ['ARM', 'AZE', 'IRN']
    """
    out = set(seg.countries)
    for ref in seg.node_ids_on_line:
        p = points.get(ref)
        if p is not None:
            out.add(p.country)
            out.update(getattr(p, "borders", ()))
    return frozenset(out)


@dataclass(frozen=True)
class LinePlacement:
    """Where one land line lies.

    Attributes
    ----------
    length_km : float
        Geodesic length of the line.
    covered_km : float
        Length inside the borders layer's coverage.
    land_km : float
        Length inside some country polygon (overlaps counted once per country, capped).
    by_country : tuple of (str, float)
        ISO3 and km inside that country's polygon, leaving out the line within
        :data:`POINT_TOLERANCE_KM` of its own vertices (which may lie that far off their
        country), in order of first appearance along the line.
    """

    length_km: float
    covered_km: float
    land_km: float
    by_country: tuple[tuple[str, float], ...]
    stretches: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def sea_km(self) -> float:
        """Length inside the coverage but outside every polygon."""
        return max(0.0, self.covered_km - self.land_km)

    def middle(self, iso3: str) -> tuple[float, float]:
        """``(lon, lat)`` of the middle of the longest stretch in ``iso3``, 4 decimals."""
        parts = shapely.get_parts(self.stretches[iso3])
        longest = parts[int(np.argmax(_geodesic_km(parts)))]
        pt = shapely.line_interpolate_point(longest, 0.5, normalized=True)
        return (round(float(shapely.get_x(pt)), 4), round(float(shapely.get_y(pt)), 4))


def _geodesic_km(geoms: np.ndarray) -> np.ndarray:
    """Geodesic length (km) of each (multi)line of ``geoms`` in lon/lat, vectorised."""
    out = np.zeros(len(geoms))
    parts, owner = shapely.get_parts(geoms, return_index=True)
    if len(parts) == 0:
        return out
    xy, part = shapely.get_coordinates(parts, return_index=True)
    if len(xy) < 2:
        return out
    same = part[1:] == part[:-1]
    _, _, d = GEOD.inv(xy[:-1, 0][same], xy[:-1, 1][same], xy[1:, 0][same], xy[1:, 1][same])
    np.add.at(out, owner[part[1:][same]], np.asarray(d, float) / 1000.0)
    return out


def _line_km(coords: Sequence[tuple[float, float]]) -> float:
    """Geodesic length (km) of a polyline."""
    xy = np.asarray(coords, float)
    _, _, d = GEOD.inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
    return float(np.sum(d)) / 1000.0


def _densified(lines: Sequence[Sequence[tuple[float, float]]], step_km: float) -> np.ndarray:
    """Each line densified along its geodesic legs (no gap over ``step_km``), as shapely lines.

    All legs of all lines are solved in one :meth:`pyproj.Geod.inv` and one
    :meth:`pyproj.Geod.fwd` call.
    """
    sizes = np.array([len(c) for c in lines])
    xy = np.concatenate([np.asarray(c, float).reshape(-1, 2) for c in lines])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    is_leg = np.ones(len(xy), bool)
    is_leg[starts + sizes - 1] = False  # the last vertex of a line starts no leg
    a = np.flatnonzero(is_leg)
    az, _, dist = GEOD.inv(xy[a, 0], xy[a, 1], xy[a + 1, 0], xy[a + 1, 1])
    n = np.maximum(1, np.ceil(np.asarray(dist) / 1000.0 / step_km)).astype(int)
    leg = np.repeat(np.arange(len(a)), n)
    frac = (np.arange(len(leg)) - np.repeat(np.cumsum(n) - n, n)) / np.repeat(n, n)
    lon, lat, _ = GEOD.fwd(
        xy[a, 0][leg], xy[a, 1][leg], np.asarray(az)[leg], np.asarray(dist)[leg] * frac
    )
    pts = np.column_stack([lon, lat])
    pts[frac == 0] = xy[a][leg][frac == 0]  # leg starts exactly at their vertices
    line_of_leg = np.repeat(np.arange(len(lines)), sizes - 1)
    out = []
    for i in range(len(lines)):
        mine = pts[line_of_leg[leg] == i]
        out.append(shapely.linestrings(np.vstack([mine, xy[starts[i] + sizes[i] - 1]])))
    return np.array(out, dtype=object)


def line_placement(
    lines: Sequence[Sequence[tuple[float, float]]], countries: CountryIndex
) -> list[LinePlacement]:
    """:class:`LinePlacement` of each line (``(lon, lat)`` vertices), in one vectorised pass."""
    if len(lines) == 0:
        return []
    geoms = _densified(lines, STEP_KM)
    # lengths along the drawn geodesic legs; shares (coverage, land) are planar ratios
    # within one line, where the scale of degrees hardly changes
    total = np.array([_line_km(c) for c in lines])
    planar = shapely.length(geoms)
    box = countries.coverage
    covered = total.copy()
    if box is not None:
        region = shapely.box(*box)
        outside = np.flatnonzero(~shapely.within(geoms, region))
        if len(outside):
            inside = shapely.length(shapely.intersection(geoms[outside], region))
            covered[outside] = total[outside] * inside / planar[outside]
    li, ci = countries.query_lines(geoms)
    inter = shapely.intersection(geoms[li], countries.geometries[ci])
    land = np.zeros(len(geoms))
    np.add.at(land, li, shapely.length(inter))
    land = total * land / planar
    # around each vertex (a node or waypoint, allowed POINT_TOLERANCE_KM off its country)
    # the line is not held against the neighbour's polygon (~1 km in degrees of latitude)
    vertices = np.array([shapely.multipoints(np.asarray(c, float)) for c in lines], dtype=object)
    inter_off = shapely.difference(inter, shapely.buffer(vertices, POINT_TOLERANCE_KM / 111.0)[li])
    km = _geodesic_km(inter_off)
    rows: list[list[tuple[float, str, float, Any]]] = [[] for _ in geoms]
    for k in np.flatnonzero(km > 0).tolist():
        first = shapely.get_point(shapely.get_parts(inter_off[k])[0], 0)
        at = float(shapely.line_locate_point(geoms[li[k]], first))
        rows[int(li[k])].append((at, countries.codes[int(ci[k])], float(km[k]), inter_off[k]))
    out = []
    for i in range(len(geoms)):
        mine = sorted(rows[i], key=lambda r: (r[0], r[1]))
        out.append(
            LinePlacement(
                length_km=float(total[i]),
                covered_km=float(covered[i]),
                land_km=float(min(land[i], covered[i])),
                by_country=tuple((code, k) for _a, code, k, _g in mine),
                stretches={code: g for _a, code, _k, g in mine},
            )
        )
    return out


@dataclass(frozen=True)
class Placed:
    """What the checks need of a :class:`LinePlacement` (JSON-able, kept in the cache)."""

    covered_km: float
    sea_km: float
    #: ``(iso3, km, (lon, lat) of the longest stretch)``; places only above the threshold
    countries: tuple[tuple[str, float, tuple[float, float]], ...]

    def __iter__(self) -> Any:
        return iter(self.countries)


def _placed(pl: LinePlacement) -> Placed:
    return Placed(
        pl.covered_km,
        pl.sea_km,
        tuple(
            (code, km, pl.middle(code) if km > UNDECLARED_MAX_KM else (0.0, 0.0))
            for code, km in pl.by_country
        ),
    )


def cached_placements(
    lines: Sequence[Sequence[tuple[float, float]]], countries: CountryIndex
) -> list[Placed]:
    """:func:`line_placement` of each line, from the borders file's on-disk cache when there.

    The key is the line's vertices (the thresholds and this module's code are part of
    the cache's identity).
    """
    disk = countries.cache
    keys = [
        digest(hashlib.sha256(np.ascontiguousarray(c, dtype="<f8").tobytes()).hexdigest())
        for c in lines
    ]
    out: list[Placed | None] = [None] * len(lines)
    if disk is not None:
        for i, key in enumerate(keys):
            hit = disk.get("placement", key)
            if isinstance(hit, list) and len(hit) == 3 and isinstance(hit[2], list):
                try:
                    out[i] = Placed(
                        float(hit[0]),
                        float(hit[1]),
                        tuple((str(c), float(k), (float(x), float(y))) for c, k, x, y in hit[2]),
                    )
                except (TypeError, ValueError):
                    out[i] = None  # a damaged entry: compute again
    todo = [i for i, p in enumerate(out) if p is None]
    for i, pl in zip(todo, line_placement([lines[i] for i in todo], countries), strict=True):
        placed = out[i] = _placed(pl)
        if disk is not None:
            rows = [[c, k, x, y] for c, k, (x, y) in placed.countries]
            disk.put("placement", keys[i], [placed.covered_km, placed.sea_km, rows])
    return [p for p in out if p is not None]


def check_lines_in_countries(
    segments: Mapping[str, Segment],
    points: Mapping[str, Any],
    countries: CountryIndex,
    where: Mapping[str, Context],
) -> None:
    """Report land lines through undeclared countries and roads/railways drawn at sea.

    ``where`` maps segment ids to the context their problems are reported at (the
    segment's geometry in its file).
    """
    land = [s for s in segments.values() if s.mode in LAND_MODES and s.id in where]
    for seg, pl in zip(land, cached_placements([s.coords for s in land], countries), strict=True):
        at = where[seg.id]
        declared = declared_countries(seg, points)
        for code, km, (lon, lat) in pl:
            if code in declared or km <= UNDECLARED_MAX_KM:
                continue
            at.error(
                "geometry",
                f"{km:.1f} km in {code}",
                f"{seg.mode} line runs {km:.1f} km through {code} ({countries.names[code]}), "
                f"which it does not declare (declared: {', '.join(sorted(declared))}); "
                f"longest stretch around [{lon}, {lat}]",
                f"add a waypoint on the real alignment that keeps the line out of {code}, or, "
                f'if the line does cross {code}, add a waypoint there or "countries": '
                f'["{code}"] to the segment',
                code="undeclared-country",
            )
        if seg.mode in SEA_CHECKED_MODES and pl.covered_km > 0:
            share = pl.sea_km / pl.covered_km
            if share > AT_SEA_MAX_SHARE:
                at.error(
                    "geometry",
                    f"{pl.sea_km:.0f} of {pl.covered_km:.0f} km at sea",
                    f"{seg.mode} line is drawn {pl.sea_km:.0f} of {pl.covered_km:.0f} km "
                    f"({share:.0%}) outside every country polygon (at sea)",
                    "trace it on land through towns on the alignment (waypoints)",
                    code="line-at-sea",
                )


def on_border(point: Any) -> tuple[str, ...]:
    """The countries a point on a border line may lie in (``()`` for other points)."""
    if getattr(point, "kind", None) in ON_BORDER_KINDS:
        return tuple(getattr(point, "borders", ()))
    return ()


def check_points_in_countries(
    points: Mapping[str, Any], countries: CountryIndex, where: Mapping[str, Context]
) -> None:
    """Report nodes/waypoints outside their declared ``country`` beyond the tolerances.

    A border crossing, pass or border dry port (:data:`ON_BORDER_KINDS`) with ``borders``
    may lie in any of those countries; every other point (a town on a border river too)
    must lie in its own ``country``. Chokepoints (straits) lie at sea and are skipped; a
    country missing from the layer is a warning (``country-unknown``). ``where`` maps ids
    to the context of the point.
    """
    todo = [
        p for p in points.values() if p.id in where and getattr(p, "kind", None) != CHOKEPOINT_KIND
    ]
    owners = countries.locate([p.lon for p in todo], [p.lat for p in todo])
    for p, owner in zip(todo, owners, strict=True):
        at = where[p.id]
        if p.country not in countries:
            at.warning(
                "country",
                p.country,
                f"country '{p.country}' is not in the borders layer",
                "add the country to countries.geojson or check the code",
                code="country-unknown",
            )
            continue
        if owner == p.country:
            continue
        if owner is not None and owner in on_border(p):
            continue
        gap = countries.distance_km(p.country, p.lon, p.lat)
        if owner is not None:
            limit = POINT_TOLERANCE_KM
        elif getattr(p, "kind", None) == "seaport":
            limit = PORT_COAST_TOLERANCE_KM
        else:
            limit = COAST_TOLERANCE_KM
        if gap <= limit:
            continue
        inside = (
            f"inside {owner} ({countries.names[owner]})"
            if owner is not None
            else "outside every country polygon (at sea)"
        )
        at.error(
            "country",
            p.country,
            f"point [{p.lon}, {p.lat}] is {inside}, {gap:.1f} km from its country "
            f"{p.country} (tolerance {limit:g} km)",
            "check the coordinates ([lon, lat]) against a gazetteer, or the declared country",
            code="point-outside-country",
        )
