"""``corridors route | report | compare | export``: scenario commands of the CLI.

Errors are printed as ``corridors: error: ...`` by :func:`corridors.cli.main.main` (exit 1 for bad
input or impossible requests, 2 for usage errors); no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - the CLI imports what a command needs when it runs
    from corridors.model import Atlas
    from corridors.network.routing import Route
    from corridors.scenario.model import Scenario

__all__ = [
    "add_circuity_option",
    "print_scenario_warnings",
    "register",
    "scenario_and_atlas",
]

REPORT_FORMATS = {".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv"}
COMPARE_FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".json": "json"}


#: Most routes ``-k`` may ask for (each alternative is a full search).
MAX_K = 100


def _positive_int(text: str) -> int:
    from corridors.io.numbers import NumberError, parse_number

    try:
        return int(parse_number(text, field="k", lo=1, hi=MAX_K, integer=True, text=True))
    except NumberError as exc:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer: {exc.reason}; hint: {exc.hint}"
        ) from None


def _circuity_warn(text: str) -> float:
    from corridors.io.numbers import NumberError, parse_number
    from corridors.scenario.checks import CIRCUITY_WARN_MAX

    try:
        return parse_number(text, field="circuity-warn", lo=1, hi=CIRCUITY_WARN_MAX, text=True)
    except NumberError as exc:
        raise argparse.ArgumentTypeError(
            f"expected a number >= 1 (a route is never shorter than the great circle): "
            f"{exc.reason}; hint: {exc.hint}"
        ) from None


def _as_of(text: str) -> int | str:
    from corridors.scenario.checks import as_of_problem

    value: int | str = text.strip()
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 4:
        value = int(value)
    problem = as_of_problem(value)
    if problem is not None:
        raise argparse.ArgumentTypeError(
            f"{problem}; hint: a year or a date, e.g. --as-of 2025-09-01 or --as-of 2030"
        )
    return value


def add_as_of_option(p: argparse.ArgumentParser) -> None:
    """Add ``--as-of DATE`` (overrides the scenario's ``as_of``; events apply at it)."""
    p.add_argument(
        "--as-of",
        type=_as_of,
        metavar="DATE",
        help="statuses and dated events as of a year or date, e.g. 2025-09-01 "
        "(default: the scenario's as_of; `today` is the data's date)",
    )


def add_circuity_option(p: argparse.ArgumentParser) -> None:
    """Add ``--circuity-warn X`` (overrides the scenario's ``circuity_warn``)."""
    p.add_argument(
        "--circuity-warn",
        type=_circuity_warn,
        metavar="X",
        help="report routes longer than X times the great circle as implausible "
        "(default: the scenario's circuity_warn, 2.0)",
    )


def print_scenario_warnings(atlas: Atlas, scen: Scenario) -> None:
    """Print the scenario's warnings (e.g. ``isolated-link``) to stderr."""
    from corridors.network.graph import build_network

    for w in build_network(atlas, scen).resolved.warnings:
        print(w.format(), file=sys.stderr)


def _atlas(args: argparse.Namespace) -> Atlas:
    if getattr(args, "geodata", None):
        from corridors.io.geodata import load_atlas

        return load_atlas(args.geodata)
    from corridors.network.routing import default_atlas

    return default_atlas()


def _scenario_inputs(*values: str | None, geodata: str | None = None) -> list[str]:
    """Files the command reads, which outputs may not overwrite: scenario arguments that
    are files, and every geodata file (``--geodata`` or the bundled set)."""
    from corridors.io.geodata import resolve_files

    found = [v for v in values if v and (Path(v).suffix.lower() == ".toml" or os.sep in v)]
    return found + [str(p) for p in resolve_files([geodata] if geodata else []).values()]


def _scenario(
    value: str | None,
    atlas: Atlas,
    circuity_warn: float | None = None,
    *,
    warn: bool = True,
    as_of: int | str | None = None,
) -> Scenario:
    from corridors.scenario.bundled import scenario_from_arg

    scen = scenario_from_arg(value, atlas=atlas)
    if circuity_warn is not None:
        scen = scen.with_circuity_warn(circuity_warn)
    if as_of is not None:
        from dataclasses import replace

        # the name says the date, so every output shows which network it describes
        scen = replace(scen.at_date(as_of), name=f"{scen.name} as of {as_of}")
    if warn:
        print_scenario_warnings(atlas, scen)
    return scen


def scenario_and_atlas(args: argparse.Namespace, *, warn: bool = True) -> tuple[Atlas, Scenario]:
    """The atlas (``--geodata``) and scenario (``--scenario``, ``--circuity-warn``) of
    ``args``; the scenario's warnings go to stderr unless ``warn`` is false."""
    atlas = _atlas(args)
    scen = _scenario(
        getattr(args, "scenario", None),
        atlas,
        getattr(args, "circuity_warn", None),
        warn=warn,
        as_of=getattr(args, "as_of", None),
    )
    return atlas, scen


def _usage_error(msg: str) -> int:
    print(f"corridors: error: {msg}", file=sys.stderr)
    return 2


# --------------------------------------------------------------------------- route
def _fmt_route(r: Route) -> str:
    lines = [r.summary()]
    lines.append(
        f"  scenario {r.scenario}; {len(r.border_crossings)} border crossing(s), "
        f"{len(r.transshipments)} transshipment(s), {len(r.gauge_breaks)} gauge break(s)"
        + (
            f" + {len(r.possible_gauge_breaks)} possible (unknown gauge)"
            if r.possible_gauge_breaks
            else ""
        )
    )
    lines.extend("  " + line for line in r.plausibility_lines())
    lines.append("  " + (r.costs.summary() if r.costs is not None else "costs: no cost table"))
    w = max([len(f"{leg.from_node} → {leg.to_node}") for leg in r.legs] + [4])
    for leg in r.legs:
        span = f"{leg.from_node} → {leg.to_node}".ljust(w)
        lines.append(
            f"  {span}  {leg.mode:<6} {leg.length_km:>8,.0f} km {leg.hours:>7,.1f} h  "
            f"{'>'.join(leg.countries):<12} {leg.segment}"
        )
    for svc in r.services:
        on = [leg.segment for leg in r.legs if any(x.id == svc.id for x in leg.services)]
        lines.append(f"  service {svc.label()} (on {', '.join(dict.fromkeys(on))})")
    for b in r.border_crossings:
        lines.append(
            f"  border {b.from_country} → {b.to_country}"
            + (f" at {b.at}" if b.at else "")
            + f" ({b.mode}, {b.segment})"
        )
    for t in r.transshipments:
        lines.append(f"  {t.kind} at {t.at}: {t.from_mode} → {t.to_mode} (+{t.hours:g} h)")
    for t in r.gauge_breaks:
        lines.append(
            f"  break of gauge at {t.at}: {t.from_gauge_mm} → {t.to_gauge_mm} mm (+{t.hours:g} h)"
        )
    for t in r.possible_gauge_breaks:
        g1 = t.from_gauge_mm if t.from_gauge_mm is not None else "unknown"
        g2 = t.to_gauge_mm if t.to_gauge_mm is not None else "unknown"
        lines.append(f"  possible break of gauge at {t.at}: {g1} → {g2} mm (gauge not sourced)")
    return "\n".join(lines)


def _cmd_route(args: argparse.Namespace) -> int:
    from corridors.network.routing import route

    if args.pairs and (args.origin or args.destination):
        return _usage_error("give ORIGIN DESTINATION or --pairs, not both")
    if not args.pairs and not (args.origin and args.destination):
        return _usage_error(
            "route needs ORIGIN and DESTINATION (or --pairs A:B,C:D); "
            "e.g. corridors route Gwadar Baku"
        )
    atlas = _atlas(args)
    scen = _scenario(
        args.scenario, atlas, args.circuity_warn, as_of=args.as_of, warn=not args.close
    )
    if args.close:
        from corridors.scenario.closures import with_close_items

        items = [x.strip() for arg in args.close for x in arg.split(",") if x.strip()]
        scen = with_close_items(scen, items)
        print_scenario_warnings(atlas, scen)
    pairs = args.pairs or [(args.origin, args.destination)]
    routes = [
        route(atlas, scen, o, d, k=args.k, weight=args.by, via=args.via, avoid=args.avoid)
        for o, d in pairs
    ]
    if args.explain and any(r.costs is None for r in routes):
        from corridors.errors import CorridorsError

        raise CorridorsError(
            "--explain needs the cost table (geodata/costs.toml), which this atlas does not "
            "have; hint: drop --explain, or add costs.toml to the geodata"
        )
    from corridors.analytics.disputed import route_disputed, worldview_list
    from corridors.cli.worldview import route_disputed_lines

    wvs = worldview_list(args.worldview)
    if args.json:
        dicts = []
        for r in routes:
            d = {**r.to_dict(), "disputed": route_disputed(atlas, r, wvs)}
            if args.explain:
                d["explain"] = r.explain(atlas).to_dict()
            dicts.append(d)
        data = dicts if args.pairs else dicts[0]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    for n, r in enumerate(routes):
        if n:
            print()
        print(_fmt_route(r))
        for line in route_disputed_lines(atlas, r, wvs):
            print(line)
        if args.explain:
            print(r.explain(atlas).text())
        for i, alt in enumerate(r.alternatives, start=2):
            print(f"\nalternative {i}: " + "; ".join(alt.differs_by))
            print(_fmt_route(alt))
    return 0


# --------------------------------------------------------------------------- report
def _pick_format(
    fmt: str | None, output: str | None, table: dict[str, str], default: str
) -> str | None:
    """Format from ``--format`` and/or the output extension; None when they disagree."""
    if output is None:
        return fmt or default
    ext = Path(output).suffix.lower()
    from_ext = table.get(ext)
    if fmt is None:
        return from_ext or default
    if from_ext is not None and from_ext != fmt:
        return None
    return fmt


def _write_or_print(
    text: str, args: argparse.Namespace, suffixes: Iterable[str], inputs: Iterable[str]
) -> int:
    if args.output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    from corridors.io.atomic import check_output_path, write_text_atomic

    out = check_output_path(args.output, suffixes=suffixes, overwrite=args.overwrite, inputs=inputs)
    write_text_atomic(out, text if text.endswith("\n") else text + "\n", overwrite=args.overwrite)
    print(f"wrote {out}", file=sys.stderr)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from corridors.analytics.report import report
    from corridors.io.atomic import check_output_path

    fmt = _pick_format(args.format, args.output, REPORT_FORMATS, "md")
    if fmt is None:
        return _usage_error(
            f"--format {args.format} does not match the extension of {args.output}; "
            "hint: use .md for md, .json for json, .csv for csv"
        )
    suffixes = [k for k, v in REPORT_FORMATS.items() if v == fmt]
    inputs = _scenario_inputs(args.scenario, geodata=args.geodata)
    if args.output is not None:  # check before any work
        check_output_path(args.output, suffixes=suffixes, overwrite=args.overwrite, inputs=inputs)
    atlas = _atlas(args)
    rep = report(
        atlas, _scenario(args.scenario, atlas, as_of=args.as_of), worldviews=args.worldview
    )
    text = {"md": rep.to_markdown, "json": rep.to_json, "csv": rep.to_csv}[fmt]()
    return _write_or_print(text, args, suffixes, inputs)


# --------------------------------------------------------------------------- compare
def _pairs(text: str | None) -> list[tuple[str, str]] | None:
    if not text:
        return None
    out = []
    for item in text.split(","):
        if ":" not in item:
            raise argparse.ArgumentTypeError(
                f"pair {item!r} must look like ORIGIN:DEST (e.g. gwadar_port:baku)"
            )
        a, b = item.split(":", 1)
        out.append((a.strip(), b.strip()))
    return out


def _cmd_compare(args: argparse.Namespace) -> int:
    from corridors.analytics.diff import diff
    from corridors.io.atomic import check_output_path

    fmt = _pick_format(None, args.output, COMPARE_FORMATS, "md")
    inputs = _scenario_inputs(args.a, args.b, geodata=args.geodata)
    if args.output is not None:
        ext = Path(args.output).suffix.lower()
        if ext not in COMPARE_FORMATS:
            return _usage_error(
                f"cannot tell the format of {args.output}; hint: use .html, .md or .json"
            )
        check_output_path(args.output, suffixes=[ext], overwrite=args.overwrite, inputs=inputs)
    atlas = _atlas(args)
    sa, sb = _scenario(args.a, atlas), _scenario(args.b, atlas)
    if fmt == "html":  # both scenarios drawn side by side, and the per-pair table
        from corridors.maps.scenario_compare import compare_page

        text = compare_page(atlas, sa, sb, args.pairs)
    else:
        d = diff(atlas, sa, sb, args.pairs)
        text = {"md": d.to_markdown, "json": d.to_json}[fmt or "md"]()
    suffixes = [k for k, v in COMPARE_FORMATS.items() if v == fmt]
    return _write_or_print(text, args, suffixes, inputs)


# --------------------------------------------------------------------------- export
def _cmd_export(args: argparse.Namespace) -> int:
    from corridors.io.atomic import check_output_path
    from corridors.io.export import EXPORT_FORMATS, export_scenario

    inputs = _scenario_inputs(args.scenario, geodata=args.geodata)
    check_output_path(args.output, suffixes=EXPORT_FORMATS, overwrite=args.overwrite, inputs=inputs)
    atlas = _atlas(args)
    scen = _scenario(args.scenario, atlas, as_of=args.as_of)
    path = export_scenario(atlas, scen, args.output, overwrite=args.overwrite, inputs=inputs)
    print(f"wrote {path}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``route``, ``report``, ``compare`` and ``export`` to the ``corridors`` parser."""
    from corridors.cli.worldview import add_worldview_option

    scen_help = "scenario TOML file or bundled name (e.g. full-vision, today)"

    r = sub.add_parser("route", help="fastest route between two places in a scenario")
    r.add_argument("origin", nargs="?", help="node id or name (e.g. gwadar_port, Gwadar)")
    r.add_argument("destination", nargs="?", help="node id or name")
    r.add_argument("--scenario", "-s", help=scen_help + " (default: full-vision)")
    r.add_argument(
        "-k",
        "--k",
        type=_positive_int,
        default=1,
        help="number of routes (default 1); alternatives differ materially and say how",
    )
    r.add_argument(
        "--via",
        action="append",
        default=[],
        metavar="PLACE",
        help="a place the route must pass (repeat for several, in order)",
    )
    r.add_argument(
        "--avoid",
        action="append",
        default=[],
        metavar="ITEM",
        help="a country (IRN), border (AFG-PAK) or sea passage (hormuz) not to use; repeatable",
    )
    r.add_argument(
        "--close",
        action="append",
        default=[],
        metavar="ITEMS",
        help="close items, comma-separated and repeatable: segment:ID, node:ID, border:AAA-BBB, "
        "country:AAA, passage:NAME (or bare, as a scenario's close list reads them); "
        "added to the scenario's own closures",
    )
    r.add_argument(
        "--pairs",
        type=_pairs,
        help="route several pairs ORIGIN:DEST,ORIGIN:DEST (JSON: an array) instead of one",
    )
    r.add_argument(
        "--by",
        choices=("hours", "length_km", "usd", "co2", "generalized"),
        default="hours",
        help="what to minimise: the scenario hours (default), length, or the cost table's "
        "expected US$/t, kg CO2e/t or generalized cost (US$/t + value of time x hours)",
    )
    r.add_argument(
        "--explain",
        action="store_true",
        help="why this route: cost components per leg, statuses, circuity and the sources "
        "of the biggest cost items",
    )
    r.add_argument("--json", action="store_true", help="JSON output (stable interface)")
    add_circuity_option(r)
    add_as_of_option(r)
    add_worldview_option(r, many=True)
    r.add_argument("--geodata", help="geodata directory (default: bundled)")
    r.set_defaults(func=_cmd_route)

    rp = sub.add_parser("report", help="km by corridor/country and hub connectivity")
    rp.add_argument("scenario", help=scen_help)
    rp.add_argument("--format", choices=("md", "json", "csv"), help="default: from -o, else md")
    rp.add_argument("-o", "--output", help="output file (.md, .json, .csv); default stdout")
    rp.add_argument("--overwrite", action="store_true", help="replace an existing file")
    add_as_of_option(rp)
    add_worldview_option(rp, many=True)
    rp.add_argument("--geodata", help="geodata directory (default: bundled)")
    rp.set_defaults(func=_cmd_report)

    c = sub.add_parser(
        "compare",
        help="what changes between two scenarios (diff.html: both drawn side by side)",
    )
    c.add_argument("a", help=scen_help)
    c.add_argument("b", help=scen_help)
    c.add_argument("-o", "--output", help="diff.html, diff.md or diff.json; default stdout (md)")
    c.add_argument("--overwrite", action="store_true", help="replace an existing file")
    c.add_argument(
        "--pairs",
        type=_pairs,
        help="reference pairs ORIGIN:DEST,ORIGIN:DEST (default: hub pairs; the HTML page "
        "draws the given pairs, or the first 6 hub pairs whose route changes)",
    )
    c.add_argument("--geodata", help="geodata directory (default: bundled)")
    c.set_defaults(func=_cmd_compare)

    e = sub.add_parser("export", help="write a scenario's segments with computed attributes")
    e.add_argument("scenario", nargs="?", help=scen_help + " (default: full-vision)")
    e.add_argument("-o", "--output", required=True, help="PATH.geojson, PATH.gpkg or PATH.parquet")
    e.add_argument("--overwrite", action="store_true", help="replace an existing file")
    add_as_of_option(e)
    e.add_argument("--geodata", help="geodata directory (default: bundled)")
    e.set_defaults(func=_cmd_export)
