"""The build hot-path shortcuts give exactly what the general code gives (issue 7 throughput pass)."""

from __future__ import annotations

import gc

from hypothesis import given, settings
from hypothesis import strategies as st

from chukmath.verify.answers import answers_match
from chukmath.verify.extract import extract_items

_NUMBER = st.from_regex(r"-?[0-9]{1,12}(/[0-9]{1,6})?", fullmatch=True)


def _general(text: str, *, scalar: bool, numeric: bool) -> object:
    # A leading space misses the shortcut regexes and is stripped first thing by clean(): the general path.
    return extract_items(" " + text, scalar=scalar, numeric=numeric)


@settings(max_examples=300, deadline=None)
@given(_NUMBER, st.sampled_from("xyzabIemnt"), st.booleans(), st.booleans())
def test_simple_answer_shapes_extract_like_the_general_path(number: str, name: str, scalar: bool, numeric: bool):
    for text in (f"The answer is {number}.", f"{name} = {number}"):
        fast = extract_items(text, scalar=scalar, numeric=numeric)
        assert fast == _general(text, scalar=scalar, numeric=numeric), text
        assert fast is not None and len(fast) == 1


def test_near_misses_of_the_shortcut_still_extract():
    # Shapes one character away from the shortcut take the general path and keep its meaning.
    assert extract_items("The answer is 1,200.", scalar=True) == _general(
        "The answer is 1,200.", scalar=True, numeric=False
    )
    assert [i.text for i in extract_items("the answer is 5 m.", numeric=True) or []] == ["5"]
    assert [(i.name, i.text) for i in extract_items("x = 3 or x = -2") or []] == [("x", "3"), ("x", "-2")]
    assert answers_match("The answer is -343/25.", "-343/25")
    assert not answers_match("The answer is -343/26.", "-343/25")
    assert answers_match("x = 7", "7") and not answers_match("x = 8", "7")


def test_build_restores_the_gc_thresholds(tmp_path):
    from chukmath.build import BuildOptions, build_dataset, load_recipe

    recipe_path = tmp_path / "r.toml"
    recipe_path.write_text(
        'name = "t"\ncount = 40\nseed = 3\n[[mix]]\ngenerator = "arithmetic"\nweight = 1\ndifficulty = 2\n'
        '[teacher]\nkind = "builtin"\n'
    )
    before = gc.get_threshold()
    summary = build_dataset(load_recipe(recipe_path), tmp_path / "out", BuildOptions(quiet=True))
    assert summary.accepted == 40
    assert gc.get_threshold() == before


def _jinja_messages(template, problem, system=None):
    # The reference: every section rendered by its compiled Jinja template, as before the plain-template plan.
    from chukmath.render.template import problem_context, with_system

    context = problem_context(problem)
    messages = [{"role": s.role, "content": s.template.render(context).strip()} for s in template._sections]
    return with_system(messages, system) if system is not None else messages


def test_builtin_templates_render_exactly_as_jinja_does():
    from chukmath.generate import generate
    from chukmath.render import TemplateLibrary

    library = TemplateLibrary([])
    names = library.names()
    assert {"step_by_step", "answer_blind", "self_reflection", "tutor_system", "word_problem"} <= set(names)
    planned = 0
    for family in ("arithmetic", "fractions", "word_problem", "linear_equation", "quadratic", "number_theory"):
        for problem in list(generate(family, count=12, seed=5, difficulty=2)):
            for name in names:
                template = library.get(name)
                planned += sum(s.plan is not None for s in template._sections)
                assert template.render(problem) == _jinja_messages(template, problem), (name, problem.id)
                assert template.render(problem, "Be brief.") == _jinja_messages(template, problem, "Be brief.")
    assert planned > 0  # the shortcut is really taken for the plain built-ins


def test_templates_with_jinja_logic_are_rendered_by_jinja(tmp_path):
    from chukmath.records import Problem
    from chukmath.render import TemplateLibrary

    (tmp_path / "fancy.jinja").write_text(
        '{#---\nname = "fancy"\ndescription = "d"\nvariables = ["question", "answer", "problem"]\n'
        "reveals_answer = true\n---#}\n"
        "Q: {{ question | upper }} A: {{ answer }} {{ problem.id }}\n"
    )
    template = TemplateLibrary([tmp_path]).get("fancy")
    assert all(s.plan is None for s in template._sections)
    problem = Problem(
        id="p-1", generator="arithmetic", difficulty=1, seed=1, index=0, question="what is 1 + 1?",
        expression="1 + 1", answer="2", meta={},
    )  # fmt: skip
    assert template.render(problem)[0]["content"] == "Q: WHAT IS 1 + 1? A: 2 p-1"


_LINE_PIECES = ["1", "2", " ", "=", "+", "x", "\\", "\\times", "\\cdot", "\\div", "\\bmod", "\\mod", "×", "·", "⋅",
                "∗", "÷", "−", "²", "³", "frac", "{", "}", "**", "$", "é"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_LINE_PIECES), max_size=20))
def test_step_line_normalization_matches_the_replacement_table(pieces: list[str]):
    from chukmath.verify import claim_text

    line = "".join(pieces)
    reference = line
    for old, new in claim_text.REPLACE:
        reference = reference.replace(old, new)
    # the rest of normalize sees the replaced text either way
    assert claim_text.normalize(line) == claim_text.normalize(reference)
    expected = reference
    if "frac" not in expected and "\\" not in expected and "$" not in expected and "**" not in expected:
        assert claim_text.normalize(line) == expected


@settings(max_examples=400, deadline=None)
@given(_NUMBER, _NUMBER, st.sampled_from("xyzabIemnt"), st.sampled_from(["", " ", "\n"]))
def test_simple_answer_equal_to_the_expected_text_matches_like_the_general_path(
    number: str, other: str, name: str, pad: str
) -> None:
    """answers_match's shortcut (the one item of "The answer is N." / "x = N" is the expected text) agrees with
    the path it skips, run here by hiding the shortcut from answers_match."""
    import chukmath.verify.answers as answers

    cases = [(f"The answer is {n}.", pad + e + pad) for n in (number, other) for e in (number, other)]
    cases += [(f"{name} = {n}", e) for n in (number, other) for e in (number, other)]
    for candidate, expected in cases:
        fast = answers_match(candidate, expected)
        original = answers.simple_item
        answers.simple_item = lambda text: None
        try:
            general = answers_match(candidate, expected)
        finally:
            answers.simple_item = original
        assert fast == general, (candidate, expected)
