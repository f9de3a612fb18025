"""Km of links, corridors and routes inside disputed areas, under each worldview.

Every length is the geodesic length (``pyproj.Geod``) of the parts of a land link's drawn
line clipped to a disputed area of ``disputed.geojson``
(:mod:`corridors.geo.disputed`). ``effective_km`` scales it by the link's effective /
geodesic ratio, like every other effective length. Under each worldview an area belongs
to one country; ``contested_km_<worldview>`` counts the km in areas the worldview gives
to another state than the one that holds them (e.g. the Karakoram Highway through
Gilgit-Baltistan: 0 under ``deu`` and ``pak``, all of it under ``ind``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridors.geo.disputed import (
    DEFAULT_WORLDVIEW,
    WORLDVIEW_LABELS,
    WORLDVIEWS,
    DisputedPart,
    disputed_for,
    parse_worldview,
)
from corridors.geo.geodesy import line_length_km
from corridors.geo.measure import LAND_MODES, measure_segment
from corridors.textsafe import md_text

if TYPE_CHECKING:  # pragma: no cover
    from corridors.model import Atlas
    from corridors.network.route import Route

__all__ = [
    "corridor_disputed",
    "disputed_markdown",
    "disputed_parts",
    "route_disputed",
    "segment_disputed",
    "worldview_list",
]


def worldview_list(values: Iterable[str] | None) -> tuple[str, ...]:
    """Canonical worldviews, in :data:`WORLDVIEWS` order (all of them for ``None``/empty)."""
    picked = {parse_worldview(v) for v in (values or ())}
    return tuple(w for w in WORLDVIEWS if w in picked) or WORLDVIEWS


def segment_disputed(atlas: Atlas, segment_id: str) -> list[DisputedPart]:
    """Disputed parts of one land link's drawn line (``[]`` for sea, ferry and air)."""
    layer = disputed_for(atlas)
    seg = atlas.segments[segment_id]
    if layer is None or seg.mode not in LAND_MODES:
        return []
    return layer.parts(seg.coords)


def _scale(atlas: Atlas, segment_id: str) -> float:
    m = measure_segment(atlas, atlas.segments[segment_id])
    return m.effective_length_km / m.length_km if m.length_km else 1.0


def _corridors_of(atlas: Atlas) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for cid in atlas.corridors:
        for sid in atlas.corridor_segments(cid):
            out.setdefault(sid, []).append(cid)
    return out


def disputed_parts(
    atlas: Atlas,
    segment_ids: Iterable[str] | None = None,
    worldviews: Sequence[str] = WORLDVIEWS,
) -> pd.DataFrame:
    """One row per (link, disputed area) with km inside the area.

    Columns: ``segment, name, area, area_name, admin, claimants, km, effective_km,
    corridors`` and one ``country_<worldview>`` column per worldview (the country the
    area belongs to under it). Sorted by segment id, then area id.
    """
    ids = sorted(segment_ids if segment_ids is not None else atlas.segments)
    of = _corridors_of(atlas)
    rows = []
    for sid in ids:
        for part in segment_disputed(atlas, sid):
            a = part.area
            row: dict[str, Any] = {
                "segment": sid,
                "name": atlas.segments[sid].name,
                "area": a.id,
                "area_name": a.name,
                "admin": a.admin,
                "claimants": list(a.claimants),
                "km": round(part.km, 1),
                "effective_km": round(part.km * _scale(atlas, sid), 1),
                "corridors": sorted(of.get(sid, [])),
            }
            for w in worldviews:
                row[f"country_{w}"] = a.country(w)
            rows.append(row)
    cols = ["segment", "name", "area", "area_name", "admin", "claimants", "km", "effective_km"]
    cols += ["corridors", *(f"country_{w}" for w in worldviews)]
    return pd.DataFrame(rows, columns=cols)


def corridor_disputed(
    atlas: Atlas,
    segment_ids: Iterable[str] | None = None,
    worldviews: Sequence[str] = WORLDVIEWS,
) -> pd.DataFrame:
    """Per corridor (with its descendants): km in disputed areas, and contested km.

    Columns: ``name, disputed_km, disputed_effective_km, areas`` and one
    ``contested_km_<worldview>`` per worldview. Only corridors with disputed km are listed.
    """
    layer = disputed_for(atlas)
    allowed = set(segment_ids) if segment_ids is not None else set(atlas.segments)
    rows = []
    for cid, c in atlas.corridors.items():
        km = eff = 0.0
        contested = dict.fromkeys(worldviews, 0.0)
        areas: set[str] = set()
        for sid in sorted(set(atlas.corridor_segments(cid)) & allowed):
            scale = None
            for part in segment_disputed(atlas, sid):
                scale = _scale(atlas, sid) if scale is None else scale
                km += part.km
                eff += part.km * scale
                areas.add(part.area.name)
                for w in worldviews:
                    if part.area.contested_under(w):
                        contested[w] += part.km
        if km > 0.0:
            row: dict[str, Any] = {
                "corridor": cid,
                "name": c.name,
                "disputed_km": round(km, 1),
                "disputed_effective_km": round(eff, 1),
                "areas": sorted(areas),
            }
            row.update({f"contested_km_{w}": round(v, 1) for w, v in contested.items()})
            rows.append(row)
    cols = ["corridor", "name", "disputed_km", "disputed_effective_km", "areas"]
    cols += [f"contested_km_{w}" for w in worldviews]
    df = pd.DataFrame(rows, columns=cols).set_index("corridor")
    return df if layer is not None else df.iloc[0:0]


def route_disputed(
    atlas: Atlas, route: Route, worldviews: Sequence[str] = WORLDVIEWS
) -> list[dict[str, Any]]:
    """Km of a route's land legs inside each disputed area (area id order).

    Each entry: ``area, area_name, admin, claimants, km`` (geodesic), ``effective_km``
    (scaled like the leg's length) and ``country`` (worldview → ISO3).
    """
    layer = disputed_for(atlas)
    if layer is None:
        return []
    acc: dict[str, dict[str, Any]] = {}
    for leg in route.legs:
        if leg.mode not in LAND_MODES:
            continue
        geo = line_length_km(leg.coords)
        scale = leg.length_km / geo if geo else 1.0
        for part in layer.parts(leg.coords):
            a = part.area
            e = acc.setdefault(
                a.id,
                {
                    "area": a.id,
                    "area_name": a.name,
                    "admin": a.admin,
                    "claimants": list(a.claimants),
                    "km": 0.0,
                    "effective_km": 0.0,
                    "country": {w: a.country(w) for w in worldviews},
                },
            )
            e["km"] += part.km
            e["effective_km"] += part.km * scale
    out = [acc[k] for k in sorted(acc)]
    for e in out:
        e["km"], e["effective_km"] = round(e["km"], 1), round(e["effective_km"], 1)
    return out


def disputed_markdown(
    by_corridor: pd.DataFrame, parts: pd.DataFrame, worldviews: Sequence[str]
) -> list[str]:
    """The report's "disputed areas" section as Markdown lines."""
    from corridors.analytics.common import markdown_table

    lines = ["## Km in disputed areas by worldview (geodesic km of the drawn lines)", ""]
    lines += [
        "Worldviews: "
        + "; ".join(f"`{w}` {md_text(WORLDVIEW_LABELS[w])}" for w in worldviews)
        + f" (default `{DEFAULT_WORLDVIEW}`). `contested_km_<worldview>`: km in areas that "
        "worldview gives to another state than the one holding them.",
        "",
    ]
    if by_corridor.empty:
        return [*lines, "No link of this scenario enters a disputed area.", ""]
    lines += [markdown_table(by_corridor), ""]
    lines += ["### Links in disputed areas", "", markdown_table(parts, index=False), ""]
    return lines
