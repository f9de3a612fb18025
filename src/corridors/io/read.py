"""Strict readers for JSON/GeoJSON and TOML that report located problems.

Shared by the geodata loader, the overlay reader and the scenario reader. Every user file
is read through :func:`read_input_bytes`: regular files only (a FIFO, device or directory is
refused before it is opened for reading, and re-checked with ``fstat`` on the descriptor, which
is opened non-blocking), a size cap checked from ``fstat`` and enforced while reading (at most
cap + 1 bytes are read). Before parsing, :func:`check_structure` scans the text once,
iteratively, and refuses nesting deeper than :data:`MAX_NESTING` and numbers longer than
:data:`~corridors.io.numbers.MAX_NUMBER_CHARS` with ``line:column``, so the recursive parsers
never raise ``RecursionError`` or the int-digit-limit ``ValueError``. NaN/Infinity are
rejected at parse time, duplicate JSON keys rejected, and TOML errors reported as
``file:line:column``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corridors.errors import GeodataError, InputFileError, Problem, problem
from corridors.io.limits import LIMITS, check_json_counts, limit
from corridors.io.numbers import MAX_NUMBER_CHARS

__all__ = [
    "DEFAULT_MAX_INPUT_BYTES",
    "MAX_NESTING",
    "check_input_file",
    "check_position",
    "check_structure",
    "max_input_bytes",
    "read_input_bytes",
    "read_json",
    "read_toml",
]

#: Default cap on the size of one input file (bytes); ``CORRIDORS_MAX_INPUT_MB`` overrides it.
DEFAULT_MAX_INPUT_BYTES = LIMITS["input_mb"].default * LIMITS["input_mb"].scale

#: Deepest nesting of arrays/objects (JSON) or arrays/inline tables (TOML) accepted.
MAX_NESTING = 100

_BAD_CONSTANT_RE = re.compile(r"(?<![\w\"])(-?Infinity|NaN)(?![\w\"])")


def max_input_bytes() -> int:
    """Return the configured input size cap in bytes (``CORRIDORS_MAX_INPUT_MB`` overrides).

    Raises
    ------
    InputFileError
        When the variable is set to anything but a number of MB in [0.001, 1048576].
    """
    return limit("input_mb")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_regular(resolved: Path, mode: int) -> InputFileError:
    what = _kind(mode)
    return InputFileError(
        f"{resolved}: is {what}, expected a regular file; hint: pass a regular file "
        "(copy a stream to a file first)"
    )


def _too_big(resolved: Path, size: int | None, cap: int) -> InputFileError:
    said = f"{size / 1e6:.1f} MB" if size is not None else "larger than the cap"
    return InputFileError(
        f"{resolved}: file is {said}, over the {cap / 1e6:.1f} MB input cap; "
        "hint: simplify or split it, or raise the cap (CORRIDORS_MAX_INPUT_MB / max_bytes)"
    )


def check_input_file(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Path:
    """Check that ``path`` is an existing regular file under the size cap (without opening it).

    Raises
    ------
    InputFileError
        Naming the resolved path and what to do: missing, a directory, a FIFO, a device, or
        over the cap.
    """
    p = Path(path).expanduser()
    resolved = p.resolve()
    try:
        st = os.stat(resolved)
    except FileNotFoundError:
        raise InputFileError(f"{resolved}: file not found; hint: check the path") from None
    except OSError as exc:
        raise InputFileError(
            f"{resolved}: cannot be read ({exc.strerror}); hint: check the path and permissions"
        ) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputFileError(f"{resolved}: is a directory, expected a file")
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(resolved, st.st_mode)
    cap = max_bytes if max_bytes is not None else max_input_bytes()
    if st.st_size > cap:
        raise _too_big(resolved, st.st_size, cap)
    return resolved


def read_input_bytes(
    path: str | os.PathLike[str], *, max_bytes: int | None = None
) -> tuple[Path, bytes]:
    """Read a user file through the guards; return ``(resolved path, bytes)``.

    The path is checked with :func:`check_input_file`, then opened non-blocking (a FIFO
    swapped in meanwhile cannot hang the open), re-checked with ``fstat`` on the descriptor,
    and at most ``cap + 1`` bytes are read, so a file that grows past the cap, or a device
    that reports size 0, is refused rather than read to the end.

    Raises
    ------
    InputFileError
        As :func:`check_input_file`, or when the file grows over the cap while read.
    """
    resolved = check_input_file(path, max_bytes=max_bytes)
    cap = max_bytes if max_bytes is not None else max_input_bytes()
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(resolved, flags)
    except OSError as exc:
        raise InputFileError(
            f"{resolved}: cannot be opened ({exc.strerror}); hint: check the path and permissions"
        ) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(resolved, st.st_mode)
        if st.st_size > cap:
            raise _too_big(resolved, st.st_size, cap)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= cap:
            chunk = os.read(fd, min(1 << 20, cap + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > cap:
            raise _too_big(resolved, None, cap)
    except OSError as exc:
        if isinstance(exc, InputFileError):
            raise
        raise InputFileError(f"{resolved}: read failed ({exc.strerror})") from None
    finally:
        os.close(fd)
    return resolved, b"".join(chunks)


_JSON_STRING_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_TOML_SKIP_RE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"|\'[^\'\n]*\'|#[^\n]*'
)
_NOT_BRACKETS_RE = re.compile(r"[^\[\]{}]+")
_OPENERS_RE = re.compile(r"[\[{]+")
_LONG_DIGITS_RE = re.compile(r"(?<![0-9_])[0-9][0-9_]{" + str(MAX_NUMBER_CHARS) + ",}")


def _too_deep_or_long(text: str, toml: bool) -> bool:
    """Fast check at C speed: strip strings, then peel innermost bracket pairs level by level."""
    bare = (_TOML_SKIP_RE if toml else _JSON_STRING_RE).sub(" ", text)
    if _LONG_DIGITS_RE.search(bare):
        return True
    brackets = _NOT_BRACKETS_RE.sub("", bare)
    for peeled_levels in range(MAX_NESTING + 1):
        peeled = brackets.replace("[]", "").replace("{}", "")
        if peeled == brackets:
            # nothing left, or unbalanced leftovers (the parser reports those): the openers
            # still in a row nest at least that much deeper
            runs = _OPENERS_RE.findall(brackets)
            return peeled_levels + max(map(len, runs), default=0) > MAX_NESTING
        brackets = peeled
    return True


def check_structure(text: str, fname: str, *, toml: bool = False) -> None:
    """Refuse nesting deeper than :data:`MAX_NESTING` and over-long numbers, without recursion.

    Brackets and braces are counted outside strings (and, for TOML, outside comments and
    literal strings); a run of digits longer than ``MAX_NUMBER_CHARS`` outside strings is
    refused too. Both are reported with ``line:column`` before the recursive parser runs.

    >>> check_structure("[" * 101 + "]" * 101, "x.json")
    Traceback (most recent call last):
    ...
    corridors.errors.GeodataError: 1 problem(s) found:
      x.json line 1:101: error: nesting deeper than 100 levels ...
    >>> check_structure('{"a": [[1, 2], "[[[["]}', "x.json")
    """
    if not toml and "\\u" in text:
        _check_surrogates(text, fname)
    if not _too_deep_or_long(text, toml):
        return
    _locate_structure(text, fname, toml=toml)
    _structure_error(text, fname, 0, "nesting too deep or number too long", "simplify", "nesting")


#: A ``\\uD800``-``\\uDFFF`` escape not part of a high + low pair (no UTF-8 text can hold it).
_LONE_SURROGATE_RE = re.compile(
    r"(?<!\\)\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})(?<!\\)\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _check_surrogates(text: str, fname: str) -> None:
    """Refuse a lone surrogate escape: it cannot be written as UTF-8 to any output."""
    m = _LONE_SURROGATE_RE.search(text)
    if m:
        msg = f"string escape {m.group(0)} is a lone surrogate, not a character"
        hint = "write the character itself, or a valid surrogate pair"
        _structure_error(text, fname, m.start(), msg, hint, "json-surrogate")


def _locate_structure(text: str, fname: str, *, toml: bool) -> None:
    depth = 0
    i = 0
    n = len(text)
    digits_from = -1
    while i < n:
        c = text[i]
        if c.isdigit():
            if digits_from < 0:
                digits_from = i
            elif i - digits_from >= MAX_NUMBER_CHARS:
                _structure_error(
                    text,
                    fname,
                    digits_from,
                    f"number longer than {MAX_NUMBER_CHARS} digits",
                    "write the number with fewer digits (use an exponent for large values)",
                    "number-too-long",
                )
            i += 1
            continue
        if c != "_" or not toml:
            digits_from = -1
        if c == "[" or c == "{":
            depth += 1
            if depth > MAX_NESTING:
                _structure_error(
                    text,
                    fname,
                    i,
                    f"nesting deeper than {MAX_NESTING} levels",
                    "flatten the data (real files nest a few levels)",
                    "nesting-too-deep",
                )
        elif c == "]" or c == "}":
            depth = max(0, depth - 1)
        elif c == "#" and toml:
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif c == '"' or (c == "'" and toml):
            triple = toml and text.startswith(c * 3, i)
            close = c * 3 if triple else c
            j = i + len(close)
            while j < n:
                if c == '"' and text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(close, j):
                    break
                if not triple and text[j] == "\n":
                    break
                j += 1
            i = j + len(close)
            continue
        i += 1


def _structure_error(text: str, fname: str, pos: int, msg: str, hint: str, code: str) -> None:
    raise GeodataError(
        [problem(fname, "line {}:{}".format(*_line_col(text, pos)), msg, hint, code=code)]
    )


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def read_json(
    path: str | os.PathLike[str],
    *,
    max_bytes: int | None = None,
    sha256: list[str] | None = None,
) -> Any:
    """Read a JSON file strictly.

    NaN/Infinity, duplicate object keys, invalid UTF-8 and syntax errors raise
    :class:`GeodataError` with ``line:column``. When ``sha256`` is a list, the hex
    SHA-256 of the bytes read is appended to it.
    """
    _resolved, raw = read_input_bytes(path, max_bytes=max_bytes)
    if sha256 is not None:
        sha256.append(hashlib.sha256(raw).hexdigest())
    fname = str(path)
    check_json_counts(raw, fname)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GeodataError(
            [
                problem(
                    fname,
                    f"byte {exc.start}",
                    "file is not valid UTF-8",
                    "save the file as UTF-8",
                    code="encoding",
                )
            ]
        ) from None
    del raw  # the parse below needs the text only

    def bad_constant(token: str) -> float:
        m = _BAD_CONSTANT_RE.search(text)
        where = "line {}:{}".format(*_line_col(text, m.start())) if m else ""
        raise GeodataError(
            [
                problem(
                    fname,
                    where,
                    f"{token} is not a valid JSON number",
                    "write a finite number, or remove the feature",
                    code="json-nan",
                    value=token,
                )
            ]
        )

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise GeodataError(
                    [
                        problem(
                            fname,
                            "",
                            f"duplicate key {k!r} in a JSON object",
                            "keep one of them",
                            code="json-duplicate-key",
                            field=k,
                        )
                    ]
                )
            out[k] = v
        return out

    check_structure(text, fname)
    try:
        return json.loads(text, parse_constant=bad_constant, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise GeodataError(
            [
                problem(
                    fname,
                    f"line {exc.lineno}:{exc.colno}",
                    f"invalid JSON: {exc.msg}",
                    "fix the syntax at that place",
                    code="json-syntax",
                )
            ]
        ) from None


def read_toml(
    path: str | os.PathLike[str], *, max_bytes: int | None = None, allow_empty: bool = True
) -> dict[str, Any]:
    """Read a TOML file; syntax errors (incl. ``nan``/``inf`` values) raise with line:column."""
    _resolved, raw = read_input_bytes(path, max_bytes=max_bytes)
    fname = str(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise GeodataError(
            [
                problem(
                    fname,
                    "",
                    "file is not valid UTF-8",
                    "save the file as UTF-8",
                    code="encoding",
                )
            ]
        ) from None
    if not text.strip() and not allow_empty:
        raise GeodataError(
            [
                problem(
                    fname,
                    "",
                    "file is empty",
                    "add content, or remove the file",
                    code="empty-file",
                )
            ]
        )
    check_structure(text, fname, toml=True)
    try:
        data = tomllib.loads(text, parse_float=_strict_float)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        where = f"line {m.group(1)}:{m.group(2)}" if m else ""
        raise GeodataError(
            [
                problem(
                    fname,
                    where,
                    f"invalid TOML: {msg}",
                    "fix the syntax at that place",
                    code="toml-syntax",
                )
            ]
        ) from None
    except _NonFiniteError as exc:
        raise GeodataError(
            [
                problem(
                    fname,
                    "",
                    f"{exc.token} is not allowed",
                    "write a finite number",
                    code="toml-nan",
                    value=exc.token,
                )
            ]
        ) from None
    return data


class _NonFiniteError(ValueError):
    def __init__(self, token: str):
        super().__init__(token)
        self.token = token


def _strict_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise _NonFiniteError(token)
    return value


def check_position(
    pos: Any, *, file: str, where: str, entity: str | None, problems: list[Problem]
) -> tuple[float, float] | None:
    """Validate one GeoJSON position ``[lon, lat(, alt)]``; append problems, return (lon, lat)."""
    if not isinstance(pos, list | tuple):
        problems.append(
            problem(
                file,
                where,
                "position must be an array [lon, lat]",
                "write positions as [lon, lat]",
                code="coord-shape",
                entity=entity,
                field="coordinates",
                value=pos,
            )
        )
        return None
    if not 2 <= len(pos) <= 3:
        problems.append(
            problem(
                file,
                where,
                f"position has {len(pos)} numbers, expected 2 ([lon, lat]) or 3 ([lon, lat, alt])",
                "check the nesting depth of 'coordinates'",
                code="coord-shape",
                entity=entity,
                field="coordinates",
                value=pos,
            )
        )
        return None
    for i, v in enumerate(pos[:2]):
        if isinstance(v, list | tuple):
            problems.append(
                problem(
                    file,
                    f"{where}/{i}",
                    "position contains an array, not a number",
                    "check the nesting depth of 'coordinates' (a LineString is "
                    "[[lon, lat], ...], a Point is [lon, lat])",
                    code="coord-shape",
                    entity=entity,
                    field="coordinates",
                    value=pos,
                )
            )
            return None
        if isinstance(v, bool) or not isinstance(v, int | float):
            problems.append(
                problem(
                    file,
                    f"{where}/{i}",
                    f"coordinate must be a number, not {type(v).__name__}",
                    "write numbers without quotes",
                    code="coord-type",
                    entity=entity,
                    field="coordinates",
                    value=v,
                )
            )
            return None
        if not math.isfinite(v):
            problems.append(
                problem(
                    file,
                    f"{where}/{i}",
                    "coordinate must be finite",
                    "write a finite number",
                    code="coord-nan",
                    entity=entity,
                    field="coordinates",
                    value=v,
                )
            )
            return None
    lon, lat = float(pos[0]), float(pos[1])
    if not -90 <= lat <= 90:
        looks_swapped = -90 <= lon <= 90 and -180 <= lat <= 180
        problems.append(
            problem(
                file,
                where,
                f"latitude {lat} outside [-90, 90]",
                "positions are [lon, lat]; this one looks swapped (lat written first)"
                if looks_swapped
                else "positions are [lon, lat] in WGS84 degrees",
                code="coord-lat-range",
                entity=entity,
                field="coordinates",
                value=list(pos),
            )
        )
        return None
    if not -180 <= lon <= 180:
        problems.append(
            problem(
                file,
                where,
                f"longitude {lon} outside [-180, 180]",
                f"normalise it into [-180, 180] (e.g. {((lon + 180) % 360) - 180:.4f})",
                code="coord-lon-range",
                entity=entity,
                field="coordinates",
                value=list(pos),
            )
        )
        return None
    return lon, lat


def suggest_allowed(value: object, allowed: Sequence[str]) -> str:
    """Hint text listing the allowed values, with a close match first when there is one."""
    from corridors.errors import did_you_mean

    guess = did_you_mean(str(value), allowed) if isinstance(value, str) else None
    listing = "allowed: " + ", ".join(allowed)
    return f"{guess} {listing}" if guess else listing
