"""Outputs under hostile conditions: races, symlinks, full disks, closed streams, signals."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corridors.cli.main import main
from corridors.errors import OutputError
from corridors.io.atomic import check_output_path, write_atomic, write_text_atomic

CLI = [sys.executable, "-m", "corridors.cli"]


def _names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_a_file_created_during_the_run_is_kept_without_overwrite(tmp_path):
    out = check_output_path(tmp_path / "r.md", suffixes=[".md"])

    def writer(tmp: Path) -> None:
        tmp.write_text("ours", encoding="utf-8")
        out.write_text("theirs", encoding="utf-8")  # another process wins the race

    with pytest.raises(OutputError, match="appeared at the output path while this run"):
        write_atomic(out, writer)
    assert out.read_text(encoding="utf-8") == "theirs"
    assert _names(tmp_path) == ["r.md"]


def test_overwrite_replaces_a_file_created_during_the_run(tmp_path):
    out = tmp_path / "r.md"

    def writer(tmp: Path) -> None:
        tmp.write_text("ours", encoding="utf-8")
        out.write_text("theirs", encoding="utf-8")

    write_atomic(out, writer, overwrite=True)
    assert out.read_text(encoding="utf-8") == "ours"
    assert _names(tmp_path) == ["r.md"]


def test_a_dangling_symlink_is_an_existing_file_and_is_not_followed(tmp_path, capsys):
    target = tmp_path / "elsewhere.html"
    link = tmp_path / "atlas.html"
    link.symlink_to(target)
    assert main(["map", "-o", str(link)]) == 1
    assert "a symbolic link exists" in capsys.readouterr().err
    assert not target.exists() and link.is_symlink()


def test_overwrite_replaces_the_symlink_not_the_file_it_points_to(tmp_path):
    victim = tmp_path / "victim.md"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "r.md"
    link.symlink_to(victim)
    out = check_output_path(link, suffixes=[".md"], overwrite=True)
    write_text_atomic(out, "report\n", overwrite=True)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "report\n"


def test_output_that_is_a_hard_link_to_an_input_is_refused(tmp_path):
    src = tmp_path / "scenario.toml"
    src.write_text('name = "x"\n', encoding="utf-8")
    os.link(src, tmp_path / "out.md")
    with pytest.raises(OutputError, match="also an input"):
        check_output_path(tmp_path / "out.md", suffixes=[".md"], overwrite=True, inputs=[src])


def test_a_name_too_long_is_refused_before_any_work(tmp_path, capsys):
    out = tmp_path / ("a" * 250 + ".html")
    assert main(["map", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "file name too long" in err and "shorter file name" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "no space left on device; hint: free some space"),
        (errno.EROFS, "read-only"),
        (errno.ENAMETOOLONG, "use a shorter file name"),
    ],
)
def test_system_errors_while_writing_name_the_path_and_leave_nothing(tmp_path, code, words):
    out = tmp_path / "atlas.html"
    out.write_text("old", encoding="utf-8")

    def writer(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise OSError(code, os.strerror(code))

    with pytest.raises(OutputError) as info:
        write_atomic(out, writer, overwrite=True)
    assert str(out) in str(info.value) and words in str(info.value).lower()
    assert out.read_text(encoding="utf-8") == "old"
    assert _names(tmp_path) == ["atlas.html"]


@pytest.fixture
def full_tmpfs(tmp_path):
    """A 256 KiB tmpfs (root only; skipped where mounting is not allowed)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("needs root and mount(8) to make a small tmpfs")
    res = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True
    )
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_map_onto_a_full_tmpfs_keeps_the_old_file_and_leaves_no_temp(full_tmpfs):
    out = full_tmpfs / "atlas.html"
    out.write_text("old atlas", encoding="utf-8")
    res = subprocess.run([*CLI, "map", "-o", str(out), "--overwrite"], capture_output=True)
    err = res.stderr.decode()
    assert res.returncode == 1, err
    assert "no space left on device" in err and str(out) in err and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "old atlas"
    assert _names(full_tmpfs) == ["atlas.html"]


def test_closed_pipe_exits_quietly():
    proc = subprocess.Popen([*CLI, "list", "nodes"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert first.startswith(b"id")
    assert proc.returncode in (0, 141) and err == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_on_a_full_device_is_one_line_and_status_1():
    with open("/dev/full", "w") as full:
        res = subprocess.run([*CLI, "list", "nodes"], stdout=full, stderr=subprocess.PIPE)
    err = res.stderr.decode()
    assert res.returncode == 1
    assert err.strip().splitlines() == [
        "corridors: error: <stdout>: cannot write: no space left on device; "
        "hint: free some space or write elsewhere"
    ]


def test_sigterm_while_writing_leaves_no_temp_file(tmp_path):
    """SIGTERM during a map build: status 143, 'terminated', no output and no temp file."""
    out = tmp_path / "atlas.html"
    code = (
        "import signal, time, corridors.render.build as b\n"
        "from corridors.cli.main import main\n"
        "orig = b.render_html\n"
        "def slow(m):\n"
        "    html = orig(m)\n"
        "    open({flag!r}, 'w').write('ready')\n"
        "    time.sleep(30)\n"
        "    return html\n"
        "b.render_html = slow\n"
        "raise SystemExit(main(['map', '-o', {out!r}]))\n"
    ).format(flag=str(tmp_path / "flag"), out=str(out))
    proc = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not (tmp_path / "flag").exists():
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    start = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - start < 5
    assert proc.returncode == 143 and b"corridors: terminated" in err
    assert _names(tmp_path) == ["flag"]
