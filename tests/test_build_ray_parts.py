"""The Ray engine's pieces without a cluster: the ledger (journal + permits shared by workers) and the block plan."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from chukmath.build.ray_actors import Ledger, answered_keys, find_answers
from chukmath.build.ray_engine import plan_blocks
from chukmath.build.recipe import parse_recipe


def line(request_id: str, sample: int, content: str | None = "ok", error: dict | None = None) -> dict:
    return {"request_id": request_id, "sample": sample, "teacher": "openai", "model": "m", "content": content,
            "error": error}


def test_the_ledger_knows_the_journal_and_every_answer_appended_since(tmp_path):
    journal = tmp_path / "responses.jsonl"
    journal.write_bytes(orjson.dumps(line("a", 0)) + b"\n"
                        + orjson.dumps(line("b", 0, None, {"kind": "timeout", "message": "x"})) + b"\n"
                        + b'{"request_id": "c", "sa')  # a killed writer's torn line: cut, never read as an answer
    ledger = Ledger(str(journal), concurrency=2)

    async def run() -> list[bool]:
        assert await ledger.known(["a:0", "b:0", "c:0", "a:1"]) == [True, False, False, False]
        await ledger.enter(10)
        await ledger.leave(10, 7, line("b", 0, "fixed"))
        await ledger.enter(10)
        await ledger.leave(10, None, line("d", 1, None, {"kind": "server", "message": "500"}))
        return await ledger.known(["a:0", "b:0", "d:1"])

    assert asyncio.run(run()) == [True, True, False]  # an error line is not an answer: it is asked again
    asyncio.run(ledger.close())
    assert answered_keys(journal) == {"a:0", "b:0"}
    assert find_answers(journal, {"b:0", "d:1"}) == {"b:0": line("b", 0, "fixed")}


def test_the_ledger_holds_concurrency_for_all_callers(tmp_path):
    ledger = Ledger(str(tmp_path / "responses.jsonl"), concurrency=2)

    async def run() -> None:
        await ledger.enter(1)
        await ledger.enter(1)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(ledger.enter(1), 0.05)  # a third request waits for a slot
        await ledger.leave(1, None, None)
        await asyncio.wait_for(ledger.enter(1), 1.0)
        assert await ledger.stats() == {"peak": 2}

    asyncio.run(run())


def test_find_answers_passes_over_a_line_being_written(tmp_path):
    journal = tmp_path / "responses.jsonl"
    journal.write_bytes(orjson.dumps(line("a", 0, "first")) + b"\n" + orjson.dumps(line("a", 0, "last")) + b"\n"
                        + b'{"request_id": "a", "sample": 0, "con')
    assert find_answers(journal, {"a:0"})["a:0"]["content"] == "last"


@pytest.mark.parametrize(("start", "stop", "workers"), [(0, 1, 2), (0, 150, 2), (37, 20_000, 3), (5, 6, 64)])
def test_blocks_cover_the_span_once_in_order(start, stop, workers):
    recipe = parse_recipe(f'name = "p"\ncount = {stop}\n[[mix]]\ngenerator = "arithmetic"\n', "p.toml")
    blocks = plan_blocks(start, stop, workers, recipe)
    assert blocks[0][0] == start and blocks[-1][1] == stop
    assert all(a < b and b == c for (a, b), (c, _) in zip(blocks, [*blocks[1:], (stop, stop)], strict=True))
    assert max(b - a for a, b in blocks) <= 2048
    assert len(blocks) >= min(stop - start, 4 * workers) or max(b - a for a, b in blocks) == 2048


def test_outcomes_travel_to_the_driver_unchanged(tmp_path):
    import pickle

    from chukmath.build import load_recipe, stages
    from chukmath.build.ray_work import Outcome, dump_outcomes
    from chukmath.teach.builtin import builtin_response

    path = tmp_path / "r.toml"
    path.write_text('name = "t"\ncount = 3\n[[mix]]\ngenerator = "fractions"\n[teacher]\nkind = "builtin"\n')
    recipe = load_recipe(path)
    prompting = stages.load_prompting(recipe, tmp_path)
    problems = list(stages.problems(stages.load_mix(recipe, str(path)), recipe, 0, 3))
    requests = [prompting.request(p) for p in problems]
    outcomes = [Outcome(p, r.id, r, [builtin_response(r, 0, p), None]) for p, r in zip(problems, requests, strict=True)]
    back = pickle.loads(dump_outcomes((None, outcomes)))
    assert back == (None, outcomes)
    assert [o.problem.to_dict() for o in back[1]] == [p.to_dict() for p in problems]
