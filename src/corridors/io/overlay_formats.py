"""Overlay file formats: GeoJSON (parsed strictly here), GeoPackage and GeoParquet readers,
and the CRS helpers and problem builder the overlay checks share.

:mod:`corridors.io.overlay` checks what these return.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from corridors.errors import GeodataError, InputFileError, Problem, short_repr
from corridors.io.read import check_input_file, check_structure, read_input_bytes

__all__ = [
    "MAX_REPORTED",
    "OVERLAY_SUFFIXES",
    "check_overlay_path",
    "crs_name",
    "feature_label",
    "is_wgs84",
    "overlay_problem",
    "read_geojson",
    "read_gpkg",
    "read_parquet",
]

#: Overlay formats by file extension.
OVERLAY_SUFFIXES: dict[str, str] = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "GeoPackage",
    ".parquet": "GeoParquet",
    ".geoparquet": "GeoParquet",
}

_WGS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "ogc:crs84",
    "crs84",
    "urn:ogc:def:crs:epsg::4326",
    "urn:ogc:def:crs:epsg:6.6:4326",
    "epsg:4326",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "http://www.opengis.net/def/crs/epsg/0/4326",
}
#: Most problems reported for one overlay.
MAX_REPORTED = 20


def overlay_problem(
    file: Path | str,
    where: str,
    message: str,
    *,
    value: Any = None,
    hint: str | None = None,
    code: str,
    entity: str | None = None,
    field: str | None = None,
    severity: str = "error",
) -> Problem:
    """A problem with an overlay ``file`` (a path, or :data:`corridors.io.overlay.FRAME_SOURCE`)."""
    return Problem(
        file=str(file),
        where=where,
        entity=entity,
        field=field,
        value=None if value is None else short_repr(value),
        message=message,
        hint=hint,
        severity=severity,
        code=code,
    )


def is_wgs84(crs: Any) -> bool:
    """Whether ``crs`` is WGS84 longitude/latitude (EPSG:4326 or CRS84, any axis order)."""
    from pyproj import CRS

    try:
        c = CRS.from_user_input(crs)
    except Exception:
        return False
    for ref in ("EPSG:4326", "OGC:CRS84"):
        try:
            if c.equals(CRS.from_user_input(ref), ignore_axis_order=True):
                return True
        except TypeError:  # older pyproj without ignore_axis_order
            if c == CRS.from_user_input(ref):
                return True
    return False


def crs_name(crs: Any) -> str:
    """``"EPSG:3857 (WGS 84 / Pseudo-Mercator)"`` for messages."""
    try:
        from pyproj import CRS

        c = CRS.from_user_input(crs)
        auth = c.to_authority()
        code = f"{auth[0]}:{auth[1]}" if auth else c.to_string()
        return f"{code} ({c.name})"
    except Exception:
        return str(crs)


def check_overlay_path(path: str | os.PathLike[str]) -> tuple[Path, str]:
    """The resolved path and format of an overlay file (exists, a file, known extension)."""
    given = Path(path).expanduser()
    resolved = given.resolve()
    if not resolved.exists():
        raise InputFileError(f"{resolved}: overlay file not found; hint: check the path")
    if resolved.is_dir():
        raise InputFileError(
            f"{resolved}: is a directory, not an overlay file; hint: give a .geojson, "
            ".gpkg or .parquet file"
        )
    suffix = resolved.suffix.lower()
    if suffix not in OVERLAY_SUFFIXES:
        raise InputFileError(
            f"{resolved}: unknown overlay extension {resolved.suffix or '(none)'!r}; hint: use "
            + ", ".join(OVERLAY_SUFFIXES)
        )
    # regular file under the size cap (a FIFO or device is refused before any reader opens it)
    check_input_file(resolved)
    return resolved, OVERLAY_SUFFIXES[suffix]


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def read_geojson(path: Path, max_features: int) -> tuple[Any, Any]:
    """Parse a GeoJSON file into (GeoDataFrame, declared CRS or None)."""
    import geopandas as gpd
    from shapely.geometry import shape

    _resolved, raw = read_input_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GeodataError(
            [
                overlay_problem(
                    path,
                    f"byte {exc.start}",
                    "file is not UTF-8 text",
                    code="encoding",
                    hint="GeoJSON must be UTF-8 (RFC 7946)",
                )
            ]
        ) from exc
    check_structure(text, str(path))
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise GeodataError(
            [
                overlay_problem(
                    path,
                    f"line {exc.lineno}:{exc.colno}",
                    f"invalid JSON: {exc.msg}",
                    code="json-syntax",
                )
            ]
        ) from exc
    except ValueError as exc:
        raise GeodataError(
            [
                overlay_problem(
                    path,
                    "",
                    f"JSON contains {exc.args[0]}, which is not valid JSON",
                    value=exc.args[0],
                    code="json-nan",
                    hint="write missing numbers as null; GeoJSON allows no NaN/Infinity",
                )
            ]
        ) from exc
    if isinstance(data, Mapping) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    elif isinstance(data, Mapping) and data.get("type") in (
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    ):
        data = {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": data, "properties": {}}],
        }
    if (
        not isinstance(data, Mapping)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise GeodataError(
            [
                overlay_problem(
                    path,
                    "/type",
                    "not a GeoJSON FeatureCollection, Feature or geometry",
                    value=data.get("type") if isinstance(data, Mapping) else type(data).__name__,
                    code="geojson-type",
                )
            ]
        )
    declared = None
    crs_member = data.get("crs")
    if crs_member is not None:
        name = None
        if isinstance(crs_member, Mapping):
            props = crs_member.get("properties")
            if isinstance(props, Mapping):
                name = props.get("name")
        if not isinstance(name, str):
            raise GeodataError(
                [
                    overlay_problem(
                        path,
                        "/crs",
                        "unreadable 'crs' member",
                        value=crs_member,
                        code="geojson-crs",
                        hint="remove it: RFC 7946 GeoJSON is always WGS84 longitude/latitude",
                    )
                ]
            )
        if name.strip().lower() not in _WGS84_NAMES:
            declared = name
    features = data["features"]
    if len(features) > max_features:
        raise InputFileError(
            f"{path}: {len(features)} features, more than the limit of {max_features}; hint: "
            "pass max_features=... or reduce the file"
        )
    problems: list[Problem] = []
    geoms: list[Any] = []
    rows: list[dict[str, Any]] = []
    for i, feature in enumerate(features):
        if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
            problems.append(
                overlay_problem(
                    path,
                    f"/features/{i}",
                    "not a GeoJSON Feature",
                    value=feature,
                    code="geojson-feature",
                )
            )
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, Mapping):
            problems.append(
                overlay_problem(
                    path,
                    f"/features/{i}/properties",
                    "properties is not an object",
                    value=props,
                    code="geojson-properties",
                )
            )
            continue
        geom = feature.get("geometry")
        shp = None
        if geom is not None:
            try:
                shp = shape(geom)
            except Exception as exc:
                problems.append(
                    overlay_problem(
                        path,
                        f"/features/{i}/geometry",
                        f"invalid geometry: {exc}",
                        value=geom,
                        code="geometry-invalid",
                        entity=feature_label(props, feature),
                    )
                )
                continue
        geoms.append(shp)
        row = dict(props)
        if "id" not in row and feature.get("id") is not None:
            row["id"] = feature.get("id")
        rows.append(row)
    if problems:
        raise GeodataError(problems[:MAX_REPORTED])
    gdf = gpd.GeoDataFrame(rows, geometry=geoms, crs=None)
    return gdf, declared


def feature_label(props: Mapping[str, Any], feature: Mapping[str, Any] | None = None) -> str | None:
    """The id or name a problem names a feature by (``None`` when it has neither)."""
    for key in ("id", "ID", "name", "NAME"):
        if props.get(key) is not None:
            return str(props[key])
    if feature is not None and feature.get("id") is not None:
        return str(feature["id"])
    return None


def read_gpkg(path: Path, layer: str | None, max_features: int) -> Any:
    """Read one layer of a GeoPackage (the only one, or ``layer``) as a GeoDataFrame."""
    import pyogrio

    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:
        raise InputFileError(f"{path}: cannot open as GeoPackage: {exc}") from exc
    names = [str(row[0]) for row in layers]
    if layer is None:
        if len(names) != 1:
            raise InputFileError(
                f"{path}: GeoPackage has {len(names)} layers ({', '.join(names) or 'none'}); "
                "hint: pass layer='…'"
            )
        layer = names[0]
    elif layer not in names:
        raise InputFileError(
            f"{path}: no layer {layer!r} in GeoPackage; hint: one of {', '.join(names)}"
        )
    info = pyogrio.read_info(path, layer=layer)
    count = int(info.get("features") or 0)
    if count > max_features:
        raise InputFileError(
            f"{path}: {count} features, more than the limit of {max_features}; hint: pass "
            "max_features=... or reduce the file"
        )
    try:
        return pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise InputFileError(f"{path}: cannot read GeoPackage layer {layer!r}: {exc}") from exc


def read_parquet(path: Path, max_features: int) -> Any:
    """Read a GeoParquet file (with its ``geo`` metadata) as a GeoDataFrame."""
    import geopandas as gpd
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(path)
    except Exception as exc:
        raise InputFileError(f"{path}: cannot open as Parquet: {exc}") from exc
    if meta.num_rows > max_features:
        raise InputFileError(
            f"{path}: {meta.num_rows} features, more than the limit of {max_features}; hint: "
            "pass max_features=... or reduce the file"
        )
    kv = meta.metadata or {}
    if b"geo" not in kv:
        raise InputFileError(
            f"{path}: Parquet file has no GeoParquet 'geo' metadata; hint: write it with "
            "GeoDataFrame.to_parquet"
        )
    try:
        return gpd.read_parquet(path)
    except Exception as exc:
        raise InputFileError(f"{path}: cannot read GeoParquet: {exc}") from exc
