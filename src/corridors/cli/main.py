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
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from corridors import __version__
from corridors.errors import CorridorsError, GeodataError, InputFileError, did_you_mean
from corridors.gcpause import collection_paused
from corridors.textsafe import TerminalSafeWriter

if TYPE_CHECKING:  # pragma: no cover
    from corridors.model import Atlas

__all__ = ["main"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


_INVALID_CHOICE_RE = re.compile(r"invalid choice: '(.*)' \(choose from (.*)\)$", re.DOTALL)


def with_suggestion(message: str) -> str:
    """An argparse "invalid choice" message with "did you mean" added when a choice is close.

    >>> with_suggestion("argument --by: invalid choice: 'hour' (choose from 'hours', 'km')")
    "argument --by: invalid choice: 'hour' (choose from 'hours', 'km'); hint: did you mean 'hours'?"
    """
    m = _INVALID_CHOICE_RE.search(message)
    if not m:
        return message
    choices = re.findall(r"'([^']*)'", m.group(2))
    guess = did_you_mean(m.group(1), choices)
    return f"{message}; hint: {guess}" if guess else message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"corridors: error: {with_suggestion(message)}", file=sys.stderr)
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
        f"{f', {len(a.costs)} cost parameters' if a.costs is not None else ''}"
        f"{f', {len(a.projects)} projects' if a.projects else ''}; "
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
        "projects": tables.project_records,
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

    ls = sub.add_parser(
        "list", help="print bundled corridors, nodes, segments, platforms or projects"
    )
    ls.add_argument("what", choices=("corridors", "nodes", "segments", "platforms", "projects"))
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


#: Seconds an interrupted command's worker gets to run its own cleanup before the main
#: thread removes its temp files and exits (the whole stop stays under 2 s).
STOP_GRACE_S = 1.0


def _run_stoppable(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run the command in a worker thread, so Ctrl-C and SIGTERM end it within 2 s.

    Python runs signal handlers only in the main thread and only between bytecodes, so a
    long C call (GEOS simplifying a large overlay, a big parse) would hold off Ctrl-C until
    it returns. Here the main thread only waits: a signal raises in it at once, the same
    exception is sent to the worker (it runs its ``finally`` blocks as soon as it is back in
    Python), and after :data:`STOP_GRACE_S` every temp file still being written is removed
    (:func:`corridors.io.atomic.discard_pending`) and the exception propagates. The worker is
    a daemon thread: it never keeps the process alive. Errors in the command are re-raised
    in the main thread unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        return int(func(args))
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["status"] = int(func(args))
        except BaseException as exc:  # handed to the main thread below
            box["exc"] = exc

    worker = threading.Thread(target=work, name="corridors-command", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.05)
    except KeyboardInterrupt as exc:  # Ctrl-C, or Terminated (SIGTERM)
        _stop_worker(worker, type(exc))
        raise
    if "exc" in box:
        raise box["exc"]
    return int(box["status"])


def _stop_worker(worker: threading.Thread, exc_type: type[BaseException]) -> None:
    import ctypes

    from corridors.io.atomic import discard_pending

    if worker.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(worker.ident), ctypes.py_object(exc_type)
        )
    worker.join(STOP_GRACE_S)
    discard_pending()
    _STUCK.append(worker.is_alive())


#: Whether the last interrupted command left its worker stuck in a C call.
_STUCK: list[bool] = []


def _interrupted(status: int, *, hard: bool) -> int:
    """``status``, or exit the process at once when the worker is stuck and ``hard``.

    Interpreter teardown would otherwise free every object the stuck command built (seconds
    for a large overlay) before the process ends; the output streams are flushed first.
    """
    if hard and _STUCK and _STUCK[-1]:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(status)
    return status


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _check_env_caps() -> int:
    """Refuse a bad cap variable (``CORRIDORS_MAX_*``, :mod:`corridors.io.limits`) up front."""
    from corridors.io.limits import check_limits

    try:
        check_limits()
    except InputFileError as exc:
        print(f"corridors: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status.

    Exit status: 0 success, 1 problems in the input or the output, 2 usage errors, 130
    interrupted (Ctrl-C), 143 terminated (SIGTERM), 141 when the reader of stdout went away
    (``corridors list nodes | head -1``; nothing is printed then). An interrupt ends the
    command within 2 s, leaving no output or temp file, even inside a long C call (see
    :func:`_run_stoppable`); run as a program (``argv`` not given), the process then exits
    at once rather than tearing down what the stuck command built.
    """
    if not _EXTRA_COMMANDS:
        _register_optional()
    parser = build_parser()
    args = parser.parse_args(argv)
    status = _check_env_caps()
    if status:
        return status
    previous = previous_int = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
        # Ctrl-C ends the command even when the shell started it with SIGINT ignored
        previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafeWriter(sys.stdout), TerminalSafeWriter(sys.stderr)
    try:
        # The CLI owns its process, so it may pause the cyclic collector (see gcpause).
        with collection_paused():
            status = _run_stoppable(args.func, args)
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
        return _interrupted(143, hard=argv is None)
    except KeyboardInterrupt:
        print("corridors: interrupted", file=sys.stderr)
        return _interrupted(130, hard=argv is None)
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
        if previous_int is not None:
            signal.signal(signal.SIGINT, previous_int)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
