"""The ``corridors`` command line: validate, list (and, in later modules, map, route,
doctor…).

Errors from bad input are printed as located messages without a traceback; exit status is
0 on success, 1 when the input has problems, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from corridors import __version__
from corridors.errors import CorridorsError, GeodataError, InputFileError
from corridors.gcpause import collection_paused
from corridors.textsafe import TerminalSafeWriter

if TYPE_CHECKING:  # pragma: no cover
    from corridors.model import Atlas

__all__ = ["main"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"corridors: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _cmd_validate(args: argparse.Namespace) -> int:
    from corridors.io.geodata import validate_geodata

    try:
        result = validate_geodata(args.paths)
    except InputFileError as exc:
        print(f"corridors: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for p in result.problems:
        print(p.format(), file=sys.stderr if p.severity == "error" else sys.stdout)
    if result.errors:
        print(
            f"corridors validate: {len(result.errors)} error(s), {len(result.warnings)} warning(s)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    a = result.atlas
    assert a is not None
    print(
        f"corridors validate: OK — {len(a.nodes)} nodes, {len(a.waypoints)} waypoints, "
        f"{len(a.segments)} segments, {len(a.corridors)} corridors, "
        f"{len(a.platforms)} platforms, {len(a.routes)} reference routes, "
        f"{len(a.countries) if a.countries is not None else 0} countries"
        f"{f', {len(a.costs)} cost parameters' if a.costs is not None else ''}; "
        f"{len(result.warnings)} warning(s)"
    )
    if args.network:
        from corridors.analytics.doctor import doctor

        rep = doctor(a, "full-vision")
        sys.stdout.write(rep.to_text())
        return EXIT_OK if rep.ok else EXIT_PROBLEMS
    return EXIT_OK


def _load(args: argparse.Namespace) -> Atlas:
    from corridors.io.geodata import load_atlas

    return load_atlas(getattr(args, "geodata", None))


def _cmd_list(args: argparse.Namespace) -> int:
    from corridors.cli import tables

    atlas = _load(args)
    fn: Callable[[Atlas], list[dict[str, Any]]] = {
        "nodes": tables.node_records,
        "segments": tables.segment_records,
        "corridors": tables.corridor_records,
        "platforms": tables.platform_records,
    }[args.what]
    records = fn(atlas)
    if args.json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    else:
        print(tables.format_table(args.what, records))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``corridors`` command."""
    p = _Parser(prog="corridors", description="Atlas and scenario lab for Eurasian corridors.")
    p.add_argument("--version", action="version", version=f"corridors {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    v = sub.add_parser("validate", help="check geodata (the bundled set by default)")
    v.add_argument("paths", nargs="*", help="a geodata directory and/or individual files")
    v.add_argument(
        "--network",
        action="store_true",
        help="also check the full-vision network like `corridors doctor` (exit 1 on findings)",
    )
    v.set_defaults(func=_cmd_validate)

    ls = sub.add_parser("list", help="print bundled corridors, nodes, segments or platforms")
    ls.add_argument("what", choices=("corridors", "nodes", "segments", "platforms"))
    ls.add_argument("--json", action="store_true", help="JSON array (stable interface)")
    ls.add_argument("--geodata", help="geodata directory (default: bundled)")
    ls.set_defaults(func=_cmd_list)

    for register in _EXTRA_COMMANDS:
        register(sub)
    return p


#: Hooks adding sub-commands from other modules (map, route, report…).
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def _register_optional() -> None:
    import importlib

    for mod in (
        "corridors.cli.atlas",
        "corridors.cli.scenario",
        "corridors.cli.doctor",
        "corridors.cli.assign",
    ):
        try:
            m = importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise
            continue
        _EXTRA_COMMANDS.append(m.register)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that every ``finally`` and temp-file cleanup runs."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _check_env_caps() -> int:
    """Refuse a bad ``CORRIDORS_MAX_INPUT_MB`` / ``CORRIDORS_MAX_VERTICES`` once, up front."""
    from corridors.io.geodata.geometry import max_vertices
    from corridors.io.read import max_input_bytes

    try:
        max_input_bytes()
        max_vertices()
    except InputFileError as exc:
        print(f"corridors: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status.

    Exit status: 0 success, 1 problems in the input or the output, 2 usage errors, 130
    interrupted (Ctrl-C), 143 terminated (SIGTERM), 141 when the reader of stdout went away
    (``corridors list nodes | head -1``; nothing is printed then).
    """
    if not _EXTRA_COMMANDS:
        _register_optional()
    parser = build_parser()
    args = parser.parse_args(argv)
    status = _check_env_caps()
    if status:
        return status
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafeWriter(sys.stdout), TerminalSafeWriter(sys.stderr)
    try:
        # The CLI owns its process, so it may pause the cyclic collector (see gcpause).
        with collection_paused():
            status = int(args.func(args))
        sys.stdout.flush()
        return status
    except GeodataError as exc:
        print(f"corridors: error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except CorridorsError as exc:
        print(f"corridors: error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except Terminated:
        print("corridors: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("corridors: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except OSError as exc:
        # stdout/stderr on a full device or closed: one line, no traceback
        from corridors.io.atomic import os_error_message

        _silence_stdout()
        target = exc.filename if exc.filename is not None else "<stdout>"
        with contextlib.suppress(OSError):
            print(f"corridors: error: {os_error_message(target, exc)}", file=sys.stderr)
        return EXIT_PROBLEMS
    finally:
        sys.stdout, sys.stderr = streams
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
