"""Built-in traces read like a careful person's working: no line said twice, no empty step, brackets worked out.

Truth of every claim is tested in test_builtin.py; these tests hold the traces to what a reader (or a student
model trained on them) would notice: ``x = 3`` stated twice, a header with nothing under it, an equation restated
in a form the question never showed, a step that multiplies by 1.
"""

from __future__ import annotations

import itertools
import re

import pytest

from chukmath.generate import generate, list_families
from chukmath.records import Problem, Response
from chukmath.teach.builtin import BUILTIN_MODEL, builtin_trace
from chukmath.verify import verify_response

_THINK = re.compile(r"<think>\n(.*)\n</think>", re.DOTALL)
# A claim line: only numbers, operators and brackets around one "=" (these may repeat legitimately,
# e.g. "0 × 0 = 0" twice while raising 0 to the third power).
_CLAIM = re.compile(r"^[\d\s.()\-+×÷/^]+ = [\d\s.()\-/]+$|^.* mod \d+ = \d+$")


def _problem(generator: str, expression: str, question: str = "q") -> Problem:
    return Problem(id="p", generator=generator, difficulty=3, seed=0, index=0, question=question,
                   expression=expression, answer="", meta={})  # fmt: skip


def _think(p: Problem) -> list[str]:
    match = _THINK.search(builtin_trace(p))
    assert match, builtin_trace(p)
    return match.group(1).split("\n")


def _readability_faults(lines: list[str]) -> list[str]:
    faults = []
    for before, after in itertools.pairwise(lines):
        if before == after and not _CLAIM.match(before):
            faults.append(f"said twice: {before!r}")
        # "(2)' 3y = 6" followed by "3y = 6": the same equation restated under no new step
        if before.endswith(f" {after}") and "=" in after and not _CLAIM.match(after):
            faults.append(f"restated: {before!r} then {after!r}")
        if before.endswith(":") and (after.startswith("So ") or not after):
            faults.append(f"a step header with nothing under it: {before!r}")
    if lines and lines[-1].endswith(":"):
        faults.append(f"ends on a header: {lines[-1]!r}")
    return faults


@pytest.mark.parametrize("family", [f.name for f in list_families()])
def test_generated_traces_have_no_repeated_lines_or_empty_steps(family):
    for difficulty in (1, 2, 3, 4, 5):
        for p in generate(family, seed=11, count=30, difficulty=difficulty):
            lines = _think(p)
            assert not _readability_faults(lines), (p.expression, _readability_faults(lines), "\n".join(lines))


def test_linear_equation_with_coefficient_one_states_the_solution_once():
    lines = _think(_problem("linear_equation", "Eq(x + 10, 13)"))
    assert lines.count("x = 3") == 1, lines
    assert lines[:3] == ["We need to solve for x: x + 10 = 13.", "Subtract 10 from both sides:", "13 - 10 = 3"]


def test_linear_equation_in_any_generated_problem_never_repeats_a_line():
    for difficulty in (1, 2, 3, 4, 5):
        for p in generate("linear_equation", seed=3, count=40, difficulty=difficulty):
            lines = _think(p)
            repeated = [a for a, b in itertools.pairwise(lines) if a == b]
            assert not repeated, (p.expression, repeated)


def test_brackets_are_restated_as_written_then_multiplied_out_and_checked_as_written():
    p = _problem("linear_equation", "Eq(3*(x - 20) - 69, -162)", "Solve for x: 3(x - 20) - 69 = -162.")
    lines = _think(p)
    assert lines[0] == "We need to solve for x: 3(x - 20) - 69 = -162."
    expected_run = ["3 × (-20) = -60", "3(x - 20) = 3x - 60", "Collect the numbers:", "(-60) - 69 = -129",
                    "So the equation is 3x - 129 = -162."]  # fmt: skip
    start = lines.index(expected_run[0])
    assert lines[start : start + len(expected_run)] == expected_run
    check = lines[lines.index("Left side: 3(x - 20) - 69") :]
    assert check[1:4] == ["(-11) - 20 = -31", "3 × (-31) = -93", "(-93) - 69 = -162"]
    assert "brackets multiplied out" not in "\n".join(lines)


BRACKET_SHAPES = [
    ("Eq(5 - (x + 1), 2*(x - 3))",
     ["The minus sign in front of (x + 1) flips the sign of each term inside:", "-(x + 1) = -x - 1"]),
    ("Eq(-(x + 70) + 31, -2*x - 48)", ["-(x + 70) = -x - 70", "Collect the numbers:", "(-70) + 31 = -39"]),
    ("Eq(2*(3*x - 1) - 4*(x + 2), 5)",
     ["Multiply out -4(x + 2): multiply each term inside the bracket by -4.", "(-4) × 2 = -8",
      "-4(x + 2) = -4x - 8", "Collect the x terms:", "6 - 4 = 2"]),
    ("Eq(0.5*(x + 1.5), 2)",
     ["Multiply out 0.5(x + 1.5): multiply each term inside the bracket by 1/2.", "1/2 × 3/2 = 3/4"]),
]  # fmt: skip


@pytest.mark.parametrize(("expression", "expected"), BRACKET_SHAPES)
def test_every_bracket_shape_is_worked_out_and_verified(expression, expected):
    p = _problem("linear_equation", expression)
    lines = _think(p)
    start = lines.index(expected[0])
    assert lines[start : start + len(expected)] == expected, lines
    verdict = verify_response(p, Response(request_id="r", sample=0, teacher="builtin", model=BUILTIN_MODEL,
                                          content=builtin_trace(p), finish_reason="stop"))  # fmt: skip
    assert verdict.reasons == [] or verdict.reasons == ["wrong_answer"], verdict.details  # answer "" in _problem
    assert not [d for d in verdict.details if d.startswith("bad step")]


def test_linear_system_does_not_restate_the_eliminated_row():
    lines = _think(_problem("linear_system", "[Eq(3*x + 2*y, 21), Eq(x + y, 8)]"))
    at = lines.index("(1)' -y = -3")
    assert lines[at + 1 : at + 5] == ["Back-substitute from the last equation up.", "Divide both sides by -1:",
                                      "(-3) ÷ (-1) = 3", "y = 3"]  # fmt: skip
    assert "Put y = 3 into (2): x + y = 8." in lines


def test_linear_system_eliminates_with_whole_multipliers_when_a_row_allows_it():
    lines = _think(_problem("linear_system", "[Eq(3*x + 2*y, 21), Eq(x + y, 8)]"))
    assert "Use (2) to eliminate x, since its x coefficient goes into the others a whole number of times." in lines
    assert "Eliminate x from (1): subtract 3 times (2) from (1)." in lines
    assert not any(line.startswith("1/3") for line in lines)
    plain = _think(_problem("linear_system", "[Eq(2*x + 3*y, 12), Eq(4*x - 2*y, 8)]"))
    assert not any(line.startswith("Use (") for line in plain)  # the first row already divides the second
    assert "Eliminate x from (2): subtract 2 times (1) from (2)." in plain


def test_modular_power_with_a_power_of_two_exponent_has_no_empty_product_step():
    lines = _think(_problem("number_theory", "Mod(20**2, 59)"))
    assert not any(line.startswith(("Write 2 as", "Multiply the remainders")) for line in lines), lines
    assert "2 is a power of 2, so square repeatedly, reducing mod 59 each time." in lines
    mixed = _think(_problem("number_theory", "Mod(27**10, 17)"))
    assert "27^10 is the product of 27^2 and 27^8; multiply their remainders:" in mixed


def test_divisor_count_and_sum_say_which_prime_each_step_is_for():
    lines = _think(_problem("number_theory", "divisor_count(119)"))
    assert lines[lines.index("The prime 7 has exponent 1:") + 1] == "1 + 1 = 2"
    assert lines[lines.index("The prime 17 has exponent 1:") + 1] == "1 + 1 = 2"
    sigma = _think(_problem("number_theory", "divisor_sigma(108)"))
    assert "For the prime 3: 1 + 3 + 3^2 + 3^3" in sigma
    assert sigma[sigma.index("7 × 40 = 280") - 1] == "Multiply by the product of the sums before it:"


def test_quadratic_surd_without_square_factor_does_not_multiply_by_one():
    lines = _think(_problem("quadratic", "Eq(-9*x**2 - 95*x + 88, 0)"))
    assert "1 × 12193 = 12193" not in lines
    assert "12193 has no square factor other than 1, so its square root stays as it is." in lines


def test_derivative_check_does_not_name_the_same_function_twice():
    lines = _think(_problem("calculus", "Derivative(-5*x**2, x)"))
    assert "Check: integrating -10*x term by term gives back -5*x^2." in lines
    shifted = _think(_problem("calculus", "Derivative(3*x**2 + 5, x)"))
    assert any("which is 3*x^2 + 5 up to a constant" in line for line in shifted), shifted


def test_a_single_term_antiderivative_is_named_without_saying_it_again():
    power = _think(_problem("calculus", "Integral(5*x**2, (x, -2, 3))"))
    at = power.index("So the antiderivative of 5*x^2 is 5*x^3/3.")
    assert power[at + 1] == "Call it F(x); check: differentiating F gives back 5*x^2."
    trig = _think(_problem("calculus", "Integral(-5*sin(x), (x, 0, pi/6))"))
    at = trig.index("The antiderivative of -5*sin(x) is 5*cos(x) (its derivative gives back -5*sin(x)).")
    assert trig[at + 1] == "Call it F(x)."
    sums = _think(_problem("calculus", "Integral(3*x**2 + 2*x, (x, 0, 1))"))
    assert "So F(x) is x^3 + x^2; check: differentiating F gives back 3*x^2 + 2*x." in sums


def test_linear_system_steps_subtract_rather_than_add_a_negative():
    lines = _think(_problem("linear_system", "[Eq(y, 2*x + 1), Eq(x + y + z, 6), Eq(x - z, -2)]"))
    solving = lines[: lines.index("Check every original equation with these values.")]
    assert "13 - 24 = -11" in solving and "Eliminate x from (3): subtract (2) from (3)." in solving
    assert not [line for line in solving if re.search(r" [+-] \(-", line)], solving


def test_adding_an_x_term_to_both_sides_is_written_as_an_addition():
    lines = _think(_problem("linear_equation", "Eq(2*x + 34, -8*x - 396)"))
    at = lines.index("Add 8x to both sides to bring the x terms together:")
    assert lines[at + 1 : at + 3] == ["2 + 8 = 10", "10x + 34 = -396"]


@pytest.mark.parametrize(("expression", "ending"), [("multiplicity(7, 588)", "stop after 2 divisions."),
                                                     ("multiplicity(7, 14)", "stop after 1 division."),
                                                     ("multiplicity(7, 15)", "15 is not divisible by 7 at all.")])
def test_prime_valuation_counts_divisions_in_plain_english(expression, ending):
    assert any(line.endswith(ending) for line in _think(_problem("number_theory", expression)))


def test_the_recheck_after_a_final_sign_change_names_the_step_it_undoes():
    lines = _think(_problem("arithmetic", "-(2 + 3*4)"))
    at = lines.index("Change the sign: the negative of 14 is -14.")
    assert lines[at + 1 : at + 3] == ["Check by undoing the step before the sign change with the inverse operation:",
                                      "14 - 12 = 2"]  # fmt: skip
    assert "Check by undoing the last step with the inverse operation:" in _think(_problem("arithmetic", "2 - 3**2"))


def test_complex_roots_square_the_root_without_a_times_one_step_and_say_where_the_sign_comes_from():
    lines = _think(_problem("quadratic", "Eq(x**2 + 2*x + 5, 0)"))
    assert "16 × 1 = 16" not in lines
    assert lines[lines.index("So √D is 4i.") - 1] == "4 × 4 = 16"
    at = lines.index("The (± part)^2 is its coefficient squared times -1 (i^2 = -1):")
    assert lines[at + 1] == "4 × (-1) = -4"


def test_a_system_not_given_with_the_unknowns_on_the_left_is_restated_as_given_first():
    lines = _think(_problem("linear_system", "[Eq(y, 2*x + 1), Eq(x + y + z, 6), Eq(x - z, -2)]"))
    assert lines[:3] == ["We need to solve the system in x, y, z: y = 2x + 1; x + y + z = 6; x - z = -2.",
                         "With the unknowns on the left:", "(1) -2x + y = 1"]  # fmt: skip
    plain = _think(_problem("linear_system", "[Eq(3*x + 2*y, 21), Eq(x + y, 8)]"))
    assert plain[:3] == ["We need to solve the system in x, y:", "(1) 3x + 2y = 21", "(2) x + y = 8"]


@pytest.mark.parametrize("expression", ["Derivative((-38*x**4 - 18*x**3)*log(x), x)",
                                        "Derivative(-2*sin(25*x**4 - 5*x**2), x)"])  # fmt: skip
def test_a_product_or_chain_rule_result_is_not_announced_twice(expression):
    lines = _think(_problem("calculus", expression))
    assert lines[-1].startswith("So the derivative of ")
    assert not any(line.startswith("So the derivative is ") for line in lines), lines


def test_product_and_chain_rules_show_the_power_rule_steps_of_their_polynomial_parts():
    product = _think(_problem("calculus", "Derivative((-38*x**4 - 18*x**3)*log(x), x)"))
    at = product.index("First differentiate u = -38*x^4 - 18*x^3:")
    assert "(-38) × 4 = -152" in product[at:] and "(-18) × 3 = -54" in product[at:]
    assert product.index("u' is -152*x^3 - 54*x^2 and v' is 1/x.") > at
    chain = _think(_problem("calculus", "Derivative(-2*sin(25*x**4 - 5*x**2), x)"))
    at = chain.index("First differentiate the inner function u = 25*x^4 - 5*x^2:")
    assert "25 × 4 = 100" in chain[at:] and chain.index("Adding the pieces gives 100*x^3 - 10*x.") > at


def test_gcd_and_lcm_are_rechecked_by_exact_division():
    gcd = _think(_problem("number_theory", "gcd(84, 36)"))
    at = gcd.index("Check: 12 divides each number exactly.")
    assert gcd[at + 1 : at + 4] == ["36 ÷ 12 = 3", "84 ÷ 12 = 7", "So gcd(84, 36) is 12."]
    lcm = _think(_problem("number_theory", "lcm(4, 6)"))
    at = lcm.index("Check: 12 is a whole multiple of each number.")
    assert lcm[at + 1 : at + 3] == ["12 ÷ 4 = 3", "12 ÷ 6 = 2"]
