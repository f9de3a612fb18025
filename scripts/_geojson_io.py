"""Read/write the hand-edited geodata GeoJSON files in their diff-friendly layout."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

_PAIR = re.compile(r"\[\s*(-?[0-9][0-9.eE+-]*),\s*(-?[0-9][0-9.eE+-]*)\s*\]")


def dumps(doc: Any) -> str:
    """``indent=1`` JSON with each ``[lon, lat]`` pair on one line, newline at the end."""
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    return _PAIR.sub(r"[\1, \2]", text) + "\n"


def load(path: Path) -> Any:
    """Parse a GeoJSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def save(path: Path, doc: Any) -> None:
    """Write ``doc`` atomically in the repository layout."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(dumps(doc))
    os.replace(tmp, path)
