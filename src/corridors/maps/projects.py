"""The projects layers of the atlas map: one layer per sector, under "Projects".

Each project is drawn at its point (or along its line, for a schematic one) with the
properties the ``projects`` role sends to the page (:func:`corridors.render.prepare.
prepare_projects`): its status and dated history (the year filter hides a project before
its first dated entry), and a popup with capacity, cost, financiers, corridors, position
precision and sources.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corridors.maps.features import feature_collection
from corridors.maps.tree import GROUP_PROJECTS
from corridors.model import Atlas, Project
from corridors.vocab import PROJECT_SECTORS

if TYPE_CHECKING:  # pragma: no cover
    from corridors.render import LayerSpec

__all__ = ["GROUP_PROJECTS", "PRECISION_TEXT", "SECTOR_TITLES", "project_feature", "project_layers"]

#: Layer titles of the sectors.
SECTOR_TITLES = {
    "power": "Power plants",
    "transmission": "Transmission lines",
    "pipeline": "Pipelines",
    "sez": "Special economic zones",
    "port": "Port facilities",
    "airport": "Airports (projects)",
    "road": "Roads and motorways (projects)",
    "rail": "Railways (projects)",
    "fibre": "Optical fibre",
    "other": "Other projects",
}

#: What each position precision means, as the popup says it.
PRECISION_TEXT = {
    "footprint": "footprint — a point of the project's mapped footprint (AidData / OpenStreetMap)",
    "site": "site — the project's own published coordinate",
    "area": "area — a point of the area the project is in (see note), not its site",
    "town": "town — the town the project is at or named after, not its site",
    "schematic": "schematic — drawn through known places (alignment approximate)",
}


def _amount(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def project_feature(atlas: Atlas, project: Project) -> dict[str, Any]:
    """GeoJSON feature of a project, with the properties its popup shows."""
    coords = [list(c) for c in project.coords]
    geometry: dict[str, Any] = (
        {"type": "LineString", "coordinates": coords}
        if len(coords) > 1
        else {"type": "Point", "coordinates": coords[0]}
    )
    names = [atlas.corridors[c].name if c in atlas.corridors else c for c in project.corridors]
    props: dict[str, Any] = {
        "id": project.id,
        "name": project.name,
        "sector": project.sector,
        "status": project.status,
        "status_history": [{"date": h.date, "status": h.status} for h in project.status_history],
        "corridor_name": "; ".join(names),
        "countries": [project.country],
        "precision": PRECISION_TEXT.get(project.precision, project.precision),
        "sources": [
            {"url": s.url, "title": s.title, "accessed": s.accessed} for s in project.sources
        ],
    }
    if project.capacity is not None and project.capacity_unit is not None:
        props["capacity"] = f"{_amount(project.capacity)} {project.capacity_unit}"
    if project.financiers:
        props["financier"] = "; ".join(project.financiers)
    if project.cost_usd_m is not None:
        props["cost_usd_bn"] = f"{project.cost_usd_m / 1000:.2f} ({project.cost_year} US$)"
    if project.note:
        props["note"] = project.note
    return {"type": "Feature", "geometry": geometry, "properties": props}


def project_layers(atlas: Atlas, *, start_order: int = 0) -> list[LayerSpec]:
    """One ``projects`` layer per sector that has projects, in sector order.

    A layer of points only has kind ``points``; one with a line (a schematic road or
    cable) has kind ``lines`` and draws its points as dots too.
    """
    from corridors.render import LayerSpec

    by_sector: dict[str, list[dict[str, Any]]] = {}
    for project in atlas.projects.values():
        by_sector.setdefault(project.sector, []).append(project_feature(atlas, project))
    layers = []
    for i, sector in enumerate(s for s in PROJECT_SECTORS if s in by_sector):
        feats = by_sector[sector]
        lines = any(f["geometry"]["type"] == "LineString" for f in feats)
        layers.append(
            LayerSpec(
                key=f"projects:{sector}",
                role="projects",
                title=SECTOR_TITLES.get(sector, sector),
                group=(GROUP_PROJECTS,),
                kind="lines" if lines else "points",
                features=feature_collection(feats),
                order=start_order + i + 1,
                visible=sector in ("power", "transmission"),
            )
        )
    return layers
