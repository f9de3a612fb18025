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

import math
import os
import warnings
from pathlib import Path
from typing import Any

from corridors.errors import GeodataError, InputFileError
from corridors.io.limits import LIMITS, limit, over_cap
from corridors.io.overlay_formats import (
    MAX_REPORTED,
    OVERLAY_SUFFIXES,
    check_overlay_path,
    crs_name,
    feature_label,
    is_wgs84,
    overlay_problem,
    read_geojson,
    read_gpkg,
    read_parquet,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_FEATURES",
    "FRAME_SOURCE",
    "OVERLAY_SUFFIXES",
    "check_overlay_frame",
    "read_overlay",
]

#: Largest overlay file read by default (bytes; ``CORRIDORS_MAX_OVERLAY_MB`` overrides).
DEFAULT_MAX_BYTES = LIMITS["overlay_mb"].default * LIMITS["overlay_mb"].scale
#: Most features read by default (``CORRIDORS_MAX_FEATURES`` overrides).
DEFAULT_MAX_FEATURES = LIMITS["features"].default
#: The "file" named in problems with an overlay given as a GeoDataFrame.
FRAME_SOURCE = "<GeoDataFrame>"


def read_overlay(
    path: str | os.PathLike[str],
    *,
    crs: str | None = None,
    reproject: bool = False,
    max_bytes: int | None = None,
    max_features: int | None = None,
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
    max_bytes : int, optional
        Largest file size accepted, checked before reading (default: the
        ``CORRIDORS_MAX_OVERLAY_MB`` cap, 50 MB).
    max_features : int, optional
        Most features accepted, checked before reading (default: the
        ``CORRIDORS_MAX_FEATURES`` cap, 20,000). The vertex, property and decompressed-size
        caps of :mod:`corridors.io.limits` apply too.
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
    resolved, fmt = check_overlay_path(path)
    max_bytes = limit("overlay_mb") if max_bytes is None else max_bytes
    max_features = limit("features") if max_features is None else max_features
    size = resolved.stat().st_size
    if size > max_bytes:
        message, hint = over_cap("overlay_mb", f"file is {size:,} bytes", max_bytes)
        raise InputFileError(f"{resolved}: {message}; hint: {hint} (max_bytes=... in Python)")
    declared_geojson: str | None = None
    if fmt == "GeoJSON":
        gdf, declared_geojson = read_geojson(resolved, max_features)
        if declared_geojson is None:
            # RFC 7946: GeoJSON is WGS84 longitude/latitude unless the caller says otherwise.
            gdf = gdf.set_crs(crs or "OGC:CRS84", allow_override=True)
        elif not (reproject or crs):
            raise GeodataError(
                [
                    overlay_problem(
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
                        overlay_problem(
                            resolved,
                            "/crs",
                            f"unknown CRS {declared_geojson!r}",
                            value=declared_geojson,
                            code="crs-unknown",
                        )
                    ]
                ) from exc
    elif fmt == "GeoPackage":
        gdf = read_gpkg(resolved, layer, max_features)
    else:
        gdf = read_parquet(resolved, max_features)

    if len(gdf) > max_features:
        message, hint = over_cap("features", f"{len(gdf):,} features", max_features)
        raise InputFileError(f"{resolved}: {message}; hint: {hint}")

    if gdf.crs is None:
        if crs is None:
            raise GeodataError(
                [
                    overlay_problem(
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
    elif fmt != "GeoJSON" and crs is not None and not is_wgs84(gdf.crs):
        from pyproj import CRS

        if not CRS.from_user_input(crs).equals(gdf.crs) and not reproject:
            raise GeodataError(
                [
                    overlay_problem(
                        resolved,
                        "",
                        f"file declares CRS {crs_name(gdf.crs)} but crs={crs!r} was passed",
                        value=crs,
                        code="crs-conflict",
                        hint="pass the file's CRS to confirm reprojection, or reproject=True",
                    )
                ]
            )
    if not is_wgs84(gdf.crs):
        if not (reproject or crs is not None):
            raise GeodataError(
                [
                    overlay_problem(
                        resolved,
                        "",
                        f"CRS is {crs_name(gdf.crs)}, not WGS84 (EPSG:4326/CRS84)",
                        value=crs_name(gdf.crs),
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
    max_features: int | None = None,
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
    max_features : int, optional
        Most features accepted (default: the ``CORRIDORS_MAX_FEATURES`` cap).
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
    max_features = limit("features") if max_features is None else max_features
    if len(gdf) > max_features:
        message, hint = over_cap("features", f"{len(gdf):,} features", max_features)
        raise InputFileError(f"{source}: {message}; hint: {hint} (max_features=... in Python)")
    if gdf.crs is None:
        if crs is None:
            raise GeodataError(
                [
                    overlay_problem(
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
    if not is_wgs84(gdf.crs):
        gdf = gdf.to_crs("EPSG:4326")
    return _check_geometries(gdf, source, drop_empty=drop_empty)


def _set_crs(gdf: Any, crs: str, source: Path | str) -> Any:
    try:
        return gdf.set_crs(crs)
    except Exception as exc:
        raise GeodataError(
            [overlay_problem(source, "", f"unknown CRS {crs!r}", value=crs, code="crs-unknown")]
        ) from exc


def _check_geometries(gdf: Any, source: Path | str, *, drop_empty: bool) -> Any:
    """Report (or drop) features without geometry; refuse an empty or projected overlay."""
    # Features without geometry are reported, not silently dropped.
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    if bool(empty.any()):
        idx = [int(i) for i in empty.to_numpy().nonzero()[0]]
        records = gdf.drop(columns=gdf.geometry.name)
        problems = [
            overlay_problem(
                source,
                f"feature {i}",
                "feature has no geometry",
                code="geometry-empty",
                entity=feature_label(records.iloc[i].to_dict()),
                severity="warning" if drop_empty else "error",
                hint=None if drop_empty else "remove it, or pass drop_empty=True",
            )
            for i in idx[:MAX_REPORTED]
        ]
        if not drop_empty:
            raise GeodataError(problems)
        more = f" (and {len(idx) - MAX_REPORTED} more)" if len(idx) > MAX_REPORTED else ""
        warnings.warn(
            f"{source}: {len(idx)} feature(s) without geometry dropped{more}:\n"
            + "\n".join("  " + p.format() for p in problems),
            stacklevel=3,
        )
        gdf = gdf[~empty]
    if len(gdf) == 0:
        raise GeodataError(
            [overlay_problem(source, "", "overlay has no features with geometry", code="empty")]
        )

    minx, miny, maxx, maxy = (float(v) for v in gdf.total_bounds)
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)) or (
        minx < -180.0001 or maxx > 180.0001 or miny < -90.0001 or maxy > 90.0001
    ):
        raise GeodataError(
            [
                overlay_problem(
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
