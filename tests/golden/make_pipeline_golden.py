"""Write the pipeline goldens under tests/golden/: what the built-in templates render and what a small run writes.

- ``templates.jsonl``: every built-in template rendered (with and without a system message) for a fixed sample of
  problems of several families.
- ``build_builtin/``: ``chukmath build`` of a small recipe with the built-in teacher (every output file).
- ``build_fault/``: the same kind of run against the loopback fault server, whose wrong answers give rejects.
- ``stages_builtin/`` and ``stages_fault/``: the same two runs made with the stage commands
  (``generate``, ``prompts``, ``teach``, ``verify``).

Timestamps, timings and versions are normalized (``normalize``); every other byte is pinned.
tests/test_pipeline_golden.py checks that the code still makes these bytes. The example run in
``datasets/examples/`` is pinned by tests/test_examples.py. Regenerate only for a deliberate change of output:
``.venv/bin/python tests/golden/make_pipeline_golden.py``.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import orjson

GOLDEN_DIR = Path(__file__).parent
TEMPLATES_GOLDEN = GOLDEN_DIR / "templates.jsonl"
SEED = 23
TEMPLATE_FAMILIES = ("arithmetic", "fractions", "linear_equation", "quadratic", "word_problem", "calculus",
                     "probability", "inequalities")  # fmt: skip
PER_FAMILY = 3
COUNT = 200

_MIX = """
[[mix]]
generator = "arithmetic"
weight = 3
difficulty = 2
[[mix]]
generator = "fractions"
weight = 1
difficulty = 2
[[mix]]
generator = "linear_equation"
weight = 1
difficulty = 3
[[mix]]
generator = "word_problem"
weight = 1
difficulty = 2
template = "word_problem"
"""
# The fault server echoes the last "Answer: X" line of the prompt: this template shows the answer for about half
# of the problems, so the other half are answered "42" and most of those are rejected.
HALF_TEMPLATE = (
    '{#---\nname = "half"\ndescription = "reveals the answer to some problems"\nvariables = ["question", "answer"]\n'
    "reveals_answer = true\n---#}\nSolve: {{ question }}\n"
    "{% if question|length is even %}Answer: {{ answer }}\n{% endif %}"
)

# Keys whose values are clocks, timings or versions: equal runs differ only in them.
VOLATILE_KEYS = frozenset({"created", "latency_s", "elapsed_s", "seconds", "started", "finished", "created_at",
                           "started_unix", "finished_unix", "since", "chukmath_version", "python", "versions",
                           "version", "rate_per_s", "wall_s"})  # fmt: skip
_VOLATILE_TEXT = (
    re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"),  # ISO times
    re.compile(rb"chukmath \d+\.\d+\.\d+\S*"),  # versions in cards
    re.compile(rb"(?:Python|sympy) \d+\.\d+\.\d+\S*"),
)
_PORT = re.compile(rb"127\.0\.0\.1:\d+")  # the loopback teacher's port
BUILD_FILES_SKIPPED = frozenset({"report.html"})  # an HTML view of stats.json, with a clock in it
LOCK_SUFFIX = ".lock"  # a lock file may hold the process id: only its presence is pinned


def template_rows() -> Iterator[dict[str, Any]]:
    """Every built-in template rendered for ``PER_FAMILY`` problems of each of ``TEMPLATE_FAMILIES``."""
    from chukmath.generate import generate
    from chukmath.records import Problem
    from chukmath.render import TemplateLibrary

    library = TemplateLibrary()
    problems = [Problem(**row) for family in TEMPLATE_FAMILIES
                for row in generate(family, seed=SEED, count=PER_FAMILY, difficulty=2).rows()]  # fmt: skip
    for name in library.names():
        template = library.get(name)
        for problem in problems:
            for system in (None, "You are a careful mathematician."):
                yield {"template": name, "hash": template.hash, "problem": problem.id, "system": system,
                       "messages": template.render(problem, system)}  # fmt: skip


def template_lines() -> Iterator[bytes]:
    for row in template_rows():
        yield orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE)


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: ("<volatile>" if k in VOLATILE_KEYS else _strip(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def normalize(name: str, data: bytes, root: Path, *, arrival_order: bool = False) -> bytes:
    """``data`` with clocks, timings, versions, the loopback port and the temporary folder's path replaced by fixed
    markers. ``arrival_order``: the journal's lines are in the order answers arrived (a concurrent teacher), so
    they are sorted."""
    if name.endswith(LOCK_SUFFIX):
        return b""
    data = _PORT.sub(b"127.0.0.1:<port>", data.replace(str(root).encode(), b"<work>"))
    if name == "responses.jsonl" and arrival_order:
        data = b"".join(sorted(data.splitlines(keepends=True)))
    if name.endswith(".json"):
        return orjson.dumps(_strip(orjson.loads(data)), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    if name.endswith(".jsonl"):
        return b"".join(orjson.dumps(_strip(orjson.loads(line)), option=orjson.OPT_APPEND_NEWLINE)
                        for line in data.splitlines())  # fmt: skip
    for pattern in _VOLATILE_TEXT:
        data = pattern.sub(b"<volatile>", data)
    return data


def read_outputs(root: Path, work: Path, *, arrival_order: bool) -> dict[str, bytes]:
    """Every file under ``root`` (relative name -> normalized bytes), but those in ``BUILD_FILES_SKIPPED``."""
    return {
        str(path.relative_to(root)): normalize(path.name, path.read_bytes(), work, arrival_order=arrival_order)
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name not in BUILD_FILES_SKIPPED
    }


def _cli(*args: str) -> None:
    from typer.testing import CliRunner

    from chukmath.cli.main import app

    result = CliRunner().invoke(app, list(args))
    if result.exit_code != 0:
        raise RuntimeError(f"chukmath {' '.join(args)} exited {result.exit_code}: {result.output}{result.exception!r}")


def _teacher_table(base_url: str | None) -> str:
    if base_url is None:
        return '[teacher]\nkind = "builtin"\n'
    return (f'[prompt]\ntemplate = "half"\ntemplates_dirs = ["tpl"]\n[teacher]\nkind = "openai"\nmodel = "fault"\n'
            f'base_url = "{base_url}"\nconcurrency = 4\n')  # fmt: skip


def _fault_server() -> AbstractContextManager[Any]:
    from chukmath_testing.fault_server import FaultServer

    return FaultServer()


def run_build(work: Path, *, fault: bool) -> dict[str, bytes]:
    """``chukmath build`` of the small recipe in ``work``; the files of its run directory."""
    with _fault_server() if fault else nullcontext() as server:
        base_url = server.base_url if server is not None else None
        mix = _MIX.replace('template = "word_problem"\n', "") if fault else _MIX
        (work / "tpl").mkdir(exist_ok=True)
        (work / "tpl" / "half.jinja").write_text(HALF_TEMPLATE)
        recipe = work / "recipe.toml"
        recipe.write_text(f'name = "golden"\ncount = {COUNT}\nseed = {SEED}\n{mix}{_teacher_table(base_url)}')
        env_key = {"OPENAI_API_KEY": "sk-golden"} if fault else {}
        with _env(env_key):
            _cli("build", "--recipe", str(recipe), "--out", str(work / "run"), "--quiet")
    return read_outputs(work / "run", work, arrival_order=fault)


def run_stages(work: Path, *, fault: bool) -> dict[str, bytes]:
    """The same run made with ``generate``, ``prompts``, ``teach`` and ``verify``; the files they write."""
    out = work / "run"
    out.mkdir()
    (work / "tpl").mkdir(exist_ok=True)
    (work / "tpl" / "half.jinja").write_text(HALF_TEMPLATE)
    mix = work / "mix.toml"
    mix.write_text(_MIX.replace('template = "word_problem"\n', ""))
    problems, requests, responses = out / "problems.jsonl", out / "requests.jsonl", out / "responses.jsonl"
    _cli("generate", "--recipe", str(mix), "-n", str(COUNT), "--seed", str(SEED), "-o", str(problems))
    template = str(work / "tpl" / "half.jinja") if fault else "step_by_step"
    _cli("prompts", "--problems", str(problems), "--template", template, "--out", str(requests))
    with _fault_server() if fault else nullcontext() as server, _env({"OPENAI_API_KEY": "sk-golden"}):
        teacher = (["--teacher", "openai", "--model", "fault", "--base-url", server.base_url, "--concurrency", "4"]
                   if server is not None else ["--teacher", "builtin"])  # fmt: skip
        _cli("teach", "--requests", str(requests), "--problems", str(problems), "--out", str(responses), *teacher,
             "--quiet")  # fmt: skip
    _cli("verify", "--problems", str(problems), "--responses", str(responses), "--out-dir", str(out))
    return read_outputs(out, work, arrival_order=fault)


class _env(AbstractContextManager[None]):
    """Set environment variables for the block."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.saved: dict[str, str | None] = {}

    def __enter__(self) -> None:
        import os

        for key, value in self.values.items():
            self.saved[key] = os.environ.get(key)
            os.environ[key] = value

    def __exit__(self, *exc: object) -> None:
        import os

        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


RUNS: dict[str, Callable[[Path], dict[str, bytes]]] = {
    "build_builtin": lambda work: run_build(work, fault=False),
    "build_fault": lambda work: run_build(work, fault=True),
    "stages_builtin": lambda work: run_stages(work, fault=False),
    "stages_fault": lambda work: run_stages(work, fault=True),
}


def main() -> None:
    TEMPLATES_GOLDEN.write_bytes(b"".join(template_lines()))
    print(TEMPLATES_GOLDEN)
    for name, run in RUNS.items():
        with tempfile.TemporaryDirectory() as tmp:
            files = run(Path(tmp))
        target = GOLDEN_DIR / name
        shutil.rmtree(target, ignore_errors=True)
        for relative, data in files.items():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            (target / relative).write_bytes(data)
        print(target, len(files), "files")


if __name__ == "__main__":
    main()
