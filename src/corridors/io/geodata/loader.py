"""The orchestrator: find the files, run the parsers in dependency order, build the atlas."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from corridors.errors import GeodataError, InputFileError, Problem
from corridors.io.geodata import checks, placement
from corridors.io.geodata.context import Context, IdRegistry, Parsed, Record
from corridors.io.geodata.costs import parse_costs
from corridors.io.geodata.countries import load_countries
from corridors.io.geodata.events import EVENT_KEYS, parse_atlas_meta, parse_event
from corridors.io.geodata.geometry import feature_collection, max_vertices
from corridors.io.geodata.platforms import PLATFORM_KEYS, check_featured, parse_platform
from corridors.io.geodata.points import parse_node, parse_waypoint
from corridors.io.geodata.projects import parse_project
from corridors.io.geodata.segments import parse_segment
from corridors.io.geodata.services import SERVICE_KEYS, parse_service
from corridors.io.geodata.tables import (
    CORRIDOR_KEYS,
    ROUTE_KEYS,
    check_parent_cycles,
    parse_corridor,
    parse_hubs,
    parse_route,
    toml_tables,
)
from corridors.model import (
    Atlas,
    Corridor,
    Event,
    Node,
    Platform,
    Project,
    ReferenceRoute,
    Segment,
    Service,
    Waypoint,
)

__all__ = [
    "FILE_KINDS",
    "LoadResult",
    "bundled_geodata_dir",
    "classify_file",
    "load_atlas",
    "resolve_files",
    "validate_geodata",
]

#: Geodata file kinds and their default file names.
FILE_KINDS: dict[str, str] = {
    "nodes": "nodes.geojson",
    "waypoints": "waypoints.geojson",
    "segments": "segments.geojson",
    "corridors": "corridors.toml",
    "platforms": "platforms.toml",
    "routes": "routes.toml",
    "countries": "countries.geojson",
    "hubs": "hubs.toml",
    "services": "services.toml",
    "events": "events.toml",
    "atlas": "atlas.toml",
    "costs": "costs.toml",
    "projects": "projects.geojson",
}
REQUIRED_KINDS = ("nodes", "segments")


def bundled_geodata_dir() -> Path:
    """Directory of the geodata shipped with the package.

    In a wheel the data sits in ``corridors/_geodata``; in a source checkout (editable
    install) it is the repository's ``geodata/`` folder.
    """
    packaged = resources.files("corridors").joinpath("_geodata")
    if packaged.is_dir():
        return Path(str(packaged))
    here = Path(__file__).resolve()
    candidate = here.parents[4] / "geodata"
    if candidate.is_dir():
        return candidate
    raise InputFileError(
        f"bundled geodata not found (looked in {packaged} and {candidate}); "
        "hint: reinstall corridors"
    )


def classify_file(path: str | os.PathLike[str]) -> str | None:
    """Kind of a geodata file from its name (``nodes``, ``segments``…), or ``None``.

    Examples
    --------
    >>> classify_file("my-nodes.geojson"), classify_file("hubs.toml"), classify_file("x.csv")
    ('nodes', 'hubs', None)
    """
    stem = Path(path).name.lower()
    for kind, default in FILE_KINDS.items():
        suffix = Path(default).suffix
        if stem.endswith(suffix) and kind in stem.removesuffix(suffix):
            return kind
    return None


@dataclass
class LoadResult:
    """Outcome of validation: the atlas (``None`` when errors prevent building it) and problems."""

    atlas: Atlas | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of severity ``warning``."""
        return [p for p in self.problems if p.severity == "warning"]


def _collect(parsed: Parsed[Any], problems: list[Problem]) -> Any:
    problems.extend(parsed.problems)
    return parsed.value


def _run(files: Mapping[str, Path]) -> LoadResult:
    problems: list[Problem] = []
    ids = IdRegistry()
    cap = max_vertices()

    def ctx(kind: str) -> Context:
        path = files.get(kind)
        return Context(str(path) if path is not None else "", toml=kind in _TOML, problems=problems)

    countries = (
        load_countries(files["countries"], ctx("countries")) if "countries" in files else None
    )

    def features(kind: str) -> list[Record]:
        if kind not in files:
            return []
        c = ctx(kind)
        return [Record.from_feature(i, f, c) for i, f in feature_collection(files[kind], c)]

    # where each point / segment was read (its geometry), for the placement checks
    where: dict[str, Context] = {}
    nodes: dict[str, Node] = {}
    for rec in features("nodes"):
        node = _collect(parse_node(rec, ids), problems)
        if node is not None:
            nodes[node.id] = node
            where[node.id] = rec.geometry_ctx.about(node.id)
    waypoints: dict[str, Waypoint] = {}
    for rec in features("waypoints"):
        wp = _collect(parse_waypoint(rec, ids), problems)
        if wp is not None:
            waypoints[wp.id] = wp
            where[wp.id] = rec.geometry_ctx.about(wp.id)
    points: dict[str, Any] = {**waypoints, **nodes}
    segments: dict[str, Segment] = {}
    for rec in features("segments"):
        seg = _collect(parse_segment(rec, ids, points, nodes, max_vertices=cap), problems)
        if seg is not None:
            segments[seg.id] = seg
            where[seg.id] = rec.geometry_ctx.about(seg.id)

    corridors: dict[str, Corridor] = {}
    if "corridors" in files:
        tables = toml_tables(files["corridors"], ctx("corridors"), "corridor", CORRIDOR_KEYS)
        known = {str(item.get("id")) for _, item in tables}
        for tctx, item in tables:
            cor = _collect(parse_corridor(item, tctx, ids, segments, known), problems)
            if cor is not None:
                corridors[cor.id] = cor
        check_parent_cycles(corridors, ctx("corridors").at("corridor"))

    platforms: dict[str, Platform] = {}
    featured: str | None = None
    if "platforms" in files:
        located = []
        tables = toml_tables(files["platforms"], ctx("platforms"), "platform", PLATFORM_KEYS)
        for tctx, item in tables:
            plat = _collect(parse_platform(item, tctx, ids, nodes, countries), problems)
            if plat is not None:
                platforms[plat.id] = plat
                located.append((tctx, plat))
        featured = check_featured(located)

    routes: dict[str, ReferenceRoute] = {}
    if "routes" in files:
        for tctx, item in toml_tables(files["routes"], ctx("routes"), "route", ROUTE_KEYS):
            route = _collect(parse_route(item, tctx, ids, segments), problems)
            if route is not None:
                routes[route.id] = route

    hubs: tuple[str, ...] = ()
    if "hubs" in files:
        invalid = ids.declared - nodes.keys() - waypoints.keys() - segments.keys()
        hubs = _collect(parse_hubs(files["hubs"], ctx("hubs"), nodes, invalid), problems) or ()

    invalid_refs = ids.declared - nodes.keys() - waypoints.keys() - segments.keys()
    services: dict[str, Service] = {}
    if "services" in files:
        for tctx, item in toml_tables(files["services"], ctx("services"), "service", SERVICE_KEYS):
            svc = _collect(parse_service(item, tctx, ids, segments, nodes, invalid_refs), problems)
            if svc is not None:
                services[svc.id] = svc
    events: dict[str, Event] = {}
    if "events" in files:
        codes: set[str] = {n.country for n in nodes.values()}
        if countries is not None:
            codes.update(countries.codes)
        for tctx, item in toml_tables(files["events"], ctx("events"), "event", EVENT_KEYS):
            ev = _collect(
                parse_event(item, tctx, ids, nodes, segments, codes, invalid_refs), problems
            )
            if ev is not None:
                events[ev.id] = ev
    projects: dict[str, Project] = {}
    if "projects" in files:
        bad_cors = {
            i.removeprefix("corridor:") for i in ids.declared if i.startswith("corridor:")
        } - corridors.keys()
        for rec in features("projects"):
            proj = _collect(
                parse_project(
                    rec, ids, corridors.keys(), segments, max_vertices=cap, invalid=bad_cors
                ),
                problems,
            )
            if proj is not None:
                projects[proj.id] = proj
                if len(proj.coords) == 1:  # a site or town point: checked like a node
                    where[f"project:{proj.id}"] = rec.geometry_ctx.about(proj.id)
    as_of: str | None = None
    if "atlas" in files:
        as_of = _collect(parse_atlas_meta(files["atlas"], ctx("atlas")), problems)
    costs = None
    if "costs" in files:
        invalid = ids.declared - nodes.keys() - waypoints.keys() - segments.keys()
        costs = _collect(
            parse_costs(files["costs"], ctx("costs"), nodes, segments, corridors, invalid),
            problems,
        )

    if "platforms" in files:
        checks.check_platform_refs(corridors, platforms, ctx("corridors").at("corridor"))
    if "corridors" in files:
        checks.check_segments_in_corridors(segments, corridors, ctx("segments"))
    if countries is not None:
        placement.check_points_in_countries(nodes, countries, where)
        placement.check_points_in_countries(waypoints, countries, where)
        placement.check_lines_in_countries(segments, points, countries, where)
        placement.check_points_in_countries(_project_points(projects), countries, where)
    if any(p.severity == "error" for p in problems):
        return LoadResult(None, problems)
    root = os.path.commonpath([str(p.parent.resolve()) for p in files.values()]) if files else ""
    atlas = Atlas(
        nodes=nodes,
        waypoints=waypoints,
        segments=segments,
        corridors=corridors,
        platforms=platforms,
        routes=routes,
        countries=countries,
        root=root,
        hubs=hubs,
        featured_platform=featured,
        services=services,
        events=events,
        as_of=as_of,
        costs=costs,
        projects=projects,
    )
    return LoadResult(atlas, problems)


def _project_points(projects: Mapping[str, Project]) -> dict[str, Any]:
    """Point projects as the placement check reads points (``id`` prefixed ``project:``)."""
    return {
        f"project:{p.id}": SimpleNamespace(
            id=f"project:{p.id}", lon=p.coords[0][0], lat=p.coords[0][1], country=p.country
        )
        for p in projects.values()
        if len(p.coords) == 1
    }


_TOML = frozenset(k for k, name in FILE_KINDS.items() if name.endswith(".toml"))


def _is_special(path: Path) -> bool:
    """True for an existing path that is neither a regular file nor a directory."""
    return path.exists() and not path.is_dir() and not path.is_file()


def resolve_files(paths: Sequence[str | os.PathLike[str]]) -> dict[str, Path]:
    """Map file kinds to paths: bundled defaults, overridden by given directories/files.

    A directory replaces the bundled set (``nodes`` and ``segments`` must be in it, or be
    given as files); single files replace one kind each.
    """
    files: dict[str, Path] = {}
    given: list[Path] = [Path(p).expanduser() for p in paths]
    base = bundled_geodata_dir()
    dirs = [p for p in given if p.is_dir()]
    singles = [p for p in given if not p.is_dir()]
    if len(dirs) > 1:
        raise InputFileError("give at most one geodata directory")
    root = dirs[0] if dirs else base
    for kind, name in FILE_KINDS.items():
        if (root / name).is_file() or _is_special(root / name):
            # a FIFO or device under a geodata name is refused by the reader, not skipped
            files[kind] = root / name
        elif dirs and kind in REQUIRED_KINDS and not any(classify_file(s) == kind for s in singles):
            raise InputFileError(
                f"{(root / name).resolve()}: required geodata file not found in {root.resolve()}"
            )
    if dirs:
        _refuse_misspelt(root)
    given_kind: dict[str, Path] = {}
    for s in singles:
        if not s.exists():
            raise InputFileError(f"{s.resolve()}: file not found; hint: check the path")
        single_kind = classify_file(s)
        if single_kind is None:
            raise InputFileError(
                f"{s.resolve()}: cannot tell what kind of geodata this is; hint: name it like "
                + ", ".join(FILE_KINDS.values())
            )
        if single_kind in given_kind:
            raise InputFileError(
                f"{s.resolve()}: a second {single_kind} file (after "
                f"{given_kind[single_kind].resolve()}); only one would be read; hint: give one "
                f"{single_kind} file per run"
            )
        given_kind[single_kind] = s
        files[single_kind] = s
    return files


def _refuse_misspelt(root: Path) -> None:
    """Refuse a file in a geodata directory whose name is close to, but not, a known one."""
    from corridors.errors import did_you_mean

    # disputed.geojson is read by corridors.geo.disputed, not by this loader
    known = set(FILE_KINDS.values()) | {"disputed.geojson"}
    for f in sorted(root.iterdir()):
        if f.name in known or f.suffix.lower() not in (".geojson", ".json", ".toml"):
            continue
        guess = did_you_mean(f.name, known)
        if guess is not None:
            raise InputFileError(
                f"{f.resolve()}: not a geodata file name, so it would be ignored; hint: "
                f"{guess} known names: {', '.join(FILE_KINDS.values())}"
            )


def validate_geodata(paths: Sequence[str | os.PathLike[str]] = ()) -> LoadResult:
    """Run every check on the bundled geodata, or on the given directory/files.

    Files are matched to their kind by name (``nodes``, ``segments``…); kinds not given
    come from the bundled geodata, so a single edited file is checked against the rest.

    Returns
    -------
    LoadResult
        The atlas (``None`` on errors) and every problem found.

    Raises
    ------
    InputFileError
        When a given path does not exist or cannot be classified.
    """
    return _run(resolve_files(paths))


def load_atlas(path: str | os.PathLike[str] | None = None) -> Atlas:
    """Load and validate geodata (the bundled set by default).

    Parameters
    ----------
    path : path-like, optional
        A geodata directory. ``None`` loads the data shipped with corridors.

    Returns
    -------
    Atlas

    Raises
    ------
    GeodataError
        Listing every problem when validation fails.

    Examples
    --------
    >>> atlas = load_atlas()
    >>> "gwadar_port" in atlas.nodes
    True
    """
    result = validate_geodata([path] if path is not None else [])
    if result.atlas is None:
        raise GeodataError(result.problems)
    return result.atlas
