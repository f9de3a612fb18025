"""Caps on memory and interrupts inside C calls (issue 14, items 5 and 9).

Memory cases run the CLI in a child process that reports its own peak RSS (VmHWM, see
:data:`_RSS_CHILD`) after ``main`` returns, so each case is measured alone. The interrupt cases send SIGINT/SIGTERM while GEOS simplifies a large
overlay; the subprocess ``timeout`` and the 5 s bound are the hang guards.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from corridors.errors import InputFileError
from corridors.io.limits import LIMITS, check_json_counts, limit, over_cap
from corridors.io.overlay import read_overlay
from hostile_corpus import stale_gpkg

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
#: Peak RSS a capped input may cost (kB, as ru_maxrss reports on Linux).
RSS_LIMIT_KB = 1024 * 1024

#: The child reports its peak RSS as the kernel's VmHWM of its own address space. Its
#: ``getrusage(RUSAGE_SELF).ru_maxrss`` would also count the parent's RSS at the time of the
#: fork/exec (Linux keeps the high-water mark across ``execve``), i.e. pytest's own size.
_RSS_CHILD = (
    "import resource, sys\n"
    "from corridors.cli.main import main\n"
    "status = main(sys.argv[1:])\n"
    "try:\n"
    "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
    "    kb = int(hwm.split()[1])\n"
    "except (OSError, IndexError):\n"
    "    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print('RSS_KB', kb, file=sys.stderr)\n"
    "raise SystemExit(status)\n"
)


def run_measured(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, int]:
    """``(exit status, stderr, peak RSS in kB)`` of ``corridors ARGS`` in a child process."""
    res = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, *args],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **(env or {})},
    )
    lines = res.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("RSS_KB "), res.stderr
    return res.returncode, "\n".join(lines[:-1]), int(lines[-1].split()[1])


def _parquet_bomb(path: Path, rows: int = 20_000, value_bytes: int = 1 << 20) -> None:
    """A GeoParquet file of ~1 KB whose dictionary-encoded column decodes to rows x 1 MiB."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    names = pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(rows, dtype=np.int32)), pa.array(["x" * value_bytes])
    )
    wkb = shapely.to_wkb(shapely.points(np.full(rows, 65.0), np.full(rows, 40.0)))
    geo = {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}},
    }
    table = pa.table({"name": names, "geometry": pa.array(wkb, type=pa.binary())})
    pq.write_table(
        table.replace_schema_metadata({b"geo": json.dumps(geo).encode()}), path, compression="zstd"
    )


def _long_line(path: Path, vertices: int) -> None:
    head = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"long"},'
    with path.open("w", encoding="utf-8") as fh:
        fh.write(head + '"geometry":{"type":"LineString","coordinates":[')
        step = 100_000
        for start in range(0, vertices, step):
            part = ",".join(
                f"[{60 + i * 1e-5:.5f},{40 + (i % 7) * 1e-4:.4f}]"
                for i in range(start, min(vertices, start + step))
            )
            fh.write(("," if start else "") + part)
        fh.write("]}}]}")


# --- the caps themselves ------------------------------------------------------------------


def test_every_cap_has_a_variable_a_default_and_a_message(monkeypatch):
    for key, lim in LIMITS.items():
        assert lim.env.startswith("CORRIDORS_MAX_")
        assert limit(key) == lim.default * lim.scale
        message, hint = over_cap(key, "too much")
        assert lim.env in message and lim.env in hint
    monkeypatch.setenv("CORRIDORS_MAX_FEATURES", "30000")
    assert limit("features") == 30_000
    monkeypatch.setenv("CORRIDORS_MAX_FEATURES", "nan")
    with pytest.raises(InputFileError, match="CORRIDORS_MAX_FEATURES: 'nan' is not a finite"):
        limit("features")


@pytest.mark.parametrize("name", [lim.env for lim in LIMITS.values()])
def test_a_bad_cap_variable_is_refused_before_any_work(name):
    res = subprocess.run(
        [sys.executable, "-m", "corridors.cli", "list", "nodes"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, name: "nan"},
    )
    assert res.returncode == 2 and f"environment variable {name}: 'nan'" in res.stderr
    assert "Traceback" not in res.stderr


def test_json_counts_name_the_cap_and_its_variable(monkeypatch):
    raw = b'{"features": [' + b'{"type": "Feature"},' * 30 + b"]}"
    check_json_counts(raw, "ok.geojson")
    with pytest.raises(InputFileError, match=r"30 features, over the cap of 20 features per"):
        check_json_counts(raw, "x.geojson", max_features=20)
    monkeypatch.setenv("CORRIDORS_MAX_TOTAL_VERTICES", "10")
    with pytest.raises(InputFileError, match="CORRIDORS_MAX_TOTAL_VERTICES=20"):
        check_json_counts(b"[" * 11, "x.geojson")
    monkeypatch.setenv("CORRIDORS_MAX_PROPERTIES", "5")
    with pytest.raises(InputFileError, match=r"up to 6 object members .*PROPERTIES"):
        check_json_counts(b'{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}', "x.geojson")


def test_bundled_geodata_is_far_below_every_cap():
    for f in sorted(GEODATA.glob("*.geojson")):
        check_json_counts(f.read_bytes(), f.name)


# --- GeoPackage with a stale feature count --------------------------------------------------


def test_stale_gpkg_count_reads_every_row(tmp_path):
    """gpkg_ogr_contents says 5; the table has 3,000 rows: all 3,000 are read."""
    p = tmp_path / "stale.gpkg"
    stale_gpkg(p, 3_000, 5)
    assert len(read_overlay(p)) == 3_000


def test_stale_gpkg_over_the_cap_is_refused_by_its_real_count(tmp_path):
    """The issue's case: 200,000 rows stated as 5 drew 5 and exited 0."""
    p = tmp_path / "stale.gpkg"
    stale_gpkg(p, 200_000, 5)
    status, err, rss = run_measured("map", "-o", str(tmp_path / "m.html"), "--overlay", str(p))
    assert status == 1, err
    assert "200,000 features, over the cap of 20,000 features per file" in err
    assert "CORRIDORS_MAX_FEATURES" in err and "Traceback" not in err
    assert not (tmp_path / "m.html").exists()
    assert rss < RSS_LIMIT_KB


# --- memory bombs: refused from counts or metadata, peak RSS < 1 GB -----------------------


def test_small_geoparquet_that_decodes_to_20_gb_is_refused(tmp_path):
    p = tmp_path / "bomb.parquet"
    _parquet_bomb(p)
    assert p.stat().st_size < 50_000
    status, err, rss = run_measured("map", "-o", str(tmp_path / "m.html"), "--overlay", str(p))
    assert status == 1, err
    assert "decodes to over 20,972.1 MB" in err and "CORRIDORS_MAX_DECOMPRESSED_MB" in err
    assert "Traceback" not in err
    assert rss < RSS_LIMIT_KB, f"peak RSS {rss / 1024:.0f} MB"


def test_a_2_6_million_vertex_line_is_refused_as_overlay_and_as_geodata(tmp_path):
    line = tmp_path / "line.geojson"
    _long_line(line, 2_600_000)
    status, err, rss = run_measured("map", "-o", str(tmp_path / "m.html"), "--overlay", str(line))
    assert status == 1, err
    assert "up to 2,600,002 arrays (positions), over the cap of 2,000,000" in err
    assert "CORRIDORS_MAX_TOTAL_VERTICES" in err
    assert rss < RSS_LIMIT_KB, f"peak RSS {rss / 1024:.0f} MB"

    gd = tmp_path / "gd"
    gd.mkdir()
    for f in GEODATA.iterdir():
        if f.is_file():
            (gd / f.name).write_bytes(f.read_bytes())
    line.replace(gd / "segments.geojson")
    status, err, rss = run_measured("validate", str(gd))
    assert status == 1 and "CORRIDORS_MAX_TOTAL_VERTICES" in err and "Traceback" not in err
    assert rss < RSS_LIMIT_KB, f"peak RSS {rss / 1024:.0f} MB"


def test_a_195_mb_nodes_file_is_refused_before_it_is_parsed(tmp_path):
    gd = tmp_path / "gd"
    gd.mkdir()
    for f in GEODATA.iterdir():
        if f.is_file():
            (gd / f.name).write_bytes(f.read_bytes())
    feature = (
        b'{"type":"Feature","properties":{"id":"n%07d","name":"Node","kind":"city",'
        b'"country":"PAK","sources":[]},"geometry":{"type":"Point","coordinates":[67.0,30.0]}},'
    )
    n = 195_000_000 // len(feature % 0)
    with (gd / "nodes.geojson").open("wb") as fh:
        fh.write(b'{"type":"FeatureCollection","features":[')
        fh.write(b"".join(feature % i for i in range(n)).rstrip(b","))
        fh.write(b"]}")
    assert (gd / "nodes.geojson").stat().st_size > 190_000_000
    status, err, rss = run_measured("validate", str(gd))
    assert status == 1, err
    assert f"file has up to {n:,} features, over the cap of 20,000" in err
    assert "Traceback" not in err
    assert rss < RSS_LIMIT_KB, f"peak RSS {rss / 1024:.0f} MB"


def test_raising_a_cap_by_its_variable_accepts_the_file(tmp_path, monkeypatch):
    line = tmp_path / "line.geojson"
    _long_line(line, 30)
    monkeypatch.setenv("CORRIDORS_MAX_TOTAL_VERTICES", "20")
    with pytest.raises(InputFileError, match="CORRIDORS_MAX_TOTAL_VERTICES"):
        read_overlay(line)
    monkeypatch.setenv("CORRIDORS_MAX_TOTAL_VERTICES", "40")
    assert len(read_overlay(line)) == 1


# --- interrupts inside a long GEOS call ----------------------------------------------------


def _big_polygon(path: Path, n: int) -> None:
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        r = 5 + 0.5 * math.sin(t * 997) + 0.3 * math.sin(t * 31337)
        pts.append(f"[{65 + r * math.cos(t):.6f},{40 + r * math.sin(t):.6f}]")
    pts.append(pts[0])
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"name":"big"},"geometry":{"type":"Polygon","coordinates":[[' + ",".join(pts) + "]]}}]}",
        encoding="utf-8",
    )


#: The child marks the moment GEOS starts simplifying, then runs the real CLI entry (argv
#: from sys.argv, as the installed ``corridors`` script does).
_GEOS_CHILD = (
    "import shapely, sys\n"
    "orig, flag = shapely.simplify, sys.argv[1]\n"
    "def marked(*a, **k):\n"
    "    open(flag, 'w').write('simplifying')\n"
    "    return orig(*a, **k)\n"
    "shapely.simplify = marked\n"
    "from corridors.cli.main import main\n"
    "sys.argv = ['corridors', *sys.argv[2:]]\n"
    "raise SystemExit(main())\n"
)


@pytest.fixture(scope="module")
def big_overlay(tmp_path_factory):
    """A 1.9 M-vertex polygon: automatic simplification takes 10-20 s of GEOS on this box."""
    p = tmp_path_factory.mktemp("geos") / "big.geojson"
    _big_polygon(p, 1_900_000)
    return p


@pytest.mark.parametrize(
    ("sig", "status", "said"),
    [
        (signal.SIGINT, 130, "corridors: interrupted"),
        (signal.SIGTERM, 143, "corridors: terminated"),
    ],
)
def test_interrupt_during_overlay_simplification_ends_within_5_s(
    tmp_path, big_overlay, sig, status, said
):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    flag = tmp_path / "flag"
    argv = ["map", "-o", str(out_dir / "m.html"), "--overlay", str(big_overlay)]
    proc = subprocess.Popen(
        [sys.executable, "-c", _GEOS_CHILD, str(flag), *argv], stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 150
    while not flag.exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.3)  # inside the GEOS call now
    assert proc.poll() is None
    start = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    ended_s = time.monotonic() - start
    assert ended_s < 5, f"ended {ended_s:.1f} s after the signal"
    assert proc.returncode == status and said in err.decode(), err.decode()
    assert b"Traceback" not in err
    assert sorted(p.name for p in out_dir.iterdir()) == []  # no output, no temp file
