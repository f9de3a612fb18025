"""One parser for numeric fields: finite, not absurdly long, inside the field's range.

Every number read from a user file or the environment (speeds, hours, years, caps) goes
through :func:`parse_number`, which never raises anything but :class:`NumberError`: no
``OverflowError`` for ``10**400``, no int-digit-limit ``ValueError`` for 5,000 digits, no
``nan`` or ``inf`` slipping through, and the message names the field and its allowed range.

>>> parse_number(45, field="speed_kmh.rail", lo=0.1, hi=2000)
45.0
>>> parse_number(10**400, field="transfer_h", lo=0, hi=8760)
Traceback (most recent call last):
...
corridors.io.numbers.NumberError: transfer_h: 1000…000 (401 digits) is outside [0, 8760]
>>> parse_number("nan", field="CORRIDORS_MAX_INPUT_MB", lo=1, hi=1e6, text=True)
Traceback (most recent call last):
...
corridors.io.numbers.NumberError: CORRIDORS_MAX_INPUT_MB: 'nan' is not a finite number
"""

from __future__ import annotations

import math
import os
import re

__all__ = [
    "MAX_NUMBER_CHARS",
    "NumberError",
    "parse_env_number",
    "parse_number",
    "safe_value",
    "show_number",
]

#: Longest numeric text (or integer, in digits) accepted anywhere; real data needs < 30.
MAX_NUMBER_CHARS = 100

_NUMBER_RE = re.compile(r"[+-]?(\d[\d_]*)?(\.\d+)?([eE][+-]?\d+)?")


class NumberError(ValueError):
    """A numeric field that is not a number, not finite, too long or out of range."""

    def __init__(self, field: str, value: object, reason: str, hint: str):
        self.field = field
        self.value = value
        self.reason = reason
        self.hint = hint
        super().__init__(f"{field}: {reason}")


def show_number(value: object) -> str:
    """A short display form of a value: huge integers elided, long text cut.

    >>> show_number(10**50)
    '1000…000 (51 digits)'
    >>> show_number(2.5)
    '2.5'
    """
    if isinstance(value, int) and not isinstance(value, bool):
        # bit_length bounds the digit count without calling str() (int-digit limit)
        if value.bit_length() > 64:
            digits = _digit_count(value)
            sign = "-" if value < 0 else ""
            head = abs(value) // 10 ** (digits - 4)
            return f"{sign}{head}…{abs(value) % 1000:03d} ({digits} digits)"
        return str(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    return repr(value)


def safe_value(value: object) -> object:
    """``value`` itself, or its :func:`show_number` text when it is an integer too long to print.

    >>> safe_value(-1), safe_value(10**5000)[:9]
    (-1, '1000…000 ')
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 1000:
        return show_number(value)
    return value


def _digit_count(value: int) -> int:
    n = abs(value)
    est = max(1, int(n.bit_length() * 0.30103))
    while 10**est <= n:
        est += 1
    while est > 1 and 10 ** (est - 1) > n:
        est -= 1
    return est


def _fmt(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e12:
        return str(int(x))
    return f"{x:g}"


def parse_number(
    value: object,
    *,
    field: str,
    lo: float,
    hi: float,
    lo_open: bool = False,
    integer: bool = False,
    text: bool = False,
    unit: str = "",
) -> float:
    """Check one numeric value and return it as a float (an int when ``integer``).

    Parameters
    ----------
    value : object
        The value as read: an int or float (bools are refused), or a string when ``text``.
    field : str
        The field's name, used in the message (``speed_kmh.rail``, ``CORRIDORS_MAX_INPUT_MB``).
    lo, hi : float
        The allowed range, inclusive (``lo`` exclusive when ``lo_open``).
    integer : bool
        Require a whole number.
    text : bool
        Accept a string (environment variables) and parse it strictly.
    unit : str
        Shown after the range in the message.

    Raises
    ------
    NumberError
        Naming the field, the value and the allowed range.
    """
    rng = f"{'(' if lo_open else '['}{_fmt(lo)}, {_fmt(hi)}]" + (f" {unit}" if unit else "")
    hint = f"write a {'whole ' if integer else ''}number in {rng}"
    if text and isinstance(value, str):
        s = value.strip()
        if len(s) > MAX_NUMBER_CHARS:
            raise NumberError(
                field,
                value,
                f"{show_number(value)} is too long for a number ({len(s)} chars)",
                hint,
            )
        if not s or not _NUMBER_RE.fullmatch(s) or not any(c.isdigit() for c in s):
            raise NumberError(field, value, f"{show_number(value)} is not a finite number", hint)
        num: object = int(s) if re.fullmatch(r"[+-]?\d+", s) else float(s)
    else:
        num = value
    if isinstance(num, bool) or not isinstance(num, int | float):
        raise NumberError(field, value, f"{show_number(value)} is not a number", hint)
    if isinstance(num, int):
        big = num.bit_length() > 1000  # float() would overflow
        if big or not lo <= num <= hi or (lo_open and num == lo):
            raise NumberError(field, value, f"{show_number(num)} is outside {rng}", hint)
        return num if integer else float(num)
    if not math.isfinite(num):
        raise NumberError(field, value, f"{show_number(value)} is not a finite number", hint)
    if integer and not num.is_integer():
        raise NumberError(field, value, f"{show_number(num)} is not a whole number", hint)
    if not lo <= num <= hi or (lo_open and num == lo):
        raise NumberError(field, value, f"{show_number(num)} is outside {rng}", hint)
    return int(num) if integer else float(num)


def parse_env_number(
    name: str, *, lo: float, hi: float, integer: bool = False, unit: str = ""
) -> float | None:
    """Read environment variable ``name`` as a number in ``[lo, hi]``; ``None`` when unset.

    An empty value counts as unset; any other value that is not a number in range raises
    :class:`NumberError` naming the variable (a bad cap is never silently disabled).
    """
    env = os.environ.get(name)
    if env is None or not env.strip():
        return None
    return parse_number(env, field=name, lo=lo, hi=hi, integer=integer, text=True, unit=unit)
