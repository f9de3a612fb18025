"""Country polygons (Natural Earth admin-0 extract) and vectorised point-in-country lookup."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:  # pragma: no cover
    from corridors.io.cache import DerivedCache

__all__ = ["CountryIndex"]


class CountryIndex:
    """Country polygons keyed by ISO3, with an STRtree for point lookups.

    Parameters
    ----------
    polygons : mapping of str to shapely geometry
        ISO3 → (Multi)Polygon in (lon, lat).
    names : mapping of str to str
        ISO3 → English name.
    geojson : mapping of str to dict, optional
        ISO3 → the GeoJSON geometry the polygon was read from (saves re-serialising it).
    cache : corridors.io.cache.DerivedCache, optional
        On-disk cache of values derived from the borders file these polygons came from
        (country runs of segments, display geometry); ``None`` when built in memory.
    coverage : (west, south, east, north), optional
        The box inside which the layer holds every country (a regional extract); outside
        it, a point in no polygon may be on land. ``None``: the whole world.
    """

    def __init__(
        self,
        polygons: Mapping[str, BaseGeometry],
        names: Mapping[str, str],
        geojson: Mapping[str, dict[str, Any]] | None = None,
        *,
        cache: DerivedCache | None = None,
        coverage: tuple[float, float, float, float] | None = None,
    ):
        self.codes: tuple[str, ...] = tuple(sorted(polygons))
        self.polygons: dict[str, BaseGeometry] = {c: polygons[c] for c in self.codes}
        self.names: dict[str, str] = {c: names.get(c, c) for c in self.codes}
        self._geojson = dict(geojson or {})
        self.cache = cache
        self.coverage = coverage
        geoms = [self.polygons[c] for c in self.codes]
        for g in geoms:
            shapely.prepare(g)
        self._geoms = np.array(geoms, dtype=object)
        self._tree = shapely.STRtree(self._geoms)

    @property
    def geometries(self) -> np.ndarray:
        """The polygons as an object array, in :attr:`codes` order."""
        return self._geoms

    def query_lines(self, lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(line index, country index)`` pairs whose bounding boxes meet (candidates)."""
        li, ci = self._tree.query(lines)
        order = np.lexsort((ci, li))  # stable order, whatever the tree's
        return li[order], ci[order]

    def geojson(self, iso3: str) -> dict[str, Any]:
        """GeoJSON geometry of a country (the file's own, when it was loaded from one)."""
        from shapely.geometry import mapping

        return self._geojson.get(iso3) or mapping(self.polygons[iso3])

    def __contains__(self, iso3: object) -> bool:
        return iso3 in self.polygons

    def __len__(self) -> int:
        return len(self.codes)

    def locate(
        self, lons: Sequence[float] | np.ndarray, lats: Sequence[float] | np.ndarray
    ) -> list[str | None]:
        """ISO3 of the country containing each point, or ``None`` (first match wins)."""
        pts = shapely.points(np.asarray(lons, float), np.asarray(lats, float))
        assert isinstance(
            pts, np.ndarray
        )  # 1-D coordinates give an array (the stubs allow a Point)
        out: list[str | None] = [None] * len(pts)
        if len(pts) == 0:
            return out
        # bounding-box candidates from the tree, then the exact test against the prepared
        # polygons (STRtree's own predicate does not use the prepared geometries)
        inp, tree_idx = self._tree.query(pts)
        hit = shapely.intersects(self._geoms[tree_idx], pts[inp])
        inp, tree_idx = inp[hit], tree_idx[hit]
        for i, t in zip(inp.tolist(), tree_idx.tolist(), strict=True):
            if out[i] is None:
                out[i] = self.codes[t]
        return out

    def locate_one(self, lon: float, lat: float) -> str | None:
        """ISO3 of the country containing ``(lon, lat)``, or ``None``."""
        return self.locate([lon], [lat])[0]

    def distances_km(self, iso3: str, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Geodesic km from each point to the nearest point of a country (0 inside)."""
        from corridors.geo.geodesy import GEOD

        pts = shapely.points(np.asarray(lons, float), np.asarray(lats, float))
        lines = shapely.shortest_line(self.polygons[iso3], pts)
        coords = shapely.get_coordinates(lines).reshape(-1, 2, 2)
        _, _, metres = GEOD.inv(coords[:, 0, 0], coords[:, 0, 1], coords[:, 1, 0], coords[:, 1, 1])
        return np.asarray(metres, float) / 1000.0

    def distance_km(self, iso3: str, lon: float, lat: float) -> float:
        """Geodesic km from a point to the nearest point of a country (0 when inside)."""
        from shapely.ops import nearest_points

        from corridors.geo.geodesy import distance_km

        poly = self.polygons[iso3]
        pt = shapely.Point(lon, lat)
        if poly.intersects(pt):
            return 0.0
        near = nearest_points(poly, pt)[0]
        return distance_km((lon, lat), (near.x, near.y))
