"""Routes do not depend on the string hash seed (ties between equally fast legs).

One process per seed routes ten hub pairs with two alternatives each through the CLI
(``route --pairs ... --json -k 3``); the outputs must be byte-identical. The pairs include
exact ties: the Gwadar–Hormuz stretch is drawn by two sea lanes on the same searoute
(``scpec-gulf-uae`` and ``scpec-gulf-ksa``), and several pairs tie on the Iranian rail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from corridors.network.graph import build_network
from corridors.network.routing import default_atlas, route_cost, route_on

SEEDS = ("0", "1", "4", "5", "42", "12345")
PAIRS = [
    ("gwadar_port", "jebel_ali"),
    ("gwadar_port", "dammam"),
    ("karachi_port", "jebel_ali"),
    ("islamabad", "dammam"),
    ("kashgar", "jebel_ali"),
    ("tehran", "jebel_ali"),
    ("djibouti", "dammam"),
    ("gwadar_port", "baku"),
    ("kabul", "tbilisi"),
    ("tashkent", "istanbul"),
]


def _start(seed: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "CORRIDORS_CACHE_DIR": "off"}
    pairs = ",".join(f"{o}:{d}" for o, d in PAIRS)
    argv = ["route", "--pairs", pairs, "--scenario", "full-vision", "--json", "-k", "3"]
    code = f"import sys; from corridors.cli.main import main; sys.exit(main({argv!r}))"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_route_json_is_the_same_whatever_the_hash_seed() -> None:
    procs = [_start(s) for s in SEEDS]  # run side by side: one process per seed
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        outs.append(out)
    first = outs[0]
    data = json.loads(first)
    assert [(d["origin"], d["destination"]) for d in data] == PAIRS
    assert all(len(d.get("alternatives", [])) >= 1 for d in data)
    for seed, out in zip(SEEDS[1:], outs[1:], strict=True):
        assert out == first, f"PYTHONHASHSEED={seed} gave another answer"


def test_the_pairs_include_exact_ties() -> None:
    # hiding one piece of the best route leaves the cost unchanged: another equally
    # fast route exists, and the tie-break had to choose
    net = build_network(default_atlas(), None)
    tied = 0
    for o, d in PAIRS:
        best = route_cost(net, o, d)
        assert best is not None
        for pid in route_on(net, o, d).pieces:
            other = route_cost(net, o, d, hide_pieces=[pid])
            if other is not None and abs(other[0] - best[0]) < 1e-9:
                tied += 1
                break
    assert tied >= 6


def test_tie_prefers_the_operational_lane() -> None:
    # scpec-gulf-ksa (proposed, illustrative) and scpec-gulf-uae (operational) give the
    # same sea leg Gwadar -> Strait of Hormuz; the built one wins whatever its id
    net = build_network(default_atlas(), None)
    r = route_on(net, "gwadar_port", "jebel_ali")
    assert "scpec-gulf-uae#0" in r.pieces and "scpec-gulf-ksa#0" not in r.pieces
    assert net.pieces["scpec-gulf-ksa#0"].status == "proposed"
