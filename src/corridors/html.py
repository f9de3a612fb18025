"""The one place where data strings become HTML, URLs or script-embedded JSON.

Every string that comes from data (names, notes, source titles, overlay columns…) reaches
the generated HTML through :func:`esc` (text and attribute values), :func:`safe_url`
(``href`` values) or :func:`json_for_script` (JSON inside ``<script>``). The JavaScript of
the map never interpolates data into markup: popups, tooltips and search results are DOM
nodes whose text is set with ``textContent`` (and links with ``setAttribute`` after
:func:`safe_url` here and a second http(s) check there); the only markup it inserts is its
own static icons. :func:`corridors.render.popups.popup_html` is the escaped-HTML twin of
the map's popups, for tests and for use outside the map.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlsplit

__all__ = ["esc", "json_for_script", "safe_colour", "safe_url"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\s]")
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

#: Characters that could end or confuse a ``<script>`` element, or a JS string.
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def esc(text: object) -> str:
    """Escape a value for HTML text or a quoted attribute value.

    Parameters
    ----------
    text : object
        Any value; ``None`` becomes ``""``, other non-strings are passed through ``str``.

    Returns
    -------
    str
        The text with ``& < > " '`` replaced by character references.

    Examples
    --------
    >>> esc('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    if text is None:
        return ""
    return html.escape(str(text), quote=True)


def safe_url(url: object) -> str | None:
    """Return ``url`` if it is an absolute http(s) URL, else ``None``.

    Leading and trailing white space is ignored. A URL with any white space or control
    character inside, without a host, or with another scheme (``javascript:``, ``data:``,
    ``file:``, protocol-relative ``//host``…) is refused. The result still has to be
    passed through :func:`esc` when it is written into an attribute.

    Parameters
    ----------
    url : object
        Candidate URL (non-strings are refused).

    Returns
    -------
    str or None
        The stripped URL, or ``None`` when it is not safe to link to.

    Examples
    --------
    >>> safe_url(" https://example.org/a?b=1 ")
    'https://example.org/a?b=1'
    >>> safe_url("javascript:alert(1)") is None
    True
    """
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if not candidate or _CONTROL.search(candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    if not parts.netloc or parts.hostname is None:
        return None
    return candidate


def safe_colour(value: object, default: str) -> str:
    """Return ``value`` if it is a ``#rgb``/``#rrggbb`` colour, else ``default``."""
    if isinstance(value, str) and _COLOUR.match(value.strip()):
        colour = value.strip().lower()
        if len(colour) == 4:
            colour = "#" + "".join(c * 2 for c in colour[1:])
        return colour
    return default


def json_for_script(value: Any) -> str:
    """Serialise ``value`` as JSON that is safe inside an inline ``<script>`` element.

    ``<``, ``>``, ``&``, U+2028 and U+2029 are written as ``\\uXXXX`` escapes, so neither
    ``</script>`` nor ``<!--`` can appear in the output, and the text is also a valid
    JavaScript expression. Keys keep their insertion order; NaN and infinities are refused.

    Parameters
    ----------
    value : object
        JSON-serialisable data.

    Returns
    -------
    str
        Compact JSON text.

    Raises
    ------
    ValueError
        If ``value`` contains NaN or an infinity.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group(0)], text)
