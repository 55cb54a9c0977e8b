"""Every command and command group of the CLI explains itself with an example (walked from the app, so a new
command without one fails here)."""

from __future__ import annotations

from typing import Any

from typer.main import get_command
from typer.testing import CliRunner

from chukmath.cli.main import app


def _command_paths() -> list[list[str]]:
    root = get_command(app)
    paths: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(root, [])
    return paths


def test_the_walk_finds_every_command() -> None:
    found = {" ".join(p) for p in _command_paths()}
    for expected in ("build", "generate", "prompts", "teach", "verify", "stats", "generators list",
                     "templates lint", "batch submit", "batch status", "batch collect"):
        assert expected in found


def test_every_command_help_has_an_example() -> None:
    runner = CliRunner()
    missing = []
    for path in _command_paths():
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        if "Example" not in result.output or "chukmath " not in result.output.split("Example", 1)[1]:
            missing.append(" ".join(path) or "chukmath")
    assert missing == [], f"--help without an example: {missing}"

