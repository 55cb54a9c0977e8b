"""Twin: a plain template rendered by its plan (``render/template._plain_plan``, a string join) against Jinja.

Templates made of text and ``{{ name }}`` outputs skip Jinja; on generated templates and problems the messages
must be exactly what Jinja renders for the same template compiled without a plan.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from chukmath.records import Problem
from chukmath.render import template
from chukmath.render.source import parse_template_source

NAMES = ("question", "expression", "answer", "generator", "difficulty")
# Literal text without Jinja's delimiters; newlines and spaces at the ends test the message strip.
LITERAL = st.text(st.characters(blacklist_characters="{}%#", blacklist_categories=("Cs",)), max_size=12)
OUTPUT = st.tuples(st.sampled_from(NAMES), st.sampled_from(["{{ %s }}", "{{%s}}", "{{ %s}}"])).map(
    lambda t: t[1] % t[0]
)
PIECES = st.lists(st.one_of(LITERAL, OUTPUT), min_size=1, max_size=8)
FREE = st.text(max_size=30)


def _compile(text: str, plan: bool) -> template.PromptTemplate:
    source = parse_template_source(Path("twin.jinja"), text)
    if plan:
        return template.PromptTemplate(source, "test")
    with mock.patch.object(template, "_plain_plan", lambda ast: None):
        return template.PromptTemplate(source, "test")


@settings(max_examples=40, deadline=None)
@given(
    system=PIECES,
    user=PIECES,
    question=FREE,
    expression=FREE,
    answer=FREE,
    difficulty=st.integers(1, 10**6),
)
def test_plain_plan_renders_what_jinja_renders(system, user, question, expression, answer, difficulty) -> None:
    text = ("{#- role: system -#}\n" + "".join(system) + " {{ generator }}\n{#- role: user -#}\n" + "".join(user)
            + " {{ question }}\n")
    problem = Problem(id="twin-0", generator="arithmetic", difficulty=difficulty, seed=0, index=0,
                      question=question or "q", expression=expression, answer=answer, meta={})
    planned, jinja = _compile(text, True), _compile(text, False)
    assert all(s.plan is not None for s in planned._sections)  # the fast path is what is under test
    assert all(s.plan is None for s in jinja._sections)
    try:
        expected = jinja.render(problem)
    except Exception as exc:  # an empty message: both paths must refuse it alike
        try:
            planned.render(problem)
        except Exception as other:
            assert type(other) is type(exc)
            return
        raise AssertionError("the plan rendered a problem Jinja refused") from exc
    assert planned.render(problem) == expected


def test_a_template_with_a_filter_has_no_plan() -> None:
    planned = _compile("{#- role: user -#}\nSolve {{ question | upper }}\n", True)
    assert planned._sections[0].plan is None
