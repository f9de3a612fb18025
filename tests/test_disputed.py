"""Disputed areas and worldviews: the derived layer, km in disputed areas, ``--worldview``.

The golden value is the Karakoram Highway (``cpec-kkh``) inside Gilgit-Baltistan (Natural
Earth 4.0.0's "Northern Areas"): 283.6 km geodesic on the drawn line, ±1 % (the drawn line and
the simplified area are both data; a change of either beyond that must be looked at).
Sanity check against published lengths: the Raikot–Khunjerab section, all inside
Gilgit-Baltistan, is 335 km (NHA, via APP/Pamir Times 2010); Thakot, in Khyber Pakhtunkhwa,
is at km 190 of the 806 km N-35 (NHA, via The News 2015). So the road length in
Gilgit-Baltistan lies between 335 and 806 − 190 = 616 km; the effective km (geodesic ×
the link's published/geodesic ratio) must fall inside, and the geodesic km of a traced line
can be no longer than the road.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from corridors.analytics.disputed import (
    corridor_disputed,
    disputed_parts,
    route_disputed,
    segment_disputed,
    worldview_list,
)
from corridors.analytics.report import report
from corridors.cli import main
from corridors.errors import CorridorsError
from corridors.geo.disputed import WORLDVIEWS, load_disputed, parse_worldview
from corridors.io.geodata import load_atlas
from corridors.network.routing import route

ROOT = Path(__file__).resolve().parents[1]
LAYER = ROOT / "geodata" / "disputed.geojson"
#: SHA-256 of the committed extract; re-derive with scripts/derive_disputed.py and update.
LAYER_SHA256 = "f684a67841f97053686a795123b32b1da94418d37a0ca876ea4fe294deca539e"

SCRIPT_CMD = (sys.executable, str(ROOT / "scripts" / "derive_disputed.py"))

KKH_GB_KM = 283.6
KKH_GB_TOLERANCE = 0.01
PUBLISHED_RAIKOT_KHUNJERAB_KM = 335.0
PUBLISHED_N35_KM, PUBLISHED_THAKOT_CHAINAGE_KM = 806.0, 190.0


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def test_committed_extract_matches_its_hash():
    assert hashlib.sha256(LAYER.read_bytes()).hexdigest() == LAYER_SHA256


def test_extract_reproducible_by_the_script(tmp_path):
    src = os.environ.get("CORRIDORS_NE_DISPUTED")
    if not src or not Path(src).is_file():
        pytest.skip("set CORRIDORS_NE_DISPUTED to the Natural Earth source file to re-derive")
    out = tmp_path / "disputed.geojson"
    run = subprocess.run(
        [SCRIPT_CMD[0], SCRIPT_CMD[1], "--source", src, "--out", str(out), "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_bytes() == LAYER.read_bytes()


def test_script_refuses_a_wrong_source(tmp_path):
    bad = tmp_path / "ne.json"
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    run = subprocess.run(
        [*SCRIPT_CMD, "--source", str(bad), "--out", str(tmp_path / "o.geojson")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "sha256" in run.stderr and "differs" in run.stderr
    assert not (tmp_path / "o.geojson").exists()


def test_layer_content_and_worldviews():
    doc = json.loads(LAYER.read_text(encoding="utf-8"))
    assert doc["source"]["credit"] == "Made with Natural Earth"
    assert "public domain" in doc["source"]["terms"]
    assert doc["source"]["worldviews"] == list(WORLDVIEWS)
    layer = load_disputed()
    assert layer is not None and len(layer) == len(doc["features"])
    gb = layer.by_id["gilgit-baltistan"]
    assert (gb.admin, gb.claimants) == ("PAK", ("IND",))
    assert [gb.country(w) for w in WORLDVIEWS] == ["PAK", "PAK", "IND"]
    assert gb.ne_name == "Northern Areas"
    jk = layer.by_id["jammu-and-kashmir"]
    assert [jk.country(w) for w in WORLDVIEWS] == ["IND", "PAK", "IND"]
    aksai = layer.by_id["aksai-chin"]
    assert [aksai.country(w) for w in WORLDVIEWS] == ["CHN", "CHN", "IND"]
    assert "nagorno-karabakh" not in layer.by_id  # outdated since 2023, excluded
    assert {"crimea", "abkhazia", "south-ossetia", "siachen-glacier"} <= set(layer.by_id)


def test_kkh_in_gilgit_baltistan_golden(atlas):
    parts = {p.area.id: p.km for p in segment_disputed(atlas, "cpec-kkh")}
    assert set(parts) == {"gilgit-baltistan"}
    km = parts["gilgit-baltistan"]
    assert km == pytest.approx(KKH_GB_KM, rel=KKH_GB_TOLERANCE)
    row = disputed_parts(atlas, ["cpec-kkh"]).iloc[0]
    low = PUBLISHED_RAIKOT_KHUNJERAB_KM
    high = PUBLISHED_N35_KM - PUBLISHED_THAKOT_CHAINAGE_KM
    assert low <= row["effective_km"] <= high
    assert km <= high


def test_contested_km_differs_by_worldview(atlas):
    df = corridor_disputed(atlas)
    core = df.loc["cpec-core"]
    assert core["contested_km_deu"] == 0.0
    assert core["contested_km_pak"] == 0.0
    assert core["contested_km_ind"] == pytest.approx(core["disputed_km"])
    assert core["disputed_km"] >= KKH_GB_KM * (1 - KKH_GB_TOLERANCE)
    # a corridor far from any dispute is not listed
    assert "zangezur" not in df.index


def test_route_through_gilgit_baltistan(atlas):
    r = route(atlas, "full-vision", "Kashgar", "Islamabad")
    entries = route_disputed(atlas, r, ("deu", "ind"))
    assert [e["area"] for e in entries] == ["gilgit-baltistan"]
    e = entries[0]
    assert e["km"] == pytest.approx(KKH_GB_KM, rel=KKH_GB_TOLERANCE)
    assert e["country"] == {"deu": "PAK", "ind": "IND"}
    far = route(atlas, "full-vision", "Baku", "Tbilisi")
    assert route_disputed(atlas, far) == []


def test_report_has_disputed_tables(atlas):
    rep = report(atlas, "full-vision", worldviews=["ind"])
    assert rep.worldviews == ("ind",)
    assert list(rep.disputed_km.columns)[-1] == "contested_km_ind"
    md = rep.to_markdown()
    assert "Km in disputed areas by worldview" in md and "Gilgit-Baltistan" in md
    data = json.loads(rep.to_json())
    assert data["disputed_km"] and data["disputed_links"]
    assert "disputed_links" in rep.to_csv()


def test_parse_worldview_did_you_mean():
    assert parse_worldview("PAK") == "pak"
    with pytest.raises(CorridorsError) as exc:
        parse_worldview("indd", where="scenario.toml: worldview")
    msg = str(exc.value)
    assert msg.startswith("scenario.toml: worldview: unknown worldview 'indd'")
    assert "did you mean 'ind'?" in msg
    assert worldview_list(None) == WORLDVIEWS
    assert worldview_list(["ind", "deu"]) == ("deu", "ind")


@pytest.mark.parametrize("command", [["report", "full-vision"], ["route", "Kashgar", "Sost"]])
def test_cli_bad_worldview_is_a_located_usage_error(capsys, command):
    with pytest.raises(SystemExit) as exc:
        main([*command, "--worldview", "indd"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --worldview: unknown worldview 'indd'" in err
    assert "did you mean 'ind'?" in err
    assert "Traceback" not in err


def test_cli_map_bad_worldview(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["map", "-o", str(tmp_path / "a.html"), "--worldview", "de"])
    assert exc.value.code == 2
    assert "did you mean 'deu'?" in capsys.readouterr().err
    assert not (tmp_path / "a.html").exists()


def test_cli_route_reports_disputed_km(capsys):
    assert main(["route", "Kashgar", "Islamabad", "--worldview", "ind"]) == 0
    out = capsys.readouterr().out
    assert "disputed area Gilgit-Baltistan: 284 km geodesic" in out
    assert "country under ind: IND" in out
    assert main(["route", "Kashgar", "Islamabad", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["disputed"][0]["country"] == {"deu": "PAK", "pak": "PAK", "ind": "IND"}


def test_deterministic_across_hash_seeds(tmp_path):
    outs = []
    for seed in ("0", "1", "4242"):
        run = subprocess.run(
            [sys.executable, "-m", "corridors.cli", "report", "full-vision", "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert run.returncode == 0, run.stderr
        data = json.loads(run.stdout)
        outs.append(json.dumps([data["disputed_km"], data["disputed_links"]]))
    assert outs[0] == outs[1] == outs[2]
