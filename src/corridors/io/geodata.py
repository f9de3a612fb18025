"""Read and validate geodata files into an :class:`~corridors.model.Atlas`.

The loader runs every check, collects every problem (file, JSON pointer or TOML key,
entity id, field, value, hint) and raises one :class:`~corridors.errors.GeodataError`
listing them all. Warnings (e.g. a node just outside its declared country) are kept on the
result and never fail a load.
"""

from __future__ import annotations

import base64
import binascii
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry import shape
from shapely.validation import explain_validity

from corridors.errors import GeodataError, InputFileError, Problem, did_you_mean, short_repr
from corridors.geo.countries import CountryIndex
from corridors.io import cache as _cache
from corridors.io.read import check_position, read_json, read_toml, suggest_allowed
from corridors.model import (
    Atlas,
    Corridor,
    Meeting,
    Node,
    Platform,
    PublishedLength,
    ReferenceRoute,
    Segment,
    Source,
    StatusChange,
    Waypoint,
    is_valid_id,
    parse_partial_date,
)
from corridors.vocab import (
    CHOKEPOINT_KIND,
    ID_PATTERN,
    MODES,
    NODE_KINDS,
    NODE_PRECISIONS,
    PRECISIONS,
    STATUSES,
)

__all__ = [
    "FILE_KINDS",
    "LoadResult",
    "bundled_geodata_dir",
    "classify_file",
    "load_atlas",
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
}
_REQUIRED_KINDS = ("nodes", "segments")

#: Maximum vertices per feature before a geometry is rejected (display simplification is
#: separate; this caps what we accept at all). ``CORRIDORS_MAX_VERTICES`` overrides it.
DEFAULT_MAX_VERTICES = 50_000
#: How far (km) a segment's end may lie from its node before it "does not meet" it.
ENDPOINT_TOLERANCE_KM = 0.05
#: How far (km) outside its declared country a node may lie before a warning.
NODE_COUNTRY_TOLERANCE_KM = 10.0


def bundled_geodata_dir() -> Path:
    """Directory of the geodata shipped with the package.

    In a wheel the data sits in ``corridors/_geodata``; in a source checkout (editable
    install) it is the repository's ``geodata/`` folder.
    """
    packaged = resources.files("corridors").joinpath("_geodata")
    if packaged.is_dir():
        return Path(str(packaged))
    here = Path(__file__).resolve()
    candidate = here.parents[3] / "geodata"
    if candidate.is_dir():
        return candidate
    raise InputFileError(
        f"bundled geodata not found (looked in {packaged} and {candidate}); "
        "hint: reinstall corridors"
    )


def classify_file(path: str | os.PathLike[str]) -> str | None:
    """Kind of a geodata file from its name (``nodes``, ``segments``…), or ``None``."""
    stem = Path(path).name.lower()
    for kind, default in FILE_KINDS.items():
        suffix = Path(default).suffix
        if stem.endswith(suffix) and kind in stem.removesuffix(suffix):
            return kind
    return None


def _max_vertices() -> int:
    env = os.environ.get("CORRIDORS_MAX_VERTICES")
    if env and env.isdigit():
        return int(env)
    return DEFAULT_MAX_VERTICES


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


class _Loader:
    """Parses one set of files; every ``_check_*`` appends to ``self.problems``."""

    def __init__(self, files: Mapping[str, Path]):
        self.files = dict(files)
        self.problems: list[Problem] = []
        self.max_vertices = _max_vertices()
        # id -> (file, pointer) for duplicate detection across files
        self.id_seen: dict[str, tuple[str, str]] = {}
        # ids declared in the files, valid or not: references to an invalid feature are not
        # reported again as "unknown" (one problem per cause)
        self.declared: set[str] = set()

    # ------------------------------------------------------------------ helpers
    def err(
        self,
        file: str,
        where: str,
        entity: str | None,
        fld: str | None,
        value: Any,
        message: str,
        hint: str | None = None,
        *,
        code: str = "invalid",
        severity: str = "error",
    ) -> None:
        val = None if value is _MISSING else short_repr(value)
        self.problems.append(
            Problem(file, where, entity, fld, val, message, hint, severity=severity, code=code)
        )

    def str_field(
        self,
        d: Mapping[str, Any],
        key: str,
        *,
        file: str,
        ptr: str,
        entity: str | None,
        required: bool = True,
    ) -> str | None:
        if key not in d or d[key] is None:
            if required:
                self.err(
                    file,
                    f"{ptr}/{key}",
                    entity,
                    key,
                    _MISSING,
                    f"missing '{key}'",
                    f"add a non-empty '{key}' string",
                    code="missing-field",
                )
            return None
        v = d[key]
        if not isinstance(v, str) or not v.strip():
            self.err(
                file,
                f"{ptr}/{key}",
                entity,
                key,
                v,
                f"'{key}' must be a non-empty string",
                code="field-type",
            )
            return None
        return v

    def id_field(self, d: Mapping[str, Any], *, file: str, ptr: str, key: str = "id") -> str | None:
        v = d.get(key)
        if v is None:
            self.err(
                file,
                f"{ptr}/{key}",
                None,
                key,
                _MISSING,
                f"missing '{key}'",
                f"add an id matching {ID_PATTERN}",
                code="missing-id",
            )
            return None
        if not is_valid_id(v):
            hint = f"ids match {ID_PATTERN} (lower-case ASCII letters, digits, '-' and '_')"
            if (
                isinstance(v, str)
                and v.strip()
                and is_valid_id(v.strip().lower().replace(" ", "-"))
            ):
                hint += f"; did you mean '{v.strip().lower().replace(' ', '-')}'?"
            self.err(file, f"{ptr}/{key}", None, key, v, "invalid id", hint, code="bad-id")
            return None
        return v

    def register_id(self, ident: str, *, file: str, ptr: str) -> bool:
        self.declared.add(ident)
        if ident in self.id_seen:
            f0, p0 = self.id_seen[ident]
            self.err(
                file,
                ptr,
                ident,
                "id",
                ident,
                f"duplicate id '{ident}' (first defined at {f0} {p0})",
                "give each feature a unique id",
                code="duplicate-id",
            )
            return False
        self.id_seen[ident] = (file, ptr)
        return True

    def vocab(
        self,
        d: Mapping[str, Any],
        key: str,
        allowed: Sequence[str],
        *,
        file: str,
        ptr: str,
        entity: str | None,
        required: bool = True,
    ) -> str | None:
        v = d.get(key)
        if v is None:
            if required:
                self.err(
                    file,
                    f"{ptr}/{key}",
                    entity,
                    key,
                    _MISSING,
                    f"missing '{key}'",
                    "allowed: " + ", ".join(allowed),
                    code="missing-field",
                )
            return None
        if v not in allowed:
            self.err(
                file,
                f"{ptr}/{key}",
                entity,
                key,
                v,
                f"unknown {key} {v!r}",
                suggest_allowed(v, allowed),
                code=f"bad-{key}",
            )
            return None
        return v

    def number(
        self,
        d: Mapping[str, Any],
        key: str,
        *,
        file: str,
        ptr: str,
        entity: str | None,
        positive: bool = True,
        integer: bool = False,
    ) -> float | int | None:
        if key not in d or d[key] is None:
            return None
        v = d[key]
        if isinstance(v, bool) or not isinstance(v, int | float):
            self.err(
                file,
                f"{ptr}/{key}",
                entity,
                key,
                v,
                f"'{key}' must be a number",
                "write a number without quotes",
                code="field-type",
            )
            return None
        if not math.isfinite(v):
            self.err(
                file, f"{ptr}/{key}", entity, key, v, f"'{key}' must be finite", code="bad-number"
            )
            return None
        if integer and not float(v).is_integer():
            self.err(
                file,
                f"{ptr}/{key}",
                entity,
                key,
                v,
                f"'{key}' must be a whole number",
                code="field-type",
            )
            return None
        if positive and v <= 0:
            self.err(
                file,
                f"{ptr}/{key}",
                entity,
                key,
                v,
                f"'{key}' must be positive",
                "lengths, costs and gauges are > 0; omit the field when unknown",
                code="bad-number",
            )
            return None
        return int(v) if integer else float(v)

    def date_field(
        self,
        d: Mapping[str, Any],
        key: str,
        *,
        file: str,
        ptr: str,
        entity: str | None,
        required: bool = False,
    ) -> str | None:
        v = d.get(key)
        if v is None:
            if required:
                self.err(
                    file,
                    f"{ptr}/{key}",
                    entity,
                    key,
                    _MISSING,
                    f"missing '{key}'",
                    "write 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'",
                    code="missing-field",
                )
            return None
        if not isinstance(v, str):
            v_str = v.isoformat() if hasattr(v, "isoformat") else None
            if v_str is None:
                self.err(
                    file,
                    f"{ptr}/{key}",
                    entity,
                    key,
                    v,
                    f"'{key}' must be a date string",
                    "write 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' in quotes",
                    code="bad-date",
                )
                return None
            v = v_str
        try:
            parse_partial_date(v)
        except ValueError as exc:
            self.err(file, f"{ptr}/{key}", entity, key, v, str(exc), code="bad-date")
            return None
        return v

    def str_list(
        self, d: Mapping[str, Any], key: str, *, file: str, ptr: str, entity: str | None
    ) -> tuple[str, ...]:
        v = d.get(key, [])
        if v is None:
            return ()
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.err(
                file,
                f"{ptr}/{key}",
                entity,
                key,
                v,
                f"'{key}' must be a list of strings",
                code="field-type",
            )
            return ()
        return tuple(v)

    def sources(
        self, d: Mapping[str, Any], *, file: str, ptr: str, entity: str | None, key: str = "sources"
    ) -> tuple[Source, ...]:
        v = d.get(key)
        if not v:
            self.err(
                file,
                f"{ptr}/{key}",
                entity,
                key,
                v if v is not None else _MISSING,
                "feature has no source",
                "add sources = [{url = 'https://…', title = '…', accessed = 'YYYY-MM-DD'}]",
                code="no-source",
            )
            return ()
        if not isinstance(v, list):
            self.err(
                file, f"{ptr}/{key}", entity, key, v, "'sources' must be a list", code="field-type"
            )
            return ()
        out: list[Source] = []
        for j, s in enumerate(v):
            sp = f"{ptr}/{key}/{j}"
            if not isinstance(s, Mapping):
                self.err(
                    file,
                    sp,
                    entity,
                    key,
                    s,
                    "a source must be an object with 'url'",
                    code="field-type",
                )
                continue
            url = s.get("url")
            if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
                self.err(
                    file,
                    f"{sp}/url",
                    entity,
                    "url",
                    url if url is not None else _MISSING,
                    "source url must be an http(s) URL",
                    "cite a web page: https://…",
                    code="bad-source-url",
                )
                continue
            title = s.get("title", "")
            if not isinstance(title, str):
                self.err(
                    file,
                    f"{sp}/title",
                    entity,
                    "title",
                    title,
                    "'title' must be a string",
                    code="field-type",
                )
                title = ""
            accessed = self.date_field(s, "accessed", file=file, ptr=sp, entity=entity)
            out.append(Source(url=url, title=title, accessed=accessed))
        return tuple(out)

    # ------------------------------------------------------------------ GeoJSON
    def feature_collection(
        self, kind: str, *, sha256: list[str] | None = None
    ) -> list[tuple[int, dict[str, Any]]]:
        path = self.files.get(kind)
        if path is None:
            return []
        file = str(path)
        try:
            doc = read_json(path, sha256=sha256)
        except GeodataError as exc:
            self.problems.extend(exc.problems)
            return []
        except InputFileError as exc:
            self.err(file, "", None, None, None, str(exc), code="input-file")
            return []
        if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
            self.err(
                file,
                "/type",
                None,
                "type",
                doc.get("type") if isinstance(doc, dict) else type(doc).__name__,
                "expected a GeoJSON FeatureCollection",
                code="not-feature-collection",
            )
            return []
        crs = doc.get("crs")
        if crs is not None and not _is_wgs84_crs(crs):
            self.err(
                file,
                "/crs",
                None,
                "crs",
                crs,
                "coordinates must be WGS84 longitude/latitude (EPSG:4326 / CRS84)",
                "reproject the file to EPSG:4326 and drop the 'crs' member",
                code="bad-crs",
            )
            return []
        feats = doc.get("features")
        if not isinstance(feats, list):
            self.err(
                file,
                "/features",
                None,
                "features",
                feats,
                "'features' must be a list",
                code="field-type",
            )
            return []
        out = []
        for i, f in enumerate(feats):
            ptr = f"/features/{i}"
            if not isinstance(f, dict) or f.get("type") != "Feature":
                self.err(
                    file,
                    ptr,
                    None,
                    "type",
                    f if not isinstance(f, dict) else f.get("type"),
                    "expected a GeoJSON Feature",
                    code="not-feature",
                )
                continue
            if not isinstance(f.get("properties"), dict):
                self.err(
                    file,
                    f"{ptr}/properties",
                    None,
                    "properties",
                    f.get("properties"),
                    "feature has no properties object",
                    code="field-type",
                )
                continue
            out.append((i, f))
        return out

    def geometry_positions(
        self, f: dict[str, Any], expected: str, *, file: str, ptr: str, entity: str | None
    ) -> list[tuple[float, float]] | None:
        geom = f.get("geometry")
        gptr = f"{ptr}/geometry"
        if geom is None:
            self.err(
                file,
                gptr,
                entity,
                "geometry",
                None,
                "geometry is null",
                f"give the feature a {expected} geometry",
                code="empty-geometry",
            )
            return None
        if not isinstance(geom, dict):
            self.err(
                file,
                gptr,
                entity,
                "geometry",
                geom,
                "geometry must be an object",
                code="bad-geometry",
            )
            return None
        gtype = geom.get("type")
        if gtype != expected:
            self.err(
                file,
                f"{gptr}/type",
                entity,
                "geometry.type",
                gtype,
                f"expected a {expected}, got {gtype}",
                f"this file holds {expected} features",
                code="wrong-geometry-type",
            )
            return None
        coords = geom.get("coordinates")
        if expected == "Point":
            if coords is None or coords == []:
                self.err(
                    file,
                    f"{gptr}/coordinates",
                    entity,
                    "coordinates",
                    coords,
                    "empty geometry",
                    "give the point a position [lon, lat]",
                    code="empty-geometry",
                )
                return None
            p = check_position(
                coords,
                file=file,
                where=f"{gptr}/coordinates",
                entity=entity,
                problems=self.problems,
            )
            return [p] if p else None
        # LineString
        if not isinstance(coords, list) or not coords:
            self.err(
                file,
                f"{gptr}/coordinates",
                entity,
                "coordinates",
                coords,
                "empty geometry",
                "a LineString needs at least two positions",
                code="empty-geometry",
            )
            return None
        if len(coords) > self.max_vertices:
            self.err(
                file,
                f"{gptr}/coordinates",
                entity,
                "coordinates",
                f"{len(coords)} vertices",
                f"line has {len(coords)} vertices, over the cap of {self.max_vertices}",
                "simplify the line, or raise CORRIDORS_MAX_VERTICES",
                code="too-many-vertices",
            )
            return None
        out: list[tuple[float, float]] = []
        ok = True
        for j, pos in enumerate(coords):
            p = check_position(
                pos,
                file=file,
                where=f"{gptr}/coordinates/{j}",
                entity=entity,
                problems=self.problems,
            )
            if p is None:
                ok = False
                break
            out.append(p)
        if not ok:
            return None
        if len(out) < 2:
            self.err(
                file,
                f"{gptr}/coordinates",
                entity,
                "coordinates",
                coords,
                "a LineString needs at least two positions",
                code="degenerate-line",
            )
            return None
        if len(set(out)) == 1:
            self.err(
                file,
                f"{gptr}/coordinates",
                entity,
                "coordinates",
                coords[:2],
                "all positions of the line are identical",
                code="degenerate-line",
            )
            return None
        return out

    # ------------------------------------------------------------------ kinds
    def load_countries(self) -> CountryIndex | None:
        path = self.files.get("countries")
        if path is None:
            return None
        file = str(path)
        polys: dict[str, Any] = {}
        raw: dict[str, dict[str, Any]] = {}
        names: dict[str, str] = {}
        sha: list[str] = []
        problems_before = len(self.problems)
        features = self.feature_collection("countries", sha256=sha)
        cache = _cache.for_borders(sha[0]) if sha else None
        hit = self._countries_from_cache(features, cache) if cache is not None else None
        if hit is not None:
            return hit
        for i, f in features:
            ptr = f"/features/{i}"
            props = f["properties"]
            iso3 = props.get("iso3")
            if not (isinstance(iso3, str) and len(iso3) == 3 and iso3.isupper()):
                self.err(
                    file,
                    f"{ptr}/properties/iso3",
                    None,
                    "iso3",
                    iso3,
                    "iso3 must be a 3-letter upper-case code",
                    code="bad-iso3",
                )
                continue
            geom = f.get("geometry")
            if not isinstance(geom, dict) or geom.get("type") not in ("Polygon", "MultiPolygon"):
                self.err(
                    file,
                    f"{ptr}/geometry",
                    iso3,
                    "geometry.type",
                    geom.get("type") if isinstance(geom, dict) else geom,
                    "expected a Polygon or MultiPolygon",
                    code="wrong-geometry-type",
                )
                continue
            g = _fast_polygon(geom)
            if g is None:
                # slow path: locate the first bad position/ring for the message
                if not self._rings_ok(geom, file=file, ptr=f"{ptr}/geometry", entity=iso3):
                    continue
                g = shape(geom)
            if not g.is_valid:
                self.err(
                    file,
                    f"{ptr}/geometry",
                    iso3,
                    "geometry",
                    explain_validity(g),
                    f"invalid polygon: {shapely.is_valid_reason(g)}",
                    "repair it (e.g. shapely.make_valid) and save again",
                    code="invalid-polygon",
                )
                continue
            if iso3 in polys:
                self.err(
                    file,
                    ptr,
                    iso3,
                    "iso3",
                    iso3,
                    f"duplicate country '{iso3}'",
                    "merge the parts into one MultiPolygon",
                    code="duplicate-id",
                )
                continue
            polys[iso3] = g
            raw[iso3] = geom
            names[iso3] = props.get("name") if isinstance(props.get("name"), str) else iso3
        if not polys:
            return None
        if cache is not None and len(self.problems) == problems_before:
            # the file passed every check: keep its polygons for the next run
            blobs = shapely.to_wkb(list(polys.values()))
            wkb = [base64.b64encode(b).decode("ascii") for b in blobs]
            cache.put("countries", "polygons", {"codes": list(polys), "wkb_base64": wkb})
        return CountryIndex(polys, names, raw, cache=cache)

    @staticmethod
    def _countries_from_cache(
        features: list[tuple[int, dict[str, Any]]], cache: _cache.DerivedCache
    ) -> CountryIndex | None:
        """The index of a borders file that passed every check before (same bytes, same code)."""
        entry = cache.get("countries", "polygons")
        if not isinstance(entry, dict):
            return None
        codes, wkb = entry.get("codes"), entry.get("wkb_base64")
        try:
            props = [f["properties"] for _i, f in features]
            if codes != [p["iso3"] for p in props] or len(wkb) != len(codes):
                return None
            geoms = shapely.from_wkb([base64.b64decode(w, validate=True) for w in wkb])
        except (KeyError, TypeError, ValueError, binascii.Error, GEOSException):
            return None  # an edited or damaged cache file: validate from scratch
        raw = {p["iso3"]: f["geometry"] for p, (_i, f) in zip(props, features, strict=True)}
        names = {
            p["iso3"]: p["name"] if isinstance(p.get("name"), str) else p["iso3"] for p in props
        }
        return CountryIndex(dict(zip(codes, geoms, strict=True)), names, raw, cache=cache)

    def _rings_ok(self, geom: dict[str, Any], *, file: str, ptr: str, entity: str) -> bool:
        coords = geom.get("coordinates")
        polys = [coords] if geom["type"] == "Polygon" else coords
        if not isinstance(polys, list) or not polys:
            self.err(
                file,
                f"{ptr}/coordinates",
                entity,
                "coordinates",
                coords,
                "empty geometry",
                code="empty-geometry",
            )
            return False
        for pi, rings in enumerate(polys):
            if not isinstance(rings, list) or not rings:
                self.err(
                    file,
                    f"{ptr}/coordinates/{pi}",
                    entity,
                    "coordinates",
                    rings,
                    "polygon has no rings",
                    "check the nesting depth",
                    code="coord-shape",
                )
                return False
            for ri, ring in enumerate(rings):
                rptr = (
                    f"{ptr}/coordinates/{ri}"
                    if geom["type"] == "Polygon"
                    else f"{ptr}/coordinates/{pi}/{ri}"
                )
                if not isinstance(ring, list):
                    self.err(
                        file,
                        rptr,
                        entity,
                        "coordinates",
                        ring,
                        "ring must be a list of positions",
                        code="coord-shape",
                    )
                    return False
                for j, pos in enumerate(ring):
                    if (
                        check_position(
                            pos,
                            file=file,
                            where=f"{rptr}/{j}",
                            entity=entity,
                            problems=self.problems,
                        )
                        is None
                    ):
                        return False
                if len(ring) < 4:
                    self.err(
                        file,
                        rptr,
                        entity,
                        "coordinates",
                        f"{len(ring)} positions",
                        f"ring has {len(ring)} positions; a closed ring needs at least 4",
                        code="ring-too-short",
                    )
                    return False
                if list(ring[0][:2]) != list(ring[-1][:2]):
                    self.err(
                        file,
                        rptr,
                        entity,
                        "coordinates",
                        f"first {ring[0]}, last {ring[-1]}",
                        "ring is not closed (first and last positions differ)",
                        "repeat the first position at the end",
                        code="ring-not-closed",
                    )
                    return False
        return True

    def load_points(self, kind: str) -> dict[str, Any]:
        file = str(self.files.get(kind, ""))
        out: dict[str, Any] = {}
        for i, f in self.feature_collection(kind):
            ptr = f"/features/{i}/properties"
            props = f["properties"]
            ident = self.id_field(props, file=file, ptr=ptr)
            pos = self.geometry_positions(f, "Point", file=file, ptr=f"/features/{i}", entity=ident)
            name = self.str_field(props, "name", file=file, ptr=ptr, entity=ident)
            country = self._iso3(props, "country", file=file, ptr=ptr, entity=ident)
            srcs = self.sources(props, file=file, ptr=ptr, entity=ident)
            note = self.str_field(props, "note", file=file, ptr=ptr, entity=ident, required=False)
            wprec = "exact"
            if kind == "waypoints" and props.get("precision") is not None:
                wprec = self.vocab(
                    props, "precision", NODE_PRECISIONS, file=file, ptr=ptr, entity=ident
                )
            if kind == "nodes":
                kind_v = self.vocab(props, "kind", NODE_KINDS, file=file, ptr=ptr, entity=ident)
                prec = self.vocab(
                    props, "precision", NODE_PRECISIONS, file=file, ptr=ptr, entity=ident
                )
                aliases = self.str_list(props, "aliases", file=file, ptr=ptr, entity=ident)
                borders = tuple(props.get("borders") or ())
                for b in borders:
                    if not (isinstance(b, str) and len(b) == 3 and b.isupper()):
                        self.err(
                            file,
                            f"{ptr}/borders",
                            ident,
                            "borders",
                            b,
                            "borders must list ISO3 codes",
                            code="bad-iso3",
                        )
                        borders = ()
                        break
            if ident is None or not self.register_id(ident, file=file, ptr=f"/features/{i}"):
                continue
            if None in (pos, name, country) or not srcs:
                continue
            lon, lat = pos[0]  # type: ignore[index]
            if kind == "nodes":
                if kind_v is None or prec is None:
                    continue
                out[ident] = Node(
                    id=ident,
                    name=name,
                    country=country,
                    lon=lon,
                    lat=lat,
                    kind=kind_v,
                    aliases=aliases,
                    borders=borders,
                    precision=prec,
                    sources=srcs,
                    note=note,
                )
            elif wprec is not None:
                out[ident] = Waypoint(
                    id=ident,
                    name=name,
                    country=country,
                    lon=lon,
                    lat=lat,
                    sources=srcs,
                    note=note,
                    precision=wprec,
                )
        return out

    def _iso3(
        self, d: Mapping[str, Any], key: str, *, file: str, ptr: str, entity: str | None
    ) -> str | None:
        v = d.get(key)
        if not (isinstance(v, str) and len(v) == 3 and v.isascii() and v.isupper() and v.isalpha()):
            self.err(
                file,
                f"{ptr}/{key}",
                entity,
                key,
                v if v is not None else _MISSING,
                f"'{key}' must be an ISO 3166-1 alpha-3 code",
                "e.g. 'PAK', 'AZE'",
                code="bad-iso3",
            )
            return None
        return v

    def load_segments(
        self, points: Mapping[str, Any], nodes: Mapping[str, Node]
    ) -> dict[str, Segment]:
        file = str(self.files.get("segments", ""))
        out: dict[str, Segment] = {}
        for i, f in self.feature_collection("segments"):
            fptr = f"/features/{i}"
            ptr = f"{fptr}/properties"
            p = f["properties"]
            ident = self.id_field(p, file=file, ptr=ptr)
            coords = self.geometry_positions(f, "LineString", file=file, ptr=fptr, entity=ident)
            name = self.str_field(p, "name", file=file, ptr=ptr, entity=ident)
            mode = self.vocab(p, "mode", MODES, file=file, ptr=ptr, entity=ident)
            status = self.vocab(p, "status", STATUSES, file=file, ptr=ptr, entity=ident)
            prec = self.vocab(p, "precision", PRECISIONS, file=file, ptr=ptr, entity=ident)
            srcs = self.sources(p, file=file, ptr=ptr, entity=ident)
            ends = []
            for key in ("from", "to"):
                ref = p.get(key)
                if not isinstance(ref, str):
                    self.err(
                        file,
                        f"{ptr}/{key}",
                        ident,
                        key,
                        ref if ref is not None else _MISSING,
                        f"'{key}' must be a node id",
                        code="missing-field",
                    )
                    ends.append(None)
                elif ref not in nodes:
                    if ref in self.declared:
                        ends.append(None)
                        continue
                    self.err(
                        file,
                        f"{ptr}/{key}",
                        ident,
                        key,
                        ref,
                        f"unknown node '{ref}'",
                        did_you_mean(ref, nodes) or "define the node in nodes.geojson",
                        code="unknown-node",
                    )
                    ends.append(None)
                else:
                    ends.append(ref)
            via = self._via(p, points, file=file, ptr=ptr, entity=ident)
            history = self._history(p, status, file=file, ptr=ptr, entity=ident)
            pubs, chosen, length_note = self._lengths(p, file=file, ptr=ptr, entity=ident)
            gauges, breaks = self._gauges(p, nodes, file=file, ptr=ptr, entity=ident)
            opt: dict[str, Any] = {}
            for key, integer in (
                ("opened_year", True),
                ("announced_year", True),
                ("cost_usd_bn", False),
            ):
                opt[key] = self.number(p, key, file=file, ptr=ptr, entity=ident, integer=integer)
            for key in ("financier", "capacity", "note"):
                opt[key] = self.str_field(p, key, file=file, ptr=ptr, entity=ident, required=False)
            if ident is None or not self.register_id(ident, file=file, ptr=fptr):
                continue
            if None in (coords, name, mode, status, prec, via) or None in ends or not srcs:
                continue
            assert coords is not None and via is not None
            self._check_geometry_matches(
                ident, coords, ends[0], via, ends[1], points, file=file, ptr=fptr
            )
            out[ident] = Segment(
                id=ident,
                name=name,
                from_node=ends[0],
                to_node=ends[1],
                mode=mode,
                status=status,
                precision=prec,
                coords=tuple(coords),
                via=tuple(via),
                status_history=history,
                published_lengths=pubs,
                published_length_km=chosen,
                length_note=length_note,
                gauge_mm=gauges,
                gauge_breaks_at=breaks,
                sources=srcs,
                **opt,
            )
        return out

    def _via(
        self,
        p: Mapping[str, Any],
        points: Mapping[str, Any],
        *,
        file: str,
        ptr: str,
        entity: str | None,
    ) -> list[Any] | None:
        raw = p.get("via", [])
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.err(
                file,
                f"{ptr}/via",
                entity,
                "via",
                raw,
                "'via' must be a list of node/waypoint ids or [lon, lat] pairs",
                code="field-type",
            )
            return None
        out: list[Any] = []
        ok = True
        for j, item in enumerate(raw):
            if isinstance(item, str):
                if item not in points and item in self.declared:
                    ok = False
                elif item not in points:
                    self.err(
                        file,
                        f"{ptr}/via/{j}",
                        entity,
                        "via",
                        item,
                        f"unknown node or waypoint '{item}'",
                        did_you_mean(item, points)
                        or "define it in nodes.geojson or waypoints.geojson",
                        code="unknown-node",
                    )
                    ok = False
                out.append(item)
            else:
                pos = check_position(
                    item, file=file, where=f"{ptr}/via/{j}", entity=entity, problems=self.problems
                )
                if pos is None:
                    ok = False
                out.append(pos)
        return out if ok else None

    def _history(
        self, p: Mapping[str, Any], status: str | None, *, file: str, ptr: str, entity: str | None
    ) -> tuple[StatusChange, ...]:
        raw = p.get("status_history", [])
        if raw in (None, []):
            return ()
        if not isinstance(raw, list):
            self.err(
                file,
                f"{ptr}/status_history",
                entity,
                "status_history",
                raw,
                "'status_history' must be a list",
                code="field-type",
            )
            return ()
        out: list[StatusChange] = []
        for j, h in enumerate(raw):
            hp = f"{ptr}/status_history/{j}"
            if not isinstance(h, Mapping):
                self.err(
                    file,
                    hp,
                    entity,
                    "status_history",
                    h,
                    "entry must be an object",
                    code="field-type",
                )
                return ()
            d = self.date_field(h, "date", file=file, ptr=hp, entity=entity, required=True)
            s = self.vocab(h, "status", STATUSES, file=file, ptr=hp, entity=entity)
            url = h.get("url")
            if url is not None and not (
                isinstance(url, str) and url.lower().startswith(("http://", "https://"))
            ):
                self.err(
                    file,
                    f"{hp}/url",
                    entity,
                    "url",
                    url,
                    "url must be http(s)",
                    code="bad-source-url",
                )
                url = None
            if d is None or s is None:
                return ()
            note = h.get("note") if isinstance(h.get("note"), str) else None
            out.append(StatusChange(date=d, status=s, note=note, url=url))
        keys = [parse_partial_date(h.date) for h in out]
        norm = [(y, m or 0, dd or 0) for y, m, dd in keys]
        if norm != sorted(norm):
            self.err(
                file,
                f"{ptr}/status_history",
                entity,
                "status_history",
                [h.date for h in out],
                "status history is not in date order",
                "sort the entries by date",
                code="history-order",
            )
        if status is not None and out and out[-1].status != status:
            self.err(
                file,
                f"{ptr}/status_history",
                entity,
                "status",
                status,
                f"current status '{status}' differs from the last history entry '{out[-1].status}'",
                "append a dated entry for the current status",
                code="history-mismatch",
            )
        return tuple(out)

    def _lengths(
        self, p: Mapping[str, Any], *, file: str, ptr: str, entity: str | None
    ) -> tuple[tuple[PublishedLength, ...], float | None, str | None]:
        raw = p.get("published_lengths_km", [])
        pubs: list[PublishedLength] = []
        if raw not in (None, []):
            if not isinstance(raw, list):
                self.err(
                    file,
                    f"{ptr}/published_lengths_km",
                    entity,
                    "published_lengths_km",
                    raw,
                    "'published_lengths_km' must be a list",
                    code="field-type",
                )
                raw = []
            for j, item in enumerate(raw):
                ip = f"{ptr}/published_lengths_km/{j}"
                if not isinstance(item, Mapping):
                    self.err(
                        file,
                        ip,
                        entity,
                        "published_lengths_km",
                        item,
                        "entry must be an object {value, url, title, scope}",
                        code="field-type",
                    )
                    continue
                value = self.number(item, "value", file=file, ptr=ip, entity=entity)
                if "value" not in item:
                    self.err(
                        file,
                        f"{ip}/value",
                        entity,
                        "value",
                        _MISSING,
                        "missing 'value'",
                        code="missing-field",
                    )
                url = item.get("url")
                if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
                    self.err(
                        file,
                        f"{ip}/url",
                        entity,
                        "url",
                        url if url is not None else _MISSING,
                        "published length needs an http(s) source url",
                        code="bad-source-url",
                    )
                    continue
                scope = item.get("scope", "full")
                if scope not in ("full", "partial"):
                    self.err(
                        file,
                        f"{ip}/scope",
                        entity,
                        "scope",
                        scope,
                        "scope must be 'full' or 'partial'",
                        suggest_allowed(scope, ("full", "partial")),
                        code="bad-scope",
                    )
                    continue
                if value is None:
                    continue
                pubs.append(
                    PublishedLength(
                        value_km=value,
                        url=url,
                        title=str(item.get("title", "")),
                        scope=scope,
                        note=item.get("note") if isinstance(item.get("note"), str) else None,
                    )
                )
        chosen = self.number(p, "published_length_km", file=file, ptr=ptr, entity=entity)
        if chosen is not None:
            full = [x.value_km for x in pubs if x.scope == "full"]
            if not any(math.isclose(chosen, v) for v in full):
                self.err(
                    file,
                    f"{ptr}/published_length_km",
                    entity,
                    "published_length_km",
                    chosen,
                    "chosen published length is not one of the 'full' values "
                    "in published_lengths_km",
                    f"pick one of {full}"
                    if full
                    else "add the figure with its source to published_lengths_km",
                    code="length-choice",
                )
        note = p.get("length_note") if isinstance(p.get("length_note"), str) else None
        return tuple(pubs), chosen, note

    def _gauges(
        self,
        p: Mapping[str, Any],
        nodes: Mapping[str, Node],
        *,
        file: str,
        ptr: str,
        entity: str | None,
    ) -> tuple[tuple[int, ...], tuple[str, ...]]:
        raw = p.get("gauge_mm")
        if raw is None:
            return (), ()
        vals = raw if isinstance(raw, list) else [raw]
        out: list[int] = []
        for v in vals:
            if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
                self.err(
                    file,
                    f"{ptr}/gauge_mm",
                    entity,
                    "gauge_mm",
                    raw,
                    "gauge_mm must be a positive whole number of mm (or a list of them)",
                    "e.g. 1676 (Pakistan), 1520 (ex-USSR), 1435 (standard)",
                    code="bad-number",
                )
                return (), ()
            out.append(v)
        breaks = self.str_list(p, "gauge_breaks_at", file=file, ptr=ptr, entity=entity)
        if len(breaks) != len(out) - 1:
            self.err(
                file,
                f"{ptr}/gauge_breaks_at",
                entity,
                "gauge_breaks_at",
                list(breaks),
                f"{len(out)} gauges need {len(out) - 1} break node(s)",
                code="gauge-breaks",
            )
            return (), ()
        for b in breaks:
            if b not in nodes:
                self.err(
                    file,
                    f"{ptr}/gauge_breaks_at",
                    entity,
                    "gauge_breaks_at",
                    b,
                    f"unknown node '{b}'",
                    did_you_mean(b, nodes),
                    code="unknown-node",
                )
                return (), ()
        return tuple(out), breaks

    def _check_geometry_matches(
        self,
        ident: str,
        coords: list[tuple[float, float]],
        start: str,
        via: list[Any],
        end: str,
        points: Mapping[str, Any],
        *,
        file: str,
        ptr: str,
    ) -> None:
        from corridors.geo.geodesy import distance_km

        expected: list[tuple[float, float]] = [points[start].lonlat]
        for item in via:
            expected.append(points[item].lonlat if isinstance(item, str) else item)
        expected.append(points[end].lonlat)
        for key, pos, want in (("from", coords[0], expected[0]), ("to", coords[-1], expected[-1])):
            gap = distance_km(pos, want)
            if gap > ENDPOINT_TOLERANCE_KM:
                ref = start if key == "from" else end
                self.err(
                    file,
                    f"{ptr}/geometry/coordinates",
                    ident,
                    key,
                    list(pos),
                    f"line does not meet its '{key}' node '{ref}' ({gap:.2f} km away, "
                    f"node at {list(want)})",
                    "make the line start/end at the node position, or fix 'from'/'to'",
                    code="endpoint-mismatch",
                )
                return
        if len(coords) != len(expected):
            self.err(
                file,
                f"{ptr}/geometry/coordinates",
                ident,
                "via",
                f"{len(coords)} vertices vs {len(expected)} expected",
                "geometry vertices do not match [from] + via + [to]",
                "regenerate the geometry from 'via' (one vertex per via item)",
                code="via-mismatch",
            )
            return
        for j, (pos, want) in enumerate(zip(coords, expected, strict=True)):
            if distance_km(pos, want) > ENDPOINT_TOLERANCE_KM:
                self.err(
                    file,
                    f"{ptr}/geometry/coordinates/{j}",
                    ident,
                    "via",
                    list(pos),
                    f"vertex {j} is not at via item {via[j - 1] if 0 < j <= len(via) else ''}"
                    f" {list(want)}",
                    "regenerate the geometry from 'via'",
                    code="via-mismatch",
                )
                return

    # ------------------------------------------------------------------ TOML
    def toml_tables(
        self, kind: str, table: str, allowed: Iterable[str]
    ) -> list[tuple[str, dict[str, Any]]]:
        path = self.files.get(kind)
        if path is None:
            return []
        file = str(path)
        try:
            doc = read_toml(path)
        except GeodataError as exc:
            self.problems.extend(exc.problems)
            return []
        except InputFileError as exc:
            self.err(file, "", None, None, None, str(exc), code="input-file")
            return []
        allowed_top = {table}
        for key in doc:
            if key not in allowed_top:
                self.err(
                    file,
                    key,
                    None,
                    key,
                    _MISSING,
                    f"unknown top-level key '{key}'",
                    did_you_mean(key, allowed_top) or f"use [[{table}]] tables",
                    code="unknown-key",
                )
        items = doc.get(table, [])
        if not isinstance(items, list):
            self.err(
                file,
                table,
                None,
                table,
                items,
                f"'{table}' must be an array of tables",
                f"write [[{table}]]",
                code="field-type",
            )
            return []
        allowed_set = set(allowed)
        out = []
        for i, item in enumerate(items):
            key = f"{table}[{i}]"
            if not isinstance(item, dict):
                self.err(file, key, None, table, item, "expected a table", code="field-type")
                continue
            for k in item:
                if k not in allowed_set:
                    self.err(
                        file,
                        f"{key}.{k}",
                        item.get("id") if isinstance(item.get("id"), str) else None,
                        k,
                        _MISSING,
                        f"unknown key '{k}'",
                        did_you_mean(k, allowed_set)
                        or "allowed: " + ", ".join(sorted(allowed_set)),
                        code="unknown-key",
                    )
            out.append((key, item))
        return out

    def load_corridors(self, segments: Mapping[str, Segment]) -> dict[str, Corridor]:
        file = str(self.files.get("corridors", ""))
        out: dict[str, Corridor] = {}
        raw = self.toml_tables(
            "corridors",
            "corridor",
            ("id", "name", "parent", "platform", "segments", "description", "sources"),
        )
        known_ids = {str(item.get("id")) for _, item in raw}
        for key, item in raw:
            ident = self.id_field(item, file=file, ptr=key)
            name = self.str_field(item, "name", file=file, ptr=key, entity=ident)
            segs = self.str_list(item, "segments", file=file, ptr=key, entity=ident)
            for s in segs:
                if s not in segments and s not in self.declared:
                    self.err(
                        file,
                        f"{key}.segments",
                        ident,
                        "segments",
                        s,
                        f"unknown segment '{s}'",
                        did_you_mean(s, segments) or "define it in segments.geojson",
                        code="unknown-segment",
                    )
            parent = item.get("parent")
            if parent is not None and parent not in known_ids:
                self.err(
                    file,
                    f"{key}.parent",
                    ident,
                    "parent",
                    parent,
                    f"unknown parent corridor '{parent}'",
                    did_you_mean(parent, known_ids),
                    code="unknown-corridor",
                )
                parent = None
            srcs = self.sources(item, file=file, ptr=key, entity=ident)
            desc = item.get("description", "")
            if ident is None or not self.register_id(f"corridor:{ident}", file=file, ptr=key):
                continue
            if name is None or not srcs:
                continue
            out[ident] = Corridor(
                id=ident,
                name=name,
                segments=segs,
                parent=parent,
                platform=item.get("platform"),
                description=desc if isinstance(desc, str) else "",
                sources=srcs,
            )
        # parent cycles
        for cid in out:
            seen = [cid]
            cur = out[cid].parent
            while cur is not None and cur in out:
                if cur in seen:
                    self.err(
                        file,
                        "corridor",
                        cid,
                        "parent",
                        " → ".join([*seen, cur]),
                        "corridor parents form a cycle",
                        "break the cycle",
                        code="parent-cycle",
                    )
                    break
                seen.append(cur)
                cur = out[cur].parent
        return out

    def load_platforms(
        self, nodes: Mapping[str, Node], countries: CountryIndex | None
    ) -> dict[str, Platform]:
        file = str(self.files.get("platforms", ""))
        out: dict[str, Platform] = {}
        raw = self.toml_tables(
            "platforms",
            "platform",
            (
                "id",
                "name",
                "members",
                "purpose",
                "proposed",
                "proposed_by",
                "status",
                "meeting",
                "sources",
            ),
        )
        for key, item in raw:
            ident = self.id_field(item, file=file, ptr=key)
            name = self.str_field(item, "name", file=file, ptr=key, entity=ident)
            members = self.str_list(item, "members", file=file, ptr=key, entity=ident)
            for m in members:
                if countries is not None and m not in countries:
                    self.err(
                        file,
                        f"{key}.members",
                        ident,
                        "members",
                        m,
                        f"unknown member country '{m}'",
                        did_you_mean(m, countries.codes) or "use ISO3 codes of countries.geojson",
                        code="unknown-country",
                    )
                elif countries is None and not (len(m) == 3 and m.isupper()):
                    self.err(
                        file,
                        f"{key}.members",
                        ident,
                        "members",
                        m,
                        "member must be an ISO3 code",
                        code="bad-iso3",
                    )
            proposed = self.date_field(item, "proposed", file=file, ptr=key, entity=ident)
            meetings: list[Meeting] = []
            raw_meetings = item.get("meeting", [])
            if not isinstance(raw_meetings, list):
                self.err(
                    file,
                    f"{key}.meeting",
                    ident,
                    "meeting",
                    raw_meetings,
                    "write meetings as [[platform.meeting]] tables",
                    code="field-type",
                )
                raw_meetings = []
            for j, mt in enumerate(raw_meetings):
                mk = f"{key}.meeting[{j}]"
                if not isinstance(mt, dict):
                    continue
                for k in mt:
                    if k not in {"date", "place", "node", "level", "attended", "absent", "sources"}:
                        self.err(
                            file,
                            f"{mk}.{k}",
                            ident,
                            k,
                            _MISSING,
                            f"unknown key '{k}'",
                            did_you_mean(
                                k,
                                ["date", "place", "node", "level", "attended", "absent", "sources"],
                            ),
                            code="unknown-key",
                        )
                d = self.date_field(mt, "date", file=file, ptr=mk, entity=ident, required=True)
                place = self.str_field(mt, "place", file=file, ptr=mk, entity=ident)
                node = mt.get("node")
                if node is not None and node not in nodes:
                    self.err(
                        file,
                        f"{mk}.node",
                        ident,
                        "node",
                        node,
                        f"unknown node '{node}'",
                        did_you_mean(node, nodes),
                        code="unknown-node",
                    )
                    node = None
                att = self.str_list(mt, "attended", file=file, ptr=mk, entity=ident)
                ab = self.str_list(mt, "absent", file=file, ptr=mk, entity=ident)
                for c in (*att, *ab):
                    if members and c not in members:
                        self.err(
                            file,
                            f"{mk}",
                            ident,
                            "attended/absent",
                            c,
                            f"'{c}' is not a member of the platform",
                            did_you_mean(c, members),
                            code="unknown-country",
                        )
                srcs = self.sources(mt, file=file, ptr=mk, entity=ident)
                if d and place and srcs:
                    meetings.append(
                        Meeting(
                            date=d,
                            place=place,
                            level=str(mt.get("level", "")),
                            node=node,
                            attended=att,
                            absent=ab,
                            sources=srcs,
                        )
                    )
            srcs = self.sources(item, file=file, ptr=key, entity=ident)
            if ident is None or not self.register_id(f"platform:{ident}", file=file, ptr=key):
                continue
            if name is None or not srcs or not members:
                if not members:
                    self.err(
                        file,
                        f"{key}.members",
                        ident,
                        "members",
                        _MISSING,
                        "platform has no members",
                        code="missing-field",
                    )
                continue
            out[ident] = Platform(
                id=ident,
                name=name,
                members=members,
                purpose=str(item.get("purpose", "")),
                proposed=proposed,
                proposed_by=item.get("proposed_by"),
                status=item.get("status"),
                meetings=tuple(meetings),
                sources=srcs,
            )
        return out

    def load_routes(self, segments: Mapping[str, Segment]) -> dict[str, ReferenceRoute]:
        file = str(self.files.get("routes", ""))
        out: dict[str, ReferenceRoute] = {}
        for key, item in self.toml_tables(
            "routes", "route", ("id", "name", "segments", "countries", "sources", "note")
        ):
            ident = self.id_field(item, file=file, ptr=key)
            name = self.str_field(item, "name", file=file, ptr=key, entity=ident)
            segs = self.str_list(item, "segments", file=file, ptr=key, entity=ident)
            bad = False
            for s in segs:
                if s not in segments:
                    bad = True
                    if s in self.declared:
                        continue
                    self.err(
                        file,
                        f"{key}.segments",
                        ident,
                        "segments",
                        s,
                        f"unknown segment '{s}'",
                        did_you_mean(s, segments),
                        code="unknown-segment",
                    )
            countries = self.str_list(item, "countries", file=file, ptr=key, entity=ident)
            srcs = self.sources(item, file=file, ptr=key, entity=ident)
            if ident is None or not self.register_id(f"route:{ident}", file=file, ptr=key):
                continue
            if bad or name is None or not segs or not srcs:
                continue
            try:
                from corridors.geo.chain import chain_coords

                chain_coords([segments[s] for s in segs])
            except ValueError as exc:
                self.err(
                    file,
                    f"{key}.segments",
                    ident,
                    "segments",
                    list(segs),
                    str(exc),
                    "list segments in travel order; each must meet the previous one",
                    code="broken-chain",
                )
                continue
            out[ident] = ReferenceRoute(
                id=ident, name=name, segments=segs, countries=countries, sources=srcs
            )
        return out

    # ------------------------------------------------------------------ cross checks
    def check_nodes_in_countries(
        self, nodes: Mapping[str, Node], waypoints: Mapping[str, Waypoint], countries: CountryIndex
    ) -> None:
        for kind, items in (("nodes", nodes), ("waypoints", waypoints)):
            file = str(self.files.get(kind, ""))
            for n in items.values():
                if getattr(n, "kind", None) == CHOKEPOINT_KIND:
                    continue  # straits lie at sea; their country is the coastal state
                allowed = {n.country, *getattr(n, "borders", ())}
                if n.country not in countries:
                    self.err(
                        file,
                        "",
                        n.id,
                        "country",
                        n.country,
                        f"country '{n.country}' is not in the borders layer",
                        did_you_mean(n.country, countries.codes),
                        severity="warning",
                        code="country-unknown",
                    )
                    continue
                owner = countries.locate_one(n.lon, n.lat)
                if owner in allowed:
                    continue
                gap = countries.distance_km(n.country, n.lon, n.lat)
                if gap > NODE_COUNTRY_TOLERANCE_KM or (owner is not None and gap > 2.0):
                    where = f"inside {owner}" if owner else "outside every country polygon"
                    self.err(
                        file,
                        "",
                        n.id,
                        "country",
                        n.country,
                        f"point [{n.lon}, {n.lat}] is {where}, {gap:.1f} km from {n.country}",
                        "check the coordinates ([lon, lat]) or the declared country",
                        severity="warning",
                        code="node-outside-country",
                    )

    def check_segments_in_corridors(
        self, segments: Mapping[str, Segment], corridors: Mapping[str, Corridor]
    ) -> None:
        if "corridors" not in self.files:
            return
        listed = {s for c in corridors.values() for s in c.segments}
        file = str(self.files.get("segments", ""))
        for sid in segments:
            if sid not in listed:
                self.err(
                    file,
                    "",
                    sid,
                    "id",
                    sid,
                    "segment is not listed in any corridor",
                    "add it to a corridor's 'segments' in corridors.toml",
                    severity="warning",
                    code="orphan-segment",
                )

    def check_platform_refs(
        self, corridors: Mapping[str, Corridor], platforms: Mapping[str, Platform]
    ) -> None:
        if "platforms" not in self.files:
            return
        file = str(self.files.get("corridors", ""))
        for c in corridors.values():
            if c.platform is not None and c.platform not in platforms:
                self.err(
                    file,
                    "corridor",
                    c.id,
                    "platform",
                    c.platform,
                    f"unknown platform '{c.platform}'",
                    did_you_mean(c.platform, platforms),
                    code="unknown-platform",
                )

    # ------------------------------------------------------------------ entry
    def run(self) -> Atlas | None:
        countries = self.load_countries()
        nodes = self.load_points("nodes")
        waypoints = self.load_points("waypoints")
        points: dict[str, Any] = {**waypoints, **nodes}
        segments = self.load_segments(points, nodes)
        corridors = self.load_corridors(segments)
        platforms = self.load_platforms(nodes, countries)
        routes = self.load_routes(segments)
        self.check_platform_refs(corridors, platforms)
        self.check_segments_in_corridors(segments, corridors)
        if countries is not None:
            self.check_nodes_in_countries(nodes, waypoints, countries)
        if any(p.severity == "error" for p in self.problems):
            return None
        root = (
            os.path.commonpath([str(p.parent) for p in self.files.values()]) if self.files else ""
        )
        return Atlas(
            nodes=nodes,
            waypoints=waypoints,
            segments=segments,
            corridors=corridors,
            platforms=platforms,
            routes=routes,
            countries=countries,
            root=root,
        )


def _fast_polygon(geom: dict[str, Any]) -> Any:
    """Build a (Multi)Polygon with vectorised checks, or ``None`` when any ring fails one.

    Equivalent to :meth:`_Loader._rings_ok` + ``shape()`` for good input (numbers only,
    ``[lon, lat]`` in range, closed rings of >= 4 positions), ~10x faster on the borders
    layer; on any doubt the caller takes the slow path, which reports the exact place.
    """
    coords = geom.get("coordinates")
    polys = [coords] if geom.get("type") == "Polygon" else coords
    if not isinstance(polys, list) or not polys:
        return None
    parts = []
    for rings in polys:
        if not isinstance(rings, list) or not rings:
            return None
        arrays = []
        for ring in rings:
            if not isinstance(ring, list) or len(ring) < 4:
                return None
            if any(isinstance(v, bool | str) for pos in ring for v in pos):
                return None
            try:
                arr = np.asarray(ring, dtype=float)
            except (TypeError, ValueError):
                return None
            if arr.ndim != 2 or arr.shape[1] not in (2, 3) or not np.isfinite(arr).all():
                return None
            lon, lat = arr[:, 0], arr[:, 1]
            if (np.abs(lat) > 90).any() or (np.abs(lon) > 180).any():
                return None
            if not np.array_equal(arr[0, :2], arr[-1, :2]):
                return None
            arrays.append(arr[:, :2])
        shell = shapely.linearrings(arrays[0])
        holes = [shapely.linearrings(a) for a in arrays[1:]]
        parts.append(shapely.polygons(shell, holes=holes or None))
    return parts[0] if geom.get("type") == "Polygon" else shapely.multipolygons(parts)


class _Missing:
    def __repr__(self) -> str:
        return "(missing)"


_MISSING: Any = _Missing()


def _is_wgs84_crs(crs: Any) -> bool:
    if not isinstance(crs, dict):
        return False
    name = str((crs.get("properties") or {}).get("name", "")).upper()
    return name.endswith(("CRS84", "EPSG::4326", "EPSG:4326")) or name == "EPSG:4326"


def _resolve_files(paths: Sequence[str | os.PathLike[str]]) -> dict[str, Path]:
    """Map file kinds to paths: bundled defaults, overridden by given directories/files."""
    files: dict[str, Path] = {}
    given: list[Path] = [Path(p).expanduser() for p in paths]
    base = bundled_geodata_dir()
    dirs = [p for p in given if p.is_dir()]
    singles = [p for p in given if not p.is_dir()]
    if len(dirs) > 1:
        raise InputFileError("give at most one geodata directory")
    root = dirs[0] if dirs else base
    for kind, name in FILE_KINDS.items():
        if (root / name).is_file():
            files[kind] = root / name
        elif (
            dirs and kind in _REQUIRED_KINDS and not any(classify_file(s) == kind for s in singles)
        ):
            raise InputFileError(
                f"{(root / name).resolve()}: required geodata file not found in {root.resolve()}"
            )
    for s in singles:
        if not s.exists():
            raise InputFileError(f"{s.resolve()}: file not found; hint: check the path")
        kind = classify_file(s)
        if kind is None:
            raise InputFileError(
                f"{s.resolve()}: cannot tell what kind of geodata this is; hint: name it like "
                + ", ".join(FILE_KINDS.values())
            )
        files[kind] = s
    return files


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
    loader = _Loader(_resolve_files(paths))
    atlas = loader.run()
    return LoadResult(atlas=atlas, problems=loader.problems)


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
