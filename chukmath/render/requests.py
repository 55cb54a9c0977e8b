"""Problems + a template -> teacher requests (``{"id","problem_id","template","template_hash","messages"}``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from chukmath.errors import InputError
from chukmath.hashing import content_hash
from chukmath.jsonl import AtomicWriter, dumps_line, read_jsonl
from chukmath.records import Problem, Request
from chukmath.render.template import PromptTemplate


def read_problems(path: str | Path) -> Iterator[Problem]:
    """Stream the problems of a JSONL file; a malformed line raises InputError naming ``file:line``."""
    for line_no, obj in read_jsonl(path):
        yield Problem.from_dict(obj, where=f"{path}:{line_no}")


def build_requests(
    problems: Iterable[Problem], template: PromptTemplate, system: str | None = None
) -> Iterator[Request]:
    """One request per problem; ``id`` is the content hash of the messages, so it is stable across runs."""
    for problem in problems:
        yield render_request(problem, template, system)


def render_request(problem: Problem, template: PromptTemplate, system: str | None = None) -> Request:
    """The request for one problem (what :func:`build_requests` yields for it)."""
    messages = template.render(problem, system)
    return Request(
        id=content_hash({"messages": messages}),
        problem_id=problem.id,
        template=template.name,
        template_hash=template.hash,
        messages=messages,
    )


def write_requests(
    problems_path: str | Path, template: PromptTemplate, out: str | Path, system: str | None = None
) -> int:
    """Render every problem of ``problems_path`` into ``out`` (``-`` = stdout); returns the request count.

    The output appears only complete: it is written to a temporary file and renamed at the end, so a bad
    problem line or a failing template leaves nothing behind.
    """
    count = 0
    with AtomicWriter(out) as fh:
        batch: list[bytes] = []
        for request in build_requests(read_problems(problems_path), template, system):
            batch.append(dumps_line(request.to_dict()))
            count += 1
            if len(batch) >= 1024:
                fh.write(b"".join(batch))
                batch.clear()
        fh.write(b"".join(batch))
    return count


def find_problem(path: str | Path, index: int) -> Problem:
    """The first problem in ``path`` whose ``index`` field is ``index``; InputError naming the range if absent."""
    seen: list[int] = []
    for problem in read_problems(path):
        if problem.index == index:
            return problem
        seen.append(problem.index)
    if not seen:
        raise InputError(f"{path}: no problems in the file")
    raise InputError(
        f"{path}: no problem with index {index} (the file has {len(seen)} problems, indexes {min(seen)}..{max(seen)})"
    )
