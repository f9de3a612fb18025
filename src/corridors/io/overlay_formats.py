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
from corridors.io.limits import check_json_counts, limit, over_cap
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
    check_json_counts(raw, str(path), max_features=max_features)
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
        raise _refuse(path, "features", f"{len(features):,} features", max_features)
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


#: Bytes per vertex of 2-D WKB: a geometry column of ``n`` bytes has at most ``n // 16``.
_WKB_BYTES_PER_VERTEX = 16


def _refuse(path: Path, key: str, found: str, cap: int | None = None) -> InputFileError:
    message, hint = over_cap(key, found, cap)
    return InputFileError(f"{path}: {message}; hint: {hint}")


def _check_table_caps(
    path: Path, rows: int, columns: int, geometry_bytes: int, max_features: int
) -> None:
    """Refuse a table over the feature, property-value or vertex cap, before reading it."""
    if rows > max_features:
        raise _refuse(path, "features", f"{rows:,} features", max_features)
    if rows * columns > limit("properties"):
        raise _refuse(path, "properties", f"{rows:,} rows × {columns} columns of properties")
    vertices = geometry_bytes // _WKB_BYTES_PER_VERTEX
    if vertices > limit("total_vertices"):
        found = f"geometry of {geometry_bytes:,} bytes (up to {vertices:,} vertices)"
        raise _refuse(path, "total_vertices", found)


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _gpkg_counts(path: Path, layer: str) -> tuple[int, int, int]:
    """Real ``(rows, property columns, geometry bytes)`` of a GeoPackage layer, by SQL.

    ``gpkg_ogr_contents.feature_count`` (what GDAL reports, and uses to size its arrays) can
    be stale; ``COUNT(*)`` on the table cannot. The file is opened read-only and immutable.
    """
    import sqlite3
    from urllib.parse import quote

    uri = f"file:{quote(str(path))}?mode=ro&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise InputFileError(f"{path}: cannot open as GeoPackage: {exc}") from exc
    try:
        row = con.execute(
            "SELECT table_name, column_name FROM gpkg_geometry_columns WHERE table_name = ?",
            (layer,),
        ).fetchone()
        table = _quote_ident(layer)
        rows = int(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        columns = len(con.execute(f"PRAGMA table_info({table})").fetchall())
        geometry_bytes = 0
        if row is not None:
            columns -= 1
            q = f"SELECT COALESCE(SUM(LENGTH({_quote_ident(row[1])})), 0) FROM {table}"
            geometry_bytes = int(con.execute(q).fetchone()[0])
        return rows, max(columns - 1, 0), geometry_bytes  # less the primary key
    except sqlite3.Error as exc:
        raise InputFileError(f"{path}: cannot read GeoPackage layer {layer!r}: {exc}") from exc
    finally:
        con.close()


def read_gpkg(path: Path, layer: str | None, max_features: int) -> Any:
    """Read one layer of a GeoPackage (the only one, or ``layer``) as a GeoDataFrame.

    The feature count, property values and geometry size are taken from the table itself
    (not the possibly stale ``gpkg_ogr_contents``) and checked against the caps first; the
    layer is read through Arrow, which reads every row whatever the stored count says.
    """
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
    rows, columns, geometry_bytes = _gpkg_counts(path, layer)
    _check_table_caps(path, rows, columns, geometry_bytes, max_features)
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer, use_arrow=True)
    except Exception as exc:
        raise InputFileError(f"{path}: cannot read GeoPackage layer {layer!r}: {exc}") from exc
    if len(gdf) != rows:
        raise InputFileError(
            f"{path}: layer {layer!r} has {rows:,} rows but {len(gdf):,} were read; hint: "
            "repair the file (e.g. ogr2ogr -f GPKG fixed.gpkg it.gpkg)"
        )
    return gdf


def _decoded_bytes(column: Any) -> int:
    """Bytes a column takes once decoded, computed without decoding dictionary arrays."""
    import pyarrow as pa
    import pyarrow.compute as pc

    total = 0
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            lengths = pc.binary_length(chunk.dictionary)
            taken = pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0
            total += int(taken) + chunk.indices.nbytes
        else:
            total += chunk.nbytes
    return total


def read_parquet(path: Path, max_features: int) -> Any:
    """Read a GeoParquet file (with its ``geo`` metadata) as a GeoDataFrame.

    Rows, property values and the sizes in the metadata are checked against the caps before
    reading. Then each row group is read with string and binary columns kept as dictionaries
    and its decoded size summed without decoding: a small file whose dictionary pages
    expand to gigabytes is refused at the row group that crosses
    ``CORRIDORS_MAX_DECOMPRESSED_MB``, and its geometry size bounds the vertices.
    """
    import geopandas as gpd
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        meta = pf.metadata
    except Exception as exc:
        raise InputFileError(f"{path}: cannot open as Parquet: {exc}") from exc
    kv = meta.metadata or {}
    if b"geo" not in kv:
        raise InputFileError(
            f"{path}: Parquet file has no GeoParquet 'geo' metadata; hint: write it with "
            "GeoDataFrame.to_parquet"
        )
    try:
        geo = json.loads(kv[b"geo"])
        geometry_name = str(geo.get("primary_column", "geometry"))
    except (ValueError, AttributeError):
        geometry_name = "geometry"
    cap = limit("decompressed_mb")
    stated = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if stated > cap:
        raise _refuse(path, "decompressed_mb", f"{stated / 1e6:,.1f} MB once decompressed")
    _check_table_caps(path, meta.num_rows, max(meta.num_columns - 1, 0), 0, max_features)
    schema = pf.schema_arrow
    binary = [
        f.name
        for f in schema
        if pa.types.is_string(f.type)
        or pa.types.is_binary(f.type)
        or pa.types.is_large_string(f.type)
        or pa.types.is_large_binary(f.type)
    ]
    decoded = geometry_bytes = 0
    try:
        pf = pq.ParquetFile(path, read_dictionary=binary)
        for i in range(meta.num_row_groups):
            part = pf.read_row_group(i)
            for name in part.column_names:
                size = _decoded_bytes(part.column(name))
                decoded += size
                if name == geometry_name:
                    geometry_bytes += size
            del part
            if decoded > cap:
                raise _refuse(path, "decompressed_mb", f"decodes to over {decoded / 1e6:,.1f} MB")
    except InputFileError:
        raise
    except Exception as exc:
        raise InputFileError(f"{path}: cannot read GeoParquet: {exc}") from exc
    _check_table_caps(path, meta.num_rows, 0, geometry_bytes, max_features)
    try:
        return gpd.read_parquet(path)
    except Exception as exc:
        raise InputFileError(f"{path}: cannot read GeoParquet: {exc}") from exc
