"""Disputed areas (Natural Earth's breakaway and disputed areas) and worldviews.

``geodata/disputed.geojson`` is derived by ``scripts/derive_disputed.py`` (see
``geodata/NATURAL_EARTH.md``). Each area records who administers it, who claims it, and
the country it belongs to under each **worldview**:

* ``deu`` (default): the country layer's own point of view (Natural Earth's German
  point of view: Kashmir split along the Line of Control and the Line of Actual Control);
* ``pak``: Pakistan's claims adopted (Indian-administered Jammu and Kashmir and Siachen
  are Pakistan's), otherwise as ``deu``;
* ``ind``: India's claims adopted (Gilgit-Baltistan, Azad Kashmir, Aksai Chin and the
  Shaksgam valley are India's), otherwise as ``deu``.

Lengths are geodesic (``pyproj.Geod``, WGS84) on the parts of a line clipped to an area.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry import LineString, shape
from shapely.geometry.base import BaseGeometry

from corridors.errors import CorridorsError, did_you_mean
from corridors.geo.geodesy import GEOD

if TYPE_CHECKING:  # pragma: no cover
    from corridors.model import Atlas

__all__ = [
    "DEFAULT_WORLDVIEW",
    "DISPUTED_FILE",
    "WORLDVIEWS",
    "WORLDVIEW_LABELS",
    "DisputedArea",
    "DisputedLayer",
    "DisputedPart",
    "disputed_for",
    "load_disputed",
    "parse_worldview",
]

#: The worldviews, in order; the first is the default.
WORLDVIEWS: tuple[str, ...] = ("deu", "pak", "ind")
DEFAULT_WORLDVIEW = WORLDVIEWS[0]
#: What each worldview means, for legends, reports and ``--help``.
WORLDVIEW_LABELS: dict[str, str] = {
    "deu": "Natural Earth, German point of view (the country layer's)",
    "pak": "Pakistan's claims (Natural Earth areas)",
    "ind": "India's claims (Natural Earth areas)",
}
#: File name of the layer inside a geodata directory.
DISPUTED_FILE = "disputed.geojson"


def parse_worldview(value: object, *, where: str = "--worldview") -> str:
    """Check a worldview name (case-insensitive) and return it in canonical form.

    Raises
    ------
    CorridorsError
        Naming ``where``, the value, the closest name and every valid name.

    Examples
    --------
    >>> parse_worldview("IND")
    'ind'
    """
    text = str(value).strip().lower() if isinstance(value, str) else ""
    if text in WORLDVIEWS:
        return text
    guess = did_you_mean(text or str(value), WORLDVIEWS)
    raise CorridorsError(
        f"{where}: unknown worldview {value!r}; hint: "
        + (f"{guess} " if guess else "")
        + "one of "
        + ", ".join(f"{w} ({WORLDVIEW_LABELS[w]})" for w in WORLDVIEWS)
    )


@dataclass(frozen=True)
class DisputedArea:
    """One disputed area.

    Attributes
    ----------
    id, name : str
        Stable id (slug of Natural Earth's ``BRK_NAME``) and Natural Earth's name.
    note : str or None
        Natural Earth's ``NOTE_BRK`` ("Admin. by Pakistan; Claimed by India").
    admin : str or None
        ISO3 of the administering state; ``None`` for self-administered areas.
    claimants : tuple of str
        ISO3 of the claimants.
    worldview : Mapping
        Worldview → ISO3 of the country the area belongs to (``None``: none).
    geometry : shapely geometry
        (Multi)Polygon in (lon, lat).
    ne_name : str or None
        Natural Earth's name where the area has been renamed since (``"Northern Areas"``).
    """

    id: str
    name: str
    note: str | None
    admin: str | None
    claimants: tuple[str, ...]
    worldview: Mapping[str, str | None]
    geometry: BaseGeometry
    ne_name: str | None = None

    def country(self, worldview: str = DEFAULT_WORLDVIEW) -> str | None:
        """ISO3 of the country the area belongs to under ``worldview``."""
        return self.worldview.get(worldview)

    def contested_under(self, worldview: str) -> bool:
        """Whether ``worldview`` gives the area to another state than the one holding it."""
        holder = self.admin or self.worldview.get(DEFAULT_WORLDVIEW)
        return self.country(worldview) != holder


@dataclass(frozen=True)
class DisputedPart:
    """The length of a line inside one disputed area."""

    area: DisputedArea
    km: float


class DisputedLayer:
    """The disputed areas of one file, with a spatial index.

    Parameters
    ----------
    areas : sequence of DisputedArea
    sha256 : str
        SHA-256 of the file the areas were read from.
    path : str
        The file (for messages).
    """

    def __init__(self, areas: Sequence[DisputedArea], sha256: str, path: str):
        self.areas: tuple[DisputedArea, ...] = tuple(sorted(areas, key=lambda a: a.id))
        self.by_id: dict[str, DisputedArea] = {a.id: a for a in self.areas}
        self.sha256 = sha256
        self.path = path
        geoms = [a.geometry for a in self.areas]
        for g in geoms:
            shapely.prepare(g)
        self._tree = shapely.STRtree(geoms)

    def __len__(self) -> int:
        return len(self.areas)

    def parts(self, coords: Iterable[Sequence[float]]) -> list[DisputedPart]:
        """Geodesic km of a polyline inside each disputed area it enters (id order).

        Parameters
        ----------
        coords : iterable of (lon, lat)
            The line's vertices.
        """
        pts = [(float(c[0]), float(c[1])) for c in coords]
        if len(pts) < 2:
            return []
        line = LineString(pts)
        out = []
        for i in sorted(int(j) for j in self._tree.query(line, predicate="intersects")):
            area = self.areas[i]
            clipped = shapely.intersection(line, area.geometry)
            km = GEOD.geometry_length(clipped) / 1000.0 if not clipped.is_empty else 0.0
            if km > 0.0:
                out.append(DisputedPart(area, km))
        return out

    def features(self, worldview: str = DEFAULT_WORLDVIEW) -> list[dict[str, Any]]:
        """GeoJSON features with the properties the map shows under ``worldview``."""
        out = []
        for a in self.areas:
            out.append(
                {
                    "type": "Feature",
                    "properties": {
                        "id": a.id,
                        "name": a.name,
                        "ne_name": a.ne_name,
                        "note": a.note,
                        "admin": a.admin,
                        "claimants": list(a.claimants),
                        "country": a.country(worldview),
                        "worldview": worldview,
                    },
                    "geometry": shapely.geometry.mapping(a.geometry),
                }
            )
        return out


def _area(feature: Mapping[str, Any], where: str) -> DisputedArea:
    p = feature.get("properties") or {}
    try:
        wv = p["worldview"]
        missing = [w for w in WORLDVIEWS if w not in wv]
        if missing:
            raise KeyError(f"worldview.{missing[0]}")
        geom = shape(feature["geometry"])
        return DisputedArea(
            id=str(p["id"]),
            name=str(p["name"]),
            note=p.get("note"),
            admin=p.get("admin"),
            claimants=tuple(p.get("claimants") or ()),
            worldview={w: wv[w] for w in WORLDVIEWS},
            geometry=geom,
            ne_name=p.get("ne_name"),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CorridorsError(
            f"{where}: malformed disputed area ({exc}); hint: re-derive the file with "
            "scripts/derive_disputed.py"
        ) from None


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int) -> DisputedLayer:
    raw = Path(path).read_bytes()
    try:
        doc = json.loads(raw)
        feats = doc["features"]
    except (ValueError, KeyError, TypeError) as exc:
        raise CorridorsError(f"{path}: not a disputed-areas GeoJSON file ({exc})") from None
    areas = [_area(f, f"{path}: /features/{i}") for i, f in enumerate(feats)]
    return DisputedLayer(areas, hashlib.sha256(raw).hexdigest(), path)


def load_disputed(path: str | os.PathLike[str] | None = None) -> DisputedLayer | None:
    """Read a disputed-areas file (the bundled one by default); ``None`` if it is absent.

    Parameters
    ----------
    path : path-like, optional
        The file, or a geodata directory holding ``disputed.geojson``.
    """
    if path is None:
        from corridors.io.geodata import bundled_geodata_dir

        path = bundled_geodata_dir()
    p = Path(path)
    if p.is_dir():
        p = p / DISPUTED_FILE
    if not p.is_file():
        return None
    st = p.stat()
    return _load(str(p.resolve()), st.st_mtime_ns, st.st_size)


def disputed_for(atlas: Atlas) -> DisputedLayer | None:
    """The disputed areas of an atlas: its geodata directory's file, else the bundled one."""
    root = Path(atlas.root) if atlas.root else None
    if root is not None and root.is_dir() and (root / DISPUTED_FILE).is_file():
        return load_disputed(root)
    return load_disputed()
