"""The generator's fast paths give exactly what the plain code would: ids, question phrasing, meta, JSONL bytes."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from chukmath.cli.generate import write_problems
from chukmath.families.arithmetic import generator as arithmetic
from chukmath.generate import generate, list_families
from chukmath.generate.engine import problem_id
from chukmath.hashing import content_hash


@pytest.mark.parametrize("family", [f.name for f in list_families()])
def test_problem_id_is_the_content_hash_of_the_five_fields(family: str) -> None:
    for p in generate(family, seed=2, count=40 if family != "calculus" else 10):
        fields = {"generator": p.generator, "difficulty": p.difficulty, "question": p.question,
                  "expression": p.expression, "answer": p.answer}
        assert p.id == content_hash(fields) == problem_id(**fields)


def test_problem_id_escapes_like_the_canonical_json() -> None:
    odd = {"generator": "g", "difficulty": 5, "question": 'Is "x" ÷ 2\n\\ ok?', "expression": "x/2", "answer": "1"}
    assert problem_id(**odd) == content_hash(odd)


def test_split_phrases_read_like_the_format_strings() -> None:
    assert len(arithmetic._PHRASE_PARTS) == len(arithmetic._PHRASES)
    for phrase, (head, tail) in zip(arithmetic._PHRASES, arithmetic._PHRASE_PARTS, strict=True):
        assert head + "3 × (4 - 1)" + tail == phrase.format(e="3 × (4 - 1)")


def test_operation_names_are_the_sorted_set_of_the_drawn_operators() -> None:
    for ops in (["+"], ["/", "*", "/"], ["-", "+", "*", "/", "+"], ["*", "*"]):
        assert arithmetic._operation_names(ops) == "".join(sorted(set(ops)))
        assert arithmetic._operation_names(ops) == "".join(sorted(set(ops)))  # a second time from the cache


@pytest.mark.parametrize("difficulty", [2, 3, 5])
def test_written_lines_are_the_records_dumped_one_per_line(tmp_path: Path, difficulty: int) -> None:
    out = tmp_path / "p.jsonl"
    # Enough lines to pass the 1 MiB flush more than once.
    count = 12_000
    assert write_problems(generate("arithmetic", seed=6, count=count, difficulty=difficulty), str(out)) == count
    expected = b"".join(
        orjson.dumps(p.to_dict(), option=orjson.OPT_APPEND_NEWLINE)
        for p in generate("arithmetic", seed=6, count=count, difficulty=difficulty)
    )
    assert len(expected) > 2 * 2**20
    assert out.read_bytes() == expected
