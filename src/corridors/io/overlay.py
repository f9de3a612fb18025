"""User overlays: read a GeoJSON, GeoPackage or GeoParquet file, or check a GeoDataFrame.

:func:`read_overlay` checks the file before reading it (exists, is a file, known
extension, size cap), refuses to guess a missing CRS, reprojects only on request, rejects
NaN/Infinity in JSON and reports features without geometry. :func:`check_overlay_frame`
applies the same CRS and geometry checks to a GeoDataFrame given in Python (its CRS is
explicit, so a non-WGS84 one is reprojected; a missing one is an error). Both return a
GeoDataFrame in EPSG:4326; :func:`corridors.maps.overlay.load_overlay` turns it into a map
layer.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from corridors.errors import GeodataError, InputFileError, Problem, short_repr

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_FEATURES",
    "FRAME_SOURCE",
    "OVERLAY_SUFFIXES",
    "check_overlay_frame",
    "feature_label",
    "read_overlay",
]

#: Largest overlay file read by default (bytes).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: Most features read by default.
DEFAULT_MAX_FEATURES = 20_000
#: The "file" named in problems with an overlay given as a GeoDataFrame.
FRAME_SOURCE = "<GeoDataFrame>"

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
_MAX_REPORTED = 20


def _problem(
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


def _is_wgs84(crs: Any) -> bool:
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


def _crs_name(crs: Any) -> str:
    try:
        from pyproj import CRS

        c = CRS.from_user_input(crs)
        auth = c.to_authority()
        code = f"{auth[0]}:{auth[1]}" if auth else c.to_string()
        return f"{code} ({c.name})"
    except Exception:
        return str(crs)


def _check_path(path: str | os.PathLike[str]) -> tuple[Path, str]:
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
    return resolved, OVERLAY_SUFFIXES[suffix]


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _read_geojson(path: Path, max_features: int) -> tuple[Any, Any]:
    """Parse a GeoJSON file into (GeoDataFrame, declared CRS or None)."""
    import geopandas as gpd
    from shapely.geometry import shape

    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GeodataError(
            [
                _problem(
                    path,
                    f"byte {exc.start}",
                    "file is not UTF-8 text",
                    code="encoding",
                    hint="GeoJSON must be UTF-8 (RFC 7946)",
                )
            ]
        ) from exc
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise GeodataError(
            [
                _problem(
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
                _problem(
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
                _problem(
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
                    _problem(
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
                _problem(
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
                _problem(
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
                    _problem(
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
        raise GeodataError(problems[:_MAX_REPORTED])
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


def _read_gpkg(path: Path, layer: str | None, max_features: int) -> Any:
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


def _read_parquet(path: Path, max_features: int) -> Any:
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


def read_overlay(
    path: str | os.PathLike[str],
    *,
    crs: str | None = None,
    reproject: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_features: int = DEFAULT_MAX_FEATURES,
    drop_empty: bool = False,
    layer: str | None = None,
) -> Any:
    """Read and check a user overlay file: a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    path : path-like
        ``.geojson``/``.json``, ``.gpkg`` or ``.parquet``/``.geoparquet`` file.
    crs : str, optional
        CRS of the data. Required when the file declares none (it is then set, and the
        data reprojected to WGS84 if needed). When the file declares a CRS other than
        EPSG:4326/CRS84, passing that CRS here (or ``reproject=True``) allows reprojection.
    reproject : bool
        Reproject a non-WGS84 file to EPSG:4326 (otherwise such a file is rejected).
    max_bytes : int
        Largest file size accepted, checked before reading.
    max_features : int
        Most features accepted (checked from metadata before reading GeoPackage/GeoParquet).
    drop_empty : bool
        Drop features without geometry (with a warning naming them) instead of failing.
    layer : str, optional
        Layer of a multi-layer GeoPackage.

    Returns
    -------
    geopandas.GeoDataFrame
        Every feature with a geometry, EPSG:4326.

    Raises
    ------
    corridors.errors.InputFileError
        Missing file, directory, unknown extension, file or feature count over the cap,
        unreadable file.
    corridors.errors.GeodataError
        NaN/Infinity or bad JSON, a GeoJSON ``crs`` member other than WGS84, missing or
        unexpected CRS, features without geometry, coordinates out of range.
    """
    resolved, fmt = _check_path(path)
    size = resolved.stat().st_size
    if size > max_bytes:
        raise InputFileError(
            f"{resolved}: file is {size:,} bytes, larger than the limit of {max_bytes:,} bytes; "
            "hint: pass max_bytes=... or clip/simplify the file first"
        )
    declared_geojson: str | None = None
    if fmt == "GeoJSON":
        gdf, declared_geojson = _read_geojson(resolved, max_features)
        if declared_geojson is None:
            # RFC 7946: GeoJSON is WGS84 longitude/latitude unless the caller says otherwise.
            gdf = gdf.set_crs(crs or "OGC:CRS84", allow_override=True)
        elif not (reproject or crs):
            raise GeodataError(
                [
                    _problem(
                        resolved,
                        "/crs",
                        f"GeoJSON declares CRS {declared_geojson!r}, not WGS84 (CRS84/EPSG:4326)",
                        value=declared_geojson,
                        code="geojson-crs",
                        hint="convert the file to RFC 7946 GeoJSON (WGS84), or pass "
                        "reproject=True to reproject from the declared CRS",
                    )
                ]
            )
        else:
            try:
                gdf = gdf.set_crs(declared_geojson, allow_override=True)
            except Exception as exc:
                raise GeodataError(
                    [
                        _problem(
                            resolved,
                            "/crs",
                            f"unknown CRS {declared_geojson!r}",
                            value=declared_geojson,
                            code="crs-unknown",
                        )
                    ]
                ) from exc
    elif fmt == "GeoPackage":
        gdf = _read_gpkg(resolved, layer, max_features)
    else:
        gdf = _read_parquet(resolved, max_features)

    if len(gdf) > max_features:
        raise InputFileError(
            f"{resolved}: {len(gdf)} features, more than the limit of {max_features}; hint: "
            "pass max_features=..."
        )

    if gdf.crs is None:
        if crs is None:
            raise GeodataError(
                [
                    _problem(
                        resolved,
                        "",
                        "file has no CRS; refusing to guess",
                        code="crs-missing",
                        hint="pass crs='EPSG:4326' if the coordinates are longitude/latitude "
                        "in degrees, or the file's real CRS (it will be reprojected)",
                    )
                ]
            )
        gdf = _set_crs(gdf, crs, resolved)
    elif fmt != "GeoJSON" and crs is not None and not _is_wgs84(gdf.crs):
        from pyproj import CRS

        if not CRS.from_user_input(crs).equals(gdf.crs) and not reproject:
            raise GeodataError(
                [
                    _problem(
                        resolved,
                        "",
                        f"file declares CRS {_crs_name(gdf.crs)} but crs={crs!r} was passed",
                        value=crs,
                        code="crs-conflict",
                        hint="pass the file's CRS to confirm reprojection, or reproject=True",
                    )
                ]
            )
    if not _is_wgs84(gdf.crs):
        if not (reproject or crs is not None):
            raise GeodataError(
                [
                    _problem(
                        resolved,
                        "",
                        f"CRS is {_crs_name(gdf.crs)}, not WGS84 (EPSG:4326/CRS84)",
                        value=_crs_name(gdf.crs),
                        code="crs-not-wgs84",
                        hint="pass reproject=True (or crs=<that CRS>) to reproject to EPSG:4326",
                    )
                ]
            )
        gdf = gdf.to_crs("EPSG:4326")
    return _check_geometries(gdf, resolved, drop_empty=drop_empty)


def check_overlay_frame(
    gdf: Any,
    *,
    crs: str | None = None,
    max_features: int = DEFAULT_MAX_FEATURES,
    drop_empty: bool = False,
) -> Any:
    """Check a GeoDataFrame given as an overlay: a copy in EPSG:4326.

    A frame with a CRS is reprojected to EPSG:4326 when needed (its CRS is explicit). A
    frame without one is an error unless ``crs`` says what its coordinates are.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
    crs : str, optional
        CRS of a frame that has none.
    max_features : int
        Most features accepted.
    drop_empty : bool
        Drop features without geometry (with a warning) instead of failing.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    corridors.errors.InputFileError
        More features than ``max_features``.
    corridors.errors.GeodataError
        No CRS (code ``crs-missing``), an unknown CRS, features without geometry,
        coordinates out of range, no features.
    """
    import geopandas as gpd

    source = FRAME_SOURCE
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError(
            f"an overlay frame must be a geopandas.GeoDataFrame, not {type(gdf).__name__}; "
            "hint: wrap it with geopandas.GeoDataFrame(df, geometry=..., crs=...)"
        )
    if len(gdf) > max_features:
        raise InputFileError(
            f"{source}: {len(gdf)} features, more than the limit of {max_features}; hint: "
            "pass max_features=..."
        )
    if gdf.crs is None:
        if crs is None:
            raise GeodataError(
                [
                    _problem(
                        source,
                        "",
                        "GeoDataFrame has no CRS; refusing to guess",
                        code="crs-missing",
                        hint="set it first: gdf.set_crs('EPSG:4326') if the coordinates are "
                        "longitude/latitude in degrees, or gdf.set_crs(<its real CRS>) (it "
                        "will be reprojected); or pass crs=...",
                    )
                ]
            )
        gdf = _set_crs(gdf, crs, source)
    if not _is_wgs84(gdf.crs):
        gdf = gdf.to_crs("EPSG:4326")
    return _check_geometries(gdf, source, drop_empty=drop_empty)


def _set_crs(gdf: Any, crs: str, source: Path | str) -> Any:
    try:
        return gdf.set_crs(crs)
    except Exception as exc:
        raise GeodataError(
            [_problem(source, "", f"unknown CRS {crs!r}", value=crs, code="crs-unknown")]
        ) from exc


def _check_geometries(gdf: Any, source: Path | str, *, drop_empty: bool) -> Any:
    """Report (or drop) features without geometry; refuse an empty or projected overlay."""
    # Features without geometry are reported, not silently dropped.
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    if bool(empty.any()):
        idx = [int(i) for i in empty.to_numpy().nonzero()[0]]
        records = gdf.drop(columns=gdf.geometry.name)
        problems = [
            _problem(
                source,
                f"feature {i}",
                "feature has no geometry",
                code="geometry-empty",
                entity=feature_label(records.iloc[i].to_dict()),
                severity="warning" if drop_empty else "error",
                hint=None if drop_empty else "remove it, or pass drop_empty=True",
            )
            for i in idx[:_MAX_REPORTED]
        ]
        if not drop_empty:
            raise GeodataError(problems)
        more = f" (and {len(idx) - _MAX_REPORTED} more)" if len(idx) > _MAX_REPORTED else ""
        warnings.warn(
            f"{source}: {len(idx)} feature(s) without geometry dropped{more}:\n"
            + "\n".join("  " + p.format() for p in problems),
            stacklevel=3,
        )
        gdf = gdf[~empty]
    if len(gdf) == 0:
        raise GeodataError(
            [_problem(source, "", "overlay has no features with geometry", code="empty")]
        )

    minx, miny, maxx, maxy = (float(v) for v in gdf.total_bounds)
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)) or (
        minx < -180.0001 or maxx > 180.0001 or miny < -90.0001 or maxy > 90.0001
    ):
        raise GeodataError(
            [
                _problem(
                    source,
                    "",
                    "coordinates outside longitude/latitude range",
                    value=(minx, miny, maxx, maxy),
                    code="coord-range",
                    hint="the data look projected: pass crs='EPSG:xxxx' with the real CRS",
                )
            ]
        )
    return gdf
