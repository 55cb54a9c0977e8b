"""TemplateLibrary / PromptTemplate: built-ins, user overrides, sandbox, strict variables, line numbers, hashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from chukmath.errors import ConfigError, TemplateError
from chukmath.hashing import content_hash
from chukmath.records import Problem
from chukmath.render import (
    BUILTIN_ORIGIN,
    TemplateFileError,
    TemplateLibrary,
    TemplateRenderError,
    build_requests,
    builtin_template_dir,
)

ARITH = Problem(
    id="arithmetic-7-0",
    generator="arithmetic",
    difficulty=1,
    seed=7,
    index=0,
    question="What is 44 + 41 + 25?",
    expression="44 + 41 + 25",
    answer="110",
    meta={"operations": ["+", "+"]},
)
WORD = Problem(
    id="word_problem-7-3",
    generator="word_problem",
    difficulty=2,
    seed=7,
    index=3,
    question="A cyclist rides 18 km each day for 6 days. How far does she ride in total?",
    expression="18 * 6",
    answer="108",
    meta={"unit": "km"},
)
QUADRATIC = Problem(
    id="quadratic-7-1",
    generator="quadratic",
    difficulty=3,
    seed=7,
    index=1,
    question="Solve x**2 - 6*x + 1 = 0 for x.",
    expression="Eq(x**2 - 6*x + 1, 0)",
    answer="{3 - 2*sqrt(2), 3 + 2*sqrt(2)}",
    meta={},
)

HEADER = """{{#---
name = "{name}"
description = "test template"
variables = {variables}
reveals_answer = {reveals}
---#}}
"""


def write_template(
    directory: Path, name: str, body: str, variables: str = '["question"]', reveals: str = "true"
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.jinja"
    path.write_text(HEADER.format(name=name, variables=variables, reveals=reveals) + body, encoding="utf-8")
    return path


def test_builtins_are_listed_and_render_every_problem_family() -> None:
    library = TemplateLibrary()
    names = library.names()
    for required in ("step_by_step", "self_reflection", "answer_blind", "word_problem", "tutor_system"):
        assert required in names
    for entry in library.list():
        assert entry.origin == BUILTIN_ORIGIN
        assert entry.path.parent == builtin_template_dir()
        template = library.get(entry.name)
        for problem in (ARITH, WORD, QUADRATIC):
            messages = template.render(problem)
            assert messages[-1]["role"] == "user"
            assert problem.question in messages[-1]["content"]
            text = "\n".join(m["content"] for m in messages)
            for tag in template.meta.tags:  # the three defaults, unless the front matter lists others
                assert f"<{tag}>" in text, (entry.name, tag)


def test_step_by_step_gives_the_answer_and_answer_blind_does_not() -> None:
    library = TemplateLibrary()
    shown = library.get("step_by_step").render(ARITH)[0]["content"]
    assert "110" in shown and "44 + 41 + 25" in shown
    assert library.get("step_by_step").meta.reveals_answer is True
    blind = library.get("answer_blind")
    assert blind.meta.reveals_answer is False
    assert "answer" not in blind.meta.variables
    for problem in (ARITH, WORD, QUADRATIC):
        content = blind.render(problem)[0]["content"]
        assert problem.answer not in content
    assert WORD.expression not in blind.render(WORD)[0]["content"]


def test_self_reflection_asks_for_a_silent_verification_pass() -> None:
    content = TemplateLibrary().get("self_reflection").render(ARITH)[0]["content"]
    assert "Verification" in content
    assert "never mention" in content


def test_word_problem_uses_the_unit_only_when_the_problem_has_one() -> None:
    template = TemplateLibrary().get("word_problem")
    assert "108 km" in template.render(WORD)[0]["content"]
    assert "110\n" in template.render(ARITH)[0]["content"]


def test_system_variant_renders_two_messages_and_system_option_replaces_or_prepends() -> None:
    library = TemplateLibrary()
    two = library.get("tutor_system").render(ARITH)
    assert [m["role"] for m in two] == ["system", "user"]
    assert "tutor" in two[0]["content"]
    assert "difficulty level 1" in two[1]["content"]
    replaced = library.get("tutor_system").render(ARITH, system="Answer in French.")
    assert replaced[0] == {"role": "system", "content": "Answer in French."}
    assert replaced[1] == two[1]
    prepended = library.get("step_by_step").render(ARITH, system="Be brief.")
    assert [m["role"] for m in prepended] == ["system", "user"]
    with pytest.raises(ConfigError, match="--system"):
        library.get("step_by_step").render(ARITH, system="   ")


def test_user_template_overrides_builtin_and_list_shows_where_from(tmp_path: Path) -> None:
    user_dir = tmp_path / "mine"
    path = write_template(user_dir, "step_by_step", "MINE: {{ question }} <think> <answer> <verifier_answer>\n")
    library = TemplateLibrary([user_dir])
    entry = library.entry("step_by_step")
    assert entry.path == path
    assert entry.origin == str(user_dir)
    assert entry.shadows == (builtin_template_dir() / "step_by_step.jinja",)
    assert library.get("step_by_step").render(ARITH)[0]["content"].startswith("MINE: What is 44")
    # The other built-ins stay visible.
    assert library.entry("answer_blind").origin == BUILTIN_ORIGIN


def test_earlier_templates_dir_wins(tmp_path: Path) -> None:
    first = write_template(tmp_path / "a", "custom", "from a {{ question }}\n")
    write_template(tmp_path / "b", "custom", "from b {{ question }}\n")
    library = TemplateLibrary([tmp_path / "a", tmp_path / "b"])
    assert library.entry("custom").path == first
    assert library.get("custom").render(ARITH)[0]["content"].startswith("from a")


def test_unknown_name_lists_known_templates_and_bad_dir_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"no template named 'step_by_stpe'.*answer_blind.*step_by_step"):
        TemplateLibrary().get("step_by_stpe")
    with pytest.raises(ConfigError, match="not a directory"):
        TemplateLibrary([tmp_path / "missing"])
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "step_by_step.j2").write_text("not picked up: wrong suffix")
    with pytest.raises(ConfigError, match=r"--templates .*empty: no \*\.jinja templates in this folder"):
        TemplateLibrary([empty])


def test_a_path_to_a_jinja_file_works_as_a_name(tmp_path: Path) -> None:
    path = write_template(tmp_path, "adhoc", "ad hoc: {{ question }}\n")
    template = TemplateLibrary().get(str(path))
    assert template.render(ARITH)[0]["content"] == "ad hoc: What is 44 + 41 + 25?"


def test_sandbox_refuses_python_internals(tmp_path: Path) -> None:
    # Caught statically, before anything renders.
    write_template(tmp_path, "mro", "{{ ''.__class__.__mro__ }}\n")
    with pytest.raises(TemplateFileError, match=r"mro\.jinja:7: access to '__class__' is refused"):
        TemplateLibrary([tmp_path]).get("mro")
    # The same reached through the attr filter gets past the static check; the sandbox refuses it at render.
    write_template(tmp_path, "viaattr", "{{ (question|attr('__class__')).__name__ }}\n")
    with pytest.raises(TemplateFileError, match="'__name__'"):
        TemplateLibrary([tmp_path]).get("viaattr")
    write_template(tmp_path, "viaattr2", "{{ question|attr('__class__') }}\n")
    with pytest.raises(TemplateRenderError, match=r"viaattr2\.jinja:7: .*SecurityError"):
        TemplateLibrary([tmp_path]).get("viaattr2").render(ARITH)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("{{ meta.update({'unit': 'm'}) }}\n", "SecurityError"),
        ("{{ problem.clear() }}\n", "SecurityError"),
        ("{{ 'x' * 100000000 }}\n", "SecurityError"),
        ("{{ 10 ** 100000 }}\n", "SecurityError"),
        ("{% for i in range(10**9) %}{% endfor %}\n", "OverflowError"),
        ("{{ question.format.__globals__ }}\n", None),
        ("{{ lipsum.__globals__ }}\n", None),
    ],
)
def test_sandbox_refuses_mutation_and_unbounded_work(tmp_path: Path, body: str, error: str | None) -> None:
    write_template(tmp_path, "bad", body, variables='["meta", "problem", "question"]')
    library = TemplateLibrary([tmp_path])
    if error is None:
        with pytest.raises(TemplateFileError, match="__globals__"):
            library.get("bad")
        return
    with pytest.raises(TemplateRenderError, match=error):
        library.get("bad").render(ARITH)
    assert ARITH.meta == {"operations": ["+", "+"]}


def test_include_is_not_available(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("secret")
    write_template(tmp_path, "inc", "{% include '" + str(tmp_path / "secret.txt") + "' %}\n")
    with pytest.raises(TemplateFileError, match=r"inc\.jinja:7: include/import/extends are not available"):
        TemplateLibrary([tmp_path]).get("inc")


def test_unknown_variable_fails_at_load_naming_it_and_its_line(tmp_path: Path) -> None:
    body = "Problem: {{ question }}\n{% if difficulty > 3 %}\nHint: {{ hnit }}\n{% endif %}\n"
    write_template(tmp_path, "typo", body, variables='["question", "difficulty"]')
    with pytest.raises(TemplateFileError, match=r"typo\.jinja:9: unknown variable 'hnit'") as info:
        TemplateLibrary([tmp_path]).get("typo")
    assert info.value.line == 9
    write_template(tmp_path, "typo2", "{{ questoin }}\n")
    with pytest.raises(TemplateFileError, match="did you mean 'question'"):
        TemplateLibrary([tmp_path]).get("typo2")


def test_loop_and_set_variables_are_allowed(tmp_path: Path) -> None:
    body = "{% set q = question %}{% for op in meta.operations %}{{ loop.index }}:{{ op }} {% endfor %}{{ q }}\n"
    write_template(tmp_path, "loops", body, variables='["question", "meta"]')
    assert TemplateLibrary([tmp_path]).get("loops").render(ARITH)[0]["content"] == "1:+ 2:+ What is 44 + 41 + 25?"


def test_missing_meta_key_is_an_error_naming_problem_and_line(tmp_path: Path) -> None:
    write_template(tmp_path, "unit", "{{ question }}\n\nUnit: {{ meta.unit }}\n", variables='["question", "meta"]')
    template = TemplateLibrary([tmp_path]).get("unit")
    assert template.render(WORD)[0]["content"].endswith("Unit: km")
    with pytest.raises(
        TemplateRenderError, match=r"unit\.jinja:9: template 'unit' failed on problem arithmetic-7-0"
    ) as info:
        template.render(ARITH)
    assert str(info.value).endswith("UndefinedError: 'dict object' has no attribute 'unit'")


def test_syntax_error_names_file_and_line_even_in_a_later_section(tmp_path: Path) -> None:
    body = "{#- role: system -#}\nYou are a tutor.\n{#- role: user -#}\nSolve {{ question }}\n{% if question %}\n"
    path = write_template(tmp_path, "broken", body)
    with pytest.raises(TemplateFileError) as info:
        TemplateLibrary([tmp_path]).get("broken")
    assert info.value.path == path
    assert info.value.line == 11
    assert str(info.value).startswith(f"{path}:11: syntax error")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Hello {{ question }}\n{#---\nname = 'x'\n---#}\n", 2, "front matter must start on the first line"),
        ("{#---\nname = 'x'\n", 1, "never closed"),
        ('{#---\nname = "bad"\ndescription = d d\nvariables = []\n---#}\nhi\n', 3, "not valid TOML"),
        (
            '{#---\nname = "bad"\ndescription = "d"\nvariables = []\nreveals_answer = true\nreveal = 1\n---#}\nhi\n',
            6,
            "'reveal': unknown key",
        ),
        (
            '{#---\nname = "other"\ndescription = "d"\nvariables = []\nreveals_answer = true\n---#}\nhi\n',
            2,
            "is 'other' but the file is 'bad'",
        ),
        (
            '{#---\nname = "bad"\ndescription = "d"\nvariables = ["questoin"]\nreveals_answer = true\n---#}\nhi\n',
            4,
            "unknown variable 'questoin'",
        ),
        (
            '{#---\nname = "bad"\ndescription = "d"\nvariables = []\nreveals_answer = "yes"\n---#}\nhi\n',
            5,
            "true or false",
        ),
        (
            '{#---\nname = "bad"\ndescription = "d"\nvariables = []\nreveals_answer = true\n---#}\nintro\n'
            "{#- role: user -#}\nhi\n",
            7,
            "text before the first role marker",
        ),
        (
            '{#---\nname = "bad"\ndescription = "d"\nvariables = []\nreveals_answer = true\n---#}\n'
            "{#- role: tool -#}\nhi\n",
            7,
            "unknown role 'tool'",
        ),
        (
            '{#---\nname = "bad"\ndescription = "d"\nvariables = []\nreveals_answer = true\n---#}\n'
            "{#- role: system -#}\nhi\n",
            7,
            "at least one user message",
        ),
    ],
)
def test_front_matter_and_layout_errors_name_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    (tmp_path / "bad.jinja").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateFileError, match=message) as info:
        TemplateLibrary([tmp_path]).get("bad")
    assert info.value.line == line


def test_crlf_files_keep_correct_line_numbers(tmp_path: Path) -> None:
    path = write_template(tmp_path, "crlf", "a\n{{ questoin }}\n")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    with pytest.raises(TemplateFileError) as info:
        TemplateLibrary([tmp_path]).get("crlf")
    assert info.value.line == 8


def test_template_hash_is_stable_and_follows_the_file(tmp_path: Path) -> None:
    write_template(tmp_path, "h", "Q: {{ question }}\n")
    first = TemplateLibrary([tmp_path]).get("h").hash
    assert TemplateLibrary([tmp_path]).get("h").hash == first
    write_template(tmp_path, "h", "Q:  {{ question }}\n")
    assert TemplateLibrary([tmp_path]).get("h").hash != first


def test_build_requests_ids_are_content_hashes_of_the_messages() -> None:
    template = TemplateLibrary().get("step_by_step")
    requests = list(build_requests([ARITH, WORD], template))
    assert [r.problem_id for r in requests] == [ARITH.id, WORD.id]
    for request in requests:
        assert request.id == content_hash({"messages": request.messages})
        assert request.template == "step_by_step"
        assert request.template_hash == template.hash
    again = list(build_requests([ARITH, WORD], TemplateLibrary().get("step_by_step")))
    assert [r.id for r in again] == [r.id for r in requests]
    with_system = list(build_requests([ARITH], template, system="Be brief."))
    assert with_system[0].id != requests[0].id


def test_builtin_dir_prefers_the_packaged_copy_then_the_repo_copy(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    package = repo / "chukmath"
    package.mkdir(parents=True)
    with pytest.raises(TemplateError, match="built-in templates not found"):
        builtin_template_dir(package)
    write_template(repo / "templates", "only_repo", "{{ question }}\n")
    assert builtin_template_dir(package) == repo / "templates"
    write_template(package / "builtin_templates", "packaged", "{{ question }}\n")
    assert builtin_template_dir(package) == package / "builtin_templates"


def test_problem_text_is_data_not_template_code() -> None:
    tricky = Problem(
        id="arithmetic-7-9",
        generator="arithmetic",
        difficulty=1,
        seed=7,
        index=9,
        question="What is {{ 7 * 7 }} {% raw %}? {{ ''.__class__ }}",
        expression="7 * 7",
        answer="49",
        meta={},
    )
    content = TemplateLibrary().get("answer_blind").render(tricky)[0]["content"]
    assert "Problem: What is {{ 7 * 7 }} {% raw %}? {{ ''.__class__ }}\n" in content


SECRET = Problem(
    id="word_problem-7-8",
    generator="word_problem",
    difficulty=2,
    seed=7,
    index=8,
    question="A tank holds 98 litres more than 1,000 litres. How much does it hold?",
    expression="1000 + 98",
    answer="1098",
    meta={"unit": "litres", "answer_decimal": "1098.0", "answer_words": "one thousand ninety-eight"},
)


@pytest.mark.parametrize(
    "body",
    [
        "{{ problem }}\n",
        "{{ problem | tojson }}\n",
        "{{ meta }} {{ meta | tojson }}\n",
        "{% for key, value in problem | dictsort %}{{ key }}={{ value }} {% endfor %}\n",
        "{% for key in problem %}{{ key }} {% endfor %}{{ problem.values() | list }}\n",
        "{% for key in meta %}{{ meta[key] }} {% endfor %}\n",
    ],
)
def test_answer_blind_template_cannot_reach_the_answer_through_problem_or_meta(tmp_path: Path, body: str) -> None:
    # An override of answer_blind that prints the whole record must still not show the answer: the context of a
    # reveals_answer = false template does not hold it.
    write_template(tmp_path, "answer_blind", body, variables='["problem", "meta"]', reveals="false")
    library = TemplateLibrary([tmp_path])
    content = library.get("answer_blind").render(SECRET)[0]["content"]
    assert "1098" not in content and "one thousand" not in content
    assert "litres" in content or "A tank" in content or "unit" in content
    assert SECRET.meta["answer_decimal"] == "1098.0"  # the problem itself is untouched


def test_builtin_answer_blind_never_contains_the_answer() -> None:
    messages = TemplateLibrary().get("answer_blind").render(SECRET)
    assert "1098" not in "\n".join(m["content"] for m in messages)
    assert "Problem: A tank holds 98 litres" in messages[0]["content"]


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("{{ question }}\n{{ answer }}\n", 8),
        ("{{ question }}\n\n{% if answer is defined %}x{% endif %}\n", 9),
        ("{{ problem.answer }}\n", 7),
        ("{{ problem['answer'] }}\n", 7),
        ("{{ meta.answer_decimal }}\n", 7),
        ("{{ problem.meta.answer_decimal }}\n", 7),
    ],
)
def test_answer_blind_template_reading_the_answer_fails_at_load_naming_the_line(
    tmp_path: Path, body: str, line: int
) -> None:
    write_template(tmp_path, "blind", body, variables='["question", "answer", "problem", "meta"]', reveals="false")
    with pytest.raises(TemplateFileError, match=rf"blind\.jinja:{line}: reveals_answer = false but") as info:
        TemplateLibrary([tmp_path]).get("blind")
    assert info.value.line == line
    # The same template is fine when it declares that it reveals the answer.
    write_template(tmp_path, "open", body, variables='["question", "answer", "problem", "meta"]')
    TemplateLibrary([tmp_path]).get("open").render(SECRET)


# What the issue asks every built-in prompt to tell the teacher, as phrases its rendered text must contain
# (lower case): restate inside <think>, operator-precedence order, plain language, a re-check, <answer>,
# only the clean result in <verifier_answer>, all reasoning inside <think>.
COMMON = ["start with <think>", "restate the problem in your own words", "operator precedence",
          "plain language", "in <answer>...</answer>", "all of your reasoning inside <think>...</think>"]  # fmt: skip
INSTRUCTIONS = {
    "step_by_step": [*COMMON, "re-check the steps", "only the clean result in <verifier_answer>"],
    "self_reflection": [*COMMON, "verification pass", "recompute", "never mention, apologise for or point out an "
                        "earlier mistake", "only the clean result in <verifier_answer>"],
    "answer_blind": [*COMMON, "re-check your steps", "only the clean, exact result in <verifier_answer>"],
    "word_problem": [*COMMON, "re-check that the result", "unit", "only the number, without the unit or any words, "
                     "in <verifier_answer>"],
    "tutor_system": ["<think>", "restate the problem in your own words", "operator-precedence order", "plain-language",
                     "a re-check of the steps", "<answer>the final answer", "<verifier_answer>only the clean result",
                     "all reasoning goes inside <think>...</think>"],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(INSTRUCTIONS))
def test_every_builtin_prompt_carries_each_instruction_of_the_issue(name: str) -> None:
    problem = WORD if name == "word_problem" else ARITH
    text = "\n".join(m["content"] for m in TemplateLibrary().get(name).render(problem)).lower()
    missing = [phrase for phrase in INSTRUCTIONS[name] if phrase not in text]
    assert not missing, (name, missing)


def test_a_misspelt_problem_field_fails_at_load_and_dict_methods_still_work(tmp_path: Path) -> None:
    body = "{{ question }}\n{% if difficulty > 4 %}seed {{ problem.sede }}{% endif %}\n"
    write_template(tmp_path, "field", body, variables='["question", "difficulty", "problem"]')
    with pytest.raises(
        TemplateFileError, match=r"field\.jinja:8: problem has no field 'sede' \(did you mean 'seed'\?\)"
    ):
        TemplateLibrary([tmp_path]).get("field")
    body = "{{ problem.items() | list | length }} {{ problem.get('id') }} {{ problem['index'] }} {{ problem.meta }}\n"
    write_template(tmp_path, "fields", body, variables='["problem"]')
    content = TemplateLibrary([tmp_path]).get("fields").render(ARITH)[0]["content"]
    assert content == "9 arithmetic-7-0 0 {'operations': ['+', '+']}"
