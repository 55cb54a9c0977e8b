"""`chukmath templates list|show|render` through the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.errors import ConfigError, InputError, TemplateError
from chukmath.render import builtin_template_dir

runner = CliRunner()

PROBLEMS = [
    {
        "id": "arithmetic-11-100",
        "generator": "arithmetic",
        "difficulty": 2,
        "seed": 11,
        "index": 100,
        "question": "What is 2.5 * (3 - (-4))?",
        "expression": "2.5 * (3 - (-4))",
        "answer": "35/2",
        "meta": {"operations": ["*", "-"], "answer_decimal": "17.5"},
    },
    {
        "id": "word_problem-11-101",
        "generator": "word_problem",
        "difficulty": 1,
        "seed": 11,
        "index": 101,
        "question": "A baker makes 12 loaves each hour for 5 hours. How many loaves does he make?",
        "expression": "12 * 5",
        "answer": "60",
        "meta": {"unit": "loaves"},
    },
]


def write_problems(path: Path, records: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def user_template(directory: Path, name: str, body: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.jinja"
    path.write_text(
        f'{{#---\nname = "{name}"\ndescription = "My own {name}."\nvariables = ["question"]\n'
        f"reveals_answer = false\n---#}}\n{body}",
        encoding="utf-8",
    )
    return path


def test_list_shows_builtins_and_where_an_override_comes_from(tmp_path: Path) -> None:
    result = runner.invoke(app, ["templates", "list"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["NAME", "SOURCE", "DESCRIPTION"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert {"step_by_step", "self_reflection", "answer_blind", "word_problem", "tutor_system"} <= set(rows)
    assert all(" built-in " in row for row in rows.values())

    mine = user_template(tmp_path / "mine", "step_by_step", "Solve {{ question }} <think> <answer> <verifier_answer>\n")
    result = runner.invoke(app, ["templates", "list", "--templates", str(tmp_path / "mine")])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("step_by_step "))
    assert str(mine) in row
    assert f"(overrides {builtin_template_dir() / 'step_by_step.jinja'})" in row
    assert "My own step_by_step." in row


def test_list_marks_a_broken_user_template_instead_of_failing(tmp_path: Path) -> None:
    user_template(tmp_path, "broken", "{% if question %}\n")
    result = runner.invoke(app, ["templates", "list", "--templates", str(tmp_path)])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("broken "))
    assert "BROKEN:" in row and "broken.jinja:7: syntax error: Unexpected end of template" in row


def test_show_prints_metadata_and_source() -> None:
    result = runner.invoke(app, ["templates", "show", "answer_blind"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "name:           answer_blind" in out
    assert "reveals_answer: false" in out
    assert "variables:      question" in out
    assert f"source:         {builtin_template_dir() / 'answer_blind.jinja'} (built-in)" in out
    assert out.rstrip("\n").endswith((builtin_template_dir() / "answer_blind.jinja").read_text().rstrip("\n"))


def test_render_inline_problem_prints_messages() -> None:
    args = ["templates", "render", "tutor_system", "--question", "What is 7 * 6?", "--expression", "7 * 6"]
    result = runner.invoke(app, [*args, "--answer", "42"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("--- system ---\nYou are a patient mathematics tutor")
    assert "\n\n--- user ---\n" in result.stdout
    assert "Correct final answer: 42" in result.stdout


def test_render_from_problems_file_by_index_as_json(tmp_path: Path) -> None:
    problems = write_problems(tmp_path / "problems.jsonl", PROBLEMS)
    args = ["templates", "render", "word_problem", "--problems", str(problems), "--index", "101", "--json"]
    result = runner.invoke(app, [*args, "--system", "Use British English."])
    assert result.exit_code == 0, result.output
    messages = json.loads(result.stdout)
    assert messages[0] == {"role": "system", "content": "Use British English."}
    assert messages[1]["role"] == "user"
    assert "Correct final answer: 60 loaves" in messages[1]["content"]


def test_render_with_a_user_override(tmp_path: Path) -> None:
    user_template(tmp_path, "step_by_step", "OVERRIDDEN {{ question }}\n")
    args = ["templates", "render", "step_by_step", "--templates", str(tmp_path), "--question", "Q?"]
    result = runner.invoke(app, [*args, "--expression", "1", "--answer", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "--- user ---\nOVERRIDDEN Q?\n"


@pytest.mark.parametrize(
    ("extra", "error", "message"),
    [
        (["--question", "Q"], ConfigError, "missing --expression, --answer"),
        (["--index", "3"], ConfigError, "--index needs --problems"),
        (["--problems", "P"], ConfigError, "--problems needs --index"),
        (["--problems", "P", "--index", "1", "--question", "Q"], ConfigError, "not both"),
        (["--problems", "P", "--index", "7"], InputError, r"no problem with index 7 .*indexes 100\.\.101"),
        (["--question", "Q", "--expression", "1", "--answer", "1", "--meta", "[1]"], ConfigError, "JSON object"),
    ],
)
def test_render_input_errors(tmp_path: Path, extra: list[str], error: type, message: str) -> None:
    problems = write_problems(tmp_path / "p.jsonl", PROBLEMS)
    extra = [str(problems) if arg == "P" else arg for arg in extra]
    result = runner.invoke(app, ["templates", "render", "step_by_step", *extra])
    assert isinstance(result.exception, error)
    assert re.search(message, str(result.exception)), str(result.exception)


def test_render_unknown_template_lists_names() -> None:
    result = runner.invoke(
        app, ["templates", "render", "nope", "--question", "Q", "--expression", "1", "--answer", "1"]
    )
    assert isinstance(result.exception, TemplateError)
    assert "known templates: answer_blind" in str(result.exception)


def test_system_replacing_the_only_tag_instructions_warns() -> None:
    args = ["templates", "render", "tutor_system", "--question", "What is 7 * 6?", "--expression", "7 * 6"]
    args += ["--answer", "42", "--system", "Be brief."]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "warning: --system replaces the system message of template 'tutor_system'" in result.stderr
    assert "<think>, <answer>, <verifier_answer>" in result.stderr
    told = runner.invoke(app, [*args[:-1], "Be brief. Reply as <think>..</think><answer>..</answer> "
                               "<verifier_answer>..</verifier_answer>."])  # fmt: skip
    assert told.exit_code == 0 and "warning" not in told.stderr
    kept = runner.invoke(app, ["templates", "render", "step_by_step", *args[3:]])
    assert kept.exit_code == 0 and "warning" not in kept.stderr


@pytest.mark.parametrize(
    "command",
    [["templates"], ["templates", "list"], ["templates", "show"], ["templates", "render"], ["templates", "lint"],
     ["prompts"]],
)  # fmt: skip
def test_every_templates_command_help_has_an_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())  # help text is wrapped
    assert re.search(r"Examples?: chukmath " + re.escape(" ".join(command)), text), text


def test_an_answer_blind_template_renders_without_an_answer_option() -> None:
    args = ["templates", "render", "answer_blind", "--question", "What is 2 + 3?", "--expression", "2 + 3"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Problem: What is 2 + 3?" in result.stdout
    revealing = runner.invoke(app, ["templates", "render", "step_by_step", *args[3:]])
    assert isinstance(revealing.exception, ConfigError)
    assert "missing --answer" in str(revealing.exception)
