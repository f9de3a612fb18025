"""The scenario TOML reader, with includes.

TOML layout (every key optional)::


    include = ["base.toml"]        # relative, inside this file's folder; depth <= 8
    name = "my-scenario"
    description = "..."
    status = "under_construction"  # operational | under_construction | planned | proposed
    as_of = 2030                   # statuses and events on that date: a year (its last
                                   # day) or a date "2023-06" / "2023-06-01"
    include_suspended = false      # also suspended / cancelled segments
    ignore_events = false          # true: apply no dated closure of events.toml
    reopen = ["border:AFG-PAK"]    # lift event closures of these targets (or event ids)
    modes = ["rail", "road", "sea", "ferry"]
    corridors = ["w-cpec-plus"]    # selection (a corridor includes its children)
    platforms = ["aze-3plus3"]     # the corridors whose platform is this one
    segments = ["mc-btk"]          # single segments (status threshold still applies)
    open = ["zz-tripp-arm"]        # included whatever their status or the selection
    close = ["hormuz", "AFG", "AFG-PAK", "iti-irn", "torkham"]
    circuity_warn = 2.0            # routes longer than this x great circle are implausible
    [closures]                     # the same, typed
    segments = [], nodes = [], borders = [], countries = [], passages = []
    [cost]
    transfer_h = 12
    border_dwell_h = 12
    break_of_gauge_h = 6
    [cost.speed_kmh]
    rail = 40
    [cost.border_dwell_h_by_border]
    "AFG-PAK" = 48
    [[add.node]]                   # same fields as nodes.geojson, coordinates = [lon, lat]
    [[add.segment]]                # same fields as segments.geojson (coordinates optional)

Included files are read first; the including file's scalars and cost entries override
theirs, and its lists (selection, open, close, additions) extend theirs. The key tables and
the checking of values live in :mod:`corridors.scenario.toml_values`.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from corridors.errors import GeodataError, InputFileError, Problem, ScenarioError, did_you_mean
from corridors.io.read import max_input_bytes, read_input_bytes, read_toml
from corridors.model import Atlas
from corridors.network.sea import normalise_passage, passage_hint
from corridors.scenario.closures import ISO3_RE, Closure, classify_closure
from corridors.scenario.costs import (
    DEFAULT_BORDER_DWELL_H,
    DEFAULT_BREAK_OF_GAUGE_H,
    DEFAULT_CIRCUITY_WARN,
    DEFAULT_SPEED_KMH,
    DEFAULT_TRANSFER_H,
    CostModel,
)
from corridors.scenario.model import DEFAULT_MODES, Scenario, dedupe
from corridors.scenario.problems import (
    NO_VALUE,
    scenario_error,
    scenario_problem,
    unknown_key_problem,
)
from corridors.scenario.resolve import resolve_scenario
from corridors.scenario.toml_values import (
    ADD_KEYS,
    CLOSURE_KEYS,
    TOP_KEYS,
    TYPE_NAMES,
    RawScenario,
    as_of_value,
    check_list,
    read_cost,
    type_problem,
)

__all__ = ["MAX_INCLUDE_DEPTH", "MAX_SCENARIO_BYTES", "MAX_SCENARIO_FILES", "load_scenario"]

#: Maximum include depth.
MAX_INCLUDE_DEPTH = 8
#: Most file reads for one scenario (the top file and every include, repeats counted), so
#: includes that fan out (each file including the next twice) end quickly.
MAX_SCENARIO_FILES = 64
#: Most bytes of one scenario with all its includes (also capped by CORRIDORS_MAX_INPUT_MB).
MAX_SCENARIO_BYTES = 16 * 1024 * 1024


def _resolve_include(
    item: str, *, current: Path, root: Path, file: str, where: str
) -> tuple[Path | None, Problem | None]:
    p = Path(item)
    if p.is_absolute() or item.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", item):
        return None, scenario_problem(
            file,
            where,
            item,
            "include must be a relative path inside the scenario's folder",
            f"put the file in {root} and include it by name",
            code="include-escape",
        )
    if ".." in p.parts:
        return None, scenario_problem(
            file,
            where,
            item,
            "include may not leave the scenario's folder ('..')",
            f"put the file in {root} and include it by name",
            code="include-escape",
        )
    target = current.parent / p
    resolved = target.resolve()
    try:
        resolved.relative_to(root)
    except ValueError:
        return None, scenario_problem(
            file,
            where,
            item,
            f"include resolves outside the scenario's folder (to {resolved}; a symlink?)",
            f"copy the file into {root}",
            code="include-escape",
        )
    if resolved.exists() and not resolved.is_dir() and not resolved.is_file():
        return None, scenario_problem(
            file,
            where,
            item,
            f"included path is not a regular file (a FIFO or device?): {resolved}",
            "include a regular .toml file",
            code="include-not-file",
        )
    if not resolved.is_file():
        siblings = sorted(x.name for x in current.parent.glob("*.toml"))
        return None, scenario_problem(
            file,
            where,
            item,
            f"included file not found: {resolved}",
            did_you_mean(p.name, siblings) or "check the path (relative to the including file)",
            code="include-missing",
        )
    return resolved, None


def _read_file(
    path: Path,
    *,
    root: Path,
    chain: list[Path],
    raw: RawScenario,
    problems: list[Problem],
    display: str,
) -> None:
    file = display
    if raw.over_budget:
        return
    raw.files_read += 1
    cap = min(MAX_SCENARIO_BYTES, max_input_bytes())
    if raw.files_read > MAX_SCENARIO_FILES:
        raw.over_budget = True
        problems.append(
            scenario_problem(
                file,
                "include",
                NO_VALUE,
                f"the scenario reads more than {MAX_SCENARIO_FILES} files with its includes "
                "(includes that fan out?)",
                "include each file once, from one place",
                code="include-fan-out",
            )
        )
        return
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if raw.bytes_read + size > cap:
        raw.over_budget = True
        problems.append(
            scenario_problem(
                file,
                "",
                NO_VALUE,
                f"the scenario with its includes is over {cap / 1e6:.1f} MB",
                "scenarios are small text files: check the includes",
                code="scenario-too-big",
            )
        )
        return
    try:
        data = read_toml(path, max_bytes=cap - raw.bytes_read)
    except GeodataError as exc:
        problems.extend(_locate_eof(p, path) for p in exc.problems)
        return
    except InputFileError as exc:
        problems.append(scenario_problem(file, "", NO_VALUE, str(exc), code="input-file"))
        return
    raw.bytes_read += size
    if not data:
        problems.append(
            scenario_problem(
                file,
                "",
                NO_VALUE,
                "scenario file is empty",
                "add at least 'status = \"operational\"' or an include",
                code="empty-file",
            )
        )
        return
    for key in data:
        if key not in TOP_KEYS:
            problems.append(unknown_key_problem(file, key, key, TOP_KEYS))
    # includes first: the file's own values override / extend them
    inc = data.get("include")
    if inc is not None:
        items = check_list(
            inc, file=file, where="include", problems=problems, example='"base.toml"'
        )
        for i, item in enumerate(items or ()):
            where = f"include[{i}]"
            target, prob = _resolve_include(item, current=path, root=root, file=file, where=where)
            if prob is not None:
                problems.append(prob)
                continue
            assert target is not None
            if target in chain:
                names = [_rel(c, root) for c in chain[chain.index(target) :]] + [_rel(target, root)]
                problems.append(
                    scenario_problem(
                        file,
                        where,
                        item,
                        "include cycle: " + " → ".join(names),
                        "remove one of the includes",
                        code="include-cycle",
                    )
                )
                continue
            if len(chain) >= MAX_INCLUDE_DEPTH:
                problems.append(
                    scenario_problem(
                        file,
                        where,
                        item,
                        f"includes nested deeper than {MAX_INCLUDE_DEPTH} levels: "
                        + " → ".join(_rel(c, root) for c in [*chain, target]),
                        "flatten the includes",
                        code="include-depth",
                    )
                )
                continue
            _read_file(
                target,
                root=root,
                chain=[*chain, target],
                raw=raw,
                problems=problems,
                display=str(_display_path(target, root, display, path)),
            )
    for key, spec in TOP_KEYS.items():
        if key not in data or key == "include":
            continue
        value = data[key]
        if spec == "date":
            as_of = as_of_value(value, file=file, problems=problems)
            if as_of is not None:
                raw.scalars[key] = (as_of, file, key)
            continue
        if spec == "list[str]":
            examples = {
                "close": '"hormuz", "AFG", "AFG-PAK", "segment-id"',
                "modes": '"rail", "road"',
            }
            items = check_list(
                value, file=file, where=key, problems=problems, example=examples.get(key, '"id"')
            )
            if items == [] and key == "modes":
                problems.append(
                    scenario_problem(
                        file,
                        key,
                        value,
                        "modes is empty: no link could be used",
                        'list the modes to use, e.g. modes = ["rail", "road"], or leave it out',
                        code="empty-modes",
                    )
                )
                continue
            if items is not None:
                bucket = raw.lists.setdefault(key, [])
                bucket.extend((v, file, f"{key}[{i}]") for i, v in enumerate(items))
                if key == "modes":
                    # modes replace, they do not accumulate
                    raw.lists["modes"] = [(v, file, f"modes[{i}]") for i, v in enumerate(items)]
        elif spec == "table":
            if not isinstance(value, dict):
                problems.append(type_problem(file, key, value, f"a table ([{key}])"))
                continue
            if key == "closures":
                for k, v in value.items():
                    if k not in CLOSURE_KEYS:
                        problems.append(unknown_key_problem(file, f"closures.{k}", k, CLOSURE_KEYS))
                        continue
                    items = check_list(
                        v, file=file, where=f"closures.{k}", problems=problems, example='"id"'
                    )
                    bucket = raw.lists.setdefault(f"closures.{k}", [])
                    bucket.extend(
                        (x, file, f"closures.{k}[{i}]") for i, x in enumerate(items or ())
                    )
            elif key == "cost":
                read_cost(value, file=file, raw=raw, problems=problems)
            else:  # add
                for k, v in value.items():
                    if k not in ADD_KEYS:
                        problems.append(unknown_key_problem(file, f"add.{k}", k, ADD_KEYS))
                        continue
                    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
                        problems.append(
                            type_problem(file, f"add.{k}", v, f"an array of tables ([[add.{k}]])")
                        )
                        continue
                    for i, item in enumerate(v):
                        raw.additions.append((k, item, file, f"add.{k}[{i}]"))
        else:
            assert isinstance(spec, tuple)
            ok = isinstance(value, spec) and not (spec != (bool,) and isinstance(value, bool))
            if not ok:
                hint = None
                if key == "as_of":
                    hint = (
                        f"write a year without quotes: as_of = {value}"
                        if isinstance(value, str) and value.strip().isdigit()
                        else "write a year without quotes, e.g. as_of = 2030"
                    )
                elif key in ("include_suspended", "ignore_events"):
                    hint = f"write {key} = true or false (no quotes)"
                problems.append(type_problem(file, key, value, TYPE_NAMES[spec[0]], hint))
                continue
            raw.scalars[key] = (value, file, key)


def _locate_eof(p: Problem, path: Path) -> Problem:
    """tomllib says "at end of document" without a position: give the last line:column."""
    if p.where or "end of document" not in p.message:
        return p
    try:
        text = read_input_bytes(path)[1].decode("utf-8", errors="replace")
    except InputFileError:
        return p
    lines = text.split("\n")
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()
    return replace(p, where=f"line {len(lines)}:{len(lines[-1]) + 1 if lines else 1}")


def _rel(p: Path, root: Path) -> str:
    try:
        return str(p.relative_to(root))
    except ValueError:
        return str(p)


def _display_path(target: Path, root: Path, parent_display: str, parent_path: Path) -> str:
    # show included files next to how the top file was named
    try:
        base = Path(parent_display).parent
        return str(base / target.relative_to(parent_path.parent))
    except ValueError:
        return str(target)


def load_scenario(path: str | os.PathLike[str], *, atlas: Atlas | None = None) -> Scenario:
    """Read a scenario TOML file (with its includes).

    Parameters
    ----------
    path : path-like
        The scenario file. ``include = [...]`` entries are resolved relative to the file
        and must stay inside its folder.
    atlas : Atlas, optional
        When given, every reference (corridors, closures, additions…) is also checked
        against it.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Listing every problem (file, key, value, hint); ``.problems`` holds them.
    InputFileError
        When the file does not exist.
    """
    from corridors.io.read import check_input_file

    resolved = check_input_file(path)
    root = resolved.parent
    raw = RawScenario()
    problems: list[Problem] = []
    _read_file(resolved, root=root, chain=[resolved], raw=raw, problems=problems, display=str(path))
    if problems:
        raise scenario_error(problems)
    prov: dict[str, tuple[str, str]] = {}

    def sc(key: str, default: Any) -> Any:
        if key in raw.scalars:
            v, f, w = raw.scalars[key]
            prov[f"{key}:{v}"] = (f, w)
            return v
        return default

    def lst(key: str, pkey: str | None = None) -> tuple[str, ...]:
        out = []
        for v, f, w in raw.lists.get(key, []):
            prov.setdefault(f"{pkey or key}:{v}", (f, w))
            out.append(v)
        return dedupe(out)

    closures: list[Closure] = []
    for v, f, w in raw.lists.get("close", []):
        try:
            c = classify_closure(v, file=f, where=w)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        closures.append(c)
        prov.setdefault(f"close.{c.kind}:{c.ref}", (f, w))
    kinds = {"segments": "segment", "nodes": "node", "countries": "country", "passages": "passage"}
    for key in CLOSURE_KEYS:
        for v, f, w in raw.lists.get(f"closures.{key}", []):
            if key == "borders":
                c = classify_closure(v.upper(), file=f, where=w)
                if c.kind != "border":
                    problems.append(
                        scenario_problem(
                            f,
                            w,
                            v,
                            "a border is two ISO3 codes",
                            'e.g. "AFG-PAK"',
                            code="bad-border",
                        )
                    )
                    continue
            elif key == "passages":
                k = normalise_passage(v)
                if k is None:
                    problems.append(
                        scenario_problem(
                            f,
                            w,
                            v,
                            f"unknown sea passage {v!r}",
                            passage_hint(v),
                            code="unknown-passage",
                        )
                    )
                    continue
                c = Closure("passage", k)
            elif key == "countries":
                if not ISO3_RE.fullmatch(v):
                    problems.append(
                        scenario_problem(
                            f,
                            w,
                            v,
                            "country must be an ISO3 code",
                            'e.g. "AFG"',
                            code="bad-iso3",
                        )
                    )
                    continue
                c = Closure("country", v)
            else:
                c = Closure(kinds[key], v)
            if c not in closures:
                closures.append(c)
            prov.setdefault(f"close.{c.kind}:{c.ref}", (f, w))
    costs = CostModel(
        speed_kmh=tuple({**DEFAULT_SPEED_KMH, **{k: v[0] for k, v in raw.speeds.items()}}.items()),
        transfer_h=raw.costs.get("transfer_h", (DEFAULT_TRANSFER_H,))[0],
        border_dwell_h=raw.costs.get("border_dwell_h", (DEFAULT_BORDER_DWELL_H,))[0],
        border_dwell_h_by_border=tuple(sorted((k, v[0]) for k, v in raw.dwell.items())),
        break_of_gauge_h=raw.costs.get("break_of_gauge_h", (DEFAULT_BREAK_OF_GAUGE_H,))[0],
    )
    additions = []
    for kind, item, f, w in raw.additions:
        additions.append((kind, json.dumps(item, sort_keys=True, default=str)))
        ident = item.get("id")
        prov.setdefault(f"add.{kind}:{ident}", (f, w))
        prov.setdefault(f"add.{kind}#{len(additions) - 1}", (f, w))
    if problems:
        raise scenario_error(problems)
    modes = lst("modes") or DEFAULT_MODES
    status = sc("status", "proposed")
    try:
        scen = Scenario(
            name=sc("name", resolved.stem),
            description=sc("description", ""),
            status=status,
            as_of=sc("as_of", None),
            include_suspended=sc("include_suspended", False),
            ignore_events=sc("ignore_events", False),
            reopened=lst("reopen"),
            modes=modes,
            corridors=lst("corridors"),
            platforms=lst("platforms"),
            segments=lst("segments"),
            open_segments=lst("open"),
            closures=tuple(closures),
            costs=costs,
            additions=tuple(additions),
            circuity_warn=sc("circuity_warn", DEFAULT_CIRCUITY_WARN),
            source=str(path),
            provenance=MappingProxyType(prov),
        )
    except ScenarioError:
        raise
    if atlas is not None:
        resolve_scenario(atlas, scen)
    return scen
