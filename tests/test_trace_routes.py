"""The solution routes of the eight original families: every route's traces pass the verifier with every claim
checked, the same problem always gets the same route and bytes, ``mix`` spreads problems evenly over the routes,
and each check recomputes (a wrong result copied into the check makes a false claim there)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from chukmath.api import build, generate
from chukmath.families import get_family
from chukmath.families.common.format import num
from chukmath.families.trace_style import MIX, route_name
from chukmath.records import Problem, Request, Response
from chukmath.teach.builtin import builtin_response, builtin_trace
from chukmath.verify import check_steps, verify_response

FAMILIES = (
    "arithmetic", "fractions", "linear_equation", "linear_system", "quadratic", "calculus", "number_theory",
    "word_problem",
)  # fmt: skip
CASES = [(family, route) for family in FAMILIES for route in sorted(get_family(family).routes)]
PER_LEVEL = 40  # 200 problems over difficulties 1-5 for each (family, route)


def _problems(family: str, per_level: int = PER_LEVEL, seed: int = 21) -> list[Problem]:
    return [p for d in range(1, 6) for p in generate(family, count=per_level, seed=seed, difficulty=d)]


def _request(problem: Problem) -> Request:
    return Request(id=f"r-{problem.id}", problem_id=problem.id, template="t", template_hash="h",
                   messages=[{"role": "user", "content": problem.question}])  # fmt: skip


def test_every_family_declares_three_routes() -> None:
    for family in FAMILIES:
        assert len(get_family(family).routes) >= 3, family


@pytest.mark.parametrize(("family", "route"), CASES)
def test_route_traces_pass_the_verifier_with_every_claim_checked(family: str, route: str) -> None:
    unchecked = 0
    problems = _problems(family)
    for problem in problems:
        response = builtin_response(_request(problem), 0, problem, trace_style=route)
        assert response.content is not None, response.error
        verdict = verify_response(problem, response)
        assert verdict.accepted, (problem.expression, verdict.reasons, verdict.details)
        assert verdict.claims_skipped == 0, (problem.expression, response.content)
        if verdict.claims_checked == 0:
            # shapes with no arithmetic to claim, where the classic trace has none either (calculus: a sum like
            # 7x - 5·exp(x), whose derivative changes no number)
            assert check_steps(get_family(family).trace(problem)).checked == 0, problem.expression
            unchecked += 1
    assert unchecked <= len(problems) // 50


@pytest.mark.parametrize("family", FAMILIES)
def test_same_problem_same_route_and_bytes(family: str) -> None:
    problems = _problems(family, per_level=6)
    first = [builtin_trace(p, MIX) for p in problems]
    again = [builtin_trace(p, MIX) for p in reversed(problems)][::-1]
    assert first == again
    routes = get_family(family).routes
    for problem, text in zip(problems, first, strict=True):
        name = route_name(get_family(family), problem.id, MIX)
        assert name in routes
        assert text == routes[name](problem)


@pytest.mark.parametrize("family", FAMILIES)
def test_mix_spreads_problems_evenly_over_the_routes(family: str) -> None:
    problems = _problems(family, per_level=120, seed=4)
    counts = Counter(route_name(get_family(family), p.id, MIX) for p in problems)
    share = {name: counts[name] / len(problems) for name in get_family(family).routes}
    assert all(0.27 < s < 0.40 for s in share.values()), share


_NUMBER = re.compile(r"-?\d+(?:/\d+|\.\d+)?")


def _tamper(think: str, answer: str, question: str) -> tuple[str, str] | None:
    """The check section of ``think`` (from its first line starting with "Check") with the answer's first number
    replaced by a wrong one wherever it stands there, and the section as written; None without a check, when the
    number is not used in it, or when the question has the same number (it would be changed too)."""
    lines = think.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("Check")]
    found = _NUMBER.search(answer)
    if not starts or found is None:
        return None
    value = Fraction(found.group())
    style = "decimal" if "." in found.group() else "fraction"
    result, wrong = num(value, style), num(value + 1, style)
    section = "\n".join(lines[starts[0]:])
    pattern = re.compile(rf"(?<![\d/.]){re.escape(result)}(?![\d/.])")
    if pattern.search(question.replace("**", "^")):
        return None
    tampered = pattern.sub(wrong, section)
    return (tampered, section) if tampered != section else None


@pytest.mark.parametrize(("family", "route"), CASES)
def test_a_wrong_result_copied_into_the_check_makes_a_false_claim(family: str, route: str) -> None:
    tried = caught = 0
    for problem in _problems(family, per_level=20 if family == "calculus" else 12):
        text = builtin_trace(problem, route)
        think = text.split("<think>\n", 1)[1].split("\n</think>", 1)[0]
        answer = text.split("<verifier_answer>", 1)[1]
        found = _tamper(think, answer, problem.expression)
        if found is None:
            continue
        tampered, section = found
        assert not check_steps(section).bad, section
        tried += 1
        caught += bool(check_steps(tampered).bad)
    assert tried >= 30, f"only {tried} traces with a check that uses the result"
    assert caught / tried >= 0.9, f"{caught} of {tried} checks caught a wrong result"


def test_the_check_is_not_a_restatement() -> None:
    """The issue's example: a wrong difference copied into the check line is a false claim, not a pass."""
    problem = next(p for p in generate("arithmetic", count=50, seed=1, difficulty=1) if " - " in p.expression)
    think = builtin_trace(problem, "left_to_right")
    check = think.split("Check", 1)[1]
    assert check_steps(check).checked >= 1 and not check_steps(check).bad
    wrong = str(int(problem.answer) + 1)
    assert check_steps(re.sub(rf"(?<!\d){problem.answer}(?!\d)", wrong, check)).bad


def test_long_multiplication_is_shown_in_partial_products() -> None:
    problem = Problem(id="long", generator="arithmetic", difficulty=3, seed=0, index=0, question="347 × 26?",
                      expression="347 * 26", answer="9022")  # fmt: skip
    think = builtin_trace(problem, "left_to_right")
    for line in ("347 × 6 = 2082", "347 × 20 = 6940", "2082 + 6940 = 9022", "347 × 26 = 9022"):
        assert line in think
    easy = builtin_trace(replace(problem, difficulty=1), "left_to_right")
    assert "carry" in easy  # the easy levels work each one-digit product digit by digit
    division = builtin_trace(replace(problem, expression="9022 / 26", answer="347", question="9022 ÷ 26?"),
                             "left_to_right")
    assert "Long division of 9022 by 26" in division and "26 × 347 = 9022" in division


@pytest.mark.parametrize("route", ["left_to_right", "regroup"])
def test_a_sum_of_fractions_is_worked_over_the_common_denominator(route: str) -> None:
    """4/5 + 4/3 is not one jump: 15 = 5 × 3, each numerator scaled by a true product, the numerators added;
    5/6 - 1/3 ends by cutting 3/6 by its common factor."""
    problem = Problem(id="sum", generator="fractions", difficulty=2, seed=0, index=0, question="4/5 + 4/3?",
                      expression="4/5 + 4/3", answer="32/15")  # fmt: skip
    think = builtin_trace(problem, route)
    lines = think.splitlines()
    worked = ["5 × 3 = 15", "4 × 3 = 12", "4/5 = 12/15", "4 × 5 = 20", "4/3 = 20/15", "12 + 20 = 32",
              "4/5 + 4/3 = 32/15"]  # fmt: skip
    positions = [lines.index(line) for line in worked]
    assert positions == sorted(positions)
    report = check_steps(think)
    assert not report.bad and report.checked >= 6
    smaller = replace(problem, question="5/6 - 1/3?", expression="5/6 - 1/3", answer="1/2")
    think = builtin_trace(smaller, route)
    for line in ("3 × 2 = 6", "1/3 = 2/6", "5 - 2 = 3", "3 ÷ 3 = 1", "6 ÷ 3 = 2", "5/6 - 1/3 = 1/2"):
        assert line in think.splitlines()
    assert not check_steps(think).bad


def test_divide_first_divides_first_only_where_it_brings_no_fractions() -> None:
    """-9x + 20 = 38: 9 does not divide 20, so the route moves the constant, then divides once (no -20/9 steps);
    9x - 18 = 63 divides every term by 9 first."""
    def equation(text: str, expression: str, answer: str) -> Problem:
        return Problem(id="eq", generator="linear_equation", difficulty=2, seed=0, index=0, question=text,
                       expression=expression, answer=answer, meta={"variable": "x"})  # fmt: skip

    uneven = builtin_trace(equation("Solve -9x + 20 = 38.", "Eq(-9*x + 20, 38)", "-2"), "divide_first")
    assert "/9" not in uneven and "38 - 20 = 18" in uneven and "18 ÷ (-9) = -2" in uneven
    even = builtin_trace(equation("Solve 9x - 18 = 63.", "Eq(9*x - 18, 63)", "9"), "divide_first")
    assert "(-18) ÷ 9 = -2" in even and "63 ÷ 9 = 7" in even
    assert not check_steps(uneven).bad and not check_steps(even).bad


def test_factoring_shows_the_search_for_the_pair() -> None:
    """x² - 3x - 10: the factor pairs of -10 are tried in order, each sum a checked claim, until 2 and -5."""
    problem = Problem(id="q", generator="quadratic", difficulty=3, seed=0, index=0, question="Solve x^2 - 3x - 10 = 0.",
                      expression="Eq(x**2 - 3*x - 10, 0)", answer="{-2, 5}", meta={"variable": "x"})  # fmt: skip
    lines = builtin_trace(problem, "factoring").splitlines()
    tried = ["-1 and 10: (-1) + 10 = 9", "1 and -10: 1 + (-10) = -9", "-2 and 5: (-2) + 5 = 3",
             "2 and -5: 2 + (-5) = -3"]  # fmt: skip
    start = lines.index("Try the factor pairs of -10, adding each pair:")
    assert lines[start + 1 : start + 5] == tried and lines[start + 5].startswith("They are")
    report = check_steps("\n".join(lines))
    assert not report.bad and report.checked >= 4


def test_number_theory_states_no_remainder_without_its_division() -> None:
    """In every number_theory route, a remainder ``a mod m = r`` with ``a >= m`` comes right after the claim that
    gives it: a difference ending in ``r`` (``a - qm = r``, or the last chunk taken off), the long division's
    ``qm + r = a`` (``m × q = a`` when nothing is left), or the divisor test's long division that ends on its
    quotient and remainder, so no division is done in one jump."""
    shape = re.compile(r"^(\d+) mod (\d+) = (\d+)$")
    seen = 0
    for problem in _problems("number_theory", per_level=40, seed=5):
        if problem.meta.get("kind") == "valuation":
            continue  # every route ends with the classic trace's stopping remainder (5 ∤ 7): classic stays as it is
        for route in sorted(get_family("number_theory").routes):
            lines = builtin_trace(problem, route).splitlines()
            for at, line in enumerate(lines):
                found = shape.match(line)
                if not found:
                    continue
                a, m, r = map(int, found.groups())
                if a < m or m == 1:
                    continue
                before = lines[at - 1]
                seen += 1
                divided = before in (f"{a - r} + {r} = {a}", f"{m} × {a // m} = {a}",  # long division's last line
                                     f"The quotient is {a // m} with remainder {r}.")  # a divisor test's
                assert re.fullmatch(rf"\d+ - \d+ = {r}", before) or divided, (route, line)
    assert seen > 200


def test_substitution_solves_for_an_unknown_only_where_no_fraction_comes_in() -> None:
    """-3x - 2y = -6 and -2x + 3y = -43 have no coefficient that divides its row: substitution would write
    y = 3 - (3/2)x, so the route works with determinants (whole numbers until the last division); 2x + 4y = 2,
    5x + y = -22 solves (2) for y and writes the substituted equation with its signs as they are."""
    def system(first: str, second: str, answer: str) -> Problem:
        return Problem(id="sys", generator="linear_system", difficulty=2, seed=0, index=0, question="Solve.",
                       expression=f"[Eq({first}), Eq({second})]", answer=answer,
                       meta={"variables": ["x", "y"]})  # fmt: skip

    uneven = builtin_trace(system("-3*x - 2*y, -6", "-2*x + 3*y, -43", "{x: 8, y: -9}"), "substitution")
    assert "/" not in uneven.split("</think>")[0] and "Solve (" not in uneven and "use determinants" in uneven
    even = builtin_trace(system("2*x + 4*y, 2", "5*x + y, -22", "{x: -5, y: 3}"), "substitution")
    assert "Solve (2) for y: move the x term across." in even and "y = -22 - (5x)" in even
    assert "That gives -88 - (20x) + 2x = 2." in even
    negative = builtin_trace(system("x + 2*y, 4", "3*x - 5*y, 1", "{x: 2, y: 1}"), "substitution")
    assert "That gives 12 - (6y) - 5y = 1." in negative and "+ -" not in negative
    assert not check_steps(uneven).bad and not check_steps(even).bad and not check_steps(negative).bad


def test_the_formula_route_works_out_the_discriminant() -> None:
    """-3x² - 19x + 14: the classic formula lines, with (-19) × (-19) in partial products and 361 - (-168) as an
    addition in columns before their claims; the classic trace itself is unchanged."""
    problem = Problem(id="f", generator="quadratic", difficulty=3, seed=0, index=0,
                      question="Find all real solutions of -3x^2 - 19x + 14 = 0.",
                      expression="Eq(-3*x**2 - 19*x + 14, 0)", answer="{-7, 2/3}", meta={"variable": "x"})  # fmt: skip
    lines = builtin_trace(problem, "formula").splitlines()
    worked = ["19 × 9 = 171", "19 × 10 = 190", "171 + 190 = 361", "(-19) × (-19) = 361", "14 × 2 = 28",
              "(-12) × 14 = -168", "361 + 168 = 529", "361 - (-168) = 529"]  # fmt: skip
    positions = [lines.index(line) for line in worked]
    assert positions == sorted(positions)
    assert "19 × 9 = 171" not in builtin_trace(problem)  # classic
    assert not check_steps("\n".join(lines)).bad


def test_a_mix_build_records_the_style(tmp_path: Path) -> None:
    recipe = tmp_path / "mix.toml"
    recipe.write_text(
        'name = "mix"\ncount = 40\nseed = 3\n[[mix]]\ngenerator = "linear_system"\ndifficulty = 2\n'
        '[[mix]]\ngenerator = "arithmetic"\ndifficulty = 3\n[teacher]\ntrace_style = "mix"\n'
    )
    summary = build(recipe, tmp_path / "out")
    assert summary.complete and summary.accepted == 40
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["model"] == "chukmath-builtin-1+mix"
    assert manifest["recipe"]["teacher"]["trace_style"] == "mix"
    assert "trace style `mix`" in (tmp_path / "out" / "README.md").read_text()
    rows = [json.loads(line) for line in (tmp_path / "out" / "train.jsonl").read_text().splitlines()]
    texts = {row["messages"][-1]["content"] for row in rows}
    assert any("Cramer" in t or "Substitute this" in t or "Eliminate" in t for t in texts)


def test_response_model_names_the_style() -> None:
    problem = _problems("arithmetic", per_level=1)[0]
    response: Response = builtin_response(_request(problem), 0, problem, trace_style="regroup")
    assert response.model == "chukmath-builtin-1+regroup"
