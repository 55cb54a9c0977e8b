"""A plain Jinja template without front matter (the kind users already have) renders with stated defaults,
and `templates list/show/render/lint`, `prompts` and `build` all take it."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.records import Problem
from chukmath.render import TemplateFileError, TemplateLibrary, lint_paths

runner = CliRunner()
# As found in the chuk-math recipe: no front matter, the instructions and the problem in one user message.
PLAIN = (
    "Solve step by step: {{ question }}\n"
    "Put your reasoning in <think></think>, the final answer in <answer></answer>, and only the bare result in "
    "<verifier_answer></verifier_answer>.\n"
)
PROBLEM = Problem(
    id="arithmetic-7-0",
    generator="arithmetic",
    difficulty=1,
    seed=7,
    index=0,
    question="What is 44 + 41 + 25?",
    expression="44 + 41 + 25",
    answer="110",
    meta={"operations": ["+"], "answer_decimal": "110"},
)
NOTE = (
    'no front matter; assumed name = "recipe_style", description = "", variables = ["question"] (the ones it '
    'reads), tags = ["think", "answer", "verifier_answer"], reveals_answer = false (it never reads the answer); '
    "to state them, begin the file with a '{#---' ... '---#}' block (templates/README.md)"
)


def plain(directory: Path, text: str = PLAIN, name: str = "recipe_style") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.jinja"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_plain_template_renders_as_one_user_message_with_default_metadata(tmp_path: Path) -> None:
    plain(tmp_path / "tpl")
    template = TemplateLibrary([tmp_path / "tpl"]).get("recipe_style")
    meta = template.meta
    assert (meta.name, meta.description, meta.variables) == ("recipe_style", "", ("question",))
    assert meta.reveals_answer is False
    assert meta.tags == ("think", "answer", "verifier_answer")
    assert template.render(PROBLEM) == [
        {
            "role": "user",
            "content": "Solve step by step: What is 44 + 41 + 25?\nPut your reasoning in <think></think>, the final "
            "answer in <answer></answer>, and only the bare result in <verifier_answer></verifier_answer>.",
        }
    ]


def test_a_plain_template_that_never_reads_the_answer_is_rendered_without_it(tmp_path: Path) -> None:
    path = plain(tmp_path, "{{ question }} <think> <answer> <verifier_answer>\n{{ problem | tojson }} {{ meta }}\n")
    content = TemplateLibrary().get(str(path)).render(PROBLEM)[0]["content"]
    assert "110" not in content and "answer_decimal" not in content


def test_a_plain_template_reading_the_answer_reveals_it_and_keeps_its_role_lines(tmp_path: Path) -> None:
    text = "{#- role: system -#}\nYou are a tutor. Use <think>, <answer>, <verifier_answer>.\n{#- role: user -#}\n" \
           "{{ question }} (the answer is {{ answer }}; it uses {{ meta.operations | join(', ') }})\n"  # fmt: skip
    template = TemplateLibrary().get(str(plain(tmp_path, text, "tutor")))
    assert template.meta.reveals_answer is True
    assert template.meta.variables == ("question", "answer", "meta")
    assert template.render(PROBLEM) == [
        {"role": "system", "content": "You are a tutor. Use <think>, <answer>, <verifier_answer>."},
        {"role": "user", "content": "What is 44 + 41 + 25? (the answer is 110; it uses +)"},
    ]


def test_lint_says_which_defaults_it_assumed_as_a_note_not_an_error(tmp_path: Path) -> None:
    path = plain(tmp_path)
    result = runner.invoke(app, ["templates", "lint", str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"{path}:1: note: {NOTE}"]
    assert "0 error(s), 0 warning(s), 1 note(s)" in result.stderr
    assert [i.severity for i in lint_paths([tmp_path])] == ["note"]


def test_list_show_and_render_take_a_plain_template(tmp_path: Path) -> None:
    plain(tmp_path / "tpl")
    listed = runner.invoke(app, ["templates", "list", "--templates", str(tmp_path / "tpl")])
    assert listed.exit_code == 0
    rows = listed.stdout.splitlines()
    assert any(row.startswith("recipe_style ") and row.endswith("(no front matter)") for row in rows)
    shown = runner.invoke(app, ["templates", "show", "recipe_style", "--templates", str(tmp_path / "tpl")])
    assert shown.exit_code == 0
    assert "reveals_answer: false" in shown.stdout and f"defaults:       {NOTE}" in shown.stdout
    assert shown.stdout.endswith(PLAIN)
    rendered = runner.invoke(
        app, ["templates", "render", str(tmp_path / "tpl" / "recipe_style.jinja"), "--question", "What is 2 + 3?",
              "--expression", "2 + 3", "--answer", "5"],
    )  # fmt: skip
    assert rendered.exit_code == 0, rendered.output
    assert rendered.stdout.startswith("--- user ---\nSolve step by step: What is 2 + 3?\n")


def test_prompts_and_build_take_a_plain_template(tmp_path: Path) -> None:
    tpl = tmp_path / "tpl"
    plain(tpl)
    problems = tmp_path / "problems.jsonl"
    problems.write_bytes(orjson.dumps(PROBLEM.to_dict()) + b"\n")
    out = tmp_path / "requests.jsonl"
    done = runner.invoke(
        app, ["prompts", "--problems", str(problems), "--template", "recipe_style", "--templates", str(tpl),
              "--out", str(out)],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    request = orjson.loads(out.read_bytes())
    assert request["template"] == "recipe_style"
    assert request["messages"][0]["content"].startswith("Solve step by step: What is 44 + 41 + 25?")

    recipe = tmp_path / "r.toml"
    recipe.write_text(
        'name = "plain"\ncount = 4\nseed = 1\n[[mix]]\ngenerator = "arithmetic"\nweight = 1\ndifficulty = 1\n'
        '[teacher]\nkind = "builtin"\n[prompt]\ntemplate = "recipe_style"\ntemplates_dirs = ["tpl"]\n'
    )
    built = runner.invoke(app, ["build", "--recipe", str(recipe), "--out", str(tmp_path / "run"), "--quiet"])
    assert built.exit_code == 0, built.output + repr(built.exception)
    rows = [orjson.loads(line) for line in (tmp_path / "run" / "train.jsonl").read_bytes().splitlines()]
    assert len(rows) == 4 and all(row["template"] == "recipe_style" for row in rows)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Solve {{ question }}\n{#---\nname = 'x'\n---#}\n", 2, "front matter must start on the first line"),
        ("Solve {{ questoin }}\n", 1, "unknown variable 'questoin' (did you mean 'question'?)"),
        ("\n\nSolve {% if question %}\n", 3, "syntax error"),
        ("  \n", 1, "the user message is empty"),
    ],
)
def test_a_broken_plain_template_still_names_its_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = plain(tmp_path, text, "broken")
    with pytest.raises(TemplateFileError) as caught:
        TemplateLibrary().get(str(path))
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)
