"""``corridors assign DEMAND.toml``: an OD table of tonnes per year on best routes, with the
load on each segment, crossing and port against its capacity.

Exit 0 when every load with a known capacity is at most 100 %, 3 when one is over (the
report is still printed or written); bad demand files exit 1 with located errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register"]

#: Exit status when a load exceeds its capacity.
EXIT_OVER = 3
_FORMATS = {".json": "json", ".md": "md", ".txt": "text"}


def _cmd_assign(args: argparse.Namespace) -> int:
    from corridors.analytics.assign import assign
    from corridors.analytics.demand import load_demand
    from corridors.cli.scenario import scenario_and_atlas

    fmt = "json" if args.json else "text"
    if args.output is not None:
        ext = Path(args.output).suffix.lower()
        if ext not in _FORMATS:
            print(
                f"corridors: error: cannot tell the format of {args.output}; "
                "hint: use .json, .md or .txt",
                file=sys.stderr,
            )
            return 2
        fmt = _FORMATS[ext]
        from corridors.io.atomic import check_output_path

        check_output_path(
            args.output, suffixes=[ext], overwrite=args.overwrite, inputs=[args.demand]
        )
    atlas, _ = scenario_and_atlas(args, warn=False)
    demand = load_demand(args.demand, atlas)
    scen = args.scenario if args.scenario is not None else demand.scenario
    from corridors.cli.scenario import _scenario

    result = assign(atlas, demand, _scenario(scen, atlas), by=args.by)
    text = {"json": result.to_json, "md": result.to_markdown, "text": result.text}[fmt]()
    if args.output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        from corridors.io.atomic import write_text_atomic

        write_text_atomic(Path(args.output), text if text.endswith("\n") else text + "\n",
                          overwrite=args.overwrite)  # fmt: skip
        print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OVER if result.over_capacity else 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``assign`` to the ``corridors`` parser."""
    a = sub.add_parser(
        "assign",
        help="put an OD table of tonnes/yr on best routes; loads vs capacity (exit 3 if over)",
    )
    a.add_argument("demand", help="DEMAND.toml: [[flow]] origin, destination, tonnes_per_year")
    a.add_argument("--scenario", "-s", help="scenario (default: the file's, else full-vision)")
    a.add_argument(
        "--by",
        choices=("hours", "usd", "co2", "generalized"),
        help="what routes minimise (default: the file's 'by', else hours)",
    )
    a.add_argument("--json", action="store_true", help="JSON output (stable interface)")
    a.add_argument("-o", "--output", help="assign.json, assign.md or assign.txt; default stdout")
    a.add_argument("--overwrite", action="store_true", help="replace an existing file")
    a.add_argument("--geodata", help="geodata directory (default: bundled)")
    a.set_defaults(func=_cmd_assign)
