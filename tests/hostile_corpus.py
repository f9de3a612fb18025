"""The hostile-input corpus: load ``hostile_corpus.toml``, build each case, run it, classify it.

Each ``[[case]]`` of the catalogue names the message it must give and either a CLI run
(``argv`` with ``{tmp}`` placeholders, ``files`` written and ``make`` generators run in a
fresh folder) or the ``test`` that covers it. :func:`classify` sorts an outcome into the
classes of issue 14: ``located-error``, ``accepted``, ``traceback``, ``hang``, ``memory``,
``misleading``, ``silent-wrong``, ``partial-write``, ``injection``.

Run as a script to count a source tree's outcomes (the before/after numbers of the issue)::

    python tests/hostile_corpus.py                 # this tree's src/
    python tests/hostile_corpus.py --src OLD/src   # e.g. the tree before issue 14

Each case then runs in its own process with a 60 s timeout (a hang) and a 4 GB address
space limit (a memory exhaustion).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE / "hostile_corpus.toml"
OUTCOMES = (
    "located-error",
    "accepted",
    "traceback",
    "hang",
    "memory",
    "misleading",
    "silent-wrong",
    "partial-write",
    "injection",
)
TIMEOUT_S = 60
MEMORY_LIMIT_BYTES = 4 * 1024**3


def load_cases() -> list[dict[str, Any]]:
    """Every case of the catalogue, in file order."""
    with CATALOGUE.open("rb") as fh:
        return list(tomllib.load(fh)["case"])


# --- building a case's folder ---------------------------------------------------------------


def _mini(directory: Path) -> None:
    sys.path.insert(0, str(HERE.parent))
    from tests.conftest import mini_atlas_data, write_atlas

    write_atlas(directory, mini_atlas_data())


def _set_json(path: Path, pointer: str, value_json: str) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    steps = [int(s) if s.isdigit() else s for s in pointer.strip("/").split("/")]
    target = doc
    for s in steps[:-1]:
        target = target[s]
    target[steps[-1]] = json.loads(value_json)
    path.write_text(json.dumps(doc), encoding="utf-8")


def _long_line(path: Path, vertices: int) -> None:
    pts = ",".join(f"[{60 + i * 1e-5:.5f},{40 + (i % 7) * 1e-4:.4f}]" for i in range(vertices))
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
        '"geometry":{"type":"LineString","coordinates":[' + pts + "]}}]}",
        encoding="utf-8",
    )


def _parquet_bomb(path: Path) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    rows = 20_000
    names = pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(rows, dtype=np.int32)), pa.array(["x" * (1 << 20)])
    )
    wkb = shapely.to_wkb(shapely.points(np.full(rows, 65.0), np.full(rows, 40.0)))
    geo = {"version": "1.0.0", "primary_column": "geometry", "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}}}  # fmt: skip
    table = pa.table({"name": names, "geometry": pa.array(wkb, type=pa.binary())})
    pq.write_table(
        table.replace_schema_metadata({b"geo": json.dumps(geo).encode()}), path, compression="zstd"
    )


def _big_nodes(path: Path, size_bytes: int) -> None:
    feature = (
        b'{"type":"Feature","properties":{"id":"n%07d","name":"Node","kind":"city",'
        b'"country":"AAA","sources":[]},"geometry":{"type":"Point","coordinates":[2.0,5.0]}},'
    )
    n = size_bytes // len(feature % 0)
    with path.open("wb") as fh:
        fh.write(b'{"type":"FeatureCollection","features":[')
        fh.write(b"".join(feature % i for i in range(n)).rstrip(b","))
        fh.write(b"]}")


def stale_gpkg(path: Path, rows: int, stated: int) -> None:
    """A GeoPackage of ``rows`` points whose ``gpkg_ogr_contents`` says ``stated``."""
    import sqlite3

    import geopandas as gpd
    import numpy as np
    import shapely

    rng = np.random.default_rng(14)
    gpd.GeoDataFrame(
        {"name": [f"p{i}" for i in range(rows)]},
        geometry=shapely.points(rng.random(rows) * 10 + 60, rng.random(rows) * 10 + 35),
        crs="EPSG:4326",
    ).to_file(path, layer="pts", driver="GPKG")
    con = sqlite3.connect(path)
    con.execute("UPDATE gpkg_ogr_contents SET feature_count = ?", (stated,))
    con.commit()
    con.close()


def make(spec: str, tmp: Path) -> None:
    """Run one ``make`` generator (``kind:arg[:arg...]``) in ``tmp``."""
    kind = spec.split(":", 1)[0]
    _, *args = spec.split(":", 2 if kind == "digits" else 3)
    p = tmp / args[0] if args else tmp
    p.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(p)
    elif kind == "mini":
        _mini(p)
    elif kind == "geodata":
        shutil.copytree(HERE.parent / "geodata", p, ignore=shutil.ignore_patterns("scenarios"))
    elif kind == "rename":
        p.rename(tmp / args[1])
    elif kind == "set":  # set:FILE:/json/pointer:JSON
        _set_json(p, args[1], args[2])
    elif kind == "nested_json":
        p.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    elif kind == "nested_toml":
        p.write_text("a = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    elif kind == "digits":  # digits:FILE:TEMPLATE with {N} = 5,000 digits
        p.write_text(args[1].replace("{N}", "1" * 5000).replace("\\n", "\n"), encoding="utf-8")
    elif kind == "fanout":  # 8 levels (within any depth cap), each file including the next 8
        for i in range(8):
            nxt = ", ".join([f'"f{i + 1}.toml"'] * 8)
            body = f"include = [{nxt}]\n" if i < 7 else 'name = "leaf"\n'
            (tmp / f"f{i}.toml").write_text(body, encoding="utf-8")
    elif kind == "symlink":
        p.symlink_to(tmp / args[1])
    elif kind == "long_line":
        _long_line(p, int(args[1]))
    elif kind == "parquet_bomb":
        _parquet_bomb(p)
    elif kind == "big_nodes":
        _big_nodes(p, int(args[1]))
    elif kind == "stale_gpkg":
        stale_gpkg(p, int(args[1]), int(args[2]))
    else:
        raise ValueError(f"unknown generator {kind!r}")


def prepare(case: dict[str, Any], tmp: Path) -> tuple[list[str], dict[str, str]]:
    """Write the case's files and run its generators; return ``(argv, env)``."""
    for spec in case.get("make", []):
        make(spec, tmp)
    for name, text in case.get("files", {}).items():
        (tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / name).write_text(text, encoding="utf-8")
    argv = [a.replace("{tmp}", str(tmp)) for a in case["argv"]]
    return argv, {k: str(v) for k, v in case.get("env", {}).items()}


# --- outcome ------------------------------------------------------------------------------------


def classify(
    case: dict[str, Any],
    tmp: Path,
    *,
    status: int | None,
    out: str,
    err: str,
    crashed: bool = False,
    timed_out: bool = False,
) -> str:
    """The outcome class of one run of ``case``."""
    if timed_out:
        return "hang"
    if "MemoryError" in err or status in (-9, 137):
        return "memory"
    if crashed or "Traceback (most recent call last)" in err:
        return "traceback"
    if case["expect"] == "error" and status == 0:
        return "silent-wrong"  # whatever it wrote, it should have refused
    left = [n for n in case.get("absent", []) if os.path.lexists(tmp / n)]
    temps = [p.name for p in tmp.rglob(".*.tmp")]
    if left or temps:
        return "partial-write"
    if case["expect"] == "error":
        said = all(m in err for m in _list(case["message"]))
        return "located-error" if said and status == case.get("status", 1) else "misleading"
    for bad in _list(case.get("stdout_absent", [])):
        if bad in out:
            return "injection" if case.get("injection") else "silent-wrong"
    said = all(m in out + err for m in _list(case.get("message", [])))
    if status == case.get("status", 0) and said:
        return "accepted"
    return "misleading" if status else "silent-wrong"


def _list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


_CHILD = "import sys\nfrom corridors.cli.main import main\nsys.exit(main(sys.argv[1:]))\n"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def run_subprocess(case: dict[str, Any], tmp: Path, src: Path) -> str:
    """Run ``case`` in a child process on the package in ``src``; its outcome class."""
    argv, env = prepare(case, tmp)
    full = {**os.environ, **env, "PYTHONPATH": str(src), "CORRIDORS_CACHE_DIR": str(tmp / ".c")}
    try:
        res = subprocess.run(
            [sys.executable, "-c", _CHILD, *argv],
            capture_output=True,
            timeout=case.get("timeout_s", TIMEOUT_S),
            env=full,
            preexec_fn=_limit_memory,
            cwd=tmp,
        )
    except subprocess.TimeoutExpired:
        return "hang"
    out = res.stdout.decode("utf-8", "replace")
    err = res.stderr.decode("utf-8", "replace")
    return classify(case, tmp, status=res.returncode, out=out, err=err)


def measure(src: Path, only_runnable: bool = True) -> tuple[Counter[str], dict[str, str]]:
    """Outcome counts (and each case's outcome) of every runnable case on ``src``."""
    import tempfile

    counts: Counter[str] = Counter()
    each: dict[str, str] = {}
    for case in load_cases():
        if "argv" not in case:
            continue
        with tempfile.TemporaryDirectory(prefix="corpus-") as d:
            outcome = run_subprocess(case, Path(d), src)
        each[case["id"]] = outcome
        counts[outcome] += 1
        print(f"{case['id']:40s} {outcome}", file=sys.stderr, flush=True)
    return counts, each


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=HERE.parent / "src")
    ap.add_argument("--json", type=Path, help="also write each case's outcome here")
    args = ap.parse_args()
    counts, each = measure(args.src.resolve())
    print(json.dumps({o: counts.get(o, 0) for o in OUTCOMES}))
    if args.json:
        args.json.write_text(json.dumps(each, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
