"""Templates cannot make a render run away: loop budget, size caps, deterministic built-ins, unknown filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.errors import ConfigError
from chukmath.records import Problem
from chukmath.render import TemplateFileError, TemplateLibrary, TemplateRenderError
from chukmath.render.bounds import MAX_CHARS, MAX_LOOP_ITEMS, MAX_MESSAGE_CHARS

PROBLEM = Problem(
    id="arithmetic-3-0",
    generator="arithmetic",
    difficulty=2,
    seed=3,
    index=0,
    question="What is 12 + 30?",
    expression="12 + 30",
    answer="42",
    meta={"operations": ["+"]},
)
TAGS = "<think> <answer> <verifier_answer>"


def template(tmp_path: Path, body: str, name: str = "t") -> Path:
    path = tmp_path / f"{name}.jinja"
    path.write_text(
        f'{{#---\nname = "{name}"\ndescription = "bounds test"\nvariables = ["question", "meta", "problem"]\n'
        f"reveals_answer = true\n---#}}\n{body}\n{TAGS}\n",
        encoding="utf-8",
    )
    return path


def render(tmp_path: Path, body: str) -> str:
    path = template(tmp_path, body)
    return TemplateLibrary().get(str(path)).render(PROBLEM)[0]["content"]


# Each body is just past a bound, so without the bound it would render (cheaply) and the test would fail.
DOUBLE = "{% set ns = namespace(s='ab') %}{% for i in range(20) %}{% set ns.s = ns.s OP ns.s %}{% endfor %}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{% for i in range(400) %}{% for j in range(400) %}{% endfor %}{% endfor %}", "more than 100,000 iterations"),
        ("{% set s = 'x' * 400 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}", "100,000 iterations"),
        ("{% for i in range(60000) %}{% endfor %}{% for i in range(60000) %}{% endfor %}", "100,000 iterations"),
        (DOUBLE.replace("OP", "~") + "{{ ns.s | length }}", "a ~ concatenation would exceed"),
        (DOUBLE.replace("OP", "+") + "{{ ns.s | length }}", "a sum would exceed"),
        (f"{{{{ question | center({MAX_CHARS + 1}) }}}}", "center(1,000,001) would exceed"),
        (f"{{{{ question.ljust({MAX_CHARS + 1}) }}}}", "ljust(1,000,001) would exceed"),
        (f"{{{{ '{{:>{MAX_CHARS + 1}}}'.format(question) }}}}", "a formatted field would exceed"),
        (f"{{{{ '{{:>{{}}}}'.format(question, {MAX_CHARS + 1}) }}}}", "a formatted field would exceed"),
        (f"{{{{ '%{MAX_CHARS + 1}s' % question }}}}", "a formatted field would exceed"),
        (f"{{{{ '%*s' % ({MAX_CHARS + 1}, question) }}}}", "a formatted field would exceed"),
        (f"{{{{ '%{MAX_CHARS + 1}s' | format(question) }}}}", "a formatted field would exceed"),
        ("{% set s = 'x' * 99999 %}{{ [s, s, s, s, s, s, s, s, s, s, s] | join }}", "|join would exceed"),
        ("{% set s = 'x' * 99999 %}{{ ''.join([s, s, s, s, s, s, s, s, s, s, s]) }}", "join() would exceed"),
        ("{{ range(99999) | map('string') | join('y' * 99) }}", "join() would exceed"),
        ("{{ ('y' * 99).join(range(99999) | map('string')) }}", "join() would exceed"),
        ("{% set s = 'x' * 99999 %}{{ [s, s, s, s, s, s, s, s, s, s, s] }}", "a printed value would exceed"),
        ("{% set s = 'x' * 99999 %}{{ [s, s, s, s, s, s, s, s, s, s, s] | string }}", "|string would exceed"),
        ("{{ ['x' * 1000] * 1001 }}", "the repeated sequence would exceed"),
        ("{{ ('x' * 1001) | replace('x', 'y' * 1000) }}", "replace() would exceed"),
        ("{{ ('a\n' * 1001) | indent('y' * 1000) }}", "indent() would exceed"),
        ("{{ ('\t' * 1001).expandtabs(1000) }}", "expandtabs() would exceed"),
        ("{{ (2 ** 1000) ** 1001 }}", "powers above 1,000,000 bits"),
        ("{% for i in range(11) %}{{ 'x' * 99999 }}{% endfor %}", "the rendered user message would exceed"),
        (
            "{% set a = 'x' * 99999 %}{% set b = a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a ~ a %}{{ b }}{{ b }}",
            "the rendered user message would exceed",
        ),
        (
            "{% macro m() %}{% for i in range(11) %}{{ 'x' * 99999 }}{% endfor %}{% endmacro %}{{ m() | length }}",
            "the output of a block or macro would exceed",
        ),
        (
            "{% set b %}{% for i in range(11) %}{{ 'x' * 99999 }}{% endfor %}{% endset %}{{ b | length }}",
            "the output of a block or macro would exceed",
        ),
        (
            "{% filter upper %}{% for i in range(11) %}{{ 'x' * 99999 }}{% endfor %}{% endfilter %}",
            "the output of a block or macro would exceed",
        ),
    ],
)
def test_runaway_templates_fail_clearly(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(TemplateRenderError, match="SecurityError") as info:
        render(tmp_path, body)
    assert message in str(info.value)
    assert "failed on problem arithmetic-3-0" in str(info.value)


def test_ordinary_template_code_is_unaffected(tmp_path: Path) -> None:
    body = (
        "{% for op in meta.operations %}{{ loop.index }}:{{ op }} {% endfor %}{{ question | upper }} "
        "{{ '%.2f' | format(3.14159) }} {{ '{:,}'.format(12345678901234) }} {{ '%d' % 10**15 }} "
        "{{ ', '.join(['a', 'b']) }} {{ (problem | tojson | length) > 10 }} {{ 'ab' ~ 'cd' }} {{ [1] + [2] }} "
        "{{ 2 ** 10 }} {{ question | center(20) | length }} {{ 'x' * 3 }}"
    )
    assert render(tmp_path, body).splitlines()[0] == (
        "1:+ WHAT IS 12 + 30? 3.14 12,345,678,901,234 1000000000000000 a, b True abcd [1, 2] 1024 20 xxx"
    )


def test_the_loop_budget_is_per_message_and_per_render(tmp_path: Path) -> None:
    near = MAX_LOOP_ITEMS - 10
    body = f"{{#- role: system -#}}\n{{% for i in range({near}) %}}{{% endfor %}}sys\n{{#- role: user -#}}\n"
    body += f"{{% for i in range({near}) %}}{{% endfor %}}{{{{ question }}}}"
    prompt = TemplateLibrary().get(str(template(tmp_path, body)))
    for _ in range(2):
        assert [m["content"] for m in prompt.render(PROBLEM)] == ["sys", f"What is 12 + 30?\n{TAGS}"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ [1, 2, 3] | random }}", "the 'random' filter is not available: a prompt must render the same"),
        ("{{ lipsum() }}", "unknown variable 'lipsum'"),
        ("{% if meta.operations %}{{ question | uper }}{% endif %}", "unknown filter 'uper' (did you mean 'upper'?)"),
        ("{% if question is strng %}x{% endif %}", "unknown test 'strng' (did you mean 'string'?)"),
        ("{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}", "recursive loops are not available"),
    ],
)
def test_nondeterministic_unknown_and_recursive_constructs_fail_at_load_with_their_line(
    tmp_path: Path, body: str, message: str
) -> None:
    path = template(tmp_path, body)
    with pytest.raises(TemplateFileError) as info:
        TemplateLibrary().get(str(path))
    assert str(info.value).startswith(f"{path}:7: {message}")
    result = CliRunner().invoke(app, ["templates", "lint", str(path)])
    assert result.exit_code == 1
    assert any(line.startswith(f"{path}:7: error: {message}") for line in result.stdout.splitlines())


@pytest.mark.parametrize("name", ["step_by_step", "word_problem"])  # rendered by a string join / by Jinja
def test_a_problem_too_large_for_a_prompt_fails_the_same_way_whichever_way_the_template_renders(name: str) -> None:
    huge = Problem(**{**PROBLEM.to_dict(), "question": "What is 1 + 1? " + "very " * (MAX_CHARS // 5)})
    with pytest.raises(TemplateRenderError, match=r"SecurityError: .* would exceed 1,000,000 characters"):
        TemplateLibrary().get(name).render(huge)


def test_a_system_text_over_the_message_cap_is_refused_whoever_gives_it(tmp_path: Path) -> None:
    prompt = TemplateLibrary().get("tutor_system")
    assert prompt.render(PROBLEM, system="s" * MAX_MESSAGE_CHARS)[0]["content"] == "s" * MAX_MESSAGE_CHARS
    too_long = r"the system text is 1,000,001 characters; a message may have at most 1,000,000"
    with pytest.raises(ConfigError, match=too_long):
        prompt.render(PROBLEM, system="s" * (MAX_MESSAGE_CHARS + 1))
    result = CliRunner().invoke(
        app, ["templates", "render", "step_by_step", "--question", "What is 2 + 3?", "--expression", "2 + 3",
              "--answer", "5", "--system", "s" * (MAX_MESSAGE_CHARS + 1)],
    )  # fmt: skip
    assert result.exit_code != 0 and "a message may have at most 1,000,000" in str(result.exception)
    # The template's own system message is capped like any other.
    path = template(tmp_path, "{#- role: system -#}\n{% for i in range(11) %}{{ 'x' * 99999 }}{% endfor %}\n"
                              "{#- role: user -#}\n{{ question }}")  # fmt: skip
    with pytest.raises(TemplateRenderError, match="the rendered system message would exceed 1,000,000") as info:
        TemplateLibrary().get(str(path)).render(PROBLEM)
    assert str(info.value).startswith(f"{path}:8: ")


def test_the_messages_of_one_request_together_are_capped(tmp_path: Path) -> None:
    section = "{% for i in range(9) %}{{ 'x' * 99999 }}{% endfor %}"  # 899,991 characters: under the message cap
    two = f"{{#- role: system -#}}\n{section}\n{{#- role: user -#}}\n{section}{{{{ question }}}}\n"
    sizes = [len(m["content"]) for m in TemplateLibrary().get(str(template(tmp_path, two))).render(PROBLEM)]
    assert sizes[0] == 899_991 and 1_799_982 < sum(sizes) < 2_000_000
    three = f"{{#- role: assistant -#}}\n{section}\n{two}"
    path = template(tmp_path, three, name="three")
    over = r"SecurityError: the messages together are 2,7\d\d,\d\d\d characters, over the 2,000,000 a request may have"
    with pytest.raises(TemplateRenderError, match=over) as info:
        TemplateLibrary().get(str(path)).render(PROBLEM)
    assert str(info.value).startswith(f"{path}: template 'three' failed on problem arithmetic-3-0")
