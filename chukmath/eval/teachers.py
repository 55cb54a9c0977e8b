"""Which model answers an evaluation: the built-in teacher (a correct reference), an OpenAI-compatible endpoint
(vLLM, llama.cpp, SGLang, a hosted API) or a local ``transformers`` model — each made from the same teach-stage
classes ``chukmath teach`` and ``build`` use."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from chukmath.errors import ConfigError
from chukmath.records import Problem
from chukmath.teach.base import Teacher
from chukmath.teach.specs import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_S, EVAL_SPECS, BaseTeacherSpec

KINDS: tuple[str, ...] = tuple(EVAL_SPECS)
DEFAULT_MAX_TOKENS = 4096
DEFAULT_SAMPLING_TEMPERATURE = 0.6


@dataclass
class TeacherSpec:
    """The teacher of an eval. ``temperature`` None: greedy (0) with one sample, 0.6 with several (pass@k needs
    samples that differ)."""

    kind: str = "builtin"
    model: str = ""
    base_url: str | list[str] | None = None  # several: a fleet of servers of the same model (openai)
    api_key_env: str = "OPENAI_API_KEY"
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int = DEFAULT_MAX_TOKENS
    seed: int | None = None
    timeout: float = DEFAULT_TIMEOUT_S
    max_retries: int = DEFAULT_MAX_RETRIES
    extra_body: dict[str, Any] = field(default_factory=dict)
    gguf_file: str | None = None
    batch_size: int = 16
    device: str = "auto"
    dtype: str = "auto"
    chat_template: str | None = None
    # Any other setting of the provider's spec (chukmath.teach.specs), by field name: rpm, trace_style, ...
    settings: dict[str, Any] = field(default_factory=dict)

    def chosen_temperature(self, samples: int) -> float:
        if self.temperature is not None:
            return self.temperature
        return 0.0 if samples == 1 else DEFAULT_SAMPLING_TEMPERATURE

    def sampling(self, samples: int) -> dict[str, Any]:
        """What eval.json records about decoding."""
        if self.kind == "builtin":
            return {}
        out: dict[str, Any] = {"temperature": self.chosen_temperature(samples), "max_tokens": self.max_tokens}
        if self.top_p is not None:
            out["top_p"] = self.top_p
        if self.seed is not None:
            out["seed"] = self.seed
        if self.kind == "transformers":
            out.update(batch_size=self.batch_size, device=self.device, dtype=self.dtype)
            if self.chat_template:
                out["chat_template"] = self.chat_template if len(self.chat_template) < 200 else "given"
        return out

    def build(self, problems: Sequence[Problem], samples: int) -> Teacher:
        """The teacher object, made by its spec (the endpoint's key is read from ``api_key_env`` here and kept only
        in memory)."""
        if self.kind not in EVAL_SPECS:
            raise ConfigError(f"--teacher {self.kind!r}: choose {', '.join(KINDS)}")
        if self.kind == "builtin":
            return _spec("builtin", **self.settings).make(problems={p.id: p for p in problems})
        temperature = self.chosen_temperature(samples)
        if self.kind == "openai":
            from chukmath.teach.retry import RetryPolicy
            from chukmath.teach.specs import CLI_LABELS, resolve_endpoint

            # The same resolver as build and teach: --base-url, else OPENAI_BASE_URL, else OpenAI's API.
            spec = EVAL_SPECS["openai"].model_construct(api_key_env=self.api_key_env)
            urls = [self.base_url] if isinstance(self.base_url, str) else list(self.base_url or [])
            urls = [url for url in urls if url]
            endpoint = resolve_endpoint(spec, urls, labels=CLI_LABELS)
            if self.settings:
                spec = _spec("openai", **self.settings)
            config = dataclasses.replace(
                spec.client_config(endpoint), model=self.model, temperature=temperature, top_p=self.top_p,
                max_tokens=self.max_tokens, seed=self.seed, extra_body=dict(self.extra_body), timeout=self.timeout,
                retry=RetryPolicy(max_retries=self.max_retries),
            )  # fmt: skip
            config.validate()
            return spec.live_teacher(config)
        return _spec(
            self.kind, model=self.model, gguf_file=self.gguf_file, batch_size=self.batch_size,
            max_tokens=self.max_tokens, temperature=temperature, top_p=self.top_p or 1.0, seed=self.seed or 0,
            device=self.device, dtype=self.dtype, chat_template=self.chat_template, **self.settings,
        ).make()  # fmt: skip


def _spec(kind: str, **settings: Any) -> BaseTeacherSpec:
    # The eval teacher's spec; a bad setting is named by its command-line flag (--max-tokens for max_tokens).
    try:
        return EVAL_SPECS[kind].model_validate({**settings, "kind": kind})
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "teacher"
        shown = f" {settings[name]!r}" if name in settings else ""
        raise ConfigError(f"--{name.replace('_', '-')}{shown}: {error['msg']}") from None


__all__ = ["KINDS", "TeacherSpec"]
