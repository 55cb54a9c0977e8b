"""Render templates a second time in a separate Python process, so lint can tell a prompt that is not a pure
function of the problem (its hash is the request id: a prompt that changes between runs makes a resumed run
pay again for every answer).

The second process has its own Jinja environment, its own memory layout and another string-hash seed
(PYTHONHASHSEED), so whatever the sandbox's checks at render time miss (an object's address, an order that
follows string hashes) comes out different. ``python -m chukmath.render.rerender`` is that process: it reads
the jobs (pickled by the parent) on stdin and writes the outcomes as JSON on stdout.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chukmath.errors import TemplateError
from chukmath.records import Message, Problem
from chukmath.render.source import parse_template_source
from chukmath.render.template import PromptTemplate

# Each render is bounded (chukmath.render.bounds); this only stops a child process that hangs for another reason.
RERENDER_TIMEOUT_S = 300.0


@dataclass(frozen=True, slots=True)
class RenderJob:
    """One template (its path and the exact text the parent linted) and the problems to render it on."""

    path: Path
    text: str
    problems: tuple[Problem, ...]


# Per problem: the messages, or the error's text.
Outcome = list[Message] | str


def render_outcomes(template: PromptTemplate, problems: Sequence[Problem]) -> list[Outcome]:
    """The messages of ``template`` for each problem, or the text of the error it raised."""
    outcomes: list[Outcome] = []
    for problem in problems:
        try:
            outcomes.append(template.render(problem))
        except TemplateError as exc:
            outcomes.append(f"{type(exc).__name__}: {exc}")
    return outcomes


def _render_job(job: RenderJob) -> list[Outcome] | str:
    try:
        template = PromptTemplate(parse_template_source(job.path, job.text), origin="lint")
    except TemplateError as exc:
        return f"{type(exc).__name__}: {exc}"
    return render_outcomes(template, job.problems)


def child_hash_seed(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """A PYTHONHASHSEED other than this process's: the next one if it was set, else 0 (this one is random)."""
    own = environ.get("PYTHONHASHSEED", "")
    return str((int(own) + 1) % 4_294_967_296) if own.isdigit() else "0"


def render_elsewhere(jobs: Sequence[RenderJob]) -> list[list[Outcome] | str]:
    """Each job's outcomes, rendered in a fresh Python process with another hash seed.

    A job whose template fails to load there gives the error's text. A child process that fails as a whole
    raises TemplateError: lint must not pass what it could not check.
    """
    if not jobs:
        return []
    env = {**os.environ, "PYTHONHASHSEED": child_hash_seed()}
    try:
        done = subprocess.run(
            # -P: the same chukmath as this process, not a checkout that happens to be in the current folder.
            [sys.executable, "-P", "-m", "chukmath.render.rerender"],
            input=pickle.dumps(list(jobs)),
            capture_output=True,
            env=env,
            timeout=RERENDER_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TemplateError(
            f"the second render (in a separate process) took more than {RERENDER_TIMEOUT_S:.0f} s"
        ) from None
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no error output"]
        raise TemplateError(f"the second render (in a separate process) failed: exit {done.returncode}: {tail[0]}")
    try:
        results: list[list[Outcome] | str] = json.loads(done.stdout)
    except ValueError as exc:
        raise TemplateError(f"the second render (in a separate process) wrote no readable result ({exc})") from None
    if not isinstance(results, list) or len(results) != len(jobs):
        raise TemplateError("the second render (in a separate process) did not give one result per template")
    return results


def main() -> None:
    """The child process: pickled jobs on stdin (written by render_elsewhere in the parent), JSON on stdout."""
    jobs: list[RenderJob] = pickle.loads(sys.stdin.buffer.read())
    results: list[Any] = [_render_job(job) for job in jobs]
    sys.stdout.write(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
