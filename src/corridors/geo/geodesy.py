"""Geodesic geometry on the WGS84 ellipsoid: lengths, densified lines, countries crossed.

Every length is computed with :class:`pyproj.Geod` (``ellps="WGS84"``), never with planar
degrees. Lines are sequences of ``(lon, lat)``. Lines that cross the antimeridian are
handled by densifying along the geodesic and normalising longitudes, then splitting the
line where it jumps across ±180°.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pyproj import Geod

__all__ = [
    "GEOD",
    "CountryRun",
    "country_runs",
    "densify",
    "distance_km",
    "line_length_km",
    "split_antimeridian",
]

#: The one geodesic calculator used throughout corridors.
GEOD = Geod(ellps="WGS84")

LonLat = tuple[float, float]
#: ``locate(lons, lats)`` → the ISO3 code (or ``None``) of the country containing each point.
Locate = Callable[[npt.NDArray[np.float64], npt.NDArray[np.float64]], Sequence[str | None]]
#: ``near_km(iso3, lons, lats)`` → geodesic km from each point to that country.
NearKm = Callable[[str, npt.NDArray[np.float64], npt.NDArray[np.float64]], npt.NDArray[np.float64]]


def distance_km(a: LonLat, b: LonLat) -> float:
    """Geodesic distance between two ``(lon, lat)`` points in km.

    Examples
    --------
    >>> round(distance_km((67.0104, 24.8608), (28.9497, 41.0138)), 1)  # Karachi-Istanbul
    3942.8
    """
    _, _, metres = GEOD.inv(a[0], a[1], b[0], b[1])
    return float(metres) / 1000.0


def line_length_km(coords: Sequence[LonLat]) -> float:
    """Geodesic length of a polyline through ``coords`` in km (each leg a geodesic)."""
    if len(coords) < 2:
        return 0.0
    lons = np.fromiter((c[0] for c in coords), float)
    lats = np.fromiter((c[1] for c in coords), float)
    _, _, dists = GEOD.inv(lons[:-1], lats[:-1], lons[1:], lats[1:])
    return float(np.sum(dists)) / 1000.0


def _normalise_lon(lon: float) -> float:
    out = ((lon + 180.0) % 360.0) - 180.0
    # keep +180 as +180 rather than -180 when the input was exactly +180
    return 180.0 if out == -180.0 and lon > 0 else out


def densify(coords: Sequence[LonLat], *, step_km: float = 5.0) -> list[LonLat]:
    """Insert points along each geodesic leg so no gap exceeds ``step_km``.

    Longitudes of the result are normalised to [-180, 180]; a leg across the antimeridian
    therefore shows a jump of ~360° in longitude (see :func:`split_antimeridian`).

    Parameters
    ----------
    coords : sequence of (lon, lat)
        Vertices, WGS84 degrees.
    step_km : float
        Maximum spacing in km (> 0).

    Returns
    -------
    list of (lon, lat)
    """
    if step_km <= 0 or not math.isfinite(step_km):
        raise ValueError(f"step_km must be a positive number, got {step_km!r}")
    out: list[LonLat] = []
    for a, b in itertools.pairwise(coords):
        out.append((_normalise_lon(a[0]), a[1]))
        leg_km = distance_km(a, b)
        n = math.ceil(leg_km / step_km) - 1
        if n > 0:
            for lon, lat in GEOD.npts(a[0], a[1], b[0], b[1], n):
                out.append((_normalise_lon(lon), lat))
    if coords:
        last = coords[-1]
        out.append((_normalise_lon(last[0]), last[1]))
    return out


def split_antimeridian(coords: Sequence[LonLat]) -> list[list[LonLat]]:
    """Split a densified line where consecutive longitudes jump by more than 180°.

    The crossing point is interpolated onto ±180 so each piece ends on the antimeridian.
    """
    if not coords:
        return []
    pieces: list[list[LonLat]] = [[coords[0]]]
    for (lon0, lat0), (lon1, lat1) in itertools.pairwise(coords):
        if abs(lon1 - lon0) > 180.0:
            # unwrap lon1 next to lon0, interpolate the latitude at the crossing
            lon1u = lon1 + 360.0 if lon1 < lon0 else lon1 - 360.0
            edge = 180.0 if lon1u > lon0 else -180.0
            t = (edge - lon0) / (lon1u - lon0) if lon1u != lon0 else 0.0
            lat_x = lat0 + t * (lat1 - lat0)
            pieces[-1].append((edge, lat_x))
            pieces.append([(-edge, lat_x)])
        pieces[-1].append((lon1, lat1))
    return pieces


@dataclass(frozen=True)
class CountryRun:
    """A stretch of a line inside one country (``iso3`` ``None`` = outside every polygon)."""

    iso3: str | None
    length_km: float


def country_runs(
    coords: Sequence[LonLat],
    locate: Locate,
    *,
    min_run_km: float = 1.0,
    near_km: NearKm | None = None,
    border_tolerance_km: float = 3.0,
    max_excursion_km: float = 15.0,
) -> list[CountryRun]:
    """Countries a line passes through, in order, with km in each.

    The line is densified along the geodesic; each small piece is assigned to the country
    containing its midpoint (``locate``). Runs shorter than ``min_run_km`` (slivers from
    simplified borders) are merged into their neighbours, and consecutive runs in the same
    country are joined. Stretches outside every polygon (sea, lakes outside the layer)
    are kept as ``iso3=None`` runs.

    Parameters
    ----------
    coords : sequence of (lon, lat)
    locate : callable
        Vectorised point-in-country lookup returning ISO3 or ``None`` per point.
    min_run_km : float
        Sliver threshold in km.
    near_km : callable, optional
        ``near_km(iso3, lons, lats)`` → geodesic km from each point to that country. When
        given, *border excursions* are removed: an interior run shorter than
        ``max_excursion_km`` whose every sample lies within ``border_tolerance_km`` of a
        neighbouring run's country is given to that neighbour. Lines that follow a border
        river (the Araz, the Amu Darya) otherwise zig-zag across polygons simplified at
        ~2 km; a real transit of a third country is wider than the tolerance.
    border_tolerance_km, max_excursion_km : float
        See ``near_km``.

    Returns
    -------
    list of CountryRun
    """
    total = line_length_km(coords)
    if total == 0:
        return []
    step = min(2.0, max(0.05, total / 400.0))
    pts = densify(coords, step_km=step)
    lons = np.array([p[0] for p in pts])
    lats = np.array([p[1] for p in pts])
    _, _, d = GEOD.inv(lons[:-1], lats[:-1], lons[1:], lats[1:])
    piece_km = np.asarray(d) / 1000.0
    # midpoints along the geodesic of each short piece (pieces are <= 2 km: the planar
    # midpoint of unwrapped longitudes is within metres of the geodesic one)
    lon1u = np.where(lons[1:] - lons[:-1] > 180, lons[1:] - 360, lons[1:])
    lon1u = np.where(lons[:-1] - lon1u > 180, lon1u + 360, lon1u)
    mid_lon = (lons[:-1] + lon1u) / 2.0
    mid_lon = ((mid_lon + 180.0) % 360.0) - 180.0
    mid_lat = (lats[:-1] + lats[1:]) / 2.0
    owners = list(locate(mid_lon, mid_lat))
    if near_km is not None:
        owners = _drop_excursions(
            owners, piece_km, mid_lon, mid_lat, near_km, border_tolerance_km, max_excursion_km
        )

    runs: list[tuple[str | None, float]] = []
    for iso3, km in zip(owners, piece_km, strict=True):
        if runs and runs[-1][0] == iso3:
            runs[-1] = (iso3, runs[-1][1] + float(km))
        else:
            runs.append((iso3, float(km)))
    runs = _merge_slivers(runs, min_run_km)
    return [CountryRun(iso3, km) for iso3, km in runs]


def _index_runs(owners: Sequence[str | None]) -> list[tuple[str | None, int, int]]:
    runs: list[tuple[str | None, int, int]] = []
    start = 0
    for i in range(1, len(owners) + 1):
        if i == len(owners) or owners[i] != owners[start]:
            runs.append((owners[start], start, i))
            start = i
    return runs


def _drop_excursions(
    owners: Sequence[str | None],
    piece_km: npt.NDArray[np.float64],
    lons: npt.NDArray[np.float64],
    lats: npt.NDArray[np.float64],
    near_km: NearKm,
    tol_km: float,
    max_km: float,
) -> list[str | None]:
    """Give short interior runs that hug a neighbour's border to that neighbour."""
    owners = list(owners)
    for _ in range(20):
        changed = False
        runs = _index_runs(owners)
        for k in range(1, len(runs) - 1):
            iso3, a, b = runs[k]
            if iso3 is None or float(np.sum(piece_km[a:b])) >= max_km:
                continue
            neighbours = sorted(
                c for c in {runs[k - 1][0], runs[k + 1][0]} if c is not None and c != iso3
            )
            if not neighbours:
                continue
            dists = np.vstack([near_km(nb, lons[a:b], lats[a:b]) for nb in neighbours])
            if float(np.max(np.min(dists, axis=0))) > tol_km:
                continue
            nearest = np.argmin(dists, axis=0)
            for j, idx in enumerate(range(a, b)):
                owners[idx] = neighbours[int(nearest[j])]
            changed = True
            break
        if not changed:
            break
    return owners


def _merge_slivers(
    runs: list[tuple[str | None, float]], min_run_km: float
) -> list[tuple[str | None, float]]:
    """Merge runs ``(iso3, km)`` shorter than ``min_run_km`` into a neighbour, shortest first."""
    runs = list(runs)
    while len(runs) > 1:
        idx = min(range(len(runs)), key=lambda i: runs[i][1])
        if runs[idx][1] >= min_run_km:
            break
        # give the sliver's length to the longer neighbour (there is one: len(runs) > 1)
        left = idx - 1 if idx > 0 else None
        right = idx + 1 if idx + 1 < len(runs) else None
        target = (
            left
            if right is None or (left is not None and runs[left][1] >= runs[right][1])
            else right
        )
        assert target is not None
        runs[target] = (runs[target][0], runs[target][1] + runs[idx][1])
        del runs[idx]
        merged: list[tuple[str | None, float]] = []
        for r in runs:
            if merged and merged[-1][0] == r[0]:
                merged[-1] = (r[0], merged[-1][1] + r[1])
            else:
                merged.append(r)
        runs = merged
    return runs
