"""``corridors doctor``: dead ends, islands and implausible hub pairs of a scenario's network.

Exit status: 0 when the network is clean, 1 when the report lists anything (or the input
is bad), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register"]


def _hubs(text: str) -> list[str]:
    items = [h.strip() for h in text.split(",")]
    if not all(items):
        raise argparse.ArgumentTypeError(
            f"expected comma-separated node ids or names, got {text!r}; e.g. kabul,tashkent"
        )
    return items


def _cmd_doctor(args: argparse.Namespace) -> int:
    from corridors.analytics.doctor import doctor
    from corridors.cli.scenario import scenario_and_atlas

    atlas, scen = scenario_and_atlas(args, warn=False)
    rep = doctor(atlas, scen, hubs=args.hubs, circuity_warn=args.circuity_warn)
    sys.stdout.write(rep.to_json() if args.json else rep.to_text())
    return 0 if rep.ok else 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``doctor`` sub-command to the ``corridors`` parser."""
    from corridors.cli.scenario import add_as_of_option, add_circuity_option

    p = sub.add_parser(
        "doctor",
        help="list a scenario network's dead ends, islands and implausible hub pairs "
        "(exit 1 when there are any)",
    )
    p.add_argument(
        "--scenario",
        "-s",
        help="scenario TOML file or bundled name (default: full-vision)",
    )
    p.add_argument("--json", action="store_true", help="JSON output (stable interface)")
    p.add_argument(
        "--hubs",
        type=_hubs,
        metavar="A,B,…",
        help="hub node ids or names (default: the geodata's hubs.toml)",
    )
    add_circuity_option(p)
    add_as_of_option(p)
    p.add_argument("--geodata", help="geodata directory (default: bundled)")
    p.set_defaults(func=_cmd_doctor)
