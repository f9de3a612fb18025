"""Overlay layers: a user's GeoDataFrame or file (GeoJSON, GeoPackage, GeoParquet) as a map
layer.

:func:`load_overlay` takes a path (read and checked by :func:`corridors.io.overlay.read_overlay`)
or a GeoDataFrame (checked by :func:`corridors.io.overlay.check_overlay_frame`: a missing CRS
is an error with a hint, another CRS than WGS84 is reprojected) and returns a
:class:`corridors.render.LayerSpec` whose feature properties are JSON-safe (dates as ISO
strings). The same data draw the same whether they come from a file or a frame. The map shows
up to eight of its columns in each feature's tooltip.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import numpy as np

from corridors.io.overlay import (
    check_overlay_frame,
    read_overlay,
)
from corridors.maps.features import feature_collection
from corridors.maps.tree import GROUP_OVERLAYS
from corridors.render.spec import LayerSpec

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = [
    "AUTO_SIMPLIFY_DEG",
    "AUTO_SIMPLIFY_VERTICES",
    "OverlaySource",
    "load_overlay",
    "overlay_layer",
    "overlay_layers",
]

#: What an overlay can be given as: a layer, a GeoDataFrame or a file path.
OverlaySource: TypeAlias = "LayerSpec | gpd.GeoDataFrame | str | os.PathLike[str]"

#: Above this many vertices in total an overlay is simplified for display (``simplify_deg``
#: ``None``) with :data:`AUTO_SIMPLIFY_DEG`.
AUTO_SIMPLIFY_VERTICES = 200_000
AUTO_SIMPLIFY_DEG = 0.002
#: Title of an overlay given as a GeoDataFrame without one.
FRAME_TITLE = "Overlay"


def _json_value(value: Any) -> Any:
    """Property value → JSON-safe value (dates/times as ISO text, NaN as null)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    # numpy / pandas scalars and arrays
    if hasattr(value, "isoformat"):
        try:
            return value.isoformat()
        except (TypeError, ValueError):
            pass
    if hasattr(value, "tolist"):
        return _json_value(value.tolist())
    if hasattr(value, "item"):
        try:
            return _json_value(value.item())
        except (TypeError, ValueError):
            pass
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError, ImportError):
        pass
    return str(value)


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-")
    return slug or "overlay"


def _geom_family(geom_type: str) -> str:
    if "Polygon" in geom_type:
        return "polygons"
    if "LineString" in geom_type:
        return "lines"
    if "Point" in geom_type:
        return "points"
    return "lines"


def load_overlay(
    source: gpd.GeoDataFrame | str | os.PathLike[str],
    *,
    crs: str | None = None,
    reproject: bool = False,
    max_bytes: int | None = None,
    max_features: int | None = None,
    simplify_deg: float | None = None,
    drop_empty: bool = False,
    layer: str | None = None,
    key: str | None = None,
    title: str | None = None,
    group: tuple[str, ...] = (GROUP_OVERLAYS,),
    colour: str | None = None,
) -> LayerSpec:
    """A user overlay — a file or a GeoDataFrame — as a :class:`~corridors.render.LayerSpec`.

    Parameters
    ----------
    source : GeoDataFrame or path-like
        A GeoDataFrame (with a CRS: it is reprojected to EPSG:4326 when needed), or a
        ``.geojson``/``.json``, ``.gpkg`` or ``.parquet``/``.geoparquet`` file.
    crs : str, optional
        CRS of the data. Required when the file or frame declares none (it is then set,
        and the data reprojected to WGS84 if needed). When a file declares a CRS other
        than EPSG:4326/CRS84, passing that CRS here (or ``reproject=True``) allows
        reprojection.
    reproject : bool
        Reproject a non-WGS84 file to EPSG:4326 (otherwise such a file is rejected; a
        frame's CRS is explicit and always reprojected).
    max_bytes : int, optional
        Largest file size accepted, checked before reading.
    max_features : int, optional
        Most features accepted (checked from metadata before reading GeoPackage/GeoParquet).
    simplify_deg : float, optional
        Display simplification tolerance in degrees; ``None`` = automatic
        (:data:`AUTO_SIMPLIFY_DEG` when the overlay has more than
        :data:`AUTO_SIMPLIFY_VERTICES` vertices), ``0`` = none.
    drop_empty : bool
        Drop features without geometry (with a warning naming them) instead of failing.
    layer : str, optional
        Layer of a multi-layer GeoPackage.
    key, title, group, colour
        Layer key (default ``"overlay:<slug of the title>"``), title (the file name;
        ``"Overlay"`` for a frame), tree group and colour.

    Returns
    -------
    LayerSpec
        Key ``overlay:…``; features in WGS84 with JSON-safe properties.

    Raises
    ------
    corridors.errors.InputFileError, corridors.errors.GeodataError
        As :func:`corridors.io.overlay.read_overlay` (files) and
        :func:`corridors.io.overlay.check_overlay_frame` (frames) raise them.
    """
    if _is_frame(source):
        gdf = check_overlay_frame(source, crs=crs, max_features=max_features, drop_empty=drop_empty)
        title = title or FRAME_TITLE
        stem = title
    else:
        path = Path(os.fspath(cast("str | os.PathLike[str]", source)))
        gdf = read_overlay(
            path,
            crs=crs,
            reproject=reproject,
            max_bytes=max_bytes,
            max_features=max_features,
            drop_empty=drop_empty,
            layer=layer,
        )
        resolved = path.expanduser().resolve()
        title = title or resolved.name
        stem = resolved.stem
    return overlay_layer(
        gdf,
        key=key or f"overlay:{_slug(stem)}",
        title=title,
        group=group,
        colour=colour,
        simplify_deg=simplify_deg,
    )


def overlay_layer(
    gdf: gpd.GeoDataFrame,
    *,
    key: str,
    title: str,
    group: tuple[str, ...] = (GROUP_OVERLAYS,),
    colour: str | None = None,
    simplify_deg: float | None = None,
) -> LayerSpec:
    """The layer of a checked overlay frame (EPSG:4326, every feature with a geometry).

    The layer's kind is the commonest geometry family; properties become JSON-safe.
    """
    import shapely
    from shapely.geometry import mapping

    geoms = gdf.geometry.to_numpy()
    if simplify_deg is None:
        total = int(shapely.get_num_coordinates(geoms).sum())
        simplify_deg = AUTO_SIMPLIFY_DEG if total > AUTO_SIMPLIFY_VERTICES else 0.0
    if simplify_deg and simplify_deg > 0:
        polygonal = shapely.get_type_id(geoms) >= 3
        simplified = shapely.simplify(geoms, simplify_deg, preserve_topology=True)
        geoms = np.array(
            [
                s if (p or not s.is_empty) else g
                for s, g, p in zip(simplified, geoms, polygonal, strict=True)
            ],
            dtype=object,
        )

    families: dict[str, int] = {}
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    records = gdf[columns].to_dict(orient="records") if columns else [{} for _ in range(len(gdf))]
    features = []
    for geom, rec in zip(geoms, records, strict=True):
        fam = _geom_family(geom.geom_type)
        families[fam] = families.get(fam, 0) + 1
        features.append(
            {
                "type": "Feature",
                "geometry": mapping(geom),
                "properties": {str(k): _json_value(v) for k, v in rec.items()},
            }
        )
    kind = max(sorted(families), key=lambda k: families[k])
    return LayerSpec(
        key=key,
        role="overlay",
        title=title,
        group=tuple(group),
        kind=kind,
        features=feature_collection(features),
        colour=colour,
    )


def overlay_layers(overlays: Sequence[OverlaySource]) -> list[LayerSpec]:
    """Layers of ``overlays``: layers as they are, frames and paths via :func:`load_overlay`.

    Frames are titled "Overlay", "Overlay 2"… in order, so their keys stay unique.
    """
    out: list[LayerSpec] = []
    frames = 0
    for item in overlays:
        if isinstance(item, LayerSpec):
            out.append(item)
        elif _is_frame(item):
            frames += 1
            out.append(load_overlay(item, title=FRAME_TITLE + (f" {frames}" if frames > 1 else "")))
        elif isinstance(item, str | os.PathLike):
            out.append(load_overlay(item))
        else:
            raise TypeError(
                f"an overlay is a LayerSpec, a GeoDataFrame or a file path, not "
                f"{type(item).__name__}; hint: corridors.load_overlay(path_or_frame)"
            )
    return out


def _is_frame(value: Any) -> bool:
    """Whether ``value`` is a (Geo)DataFrame, without importing geopandas for a path."""
    if isinstance(value, str | os.PathLike | LayerSpec):
        return False
    import pandas as pd

    return isinstance(value, pd.DataFrame)
