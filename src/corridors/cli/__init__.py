"""The ``corridors`` command line: one module per group of sub-commands."""

from corridors.cli.main import main

__all__ = ["main"]
