"""Rows of a problem source -> :class:`~chukmath.records.Problem` records, and the rows that could not be read.

A row is either a full chukmath problem record (``chukmath generate`` output, also after a trip through Arrow),
taken as it is, or any row with a question column and an answer column, whose answer is read into the exact form
the pipeline uses (:mod:`chukmath.sources.answers`). Ids are the id column's value, else the content hash of the
question and exact answer, so they are the same on every run (an ``id`` column is used when present, and a
``generator`` column names the family unless ``family_name`` is given). Rows that cannot be read are listed (where, why)
rather than dropped silently; more than ``max_reject_fraction`` of them (the wrong column or answer format, most
likely) is an error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chukmath.errors import InputError
from chukmath.hashing import content_hash
from chukmath.jsonl import AtomicWriter, dumps_line
from chukmath.records import Problem
from chukmath.sources.answers import ANSWER_FORMATS, AnswerFailure, exact_answer
from chukmath.sources.read import read_rows

log = logging.getLogger(__name__)

CUSTOM_FAMILY = "custom"
REJECTS_FILE = "source_rejects.jsonl"
# Above this share of unreadable rows the source is refused: a wrong --answer-col or --answer-format, not a few
# odd answers (MATH has intervals and multiple-choice letters the verifier cannot compare).
MAX_REJECT_FRACTION = 0.5
_DIGITS = re.compile(r"-?\d+")


@dataclass(frozen=True)
class SourceSpec:
    """Where problems come from and how their columns are read (``[source]`` in a recipe, flags on the CLI)."""

    path: str
    question_col: str = "question"
    answer_col: str = "answer"
    id_col: str = ""
    difficulty_col: str = ""
    answer_format: str = "auto"
    split: str = ""
    family_name: str = CUSTOM_FAMILY

    def __post_init__(self) -> None:
        if self.answer_format not in ANSWER_FORMATS:
            raise InputError(f"answer format {self.answer_format!r}: use one of {', '.join(ANSWER_FORMATS)}")
        if not self.question_col or not self.answer_col:
            raise InputError("the question and answer columns need names")


@dataclass(frozen=True)
class SourceReject:
    """A row that did not become a problem: where it is and why."""

    where: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"where": self.where, "reason": self.reason}


@dataclass
class SourceProblems:
    """The problems of a source in row order, the rows rejected, and a digest of the problems' content."""

    spec: SourceSpec
    problems: list[Problem]
    rejects: list[SourceReject] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """Content hash of every problem in order: the same rows from any file format give the same digest."""
        return content_hash([p.to_dict() for p in self.problems])

    def slice(self, start: int, count: int) -> Iterator[Problem]:
        """Problems ``start .. start+count-1`` (fewer at the end of the source)."""
        return iter(self.problems[start : start + count])

    def write_rejects(self, folder: str | Path) -> Path | None:
        """``source_rejects.jsonl`` in ``folder`` (removed when no row was rejected); its path, or None."""
        path = Path(folder) / REJECTS_FILE
        if not self.rejects:
            path.unlink(missing_ok=True)
            return None
        with AtomicWriter(path) as fh:
            fh.write(b"".join(dumps_line(r.to_dict()) for r in self.rejects))
        return path


def load_source(spec: SourceSpec, *, max_reject_fraction: float = MAX_REJECT_FRACTION) -> SourceProblems:
    """Read every row of ``spec.path`` into problems. Unreadable rows are kept in ``rejects`` (and logged); more
    than ``max_reject_fraction`` of all rows (0: any) raises InputError naming the first one."""
    problems: list[Problem] = []
    rejects: list[SourceReject] = []
    seen: dict[str, tuple[str, Problem]] = {}
    rows = 0
    for where, row in read_rows(spec.path, spec.split):
        rows += 1
        try:
            problem = row_problem(row, spec, len(problems), where)
        except AnswerFailure as exc:
            rejects.append(SourceReject(where, f"answer: {exc}"))
            continue
        except InputError as exc:
            rejects.append(SourceReject(where, str(exc).removeprefix(f"{where}: ")))
            continue
        earlier = seen.get(problem.id)
        if earlier is not None:
            same = _content(earlier[1]) == _content(problem)
            rejects.append(SourceReject(where, f"{'repeats' if same else 'has the id of'} {earlier[0]}"))
            continue
        seen[problem.id] = (where, problem)
        problems.append(problem)
    if rows == 0:
        raise InputError(f"{spec.path}: the source holds no rows")
    if rejects and (len(rejects) > max_reject_fraction * rows or not problems):
        first = rejects[0]
        raise InputError(
            f"{first.where}: {first.reason} — {len(rejects)} of {rows} rows of {spec.path} cannot be read; check "
            f"the columns (question {spec.question_col!r}, answer {spec.answer_col!r}) and the answer format "
            f"({spec.answer_format}; gsm8k, boxed or plain)"
        )
    for reject in rejects[:3]:
        log.warning("%s: skipped: %s", reject.where, reject.reason)
    if len(rejects) > 3:
        log.warning("%s: %d more rows skipped", spec.path, len(rejects) - 3)
    return SourceProblems(spec, problems, rejects)


def row_problem(row: dict[str, Any], spec: SourceSpec, index: int, where: str) -> Problem:
    """One row as a problem (``index``: its position among the source's problems); InputError or AnswerFailure
    when the row cannot be one."""
    if all(key in row for key in Problem.REQUIRED) and spec.question_col == "question" and (
        spec.answer_col == "answer"
    ):
        # A chukmath problem record (from problems.jsonl, or back from Arrow): taken as it is.
        data = dict(row, meta=clean_meta(row.get("meta")))
        return Problem.from_dict(data, where)
    question, answer = row.get(spec.question_col), row.get(spec.answer_col)
    if spec.question_col not in row:
        raise InputError(f"{where}: no column {spec.question_col!r} (columns: {', '.join(map(str, row))})")
    if spec.answer_col not in row:
        raise InputError(f"{where}: no column {spec.answer_col!r} (columns: {', '.join(map(str, row))})")
    if not isinstance(question, str) or not question.strip():
        raise InputError(f"{where}: the question ({spec.question_col!r}) is empty or not text")
    if isinstance(answer, bool) or not isinstance(answer, str | int | float) or not str(answer).strip():
        raise InputError(f"{where}: the answer ({spec.answer_col!r}) is empty or not text or a number")
    exact = exact_answer(str(answer), spec.answer_format)
    given = row.get(spec.id_col or "id")
    if spec.id_col and (given is None or not str(given).strip()):
        raise InputError(f"{where}: the id column {spec.id_col!r} is empty")
    if isinstance(given, str | int) and not isinstance(given, bool) and str(given).strip():
        problem_id = str(given)
    else:
        problem_id = content_hash({"question": question, "answer": exact})
    family = row.get("generator") if spec.family_name == CUSTOM_FAMILY else None
    return Problem(
        id=problem_id,
        generator=family if isinstance(family, str) and family else spec.family_name,
        difficulty=_difficulty(row.get(spec.difficulty_col or "difficulty")),
        seed=0,
        index=index,
        question=question,
        expression="",
        answer=exact,
        meta={},
    )


def clean_meta(meta: Any) -> dict[str, Any]:
    """``meta`` without null values: Arrow gives a struct column the union of every row's keys and fills the keys
    a row lacks with null, which must not reach templates (``None`` in a prompt) or ids."""
    if not isinstance(meta, dict):
        return {}
    return {k: clean_meta(v) if isinstance(v, dict) else v for k, v in meta.items() if v is not None}


def _difficulty(value: Any) -> int:
    """A whole number, or the number in ``"Level 3"`` (MATH); 0 when absent or unreadable (``"Level ?"``)."""
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    found = _DIGITS.search(str(value))
    return int(found.group()) if found else 0


def _content(problem: Problem) -> tuple[str, str]:
    return problem.question, problem.answer


__all__ = [
    "CUSTOM_FAMILY",
    "MAX_REJECT_FRACTION",
    "REJECTS_FILE",
    "SourceProblems",
    "SourceReject",
    "SourceSpec",
    "clean_meta",
    "load_source",
    "row_problem",
]
