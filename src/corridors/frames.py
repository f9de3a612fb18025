"""GeoDataFrames of an atlas and of a scenario (the GeoDataFrame-first API), and the atlas'
notebook view.

:func:`atlas_geodataframe` (``Atlas.to_geodataframe``) gives one row per node, segment,
corridor or platform; :func:`scenario_geodataframe` one row per open or closed run of a
scenario's segments. Geometry is in EPSG:4326 (lon, lat); lengths are geodesic km
(:mod:`corridors.geo.measure`). List values are joined into text (countries in travel order
as ``"PAK>IRN"``, other lists with ``","``) so that every frame can be written to GeoJSON,
GeoPackage or GeoParquet, and explored with ``.explore()``.

>>> import corridors
>>> segments = corridors.load_atlas().to_geodataframe("segments")
>>> segments.crs.to_string(), segments.index.name
('EPSG:4326', 'id')
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from corridors.errors import did_you_mean
from corridors.geo.measure import measure_segment
from corridors.html import esc
from corridors.model import Atlas

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from corridors.scenario.model import Scenario

__all__ = ["FRAME_KINDS", "atlas_geodataframe", "atlas_html", "scenario_geodataframe"]

#: The kinds :func:`atlas_geodataframe` knows.
FRAME_KINDS: tuple[str, ...] = ("nodes", "segments", "corridors", "platforms", "projects")


def _join(values: Any, sep: str = ",") -> str:
    return sep.join(str(v) for v in values)


def _node_rows(atlas: Atlas) -> tuple[list[dict[str, Any]], list[Any]]:
    from shapely.geometry import Point

    names = getattr(atlas.countries, "names", {})
    rows, geoms = [], []
    for n in atlas.nodes.values():
        rows.append(
            {
                "id": n.id,
                "name": n.name,
                "kind": n.kind,
                "country": n.country,
                "country_name": names.get(n.country, n.country),
                "aliases": _join(n.aliases, "; "),
                "borders": _join(n.borders, "-"),
                "precision": n.precision,
                "lon": n.lon,
                "lat": n.lat,
                "source_count": len(n.sources),
                "note": n.note,
            }
        )
        geoms.append(Point(n.lon, n.lat))
    return rows, geoms


def _segment_rows(atlas: Atlas) -> tuple[list[dict[str, Any]], list[Any]]:
    from shapely.geometry import LineString

    rows, geoms = [], []
    for seg in atlas.segments.values():
        m = measure_segment(atlas, seg)
        cors = atlas.corridors_of(seg.id)
        rows.append(
            {
                "id": seg.id,
                "name": seg.name,
                "from": seg.from_node,
                "to": seg.to_node,
                "mode": seg.mode,
                "status": seg.status,
                "status_year": seg.status_history[-1].year if seg.status_history else None,
                "precision": seg.precision,
                "corridor": cors[0] if cors else None,
                "corridors": _join(cors),
                "length_km": round(m.length_km, 1),
                "published_length_km": m.published_length_km,
                "effective_length_km": round(m.effective_length_km, 1),
                "effective_basis": m.effective_basis,
                "countries": _join(m.countries, ">"),
                "border_crossings": m.border_crossings,
                "gauge_mm": _join(seg.gauge_mm),
                "opened_year": seg.opened_year,
                "announced_year": seg.announced_year,
                "cost_usd_bn": seg.cost_usd_bn,
                "financier": seg.financier,
                "source_count": len(seg.sources),
                "note": seg.note,
            }
        )
        geoms.append(LineString(seg.coords))
    return rows, geoms


def _corridor_rows(atlas: Atlas) -> tuple[list[dict[str, Any]], list[Any]]:
    from shapely.geometry import MultiLineString

    rows, geoms = [], []
    for cor in atlas.corridors.values():
        sids = atlas.corridor_segments(cor.id)
        segs = [atlas.segments[s] for s in sids if s in atlas.segments]
        measures = [measure_segment(atlas, s) for s in segs]
        km_by_status: dict[str, float] = {}
        for s, m in zip(segs, measures, strict=True):
            km_by_status[s.status] = km_by_status.get(s.status, 0.0) + m.length_km
        countries = dict.fromkeys(c for m in measures for c in m.countries)
        rows.append(
            {
                "id": cor.id,
                "name": cor.name,
                "parent": cor.parent,
                "platform": cor.platform,
                "segment_count": len(segs),
                "length_km": round(sum(m.length_km for m in measures), 1),
                "effective_length_km": round(sum(m.effective_length_km for m in measures), 1),
                "statuses": _join(km_by_status),
                "operational_km": round(km_by_status.get("operational", 0.0), 1),
                "countries": _join(sorted(countries)),
                "modes": _join(dict.fromkeys(s.mode for s in segs)),
                "description": cor.description,
            }
        )
        geoms.append(MultiLineString([s.coords for s in segs]) if segs else None)
    return rows, geoms


def _platform_rows(atlas: Atlas) -> tuple[list[dict[str, Any]], list[Any]]:
    import shapely

    polygons = getattr(atlas.countries, "polygons", {})
    rows, geoms = [], []
    for p in atlas.platforms.values():
        cors = [c.id for c in atlas.corridors.values() if c.platform == p.id]
        rows.append(
            {
                "id": p.id,
                "name": p.name,
                "members": _join(p.members),
                "member_count": len(p.members),
                "status": p.status,
                "proposed": p.proposed,
                "proposed_by": p.proposed_by,
                "purpose": p.purpose,
                "meeting_count": len(p.meetings),
                "last_meeting": p.meetings[-1].date if p.meetings else None,
                "corridors": _join(cors),
            }
        )
        shapes = [polygons[c] for c in p.members if c in polygons]
        geoms.append(shapely.union_all(shapes) if shapes else None)
    return rows, geoms


def _project_rows(atlas: Atlas) -> tuple[list[dict[str, Any]], list[Any]]:
    import shapely

    rows, geoms = [], []
    for p in atlas.projects.values():
        first = p.status_history[0].date if p.status_history else None
        opened = next((h.date for h in p.status_history if h.status == "operational"), None)
        rows.append(
            {
                "id": p.id,
                "name": p.name,
                "sector": p.sector,
                "country": p.country,
                "status": p.status,
                "first_dated": first,
                "operational_since": opened,
                "precision": p.precision,
                "capacity": p.capacity,
                "capacity_unit": p.capacity_unit,
                "mw": p.mw,
                "cost_usd_m": p.cost_usd_m,
                "cost_year": p.cost_year,
                "financiers": _join(p.financiers, "; "),
                "corridors": _join(p.corridors),
                "aiddata_id": p.aiddata_id,
                "source_count": len(p.sources),
            }
        )
        geoms.append(
            shapely.LineString(p.coords) if len(p.coords) > 1 else shapely.Point(p.coords[0])
        )
    return rows, geoms


_ROWS: dict[str, Callable[[Atlas], tuple[list[dict[str, Any]], list[Any]]]] = {
    "nodes": _node_rows,
    "segments": _segment_rows,
    "corridors": _corridor_rows,
    "platforms": _platform_rows,
    "projects": _project_rows,
}


def atlas_geodataframe(atlas: Atlas, kind: str) -> gpd.GeoDataFrame:
    """One row per entity of ``kind`` ("nodes", "segments", "corridors", "platforms" or
    "projects").

    Parameters
    ----------
    atlas : Atlas
    kind : {"nodes", "segments", "corridors", "platforms", "projects"}

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by ``id``, file order, EPSG:4326. Nodes are points (with their country
        and its name); segments lines (mode, status, measured ``length_km``, published
        and effective km, ``countries`` in travel order, first corridor…); corridors the
        lines of their segments and their descendants' (km, statuses, countries, modes);
        platforms the union of their member countries (``None`` without a borders file);
        projects their point (a line for a schematic one) with sector, status, the dates
        of the first history entry and of the first ``operational`` one, capacity (``mw``
        when in MW), cost in million US$ and its year, financiers and corridors.

    Raises
    ------
    ValueError
        For another ``kind``, naming the allowed ones.
    """
    import geopandas as gpd

    build = _ROWS.get(kind) if isinstance(kind, str) else None
    if build is None:
        guess = did_you_mean(str(kind), FRAME_KINDS)
        raise ValueError(
            f"unknown kind {kind!r} for to_geodataframe; hint: "
            + (f"{guess} " if guess else "")
            + "allowed kinds: "
            + ", ".join(FRAME_KINDS)
        )
    rows, geoms = build(atlas)
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    return frame.set_index("id") if len(frame) else frame


def scenario_geodataframe(
    atlas: Atlas, scenario: Scenario | str | os.PathLike[str] | None = None
) -> gpd.GeoDataFrame:
    """The scenario's segments with computed attributes as a GeoDataFrame (EPSG:4326).

    One row per run of equally open or closed pieces of each segment in the scenario
    (``closed``, ``closed_by``, the scenario ``status``, effective ``length_km``,
    ``hours``…; see :func:`corridors.maps.features.segment_features`). List-valued
    properties (countries, closed_by, chokepoints, gauge_mm) are joined into strings
    (``"PAK>IRN"``) so every format can store them.
    """
    import geopandas as gpd

    from corridors.maps.features import segment_features
    from corridors.network.graph import build_network
    from corridors.scenario.bundled import scenario_from_arg

    feats = segment_features(build_network(atlas, scenario_from_arg(scenario, atlas=atlas)))
    for f in feats:
        props = f["properties"]
        props["countries"] = ">".join(props["countries"])
        props["closed_by"] = "; ".join(props["closed_by"])
        props["chokepoints"] = ",".join(props["chokepoints"])
        props["gauge_mm"] = ",".join(map(str, props["gauge_mm"] or []))
    cols = list(feats[0]["properties"]) if feats else ["id"]
    return gpd.GeoDataFrame.from_features(feats, crs="EPSG:4326", columns=[*cols, "geometry"])


def atlas_html(atlas: Atlas) -> str:
    """The atlas as a short HTML summary (``Atlas._repr_html_``), every value escaped.

    Counts of nodes, segments (by status), corridors, platforms and countries, then the
    corridors and platforms by name. Nothing is measured, so it shows at once.
    """
    by_status: dict[str, int] = {}
    for seg in atlas.segments.values():
        by_status[seg.status] = by_status.get(seg.status, 0) + 1
    codes = getattr(atlas.countries, "codes", None)
    facts = [
        ("nodes", f"{len(atlas.nodes)} ({len(atlas.waypoints)} waypoints)"),
        (
            "segments",
            f"{len(atlas.segments)} ("
            + ", ".join(f"{n} {st}" for st, n in by_status.items())
            + ")",
        ),
        ("corridors", str(len(atlas.corridors))),
        ("platforms", str(len(atlas.platforms))),
        ("countries", str(len(codes)) if codes is not None else "—"),
        ("geodata", atlas.root or "—"),
    ]
    rows = "".join(
        f"<tr><th style='text-align:left'>{esc(k)}</th><td style='text-align:left'>{esc(v)}"
        "</td></tr>"
        for k, v in facts
    )
    corridors = "".join(
        f"<li>{esc(c.name)} <code>{esc(c.id)}</code>: {len(c.segments)} segments"
        + (
            f", in {esc(atlas.corridors[c.parent].name)}"
            if c.parent is not None and c.parent in atlas.corridors
            else ""
        )
        + "</li>"
        for c in atlas.corridors.values()
    )
    platforms = "".join(
        f"<li>{esc(p.name)} <code>{esc(p.id)}</code>: {esc(', '.join(p.members))}</li>"
        for p in atlas.platforms.values()
    )
    return (
        "<details open><summary><b>Atlas</b></summary>"
        f"<table>{rows}</table>"
        f"<details><summary>corridors</summary><ul>{corridors}</ul></details>"
        f"<details><summary>platforms</summary><ul>{platforms}</ul></details>"
        "<p>Tables: <code>atlas.to_geodataframe(kind)</code>, kind one of "
        + esc(", ".join(FRAME_KINDS))
        + "</p></details>"
    )
