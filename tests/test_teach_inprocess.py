"""The openai teacher over an injected httpx transport: its retry, error and scrubbing logic runs in-process, no server.

The end-to-end behaviour (real sockets, the lean client, kill -9, the CLI) is covered by the loopback-server tests;
these check what the teacher does with each answer an endpoint can give.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable

import httpx
import orjson
import pytest
from test_teach_support import user_request

from chukmath.errors import TeacherError
from chukmath.records import Request, Response
from chukmath.teach import OpenAIConfig, OpenAITeacher, RetryPolicy, answer_stream

URL = "http://endpoint.invalid/v1"
KEY = "sk-inprocess-0123456789abcdef"
FAST = RetryPolicy(max_retries=2, base_s=0.001, cap_s=0.001)


def completion(content: str, **message: str) -> httpx.Response:
    body = {"model": "served-model", "choices": [{"message": {"content": content, **message},
                                                 "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8}}
    return httpx.Response(200, json=body)


def ask(handler: Callable[[httpx.Request], httpx.Response], *requests: Request, samples: int = 1,
        **config: object) -> list[Response]:
    settings: dict = {"base_url": URL, "model": "m", "api_key": KEY, "retry": FAST, **config}

    async def run() -> list[Response]:
        async with OpenAITeacher(OpenAIConfig(**settings), transport=httpx.MockTransport(handler)) as teacher:
            items = ((r, s) for r in requests for s in range(samples))
            return [resp async for resp in answer_stream(teacher, items, concurrency=4)]

    return asyncio.run(run())


def test_answers_carry_content_reasoning_usage_and_each_sample_its_seed():
    bodies: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url == httpx.URL(URL + "/chat/completions")
        assert request.headers["authorization"] == f"Bearer {KEY}"
        bodies.append(orjson.loads(request.content))
        return completion("<answer>2</answer>", reasoning_content="1 + 1 = 2")

    out = ask(handler, user_request("1 + 1?", "p0"), samples=3, seed=7, temperature=0.5)
    assert sorted(b["seed"] for b in bodies) == [7, 8, 9] and all(b["temperature"] == 0.5 for b in bodies)
    assert {(r.content, r.reasoning_content, r.model, r.attempts) for r in out} == {
        ("<answer>2</answer>", "1 + 1 = 2", "served-model", 1)}
    assert all(r.usage == {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8} for r in out)


def test_429_and_5xx_are_retried_and_a_bad_body_is_journaled_as_bad_body():
    calls: dict[str, int] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        text = orjson.loads(request.content)["messages"][0]["content"]
        calls[text] = calls.get(text, 0) + 1
        if text == "busy" and calls[text] == 1:
            return httpx.Response(429, headers={"retry-after": "0"}, json={"error": {"message": "slow down"}})
        if text == "flaky" and calls[text] <= 2:
            return httpx.Response(503, text="overloaded")
        if text == "garbage":
            return httpx.Response(200, content=b"<html>not json</html>")
        return completion("ok")

    first = ask(handler, user_request("fine", "p0"))  # a success first: later failures are per request
    assert first[0].ok
    out = {r.request_id: r for r in ask(handler, *(user_request(t, t) for t in ("fine", "busy", "flaky", "garbage")))}
    by_text = {t: out[user_request(t, t).id] for t in ("busy", "flaky", "garbage")}
    assert by_text["busy"].ok and by_text["busy"].attempts == 2
    assert by_text["flaky"].ok and by_text["flaky"].attempts == 3
    garbage = by_text["garbage"]
    assert not garbage.ok and garbage.error["kind"] == "bad_body" and garbage.attempts == FAST.max_retries + 1


def test_a_refused_key_stops_the_run_before_anything_is_recorded_and_never_shows_the_key():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": {"message": f"invalid key {KEY}"}})

    with pytest.raises(TeacherError, match="refused the first request") as err:
        ask(handler, user_request("1 + 1?", "p0"))
    assert KEY not in str(err.value)


def test_a_key_echoed_in_the_answer_is_scrubbed_before_it_is_returned():
    out = ask(lambda request: completion(f"my key is {KEY}", reasoning_content=f"{KEY}!"), user_request("q", "p0"))
    assert KEY not in (out[0].content or "") + (out[0].reasoning_content or "")
    assert "***" in (out[0].content or "")


def test_a_timeout_on_every_attempt_is_an_error_the_first_time_nothing_ever_answered():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("no answer", request=request)

    with pytest.raises(TeacherError, match="no answer to the first request after 3 attempt"):
        ask(handler, user_request("q", "p0"))


def test_the_anthropic_teacher_runs_over_the_same_seam():
    import anthropic

    from chukmath.teach.anthropic_teacher import AnthropicConfig, AnthropicTeacher

    # The SDK's own HTTP library (httpx, or httpx2 in newer releases) supplies the transport.
    client_base = next(c for c in anthropic.DefaultAsyncHttpxClient.__mro__ if c.__name__ == "AsyncClient")
    sdk_http = sys.modules[client_base.__module__.split(".")[0]]
    seen: list[dict] = []

    def handler(request):
        # The key goes as x-api-key or as a bearer token, by SDK release.
        sent = request.headers.get("x-api-key", "") + request.headers.get("authorization", "")
        assert request.url.path == "/v1/messages" and KEY in sent
        seen.append(orjson.loads(request.content))
        return sdk_http.Response(200, json={
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-served",
            "content": [{"type": "thinking", "thinking": "2 + 2 = 4", "signature": "s"},
                        {"type": "text", "text": "<answer>4</answer>"}],
            "stop_reason": "end_turn", "usage": {"input_tokens": 7, "output_tokens": 3},
        })

    async def run() -> Response:
        config = AnthropicConfig(base_url="http://anthropic.invalid", model="claude-m", api_key=KEY, max_tokens=64,
                                 retry=FAST)
        teacher = AnthropicTeacher(config, transport=sdk_http.MockTransport(handler))
        try:
            return await teacher.answer(user_request("2 + 2?", "p0"), 0)
        finally:
            await teacher.aclose()

    out = asyncio.run(run())
    assert (out.content, out.reasoning_content, out.model) == ("<answer>4</answer>", "2 + 2 = 4", "claude-served")
    assert out.usage == {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}
    assert seen[0]["max_tokens"] == 64 and seen[0]["messages"][0]["content"] == "2 + 2?"
