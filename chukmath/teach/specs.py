"""Teacher specs: one config model per provider, with its settings and their defaults, whether it is paid, how it
answers (``offline``, ``live`` request by request, or in ``bulk`` through a batch API) and the factory that makes it.

The recipe's ``[teacher]`` table is the union of these models, chosen by ``kind`` (:data:`TeacherSpec`);
``chukmath teach``, ``build`` and ``eval`` make their teacher options from their fields (flag, help text from the
``description``, default: :mod:`chukmath.cli.teacher_options`), and :func:`resolve_endpoint` is the one place a base
URL and an API key are found. Adding a provider is one class here, in ``SPECS`` and ``TeacherSpec`` (plus its teacher
module); adding a setting is one field, with a ``description``.

One set of defaults for every entry point: a request attempt times out after ``DEFAULT_TIMEOUT_S`` (120 s) and a
failed one (429, 5xx, a timeout, a dropped connection) is retried up to ``DEFAULT_MAX_RETRIES`` (5) times. Raise
the timeout for long reasoning answers (``[teacher] timeout``, ``--timeout``).

Every spec keeps the settings the ``[teacher]`` table has always had, in the same order, so manifest.json and the
fingerprint of a run are what they were before the table was split by provider and old runs resume.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_serializer

from chukmath.errors import ConfigError, TeacherError
from chukmath.teach.redact import check_api_key, check_base_url, is_loopback, safe_url

if TYPE_CHECKING:
    from chukmath.eval.transformers_teacher import TransformersConfig
    from chukmath.records import Problem
    from chukmath.teach.base import Teacher
    from chukmath.teach.openai_teacher import OpenAIConfig

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MAX_RETRIES = 5
DEFAULT_CONCURRENCY = 16
OPENAI_URL = "https://api.openai.com/v1"
ANTHROPIC_URL = "https://api.anthropic.com"
CLASSIC_STYLE = "classic"

Mode = Literal["offline", "live", "bulk"]


def _used_by(*modes: Mode) -> dict[str, Any]:
    # Which providers use a setting every spec has, by how they answer (the command line offers it, and says for
    # which kinds, only where one of them is offered: chukmath.cli.teacher_options).
    return {"x-cli": {"modes": list(modes)}}


def _short(flag: str) -> dict[str, Any]:
    # The setting's short flag on the command line (besides --name).
    return {"x-cli": {"short": flag}}


class _Strict(BaseModel):
    # strict: a TOML string where a number or a boolean belongs ("10", "yes") is an error, not silently converted;
    # TOML's inf and nan are refused too (a timeout or a price of inf is never meant).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class BaseTeacherSpec(_Strict):
    """The settings every provider's spec has (the ``[teacher]`` keys), and what a provider says about itself."""

    kind: str
    model: str = Field("", description="Model name sent to the endpoint (transformers: a local folder or hub id).")
    # One URL, or several servers of the same model (requests are spread over them: chukmath.teach.fleet).
    base_url: str | list[str] = Field(
        "", description="Base URL of the API (OpenAI-compatible for openai). Repeat it for several servers of the "
        "same model (openai): requests go to the least busy one, and one that fails is taken out for a while.",
        json_schema_extra=_used_by("live", "bulk"),
    )  # fmt: skip
    api_key_env: str = Field(
        "OPENAI_API_KEY", description='Environment variable with the key ("" for an endpoint that needs none).',
        json_schema_extra=_used_by("live", "bulk"),
    )  # fmt: skip
    temperature: float = Field(0.6, ge=0.0, le=2.0, description="Sampling temperature.")
    top_p: float = Field(0.95, gt=0.0, le=1.0, description="Nucleus sampling mass.")
    max_tokens: int = Field(4096, ge=1, description="Most tokens per answer (the completion token limit).")
    seed: int | None = Field(None, description="Sampling seed; sample k is sent seed + k.")
    samples: int = Field(1, ge=1, le=64, description="Independent samples per request (rejection sampling, pass@k).",
                         json_schema_extra=_short("-k"))  # fmt: skip
    concurrency: int = Field(DEFAULT_CONCURRENCY, ge=1, le=4096, description="Requests in flight at once.",
                             json_schema_extra=_short("-j"))  # fmt: skip
    timeout: float = Field(DEFAULT_TIMEOUT_S, gt=0.0, description="Seconds per request attempt.",
                           json_schema_extra=_used_by("live", "bulk"))  # fmt: skip
    max_retries: int = Field(DEFAULT_MAX_RETRIES, ge=0, le=100, description="Retries on 429, 5xx, timeouts and "
                             "dropped connections.", json_schema_extra=_used_by("live", "bulk"))  # fmt: skip
    rpm: int = Field(0, ge=0, description="At most this many requests a minute (0: no limit).",
                     json_schema_extra=_used_by("live"))  # fmt: skip
    tpm: int = Field(0, ge=0, description="At most this many tokens a minute, estimated (0: no limit).",
                     json_schema_extra=_used_by("live"))  # fmt: skip
    price_in: float = Field(0.0, ge=0.0, description="USD per million prompt tokens.",
                            json_schema_extra=_used_by("live", "bulk"))  # fmt: skip
    price_out: float = Field(0.0, ge=0.0, description="USD per million completion tokens.",
                             json_schema_extra=_used_by("live", "bulk"))  # fmt: skip
    poll_interval: float = Field(30.0, gt=0.0, description="Seconds between polls of a batch job.",
                                 json_schema_extra=_used_by("bulk"))  # fmt: skip
    extra_body: dict[str, Any] = Field(
        default_factory=dict, description="""JSON object merged into each request body, e.g. '{"top_k": 20}'.""",
        json_schema_extra=_used_by("live", "bulk"),
    )  # fmt: skip

    # What the provider is: answers cost money (a key and a model are needed before the first request), how it
    # answers, where its URL comes from when none is given, and whether several servers may share the work.
    paid: ClassVar[bool] = True
    mode: ClassVar[Mode] = "live"
    title: ClassVar[str] = "OpenAI-compatible chat API"  # the dataset card's words: "`model` via the <title>"
    url_env: ClassVar[str] = "OPENAI_BASE_URL"
    default_url: ClassVar[str] = OPENAI_URL
    # The variable holding the key when api_key_env is left at its default (see key_env_of).
    key_env: ClassVar[str] = "OPENAI_API_KEY"
    fleet: ClassVar[bool] = False
    # Whether `chukmath eval --teacher` offers it (see EVAL_SPECS), and the settings its eval.json records about
    # decoding (each when set).
    evaluates: ClassVar[bool] = False
    eval_records: ClassVar[tuple[str, ...]] = ("temperature", "max_tokens", "top_p", "seed")

    @field_validator("base_url")
    @classmethod
    def _one_or_more_urls(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, list):
            if not value or not all(value):
                raise ValueError("a list of base URLs needs at least one URL and no empty one")
            return value[0] if len(value) == 1 else value
        return value

    @property
    def base_urls(self) -> list[str]:
        """Every base URL given (none, one, or a fleet's)."""
        if isinstance(self.base_url, list):
            return list(self.base_url)
        return [self.base_url] if self.base_url else []

    def client_config(self, endpoint: Endpoint) -> OpenAIConfig:
        """The HTTP teacher's config for this spec at ``endpoint`` (``validate()`` checks it without a request)."""
        from chukmath.teach.openai_teacher import OpenAIConfig
        from chukmath.teach.retry import RetryPolicy

        return OpenAIConfig(
            base_url=endpoint.url, model=self.model, api_key=endpoint.key, temperature=self.temperature,
            top_p=self.top_p, max_tokens=self.max_tokens, seed=self.seed, extra_body=dict(self.extra_body),
            timeout=self.timeout, retry=RetryPolicy(max_retries=self.max_retries), api_key_env=endpoint.key_env,
            rpm=self.rpm or None, tpm=self.tpm or None,
            **({"base_urls": list(endpoint.urls)} if len(endpoint.urls) > 1 else {}),
        )  # fmt: skip

    def make(self, endpoint: Endpoint | None = None, problems: Mapping[str, Problem] | None = None) -> Teacher:
        """The teacher of this spec at ``endpoint`` (resolved from the environment when not given)."""
        return self.live_teacher(self.client_config(endpoint or resolve_endpoint(self)))

    def evaluator(self, problems: Mapping[str, Problem], unsent: Collection[str] = ()) -> Teacher:
        """The teacher ``chukmath eval`` asks (a spec with ``evaluates``): an offline one as :meth:`make` makes it, an
        API one at the URL and key the command line names (``--base-url``, else the provider's variable, else its
        public API), with the sampling settings named in ``unsent`` (``top_p``, ``seed``) left to the endpoint."""
        if self.mode == "offline":
            return self.make(problems=problems)
        endpoint = resolve_endpoint(self, labels=CLI_LABELS)
        left_out: dict[str, Any] = dict.fromkeys(unsent)  # None: not sent, the endpoint's own default applies
        config = replace(self.client_config(endpoint), **left_out)
        config.validate()
        return self.live_teacher(config)

    def live_teacher(self, config: OpenAIConfig) -> Teacher:
        """The request-by-request teacher for ``config``; a bulk provider answers through its batch phase instead."""
        raise TeacherError(
            f'[teacher] kind = "{self.kind}" cannot answer request by request; use kind = '
            f"{', '.join(repr(k) for k, s in SPECS.items() if s.mode != 'bulk')}"
        )


class BuiltinSpec(BaseTeacherSpec):
    """The offline built-in teacher: a correct step-by-step trace from the problem's expression, no key, no cost."""

    kind: Literal["builtin"] = "builtin"
    trace_style: str = Field(CLASSIC_STYLE, description="How the built-in teacher writes its traces: classic, "
                             "mix (a solution route per problem) or one route by name.")  # fmt: skip

    paid: ClassVar[bool] = False
    mode: ClassVar[Mode] = "offline"
    evaluates: ClassVar[bool] = True
    eval_records: ClassVar[tuple[str, ...]] = ()  # it does not sample

    @field_validator("trace_style")
    @classmethod
    def _known_trace_style(cls, value: str) -> str:
        from chukmath.teach.builtin import check_trace_style

        try:
            return check_trace_style(value, "[teacher] trace_style")
        except ConfigError as exc:
            raise ValueError(str(exc)) from None

    @model_serializer(mode="wrap")
    def _without_classic_style(self, handler: Any) -> dict[str, Any]:
        # The default style dumps (manifest.json, fingerprint) exactly as before the key existed: old runs resume.
        data: dict[str, Any] = handler(self)
        if isinstance(data, dict) and data.get("trace_style") == CLASSIC_STYLE:
            del data["trace_style"]
        return data

    def make(self, endpoint: Endpoint | None = None, problems: Mapping[str, Problem] | None = None) -> Teacher:
        from chukmath.teach.builtin import BuiltinTeacher

        if problems is None:
            raise ConfigError("the builtin teacher needs the problems the requests were made from")
        return BuiltinTeacher(problems, trace_style=self.trace_style)


class OpenAISpec(BaseTeacherSpec):
    """Any OpenAI-compatible ``/chat/completions`` endpoint, request by request (a fleet of servers allowed)."""

    kind: Literal["openai"] = "openai"
    fleet: ClassVar[bool] = True
    evaluates: ClassVar[bool] = True

    def live_teacher(self, config: OpenAIConfig) -> Teacher:
        from chukmath.teach.openai_teacher import OpenAITeacher

        return OpenAITeacher(config)


class BatchSpec(BaseTeacherSpec):
    """The OpenAI Batch API: the whole run submitted as batch files, polled every ``poll_interval`` seconds."""

    kind: Literal["batch"] = "batch"
    mode: ClassVar[Mode] = "bulk"
    title: ClassVar[str] = "OpenAI Batch API"


class AnthropicSpec(BaseTeacherSpec):
    """Claude through the Messages API (the ``anthropic`` extra); the key from ANTHROPIC_API_KEY by default."""

    kind: Literal["anthropic"] = "anthropic"
    title: ClassVar[str] = "Anthropic Messages API"
    url_env: ClassVar[str] = "ANTHROPIC_BASE_URL"
    default_url: ClassVar[str] = ANTHROPIC_URL
    key_env: ClassVar[str] = "ANTHROPIC_API_KEY"

    def client_config(self, endpoint: Endpoint) -> OpenAIConfig:
        from dataclasses import fields

        from chukmath.teach.anthropic_teacher import AnthropicConfig, need_sdk

        need_sdk()
        plain = super().client_config(endpoint)
        return AnthropicConfig(**{f.name: getattr(plain, f.name) for f in fields(plain)})

    def live_teacher(self, config: OpenAIConfig) -> Teacher:
        from chukmath.teach.anthropic_teacher import AnthropicTeacher

        return AnthropicTeacher(config)


class AnthropicBatchSpec(AnthropicSpec):
    """Claude through Message Batches: the whole run submitted at once, polled every ``poll_interval`` seconds."""

    kind: Literal["anthropic_batch"] = "anthropic_batch"  # type: ignore[assignment]
    mode: ClassVar[Mode] = "bulk"
    title: ClassVar[str] = "Anthropic Message Batches API"

    def live_teacher(self, config: OpenAIConfig) -> Teacher:
        return BaseTeacherSpec.live_teacher(self, config)


class TransformersSpec(BaseTeacherSpec):
    """A local ``transformers`` causal LM answering in this process (the ``eval`` extra): ``model`` is a folder or a
    hub id, ``gguf_file`` a GGUF file inside it; the defaults are :class:`TransformersConfig`'s (greedy, 1024 new
    tokens). A recipe's ``[teacher] kind = "transformers"`` builds a dataset with it, as ``chukmath eval`` measures
    one; ``concurrency`` at least ``batch_size`` keeps the device busy."""

    kind: Literal["transformers"] = "transformers"
    temperature: float = Field(0.0, ge=0.0, le=5.0)
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    max_tokens: int = Field(1024, ge=1)  # the model's max_new_tokens
    seed: int = 0
    gguf_file: str | None = Field(None, description="A GGUF file in the model's folder.")
    batch_size: int = Field(16, ge=1, description="Prompts per batch.")
    device: str = Field("auto", description="auto, cuda, cpu, cuda:1 ...")
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = Field(
        "auto", description="auto (bfloat16 on CUDA, float32 on CPU), bfloat16, float16, float32."
    )
    # A built-in name (gemma, chatml), a file or Jinja text; None: the tokenizer's.
    chat_template: str | None = Field(
        None, description="gemma, chatml, a file or Jinja text, for a tokenizer without one (GGUF)."
    )

    paid: ClassVar[bool] = False
    mode: ClassVar[Mode] = "offline"
    title: ClassVar[str] = "local transformers model"
    evaluates: ClassVar[bool] = True
    eval_records: ClassVar[tuple[str, ...]] = (
        *BaseTeacherSpec.eval_records, "batch_size", "device", "dtype", "chat_template",
    )  # fmt: skip

    def local_config(self) -> TransformersConfig:
        """The in-process teacher's config for this spec."""
        from chukmath.eval.transformers_teacher import TransformersConfig

        return TransformersConfig(
            model=self.model, gguf_file=self.gguf_file, batch_size=self.batch_size, max_new_tokens=self.max_tokens,
            temperature=self.temperature, top_p=self.top_p, seed=self.seed, device=self.device, dtype=self.dtype,
            chat_template=self.chat_template,
        )  # fmt: skip

    def make(self, endpoint: Endpoint | None = None, problems: Mapping[str, Problem] | None = None) -> Teacher:
        from chukmath.eval.transformers_teacher import TransformersTeacher

        return TransformersTeacher(self.local_config())


# Every provider, by kind (the recipe's [teacher] kinds: TeacherSpec below lists the same); the order is the one
# messages list them in.
SPECS: dict[str, type[BaseTeacherSpec]] = {
    "builtin": BuiltinSpec,
    "openai": OpenAISpec,
    "anthropic": AnthropicSpec,
    "batch": BatchSpec,
    "anthropic_batch": AnthropicBatchSpec,
    "transformers": TransformersSpec,
}
KINDS: tuple[str, ...] = tuple(SPECS)
# The teachers `chukmath eval --teacher` offers.
EVAL_SPECS: dict[str, type[BaseTeacherSpec]] = {kind: spec for kind, spec in SPECS.items() if spec.evaluates}


def _kind_of(value: Any) -> str:
    # A [teacher] table without kind is the built-in teacher, as it always was.
    if isinstance(value, dict):
        kind = value.get("kind", "builtin")
        return kind if isinstance(kind, str) else ""
    return str(getattr(value, "kind", ""))


TeacherSpec = Annotated[
    Annotated[BuiltinSpec, Tag("builtin")]
    | Annotated[OpenAISpec, Tag("openai")]
    | Annotated[AnthropicSpec, Tag("anthropic")]
    | Annotated[BatchSpec, Tag("batch")]
    | Annotated[AnthropicBatchSpec, Tag("anthropic_batch")]
    | Annotated[TransformersSpec, Tag("transformers")],
    Discriminator(
        _kind_of,
        custom_error_type="teacher_kind",
        custom_error_message=f"kind must be one of {', '.join(KINDS)}",
    ),
]


def spec_for(kind: str, **settings: Any) -> BaseTeacherSpec:
    """The spec of ``kind`` with ``settings`` (validated); ConfigError names an unknown kind."""
    spec_type = SPECS.get(kind)
    if spec_type is None:
        raise ConfigError(f"teacher kind {kind!r}: choose one of {', '.join(KINDS)}")
    return spec_type.model_validate({**settings, "kind": kind})


def key_env_of(spec: BaseTeacherSpec) -> str:
    """The variable holding ``spec``'s key: ``api_key_env``, where the generic default (OPENAI_API_KEY) reads as the
    provider's own (ANTHROPIC_API_KEY for Claude); empty for an endpoint that needs none."""
    # The recipe's api_key_env has one default for every kind (manifests record it), so the generic default is
    # read as the provider's own variable.
    if spec.api_key_env == "OPENAI_API_KEY":
        return spec.key_env
    return spec.api_key_env


@dataclass(frozen=True)
class Endpoint:
    """Where a paid teacher's requests go and the key they carry (read from the environment, never stored)."""

    urls: tuple[str, ...]
    key_env: str
    key: str | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return self.urls[0]


@dataclass(frozen=True)
class Labels:
    """How messages name the base URL and the key variable: the recipe's keys, or the command's flags (where the
    variable is named by itself)."""

    url: str = "[teacher] base_url"
    key: str = "api_key_env"


CLI_LABELS = Labels(url="--base-url", key="")


def resolve_endpoint(
    spec: BaseTeacherSpec,
    urls: Sequence[str] = (),
    *,
    labels: Labels = Labels(),
    need_key: bool = True,
    env: Mapping[str, str] | None = None,
) -> Endpoint:
    """The one resolver of a teacher's base URL and key.

    The URL: ``urls`` (given on the command line), else the spec's ``base_url``, else the provider's environment
    variable (OPENAI_BASE_URL, ANTHROPIC_BASE_URL), else the provider's public API. Each is checked to carry no
    credentials. The key: the variable :func:`key_env_of` names; a loopback server needs none, any other endpoint
    does (``need_key=False`` skips that check, for a dry run). ``env`` replaces ``os.environ`` (tests).
    """
    environ = os.environ if env is None else env
    given = list(urls) or spec.base_urls
    if given:
        chosen = [check_base_url(url, labels.url) for url in given]
    else:
        from_env = environ.get(spec.url_env)
        chosen = [check_base_url(from_env or spec.default_url, spec.url_env if from_env else labels.url)]
    if len(chosen) > 1 and not spec.fleet:
        raise ConfigError(
            f'{labels.url}: several base URLs (a fleet of servers) work with kind "openai" only, not "{spec.kind}"'
        )
    key_env = key_env_of(spec)
    key = (environ.get(key_env) or None) if key_env else None
    variable = f"environment variable {key_env}" + (f" ({labels.key})" if labels.key else "")
    if key is None and key_env and need_key and not all(is_loopback(url) for url in chosen):
        raise TeacherError(
            f"{safe_url(chosen[0])} needs an API key: {variable} is not set; export it with your API key "
            '(api_key_env = "" or --api-key-env "" for an endpoint that needs none)'
        )
    check_api_key(key, variable)
    return Endpoint(tuple(chosen), key_env, key)


__all__ = [
    "ANTHROPIC_URL", "CLI_LABELS", "DEFAULT_CONCURRENCY", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT_S", "EVAL_SPECS",
    "KINDS", "OPENAI_URL", "SPECS", "AnthropicBatchSpec", "AnthropicSpec", "BaseTeacherSpec", "BatchSpec",
    "BuiltinSpec", "Endpoint", "Labels", "OpenAISpec", "TeacherSpec", "TransformersSpec", "key_env_of",
    "resolve_endpoint", "spec_for",
]  # fmt: skip
