"""The answer engine (chukmath.teach.engine): order, resume from the journal, repeats, the window, stop and errors."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from chukmath.errors import TeacherError
from chukmath.records import Request, Response
from chukmath.teach.engine import Unit, answer_units, answer_units_now
from chukmath.teach.journal import Journal
from chukmath.teach.progress import Counters


def _request(n: int) -> Request:
    rid = hashlib.blake2b(str(n).encode(), digest_size=16).hexdigest()  # like a content hash: unique in front
    return Request(id=rid, problem_id=f"p{n}", template="t", template_hash="h",
                   messages=[{"role": "user", "content": str(n)}])  # fmt: skip


class SlowFirst:
    """Answers request n after (count - n) ticks, so later requests finish first; counts what it was asked."""

    name = "slow"
    model = "m"

    def __init__(self, count: int, fail_at: int | None = None) -> None:
        self.count = count
        self.fail_at = fail_at
        self.asked: list[tuple[str, int]] = []
        self.in_flight = 0
        self.peak = 0

    async def answer(self, request: Request, sample: int) -> Response:
        n = int(request.problem_id[1:])
        self.asked.append((request.id, sample))
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(0.001 * (self.count - n))
            if n == self.fail_at:
                raise TeacherError("the key was refused")
        finally:
            self.in_flight -= 1
        return Response(request_id=request.id, sample=sample, teacher=self.name, model=self.model,
                        content=f"answer {n}.{sample}")  # fmt: skip


async def _collect(teacher: SlowFirst, units: list[Unit], **kwargs: object) -> list[Unit]:
    return [unit async for unit in answer_units(teacher, units, **kwargs)]  # type: ignore[arg-type]


def test_ordered_units_leave_in_input_order_and_every_answer_is_journaled(tmp_path: Path) -> None:
    teacher = SlowFirst(12)
    units = [Unit(_request(n), range(2), item=n) for n in range(12)]
    with Journal(tmp_path / "j.jsonl") as journal:
        out = asyncio.run(_collect(teacher, units, concurrency=4, journal=journal))
    assert [u.item for u in out] == list(range(12))
    assert all(u.complete and [r.sample for r in u.answers()] == [0, 1] for u in out)
    assert teacher.peak <= 4
    with Journal(tmp_path / "j.jsonl") as journal:
        assert len(journal) == 24 and journal.get(_request(5).id, 1).content == "answer 5.1"  # type: ignore[union-attr]


def test_a_resume_asks_only_what_the_journal_lacks(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    with Journal(path) as journal:
        for n in range(0, 10, 2):
            journal.append(Response(request_id=_request(n).id, sample=0, teacher="t", model="m", content="old"))
    teacher = SlowFirst(10)
    counters = Counters(total=10)
    with Journal(path) as journal:
        out = asyncio.run(_collect(teacher, [Unit(_request(n), (0,), n) for n in range(10)], concurrency=3,
                                   journal=journal, counters=counters))  # fmt: skip
    assert sorted(teacher.asked) == sorted((_request(n).id, 0) for n in (1, 3, 5, 7, 9))
    assert (counters.resumed, counters.asked, counters.answered) == (5, 5, 10)
    assert [u.answers()[0].content for u in out][:2] == ["old", "answer 1.0"]


def test_unordered_with_dedupe_asks_a_repeated_key_once(tmp_path: Path) -> None:
    teacher = SlowFirst(6)
    counters = Counters(total=0)
    units = [Unit(_request(n % 3), (0,)) for n in range(6)]
    with Journal(tmp_path / "j.jsonl") as journal:
        out = asyncio.run(_collect(teacher, units, concurrency=2, journal=journal, ordered=False, dedupe=True,
                                   counters=counters))  # fmt: skip
    assert len(out) == 6 and len(teacher.asked) == 3 and counters.duplicates == 3


def test_a_fatal_teacher_error_is_raised_after_the_answers_in_flight_landed(tmp_path: Path) -> None:
    teacher = SlowFirst(8, fail_at=0)  # the first request is the slowest and fails last
    with Journal(tmp_path / "j.jsonl") as journal, pytest.raises(TeacherError, match="refused"):
        asyncio.run(_collect(teacher, [Unit(_request(n), (0,)) for n in range(8)], concurrency=8, journal=journal))
    with Journal(tmp_path / "j.jsonl") as journal:
        assert len(journal) == 7  # every other answer was journaled before the error came out


def test_the_plain_loop_reanswers_and_journals_only_changed_answers(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    with Journal(path) as journal:
        journal.append(Response(request_id=_request(0).id, sample=0, teacher="b", model="m", content="same"))
        journal.append(Response(request_id=_request(1).id, sample=0, teacher="b", model="m", content="stale"))

    def answer(request: Request, sample: int, item: object) -> Response:
        return Response(request_id=request.id, sample=sample, teacher="b", model="m", content="same")

    counters = Counters(total=3)
    with Journal(path) as journal:
        out = list(answer_units_now(answer, [Unit(_request(n), (0,), n) for n in range(3)], journal=journal,
                                    counters=counters, reanswer=True))  # fmt: skip
    assert [u.item for u in out] == [0, 1, 2] and (counters.resumed, counters.asked) == (1, 2)
    assert len(path.read_bytes().splitlines()) == 4  # two new lines: the changed answer and the missing one
