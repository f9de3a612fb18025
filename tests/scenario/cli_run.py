"""Run the ``corridors`` command line in-process for the scenario tests (one helper)."""

from __future__ import annotations

from corridors.cli.main import main

__all__ = ["run"]


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    """``(exit status, stdout, stderr)`` of ``corridors ARGV``; never a traceback."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err
