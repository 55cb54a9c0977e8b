"""The writer's library API: row building, selection, stats, and the on-disk index, with real files."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_write_support import P0_A, P0_B, make_case, read_jsonl, request_for, response, trace, write_jsonl

from chukmath.errors import ConfigError, InputError
from chukmath.records import Problem, Request, Response
from chukmath.verify import Policy
from chukmath.write import (
    DUPLICATE,
    OVER_CAP,
    REJECTED,
    WRITTEN,
    Candidate,
    DatasetPaths,
    LengthHistogram,
    SelectOptions,
    StatsAccumulator,
    assistant_content,
    select_samples,
    user_messages,
    write_dataset,
)


def test_assistant_content_is_normalized() -> None:
    assert assistant_content("  44 + 41 = 85 \n", " 110 ", "110") == (
        "<think>\n44 + 41 = 85\n</think>\n<answer>110</answer>\n<verifier_answer>110</verifier_answer>"
    )
    assert assistant_content("x", "1", "1", strip_verifier_answer=True) == "<think>\nx\n</think>\n<answer>1</answer>"
    assert assistant_content("x", "1", None) == "<think>\nx\n</think>\n<answer>1</answer>"


def test_user_messages_question_prompt_and_system() -> None:
    prob = Problem.from_dict(make_problem())
    req = Request.from_dict(request_for(make_problem()))
    assert user_messages(prob, req, "question", None) == [{"role": "user", "content": "What is 2 + 3?"}]
    assert user_messages(prob, req, "question", "Be brief.") == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "What is 2 + 3?"},
    ]
    assert user_messages(prob, req, "prompt", None) == req.messages
    # --system replaces the prompt's own system message instead of stacking a second one.
    assert user_messages(prob, req, "prompt", "Be brief.") == [
        {"role": "system", "content": "Be brief."},
        req.messages[1],
    ]


def make_problem() -> dict:
    return {
        "id": "arith-9",
        "generator": "arithmetic",
        "difficulty": 1,
        "seed": 1,
        "index": 9,
        "question": "What is 2 + 3?",
        "expression": "2 + 3",
        "answer": "5",
        "meta": {},
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"keep": "some"}, "--keep 'some'"),
        ({"user_turn": "chat"}, "--user-turn 'chat'"),
        ({"keep": "all", "max_per_problem": 0}, "at least 1"),
        ({"keep": "first", "max_per_problem": 3}, "use --keep all"),
        ({"language": "klingon"}, "language 'klingon' is not supported"),
    ],
)
def test_select_options_are_validated(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        SelectOptions(**kwargs)


def _candidates(texts: list[str]) -> tuple[Problem, list[Candidate]]:
    prob = Problem.from_dict(make_problem())
    req = Request.from_dict(request_for(make_problem()))
    return prob, [Candidate(req, Response.from_dict(response(req.id, i, t))) for i, t in enumerate(texts)]


def test_selection_keep_first_all_cap_and_duplicates() -> None:
    ok_a = trace("2 + 3 = 5", "5", "5")
    ok_b = trace("Start from 2 and count up 3.\n2 + 3 = 5", "5", "5")
    ok_c = trace("3 + 2 = 5", "5", "5")
    wrong = trace("2 + 3 = 6", "6", "6")
    prob, cands = _candidates([wrong, ok_a, ok_a, ok_b, ok_c])
    policy = Policy.from_spec("all")

    first = select_samples(prob, cands, policy, SelectOptions())
    assert [o.status for o in first.outcomes] == [REJECTED, WRITTEN, DUPLICATE, OVER_CAP, OVER_CAP]
    assert [row["messages"][-1]["content"] for row in first.rows] == [ok_a]
    assert [row["reasons"][0] for row in first.rejects] == ["wrong_answer"]

    capped = select_samples(prob, cands, policy, SelectOptions(keep="all", max_per_problem=2))
    assert [o.status for o in capped.outcomes] == [REJECTED, WRITTEN, DUPLICATE, WRITTEN, OVER_CAP]

    everything = select_samples(prob, cands, policy, SelectOptions(keep="all"))
    assert [row["messages"][-1]["content"] for row in everything.rows] == [ok_a, ok_b, ok_c]

    # The caller's order does not matter: candidates are taken by sample index.
    shuffled = list(cands)
    random.Random(3).shuffle(shuffled)
    again = select_samples(prob, shuffled, policy, SelectOptions(keep="all"))
    assert again.rows == everything.rows and again.rejects == everything.rejects


def test_fenced_response_is_written_without_its_fence() -> None:
    ok = trace("2 + 3 = 5", "5", "5")
    prob, cands = _candidates(["```markdown\n" + ok + "\n```", ok])
    result = select_samples(prob, cands, Policy.from_spec("all"), SelectOptions(keep="all"))
    # Accepted under the default policy, rebuilt from its parts: the plain copy after it is a duplicate.
    assert [o.status for o in result.outcomes] == [WRITTEN, DUPLICATE]
    assert [row["messages"][-1]["content"] for row in result.rows] == [ok]


def test_selection_reports_failed_lines_as_no_response() -> None:
    prob, cands = _candidates([trace("2 + 3 = 5", "5", "5")])
    failed = Response.from_dict(response(cands[0].request.id, 1, None, error={"kind": "timeout", "message": "t"}))
    result = select_samples(
        prob, [*cands, Candidate(cands[0].request, failed)], Policy.from_spec("all"), SelectOptions()
    )
    assert [o.status for o in result.outcomes] == [WRITTEN, "no_response"]
    stats = StatsAccumulator()
    stats.add_result(prob, result)
    totals = stats.to_dict()["totals"]
    assert (totals["responses"], totals["no_response"], totals["written"]) == (1, 1, 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=300))
def test_length_histogram_is_exact(values: list[int]) -> None:
    hist = LengthHistogram()
    for v in values:
        hist.add(v)
    ordered = sorted(values)
    d = hist.to_dict()
    for p, key in ((50, "p50"), (90, "p90"), (99, "p99")):
        assert d[key] == ordered[max(1, math.ceil(p / 100 * len(values))) - 1]
    assert (d["count"], d["min"], d["max"]) == (len(values), ordered[0], ordered[-1])
    assert d["mean"] == round(sum(values) / len(values), 3)


def test_empty_histogram_has_no_figures() -> None:
    assert LengthHistogram().to_dict()["p50"] is None


def test_write_dataset_orders_by_problem_index(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    stats = write_dataset(
        DatasetPaths(case.problems, case.requests, case.journal), tmp_path / "out", options=SelectOptions(keep="all")
    )
    rows = read_jsonl(tmp_path / "out" / "train.jsonl")
    assert [r["problem_id"] for r in rows] == ["arith-0", "arith-0", "frac-1", "arith-2"]
    assert [r["messages"][-1]["content"] for r in rows[:2]] == [P0_A, P0_B]
    assert stats["totals"]["orphan_journal_keys"] == 1
    # The scratch index is removed; only the three outputs remain.
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["rejects.jsonl", "stats.json", "train.jsonl"]


def test_duplicate_problem_ids_are_refused_with_both_lines(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    lines = case.problems.read_bytes()
    case.problems.write_bytes(lines + lines.splitlines(keepends=True)[0])
    with pytest.raises(InputError, match=r"problems.jsonl:7: duplicate problem id 'arith-2' \(first at line 1\)"):
        write_dataset(DatasetPaths(case.problems, case.requests, case.journal), tmp_path / "out")


def test_torn_last_journal_line_is_ignored(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    full = write_dataset(DatasetPaths(case.problems, case.requests, case.journal), tmp_path / "a")
    with case.journal.open("ab") as fh:
        fh.write(b'{"request_id": "abc", "sample": 0, "con')
    torn = write_dataset(DatasetPaths(case.problems, case.requests, case.journal), tmp_path / "b")
    assert torn == full
    assert (tmp_path / "a" / "train.jsonl").read_bytes() == (tmp_path / "b" / "train.jsonl").read_bytes()


def test_last_success_wins_over_earlier_success(tmp_path: Path) -> None:
    prob = make_problem()
    req = request_for(prob)
    first = trace("2 + 3 = 5", "5", "5")
    second = trace("Adding: 2 + 3 = 5", "5", "5")
    files = DatasetPaths(
        write_jsonl(tmp_path / "p.jsonl", [prob]),
        write_jsonl(tmp_path / "q.jsonl", [req]),
        write_jsonl(
            tmp_path / "r.jsonl",
            [
                response(req["id"], 0, first),
                response(req["id"], 0, second),
                response(req["id"], 0, None, error={"kind": "http_5xx", "message": "502"}),
            ],
        ),
    )
    stats = write_dataset(files, tmp_path / "out")
    assert [r["messages"][-1]["content"] for r in read_jsonl(tmp_path / "out" / "train.jsonl")] == [second]
    assert stats["totals"]["responses"] == 1 and stats["totals"]["no_response"] == 0
