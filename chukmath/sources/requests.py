"""``chukmath prompts`` over a problem source: one teacher request per readable row, rejects listed beside."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from chukmath.jsonl import AtomicWriter, dumps_line, read_jsonl
from chukmath.records import Problem
from chukmath.sources.problems import SourceProblems, SourceSpec, load_source
from chukmath.sources.read import source_kind

log = logging.getLogger(__name__)


def warn_expression(template: Any) -> None:
    """Say so when ``template`` shows the problem's expression: a source's problems have none (it renders empty)."""
    if "expression" in template.meta.variables:
        log.warning(
            "template %s shows the problem's expression, which problems from a source do not have (the line renders "
            "empty); answer_blind, or a template of your own without it, fits them better", template.name
        )


def is_problem_file(path: str | Path) -> bool:
    """True for a JSONL file whose first row is a full chukmath problem record (``chukmath generate`` output),
    which ``prompts`` streams as before; anything else is read as a source."""
    if source_kind(path) != "jsonl":
        return False
    for _number, first in read_jsonl(path):  # bounded lines; a bad first line is named here (file:line)
        return all(key in first for key in Problem.REQUIRED)
    return True


def write_source_requests(
    spec: SourceSpec, template: Any, out: str | Path, system: str | None = None
) -> tuple[int, SourceProblems]:
    """Render a request for every problem of the source into ``out`` (``-`` = stdout), atomically; returns the
    count and the problems read (with their rejects)."""
    from chukmath.render.requests import build_requests

    warn_expression(template)
    source = load_source(spec)
    count = 0
    with AtomicWriter(out) as fh:
        for request in build_requests(source.problems, template, system):
            fh.write(dumps_line(request.to_dict()))
            count += 1
    return count, source


__all__ = ["is_problem_file", "warn_expression", "write_source_requests"]
