"""Decontamination windows: a shared run of 8 normalised words is contamination, 7 is not, and a short benchmark
question matches only the same short question."""

from __future__ import annotations

import orjson
import pytest

from chukmath.decontaminate import Decontaminator
from chukmath.errors import InputError

BENCH = "Janet has 1,200 ducks that lay 16 eggs per day and she sells the rest at the market."


@pytest.fixture
def index(tmp_path) -> Decontaminator:
    path = tmp_path / "bench.jsonl"
    rows = [{"problem": BENCH}, {"problem": "What is 2 + 3?"}, {"problem": None}]
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return Decontaminator.from_files([path])


def test_a_shared_window_of_eight_words_is_found_after_normalisation(index):
    # "janet has 1200 ducks that lay 16 eggs" — eight tokens, with the digit grouping and case changed.
    assert index.check("A story: JANET has 1200 ducks that lay 16 eggs, then what?") is not None
    assert index.check("Janet has 1200 ducks that lay 16 hens") is None  # seven shared tokens, then another word
    assert index.check("what is 2+3 ?").row == 1  # a short question is one window of its own
    assert index.check("What is 2 + 3 + 4?") is None
    assert index.benchmarks[0]["column"] == "problem" and index.benchmarks[0]["questions"] == 2


def test_admits_counts_and_keeps_examples(index):
    assert index.admits("a", "Unrelated: how many apples are in 3 baskets of 4?")
    assert not index.admits("b", "what is 2 + 3?")
    report = index.report()
    assert report["checked"] == 2 and report["dropped"] == 1 and report["examples"][0]["problem_id"] == "b"


def test_a_missing_file_or_column_is_named(tmp_path):
    with pytest.raises(InputError, match="no such benchmark file"):
        Decontaminator.from_files([tmp_path / "none.jsonl"])
    path = tmp_path / "b.jsonl"
    path.write_bytes(orjson.dumps({"text": "x"}) + b"\n")
    with pytest.raises(InputError, match=r"b\.jsonl:1: no field question or problem \(fields: text\)"):
        Decontaminator.from_files([path])
