"""Lengths, countries crossed and effective lengths of segments, corridors and routes.

* ``length_km`` — geodesic length of the drawn line (WGS84, :mod:`corridors.geo.geodesy`).
* ``published_length_km`` — the figure chosen from the sources (see the segment's note).
* ``effective_length_km`` — what analytics use: the published length when there is one,
  otherwise ``length_km`` times a circuity factor calibrated per mode (and precision,
  when enough samples exist) on the segments that do have published lengths.

Countries crossed: land modes (road, rail, pipeline, power line) are intersected with the
country polygons (slivers under :data:`SLIVER_KM` km ignored). Sea, ferry and air legs
do not "cross" countries: they report the countries of their two end nodes.
"""

from __future__ import annotations

import hashlib
import math
import statistics
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from corridors.geo.chain import orient_chain
from corridors.geo.geodesy import CountryRun, Locate, country_runs, line_length_km
from corridors.io import cache as derived_cache
from corridors.model import Atlas, Node, Segment

if TYPE_CHECKING:  # pragma: no cover
    from corridors.geo.countries import CountryIndex

__all__ = [
    "SLIVER_KM",
    "CircuityFactor",
    "SegmentMeasure",
    "chain_countries",
    "circuity_factors",
    "measure_segment",
    "segment_measures",
]

#: Country stretches shorter than this (km) are treated as border slivers.
SLIVER_KM = 1.0
#: Interior runs whose every point lies within this many km of a neighbouring run's
#: country are border-simplification artefacts (the borders layer is simplified at ~2 km).
BORDER_TOLERANCE_KM = 3.0
#: Modes whose lines are intersected with country polygons.
LAND_MODES = frozenset({"road", "rail", "pipeline", "power_line"})
#: Minimum number of published lengths to calibrate a (mode, precision) factor on its own.
MIN_SAMPLES_PRECISION = 3
#: Minimum number of published lengths to calibrate a mode factor.
MIN_SAMPLES_MODE = 2


@dataclass(frozen=True)
class CircuityFactor:
    """Ratio published / geodesic length used to estimate real lengths.

    Attributes
    ----------
    factor : float
        Median ratio.
    samples : int
        Number of segments it was calibrated on (0 = default).
    basis : str
        ``"mode+precision"``, ``"mode"``, ``"land"`` (all land modes pooled) or
        ``"default"`` (no data: 1.0, i.e. the geodesic line itself).
    """

    factor: float
    samples: int
    basis: str


@dataclass(frozen=True)
class SegmentMeasure:
    """Computed facts about one segment."""

    segment_id: str
    length_km: float
    published_length_km: float | None
    effective_length_km: float
    effective_basis: str
    countries: tuple[str, ...]
    km_by_country: tuple[tuple[str, float], ...]
    border_crossings: int

    @property
    def ratio_published(self) -> float | None:
        """published / computed length, or None."""
        if self.published_length_km is None or self.length_km == 0:
            return None
        return self.published_length_km / self.length_km


@dataclass
class _Memo:
    """What is computed once per atlas."""

    runs: dict[str, list[CountryRun]] = field(default_factory=dict)
    measures: dict[str, SegmentMeasure] = field(default_factory=dict)
    circuity: dict[tuple[str, str], CircuityFactor] | None = None


_CACHE: weakref.WeakKeyDictionary[Atlas, _Memo] = weakref.WeakKeyDictionary()


def _cache(atlas: Atlas) -> _Memo:
    return _CACHE.setdefault(atlas, _Memo())


def _dedupe(seq: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for c in seq:
        if not out or out[-1] != c:
            out.append(c)
    return tuple(out)


def _anchor_ends(
    runs: list[CountryRun], start: Node, end: Node, locate: Locate
) -> list[CountryRun]:
    """Make a land line start and end in its nodes' countries.

    Node countries are curated data; the borders layer is simplified at ~2 km, so a town on
    a border river (Julfa, Aghband) can fall on the wrong side of a polygon. A border node
    (``borders`` set) also accepts the other side when its point lies in that polygon.
    """

    def allowed(node: Node) -> set[str]:
        inside = locate(np.array([node.lon]), np.array([node.lat]))[0]
        if inside is not None and inside in node.borders:
            return {node.country, inside}
        return {node.country}

    out = list(runs)
    if not out or out[0].iso3 not in allowed(start):
        out.insert(0, CountryRun(start.country, 0.0))
    if out[-1].iso3 not in allowed(end):
        out.append(CountryRun(end.country, 0.0))
    return out


def _land_runs(index: CountryIndex, seg: Segment, a: Node, b: Node) -> list[CountryRun]:
    """Country runs of a land segment, from the borders file's on-disk cache when there."""
    disk = index.cache
    key = None
    if disk is not None:
        coords = np.ascontiguousarray(seg.coords, dtype="<f8")
        key = derived_cache.digest(
            hashlib.sha256(coords.tobytes()).hexdigest(),
            coords.shape,
            [a.lon, a.lat, a.country, list(a.borders)],
            [b.lon, b.lat, b.country, list(b.borders)],
        )
        hit = disk.get("runs", key)
        # a cached value is checked like an input: known country codes, finite lengths
        if isinstance(hit, list) and all(
            isinstance(r, list)
            and len(r) == 2
            and isinstance(r[0], str)
            and (r[0] in index or r[0] in (a.country, b.country))
            and type(r[1]) is float
            and math.isfinite(r[1])
            and 0.0 <= r[1] <= 1e5
            for r in hit
        ):
            return [CountryRun(iso3, km) for iso3, km in hit]
    total = line_length_km(seg.coords)
    runs = country_runs(
        seg.coords,
        index.locate,
        min_run_km=min(SLIVER_KM, total / 10.0),
        near_km=index.distances_km,
        border_tolerance_km=BORDER_TOLERANCE_KM,
    )
    runs = _anchor_ends([r for r in runs if r.iso3 is not None], a, b, index.locate)
    if disk is not None and key is not None:
        disk.put("runs", key, [[r.iso3, r.length_km] for r in runs])
    return runs


def _runs(atlas: Atlas, seg: Segment) -> list[CountryRun]:
    cache = _cache(atlas).runs
    if seg.id not in cache:
        a, b = atlas.nodes[seg.from_node], atlas.nodes[seg.to_node]
        if seg.mode in LAND_MODES and atlas.countries is not None:
            cache[seg.id] = _land_runs(atlas.countries, seg, a, b)
        else:
            half = line_length_km(seg.coords) / 2
            cache[seg.id] = [CountryRun(a.country, half), CountryRun(b.country, half)]
    return cache[seg.id]


def segment_countries(atlas: Atlas, seg: Segment, *, reverse: bool = False) -> tuple[str, ...]:
    """ISO3 codes along a segment, in order (``reverse`` for travel ``to`` → ``from``)."""
    codes = [r.iso3 for r in _runs(atlas, seg) if r.iso3 is not None]
    if reverse:
        codes.reverse()
    return _dedupe(codes)


def chain_countries(atlas: Atlas, segment_ids: Sequence[str]) -> tuple[str, ...]:
    """Country sequence of a chain of segments in travel order."""
    segs = [atlas.segments[s] for s in segment_ids]
    out: list[str] = []
    for seg, rev in orient_chain(segs):
        out.extend(segment_countries(atlas, seg, reverse=rev))
    return _dedupe(out)


def circuity_factors(atlas: Atlas) -> dict[tuple[str, str], CircuityFactor]:
    """Circuity factor for every (mode, precision) pair present in the atlas.

    Calibration samples are segments with a chosen published length; the factor is the
    median of published / geodesic. A (mode, precision) pair with at least
    :data:`MIN_SAMPLES_PRECISION` samples gets its own factor; otherwise the mode's factor
    (at least :data:`MIN_SAMPLES_MODE` samples); otherwise, for land modes, the pooled land
    factor; otherwise 1.0.
    """
    cached = _cache(atlas).circuity
    if cached is not None:
        return cached
    by_pair: dict[tuple[str, str], list[float]] = {}
    by_mode: dict[str, list[float]] = {}
    land: list[float] = []
    for seg in atlas.segments.values():
        if seg.published_length_km is None:
            continue
        geo = line_length_km(seg.coords)
        if geo <= 0:
            continue
        r = seg.published_length_km / geo
        by_pair.setdefault((seg.mode, seg.precision), []).append(r)
        by_mode.setdefault(seg.mode, []).append(r)
        if seg.mode in LAND_MODES:
            land.append(r)
    out: dict[tuple[str, str], CircuityFactor] = {}
    for seg in atlas.segments.values():
        key = (seg.mode, seg.precision)
        if key in out:
            continue
        if len(by_pair.get(key, [])) >= MIN_SAMPLES_PRECISION:
            out[key] = CircuityFactor(
                statistics.median(by_pair[key]), len(by_pair[key]), "mode+precision"
            )
        elif len(by_mode.get(seg.mode, [])) >= MIN_SAMPLES_MODE:
            out[key] = CircuityFactor(
                statistics.median(by_mode[seg.mode]), len(by_mode[seg.mode]), "mode"
            )
        elif seg.mode in LAND_MODES and len(land) >= MIN_SAMPLES_MODE:
            out[key] = CircuityFactor(statistics.median(land), len(land), "land")
        else:
            out[key] = CircuityFactor(1.0, 0, "default")
    _cache(atlas).circuity = out
    return out


def measure_segment(atlas: Atlas, seg: Segment) -> SegmentMeasure:
    """Compute lengths and countries of one segment (cached per atlas)."""
    cache = _cache(atlas).measures
    if seg.id in cache:
        return cache[seg.id]
    length = line_length_km(seg.coords)
    if seg.published_length_km is not None:
        eff, basis = float(seg.published_length_km), "published"
    else:
        cf = circuity_factors(atlas)[(seg.mode, seg.precision)]
        eff = length * cf.factor
        basis = f"geodesic x {cf.factor:.3f} ({cf.basis}, n={cf.samples})"
    km: dict[str, float] = {}
    for r in _runs(atlas, seg):
        if r.iso3 is not None:
            km[r.iso3] = km.get(r.iso3, 0.0) + r.length_km
    countries = segment_countries(atlas, seg)
    m = SegmentMeasure(
        segment_id=seg.id,
        length_km=length,
        published_length_km=seg.published_length_km,
        effective_length_km=eff,
        effective_basis=basis,
        countries=countries,
        km_by_country=tuple(km.items()) if seg.mode in LAND_MODES else (),
        border_crossings=max(0, len(countries) - 1),
    )
    cache[seg.id] = m
    return m


def segment_measures(atlas: Atlas) -> dict[str, SegmentMeasure]:
    """:func:`measure_segment` for every segment, keyed by id (file order)."""
    return {sid: measure_segment(atlas, seg) for sid, seg in atlas.segments.items()}
