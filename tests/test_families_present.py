"""Answers as a person writes them (issue 15): money with cents in two places, units singular for 1, calculus in
the prompt's ``^`` notation. Every ``present()`` form and the built-in trace's ``<answer>`` and
``<verifier_answer>`` are accepted against the exact answer; a wrong amount is not."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from chukmath.families.common.present import money_forms, money_text, unit_for
from chukmath.generate import generate, get_family
from chukmath.records import Problem, Response
from chukmath.teach.builtin import BUILTIN_MODEL, builtin_trace
from chukmath.verify import verify_response
from chukmath.verify.answers import answers_match


def _problem(generator: str, question: str, expression: str, answer: str, **meta: object) -> Problem:
    return Problem(id=f"{generator}-1", generator=generator, difficulty=3, seed=0, index=0, question=question,
                   expression=expression, answer=answer, meta=dict(meta))  # fmt: skip


def _tags(trace: str) -> tuple[str, str]:
    answer = re.search(r"<answer>(.*?)</answer>", trace, re.S)
    verifier = re.search(r"<verifier_answer>(.*?)</verifier_answer>", trace, re.S)
    assert answer and verifier, trace
    return answer.group(1), verifier.group(1)


def _accepted(problem: Problem, trace: str) -> bool:
    response = Response(request_id="r", sample=0, teacher="builtin", model=BUILTIN_MODEL, content=trace,
                        finish_reason="stop")  # fmt: skip
    return verify_response(problem, response).accepted


def test_money_text() -> None:
    assert money_text(Fraction(46179, 5)) == "9235.80"
    assert money_text(Fraction(17, 4)) == "4.25"
    assert money_text(Fraction(56)) == "56"
    assert money_text(Fraction(-1, 20)) == "-0.05"
    assert money_text(Fraction(30709, 1250)) == "24.5672"  # finer than a cent: the exact decimal
    assert money_forms("46179/5") == ["46179/5", "9235.80", "9235.8", "\\frac{46179}{5}"]
    assert money_forms("56") == ["56"]


def test_unit_for() -> None:
    assert unit_for(1, "meters") == "meter"
    assert unit_for(Fraction(1), "square meters") == "square meter"
    assert unit_for(1, "loaves of bread") == "loaf of bread"
    assert unit_for(1, "kilograms of cherries") == "kilogram of cherries"
    assert unit_for(1, "sandwiches") == "sandwich"
    assert unit_for(Fraction(1, 2), "meters") == "meters"
    assert unit_for(2, "years") == "years"


def test_money_is_written_with_two_places_and_a_wrong_cent_is_rejected() -> None:
    p = _problem("word_problem", "Ana buys 12 bikes at $769.65 each. How much does Ana spend, in dollars?",
                 "12 * 769.65", "46179/5", unit="dollars")  # fmt: skip
    trace = builtin_trace(p)
    answer, verifier = _tags(trace)
    assert answer == "The answer is 9235.80 dollars."
    assert verifier == "9235.80"
    assert _accepted(p, trace)
    for form in ("$9,235.80", "9235.80", "9,235.80 dollars", *get_family("word_problem").present(p.answer)):
        assert answers_match(form, p.answer), form
    for wrong in ("$9,235.81", "9235.81", "46179/50"):
        assert not answers_match(wrong, p.answer), wrong
    assert not _accepted(p, trace.replace("9235.80", "9235.81"))


def test_a_fraction_of_money_is_shown_in_dollars_and_cents() -> None:
    p = _problem("word_problem", "Pens cost $3 each, 30% off. What do 5 pens cost, in euros?",
                 "5 * 3 * (100 - 30) / 100", "21/2", unit="euros")  # fmt: skip
    trace = builtin_trace(p)
    assert "21/2 = 10.50\n" in trace
    assert _tags(trace) == ("The answer is 10.50 euros.", "10.50")
    assert _accepted(p, trace)


@pytest.mark.parametrize(
    ("unit", "said"),
    [("meters", "1 meter"), ("square meters", "1 square meter"), ("loaves of bread", "1 loaf of bread"),
     ("years", "1 year"), ("cookies", "1 cookie")],
)  # fmt: skip
def test_one_of_a_unit_is_singular(unit: str, said: str) -> None:
    p = _problem("word_problem", f"How many {unit} does each get?", "(5 - 1) / 4", "1", unit=unit)
    trace = builtin_trace(p)
    assert _tags(trace)[0] == f"The answer is {said}."
    assert f"So the answer is {said}." in trace
    assert _accepted(p, trace)


def test_calculus_answers_are_in_the_prompts_notation() -> None:
    for expression, answer in (("Derivative(3*x**3 + 1, x)", "9*x**2"),
                               ("Derivative(x**2*exp(x), x)", "x**2*exp(x) + 2*x*exp(x)"),
                               ("Integral(3*x**2, x)", "x**3")):  # fmt: skip
        p = _problem("calculus", "Find it.", expression, answer)
        trace = builtin_trace(p)
        shown, verifier = _tags(trace)
        assert "**" not in shown and "**" not in verifier, trace
        assert verifier == answer.replace("**", "^")
        assert answers_match(verifier, answer) and answers_match(shown, answer)
        assert _accepted(p, trace)
    assert answers_match("9x^2", "9*x**2") and answers_match("9x^{2}", "9*x**2")
    assert not answers_match("9*x^3", "9*x**2")


@pytest.mark.parametrize("family", ["word_problem", "calculus"])
def test_generated_answers_in_every_form_are_accepted(family: str) -> None:
    present = get_family(family).present
    for difficulty in (1, 3, 5):
        for p in generate(family, seed=15, count=30, difficulty=difficulty):
            for form in present(p.answer):
                assert answers_match(form, p.answer), (form, p.answer)
            trace = builtin_trace(p)
            answer, verifier = _tags(trace)
            assert answers_match(answer, p.answer, question=p.question), (answer, p.answer)
            assert answers_match(verifier, p.answer), (verifier, p.answer)
            assert "**" not in answer + verifier
            if family == "word_problem" and p.meta.get("unit") in ("dollars", "euros", "pounds"):
                assert (Fraction(p.answer) * 100).denominator == 1, (p.question, p.answer)  # whole cents
                if "/" in p.answer:
                    assert re.fullmatch(r"The answer is \d+\.\d\d (?:dollars|euros|pounds)\.", answer), answer
            assert not re.search(r"(?<![\d.])1 (?:meters|years|cups|liters|dollars)\b", answer), answer
            assert _accepted(p, trace)
