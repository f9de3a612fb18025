"""Writing a scenario's segments, with their computed attributes, to a file.

GeoJSON, GeoPackage (layer ``segments``) or GeoParquet, chosen by the extension, in
EPSG:4326; the rows are :func:`corridors.frames.scenario_geodataframe`'s.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from corridors.maps.features import feature_collection, segment_features
from corridors.model import Atlas
from corridors.network.graph import build_network
from corridors.scenario.bundled import scenario_from_arg
from corridors.scenario.model import Scenario

__all__ = ["EXPORT_FORMATS", "export_scenario"]

#: Export formats by file extension.
EXPORT_FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".parquet": "parquet"}


def export_scenario(
    atlas: Atlas,
    scenario: Scenario | str | os.PathLike[str] | None,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> str:
    """Write the scenario's segments (computed attributes, EPSG:4326) to a file.

    The format follows the extension: ``.geojson``, ``.gpkg`` (layer ``segments``) or
    ``.parquet`` (GeoParquet). The path is checked before any work and written atomically.

    Returns
    -------
    str
        The resolved output path.

    Raises
    ------
    OutputError
        Bad extension, existing file without ``overwrite``, missing directory, or the path
        equals an input.
    """
    from corridors.frames import scenario_geodataframe
    from corridors.io.atomic import check_output_path, write_atomic, write_text_atomic

    out = check_output_path(path, suffixes=EXPORT_FORMATS, overwrite=overwrite, inputs=inputs)
    fmt = EXPORT_FORMATS[out.suffix.lower()]
    net = build_network(atlas, scenario_from_arg(scenario, atlas=atlas))
    if fmt == "geojson":
        text = json.dumps(feature_collection(segment_features(net)), ensure_ascii=False)
        write_text_atomic(out, text + "\n", overwrite=overwrite)
        return str(out)
    gdf = scenario_geodataframe(atlas, net.scenario)

    def writer(tmp: Path) -> None:
        if fmt == "gpkg":
            import warnings

            tmp.unlink(missing_ok=True)
            with warnings.catch_warnings():  # GDAL dislikes the temp file's extension
                warnings.simplefilter("ignore", RuntimeWarning)
                gdf.to_file(tmp, driver="GPKG", layer="segments")
        else:
            gdf.to_parquet(tmp)

    write_atomic(out, writer, overwrite=overwrite)
    return str(out)
