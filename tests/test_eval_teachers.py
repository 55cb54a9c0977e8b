"""eval's teacher is made by its provider's spec: a new API provider is one spec entry, eval names no kind."""

from __future__ import annotations

from typing import ClassVar, Literal

import pytest

from chukmath.eval.teachers import TeacherSpec
from chukmath.generate import generate
from chukmath.records import Problem
from chukmath.teach import specs
from chukmath.teach.base import Teacher
from chukmath.teach.openai_teacher import OpenAIConfig, OpenAITeacher


class _HostedTeacher(OpenAITeacher):
    pass


class _HostedSpec(specs.OpenAISpec):
    """A provider registered in the spec table alone (what a new API provider adds)."""

    kind: Literal["hosted"] = "hosted"  # type: ignore[assignment]
    url_env: ClassVar[str] = "HOSTED_BASE_URL"
    key_env: ClassVar[str] = "HOSTED_API_KEY"

    def live_teacher(self, config: OpenAIConfig) -> Teacher:
        return _HostedTeacher(config)


def _problems() -> list[Problem]:
    return [Problem(**row) for row in generate("arithmetic", seed=1, count=2, difficulty=1).rows()]


def test_a_new_api_provider_is_asked_through_its_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(specs.EVAL_SPECS, "hosted", _HostedSpec)
    monkeypatch.setenv("HOSTED_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("HOSTED_API_KEY", "sk-hosted-test")
    chosen = TeacherSpec(kind="hosted", model="m", max_tokens=64, extra_body={"top_k": 5}, settings={"rpm": 30})
    teacher = chosen.build(_problems(), samples=1)
    assert isinstance(teacher, _HostedTeacher)
    config = teacher.config
    # The spec's resolver found its URL and key; top_p and seed, not given, are left to the endpoint.
    assert (config.base_url, config.api_key, config.api_key_env) == ("http://127.0.0.1:9/v1", "sk-hosted-test",
                                                                      "HOSTED_API_KEY")  # fmt: skip
    assert (config.model, config.temperature, config.top_p, config.seed, config.max_tokens) == ("m", 0.0, None, None,
                                                                                                64)  # fmt: skip
    assert config.extra_body == {"top_k": 5} and config.rpm == 30
    assert chosen.sampling(1) == {"temperature": 0.0, "max_tokens": 64}
    given = TeacherSpec(kind="hosted", model="m", top_p=0.9, seed=3).build(_problems(), samples=4)
    assert (given.config.temperature, given.config.top_p, given.config.seed) == (0.6, 0.9, 3)  # type: ignore[attr-defined]


def test_eval_teachers_record_what_their_spec_names() -> None:
    assert TeacherSpec(kind="builtin").sampling(1) == {}  # the built-in teacher does not sample
    local = TeacherSpec(kind="transformers", model="x", device="cpu", chat_template="chatml", seed=2)
    assert local.sampling(2) == {"temperature": 0.6, "max_tokens": 4096, "seed": 2, "batch_size": 16, "device": "cpu",
                                 "dtype": "auto", "chat_template": "chatml"}  # fmt: skip
    assert TeacherSpec(kind="transformers", chat_template="{{ x }}" * 40).sampling(1)["chat_template"] == "given"
