"""GeoJSON features of atlas and scenario entities, with the properties the popups show."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from corridors.geo.measure import measure_segment
from corridors.model import Atlas, Corridor, Node, Segment, Source
from corridors.vocab import GAUGE_UNKNOWN

if TYPE_CHECKING:  # pragma: no cover
    from corridors.network.graph import Network

__all__ = [
    "feature_collection",
    "node_feature",
    "segment_feature",
    "segment_features",
    "source_links",
]


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of ``features``."""
    return {"type": "FeatureCollection", "features": features}


def source_links(sources: Iterable[Source]) -> list[dict[str, Any]]:
    """``{url, title, accessed?, class?, published?}`` per source (title defaults to the URL)."""
    out = []
    for s in sources:
        link: dict[str, Any] = {"url": s.url, "title": s.title or s.url}
        for key, value in (
            ("accessed", s.accessed),
            ("class", s.source_class),
            ("published", s.published),
        ):
            if value:
                link[key] = value
        out.append(link)
    return out


def segment_feature(atlas: Atlas, seg: Segment, corridor: Corridor, **extra: Any) -> dict[str, Any]:
    """GeoJSON feature of a segment with the properties the map's popups show."""
    m = measure_segment(atlas, seg)
    props: dict[str, Any] = {
        "id": seg.id,
        "name": seg.name,
        "from": seg.from_node,
        "to": seg.to_node,
        "corridor": corridor.id,
        "corridor_name": corridor.name,
        "mode": seg.mode,
        "status": seg.status,
        "status_year": seg.status_history[-1].year if seg.status_history else None,
        "status_history": [[h.date, h.status] for h in seg.status_history],
        "precision": seg.precision,
        "length_km": round(m.length_km, 1),
        "published_length_km": m.published_length_km,
        "effective_length_km": round(m.effective_length_km, 1),
        "countries": list(m.countries),
        "gauge_mm": (seg.gauge_mm[0] if len(seg.gauge_mm) == 1 else list(seg.gauge_mm))
        if seg.gauge_mm
        else (GAUGE_UNKNOWN if seg.gauge_unknown else None),
        "opened_year": seg.opened_year,
        "sources": source_links(seg.sources),
        "note": seg.note,
    }
    props.update(extra)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in seg.coords]},
    }


def node_feature(node: Node) -> dict[str, Any]:
    """GeoJSON feature of a node."""
    return {
        "type": "Feature",
        "properties": {
            "id": node.id,
            "name": node.name,
            "aliases": list(node.aliases),
            "country": node.country,
            "kind": node.kind,
            "precision": node.precision,
            "sources": source_links(node.sources),
            "note": node.note,
        },
        "geometry": {"type": "Point", "coordinates": [node.lon, node.lat]},
    }


def segment_features(net: Network) -> list[dict[str, Any]]:
    """One GeoJSON Feature per run of equally open/closed pieces of each segment."""
    feats = []
    a = net.atlas
    for sid, pids in net.segment_pieces.items():
        seg = a.segments[sid]
        cors = a.corridors_of(sid)
        for closed, group in _runs(pids, lambda p: p in net.closed):
            pieces = [net.pieces[p] for p in group]
            coords: list[tuple[float, float]] = []
            for p in pieces:
                coords.extend(p.coords if not coords else p.coords[1:])
            reasons = sorted({w for p in group for w in net.closed.get(p, ())})
            countries: list[str] = []
            for p in pieces:
                for c in p.countries:
                    if not countries or countries[-1] != c:
                        countries.append(c)
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[round(x, 5), round(y, 5)] for x, y in coords],
                    },
                    "properties": {
                        "id": sid,
                        "name": seg.name,
                        "from": pieces[0].u,
                        "to": pieces[-1].v,
                        "mode": seg.mode,
                        "status": net.resolved.status[sid],
                        "corridor": cors[0] if cors else None,
                        "closed": closed,
                        "closed_by": reasons,
                        "length_km": round(sum(p.length_km for p in pieces), 1),
                        "hours": round(sum(p.hours for p in pieces), 2),
                        "countries": countries,
                        "gauge_mm": sorted({p.gauge_mm for p in pieces if p.gauge_mm}) or None,
                        "chokepoints": [c for p in pieces for c in p.chokepoints],
                        "length_basis": pieces[0].length_basis,
                        "scenario": net.scenario.name,
                    },
                }
            )
    return feats


def _runs(items: Sequence[str], key: Callable[[str], bool]) -> list[tuple[bool, list[str]]]:
    out: list[tuple[bool, list[str]]] = []
    for it in items:
        k = key(it)
        if out and out[-1][0] == k:
            out[-1][1].append(it)
        else:
            out.append((k, [it]))
    return out
