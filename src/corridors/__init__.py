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

from corridors.errors import (
    CorridorsError,
    GeodataError,
    InputFileError,
    OutputError,
    RouteNotFound,
    ScenarioError,
    UnknownEntityError,
)
from corridors.geo.measure import measure_segment, segment_measures
from corridors.io.geodata import load_atlas, validate_geodata
from corridors.model import Atlas, Corridor, Node, Platform, Segment, Source

#: Names imported on first use (they pull in networkx, folium or searoute).
_LAZY = {
    "Scenario": "corridors.scenario.model",
    "load_scenario": "corridors.scenario.toml",
    "bundled_scenario": "corridors.scenario.bundled",
    "route": "corridors.network.routing",
    "Route": "corridors.network.route",
    "build_network": "corridors.network.graph",
    "report": "corridors.analytics.report",
    "criticality": "corridors.analytics.criticality",
    "centrality": "corridors.analytics.centrality",
    "diff": "corridors.analytics.diff",
    "doctor": "corridors.analytics.doctor",
    "atlas_map": "corridors.maps.atlas",
    "scenario_map": "corridors.maps.scenario",
    "load_overlay": "corridors.maps.overlay",
    "scenario_geodataframe": "corridors.frames",
    "export_scenario": "corridors.io.export",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'corridors' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "Atlas",
    "Corridor",
    "CorridorsError",
    "GeodataError",
    "InputFileError",
    "Node",
    "OutputError",
    "Platform",
    "Route",
    "RouteNotFound",
    "Scenario",
    "ScenarioError",
    "Segment",
    "Source",
    "UnknownEntityError",
    "__version__",
    "atlas_map",
    "build_network",
    "bundled_scenario",
    "centrality",
    "criticality",
    "diff",
    "doctor",
    "export_scenario",
    "load_atlas",
    "load_overlay",
    "load_scenario",
    "measure_segment",
    "report",
    "route",
    "scenario_geodataframe",
    "scenario_map",
    "segment_measures",
    "validate_geodata",
]
