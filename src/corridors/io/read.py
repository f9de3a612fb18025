"""Strict readers for JSON/GeoJSON and TOML that report located problems.

Shared by the geodata loader, the overlay reader and the scenario reader: size caps before
reading, NaN/Infinity rejected at parse time, duplicate JSON keys rejected, and TOML errors
reported as ``file:line:column``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corridors.errors import GeodataError, InputFileError, Problem, problem

__all__ = [
    "DEFAULT_MAX_INPUT_BYTES",
    "check_input_file",
    "check_position",
    "read_json",
    "read_toml",
]

#: Default cap on the size of one input file (bytes); ``CORRIDORS_MAX_INPUT_MB`` overrides it.
DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024

_BAD_CONSTANT_RE = re.compile(r"(?<![\w\"])(-?Infinity|NaN)(?![\w\"])")


def max_input_bytes() -> int:
    """Return the configured input size cap in bytes."""
    env = os.environ.get("CORRIDORS_MAX_INPUT_MB")
    if env:
        try:
            return int(float(env) * 1024 * 1024)
        except ValueError:
            pass
    return DEFAULT_MAX_INPUT_BYTES


def check_input_file(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Path:
    """Check that ``path`` is an existing regular file under the size cap.

    Raises
    ------
    InputFileError
        Naming the resolved path and what to do.
    """
    p = Path(path).expanduser()
    resolved = p.resolve()
    if not resolved.exists():
        raise InputFileError(f"{resolved}: file not found; hint: check the path")
    if resolved.is_dir():
        raise InputFileError(f"{resolved}: is a directory, expected a file")
    cap = max_bytes if max_bytes is not None else max_input_bytes()
    size = resolved.stat().st_size
    if size > cap:
        raise InputFileError(
            f"{resolved}: file is {size / 1e6:.1f} MB, over the {cap / 1e6:.1f} MB input cap; "
            "hint: simplify or split it, or raise the cap (CORRIDORS_MAX_INPUT_MB / max_bytes)"
        )
    return resolved


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
    resolved = check_input_file(path, max_bytes=max_bytes)
    raw = resolved.read_bytes()
    if sha256 is not None:
        sha256.append(hashlib.sha256(raw).hexdigest())
    fname = str(path)
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
    resolved = check_input_file(path, max_bytes=max_bytes)
    fname = str(path)
    try:
        text = resolved.read_bytes().decode("utf-8")
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
