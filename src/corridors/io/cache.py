"""On-disk cache of values derived from the country borders file.

Three things cost most of a ``corridors map`` run once the libraries are imported, and
all three depend only on ``countries.geojson`` (and on corridors' own code):

* building and validating the 89 country polygons (~28,000 vertices);
* the countries each land segment crosses, and the kilometres in each
  (:mod:`corridors.geo.measure`);
* the display form of the basemap and platform polygons (:mod:`corridors.render`).

They are kept in one JSON file per borders file, named by a SHA-256 of

* the borders file's bytes,
* the source of the modules that compute the values (any code change is a new file),
* the versions of shapely/GEOS, pyproj/PROJ and numpy, and :data:`FORMAT`,

so an entry can never be stale: a different input or program reads a different file.
Inside the file, entries are keyed by a digest of everything else they depend on (a
segment's coordinates and end nodes, display tolerances…). The file is a header line
(format and the SHA-256 of the rest) and one JSON object; a file whose checksum does not
match is ignored whole.

Where: ``$CORRIDORS_CACHE_DIR``, else ``$XDG_CACHE_HOME/corridors``, else
``~/.cache/corridors``. ``CORRIDORS_CACHE_DIR=off`` (or ``0``, ``none``, empty) turns the
cache off. A cache that cannot be read (missing, truncated, edited, another format) is
treated as empty and rewritten; one that cannot be written (read-only home) is skipped.
Those are the only failures it absorbs: it never changes what is computed, only whether
it is computed again. Files are written atomically (temporary file + ``os.replace``), so
concurrent runs at worst redo each other's work. Values are plain JSON (no pickle):
reading a cache file cannot run code.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "DerivedCache", "cache_dir", "digest", "for_borders"]

#: Version of the cache layout; bump when the meaning of an entry changes.
FORMAT = 1

_OFF = {"", "0", "off", "none", "false", "no"}

#: Modules whose code computes cached values (relative to the package).
_CODE = (
    "io/cache.py",
    "geo/countries.py",
    "geo/geodesy.py",
    "io/geodata/countries.py",
    "io/geodata/geometry.py",
    "io/geodata/placement.py",
    "io/read.py",
    "geo/measure.py",
    "maps/sealanes.py",
    "network/sea.py",
    "render/geometry.py",
    "render/codec.py",
    "render/cached.py",
)

_OPEN: dict[tuple[str, str], DerivedCache] = {}
_CODE_DIGEST: list[str] = []


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when caching is turned off."""
    env = os.environ.get("CORRIDORS_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "corridors"


def digest(*parts: Any) -> str:
    """SHA-256 (hex) of JSON-serialisable parts, order-sensitive."""
    text = json.dumps(parts, separators=(",", ":"), ensure_ascii=False, allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _code_digest() -> str:
    if not _CODE_DIGEST:
        import numpy
        import pyproj
        import shapely

        h = hashlib.sha256()
        here = Path(__file__).resolve().parent.parent
        for rel in _CODE:
            h.update(rel.encode())
            h.update((here / rel).read_bytes())
        for v in (
            FORMAT,
            shapely.__version__,
            shapely.geos_version_string,
            pyproj.__version__,
            pyproj.proj_version_str,
            numpy.__version__,
        ):
            h.update(str(v).encode())
        _CODE_DIGEST.append(h.hexdigest())
    return _CODE_DIGEST[0]


class DerivedCache:
    """Values derived from one input file, in sections of ``key → JSON value``.

    Parameters
    ----------
    path : Path or None
        The cache file; ``None`` keeps values in memory only (cache turned off).
    source_sha256 : str
        SHA-256 of the input file the values are derived from.
    """

    def __init__(self, path: Path | None, source_sha256: str = "") -> None:
        self.path = path
        self.source_sha256 = source_sha256
        self._data: dict[str, dict[str, Any]] | None = None
        self._dirty = False
        self._at_exit = False

    def _load(self) -> dict[str, dict[str, Any]]:
        if self._data is None:
            self._data = {}
            if self.path is not None:
                sections = None
                try:
                    header, _, body = self.path.read_bytes().partition(b"\n")
                    head = json.loads(header)
                    if (
                        isinstance(head, dict)
                        and head.get("format") == FORMAT
                        and head.get("sha256") == hashlib.sha256(body).hexdigest()
                    ):
                        sections = json.loads(body)
                except (OSError, ValueError):
                    sections = None  # missing, unreadable or damaged: start afresh
                if isinstance(sections, dict) and all(
                    isinstance(v, dict) for v in sections.values()
                ):
                    self._data = sections
        return self._data

    def get(self, section: str, key: str) -> Any | None:
        """The value stored under ``key`` in ``section``, or ``None``."""
        return self._load().get(section, {}).get(key)

    def put(self, section: str, key: str, value: Any) -> None:
        """Store a JSON-serialisable value (written by :meth:`save`)."""
        self._load().setdefault(section, {})[key] = value
        self._dirty = True
        if not self._at_exit:  # one write at the end of the process, whatever added entries
            atexit.register(self.save)
            self._at_exit = True

    def save(self) -> None:
        """Write the file if anything was added (atomically; skipped if not writable)."""
        if not self._dirty or self.path is None or self._data is None:
            return
        body = json.dumps(
            self._data, separators=(",", ":"), ensure_ascii=False, sort_keys=True
        ).encode("utf-8")
        header = json.dumps({"format": FORMAT, "sha256": hashlib.sha256(body).hexdigest()})
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(header.encode("ascii") + b"\n" + body)
            os.replace(tmp, self.path)
            tmp = None
            self._dirty = False
            _prune(self.path.parent)
        except OSError:
            pass  # a cache that cannot be written is only a slower next run
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


#: Cache files kept per folder (other borders files or program versions); older ones go.
KEEP_FILES = 8


def _prune(folder: Path) -> None:
    """Delete all but the :data:`KEEP_FILES` most recently written cache files."""
    try:
        files = sorted(folder.glob("borders-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP_FILES:]:
            old.unlink()
    except OSError:
        pass  # another run pruned (or is writing) at the same time


def for_borders(file_digest: str) -> DerivedCache:
    """The cache of values derived from a borders file with this SHA-256 (per process)."""
    root = cache_dir()
    key = (str(root), file_digest)
    if key not in _OPEN:
        path = None
        try:
            code = _code_digest()
        except OSError:  # sources not readable (e.g. a bytecode-only install): no cache
            root = None
        if root is not None:
            name = digest("borders", file_digest, code)
            path = root / f"borders-{name[:32]}.json"
        _OPEN[key] = DerivedCache(path, file_digest)
    return _OPEN[key]
