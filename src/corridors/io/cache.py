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
it is computed again.

The cache trusts nothing it did not write: a folder or file that is not owned by the
current user, that group or others may write to, or that is not a plain file (a symbolic
link, a FIFO) is not read and not written, with one :class:`CacheWarning` naming it (as
pip and the XDG tools do). Values read back are checked like inputs by their consumers
(shapes, types) before use. Files are written atomically (temporary file + ``os.replace``), so
concurrent runs at worst redo each other's work. Values are plain JSON (no pickle):
reading a cache file cannot run code.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import stat
import tempfile
import warnings
from pathlib import Path
from typing import Any

__all__ = [
    "FORMAT",
    "CacheWarning",
    "DerivedCache",
    "cache_dir",
    "digest",
    "for_borders",
    "untrusted",
]

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
_WARNED: set[str] = set()


class CacheWarning(UserWarning):
    """The cache folder or file is not trusted and is left alone."""


def untrusted(path: Path, *, folder: bool) -> str | None:
    """Why ``path`` (the cache folder, or a cache file) must not be used, or ``None``.

    Trusted: owned by the current user, not writable by group or others, and a real
    directory (``folder=True``) or a regular file (not a link, FIFO or device). A path that
    does not exist is trusted (it will be created by this user).
    """
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None  # not there (yet): it will be created by this user, or cannot be
    except OSError as exc:
        return f"cannot be checked ({exc.strerror})"
    kind_ok = stat.S_ISDIR(st.st_mode) if folder else stat.S_ISREG(st.st_mode)
    if not kind_ok:
        return "is not a directory" if folder else "is not a regular file"
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return f"is owned by another user (uid {st.st_uid})"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by group or others"
    return None


def _read_private(path: Path) -> bytes:
    """The bytes of a cache file, opened without following links or blocking on a FIFO and
    checked again on the open descriptor (so a file swapped in after the check is refused)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
        if not stat.S_ISREG(st.st_mode) or not mine or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise OSError(f"{path}: not a private regular file")
        return fh.read()


def _trusted(path: Path, *, folder: bool) -> bool:
    why = untrusted(path, folder=folder)
    if why is None:
        return True
    if str(path) not in _WARNED:
        _WARNED.add(str(path))
        warnings.warn(
            f"corridors cache {path} {why}; it is ignored (values are computed afresh). "
            "Hint: use a private folder (CORRIDORS_CACHE_DIR) or CORRIDORS_CACHE_DIR=off",
            CacheWarning,
            stacklevel=3,
        )
    return False


_CODE_DIGEST: list[str] = []


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when caching is turned off."""
    env = os.environ.get("CORRIDORS_CACHE_DIR")
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "corridors"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):
        return None  # no home directory (a container user without a passwd entry): no cache
    return home / ".cache" / "corridors"


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
            if (
                self.path is not None
                and _trusted(self.path.parent, folder=True)
                and _trusted(self.path, folder=False)
            ):
                sections = None
                try:
                    header, _, body = _read_private(self.path).partition(b"\n")
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
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _trusted(self.path.parent, folder=True):
                return
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
