"""Property test of the input surface (issue 14, item 6).

Hypothesis generates valid scenario TOML, geodata nodes and segments and overlay features
from the schema (docs/geodata-schema.md, :mod:`corridors.vocab`,
:data:`corridors.scenario.toml_values.TOP_KEYS`), mutates them (hostile values anywhere in
the tree, keys dropped or added, bytes cut or inserted), writes them to a file and runs the
real readers in process. The outcome must always be success or a
:class:`~corridors.errors.CorridorsError` that names the file — never another exception —
and each example must end within :data:`EXAMPLE_GUARD_S` (a hang guard by SIGALRM; the
whole test is measured in the report, not asserted).
"""

from __future__ import annotations

import contextlib
import json
import math
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tests.conftest import mini_atlas_data, write_atlas

from corridors.errors import CorridorsError, GeodataError
from corridors.vocab import MODES, NODE_KINDS, NODE_PRECISIONS, PRECISIONS, STATUSES

#: Examples per input kind (the acceptance point asks for at least 500).
EXAMPLES = 500
#: An example running longer than this is a hang (real ones take milliseconds).
EXAMPLE_GUARD_S = 20

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- hostile values -------------------------------------------------------------------------

HOSTILE_TEXT = [
    "",
    " ",
    "alpha\n",
    " alpha",
    "\ud800",
    "x\udfff",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "<img src=x onerror=alert(1)>",
    "=HYPERLINK(1)",
    "hormuz",
    "a",
    "AAA-BBB",
    "nan",
    "inf",
    "9" * 5000,
    "2023-01-01\n",
    "2023-02-30",
    "-0001-01-01",
    "today",
    "x" * 10_000,
]
hostile_text = st.sampled_from(HOSTILE_TEXT)
hostile_scalar = st.one_of(
    hostile_text,
    st.text(max_size=20),
    hostile_text,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -1, 10**400, -(10**400), 2**63, 2**64, 5e-324, 1e308, -0.0, 1e-300]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
hostile_value = st.one_of(
    hostile_scalar,
    st.lists(hostile_scalar, max_size=4),
    st.dictionaries(st.text(max_size=5), hostile_scalar, max_size=3),
    st.just([[[[[[]]]]]]),
)

# --- valid documents from the schema ----------------------------------------------------------

ident = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
SOURCE = {"url": "https://example.org/x", "title": "x", "accessed": "2026"}
MINI_NODES = {"alpha": (2.0, 5.0), "gate": (10.0, 5.0), "beta": (18.0, 5.0), "gamma": (15.0, 2.0)}


@st.composite
def node_feature(draw: st.DrawFn) -> dict[str, Any]:
    country = draw(st.sampled_from(["AAA", "BBB"]))
    x0 = 0.5 if country == "AAA" else 10.5
    lon = draw(st.floats(min_value=x0, max_value=x0 + 9, allow_nan=False))
    lat = draw(st.floats(min_value=0.5, max_value=9.5, allow_nan=False))
    props: dict[str, Any] = {
        "id": "n_" + draw(ident),
        "name": draw(st.one_of(st.text(min_size=1, max_size=12), hostile_text)),
        "country": country,
        "kind": draw(st.sampled_from(NODE_KINDS)),
        "precision": draw(st.sampled_from(NODE_PRECISIONS)),
        "sources": [dict(SOURCE)],
    }
    if draw(st.booleans()):
        props["aliases"] = draw(st.lists(st.text(min_size=1, max_size=8), max_size=2))
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": props,
    }


@st.composite
def segment_feature(draw: st.DrawFn) -> dict[str, Any]:
    a, b = draw(st.lists(st.sampled_from(sorted(MINI_NODES)), min_size=2, max_size=2, unique=True))
    mode = draw(st.sampled_from(MODES))
    status = draw(st.sampled_from(STATUSES))
    props: dict[str, Any] = {
        "id": "s_" + draw(ident),
        "name": draw(st.one_of(st.text(min_size=1, max_size=12), hostile_text)),
        "from": a,
        "to": b,
        "via": [],
        "mode": mode,
        "status": status,
        "precision": draw(st.sampled_from(PRECISIONS)),
        "status_history": [{"date": str(draw(st.integers(1990, 2026))), "status": status}],
        "sources": [dict(SOURCE)],
    }
    if mode == "rail":
        props["gauge_mm"] = draw(st.sampled_from([1435, 1520, 1676, "unknown"]))
    return {
        "type": "Feature",
        "geometry": {
            "type": "LineString",
            "coordinates": [list(MINI_NODES[a]), list(MINI_NODES[b])],
        },
        "properties": props,
    }


@st.composite
def overlay_feature(draw: st.DrawFn) -> dict[str, Any]:
    lon = st.floats(min_value=-180, max_value=180, allow_nan=False)
    lat = st.floats(min_value=-90, max_value=90, allow_nan=False)
    pos = st.tuples(lon, lat).map(list)
    kind = draw(st.sampled_from(["Point", "LineString", "Polygon", "MultiPoint"]))
    if kind == "Point":
        coords: Any = draw(pos)
    elif kind in ("LineString", "MultiPoint"):
        coords = draw(st.lists(pos, min_size=2, max_size=6))
    else:
        ring = draw(st.lists(pos, min_size=3, max_size=6))
        coords = [[*ring, ring[0]]]
    props = draw(st.dictionaries(st.text(max_size=6), hostile_scalar, max_size=4))
    return {
        "type": "Feature",
        "geometry": {"type": kind, "coordinates": coords},
        "properties": props,
    }


@st.composite
def scenario_doc(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": draw(st.one_of(st.text(min_size=1, max_size=12), hostile_text))}
    if draw(st.booleans()):
        doc["as_of"] = draw(
            st.one_of(st.integers(1990, 2030).map(str), st.just("today"), st.just("2024-06-01"))
        )
    if draw(st.booleans()):
        doc["modes"] = draw(st.lists(st.sampled_from(MODES), min_size=1, max_size=3, unique=True))
    if draw(st.booleans()):
        doc["status"] = draw(st.sampled_from(STATUSES))
    if draw(st.booleans()):
        doc["close"] = draw(
            st.lists(st.sampled_from(["s1", "s2", "s3", "gate", "AAA-BBB"]), max_size=2)
        )
    if draw(st.booleans()):
        doc["open"] = draw(st.lists(st.sampled_from(["s1", "s2", "s3"]), max_size=2))
    for key in ("include_suspended", "ignore_events"):
        if draw(st.booleans()):
            doc[key] = draw(st.booleans())
    if draw(st.booleans()):
        doc["circuity_warn"] = draw(st.floats(min_value=1, max_value=10))
    if draw(st.booleans()):
        doc["cost"] = {
            "transfer_h": draw(st.floats(min_value=0, max_value=100)),
            "speed_kmh": {
                draw(st.sampled_from(MODES)): draw(st.floats(min_value=1, max_value=900))
            },
        }
    if draw(st.booleans()):
        node = draw(node_feature())["properties"]
        node["coordinates"] = [draw(st.floats(0.5, 9.5)), draw(st.floats(0.5, 9.5))]
        node["country"] = "AAA"
        seg = {
            "id": "new-" + draw(ident),
            "name": "New",
            "from": node["id"],
            "to": draw(st.sampled_from(sorted(MINI_NODES))),
            "mode": "road",
            "status": "proposed",
            "precision": "schematic",
            "sources": [dict(SOURCE)],
        }
        doc["add"] = {"node": [node], "segment": [seg]}
    return doc


# --- mutations ------------------------------------------------------------------------------


def _paths(tree: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            yield from _paths(v, (*prefix, i))


def _parent(tree: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        tree = tree[step]
    return tree


@st.composite
def mutated(draw: st.DrawFn, doc_strategy: st.SearchStrategy[Any]) -> Any:
    """A document from ``doc_strategy`` with 0-3 structural mutations."""
    doc = draw(doc_strategy)
    for _ in range(draw(st.integers(0, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(doc, path)
        op = draw(st.sampled_from(["replace", "drop", "add", "wrap"]))
        if op == "replace":
            parent[path[-1]] = draw(hostile_value)
        elif op == "drop":
            del parent[path[-1]]
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["id", "extra", "", " id", "type"]))] = draw(hostile_value)
        elif op == "wrap":
            parent[path[-1]] = [parent[path[-1]]]
    return doc


@st.composite
def text_damage(draw: st.DrawFn, text: str) -> str:
    """``text`` unchanged (mostly), cut short, or with a few hostile characters inserted."""
    op = draw(st.sampled_from(["none", "none", "none", "cut", "insert"]))
    if op == "none" or not text:
        return text
    at = draw(st.integers(0, len(text)))
    if op == "cut":
        return text[:at]
    junk = draw(st.sampled_from(["[", "{", '"', "\\", "\x00", "]", ",", "\ufeff", "#", "="]))
    return text[:at] + junk * draw(st.integers(1, 3)) + text[at:]


# --- serialisers ------------------------------------------------------------------------------


def _toml_scalar(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return (
            "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
        )
    if isinstance(v, str):
        return _toml_string(v)
    if isinstance(v, list):
        items = [_toml_scalar(x) for x in v]
        return "[" + ", ".join(i for i in items if i is not None) + "]"
    if isinstance(v, dict):
        items = [(k, _toml_scalar(x)) for k, x in v.items()]
        return (
            "{"
            + ", ".join(f"{_toml_string(str(k))} = {i}" for k, i in items if i is not None)
            + "}"
        )
    return json.dumps(str(v))


def _toml_string(v: str) -> str:
    """A TOML basic string: JSON escapes for controls, DEL escaped, other characters raw."""
    return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")


def to_toml(doc: Any) -> str:
    """TOML text for a (mutated) scenario document; a non-table document becomes one key."""
    if not isinstance(doc, dict):
        doc = {"name": doc}
    lines, tables = [], []
    for k, v in doc.items():
        if k == "add" and isinstance(v, dict) and all(isinstance(x, list) for x in v.values()):
            tables.append((k, v))
            continue
        val = _toml_scalar(v)
        if val is not None:
            lines.append(f"{_toml_string(str(k))} = {val}")
    for _, add in tables:
        for kind, items in add.items():
            for item in items:
                lines.append(f"[[add.{json.dumps(str(kind))}]]")
                if isinstance(item, dict):
                    for k, v in item.items():
                        val = _toml_scalar(v)
                        if val is not None:
                            lines.append(f"{_toml_string(str(k))} = {val}")
    return "\n".join(lines) + "\n"


def to_json(doc: Any, ascii_only: bool) -> str:
    return json.dumps(doc, ensure_ascii=ascii_only, allow_nan=True)


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))


# --- the property -----------------------------------------------------------------------------


@contextlib.contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise TimeoutError(f"example ran over {seconds} s (a hang)")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_located(exc: CorridorsError, name: str) -> None:
    """A CorridorsError that names the file (and, with problems, where in it)."""
    codes = sorted({p.code for p in getattr(exc, "problems", ())})
    event(f"refused: {type(exc).__name__} {' '.join(codes[:2])}".strip())
    assert name in str(exc), f"not located: {exc}"
    for p in getattr(exc, "problems", ()):
        assert p.file, p


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="corridors-prop-") as d:
        yield Path(d)


@pytest.fixture(scope="module")
def mini_atlas(workdir):
    from corridors.io.geodata import load_atlas

    return load_atlas(write_atlas(workdir / "base", mini_atlas_data()))


def _outputs_of(atlas: Any) -> None:
    """What the CLI prints of a loaded atlas must encode (the lone-surrogate crash)."""
    from corridors.cli import tables

    for fn in (tables.node_records, tables.segment_records):
        records = fn(atlas)
        json.dumps(records, ensure_ascii=False, allow_nan=False).encode("utf-8")
        tables.format_table("nodes" if fn is tables.node_records else "segments", records)


def _check_geodata(workdir: Path, name: str, features: list[Any], doc: Any, text: str) -> None:
    from corridors.io.geodata import validate_geodata

    data = mini_atlas_data()
    d = write_atlas(workdir / "g", data)
    _write(d / name, text)
    with hang_guard(EXAMPLE_GUARD_S):
        try:
            result = validate_geodata([d])
        except CorridorsError as exc:
            assert_located(exc, name)
            return
        event("refused by validate" if result.errors else "accepted")
        for p in result.problems:
            assert p.file.endswith(name) or p.file, p
            assert p.where or p.code in {"input-file", "encoding", "empty-file"} or p.field, p
        if result.atlas is not None:
            _outputs_of(result.atlas)


def _collection(kind: str, feats: list[Any]) -> dict[str, Any]:
    base = mini_atlas_data()[kind]
    return {"type": "FeatureCollection", "features": [*base["features"], *feats]}


@SETTINGS
@given(st.data())
def test_nodes_are_accepted_or_refused_with_a_location(workdir, data):
    doc = data.draw(mutated(node_feature().map(lambda f: _collection("nodes.geojson", [f]))))
    text = data.draw(text_damage(to_json(doc, data.draw(st.booleans()))))
    _check_geodata(workdir, "nodes.geojson", [], doc, text)


@SETTINGS
@given(st.data())
def test_segments_are_accepted_or_refused_with_a_location(workdir, data):
    doc = data.draw(mutated(segment_feature().map(lambda f: _collection("segments.geojson", [f]))))
    text = data.draw(text_damage(to_json(doc, data.draw(st.booleans()))))
    _check_geodata(workdir, "segments.geojson", [], doc, text)


@SETTINGS
@given(st.data())
def test_overlays_are_accepted_or_refused_with_a_location(workdir, data):
    from corridors.maps.overlay import load_overlay

    feats = st.lists(overlay_feature(), min_size=1, max_size=3)
    doc = data.draw(mutated(feats.map(lambda fs: {"type": "FeatureCollection", "features": fs})))
    text = data.draw(text_damage(to_json(doc, data.draw(st.booleans()))))
    path = workdir / "overlay.geojson"
    _write(path, text)
    with hang_guard(EXAMPLE_GUARD_S):
        try:
            layer = load_overlay(path, drop_empty=data.draw(st.booleans()))
        except CorridorsError as exc:
            assert_located(exc, "overlay.geojson")
            return
    event("accepted")
    json.dumps(layer.features, ensure_ascii=False, allow_nan=False).encode("utf-8")


@SETTINGS
@given(st.data())
def test_scenarios_are_accepted_or_refused_with_a_location(workdir, mini_atlas, data):
    from corridors.network.routing import route
    from corridors.scenario import load_scenario

    doc = data.draw(mutated(scenario_doc()))
    text = data.draw(text_damage(to_toml(doc)))
    path = workdir / "scenario.toml"
    _write(path, text)
    with hang_guard(EXAMPLE_GUARD_S):
        try:
            scen = load_scenario(path, atlas=mini_atlas)
        except CorridorsError as exc:
            assert_located(exc, "scenario.toml")
            return
        try:
            route(mini_atlas, scen, "alpha", "beta")
            event("accepted and routed")
        except GeodataError as exc:
            assert_located(exc, "scenario.toml")
        except CorridorsError as exc:
            event(
                f"accepted, {type(exc).__name__}"
            )  # no route / unknown place: a result about the network, not the file
