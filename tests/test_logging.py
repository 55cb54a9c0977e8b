"""Diagnostics go through `logging.getLogger("chukmath")`: the library never prints, and the CLI's -v/-q (before
the command) set what reaches stderr."""

from __future__ import annotations

import ast
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.jsonl import read_jsonl
from chukmath_testing.hub_server import HubServer

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "datasets" / "examples"
# Entry points whose whole job is to print (the CLI, the test servers' `python -m` mains).
PRINTING_ALLOWED = ("cli", "testing")
# Known left: the reward server's default "serving rewards on URL" line (chukmath/rewards/server.py), which its
# owner is to move into chukmath/cli/rewards.py; listed so that no new print slips in elsewhere.
KNOWN = {("rewards/server.py", "serving rewards on")}


def _prints(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            found.append((node.lineno, ast.get_source_segment(source, node) or ""))
    return found


def test_the_library_does_not_print() -> None:
    package = REPO / "chukmath"
    offenders = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        if rel.parts[0] in PRINTING_ALLOWED:
            continue
        for line, call in _prints(path):
            if not any(rel.as_posix() == f and text in call for f, text in KNOWN):
                offenders.append(f"chukmath/{rel}:{line}: {call[:80]}")
    assert not offenders, "use logging.getLogger('chukmath...') instead:\n" + "\n".join(offenders)


def _torn_case(tmp_path: Path) -> list[str]:
    for name in ("problems.jsonl", "requests.jsonl", "responses.jsonl"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    journal = tmp_path / "responses.jsonl"
    journal.write_bytes(journal.read_bytes() + b'{"request_id": "torn')  # a writer killed mid-line
    return ["verify", "--problems", str(tmp_path / "problems.jsonl"), "--requests", str(tmp_path / "requests.jsonl"),
            "--responses", str(journal), "--out-dir", str(tmp_path / "out")]


def test_a_warning_reaches_stderr_by_default_and_q_silences_it(tmp_path: Path) -> None:
    args = _torn_case(tmp_path)
    shown = CliRunner().invoke(app, args)
    assert shown.exit_code == 0, repr(shown.exception)
    assert f"warning: {tmp_path / 'responses.jsonl'}: 1 torn last line" in shown.stderr
    quiet = CliRunner().invoke(app, ["-q", *args])
    assert quiet.exit_code == 0, repr(quiet.exception)
    assert "torn last line" not in quiet.stderr


def test_library_users_get_the_warning_as_a_log_record(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": 2')
    with caplog.at_level(logging.WARNING, logger="chukmath"):
        rows = [row for _, row in read_jsonl(path, allow_torn_tail=True)]
    assert rows == [{"a": 1}]
    (record,) = [r for r in caplog.records if r.name.startswith("chukmath")]
    assert record.levelno == logging.WARNING and "torn last line" in record.getMessage()


def test_v_shows_info_and_vv_names_the_logger(tmp_path: Path) -> None:
    run = tmp_path / "run"
    built = CliRunner().invoke(app, ["build", "--recipe", str(REPO / "datasets" / "demo.toml"), "--out", str(run),
                                     "--count", "10", "-q"])
    assert built.exit_code == 0, repr(built.exception)
    token = "hf_loggingTOKEN0123456789"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_") and k != "TRANSFORMERS_OFFLINE"}
    cli = [sys.executable, "-c", "from chukmath.cli.main import run; run()"]
    with HubServer(token=token) as hub:
        env.update(HF_ENDPOINT=hub.base_url, HF_TOKEN=token, HF_HUB_DISABLE_XET="1", HF_HOME=str(tmp_path / "hf"))
        outs = [
            subprocess.run([*cli, *flags, "push", str(run), "--repo", "me/logs"], capture_output=True, text=True,
                           env=env, timeout=120, check=False)
            for flags in ([], ["-v"], ["-vv"])
        ]
    assert all(o.returncode == 0 for o in outs), [o.stderr for o in outs]
    plain, verbose, debug = (o.stderr for o in outs)
    assert "info:" not in plain
    assert "info: pushing 4 files" in verbose and "[chukmath.hub]" not in verbose
    assert "info: [chukmath.hub] pushing 4 files" in debug
    assert all(token not in o.stdout + o.stderr for o in outs)
