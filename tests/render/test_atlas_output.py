"""The default atlas file written by ``corridors map``: size budget, determinism, safe output.

The atlas is built by the real command line (``python -m corridors.cli.main map``) from the
bundled geodata; see ``default_atlas`` in ``conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

from payload_reader import read_payload
from render_fixtures import build_default_atlas, external_refs

from corridors.cli.main import main
from corridors.io.geodata import load_atlas
from corridors.render import codec
from corridors.render import geometry as geo

#: Budget of the default atlas page without the route lab (bytes): it must open offline
#: from one file, light enough to mail and open on a phone (1 MB = 10^6 bytes, as
#: ``corridors map`` prints). Issue 9 asks for 0.40 MB; the page was 0.36 MB when the
#: scripts were packed (2026-12-02), then grew with projects, disputed areas, labels, the
#: PNG export and the caption to 0.413 MB. The budget holds that size (a regression guard);
#: the 0.40 MB target is open work (issue 9), not met.
SIZE_BUDGET = 420_000
#: Allowance of the route lab (issue 13: the full-vision network and its two scripts, which
#: the atlas page routes on), counted apart from the viewer's budget: about 47 KB at
#: 2026-12-02.
LAB_BUDGET = 50_000


def _listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_default_atlas_fits_the_size_budget(default_atlas, tmp_path):
    from corridors.maps.atlas import atlas_map, save_atlas

    size = default_atlas.stat().st_size
    viewer = save_atlas(atlas_map(load_atlas(), lab=False), tmp_path / "viewer.html").stat()
    assert viewer.st_size <= SIZE_BUDGET, f"atlas without the lab is {viewer.st_size:,} bytes"
    lab = size - viewer.st_size
    assert 0 < lab <= LAB_BUDGET, f"the route lab adds {lab:,} bytes, allowance {LAB_BUDGET:,}"


def test_default_atlas_is_offline_and_complete(default_atlas):
    html = default_atlas.read_text(encoding="utf-8")
    assert external_refs(html) == []
    assert "jQuery" not in html[: html.index("</head>")]  # not needed by the atlas
    atlas = load_atlas()
    layers = read_payload(html)["layers"]
    by_key = {layer["key"]: layer for layer in layers}
    # every segment of every corridor is drawn in that corridor's layer, once
    for cor in atlas.corridors.values():
        if not cor.segments:
            continue
        ids = [f[1].get("id") for f in by_key[f"corridor:{cor.id}"]["features"]]
        assert ids == list(cor.segments), cor.id
    # every node is drawn, with its aliases searchable
    nodes = {
        f[1]["id"]: f[1] for layer in layers if layer["role"] == "nodes" for f in layer["features"]
    }
    assert set(nodes) == set(atlas.nodes)
    for node in atlas.nodes.values():
        for alias in node.aliases:
            if alias != node.name:
                assert alias in nodes[node.id].get("s", []), node.id
    # every source of every segment is in its popup
    for cor in atlas.corridors.values():
        for f in by_key.get(f"corridor:{cor.id}", {"features": []})["features"]:
            seg = atlas.segments[f[1]["id"]]
            urls = [s[0] for s in f[1]["p"].get("s", [])]
            assert urls == [s.url for s in seg.sources], seg.id
    # platform members are the basemap's country polygons: the same compact form, whose
    # borders are references to the arcs of the topology, written once
    basemap = {f[1]["i"]: f[0] for f in by_key["basemap:countries"]["features"]}
    raw = read_payload(html, geometry=False)
    members = 0
    for layer, raw_layer in zip(layers, raw["layers"], strict=True):
        if layer["role"] == "platform":
            for f, rf in zip(layer["features"], raw_layer["features"], strict=True):
                assert f[0] == basemap[f[1]["i"]]
                rings = [r for poly in rf[0][2] for r in poly] if rf[0][0] == "MA" else rf[0][2]
                assert any(codec.ARC_MARK in r for r in rings)
                members += 1
    assert members and raw["topology"][1]


def test_default_atlas_geometry_precision(default_atlas):
    for layer in read_payload(default_atlas.read_text(encoding="utf-8"))["layers"]:
        nd = geo.BASEMAP_DECIMALS if layer["kind"] == "polygons" else geo.LINE_DECIMALS
        for geom, _props in layer["features"]:
            for x, y in geo._walk_positions(geom["coordinates"]):
                assert round(x, nd) == x and round(y, nd) == y


def test_default_atlas_is_byte_identical_across_runs(default_atlas, tmp_path):
    again = tmp_path / "again.html"
    run = build_default_atlas(again, PYTHONHASHSEED="12345")
    assert run.returncode == 0, run.stderr
    assert again.read_bytes() == default_atlas.read_bytes()


def test_existing_output_is_not_overwritten(tmp_path, capsys):
    out = tmp_path / "atlas.html"
    out.write_text("keep me", encoding="utf-8")
    before = out.stat().st_mtime_ns
    assert main(["map", "-o", str(out)]) == 1
    assert "exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me"
    assert out.stat().st_mtime_ns == before
    assert _listing(tmp_path) == ["atlas.html"]
    assert main(["map", "-o", str(out), "--overwrite"]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert _listing(tmp_path) == ["atlas.html"]


def test_wrong_extension_is_refused(tmp_path, capsys):
    assert main(["map", "-o", str(tmp_path / "x.gpkg")]) == 1
    err = capsys.readouterr().err
    assert "extension '.gpkg'" in err and ".html" in err
    assert _listing(tmp_path) == []


def test_failed_run_leaves_nothing_behind(tmp_path, capsys):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [,]}', encoding="utf-8")
    out = tmp_path / "atlas.html"
    assert main(["map", "-o", str(out), "--overlay", str(bad)]) == 1
    assert "invalid JSON" in capsys.readouterr().err
    assert _listing(tmp_path) == ["bad.geojson"]


def test_failure_while_writing_leaves_no_partial_file(tmp_path, monkeypatch, capsys):
    def half_then_fail(self: Path, data: bytes) -> int:
        with open(self, "wb") as fh:
            fh.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", half_then_fail)
    out = tmp_path / "atlas.html"
    assert main(["map", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{out}: cannot write: no space left on device" in err and "Traceback" not in err
    assert _listing(tmp_path) == []
