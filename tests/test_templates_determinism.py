"""A prompt is a pure function of the problem: objects that print with a memory address are refused at render,
and `templates lint` renders every template a second time in another process and fails when the two differ."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.records import Problem
from chukmath.render import PromptTemplate, TemplateRenderError, lint_paths

runner = CliRunner()
TAGS = "<think> <answer> <verifier_answer>"
PROBLEM = Problem(
    id="arithmetic-1-0",
    generator="arithmetic",
    difficulty=1,
    seed=1,
    index=0,
    question="What is 2 + 3?",
    expression="2 + 3",
    answer="5",
    meta={"operations": ["+", "-"]},
)


def write(tmp_path: Path, body: str, name: str = "t") -> Path:
    """A template whose line 8 is ``body``."""
    path = tmp_path / f"{name}.jinja"
    path.write_text(
        f'{{#---\nname = "{name}"\ndescription = "determinism test"\nvariables = ["question", "meta"]\n'
        f"reveals_answer = true\n---#}}\n{TAGS} {{{{ question }}}}\n{body}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("{{ cycler }}", "a printed value would print the class Cycler"),
        ("{{ joiner() }}", "a printed value would print a jinja2.utils.Joiner object"),
        ("{{ range }}", "a printed value would print the function or method safe_range"),
        ("{{ dict }}", "a printed value would print the class dict"),
        ("{{ namespace() }}", "a printed value would print a jinja2.utils.Namespace object"),
        ("{{ question.upper }}", "a printed value would print the function or method upper"),
        ("{{ meta.operations | map('upper') }}", "a printed value would print a generator"),
        ("{{ [1, joiner()] }}", "a printed value would print a jinja2.utils.Joiner object"),
        ("{{ {'j': cycler} }}", "a printed value would print the class Cycler"),
        ("{{ joiner() | string }}", "|string would print"),
        ("{{ joiner() | pprint }}", "|pprint would print"),
        ("{{ [joiner()] | join(', ') }}", "|join would print"),
        ("{{ question | replace('2', joiner()) }}", "|replace would print"),
        ("{{ cycler ~ '' }}", "a ~ concatenation would print"),
        ("{{ '%s' % joiner() }}", "a % format would print"),
        ("{{ '{}'.format(joiner()) }}", "format() would print"),
        ("{{ '{0.upper}'.format(question) }}", "the format field {0.upper} reads an attribute"),
    ],
)
def test_an_object_printed_with_its_address_is_refused_at_render(tmp_path: Path, body: str, what: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(TemplateRenderError) as caught:
        PromptTemplate.from_file(path).render(PROBLEM)
    message = str(caught.value)
    assert message.startswith(f"{path}:8: template 't' failed on problem arithmetic-1-0: SecurityError: ")
    assert what in message
    assert not re.search(r"0x[0-9a-f]{6,}", message)  # the error itself must not carry an address


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("{% set j = joiner(' and ') %}{% for op in meta.operations %}{{ j() }}{{ op }}{% endfor %}", "+ and -"),
        ("{% set c = cycler('odd', 'even') %}{{ c.next() }} {{ c.next() }} {{ c.next() }}", "odd even odd"),
        ("{% set ns = namespace(n=0) %}{% for op in meta.operations %}{% set ns.n = ns.n + 1 %}{% endfor %}"
         "{{ ns.n }}", "2"),
        ("{{ meta.operations | map('upper') | join(', ') }} {{ range(3) | list }}", "+, - [0, 1, 2]"),
        ("{{ meta }} {{ meta.items() | list }} {{ meta | tojson }}", "{'operations': ['+', '-']} "
         "[('operations', ['+', '-'])] {\"operations\": [\"+\", \"-\"]}"),
        ("{{ '%s = %d' % (question, difficulty) }} {{ '{}!'.format(1.5) }}", "What is 2 + 3? = 1 1.5!"),
    ],
)  # fmt: skip
def test_joiner_cycler_namespace_used_for_their_values_still_render(tmp_path: Path, body: str, text: str) -> None:
    messages = PromptTemplate.from_file(write(tmp_path, body)).render(PROBLEM)
    assert messages[0]["content"].endswith("\n" + text)


def test_lint_refuses_a_template_printing_cycler_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "{{ cycler }}")
    result = runner.invoke(app, ["templates", "lint", str(path)])
    assert result.exit_code == 1
    assert f"{path}:8: error: rendering a sample problem failed: SecurityError: a printed value would print the " \
           "class Cycler" in result.stdout  # fmt: skip


# A problem made in Python may hold a set: its order follows string hashes, which another process seeds anew.
# Nothing in the template is wrong, so only rendering twice in two processes shows the prompt is not repeatable.
WORDS = {"plus", "minus", "times", "over", "sum", "difference", "product", "quotient", "power", "root", "square",
         "cube", "half", "third", "quarter", "fifth"}  # fmt: skip
SET_PROBLEM = Problem(**{**PROBLEM.to_dict(), "meta": {"operations": WORDS}})


def test_lint_renders_twice_in_two_processes_and_fails_when_they_differ(tmp_path: Path) -> None:
    path = write(tmp_path, "Words: {% for word in meta.operations %}{{ word }} {% endfor %}")
    issues = lint_paths([path], problems=[SET_PROBLEM])
    assert [(i.path, i.line, i.severity) for i in issues] == [(path, 7, "error")]
    assert issues[0].message.startswith(
        "renders differently in two processes on problem arithmetic-1-0: the user message (from line 7) differs "
        "from character "
    )
    assert "a prompt must be a pure function of the problem" in issues[0].message


def test_the_same_template_sorting_the_set_passes_the_second_render(tmp_path: Path) -> None:
    path = write(tmp_path, "Words: {% for word in meta.operations | sort %}{{ word }} {% endfor %}")
    assert lint_paths([path], problems=[SET_PROBLEM]) == []
