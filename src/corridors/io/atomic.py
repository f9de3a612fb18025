"""The one place that writes output files: checked paths, a temp file, an atomic publish.

A failed or interrupted run never leaves a partial file or a temp file behind and never
clobbers an existing output: without ``overwrite`` the finished file is published with
``os.link`` (which fails if the name appeared meanwhile, so a file created during the run is
kept), with ``overwrite`` by ``os.replace``. A symbolic link at the output path is never
followed: it counts as an existing file and, with ``overwrite``, the link itself is replaced.
Operating-system failures (full disk, read-only file system, a name too long) become one
:class:`~corridors.errors.OutputError` naming the path.
"""

from __future__ import annotations

import errno
import os
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from corridors.errors import OutputError

__all__ = [
    "check_output_path",
    "discard_pending",
    "os_error_message",
    "write_atomic",
    "write_bytes_atomic",
    "write_text_atomic",
]

#: Room the temp file's name needs beyond the output's (``.<name>.<random>.tmp``).
_TMP_EXTRA = 16

#: Temp files being written, so an interrupt can remove them even while the thread writing
#: them is stuck in a C call (see :func:`discard_pending`); publishing happens under the lock.
_PENDING: set[Path] = set()
_PENDING_LOCK = threading.Lock()


def discard_pending() -> list[Path]:
    """Remove every temp file still being written; none of them will be published.

    Called by the command line when it is interrupted: the thread doing the work may be
    inside a long C call (GEOS) and unable to run its own cleanup in time. A write whose
    temp file was discarded ends with ``KeyboardInterrupt`` instead of publishing.

    Returns
    -------
    list of Path
        The temp files removed.
    """
    with _PENDING_LOCK:
        gone = sorted(_PENDING)
        _PENDING.clear()
    for tmp in gone:
        tmp.unlink(missing_ok=True)
    return gone


def os_error_message(target: object, exc: OSError) -> str:
    """``"<target>: cannot write: <reason>; hint: ..."`` for an operating-system error.

    Examples
    --------
    >>> os_error_message("/tmp/x.html", OSError(28, "No space left on device"))
    '/tmp/x.html: cannot write: no space left on device; hint: free some space or write elsewhere'
    """
    hints = {
        errno.ENOSPC: "free some space or write elsewhere",
        errno.EDQUOT: "free some space or write elsewhere",
        errno.EROFS: "the file system is read-only; write elsewhere",
        errno.ENAMETOOLONG: "use a shorter file name",
        errno.EACCES: "check the permissions of the directory",
        errno.EPERM: "check the permissions of the directory",
        errno.EPIPE: "the reader closed the stream",
    }
    reason = (exc.strerror or str(exc)).lower()
    hint = hints.get(exc.errno or 0, "check the path and the file system")
    return f"{target}: cannot write: {reason}; hint: {hint}"


def check_output_path(
    path: str | os.PathLike[str],
    *,
    suffixes: Iterable[str],
    overwrite: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Validate an output path before any work is done.

    Parameters
    ----------
    path : path-like
        Where the output should go.
    suffixes : iterable of str
        Allowed extensions, lower case with the dot (``[".html"]``).
    overwrite : bool
        Allow replacing an existing file (a symbolic link there is replaced, not followed).
    inputs : iterable of path-like
        Input files of the run; the output may not be one of them (nor a hard link to one).

    Returns
    -------
    Path
        The output path, its directory resolved; the last component is kept as given, so a
        symbolic link there is never followed.

    Raises
    ------
    OutputError
        With the path and what to do.
    """
    out = Path(path).expanduser()
    if not out.name or out.name in (".", ".."):
        raise OutputError(f"{out}: not a file name; hint: give a file name such as atlas.html")
    parent = out.parent.resolve()
    target = parent / out.name
    allowed = [s.lower() for s in suffixes]
    if target.suffix.lower() not in allowed:
        raise OutputError(
            f"{target}: output extension {target.suffix or '(none)'!r} does not match the "
            f"format; hint: use one of {', '.join(allowed)}"
        )
    for inp in inputs:
        ip = Path(inp).expanduser()
        same = ip.resolve() in (target, target.resolve())
        if not same and ip.exists() and target.exists():
            same = os.path.samefile(ip, target)
        if same:
            raise OutputError(
                f"{target}: output path is also an input file; hint: write to another path"
            )
    if target.is_dir() and not target.is_symlink():
        raise OutputError(f"{target}: is a directory; hint: give a file name")
    if not parent.is_dir():
        raise OutputError(f"{target}: directory {parent} does not exist; hint: create it first")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{target}: directory {parent} is not writable")
    try:
        name_max = os.pathconf(parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    if len(os.fsencode(out.name)) + _TMP_EXTRA > name_max:
        raise OutputError(
            f"{target}: file name too long ({len(os.fsencode(out.name))} bytes; this file "
            f"system allows {name_max}, and the temporary file needs {_TMP_EXTRA} more); "
            "hint: use a shorter file name"
        )
    if os.path.lexists(target) and not overwrite:
        kind = "a symbolic link" if target.is_symlink() else "file"
        raise OutputError(
            f"{target}: {kind} exists; hint: pass --overwrite (overwrite=True) to replace it"
        )
    return target


def write_atomic(path: Path, writer: Callable[[Path], object], *, overwrite: bool = False) -> Path:
    """Call ``writer(tmp_path)`` (its return value is ignored), then publish the temp file.

    The temp file lives in the destination directory (same file system) and is removed if
    anything fails or the run is interrupted, so the destination is either untouched or the
    full new file.

    Parameters
    ----------
    path : Path
        Destination (see :func:`check_output_path`).
    writer : callable
        Writes the content to the path it is given.
    overwrite : bool
        Replace an existing file (or symbolic link) at ``path``. Without it, a file that
        appeared at ``path`` while the run was in progress is kept and :class:`OutputError`
        is raised.

    Raises
    ------
    OutputError
        The destination exists (without ``overwrite``) or the system refused the write.
    """
    path = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(os_error_message(path, exc)) from None
    os.close(fd)
    tmp = Path(tmp_name)
    with _PENDING_LOCK:
        _PENDING.add(tmp)
    try:
        writer(tmp)
        # mkstemp creates 0600 files; give the output the mode a plain open() would have
        # (or keep the mode of the file being replaced)
        keep = overwrite and path.exists() and not path.is_symlink()
        with _PENDING_LOCK:
            if tmp not in _PENDING:  # discarded by an interrupt meanwhile
                raise KeyboardInterrupt
            os.chmod(tmp, path.stat().st_mode & 0o777 if keep else 0o666 & ~_umask())
            if overwrite:
                os.replace(tmp, path)
            else:
                _publish_exclusive(tmp, path)
            _PENDING.discard(tmp)
    except OSError as exc:
        _drop(tmp)
        if isinstance(exc, OutputError):
            raise
        raise OutputError(os_error_message(path, exc)) from None
    except BaseException:
        _drop(tmp)
        raise
    return path


def _drop(tmp: Path) -> None:
    with _PENDING_LOCK:
        _PENDING.discard(tmp)
    tmp.unlink(missing_ok=True)


def _publish_exclusive(tmp: Path, path: Path) -> None:
    """Give ``tmp`` the name ``path`` only if no file has that name (then drop ``tmp``)."""
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise OutputError(
            f"{path}: a file appeared at the output path while this run was in progress; "
            "it was kept; hint: pass --overwrite (overwrite=True) to replace it"
        ) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # no hard links here (some network/FUSE file systems): claim the name exclusively,
        # then move the finished file onto our own placeholder
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        except FileExistsError:
            raise OutputError(
                f"{path}: a file appeared at the output path while this run was in progress; "
                "it was kept; hint: pass --overwrite (overwrite=True) to replace it"
            ) from None
        os.replace(tmp, path)
        return
    tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`write_atomic`)."""
    return write_atomic(Path(path), lambda tmp: tmp.write_bytes(data), overwrite=overwrite)


def write_text_atomic(path: Path, text: str, *, overwrite: bool = False) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically with ``\\n`` line endings."""
    return write_bytes_atomic(Path(path), text.encode("utf-8"), overwrite=overwrite)
