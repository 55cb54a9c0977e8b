"""Outputs that cannot be written — under a regular file, through a symlink loop, in a read-only folder, on a full
disk or past a file-size limit — get one line on stderr and exit code 2, lose nothing, and ``build`` resumes to the
files of an unbroken run once there is room again (issue 13). Every test drives the CLI in a child process."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest
from test_bad_input_cli import cli, one_line_error
from test_build_support import CLI, same_files

MIX = """[[mix]]
generator = "arithmetic"
weight = 2
difficulty = 2
[[mix]]
generator = "fractions"
weight = 1
difficulty = 1
"""
RECIPE = 'name = "full"\ncount = {count}\nseed = 4\n' + MIX


def file_size_limit(limit: int) -> Callable[[], None]:
    """A preexec_fn: files may not grow past ``limit`` bytes, and a write past it fails with EFBIG (no SIGXFSZ)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """A recipe, problems, requests and a journal, made by the CLI itself."""
    recipe, mix = tmp_path / "r.toml", tmp_path / "mix.toml"
    recipe.write_text(RECIPE.format(count=30))
    mix.write_text(MIX)
    paths = {"recipe": recipe, "mix": mix, "problems": tmp_path / "p.jsonl", "requests": tmp_path / "q.jsonl",
             "responses": tmp_path / "responses.jsonl"}
    assert cli("generate", "--recipe", str(mix), "-n", "30", "--out", str(paths["problems"])).returncode == 0
    assert cli("prompts", "--problems", str(paths["problems"]), "--template", "step_by_step",
               "--out", str(paths["requests"])).returncode == 0
    taught = cli("teach", "--requests", str(paths["requests"]), "--problems", str(paths["problems"]),
                 "--out", str(paths["responses"]), "--quiet")
    assert taught.returncode == 0, taught.stderr
    return paths


def command(name: str, inputs: dict[str, Path], out: Path | str) -> list[str]:
    """The arguments of ``name`` writing to ``out`` (a file, or a folder for build and verify)."""
    return {
        "generate": ["generate", "--recipe", str(inputs["mix"]), "-n", "30", "--out", str(out)],
        "prompts": ["prompts", "--problems", str(inputs["problems"]), "--template", "step_by_step", "--out", str(out)],
        "teach": ["teach", "--requests", str(inputs["requests"]), "--problems", str(inputs["problems"]), "--out",
                  str(out), "--quiet"],
        "verify": ["verify", "--problems", str(inputs["problems"]), "--requests", str(inputs["requests"]),
                   "--responses", str(inputs["responses"]), "--out-dir", str(out)],
        "build": ["build", "--recipe", str(inputs["recipe"]), "--out", str(out), "--quiet"],
    }[name]


COMMANDS = ["generate", "prompts", "teach", "verify", "build"]
FOLDER_OUT = {"verify", "build"}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", COMMANDS)
def test_out_under_a_regular_file(tmp_path, inputs, name):
    blocker = tmp_path / "somefile"
    blocker.write_text("keep me\n")
    before = _snapshot(tmp_path)
    out = blocker / ("run" if name in FOLDER_OUT else "x.jsonl")
    one_line_error(cli(*command(name, inputs, out)), str(out), f"{blocker} is a file, not a folder")
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("where", ["the link", "under the link"])
def test_out_through_a_symlink_loop(tmp_path, inputs, name, where):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    out = loop if where == "the link" else loop / ("run" if name in FOLDER_OUT else "x.jsonl")
    result = cli(*command(name, inputs, out))
    one_line_error(result, str(out))
    assert "symbolic link" in result.stderr
    assert loop.is_symlink() and os.readlink(loop) == str(loop)


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write into. Root passes every mode check, so for root the folder is made immutable
    (chattr +i); where that is impossible (tmpfs, no CAP_LINUX_IMMUTABLE) /sys stands in: sysfs refuses new
    entries to root too."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    if chattr and subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode == 0:
        try:
            yield folder
        finally:
            subprocess.run([chattr, "-i", str(folder)], check=True)
        return
    yield Path("/sys")


@pytest.mark.parametrize("name", COMMANDS)
def test_out_in_a_read_only_folder(inputs, unwritable, name):
    out = unwritable / ("chukmath-run" if name in FOLDER_OUT else "chukmath-x.jsonl")
    with pytest.raises(OSError):
        (unwritable / "probe").write_text("x")  # the fixture is meaningful: the folder refuses us
    result = cli(*command(name, inputs, out))
    one_line_error(result, str(out))
    assert not out.exists()


# -- a full disk and a file-size limit ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["generate", "prompts"])
def test_out_on_dev_full(inputs, name):
    result = cli(*command(name, inputs, "/dev/full"))
    one_line_error(result, "/dev/full", "No space left on device", "free some space")


def test_stdout_on_a_full_disk(inputs):
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [*CLI, *command("generate", inputs, "-")], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )
    one_line_error(result, "standard output", "No space left on device")


@pytest.mark.parametrize("name", ["generate", "prompts"])
def test_a_size_limit_keeps_the_file_already_there(tmp_path, inputs, name):
    out = tmp_path / "kept.jsonl"
    out.write_bytes(b'{"old": true}\n')
    result = cli(*command(name, inputs, out), preexec=file_size_limit(2000))
    one_line_error(result, str(out), "size limit")
    assert out.read_bytes() == b'{"old": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".kept")) == []


def test_verify_past_a_size_limit_keeps_the_previous_dataset(tmp_path, inputs):
    out = tmp_path / "out"
    assert cli(*command("verify", inputs, out)).returncode == 0
    before = _snapshot(out)
    limit = max(len(data) for data in before.values()) // 2
    one_line_error(cli(*command("verify", inputs, out), preexec=file_size_limit(limit)), str(out), "size limit")
    assert _snapshot(out) == before


def _journal_is_whole(path: Path) -> int:
    data = path.read_bytes()
    assert data.endswith(b"\n")
    lines = data.splitlines()
    for line in lines:
        assert isinstance(orjson.loads(line), dict)
    return len(lines)


def test_teach_past_a_size_limit_keeps_a_whole_journal_and_resumes(tmp_path, inputs):
    journal = tmp_path / "fresh.jsonl"
    limit = inputs["responses"].stat().st_size // 2
    one_line_error(cli(*command("teach", inputs, journal), preexec=file_size_limit(limit)), str(journal), "size limit")
    kept = _journal_is_whole(journal)
    assert 0 < kept < 30
    assert cli(*command("teach", inputs, journal)).returncode == 0
    assert _journal_is_whole(journal) == 30


@pytest.mark.parametrize("divisor", [2, 5])
def test_build_past_a_size_limit_stops_cleanly_and_resumes_to_the_unbroken_files(tmp_path, divisor):
    recipe = tmp_path / "r.toml"
    recipe.write_text(RECIPE.format(count=1500))
    unbroken, broken = tmp_path / "unbroken", tmp_path / "broken"
    assert cli("build", "--recipe", str(recipe), "--out", str(unbroken), "--quiet").returncode == 0
    limit = max(p.stat().st_size for p in unbroken.iterdir() if p.is_file()) // divisor
    result = cli("build", "--recipe", str(recipe), "--out", str(broken), "--quiet", preexec=file_size_limit(limit))
    one_line_error(result, str(broken), "size limit", "run the same command again")
    kept = _journal_is_whole(broken / "responses.jsonl")
    assert 0 < kept < 1500
    assert not (broken / "train.jsonl").exists()
    again = cli("build", "--recipe", str(recipe), "--out", str(broken), "--quiet")
    assert again.returncode == 0, again.stderr
    same_files(broken, unbroken)
    assert _journal_is_whole(broken / "responses.jsonl") == 1500
