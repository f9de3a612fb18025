"""Parser of project records (``projects.geojson``): power plants, lines, zones, ports….

A project is a GeoJSON feature: a ``Point`` (its site, or the town it is at), a
``LineString`` (a line drawn through known places) or a ``Polygon``/``MultiPolygon``
footprint (kept as its representative point). Its ``precision`` says which: ``footprint``,
``site``, ``town`` or ``schematic`` (:data:`corridors.vocab.PROJECT_PRECISIONS`); a line is
always ``schematic`` and a polygon always ``footprint``. Capacity is ``capacity`` with a
``capacity_unit``, cost ``cost_usd_m`` (million US$) with its ``cost_year``; ``corridors``
are ids of ``corridors.toml``. A project built on a link of the network names it in
``segment`` (with a null geometry) and takes that segment's line.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from corridors.errors import MISSING, did_you_mean
from corridors.io.geodata import fields
from corridors.io.geodata.context import Context, IdRegistry, Parsed, Record
from corridors.io.geodata.geometry import line_positions, point_position, polygon
from corridors.model import Project, Segment
from corridors.vocab import PROJECT_PRECISIONS, PROJECT_SECTORS, PROJECT_UNITS, STATUSES

__all__ = ["PROJECT_KEYS", "parse_project"]

#: Properties of a project feature.
PROJECT_KEYS = (
    "id",
    "name",
    "sector",
    "country",
    "status",
    "status_history",
    "precision",
    "capacity",
    "capacity_unit",
    "cost_usd_m",
    "cost_year",
    "financiers",
    "corridors",
    "aiddata_id",
    "segment",
    "note",
    "sources",
)

#: The precision a line and an area take (a point takes any other).
_LINE_PRECISION = "schematic"
_AREA_PRECISION = "footprint"


def _position(
    rec: Record,
    ident: str | None,
    precision: str | None,
    cap: int,
    segments: Mapping[str, Segment],
) -> Any:
    """The positions of the record's geometry (or of its ``segment``), checked against its
    precision class."""
    gctx = rec.geometry_ctx.about(ident)
    geom = rec.geometry
    gtype = geom.get("type") if isinstance(geom, Mapping) else None
    ref = rec.props.get("segment")
    want: str | None = None
    pos: list[tuple[float, float]] | None
    if ref is not None:
        sctx = rec.props_ctx.about(ident).at("segment")
        if geom is not None:
            sctx.error(
                "segment",
                ref,
                "a project on a segment takes the segment's line: its geometry must be null",
                "write \"geometry\": null, or drop 'segment'",
                code="segment-and-geometry",
            )
            return None
        if not isinstance(ref, str) or ref not in segments:
            sctx.error(
                "segment",
                ref,
                f"unknown segment {ref!r}",
                (did_you_mean(ref, segments) if isinstance(ref, str) else None)
                or "use a segment id of segments.geojson",
                code="unknown-segment",
            )
            return None
        pos = list(segments[ref].coords)
        gtype, want = "LineString", _LINE_PRECISION
    elif gtype == "LineString":
        pos = line_positions(geom, gctx, cap=cap)
        want = _LINE_PRECISION
    elif gtype in ("Polygon", "MultiPolygon"):
        shape = polygon(geom, gctx)
        pos = None
        if shape is not None:
            p = shape.representative_point()
            pos = [(round(p.x, 6) + 0.0, round(p.y, 6) + 0.0)]
        want = _AREA_PRECISION
    else:
        one = point_position(geom, gctx)  # reports a missing or other geometry
        pos = [one] if one is not None else None
    if pos is None or precision is None:
        return pos
    bad = precision != want if want is not None else precision == _LINE_PRECISION
    if bad:
        expect = want or "footprint, site or town"
        rec.props_ctx.about(ident).at("precision").error(
            "precision",
            precision,
            f"precision '{precision}' does not fit a {gtype} geometry",
            f"a {gtype} takes precision '{expect}'",
            code="precision-geometry",
        )
        return None
    return pos


def _capacity(p: Mapping[str, Any], ctx: Context) -> tuple[float | None, str | None, bool]:
    cap = fields.number(p, "capacity", ctx)
    unit = fields.choice(p, "capacity_unit", PROJECT_UNITS, ctx) if "capacity_unit" in p else None
    bad = ctx.failed
    if cap is not None and unit is None and "capacity_unit" not in p:
        ctx.at("capacity_unit").error(
            "capacity_unit",
            MISSING,
            "a capacity needs its unit",
            "add capacity_unit, one of " + ", ".join(PROJECT_UNITS),
            code="missing-field",
        )
        bad = True
    if unit is not None and cap is None and "capacity" not in p:
        ctx.at("capacity").error(
            "capacity", MISSING, "capacity_unit without a capacity", code="missing-field"
        )
        bad = True
    return cap, unit, bad


def _cost(p: Mapping[str, Any], ctx: Context) -> tuple[float | None, int | None, bool]:
    """``(cost_usd_m, cost_year, bad)``: a cost in million US$ and the year of its dollars."""
    cost = fields.number(p, "cost_usd_m", ctx)
    raw_year = fields.number(p, "cost_year", ctx, integer=True)
    year = int(raw_year) if raw_year is not None else None
    bad = False
    if year is not None and not 1800 <= year <= 2100:
        ctx.at("cost_year").error(
            "cost_year", year, "cost_year out of range", "a year from 1800 to 2100", code="bad-year"
        )
        year, bad = None, True
    if ("cost_usd_m" in p) != ("cost_year" in p):
        missing = "cost_usd_m" if "cost_year" in p else "cost_year"
        ctx.at(missing).error(
            missing,
            MISSING,
            "a cost needs the year of its US$"
            if missing == "cost_year"
            else "a year without a cost",
            "give cost_usd_m (million US$) and cost_year together",
            code="missing-field",
        )
        bad = True
    return cost, year, bad


def parse_project(
    rec: Record,
    ids: IdRegistry,
    corridors: Collection[str],
    segments: Mapping[str, Segment],
    *,
    max_vertices: int,
    invalid: Collection[str] = (),
) -> Parsed[Project]:
    """A :class:`~corridors.model.Project` from one feature; its id is registered in ``ids``
    as ``project:<id>``.

    ``corridors`` are the corridor ids it may name (empty = not checked); ``invalid`` holds
    ids of corridors that failed their own checks (not reported again).
    """
    rec = rec.collecting()
    p = rec.props
    ident = fields.ident(p, rec.props_ctx)
    c = rec.props_ctx.about(ident)
    for key in p:
        if key not in PROJECT_KEYS:
            c.at(key).error(
                key,
                MISSING,
                f"unknown project property '{key}'",
                did_you_mean(key, PROJECT_KEYS) or "see docs/geodata-schema.md (projects)",
                code="unknown-key",
            )
    name = fields.text(p, "name", c)
    sector = fields.choice(p, "sector", PROJECT_SECTORS, c)
    country = fields.iso3(p, "country", c)
    status = fields.choice(p, "status", STATUSES, c)
    history = fields.status_history(p, status, c, STATUSES)
    precision = fields.choice(p, "precision", PROJECT_PRECISIONS, c)
    coords = _position(rec, ident, precision, max_vertices, segments)
    capacity, unit, bad_capacity = _capacity(p, c)
    cost, year, bad_cost = _cost(p, c)
    financiers = fields.str_list(p, "financiers", c)
    cors = fields.str_list(p, "corridors", c)
    bad_ref = False
    for j, cid in enumerate(cors):
        if corridors and cid not in corridors:
            bad_ref = True
            if cid not in invalid:
                c.at("corridors").at(j).error(
                    "corridors",
                    cid,
                    f"unknown corridor '{cid}'",
                    did_you_mean(cid, corridors) or "use a corridor id of corridors.toml",
                    code="unknown-corridor",
                )
    aiddata = fields.number(p, "aiddata_id", c, integer=True)
    note = fields.text(p, "note", c, required=False)
    srcs = fields.sources(p, c)
    problems = rec.problems
    if ident is None or not ids.register(f"project:{ident}", rec.ctx):
        return Parsed(None, problems)
    if rec.ctx.failed or bad_capacity or bad_cost or bad_ref or not srcs:
        return Parsed(None, problems)
    if name is None or sector is None or country is None or status is None:
        return Parsed(None, problems)
    if precision is None or coords is None:
        return Parsed(None, problems)
    project = Project(
        id=ident,
        name=name,
        sector=sector,
        country=country,
        status=status,
        coords=tuple(coords),
        precision=precision,
        capacity=capacity if unit is not None else None,
        capacity_unit=unit if capacity is not None else None,
        cost_usd_m=cost if year is not None else None,
        cost_year=year if cost is not None else None,
        financiers=tuple(dict.fromkeys(financiers)),
        status_history=history,
        corridors=tuple(dict.fromkeys(cors)),
        aiddata_id=int(aiddata) if aiddata is not None else None,
        note=note,
        sources=srcs,
    )
    return Parsed(project, problems)
