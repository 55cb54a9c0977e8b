"""Which model answers an evaluation: any provider whose spec evaluates (:data:`chukmath.teach.specs.EVAL_SPECS`:
the built-in teacher, a correct reference; an OpenAI-compatible endpoint such as vLLM, llama.cpp, SGLang or a hosted
API; a local ``transformers`` model), made by its spec's ``evaluator`` from the same teach-stage classes
``chukmath teach`` and ``build`` use. Nothing here names a kind: a provider is offered by its spec alone."""

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
        """What eval.json records about decoding: the settings the provider's spec names (``eval_records``), each
        when set (a long chat template as ``"given"``)."""
        out: dict[str, Any] = {}
        for name in _spec_type(self.kind).eval_records:
            value = self.chosen_temperature(samples) if name == "temperature" else self._setting(name)
            if value is None or value == "":
                continue
            out[name] = "given" if isinstance(value, str) and len(value) >= _LONG_TEXT else value
        return out

    def build(self, problems: Sequence[Problem], samples: int) -> Teacher:
        """The teacher object, made by its spec's ``evaluator`` (an API endpoint's key is read from ``api_key_env``
        there and kept only in memory); the settings left unset (``top_p``, ``seed``) are the spec's own for a
        local teacher and the endpoint's for an API one."""
        fields = _spec_type(self.kind).model_fields
        values = {name: getattr(self, name) for name in _OWN if name in fields}
        values["temperature"] = self.chosen_temperature(samples)
        unsent = [name for name in _ENDPOINT_DEFAULTS if values.get(name) is None]
        settings = {name: value for name, value in values.items() if value is not None}
        return _spec(self.kind, **{**settings, **self.settings}).evaluator({p.id: p for p in problems}, unsent)

    def _setting(self, name: str) -> Any:
        return getattr(self, name) if name in _OWN else self.settings.get(name)


# Sampling settings an API teacher leaves to the endpoint unless given.
_ENDPOINT_DEFAULTS = ("top_p", "seed")
# A text setting this long is recorded as "given" (a chat template's Jinja, not its name).
_LONG_TEXT = 200
# eval's own settings (the fields above); any other setting of a spec comes in ``settings``.
_OWN = tuple(f.name for f in dataclasses.fields(TeacherSpec) if f.name not in ("kind", "settings"))


def _spec_type(kind: str) -> type[BaseTeacherSpec]:
    spec_type = EVAL_SPECS.get(kind)
    if spec_type is None:
        raise ConfigError(f"--teacher {kind!r}: choose {', '.join(EVAL_SPECS)}")
    return spec_type


def _spec(kind: str, **settings: Any) -> BaseTeacherSpec:
    # The eval teacher's spec; a bad setting is named by its command-line flag (--max-tokens for max_tokens).
    try:
        return _spec_type(kind).model_validate({**settings, "kind": kind})
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "teacher"
        shown = f" {settings[name]!r}" if name in settings else ""
        raise ConfigError(f"--{name.replace('_', '-')}{shown}: {error['msg']}") from None


__all__ = ["KINDS", "TeacherSpec"]
