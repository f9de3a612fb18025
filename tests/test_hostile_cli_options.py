"""Every CLI option's bad value: one located line, the right status, a "did you mean".

Issue 14, item 6: tiles, k, by, format, as-of, scenario names, place names, sub-commands.
Run in process (``main`` returns the status; argparse errors raise ``SystemExit``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corridors.cli.main import main, with_suggestion


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse usage errors
        status = int(exc.code or 0)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


@pytest.mark.parametrize(
    ("argv", "status", "fragments"),
    [
        (["rout"], 2, ["invalid choice: 'rout'", "did you mean 'route'?"]),
        (["list", "node"], 2, ["invalid choice: 'node'", "did you mean 'nodes'?"]),
        (["route", "gwadar", "kashgar", "--by", "hour"], 2, ["--by", "did you mean 'hours'?"]),
        (["report", "today", "--format", "mdd"], 2, ["--format", "did you mean 'md'?"]),
        (["route", "gwadar", "kashgar", "-k", "0"], 2, ["-k/--k", "0 is outside [1, 100]"]),
        (["route", "gwadar", "kashgar", "-k", "1" + "0" * 22], 2, ["-k/--k", "outside [1, 100]"]),
        (["route", "gwadar", "kashgar", "-k", "nan"], 2, ["-k/--k", "'nan' is not a finite"]),
        (
            ["route", "gwadar", "kashgar", "--circuity-warn", "0.5"],
            2,
            ["--circuity-warn", "0.5 is outside [1, 100]"],
        ),
        (["route", "gwadar", "kashgar", "-s", "todya"], 1, ["'todya'", "did you mean 'today'?"]),
        (["compare", "today", "full-visio"], 1, ["'full-visio'", "did you mean 'full-vision'?"]),
        (["route", "gwadr", "kashgar"], 1, ["unknown place 'gwadr'", "did you mean 'Gwadar'?"]),
        (
            ["route", "gwadar", "kashgar", "--via", "tehrn"],
            1,
            ["'tehrn'", "did you mean 'tehran'?"],
        ),
        (
            ["route", "gwadar", "kashgar", "--avoid", "hormz"],
            1,
            ["'hormz'", "did you mean 'hormuz'"],
        ),
        (["route", "gwadar", "kashgar", "--avoid", "IRX"], 1, ["'IRX'", "did you mean 'ISR'"]),
        (["route", "--pairs", "gwadar:kashgr"], 1, ["'kashgr'", "did you mean 'kashgar'?"]),
        (["route", "--pairs", "gwadar"], 2, ["--pairs", "must look like ORIGIN:DEST"]),
        (["doctor", "--hubs", "gwadar,kashgr"], 1, ["'kashgr'", "did you mean 'kashgar'?"]),
    ],
)
def test_bad_option_values_are_located_with_a_suggestion(argv, status, fragments, capsys):
    got, err = run(argv, capsys)
    assert got == status, err
    for f in fragments:
        assert f in err, err


def test_unknown_tile_provider_suggests_the_nearest_xyzservices_name(tmp_path, capsys):
    out = tmp_path / "m.html"
    status, err = run(["map", "-o", str(out), "--tiles", "OpenStretMap"], capsys)
    assert status == 1
    assert "unknown tile provider 'OpenStretMap'; hint: did you mean 'OpenStreetMap'?" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("as_of", "fragment"),
    [
        ('"2023-02-30"', "as_of"),
        ('"2023-01-01\\n"', "date has spaces or a line break around it"),
        ('"9999999"', "as_of"),
        ('"tomorrow"', "as_of"),
    ],
)
def test_bad_as_of_is_located_in_the_scenario_file(tmp_path: Path, as_of, fragment, capsys):
    scen = tmp_path / "s.toml"
    scen.write_text(f'name = "x"\nas_of = {as_of}\n', encoding="utf-8")
    status, err = run(["route", "gwadar", "kashgar", "-s", str(scen)], capsys)
    assert status == 1, err
    assert str(scen) in err and fragment in err


def test_with_suggestion_leaves_other_messages_alone():
    assert with_suggestion("the following arguments are required: -o") == (
        "the following arguments are required: -o"
    )
    assert with_suggestion("argument x: invalid choice: 'zzz' (choose from 'a', 'b')").endswith(
        "(choose from 'a', 'b')"
    )
