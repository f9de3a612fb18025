"""Tabular views of an atlas: the stable JSON interface of ``corridors list`` and its text form.

Each ``*_records`` function returns a list of plain dicts (JSON-ready, stable keys, lengths
rounded to 0.1 km); :func:`format_table` prints them as aligned text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corridors.geo.measure import measure_segment
from corridors.model import Atlas, Source
from corridors.vocab import STATUSES

__all__ = [
    "corridor_records",
    "format_table",
    "node_records",
    "platform_records",
    "project_records",
    "segment_records",
]


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 1)


def _sources(sources: Sequence[Source]) -> list[dict[str, Any]]:
    return [
        {
            "url": s.url,
            "title": s.title,
            "class": s.source_class,
            "published": s.published,
            "accessed": s.accessed,
        }
        for s in sources
    ]


def node_records(atlas: Atlas) -> list[dict[str, Any]]:
    """One record per node: ``id, name, country, lon, lat, kind, aliases, borders,
    precision, sources``."""
    return [
        {
            "id": n.id,
            "name": n.name,
            "country": n.country,
            "lon": n.lon,
            "lat": n.lat,
            "kind": n.kind,
            "aliases": list(n.aliases),
            "borders": list(n.borders),
            "precision": n.precision,
            "sources": _sources(n.sources),
        }
        for n in atlas.nodes.values()
    ]


def segment_records(atlas: Atlas) -> list[dict[str, Any]]:
    """One record per segment.

    Keys: ``id, name, corridor`` (first corridor listing it), ``corridors`` (all),
    ``branch`` (top-level ancestor of ``corridor``), ``from, to, mode, status,
    status_year, precision, length_km`` (geodesic), ``published_length_km`` (or null),
    ``effective_length_km, effective_basis, countries`` (ISO3 in order),
    ``km_by_country, border_crossings, gauge_mm, opened_year, sources``.
    """
    out = []
    for seg in atlas.segments.values():
        m = measure_segment(atlas, seg)
        cors = atlas.corridors_of(seg.id)
        lineage = atlas.corridor_lineage(cors[0]) if cors else ()
        out.append(
            {
                "id": seg.id,
                "name": seg.name,
                "corridor": cors[0] if cors else None,
                "corridors": list(cors),
                "branch": lineage[-1] if lineage else None,
                "from": seg.from_node,
                "to": seg.to_node,
                "mode": seg.mode,
                "status": seg.status,
                "status_year": seg.status_history[-1].year if seg.status_history else None,
                "precision": seg.precision,
                "length_km": _r(m.length_km),
                "published_length_km": _r(m.published_length_km),
                "effective_length_km": _r(m.effective_length_km),
                "effective_basis": m.effective_basis,
                "countries": list(m.countries),
                "km_by_country": {k: _r(v) for k, v in m.km_by_country},
                "border_crossings": m.border_crossings,
                "gauge_mm": list(seg.gauge_mm) or None,
                "opened_year": seg.opened_year,
                "sources": _sources(seg.sources),
            }
        )
    return out


def corridor_records(atlas: Atlas) -> list[dict[str, Any]]:
    """One record per corridor: ``id, name, parent, platform, segments`` (own),
    ``all_segments`` (incl. descendants), ``length_km, effective_length_km,
    km_by_status`` (effective km per status), ``sources``."""
    out = []
    for c in atlas.corridors.values():
        segs = atlas.corridor_segments(c.id)
        by_status = {s: 0.0 for s in STATUSES}
        geo = eff = 0.0
        for sid in segs:
            m = measure_segment(atlas, atlas.segments[sid])
            geo += m.length_km
            eff += m.effective_length_km
            by_status[atlas.segments[sid].status] += m.effective_length_km
        out.append(
            {
                "id": c.id,
                "name": c.name,
                "parent": c.parent,
                "platform": c.platform,
                "segments": list(c.segments),
                "all_segments": list(segs),
                "length_km": _r(geo),
                "effective_length_km": _r(eff),
                "km_by_status": {k: _r(v) for k, v in by_status.items() if v > 0},
                "sources": _sources(c.sources),
            }
        )
    return out


def platform_records(atlas: Atlas) -> list[dict[str, Any]]:
    """One record per platform: ``id, name, members, purpose, proposed, proposed_by,
    status, meetings`` (``date, place, node, level, attended, absent``), ``sources``."""
    return [
        {
            "id": p.id,
            "name": p.name,
            "members": list(p.members),
            "purpose": p.purpose,
            "proposed": p.proposed,
            "proposed_by": p.proposed_by,
            "status": p.status,
            "meetings": [
                {
                    "date": m.date,
                    "place": m.place,
                    "node": m.node,
                    "level": m.level,
                    "attended": list(m.attended),
                    "absent": list(m.absent),
                    "sources": _sources(m.sources),
                }
                for m in p.meetings
            ],
            "sources": _sources(p.sources),
        }
        for p in atlas.platforms.values()
    ]


def project_records(atlas: Atlas) -> list[dict[str, Any]]:
    """One record per project: ``id, name, sector, country, status, status_history``
    (``date, status, note, url``), ``precision, lon, lat`` (its point), ``coordinates``
    (every position), ``capacity, capacity_unit, mw, cost_usd_m, cost_year, financiers,
    corridors, aiddata_id, note, sources``."""
    return [
        {
            "id": p.id,
            "name": p.name,
            "sector": p.sector,
            "country": p.country,
            "status": p.status,
            "status_history": [
                {"date": h.date, "status": h.status, "note": h.note, "url": h.url}
                for h in p.status_history
            ],
            "precision": p.precision,
            "lon": p.lonlat[0],
            "lat": p.lonlat[1],
            "coordinates": [list(c) for c in p.coords],
            "capacity": p.capacity,
            "capacity_unit": p.capacity_unit,
            "mw": p.mw,
            "cost_usd_m": p.cost_usd_m,
            "cost_year": p.cost_year,
            "financiers": list(p.financiers),
            "corridors": list(p.corridors),
            "aiddata_id": p.aiddata_id,
            "note": p.note,
            "sources": _sources(p.sources),
        }
        for p in atlas.projects.values()
    ]


_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "nodes": ("id", "name", "country", "lon", "lat", "kind"),
    "segments": (
        "id",
        "corridor",
        "mode",
        "status",
        "precision",
        "length_km",
        "published_length_km",
        "effective_length_km",
        "countries",
    ),
    "corridors": ("id", "parent", "length_km", "effective_length_km", "km_by_status"),
    "platforms": ("id", "name", "members", "meetings"),
    "projects": ("id", "sector", "status", "capacity", "capacity_unit", "cost_usd_m", "corridors"),
}


def _cell(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, list):
        if v and isinstance(v[0], dict):
            return str(len(v))
        return (
            ">".join(map(str, v))
            if v and isinstance(v[0], str) and len(v[0]) == 3
            else ",".join(map(str, v))
        )
    if isinstance(v, dict):
        return ", ".join(f"{k}={x:g}" if isinstance(x, float) else f"{k}={x}" for k, x in v.items())
    if isinstance(v, float):
        return f"{v:,.1f}"
    return str(v)


def format_table(kind: str, records: Sequence[dict[str, Any]]) -> str:
    """Aligned text table of ``records`` for ``kind`` (nodes, segments, corridors, platforms,
    projects)."""
    cols = _TEXT_COLUMNS[kind]
    rows = [[_cell(r.get(c)) for c in cols] for r in records]
    widths = [max([len(c)] + [len(row[i]) for row in rows]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)
