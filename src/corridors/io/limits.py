"""Every resource cap on inputs, in one place, each with its environment variable.

The caps bound what a hostile or broken file can cost before any geometry is built: bytes
read, features, vertices (per feature and per file), property values and the decompressed
size of a GeoParquet file. Each is a named :class:`Limit` in :data:`LIMITS`; its value is
the default unless its environment variable is set, and that variable is parsed by
:func:`corridors.io.numbers.parse_env_number` (a bad value such as ``nan`` is an error,
never a cap silently switched off). Messages about a cap name it and how to raise it
(:func:`over_cap`).

>>> LIMITS["features"].env
'CORRIDORS_MAX_FEATURES'
>>> limit("features") == LIMITS["features"].default
True
"""

from __future__ import annotations

from dataclasses import dataclass

from corridors.errors import InputFileError
from corridors.io.numbers import NumberError, parse_env_number

__all__ = ["LIMITS", "Limit", "check_json_counts", "check_limits", "limit", "over_cap"]

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    """One resource cap.

    Parameters
    ----------
    key : str
        Short name used in code (``limit("features")``).
    env : str
        Environment variable that overrides the default.
    default : int
        Default value, in ``unit``.
    lo, hi : float
        Range accepted for the variable, in ``unit``.
    unit : str
        Unit of the variable (``"MB"`` values are returned in bytes by :func:`limit`).
    what : str
        What is counted, for messages (``"features per file"``).
    """

    key: str
    env: str
    default: int
    lo: float
    hi: float
    unit: str
    what: str

    @property
    def scale(self) -> int:
        """Factor from the variable's unit to the value :func:`limit` returns."""
        return _MB if self.unit == "MB" else 1


#: The caps, by key. Defaults are far above any real corridor data (the bundled files have
#: at most 308 features, 29,539 brackets and 5,127 object members each) and keep the peak
#: memory of a file at the caps under 1 GB.
_M = 1_000_000
LIMITS: dict[str, Limit] = {
    lim.key: lim
    for lim in (
        Limit("input_mb", "CORRIDORS_MAX_INPUT_MB", 256, 0.001, _MB, "MB",
              "bytes of one input file"),
        Limit("overlay_mb", "CORRIDORS_MAX_OVERLAY_MB", 50, 0.001, _MB, "MB",
              "bytes of one overlay file"),
        Limit("features", "CORRIDORS_MAX_FEATURES", 20_000, 1, 100 * _M, "",
              "features per file"),
        Limit("vertices", "CORRIDORS_MAX_VERTICES", 50_000, 2, 100 * _M, "",
              "vertices per geodata feature"),
        Limit("total_vertices", "CORRIDORS_MAX_TOTAL_VERTICES", 2 * _M, 2, 1000 * _M, "",
              "vertices (positions) per file"),
        Limit("properties", "CORRIDORS_MAX_PROPERTIES", _M, 1, 1000 * _M, "",
              "property values per file"),
        Limit("decompressed_mb", "CORRIDORS_MAX_DECOMPRESSED_MB", 512, 1, _MB, "MB",
              "decompressed MB of a GeoParquet file"),
    )
}  # fmt: skip


def limit(key: str) -> int:
    """The value of cap ``key`` (bytes for the ``*_mb`` caps), from its variable or default.

    Raises
    ------
    InputFileError
        When the variable is set to anything but a number in the cap's range.
    """
    lim = LIMITS[key]
    integer = lim.unit != "MB"
    try:
        value = parse_env_number(lim.env, lo=lim.lo, hi=lim.hi, integer=integer, unit=lim.unit)
    except NumberError as exc:
        raise InputFileError(
            f"environment variable {exc}; hint: {exc.hint}, or unset it "
            f"(default {lim.default}{' ' + lim.unit if lim.unit else ''})"
        ) from None
    if value is None:
        return lim.default * lim.scale
    return int(value * lim.scale)


def check_limits() -> None:
    """Read every cap once, so a bad variable is refused before any work starts."""
    for key in LIMITS:
        limit(key)


def over_cap(key: str, found: str, cap: int | None = None) -> tuple[str, str]:
    """``(message, hint)`` for an input over cap ``key``: the cap, its name and how to raise it.

    >>> over_cap("features", "25,000 features", 20_000)[0]
    '25,000 features, over the cap of 20,000 features per file (CORRIDORS_MAX_FEATURES)'
    """
    lim = LIMITS[key]
    value = limit(key) if cap is None else cap
    if lim.unit == "MB":
        shown = f"{value / lim.scale:g} MB" if value >= lim.scale else f"{value:,} bytes"
    else:
        shown = f"{value:,}"
    suffix = "" if lim.unit == "MB" else f" {lim.what}"
    message = f"{found}, over the cap of {shown}{suffix} ({lim.env})"
    raised = max(value // lim.scale * 2, 1)
    hint = f"simplify or split the input, or raise the cap, e.g. {lim.env}={raised}"
    return message, hint


def check_json_counts(raw: bytes, fname: str, *, max_features: int | None = None) -> None:
    """Refuse JSON bytes with more features, positions or members than the caps, unparsed.

    Counted at C speed on the bytes, before the text is decoded or parsed (which costs
    about 100-200 bytes of memory per value): ``"Feature"`` strings (features), ``[``
    (an upper bound on positions, hence vertices) and ``:`` (an upper bound on object
    members, hence property values). Brackets or colons inside strings are counted too,
    so the counts are upper bounds; the caps are far above real data.

    Raises
    ------
    InputFileError
        Naming the file, the cap and its environment variable.
    """
    checks = (
        ("features", raw.count(b'"Feature"'), "features", max_features),
        ("total_vertices", raw.count(b"["), "arrays (positions)", None),
        ("properties", raw.count(b":"), "object members (properties)", None),
    )
    for key, count, noun, cap in checks:
        value = limit(key) if cap is None else cap
        if count > value:
            message, hint = over_cap(key, f"file has up to {count:,} {noun}", value)
            raise InputFileError(f"{fname}: {message}; hint: {hint}")
