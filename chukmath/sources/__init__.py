"""Bring your own problems: a JSONL or Parquet file, or a Hugging Face ``datasets`` dataset, as the problems of
``build``, ``prompts`` and ``eval``.

``load_source(SourceSpec(path, question_col=, answer_col=, id_col=, answer_format=, split=))`` reads every row into
a :class:`~chukmath.records.Problem` (``generator`` = ``custom`` or ``family_name``, ``expression`` empty) whose
``answer`` is the exact string the pipeline uses, read by the verifier's own grammar (GSM8K ``#### 72``, MATH
``\\boxed{...}``, LaTeX, ``1,200``, ``72 dollars``); rows that cannot be read are listed with file and line (or row
number) in ``SourceProblems.rejects``.
"""

from chukmath.sources.answers import ANSWER_FORMATS, AnswerFailure, exact_answer, final_answer
from chukmath.sources.problems import (
    CUSTOM_FAMILY,
    MAX_REJECT_FRACTION,
    REJECTS_FILE,
    SourceProblems,
    SourceReject,
    SourceSpec,
    clean_meta,
    load_source,
    row_problem,
)
from chukmath.sources.read import read_rows, source_kind

__all__ = [
    "ANSWER_FORMATS",
    "CUSTOM_FAMILY",
    "MAX_REJECT_FRACTION",
    "REJECTS_FILE",
    "AnswerFailure",
    "SourceProblems",
    "SourceReject",
    "SourceSpec",
    "clean_meta",
    "exact_answer",
    "final_answer",
    "load_source",
    "read_rows",
    "row_problem",
    "source_kind",
]
