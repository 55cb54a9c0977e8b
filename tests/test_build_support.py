"""Shared pieces of the `chukmath build` tests: the echo prompt, loopback recipe parts, CLI runners, file checks.

Imported by test_build_*.py; it holds no tests itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
from typer.testing import CliRunner

from chukmath.cli.main import app

# The CLI in a child process, for tests that kill it or watch it while it runs.
CLI = [sys.executable, "-c", "from chukmath.cli.main import run; run()"]
# The files a finished run leaves, compared between a resumed and an unbroken run.
FINAL = ("problems.jsonl", "train.jsonl", "rejects.jsonl", "stats.json", "README.md")

# Recipe parts: the "echo" prompt from the `templates` folder, and the openai teacher at a loopback `base_url`.
ECHO_PROMPT = """[prompt]
template = "echo"
templates_dirs = ["{templates}"]
"""
LOOPBACK_OPENAI = """[teacher]
kind = "openai"
model = "loopback"
base_url = "{base_url}"
"""


def echo_template(description: str, faults: str = "") -> str:
    """The "echo" prompt: the loopback servers answer with its last ``Answer:`` line.

    ``faults`` (Jinja lines using ``problem``) go between the question and the answer, to mark requests the fault
    server fails.
    """
    variables = '["question", "answer", "problem"]' if faults else '["question", "answer"]'
    front = f'{{#---\nname = "echo"\ndescription = "{description}"\nvariables = {variables}\n'
    front += "reveals_answer = true\n---#}\n"
    return front + "Problem: {{ question }}\n" + faults + "Answer: {{ answer }}\n"


def single_mix(generator: str) -> str:
    """A [[mix]] of one family at difficulty 1."""
    return f'[[mix]]\ngenerator = "{generator}"\nweight = 1\ndifficulty = 1\n'


def loopback_recipe(head: str, teacher: str, generator: str = "arithmetic") -> str:
    """A recipe template (``{templates}`` and ``{base_url}`` left to fill): ``head`` (name, count, seed), a mix of
    ``generator`` alone, the "echo" prompt, the openai teacher at the loopback URL, then ``teacher`` (its other keys
    and later tables)."""
    return head + single_mix(generator) + ECHO_PROMPT + LOOPBACK_OPENAI + teacher


def write_echo_recipe(tmp_path: Path, template: str, recipe: str, base_url: str, **fields: object) -> Path:
    """``template`` as templates/echo.jinja and ``recipe`` (formatted with the folder, ``base_url`` and ``fields``)
    as r.toml under ``tmp_path``; returns the recipe's path."""
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "echo.jinja").write_text(template)
    path = tmp_path / "r.toml"
    path.write_text(recipe.format(templates=templates, base_url=base_url, **fields))
    return path


def build_argv(recipe: Path, out: Path, *extra: str) -> list[str]:
    """The command line of a quiet `chukmath build` in a child process."""
    return [*CLI, "build", "--recipe", str(recipe), "--out", str(out), "--quiet", *extra]


def build_json(recipe: Path, out: Path, *extra: str, code: int = 0) -> dict:
    """Run `chukmath build --json` in this process; check its exit code and return the summary it printed."""
    result = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(out), "--json", *extra])
    assert result.exit_code == code, repr(result.exception)
    return orjson.loads(result.stdout)


def journal_keys(out: Path) -> list[tuple[str, int]]:
    """The (request id, sample) key of every line of the run's journal, in order."""
    lines = (out / "responses.jsonl").read_bytes().splitlines()
    return [(o["request_id"], o["sample"]) for o in map(orjson.loads, lines)]


def same_files(a: Path, b: Path) -> None:
    """Run ``a``'s final files equal run ``b``'s byte for byte (each names its own --out; that path is masked),
    and ``a`` has no partial file left."""
    for name in FINAL:
        left = (a / name).read_bytes().replace(str(a).encode(), b"OUT")
        right = (b / name).read_bytes().replace(str(b).encode(), b"OUT")
        if left != right:
            got, want = left.splitlines(), right.splitlines()
            line = next((i for i, pair in enumerate(zip(got, want, strict=False)) if pair[0] != pair[1]), None)
            if line is None:
                raise AssertionError(f"{name} differs: {len(got)} lines here, {len(want)} in the unbroken run")
            raise AssertionError(f"{name} differs at line {line + 1}:\n{got[line][:600]!r}\n{want[line][:600]!r}")
    for name in ("train.jsonl.partial", "rejects.jsonl.partial"):
        assert not (a / name).exists(), name
