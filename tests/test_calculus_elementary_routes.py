"""The calculus routes on derivatives of p(x) + c·g(k·x) (g one of sin, cos, exp, log, sqrt) and fractional powers:
three routes, every claim true, the chain rule's factor k a claim, and a check that integrates each new term back
(a wrong coefficient in the result makes a false claim there). Products and compositions keep the classic trace."""

from __future__ import annotations

import re

import pytest

from chukmath.generate import generate
from chukmath.records import Problem, Response
from chukmath.teach.builtin import BUILTIN_MODEL, builtin_trace
from chukmath.verify import verify_response
from chukmath.verify.steps import check_steps

ROUTES = ("power_rule", "from_definition", "horner")


def _problem(expression: str) -> Problem:
    return Problem(id=expression, generator="calculus", difficulty=3, seed=0, index=0, question="q?",
                   expression=f"Derivative({expression}, x)", answer="")  # fmt: skip


def _response(text: str) -> Response:
    return Response(request_id="r", sample=0, teacher="builtin", model=BUILTIN_MODEL, content=text,
                    finish_reason="stop")  # fmt: skip


def _check_section(trace: str) -> str:
    return trace.split("Check by integrating", 1)[1].split("</think>", 1)[0]


@pytest.mark.parametrize(("expression", "worked", "back"), [
    ("x**4 - 9*x - 8*sin(3*x)", "(-8) × 3 = -24", "(-24) ÷ 3 = -8"),
    ("-3*x**4 + 5*cos(3*x)", "5 × (-3) = -15", "(-15) ÷ (-3) = 5"),
    ("5*x**2 + 4*exp(2*x)", "4 × 2 = 8", "8 ÷ 2 = 4"),
    ("7*sqrt(3)*sqrt(x) + 6*x**4", "7/2", "7/2 ÷ (1/2) = 7"),
    ("-x**(5/2)", "(-1) × 5/2 = -5/2", "(-5/2) ÷ (5/2) = -1"),
])  # fmt: skip
def test_each_route_works_the_coefficient_and_integrates_it_back(expression: str, worked: str, back: str) -> None:
    traces = {route: builtin_trace(_problem(expression), route) for route in ROUTES}
    assert len(set(traces.values())) == 3
    for route, trace in traces.items():
        report = check_steps(trace)
        assert not report.bad and report.skipped == 0 and report.checked >= 2, (route, report.bad, trace)
        lines = trace.splitlines()
        assert any(worked in line for line in lines), (route, trace)
        assert back in _check_section(trace).splitlines(), (route, trace)
        assert "Product rule" not in trace and "(a standard derivative)" not in trace
        # the new coefficient copied wrong into the check is a false claim there
        new = back.split(" ÷ ")[0]
        wrong = re.sub(r"-?\d+", lambda m: str(int(m.group()) + 1), new, count=1)
        assert check_steps(_check_section(trace).replace(back, back.replace(new, wrong, 1))).bad


def test_generated_derivatives_of_sums_products_and_compositions_take_the_routes() -> None:
    """Every generated derivative with sin, cos, exp, log or sqrt is worked by a route with a check (none is left
    to the classic trace), and the verifier accepts it with every claim checked."""
    seen = claimed = 0
    for level in (2, 3, 4, 5):
        for problem in generate("calculus", seed=8, count=60, difficulty=level):
            elementary = re.search(r"sin|cos|exp|log|sqrt", problem.expression)
            if not problem.expression.startswith("Derivative(") or not elementary:
                continue
            for route in ROUTES:
                trace = builtin_trace(problem, route)
                verdict = verify_response(problem, _response(trace))
                assert verdict.accepted and verdict.claims_skipped == 0, (route, problem.expression, verdict.reasons)
                assert not check_steps(trace).bad, (route, problem.expression)
                claimed += verdict.claims_checked >= 1  # -8*sin(x) - 6 has no arithmetic to claim
                assert "\nCheck " in trace and "(a standard derivative)" not in trace, (route, problem.expression)
                seen += 1
    assert seen >= 150 and claimed >= 0.9 * seen, (seen, claimed)


def _integral(expression: str) -> dict[str, str]:
    problem = Problem(id=expression, generator="calculus", difficulty=3, seed=0, index=0, question="q?",
                      expression=expression, answer="")  # fmt: skip
    return {route: builtin_trace(problem, route) for route in ROUTES}


@pytest.mark.parametrize(("expression", "value", "lines"), [
    ("Integral(7*sin(x), (x, 0, pi/6))", "7 - 7*sqrt(3)/2", ["(-7) × 1/2 = -7/2", "0 - (-7) = 7", "7 × (-1/2) = -7/2",
                                                             "1/2 - 1/6 = 1/3"]),
    ("Integral(-4*cos(x), (x, 0, pi/3))", "-2*sqrt(3)", ["(-4) × 1/2 = -2", "1/2 - 1/3 = 1/6"]),
    ("Integral(3*sin(x), (x, 0, pi))", "6", ["(-3) × (-1) = 3", "3 - (-3) = 6", "1/2 - 1 = -1/2"]),
])  # fmt: skip
def test_sin_and_cos_integrals_are_worked_three_ways(expression: str, value: str, lines: list[str]) -> None:
    """The classic trace stated "F(pi/6) is -7*sqrt(3)/2 and F(0) is -7"; each route now claims every part and is
    checked by another (the antiderivative at each end, the constant taken out, u = pi/2 - x)."""
    traces = _integral(expression)
    assert len(set(traces.values())) == 3
    seen: set[str] = set()
    for route, trace in traces.items():
        report = check_steps(trace)
        assert not report.bad and report.skipped == 0 and report.checked >= 2, (route, report.bad)
        assert f"Both ways give {value}." in trace and trace.endswith(f"<verifier_answer>{value}</verifier_answer>")
        assert " is -7*sqrt(3)/2 and F(0) is" not in trace
        seen |= set(trace.splitlines())
    assert set(lines) <= seen, set(lines) - seen


def test_an_exp_integral_finds_q_two_ways_and_checks_it_by_differentiating_back() -> None:
    """(7 - 5x^3)·exp(x) from 0 to 2: Q = -5x^3 + 15x^2 - 30x + 37 by parts or by matching coefficients, Q(2) = -3
    term by term and by Horner's rule, and Q + Q' = P a claim per power; a wrong q_0 is a false claim."""
    traces = _integral("Integral((7 - 5*x**3)*exp(x), (x, 0, 2))")
    assert len(set(traces.values())) == 3
    for route, trace in traces.items():
        report = check_steps(trace)
        assert not report.bad and report.skipped == 0 and report.checked >= 20, (route, report.bad)
        assert trace.endswith("<verifier_answer>-37 - 3*exp(2)</verifier_answer>")
        check = trace.split("Check by differentiating F back", 1)[1]
        assert "37 + (-30) = 7" in check and "(-40) + 37 = -3" in check, route
        assert check_steps(check.replace("37 + (-30) = 7", "38 + (-30) = 7")).bad
    assert "0 - (-15) = 15" in traces["power_rule"] and "7 - (-30) = 37" in traces["from_definition"]
    constant = _integral("Integral(-6*exp(x), (x, 0, 3))")
    for trace in constant.values():
        assert "(-6) × (-1) = 6" in trace and "(-6) × 1 = -6" in trace and "Both ways give 6 - 6*exp(3)." in trace


def test_generated_integrals_of_sin_cos_and_exp_take_the_routes() -> None:
    checked = 0
    for level in (2, 3, 4, 5):
        for problem in generate("calculus", seed=3, count=80, difficulty=level):
            if not re.search(r"Integral\(.*(sin|cos|exp)\(x\)", problem.expression):
                continue
            for route in ROUTES:
                trace = builtin_trace(problem, route)
                verdict = verify_response(problem, _response(trace))
                assert verdict.accepted and verdict.claims_skipped == 0, (route, problem.expression, verdict.reasons)
                assert "Both ways give" in trace and "Their difference is" not in trace, problem.expression
                checked += 1
    assert checked >= 30


@pytest.mark.parametrize(("expression", "lines"), [
    ("(-7*x**4 - 7*x**3 + 2)*cos(x)", ["(-7) × 4 = -28", "(-28) ÷ 4 = -7", "(-21) ÷ 3 = -7"]),
    ("-8*x*exp(2*x)", ["(-8) × 2 = -16", "(-16) ÷ 2 = -8"]),
    ("-2*x**4*cos(3*x)", ["(-2) × 4 = -8", "(-2) × (-3) = 6", "6 ÷ (-3) = -2"]),
    ("-cos(8*x**3)", ["8 × 3 = 24", "(-1) × (-1) = 1", "24 ÷ 3 = 8"]),
    ("6*log(3*x**2 + 1)", ["3 × 2 = 6", "6 × 6 = 36", "36 ÷ 6 = 6", "6 ÷ 2 = 3"]),
    ("-3*sqrt(2*x**2 + 1)", ["2 × 2 = 4", "4 ÷ 2 = 2", "(-3) × 2 = -6", "(-6) ÷ (-3) = 2"]),
])  # fmt: skip
def test_products_and_compositions_work_u_prime_and_check_each_piece(expression: str, lines: list[str]) -> None:
    """The classic trace said "u' is ... and v' is ..." and stopped; each route now works u' (and the number in
    front) as claims and checks them by integrating back, a wrong number there making a false claim."""
    traces = {route: builtin_trace(_problem(expression), route) for route in ROUTES}
    assert len(set(traces.values())) == 3
    for route, trace in traces.items():
        report = check_steps(trace)
        assert not report.bad and report.skipped == 0, (route, report.bad)
        assert "u' is" not in trace and "\nCheck " in trace
        assert set(lines) <= set(trace.splitlines()), (route, set(lines) - set(trace.splitlines()))
        check = trace.split("\nCheck ", 1)[1]
        first = next(line for line in lines if line in check)
        left = first.split(" ")[0].strip("()")
        assert check_steps(check.replace(first, first.replace(left, str(int(left) + 1), 1))).bad


def test_a_long_polynomial_times_exp_from_a_users_file_keeps_the_classic_trace() -> None:
    """Q's coefficients grow like degree!: a degree-40 P would be worked into thousands of lines; above the
    generator's degree 8 the route leaves it to the classic trace, which states F."""
    expression = "Integral(x**40*exp(x), (x, 0, 9))"
    problem = Problem(id="long", generator="calculus", difficulty=5, seed=0, index=0, question="q?",
                      expression=expression, answer="")  # fmt: skip
    assert builtin_trace(problem, "power_rule") == builtin_trace(problem)
    eight = _integral("Integral(x**8*exp(x), (x, 0, 3))")["power_rule"]
    assert "Both ways give Q(3)" in eight and not check_steps(eight).bad
