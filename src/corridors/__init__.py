"""corridors — an atlas and scenario lab for Eurasian connectivity corridors.

Load the bundled, sourced geodata (CPEC and its CPEC+ branches, Azerbaijan's 3+3 platform,
the Middle Corridor, INSTC…), measure it geodesically, and draw it.

>>> import corridors
>>> atlas = corridors.load_atlas()
>>> atlas.nodes["gwadar_port"].country
'PAK'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("corridors")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

from .errors import (
    CorridorsError,
    GeodataError,
    InputFileError,
    OutputError,
    RouteNotFound,
    ScenarioError,
    UnknownEntityError,
)
from .load import load_atlas, validate_geodata
from .measure import measure_segment, segment_measures
from .model import Atlas, Corridor, Node, Platform, Segment, Source

__all__ = [
    "Atlas",
    "Corridor",
    "CorridorsError",
    "GeodataError",
    "InputFileError",
    "Node",
    "OutputError",
    "Platform",
    "RouteNotFound",
    "ScenarioError",
    "Segment",
    "Source",
    "UnknownEntityError",
    "__version__",
    "load_atlas",
    "measure_segment",
    "segment_measures",
    "validate_geodata",
]
