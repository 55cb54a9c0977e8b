"""Teacher specs: one model per provider behind [teacher], one resolver for base URL and key, one set of defaults."""

from __future__ import annotations

import pytest

from chukmath.build import parse_recipe
from chukmath.errors import ConfigError, TeacherError
from chukmath.teach.specs import (
    ANTHROPIC_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_S,
    OPENAI_URL,
    SPECS,
    AnthropicBatchSpec,
    AnthropicSpec,
    BatchSpec,
    BuiltinSpec,
    OpenAISpec,
    resolve_endpoint,
    spec_for,
)

BASE = 'name = "t"\ncount = 10\nseed = 3\n[[mix]]\ngenerator = "arithmetic"\n'
HASHES = {"step_by_step": "abc"}
# Fingerprints of recipes written before [teacher] was split by provider: a run made then still resumes.
PINNED = [
    ("", BuiltinSpec, "823c892fd44f1db606d4acf337595171"),
    ('[teacher]\nkind = "builtin"\n', BuiltinSpec, "823c892fd44f1db606d4acf337595171"),
    ('[teacher]\nkind = "openai"\nmodel = "m"\nbase_url = "http://127.0.0.1:1/v1"\ntemperature = 0.7\n', OpenAISpec,
     "6ed0a5349e4ff89f6cdcea4328750ce7"),
    ('[teacher]\nkind = "anthropic"\nmodel = "claude"\n', AnthropicSpec, "67ffc0b3280f1144312f0b5cc1e041bf"),
    ('[teacher]\nkind = "anthropic_batch"\nmodel = "claude"\nsamples = 3\n', AnthropicBatchSpec,
     "7d7b302a663042fa13fcf89b3636eb76"),
    ('[teacher]\nkind = "batch"\nmodel = "g"\nextra_body = {top_k = 3}\n', BatchSpec,
     "2363502ccd9e3043a86ca6f32b7e5a66"),
    ('[teacher]\nkind = "builtin"\ntrace_style = "mix"\n', BuiltinSpec, "d875fe8f67f29ffb23c2ba90b4fba749"),
]


@pytest.mark.parametrize(("table", "spec", "fingerprint"), PINNED)
def test_teacher_table_picks_the_provider_spec_and_keeps_the_fingerprint(table, spec, fingerprint):
    recipe = parse_recipe(BASE + table, "x.toml")
    assert type(recipe.teacher) is spec
    assert recipe.fingerprint(HASHES) == fingerprint


def test_provider_facts_and_one_set_of_defaults():
    assert {k: (s.paid, s.mode) for k, s in SPECS.items()} == {
        "builtin": (False, "offline"), "openai": (True, "live"), "anthropic": (True, "live"),
        "batch": (True, "bulk"), "anthropic_batch": (True, "bulk"), "transformers": (False, "offline"),
    }
    for spec in SPECS.values():
        assert spec.model_fields["timeout"].default == DEFAULT_TIMEOUT_S == 120.0
        assert spec.model_fields["max_retries"].default == DEFAULT_MAX_RETRIES == 5
    assert "trace_style" in BuiltinSpec.model_fields and "trace_style" not in OpenAISpec.model_fields


def test_errors_name_the_key_as_the_recipe_spells_it():
    unknown = r"x\.toml:7: key 'teacher\.kind': kind must be one of builtin.*\(got 'nope'\)"
    with pytest.raises(ConfigError, match=unknown):
        parse_recipe(BASE + '[teacher]\nkind = "nope"\n', "x.toml")
    with pytest.raises(ConfigError, match=r"x\.toml:8: key 'teacher\.temperature'"):
        parse_recipe(BASE + '[teacher]\nkind = "openai"\ntemperature = "hot"\n', "x.toml")
    with pytest.raises(ConfigError, match=r"unknown key 'teacher\.trace_style'"):
        parse_recipe(BASE + '[teacher]\nkind = "openai"\ntrace_style = "mix"\n', "x.toml")


def test_switching_provider_keeps_shared_settings_only():
    recipe = parse_recipe(BASE + '[teacher]\ntrace_style = "mix"\nconcurrency = 4\n', "x.toml")
    switched = recipe.with_overrides(teacher="openai", model="m")
    assert type(switched.teacher) is OpenAISpec and switched.teacher.concurrency == 4
    with pytest.raises(ConfigError, match="--trace-style is a setting of the builtin teacher"):
        recipe.with_overrides(teacher="openai", trace_style="mix")


def test_resolver_order_given_then_spec_then_env_then_public_api():
    spec = spec_for("openai", model="m")
    assert resolve_endpoint(spec, need_key=False, env={}).urls == (OPENAI_URL,)
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
    assert resolve_endpoint(spec, env=env).urls == ("http://127.0.0.1:9/v1",)
    assert resolve_endpoint(spec, ["http://127.0.0.1:8/v1"], env=env).url == "http://127.0.0.1:8/v1"
    claude = spec_for("anthropic", model="c")
    found = resolve_endpoint(claude, env={"ANTHROPIC_API_KEY": "sk-ant-123456789"})
    assert (found.url, found.key_env, found.key) == (ANTHROPIC_URL, "ANTHROPIC_API_KEY", "sk-ant-123456789")


def test_resolver_refuses_a_missing_key_credentials_and_a_fleet_of_another_provider():
    with pytest.raises(TeacherError, match=r"environment variable OPENAI_API_KEY \(api_key_env\) is not set"):
        resolve_endpoint(spec_for("openai", model="m", base_url="https://example.com/v1"), env={})
    assert resolve_endpoint(spec_for("openai", base_url="https://example.com/v1", api_key_env=""), env={}).key is None
    with pytest.raises(ConfigError, match="carries credentials"):
        resolve_endpoint(spec_for("openai"), ["http://user:pw@127.0.0.1:1/v1"], env={})
    with pytest.raises(ConfigError, match="several base URLs"):
        resolve_endpoint(spec_for("anthropic"), ["http://127.0.0.1:1", "http://127.0.0.1:2"], env={})
    with pytest.raises(ConfigError, match="teacher kind 'claude'"):
        spec_for("claude")


def _help(*path: str) -> str:
    from typer.testing import CliRunner

    from chukmath.cli.main import app

    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=400)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", [("teach",), ("eval",)])
def test_command_defaults_are_the_specs(path):
    spec = OpenAISpec.model_fields
    lines = {line.split()[0]: line for line in _help(*path).splitlines() if line.strip().startswith("--")}
    assert f"[default: {spec['timeout'].default}]" in lines["--timeout"]
    assert f"[default: {spec['max_retries'].default}]" in lines["--max-retries"]


def test_the_anthropic_config_carries_every_setting_of_the_spec():
    from chukmath.teach.anthropic_teacher import AnthropicConfig
    from chukmath.teach.retry import RetryPolicy

    spec = spec_for("anthropic", model="claude", max_retries=2, timeout=9.0, rpm=30, temperature=0.2)
    config = spec.client_config(resolve_endpoint(spec, ["http://127.0.0.1:1"], env={}))
    assert type(config) is AnthropicConfig and config.retry == RetryPolicy(max_retries=2)
    assert (config.timeout, config.rpm, config.temperature, config.api_key_env) == (9.0, 30, 0.2, "ANTHROPIC_API_KEY")
    config.validate()


def test_each_paid_provider_names_itself_for_the_dataset_card():
    titles = {k: s.title for k, s in SPECS.items() if s.paid}
    assert titles["openai"] == "OpenAI-compatible chat API" and titles["batch"] == "OpenAI Batch API"
    assert titles["anthropic"] != titles["openai"] and len(set(titles.values())) == len(titles)


def test_the_transformers_spec_has_the_local_teachers_defaults_and_a_recipe_may_choose_it():
    from chukmath.eval.teachers import KINDS as EVAL_KINDS
    from chukmath.eval.transformers_teacher import TransformersConfig
    from chukmath.teach.specs import EVAL_SPECS, KINDS, TransformersSpec

    assert TransformersSpec(model="m").local_config() == TransformersConfig(model="m")
    assert not TransformersSpec.paid and TransformersSpec.mode == "offline"
    assert EVAL_KINDS == tuple(EVAL_SPECS) == ("builtin", "openai", "transformers")
    assert "transformers" in KINDS
    recipe = parse_recipe(BASE + '[teacher]\nkind = "transformers"\nmodel = "m"\nbatch_size = 4\n')
    assert type(recipe.teacher) is TransformersSpec and recipe.teacher.local_config() == TransformersConfig(
        model="m", batch_size=4
    )
    # A local model's pace (batch size, device) is not part of what the run is: it may change on resume.
    faster = parse_recipe(BASE + '[teacher]\nkind = "transformers"\nmodel = "m"\nbatch_size = 64\ndevice = "cpu"\n')
    assert faster.fingerprint(HASHES) == recipe.fingerprint(HASHES)
    with pytest.raises(ConfigError, match=r"key 'teacher\.dtype'"):
        parse_recipe(BASE + '[teacher]\nkind = "transformers"\nmodel = "m"\ndtype = "int3"\n')


def test_switching_to_the_local_model_takes_its_defaults_not_the_old_providers():
    recipe = parse_recipe(BASE + "[teacher]\nconcurrency = 4\n")
    switched = recipe.with_overrides(teacher="transformers", model="m")
    assert (switched.teacher.temperature, switched.teacher.max_tokens, switched.teacher.seed) == (0.0, 1024, 0)
    assert switched.teacher.concurrency == 4  # what the recipe gave carries over
    with pytest.raises(ConfigError, match="--batch-size is a setting of the transformers teacher, not of kind"):
        recipe.with_overrides(teacher_settings={"batch_size": 8})


def test_eval_builds_the_transformers_teacher_through_its_spec():
    from chukmath.eval.teachers import TeacherSpec
    from chukmath.eval.transformers_teacher import TransformersConfig, TransformersTeacher

    chosen = TeacherSpec(kind="transformers", model="runs/sft", gguf_file="q.gguf", batch_size=4, max_tokens=64,
                         device="cpu", dtype="float32", chat_template="chatml")  # fmt: skip
    teacher = chosen.build([], samples=3)  # the model loads at the first batch, not here
    assert isinstance(teacher, TransformersTeacher) and teacher.model == "runs/sft#q.gguf"
    assert teacher.config == TransformersConfig(
        model="runs/sft", gguf_file="q.gguf", batch_size=4, max_new_tokens=64, temperature=0.6, top_p=1.0, seed=0,
        device="cpu", dtype="float32", chat_template="chatml",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("settings", "message"),
    [({"dtype": "int3"}, "--dtype 'int3'"), ({"temperature": 6.0}, "--temperature 6.0"), ({"model": ""}, "--model")],
)
def test_a_bad_eval_teacher_setting_names_its_flag(settings, message):
    from chukmath.eval.teachers import TeacherSpec

    with pytest.raises(ConfigError, match=message):
        TeacherSpec(**{"kind": "transformers", "model": "m", **settings}).build([], samples=1)
    with pytest.raises(ConfigError, match="choose builtin, openai, transformers"):
        TeacherSpec(kind="anthropic", model="m").build([], samples=1)


def test_the_recipes_teacher_union_lists_every_provider_of_specs():
    from typing import get_args

    from chukmath.teach.specs import TeacherSpec

    union, _discriminator = get_args(TeacherSpec)
    members = {get_args(member)[1].tag: get_args(member)[0] for member in get_args(union)}
    assert members == SPECS
