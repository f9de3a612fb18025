"""The search behind ``route()``: exact against brute force, stable ties, the criticality
prune, and the synthetic scale networks."""

from __future__ import annotations

import copy
import itertools
import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridors.analytics.criticality import criticality
from corridors.io.geodata import load_atlas
from corridors.network.graph import Network, build_network
from corridors.network.search import adjacency, costs_to, shortest_path
from corridors.network.synthetic import BASE_NODES, synthetic_atlas, synthetic_pairs
from corridors.scenario import Scenario


def _key(net: Network, path: list, weight: str = "hours") -> tuple[int, tuple[int, ...]]:
    """(integer cost, step labels) of a vertex path, as the search ranks paths."""
    adj = adjacency(net)
    k = 2 if weight == "km" else 1
    cost, steps = 0, []
    for a, b in itertools.pairwise(path):
        e = next(e for e in adj.out[adj.index[a]] if e[0] == adj.index[b])
        cost += e[k]
        if e[4] >= 0 and e[k] > 0:
            steps.append(e[4])
    return cost, tuple(steps)


def _brute_force(net: Network, o: str, d: str, weight: str = "hours"):
    paths = nx.all_simple_paths(net.routing, ("o", o), ("d", d))
    return min((_key(net, p, weight) for p in paths), default=None)


def _small_nets():
    return [build_network(synthetic_atlas(s, seed=seed), None) for s, seed in ((0.08, 1), (0.1, 7))]


@pytest.mark.parametrize("weight", ["hours", "km"])
@pytest.mark.parametrize("guide", [False, True])
def test_search_matches_brute_force_on_small_networks(weight: str, guide: bool) -> None:
    for net in _small_nets():
        nodes = sorted(net.open_nodes())
        for o, d in itertools.islice(itertools.permutations(nodes, 2), 12):
            p = shortest_path(net, ("o", o), ("d", d), weight=weight, guide=guide)
            want = _brute_force(net, o, d, weight)
            assert (p is None) == (want is None)
            if p is not None:
                assert _key(net, p, weight) == want


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), hide=st.integers(0, 6))
def test_search_with_hidden_pieces_matches_brute_force(seed: int, hide: int) -> None:
    net = build_network(synthetic_atlas(0.07, seed=seed), None)
    nodes = sorted(net.open_nodes())
    o, d = nodes[0], nodes[-1]
    hidden = sorted(net.pieces)[hide::7]
    p = shortest_path(net, ("o", o), ("d", d), hide_pieces=hidden, guide=True)
    paths = nx.all_simple_paths(net.routing, ("o", o), ("d", d))
    keep = [
        q
        for q in paths
        if not any(net.routing[a][b].get("piece") in hidden for a, b in itertools.pairwise(q))
    ]
    want = min((_key(net, q) for q in keep), default=None)
    assert (p is None) == (want is None)
    if p is not None:
        assert _key(net, p) == want


def test_guided_search_has_the_same_answer_as_plain(bundled_atlas) -> None:
    net = build_network(bundled_atlas, None)
    for o, d in [("gwadar_port", "baku"), ("kashgar", "istanbul"), ("aktau", "jebel_ali")]:
        plain = shortest_path(net, ("o", o), ("d", d))
        assert plain == shortest_path(net, ("o", o), ("d", d), guide=True)
        assert costs_to(net, ("d", d))[adjacency(net).index[("o", o)]] == _key(net, plain)[0]


def test_vias_are_passed_in_order(bundled_atlas) -> None:
    net = build_network(bundled_atlas, None)
    p = shortest_path(net, ("o", "gwadar_port"), ("d", "baku"), vias=("kashgar", "tbilisi"))
    assert p is not None
    nodes = [v[0] for v in p if v[0] not in ("o", "d", "m")]
    i = nodes.index("kashgar")
    assert "tbilisi" in nodes[i:]


def _twin_ferries(hand_dir: Path, out: Path, order: tuple[str, str], status: dict[str, str]):
    """The hand atlas with ferry f1 (a3-b3) drawn twice, as ``order``, with ``status``."""
    shutil.copytree(hand_dir, out)
    path = out / "segments.geojson"
    segs = json.loads(path.read_text(encoding="utf-8"))
    f1 = next(f for f in segs["features"] if f["properties"]["id"] == "f1")
    feats = [f for f in segs["features"] if f["properties"]["id"] != "f1"]
    for sid in order:
        g = copy.deepcopy(f1)
        hist = [{"date": "2001", "status": status[sid]}]
        g["properties"].update(id=sid, name=sid.upper(), status=status[sid], status_history=hist)
        feats.append(g)
    segs["features"] = feats
    path.write_text(json.dumps(segs), encoding="utf-8")
    cor = out / "corridors.toml"
    cor.write_text(cor.read_text(encoding="utf-8").replace('"f1"', '"f0", "f1"'), "utf-8")
    return load_atlas(out)


@pytest.mark.parametrize(
    ("order", "statuses", "want"),
    [
        (("f1", "f0"), ("operational", "operational"), "f0"),
        (("f0", "f1"), ("operational", "operational"), "f0"),
        (("f0", "f1"), ("proposed", "operational"), "f1"),
        (("f1", "f0"), ("proposed", "operational"), "f1"),
    ],
)
def test_equal_lanes_tie_is_broken_by_status_then_id(hand_dir, tmp_path, order, statuses, want):
    # two identical ferries a3-b3: the more built one wins, then the id that sorts
    # first, whatever the file order
    status = dict(zip(("f0", "f1"), statuses, strict=True))
    atlas = _twin_ferries(hand_dir, tmp_path / "twins", order, status)
    net = build_network(atlas, Scenario.full_vision())
    p = shortest_path(net, ("o", "a3"), ("d", "b3"))
    assert p is not None
    pieces = [net.routing[a][b].get("piece") for a, b in itertools.pairwise(p)]
    assert [x for x in pieces if x] == [f"{want}#0"]


# --------------------------------------------------------------------------- criticality
def test_pruned_sweep_equals_unpruned_on_bundled_data(bundled_atlas) -> None:
    pruned = criticality(bundled_atlas, None, progress=False)
    full = criticality(bundled_atlas, None, progress=False, prune=False)
    assert len(pruned) > 50
    assert pruned.equals(full)
    assert (pruned["detour_h"] >= 0).all()


@pytest.mark.parametrize("seed", [3, 11])
def test_pruned_sweep_equals_unpruned_on_synthetic_networks(seed: int) -> None:
    atlas = synthetic_atlas(1.0, seed=seed)
    pairs = synthetic_pairs(atlas, 12, seed=seed)
    pruned = criticality(atlas, None, pairs, progress=False)
    full = criticality(atlas, None, pairs, progress=False, prune=False)
    assert pruned["pairs_using"].sum() > 0
    assert pruned.equals(full)


# --------------------------------------------------------------------------- synthetic
@pytest.mark.parametrize("scale", [0.5, 1.0, 3.0])
def test_synthetic_atlas_size_and_connectivity(scale: float) -> None:
    a = synthetic_atlas(scale)
    net = build_network(a, None)
    assert len(a.nodes) == round(BASE_NODES * scale)
    assert 1.2 <= len(net.pieces) / len(a.nodes) <= 1.6
    assert nx.is_connected(net.graph)
    assert {s.mode for s in a.segments.values()} == {"rail", "road", "ferry"}


def test_synthetic_atlas_is_deterministic() -> None:
    a, b = synthetic_atlas(2.0), synthetic_atlas(2.0)
    assert list(a.nodes.values()) == list(b.nodes.values())
    assert list(a.segments.values()) == list(b.segments.values())
    assert a.hubs == b.hubs
    assert synthetic_pairs(a, 5) == synthetic_pairs(b, 5)
    assert list(synthetic_atlas(2.0, seed=1).nodes.values()) != list(a.nodes.values())


@pytest.mark.parametrize("bad", [0, -1.0, float("nan")])
def test_synthetic_atlas_rejects_bad_scale(bad: float) -> None:
    with pytest.raises(ValueError, match="scale must be positive"):
        synthetic_atlas(bad)
