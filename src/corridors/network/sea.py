"""Sea legs over searoute's maritime network, with passage closures and a process-wide cache.

searoute (Eurostat marnet, Apache-2.0) is used as a dependency only, behind three guards:

* its ``restrictions`` argument mutates a graph shared by the whole process, and its default
  is a mutable list: every call here passes a fresh, explicit list (always including
  ``northwest``, searoute's own default);
* when the restrictions leave no path it only *warns* and returns length 0 with empty
  coordinates — and with ``append_orig_dest=True`` it returns the bare chord from origin to
  destination with a plausible length: :func:`sea_leg` turns both into ``None`` ("no sea
  route"), never a zero-length or straight-line leg;
* origin and destination are snapped to the nearest marnet vertex (sometimes 100 km away):
  the returned line is extended to the real ports (``append_orig_dest=True``) so lengths are
  port to port.

Results are cached per ``(origin, destination, closed passages)``; a leg whose open-sea
route crosses none of the closed passages is reused without a new search (removing edges
that are not on a shortest path leaves it shortest).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from corridors.errors import ScenarioError, did_you_mean
from corridors.geo.geodesy import distance_km, line_length_km

__all__ = [
    "PASSAGES",
    "Passage",
    "SeaLeg",
    "normalise_passage",
    "sea_leg",
]

LonLat = tuple[float, float]


@dataclass(frozen=True)
class Passage:
    """A closable sea passage.

    Attributes
    ----------
    key : str
        Our name (``hormuz``, ``bab_el_mandeb``…), used in scenarios.
    searoute : str
        searoute's passage name (``ormuz``, ``babalmandab``…).
    chokepoint : str
        Id reported in ``Route.chokepoints``; equals the atlas chokepoint node id where the
        bundled geodata has one (``strait_of_hormuz``, ``bab_el_mandeb``).
    name : str
        English display name.
    lonlat : (float, float)
        A reference position in the passage (orders passages along a line).
    nodes : tuple of str
        Atlas node ids closed together with the passage.
    aliases : tuple of str
        Other accepted spellings (already normalised: lower case, ``_`` separators).
    """

    key: str
    searoute: str
    chokepoint: str
    name: str
    lonlat: LonLat
    nodes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


#: Closable passages, by our key. ``northwest`` (the Northwest Passage) is closed always,
#: as in searoute's own default.
PASSAGES: dict[str, Passage] = {
    p.key: p
    for p in (
        Passage(
            "hormuz",
            "ormuz",
            "strait_of_hormuz",
            "Strait of Hormuz",
            (56.5, 26.6),
            nodes=("strait_of_hormuz",),
            aliases=("ormuz", "strait_of_hormuz", "hormoz"),
        ),
        Passage(
            "bab_el_mandeb",
            "babalmandab",
            "bab_el_mandeb",
            "Bab-el-Mandeb",
            (43.333, 12.583),
            nodes=("bab_el_mandeb",),
            aliases=("babalmandab", "bab_al_mandab", "bab_el_mandab", "babelmandeb", "mandeb"),
        ),
        Passage(
            "suez",
            "suez",
            "suez_canal",
            "Suez Canal",
            (32.55, 30.6),
            aliases=("suez_canal",),
        ),
        Passage(
            "malacca",
            "malacca",
            "strait_of_malacca",
            "Strait of Malacca",
            (100.3, 3.5),
            aliases=("strait_of_malacca",),
        ),
        Passage(
            "bosporus",
            "bosporus",
            "bosporus",
            "Bosporus",
            (29.06, 41.12),
            aliases=("bosphorus", "turkish_straits"),
        ),
        Passage(
            "gibraltar",
            "gibraltar",
            "strait_of_gibraltar",
            "Strait of Gibraltar",
            (-5.6, 35.95),
            aliases=("strait_of_gibraltar",),
        ),
        Passage("panama", "panama", "panama_canal", "Panama Canal", (-79.7, 9.1)),
        Passage("sunda", "sunda", "sunda_strait", "Sunda Strait", (105.8, -6.0)),
        Passage(
            "cape_of_good_hope",
            "south_africa",
            "cape_of_good_hope",
            "Cape of Good Hope",
            (18.5, -34.8),
            aliases=("south_africa", "cape"),
        ),
        Passage("bering", "bering", "bering_strait", "Bering Strait", (-169.0, 65.8)),
        Passage("magellan", "chili", "strait_of_magellan", "Strait of Magellan", (-70.5, -53.5)),
    )
}
_ALWAYS_CLOSED = ("northwest",)
_BY_SEAROUTE = {p.searoute: p for p in PASSAGES.values()}
_LOOKUP: dict[str, str] = {}
for _p in PASSAGES.values():
    for _name in (_p.key, _p.searoute, _p.chokepoint, *_p.aliases):
        _LOOKUP.setdefault(_name, _p.key)

#: How far (km) searoute may snap an end before the leg is declared off the sea network.
MAX_SNAP_KM = 400.0


def _norm(text: str) -> str:
    out = "".join(ch if ch.isalnum() else "_" for ch in text.strip().lower())
    return "_".join(t for t in out.split("_") if t)


def normalise_passage(name: str) -> str | None:
    """Our passage key for ``name`` (``"Hormuz"``, ``"ormuz"``, ``"Bab-el-Mandeb"``…) or None."""
    n = _norm(name)
    return _LOOKUP.get(n) or _LOOKUP.get(n.replace("_", ""))


def passage_hint(name: str) -> str:
    """Did-you-mean text for an unknown passage name."""
    guess = did_you_mean(_norm(name), _LOOKUP)
    listing = "passages: " + ", ".join(PASSAGES)
    return f"{guess} {listing}" if guess else listing


@dataclass(frozen=True)
class SeaLeg:
    """One searoute result.

    Attributes
    ----------
    length_km : float
        Port-to-port length along the maritime network, km.
    coords : tuple of (lon, lat)
        The line, starting at the origin and ending at the destination.
    passages : tuple of str
        Our passage keys traversed, in travel order.
    """

    length_km: float
    coords: tuple[LonLat, ...]
    passages: tuple[str, ...]


def _restrictions(closed: Iterable[str]) -> list[str]:
    names = {PASSAGES[k].searoute for k in closed}
    return [*_ALWAYS_CLOSED, *sorted(names)]


def _order_passages(names: Iterable[str], coords: Sequence[LonLat]) -> tuple[str, ...]:
    keys = [_BY_SEAROUTE[n].key for n in names if n in _BY_SEAROUTE]
    if len(keys) < 2:
        return tuple(keys)

    def position(key: str) -> int:
        ref = PASSAGES[key].lonlat
        return min(
            range(len(coords)),
            key=lambda i: (coords[i][0] - ref[0]) ** 2 + (coords[i][1] - ref[1]) ** 2,
        )

    return tuple(sorted(keys, key=position))


@lru_cache(maxsize=4096)
def _search(origin: LonLat, destination: LonLat, closed: frozenset[str]) -> SeaLeg | None:
    import searoute

    with warnings.catch_warnings(record=True) as caught:
        # searoute warns (UserWarning) instead of raising when no path exists
        warnings.simplefilter("always")
        feat = searoute.searoute(
            list(origin),
            list(destination),
            units="km",
            append_orig_dest=True,
            restrictions=_restrictions(closed),
            return_passages=True,
        )
    if any("no path" in str(w.message).lower() for w in caught):
        return None
    props = feat["properties"]
    raw = feat["geometry"]["coordinates"]
    length = float(props.get("length") or 0.0)
    coords = tuple((float(c[0]), float(c[1])) for c in raw)
    # with append_orig_dest=True a "no path" answer is the bare chord origin -> destination
    inner = [c for c in coords if c not in (origin, destination)]
    if not inner or length <= 0 or not math.isfinite(length):
        return None
    # Snapped ends far from the ports mean the port is not on the sea network (a lake…).
    if (
        distance_km(origin, inner[0]) > MAX_SNAP_KM
        or distance_km(destination, inner[-1]) > MAX_SNAP_KM
    ):
        return None
    if coords[0] != origin:
        coords = (origin, *coords)
    if coords[-1] != destination:
        coords = (*coords, destination)
    return SeaLeg(
        length_km=line_length_km(coords),
        coords=coords,
        passages=_order_passages(props.get("traversed_passages") or (), coords),
    )


def sea_leg(origin: LonLat, destination: LonLat, *, closed: Iterable[str] = ()) -> SeaLeg | None:
    """Shortest sea route between two ``(lon, lat)`` positions, or ``None`` when there is none.

    Parameters
    ----------
    origin, destination : (float, float)
        Ports, WGS84 degrees.
    closed : iterable of str
        Our passage keys (see :data:`PASSAGES`) to avoid.

    Returns
    -------
    SeaLeg or None
        ``None`` when the closures leave no sea path (searoute's silent "length 0").

    Examples
    --------
    >>> leg = sea_leg((62.3396, 25.1105), (43.145, 11.589))  # Gwadar -> Djibouti
    >>> 2600 < leg.length_km < 3000
    True
    """
    closed_set = frozenset(closed)
    unknown = [c for c in closed_set if c not in PASSAGES]
    if unknown:
        raise ScenarioError(f"unknown passage {unknown[0]!r}; hint: {passage_hint(unknown[0])}")
    o = (float(origin[0]), float(origin[1]))
    d = (float(destination[0]), float(destination[1]))
    open_leg = _search(o, d, frozenset())
    if not closed_set:
        return open_leg
    if open_leg is not None and not closed_set.intersection(open_leg.passages):
        return open_leg
    return _search(o, d, closed_set)
