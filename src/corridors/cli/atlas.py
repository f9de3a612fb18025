"""``corridors map``: write the atlas (or a scenario's map) as one offline HTML file."""

from __future__ import annotations

import argparse
import sys

from corridors.io.atomic import check_output_path

__all__ = ["register"]


def _cmd_map(args: argparse.Namespace) -> int:
    from corridors.io.geodata import load_atlas
    from corridors.maps.atlas import atlas_map, save_atlas

    if args.tiles:
        from corridors.render.build import tile_layer

        for name in args.tiles:  # an unknown provider is refused before any work
            tile_layer(name)
    from corridors.cli.scenario import _scenario_inputs as files_read

    inputs = list(args.overlay or []) + files_read(args.scenario, geodata=args.geodata)
    if args.scenario:
        inputs.append(args.scenario)
    out = check_output_path(
        args.output, suffixes=(".html", ".htm"), overwrite=args.overwrite, inputs=inputs
    )
    atlas = load_atlas(args.geodata)
    overlays = []
    if args.overlay:
        from corridors.maps.overlay import load_overlay

        for path in args.overlay:
            overlays.append(load_overlay(path, crs=args.overlay_crs))
    if args.scenario or args.route:
        # --route alone draws on the default scenario (the one `corridors route` uses)
        from corridors.cli.scenario import print_scenario_warnings
        from corridors.maps.scenario import scenario_map
        from corridors.scenario.bundled import scenario_from_arg

        print_scenario_warnings(atlas, scenario_from_arg(args.scenario, atlas=atlas))

        m = scenario_map(
            atlas, args.scenario, tiles=args.tiles or (), overlays=overlays, routes=args.route or ()
        )
    else:
        m = atlas_map(atlas, tiles=args.tiles or (), overlays=overlays, worldview=args.worldview)
    path = save_atlas(m, out, overwrite=args.overwrite, inputs=inputs)
    size = path.stat().st_size
    print(f"wrote {path} ({size / 1e6:.2f} MB)", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``map`` sub-command to the ``corridors`` parser."""
    p = sub.add_parser("map", help="write the interactive atlas as one offline HTML file")
    p.add_argument("scenario", nargs="?", help="scenario TOML file or bundled scenario name")
    p.add_argument("-o", "--output", required=True, help="output .html path")
    p.add_argument("--overwrite", action="store_true", help="replace an existing file")
    p.add_argument(
        "--overlay",
        action="append",
        metavar="FILE",
        help="user layer: GeoJSON, GeoPackage or GeoParquet (repeatable)",
    )
    p.add_argument(
        "--overlay-crs",
        metavar="CRS",
        help="CRS of overlays that have none (e.g. EPSG:4326); never guessed",
    )
    p.add_argument(
        "--tiles",
        action="append",
        metavar="NAME",
        help="optional online base layer, e.g. OpenStreetMap (repeatable)",
    )
    p.add_argument(
        "--route",
        action="append",
        metavar="FROM:TO",
        help="draw the computed route FROM:TO with its totals (repeatable); without a "
        "scenario, in the default one (full-vision), as `corridors route` does",
    )
    from corridors.cli.worldview import add_worldview_option

    add_worldview_option(p, many=False)
    p.add_argument("--geodata", help="geodata directory (default: bundled)")
    p.set_defaults(func=_cmd_map)
