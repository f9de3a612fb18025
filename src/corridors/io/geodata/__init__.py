"""Read and validate geodata files into an :class:`~corridors.model.Atlas`.

The loader runs every check, collects every problem (file, JSON pointer or TOML key,
entity id, field, value, hint) and raises one :class:`~corridors.errors.GeodataError`
listing them all. Warnings (e.g. a node just outside its declared country) are kept on the
result and never fail a load.

The parts, each with one reason to change:

* :mod:`~corridors.io.geodata.context` — :class:`Context` (file, place, entity → one
  ``.error(field, value, message, hint, code)`` call), :class:`Record`, :class:`Parsed`,
  :class:`IdRegistry`;
* :mod:`~corridors.io.geodata.fields` — readers of single fields (ids, vocabularies,
  numbers, dates, sources, colours);
* :mod:`~corridors.io.geodata.geometry` — GeoJSON collections, points, lines, polygons;
* one parser per record kind: :mod:`~corridors.io.geodata.points` (node, waypoint),
  :mod:`~corridors.io.geodata.segments`, :mod:`~corridors.io.geodata.tables` (corridor,
  route, hubs), :mod:`~corridors.io.geodata.platforms`, and
  :mod:`~corridors.io.geodata.countries` (the borders layer);
* :mod:`~corridors.io.geodata.checks` — checks across records;
* :mod:`~corridors.io.geodata.loader` — the orchestrator behind :func:`validate_geodata`
  and :func:`load_atlas`.

A scenario's additions call the same parsers with a TOML :class:`Context`.

Why not pydantic or msgspec: both would parse the records in a few lines, but their errors
are their own (``"Input should be a valid string"``, locations as tuples) and stop at the
first failure in a field; corridors' messages — the product's best feature, asserted by the
tests — name the file, the JSON pointer or TOML key, the entity id, the field and the value,
suggest the close match (``did you mean 'rail'?``), report every problem at once, and skip
"unknown" follow-ups of a record that already failed. Re-mapping every library error onto
those messages would be more code than the readers in :mod:`~corridors.io.geodata.fields`,
so the readers are hand-written, small and shared.
"""

from __future__ import annotations

from corridors.io.geodata.context import Context, IdRegistry, Parsed, Record
from corridors.io.geodata.geometry import DEFAULT_MAX_VERTICES
from corridors.io.geodata.loader import (
    FILE_KINDS,
    LoadResult,
    bundled_geodata_dir,
    classify_file,
    load_atlas,
    resolve_files,
    validate_geodata,
)
from corridors.io.geodata.points import parse_node, parse_waypoint
from corridors.io.geodata.segments import ENDPOINT_TOLERANCE_KM, parse_segment

__all__ = [
    "DEFAULT_MAX_VERTICES",
    "ENDPOINT_TOLERANCE_KM",
    "FILE_KINDS",
    "Context",
    "IdRegistry",
    "LoadResult",
    "Parsed",
    "Record",
    "bundled_geodata_dir",
    "classify_file",
    "load_atlas",
    "parse_node",
    "parse_segment",
    "parse_waypoint",
    "resolve_files",
    "validate_geodata",
]
