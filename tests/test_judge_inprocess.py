"""The answer judge over an injected httpx transport: decide, journal, review and resume, with no server."""

from __future__ import annotations

import httpx
import orjson

from chukmath.judge import AnswerJudge, JudgeSettings
from chukmath.records import Problem, Response
from chukmath.verify import verify_response

PROBLEM = Problem(id="p1", generator="word_problem", difficulty=1, seed=0, index=0, question="How many apples?",
                  expression="2 + 3", answer="5")  # fmt: skip


def reply(request: httpx.Request) -> httpx.Response:
    prompt = orjson.loads(request.content)["messages"][0]["content"]
    verdict = "equivalent" if "<prediction>five apples</prediction>" in prompt else "not_equivalent"
    body = {"choices": [{"message": {"content": f"<verdict>{verdict}</verdict>"}, "finish_reason": "stop"}]}
    return httpx.Response(200, json=body)


def answer(text: str) -> Response:
    return Response("r-" + text, 0, "openai", "m", f"<think>2 and 3 make it.</think>\n<answer>{text}</answer>\n"
                    f"<verifier_answer>{text}</verifier_answer>")


def test_the_judge_decides_unparseable_answers_journals_them_and_a_rerun_asks_nothing(tmp_path):
    calls: list[httpx.Request] = []

    def counted(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return reply(request)

    settings = JudgeSettings(base_url="http://judge.invalid/v1", model="judge-m")
    responses = [answer("five apples"), answer("a dozen or so")]
    judge = AnswerJudge(settings, tmp_path / "judge.jsonl", transport=httpx.MockTransport(counted))
    try:
        judge.decide_sync(judge.undecided(PROBLEM, responses))
        verdicts = [judge.review(PROBLEM, r, verify_response(PROBLEM, r)) for r in responses]
    finally:
        judge.close()
    assert len(calls) == 2
    assert verdicts[0].accepted and verdicts[0].judged_by == "judge-m"
    assert not verdicts[1].accepted and "wrong_answer" in verdicts[1].reasons
    again = AnswerJudge(settings, tmp_path / "judge.jsonl", transport=httpx.MockTransport(counted))
    try:
        assert again.undecided(PROBLEM, responses) == []
    finally:
        again.close()
    assert len(calls) == 2
