"""`chukmath templates lint` and lint_paths: errors with file:line (exit 1), warnings (exit 0)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.render import builtin_template_dir, lint_paths

runner = CliRunner()
TAGS = "<think>...</think> <answer>...</answer> <verifier_answer>...</verifier_answer>"


def front(name: str, variables: str = '["question"]', reveals: str = "true") -> str:
    return (
        f'{{#---\nname = "{name}"\ndescription = "lint test"\nvariables = {variables}\n'
        f"reveals_answer = {reveals}\n---#}}\n"
    )


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.jinja"
    path.write_text(text, encoding="utf-8")
    return path


def lint(*args: str) -> tuple[int, list[str]]:
    result = runner.invoke(app, ["templates", "lint", *args])
    return result.exit_code, [line for line in result.stdout.splitlines() if line]


def test_builtins_lint_clean() -> None:
    code, lines = lint()
    assert code == 0
    assert lines == []
    assert lint_paths([builtin_template_dir()]) == []


def test_syntax_error_reports_file_and_line_and_exits_1(tmp_path: Path) -> None:
    path = write(tmp_path, "broken", front("broken") + f"{TAGS}\n{{{{ question }}}}\n\n{{% for x in %}}\n")
    code, lines = lint(str(path))
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:10: error: syntax error")


def test_unknown_variable_named_with_line_and_suggestion(tmp_path: Path) -> None:
    body = f"{TAGS}\nProblem: {{{{ question }}}}\n\nHint: {{{{ questoin }}}} {{{{ hint }}}}\n"
    path = write(tmp_path, "typo", front("typo") + body)
    code, lines = lint(str(tmp_path))
    assert code == 1
    assert f"{path}:10: error: unknown variable 'questoin' (did you mean 'question'?)" in lines
    assert any(line.startswith(f"{path}:10: error: unknown variable 'hint'") for line in lines)


def test_missing_tags_are_warnings_only(tmp_path: Path) -> None:
    path = write(tmp_path, "notags", front("notags") + "Solve {{ question }} and put the result in <answer>.\n")
    code, lines = lint(str(path))
    assert code == 0
    assert lines == [
        f"{path}:2: warning: the template never mentions <think>; the teacher will not know to write it",
        f"{path}:2: warning: the template never mentions <verifier_answer>; the teacher will not know to write it",
    ]


def test_the_tags_a_template_lists_replace_the_default_three(tmp_path: Path) -> None:
    """An R1-Zero style prompt asks for <think> and <answer> only; listing them says so, and lint checks those."""
    head = front("r1").replace("reveals_answer", 'tags = ["think", "answer", "step"]\nreveals_answer')
    path = write(tmp_path, "r1", head + "{{ question }} Reason in <think> </think>, answer in <answer> </answer>.\n")
    code, lines = lint(str(path))
    assert code == 0
    assert lines == [f"{path}:2: warning: the template never mentions <step>; the teacher will not know to write it"]


def test_answer_read_by_an_answer_blind_template_is_an_error_on_each_line(tmp_path: Path) -> None:
    body = (
        f"{TAGS}\n{{{{ question }}}}\n(hint: {{{{ problem.answer }}}})\n{{{{ answer }}}}\n"
        "{{ problem.meta.answer_decimal }}\n"
    )
    variables = '["question", "problem", "answer"]'
    path = write(tmp_path, "leaky", front("leaky", variables=variables, reveals="false") + body)
    code, lines = lint(str(path))
    assert code == 1
    errors = [line for line in lines if ": error: " in line]
    assert [line.split(": error: ")[0] for line in errors] == [f"{path}:9", f"{path}:10", f"{path}:11"]
    assert all("reveals_answer = false but the template reads the answer" in line for line in errors)


def test_declared_variables_must_match_use(tmp_path: Path) -> None:
    body = f"{TAGS}\n{{{{ question }}}} = {{{{ answer }}}}\n"
    path = write(tmp_path, "undeclared", front("undeclared", variables='["question", "meta"]') + body)
    code, lines = lint(str(path))
    assert code == 0
    assert f"{path}:8: warning: uses 'answer' but the front matter's variables omit it" in lines
    assert f"{path}:2: warning: front matter lists 'meta' but it is unused" in lines


def test_sandbox_escapes_are_errors(tmp_path: Path) -> None:
    mro = write(tmp_path, "mro", front("mro") + f"{TAGS}\n{{{{ question }}}}\n{{{{ ''.__class__.__mro__ }}}}\n")
    viaattr = write(tmp_path, "viaattr", front("viaattr") + f"{TAGS}\n{{{{ question|attr('__class__') }}}}\n")
    code, lines = lint(str(tmp_path))
    assert code == 1
    assert f"{mro}:9: error: access to '__class__' is refused: templates cannot reach Python internals" in lines
    assert any(
        line.startswith(f"{viaattr}:8: error: rendering a sample problem failed: SecurityError") for line in lines
    )


def test_front_matter_errors_and_missing_files(tmp_path: Path) -> None:
    late = write(tmp_path, "late", "Solve {{ question }}\n" + front("late"))
    code, lines = lint(str(late), str(tmp_path / "nope.jinja"))
    assert code == 1
    assert lines[0] == f"{late}:2: error: " + (
        "front matter must start on the first line; move this '{#---' block to the top"
    )
    assert lines[1] == f"{tmp_path / 'nope.jinja'}: error: no such file or directory"


def test_missing_meta_key_in_sample_render_is_a_warning(tmp_path: Path) -> None:
    body = f"{TAGS}\n{{{{ question }}}} ({{{{ meta.currency }}}})\n"
    path = write(tmp_path, "currency", front("currency", variables='["question", "meta"]') + body)
    code, lines = lint(str(path))
    assert code == 0
    assert lines[0].startswith(f"{path}:8: warning: rendering a sample problem failed: UndefinedError")


def test_default_targets_include_templates_dirs(tmp_path: Path) -> None:
    path = write(tmp_path, "extra", front("extra") + f"{TAGS}\n{{{{ questoin }}}}\n")
    code, lines = lint("--templates", str(tmp_path))
    assert code == 1
    assert any(line.startswith(f"{path}:8: error: unknown variable 'questoin'") for line in lines)


def test_a_tag_named_only_in_a_comment_or_the_front_matter_still_counts_as_missing(tmp_path: Path) -> None:
    text = (
        '{#---\nname = "hidden"\ndescription = "asks for <think>"\nvariables = ["question"]\nreveals_answer = true\n'
        "---#}\n{# remind the teacher of <verifier_answer> #}\nSolve {{ question }}; reply in <answer>.\n"
    )
    path = write(tmp_path, "hidden", text)
    code, lines = lint(str(path))
    assert code == 0
    assert lines == [
        f"{path}:2: warning: the template never mentions <think>; the teacher will not know to write it",
        f"{path}:2: warning: the template never mentions <verifier_answer>; the teacher will not know to write it",
    ]


def test_a_folder_without_templates_is_an_error_and_each_file_is_linted_once(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a template")
    code, lines = lint(str(empty))
    assert code == 1
    assert lines == [f"{empty}: error: no *.jinja templates in this folder"]
    path = write(tmp_path, "twice", front("twice") + "Solve {{ question }}\n")
    code, lines = lint(str(tmp_path), str(path))
    assert code == 0
    assert len(lines) == 3  # the three missing-tag warnings of twice.jinja, once
    assert all(line.startswith(f"{path}:2: warning: the template never mentions <") for line in lines)


def test_the_readme_example_template_lints_clean_and_renders(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "templates" / "README.md").read_text(encoding="utf-8")
    example = readme.split("```jinja\n", 1)[1].split("```", 1)[0]
    path = write(tmp_path, "my_template", example)
    code, lines = lint(str(path))
    assert (code, lines) == (0, [])
    result = runner.invoke(
        app,
        ["templates", "render", str(path), "--question", "What is 2 + 3?", "--expression", "2 + 3", "--answer", "5"],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("--- system ---\nYou are a patient mathematics tutor.")
