"""Recipe validation: unknown keys, bad values, TOML syntax errors and overrides, through the CLI and the API."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from chukmath.build import load_recipe, parse_recipe
from chukmath.cli.main import app
from chukmath.errors import ConfigError, InputError

GOOD = """
name = "t"
count = 10
seed = 3
[[mix]]
generator = "arithmetic"
weight = 2
difficulty = 1
[teacher]
kind = "builtin"
"""


def _run(args: list[str]):
    return CliRunner().invoke(app, args)


def test_good_recipe_defaults_and_overrides(tmp_path):
    recipe = parse_recipe(GOOD, "good.toml")
    assert recipe.count == 10 and recipe.teacher.kind == "builtin" and recipe.prompt.template == "step_by_step"
    changed = recipe.with_overrides(count=5, seed=None, teacher="openai", model="m", concurrency=3)
    assert (changed.count, changed.seed, changed.teacher.kind, changed.teacher.model) == (5, 3, "openai", "m")
    assert changed.teacher.concurrency == 3


def test_fingerprint_ignores_operational_settings_only():
    recipe = parse_recipe(GOOD, "good.toml")
    hashes = {"step_by_step": "abc"}
    base = recipe.fingerprint(hashes)
    assert recipe.with_overrides(concurrency=99).fingerprint(hashes) == base
    # count is not identity: problem i does not depend on it, so a longer or shorter run is the same run.
    assert recipe.with_overrides(count=11).fingerprint(hashes) == base
    assert recipe.with_overrides(count=11).legacy_fingerprint(hashes) != recipe.legacy_fingerprint(hashes)
    assert recipe.with_overrides(seed=4).fingerprint(hashes) != base
    assert recipe.fingerprint({"step_by_step": "abd"}) != base
    # Prices only change the reported cost (stats.json and the card are rewritten by every run).
    priced = recipe.model_copy(update={"teacher": recipe.teacher.model_copy(update={"price_in": 3.0})})
    assert priced.fingerprint(hashes) == base and priced.legacy_fingerprint(hashes) != recipe.legacy_fingerprint(hashes)
    # Sample k is asked on its own (seed + k): more samples add answers to the same run, fewer use the first ones.
    sampled = recipe.model_copy(update={"teacher": recipe.teacher.model_copy(update={"samples": 2})})
    assert sampled.fingerprint(hashes) == base
    assert sampled.fingerprint_with_outputs(hashes) != recipe.fingerprint_with_outputs(hashes)
    hotter = recipe.model_copy(update={"teacher": recipe.teacher.model_copy(update={"temperature": 1.0})})
    assert hotter.fingerprint(hashes) != base
    # [verify] and [output] decide only which journaled answers are kept and how rows look: not identity.
    judged = parse_recipe(GOOD + "[verify]\npolicy = 'wrong_answer'\nkeep = 'all'\n[output]\nsystem = 'S'\n", "j.toml")
    assert judged.fingerprint(hashes) == base
    assert judged.fingerprint_with_outputs(hashes) != recipe.fingerprint_with_outputs(hashes)
    prompted = parse_recipe(GOOD + "[prompt]\nsystem = 'Answer in <think> and <answer> tags.'\n", "p.toml")
    assert prompted.fingerprint(hashes) != base


def test_a_recipe_system_prompt_that_drops_the_tag_instructions_is_refused(tmp_path):
    from chukmath.build.stages import load_prompting

    tail = '[prompt]\ntemplate = "tutor_system"\nsystem = "You are a friendly tutor."\n'
    recipe = parse_recipe(GOOD + tail, str(tmp_path / "r.toml"))
    with pytest.raises(ConfigError, match=r"r\.toml:\d+: \[prompt\] system replaces .*'tutor_system'.*<think>"):
        load_prompting(recipe)
    kept = GOOD + tail.replace("friendly tutor.", "tutor. Reason in <think></think>, answer in <answer></answer> "
                               "and give only the result in <verifier_answer></verifier_answer>.")
    assert load_prompting(parse_recipe(kept, "k.toml")).system is not None
    # step_by_step asks for its tags in the user message, so a system text cannot drop them.
    assert load_prompting(parse_recipe(GOOD + '[prompt]\nsystem = "Be brief."\n', "s.toml")).system == "Be brief."


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("colour = 1\n" + GOOD, "unknown key 'colour'"),
        (GOOD + "colour = 1\n", "unknown key 'teacher.colour'"),
        (GOOD.replace('kind = "builtin"', 'kind = "builtin"\ntemprature = 0.5'), "unknown key 'teacher.temprature'"),
        (GOOD + "[verify]\nkeep = 'best'\n", "verify.keep"),
        (GOOD.replace("count = 10", "count = 0"), "count"),
        (GOOD.replace('name = "t"', ""), "missing key 'name'"),
        (GOOD + "[outptu]\nsystem = 'x'\n", "unknown key 'outptu'"),
        (GOOD.replace('generator = "arithmetic"', 'generatr = "arithmetic"'), "mix"),
        # TOML has types: a string where a number or a boolean belongs is an error, not converted.
        (GOOD.replace("count = 10", 'count = "10"'), "key 'count': Input should be a valid integer"),
        (GOOD + "[output]\nstrip_verifier_answer = 'yes'\n", "key 'output.strip_verifier_answer'"),
        (GOOD.replace('kind = "builtin"', 'kind = "builtin"\ntemperature = "0.5"'), "key 'teacher.temperature'"),
    ],
)
def test_recipe_errors_name_the_key(tmp_path, text, needle):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_recipe(path)
    assert needle in str(err.value) and str(path) in str(err.value)


def test_toml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('name = "x"\ncount = 3\nseed = = 4\n')
    with pytest.raises(InputError) as err:
        load_recipe(path)
    assert f"{path}:3:" in str(err.value)


def test_cli_refuses_bad_recipe_before_touching_out(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(GOOD + "surprise = true\n")
    out = tmp_path / "out"
    result = _run(["build", "--recipe", str(path), "--out", str(out), "--quiet"])
    assert result.exit_code != 0
    assert "surprise" in str(result.exception) or "surprise" in result.output
    assert not out.exists()


def test_cli_missing_recipe_file(tmp_path):
    result = _run(["build", "--recipe", str(tmp_path / "nope.toml"), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "no such recipe file" in str(result.exception)


def test_one_template_per_generator(tmp_path):
    text = GOOD + '[[mix]]\ngenerator = "arithmetic"\ntemplate = "other"\n'
    recipe = parse_recipe(text, "x.toml")
    with pytest.raises(ConfigError, match="one template per generator"):
        recipe.family_templates()


@pytest.mark.parametrize(
    ("tail", "bad_line", "needle"),
    [
        ("[teacher]\nkind = 'builtin'\ntemprature = 0.5\n", "temprature = 0.5", "unknown key 'teacher.temprature'"),
        ("[verify]\nkeep = 'all'\npolicy = 'wrong_answr'\n", "policy = 'wrong_answr'", "unknown reason 'wrong_answr'"),
        ("[verify]\nlanguage = 'xx'\n", "language = 'xx'", "language 'xx' is not supported"),
        ("[outptu]\nsystem = 'x'\n", "[outptu]", "unknown key 'outptu'"),
        ("[[mix]]\ngenerator = 'fractions'\nwieght = 3\n", "wieght = 3", "unknown key 'wieght'"),
        ("[[mix]]\ngenerator = 'fractions'\n[mix.config]\nmax_valu = 3\n", "max_valu = 3", "config key 'max_valu'"),
        ("[[mix]]\ngenerator = 'fractions'\ntemplate = 'nosuch'\n", "template = 'nosuch'", "no template named"),
        ("[prompt]\ntemplate = 'nosuch'\n", "template = 'nosuch'", "no template named 'nosuch'"),
    ],
)
def test_cli_errors_name_file_line_and_key_before_touching_out(tmp_path, tail, bad_line, needle):
    text = GOOD.replace('[teacher]\nkind = "builtin"\n', "") + tail
    line = text.splitlines().index(bad_line) + 1
    path = tmp_path / "bad.toml"
    path.write_text(text)
    out = tmp_path / "out"
    result = _run(["build", "--recipe", str(path), "--out", str(out), "--quiet"])
    assert result.exit_code != 0
    message = str(result.exception)
    assert needle in message and f"{path}:{line}:" in message, message
    assert not out.exists()
