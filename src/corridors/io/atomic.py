"""The one place that writes output files: checked paths, temp file + ``os.replace``.

A failed run never leaves a partial file and never clobbers an existing output.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from corridors.errors import OutputError

__all__ = ["check_output_path", "write_atomic", "write_bytes_atomic", "write_text_atomic"]


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
        Allow replacing an existing file.
    inputs : iterable of path-like
        Input files of the run; the output may not be one of them.

    Returns
    -------
    Path
        The resolved output path.

    Raises
    ------
    OutputError
        With the resolved path and what to do.
    """
    out = Path(path).expanduser()
    resolved = out.resolve()
    allowed = [s.lower() for s in suffixes]
    if resolved.suffix.lower() not in allowed:
        raise OutputError(
            f"{resolved}: output extension {resolved.suffix or '(none)'!r} does not match the "
            f"format; hint: use one of {', '.join(allowed)}"
        )
    for inp in inputs:
        if Path(inp).expanduser().resolve() == resolved:
            raise OutputError(
                f"{resolved}: output path is also an input file; hint: write to another path"
            )
    if resolved.is_dir():
        raise OutputError(f"{resolved}: is a directory; hint: give a file name")
    parent = resolved.parent
    if not parent.is_dir():
        raise OutputError(f"{resolved}: directory {parent} does not exist; hint: create it first")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{resolved}: directory {parent} is not writable")
    if resolved.exists() and not overwrite:
        raise OutputError(
            f"{resolved}: file exists; hint: pass --overwrite (overwrite=True) to replace it"
        )
    return resolved


def write_atomic(path: Path, writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` (its return value is ignored), then move the temp file onto
    ``path`` atomically.

    The temp file lives in the destination directory (same filesystem) and is removed
    if ``writer`` raises, so the destination is either the old file or the full new one.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer(tmp)
        # mkstemp creates 0600 files; give the output the mode a plain open() would have
        # (or keep the mode of the file being replaced)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`write_atomic`)."""
    return write_atomic(Path(path), lambda tmp: tmp.write_bytes(data))


def write_text_atomic(path: Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically with ``\\n`` line endings."""
    return write_bytes_atomic(Path(path), text.encode("utf-8"))
