"""The Problem field list is written once: FIELDS, to_dict, from_dict and the generator's rows follow it."""

from dataclasses import fields

import pytest

from chukmath import generate
from chukmath.errors import InputError
from chukmath.records import Problem, Response, problem_row


def test_fields_follow_the_dataclass_and_meta_is_optional():
    assert Problem.FIELDS == tuple(f.name for f in fields(Problem))
    assert Problem.REQUIRED == Problem.FIELDS[:-1] and Problem.FIELDS[-1] == "meta"
    assert not hasattr(Response, "FIELDS")


def test_codecs_round_trip_and_coerce_like_before():
    row = {"id": 7, "generator": "arithmetic", "difficulty": "2", "seed": 0, "index": 3, "question": "q",
           "expression": "1+1", "answer": 2}
    problem = Problem.from_dict(row)
    assert problem == Problem("7", "arithmetic", 2, 0, 3, "q", "1+1", "2", {})
    assert list(problem.to_dict()) == list(Problem.FIELDS)
    assert Problem.from_dict(problem.to_dict()) == problem


def test_missing_and_bad_fields_name_where():
    with pytest.raises(InputError, match=r"p\.jsonl:4: missing field\(s\) answer"):
        Problem.from_dict({k: "1" for k in Problem.REQUIRED if k != "answer"}, where="p.jsonl:4")
    with pytest.raises(InputError, match=r"p\.jsonl:5: bad field value"):
        Problem.from_dict({**{k: "1" for k in Problem.REQUIRED}, "difficulty": "two"}, where="p.jsonl:5")


def test_generator_rows_are_problem_dicts():
    (row,) = generate.generate("arithmetic", seed=3, count=1).rows()
    assert list(row) == list(Problem.FIELDS) and Problem.from_dict(row).to_dict() == row
    with pytest.raises(ValueError):
        problem_row("too", "few")
