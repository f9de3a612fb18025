"""Text from data made safe for outputs that are not HTML: Markdown, CSV and terminals.

HTML pages escape through :mod:`corridors.html`; this module does the same for the other
places data ends up:

* :func:`md_text` — a Markdown cell or line that renders as the literal text (HTML
  metacharacters become entities, Markdown punctuation is backslash-escaped, line breaks
  become spaces), so a name like ``<img src=x onerror=alert(1)>`` stays text in any
  Markdown viewer;
* :func:`csv_cell` — a CSV value a spreadsheet will not evaluate (OWASP's advice: a value
  starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'``);
* :func:`terminal_text` — control characters (C0, C1, DEL) and bidirectional overrides
  shown as escapes, so data cannot move the cursor, recolour or reorder a terminal.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["TerminalSafeWriter", "csv_cell", "md_text", "terminal_text"]

_MD_PUNCT = re.compile(r"([\\`*_\[\]|~])")
#: At the start of a line these open a block (heading, list, quote, rule, numbered list).
_MD_BLOCK_START = re.compile(r"^(\s*)([#+\-=]|\d+(?=[.)]))([.)]?)")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_TERMINAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def md_text(value: Any) -> str:
    """``value`` as Markdown that renders as exactly its text.

    Examples
    --------
    >>> md_text("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> print(md_text("A | B [x](y) *bold*"))
    A \\| B \\[x\\](y) \\*bold\\*
    >>> print(md_text("# not a heading"), md_text("1. not a list"))
    \\# not a heading 1\\. not a list
    """
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    text = _MD_PUNCT.sub(r"\\\1", text)

    # a leading '#', '+', '-', '=' or '1.' would make a heading, list or rule of the line
    def block(m: re.Match[str]) -> str:
        lead, mark, dot = m.groups()
        return f"{lead}{mark}\\{dot}" if dot else f"{lead}\\{mark}"

    return _MD_BLOCK_START.sub(block, text, count=1)


def csv_cell(value: Any) -> Any:
    """``value`` for a CSV cell: text that a spreadsheet would run as a formula gets ``'``.

    Numbers are returned unchanged (a negative number is data, not a formula).

    Examples
    --------
    >>> csv_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> csv_cell(-3.5), csv_cell("Kars")
    (-3.5, 'Kars')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def terminal_text(text: str) -> str:
    r"""``text`` with terminal control characters shown as escapes (newline and tab kept).

    Examples
    --------
    >>> terminal_text("Baku\x1b[31m red\u202e")
    'Baku\\x1b[31m red\\u202e'
    """

    def esc(m: re.Match[str]) -> str:
        c = ord(m.group())
        return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"

    return _UNSAFE_TERMINAL.sub(esc, text)


class TerminalSafeWriter:
    """A text stream wrapper that passes everything written through :func:`terminal_text`.

    The CLI wraps ``sys.stdout`` and ``sys.stderr`` in it for the length of a command, so
    no name, note or value from data reaches the terminal as a control sequence. JSON output
    is unaffected (``json.dumps`` already writes control characters as ``\\u`` escapes).
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text`` with control characters escaped; returns ``len(text)``."""
        self._stream.write(terminal_text(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
