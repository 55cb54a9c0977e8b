"""Three routes to the roots of a quadratic: the formula, factoring (the a·c method, where the roots are rational and
the coefficients whole), and completing the square (for real roots). Rational roots are checked by substituting
each into the equation; irrational ones by Vieta's formulas (sum and product), so a wrong root makes a false claim.
A route that does not apply to a problem uses the formula."""

from __future__ import annotations

import re
from fractions import Fraction
from math import isqrt

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, assemble, claim, num, step
from chukmath.families.common.long_ops import Detail, detail_for
from chukmath.families.common.radicals import not_square_lines, root_search_lines
from chukmath.families.common.signed_ops import plus_minus_lines, working_lines
from chukmath.families.common.symstr import sqrt_pair_set
from chukmath.families.common.worked import pick
from chukmath.families.quadratic.trace import (
    equation_coefficients,
    poly_text,
    quadratic_trace,
    root_text,
    square_part_of,
    vieta_lines,
)
from chukmath.records import Problem

_OPENINGS = {
    "formula": ("We need to solve {eq}.", "Solve {eq} with the quadratic formula.", "Find the roots of {eq}."),
    "factoring": ("We need to solve {eq} by factoring.", "Solve {eq} by splitting it into two factors.",
                  "Find the roots of {eq} by factoring."),
    "completing_square": ("We need to solve {eq} by completing the square.", "Complete the square to solve {eq}.",
                          "Solve {eq} by completing the square."),
}  # fmt: skip


def _opening(problem: Problem, route: str, equation: str) -> str:
    return pick(problem.id, "opening", _OPENINGS[route]).format(eq=equation)


def _claim(think: list[str], left: Number, op: str, right: Number, detail: Detail | None = None) -> Fraction:
    """One claim; a + or - first worked when ``detail`` is given: whole numbers through their signs, carries and
    borrows, fractions over their common denominator (signed_ops.plus_minus_lines)."""
    if detail is not None:
        think.extend(plus_minus_lines(left, op, right, detail))
    line, result = step(left, op, right)
    think.append(line)
    return Fraction(result)


def substitute_root(think: list[str], a: Fraction, b: Fraction, c: Fraction, x: str, root: Fraction,
                    detail: Detail | None = None) -> None:  # fmt: skip
    """``a r² + b r + c`` worked out for one rational root, one claim per operation (its sums through their signs
    at ``detail``, when given); raises unless it is 0."""
    think.append(f"Put {x} = {num(root)} into {poly_text(a, b, c, x)}:")
    square = _claim(think, root, OP_MUL, root)
    total = square if a == 1 else _claim(think, a, OP_MUL, square)
    if b != 0:
        linear = root if b == 1 else _claim(think, b, OP_MUL, root)
        op, term = (OP_SUB, -linear) if linear < 0 else (OP_ADD, linear)
        total = _claim(think, total, op, term, detail)
    if c != 0:
        op, term = (OP_SUB, -c) if c < 0 else (OP_ADD, c)
        total = _claim(think, total, op, term, detail)
    if total != 0:
        raise AssertionError(f"substituting {x} = {root} gave {total}, not 0")
    think.append(f"That is 0, so {x} = {num(root)} is a root.")


def _finish(think: list[str], x: str, p: Fraction, q: Fraction, m: int) -> str:
    """Answer tags for roots ``p ± q√m`` (``q = 0`` or ``m = 1``: rational), as the classic trace writes them."""
    if q == 0 or m == 1:
        roots = sorted({p - q, p + q})
        answer = " or ".join(f"{x} = {num(r)}" for r in roots)
        return assemble(think, answer, "{" + ", ".join(num(r) for r in roots) + "}")
    answer = f"{x} = {root_text(p, q, m, '-')} or {x} = {root_text(p, q, m, '+')}"
    return assemble(think, answer, sqrt_pair_set(p, q, m))


def _check(think: list[str], a: Fraction, b: Fraction, c: Fraction, x: str, p: Fraction, q: Fraction, m: int,
           detail: Detail) -> None:  # fmt: skip
    if q == 0 or m == 1:
        think.append("Check by substituting each root into the equation.")
        for root in sorted({p - q, p + q}):
            substitute_root(think, a, b, c, x, root, detail)
    else:
        think.extend(vieta_lines(a, b, c, p, q, m))


_WHOLE_CLAIM = re.compile(r"\(?(-?\d+)\)? ([+×-]) \(?(-?\d+)\)? = -?\d+")
_ROOT_OF_D = re.compile(r"(\d+) × \1 = (\d+), so √D is .*")


def _worked(lines: list[str], detail: Detail) -> list[str]:
    """The classic formula's lines with each whole-number product and sum worked out before its claim (partial
    products and carries; signs, sizes and columns), as the other routes write them, and the search for √D
    (radicals.root_search_lines) before the line that states it. The lines are the classic
    trace's own (made by this package, not read from a teacher), one claim each."""
    out: list[str] = []
    for line in lines:
        found = _WHOLE_CLAIM.fullmatch(line)
        root = _ROOT_OF_D.fullmatch(line)
        if root:  # how the root was found: the tens either side, the last digit, a wrong try set aside
            out.extend(root_search_lines(int(root.group(2))))
        elif found:
            left, op, right = int(found.group(1)), found.group(2), int(found.group(3))
            out.extend(working_lines(left, op, right, detail))
        out.append(line)
    return out


def _irrational(problem: Problem, classic: str, disc: Fraction, a: Fraction, b: Fraction, c: Fraction,
                x: str) -> str:
    """The classic formula and Vieta check for irrational roots, each whole-number claim worked out as the other
    routes work it, and a whole D shown not to be a perfect square (the squares either side of it) before the
    square root is simplified."""
    think_text, end = classic.split("\n</think>", 1)
    lines = _worked(think_text.removeprefix("<think>\n").split("\n"), detail_for(problem.difficulty))
    lines[0] = _opening(problem, "formula", f"{poly_text(a, b, c, x)} = 0")
    if disc.denominator == 1:
        at = next(i for i, line in enumerate(lines) if line.startswith("D is not a perfect square"))
        lines[at:at] = not_square_lines(int(disc))
    return "<think>\n" + "\n".join(lines) + "\n</think>" + end


def _formula(problem: Problem) -> str:
    """The quadratic formula (the classic lines), checked by substitution when the roots are rational."""
    a, b, c, x = equation_coefficients(problem)
    classic = quadratic_trace(problem)
    disc = b * b - 4 * a * c
    if disc < 0:
        return classic  # complex roots: the classic formula with its Vieta check
    if disc > 0 and square_part_of(int(disc.numerator * disc.denominator))[1] != 1:
        return _irrational(problem, classic, disc, a, b, c, x)
    head, _, _ = classic.partition("\nCheck with Vieta's formulas")
    think = _worked(head.removeprefix("<think>\n").split("\n"), detail_for(problem.difficulty))
    think[0] = _opening(problem, "formula", f"{poly_text(a, b, c, x)} = 0")
    p = -b / (2 * a)
    k, _ = square_part_of(int(disc.numerator * disc.denominator)) if disc else (0, 1)
    q = Fraction(k, disc.denominator) / abs(2 * a)
    _check(think, a, b, c, x, p, q, 1, detail_for(problem.difficulty))
    return _finish(think, x, p, q, 1)


def _pair_search(think: list[str], product: int, total: int) -> None:
    """Try the factor pairs of ``product`` in order of the smaller factor, each with the signs that can give its
    sign, adding each pair (a checked claim) until one gives ``total``; nothing to search when ``product`` is 0."""
    if product == 0:
        return
    think.append(f"Try the factor pairs of {product}, adding each pair:")
    size = abs(product)
    for d in range(1, isqrt(size) + 1):
        if size % d:
            continue
        if product > 0:
            pairs = [(d, size // d) if total > 0 else (-d, -(size // d))]
        else:
            pairs = [(-d, size // d), (d, -(size // d))]
        for p, q in pairs:
            think.append(f"{p} and {q}: {claim(p, OP_ADD, q, p + q)}")
            if p + q == total:
                return
    raise AssertionError(f"no factor pair of {product} adds to {total}")


def _factoring(problem: Problem) -> str:
    """Two whole numbers with product a·c and sum b split the middle term: a·f(x) = (a x + m)(a x + n)."""
    a, b, c, x = equation_coefficients(problem)
    disc = b * b - 4 * a * c
    whole = all(v.denominator == 1 for v in (a, b, c))
    if not whole or disc < 0 or (disc > 0 and square_part_of(int(disc))[1] != 1):
        return _formula(problem)
    root_d = square_part_of(int(disc))[0] if disc else 0
    m, n = sorted(((int(b) - root_d) // 2, (int(b) + root_d) // 2))
    think = [_opening(problem, "factoring", f"{poly_text(a, b, c, x)} = 0")]
    if a == 1:
        think.append(f"Find two numbers whose product is {num(c)} and whose sum is {num(b)}.")
    else:
        think.append(f"Find two numbers whose product is a × c and whose sum is b = {num(b)}:")
        _claim(think, a, OP_MUL, c)
    _pair_search(think, m * n, m + n)
    think.append(f"They are {m} and {n}:")
    _claim(think, m, OP_MUL, n)
    _claim(think, m, OP_ADD, n, detail_for(problem.difficulty))
    if a == 1:
        think.append(f"So the equation is ({x} {_signed(m)})({x} {_signed(n)}) = 0.")
        think.append("A product is 0 only when a factor is 0:")
        roots = [Fraction(-m), Fraction(-n)]
        think.append(f"{x} = {num(roots[0])} or {x} = {num(roots[1])}")
    else:
        shown = num(a)
        think.append(f"So {shown} times the equation is ({shown}{x} {_signed(m)})({shown}{x} {_signed(n)}) = 0.")
        think.append("A product is 0 only when a factor is 0; solve each factor:")
        roots = [_claim(think, -m, OP_DIV, a), _claim(think, -n, OP_DIV, a)]
    roots = sorted(set(roots))
    if len(roots) == 1:
        think.append(f"Both factors give the same root, {x} = {num(roots[0])}.")
    p = (roots[0] + roots[-1]) / 2
    q = (roots[-1] - roots[0]) / 2
    _check(think, a, b, c, x, p, q, 1, detail_for(problem.difficulty))
    return _finish(think, x, p, q, 1)


def _signed(value: int) -> str:
    return f"+ {value}" if value >= 0 else f"- {-value}"


def _completing_square(problem: Problem) -> str:
    """Divide by a, add (half the x coefficient)² to both sides, take square roots."""
    a, b, c, x = equation_coefficients(problem)
    disc = b * b - 4 * a * c
    if disc < 0:
        return _formula(problem)
    think = [_opening(problem, "completing_square", f"{poly_text(a, b, c, x)} = 0")]
    detail = detail_for(problem.difficulty)
    big_b, big_c = b, c
    if a != 1:
        think.append(f"Divide every term by {num(a)}:")
        big_b = _claim(think, b, OP_DIV, a)
        big_c = _claim(think, c, OP_DIV, a)
        think.append(f"{poly_text(Fraction(1), big_b, big_c, x)} = 0")
    think.append(f"Half the {x} coefficient, and its square:")
    half = _claim(think, big_b, OP_DIV, 2)
    square = _claim(think, half, OP_MUL, half)
    think.append(f"Move the constant across and add {num(square)} to both sides:")
    right = _claim(think, square, OP_SUB, big_c, detail)
    inner = f"{x} {_signed_fraction(half)}" if half else x
    think.append(f"({inner})² = {num(right)}")
    k, m = square_part_of(int(right.numerator * right.denominator)) if right else (0, 1)
    q = Fraction(k, right.denominator)
    p = -half
    if m == 1:
        search = root_search_lines(int(right)) if right.denominator == 1 else []
        think.append(f"Find the square root of {num(right)}:" if search else f"{num(right)} is the square of {num(q)}:")
        think.extend(search)
        _claim(think, q, OP_MUL, q)
        think.append(f"So {inner} = {num(q)} or {inner} = -{num(q)}:" if q else f"So {inner} = 0.")
        if q:
            _claim(think, q, OP_SUB, half, detail)
            _claim(think, -q, OP_SUB, half, detail)
        else:
            _claim(think, 0, OP_SUB, half, detail)
    else:
        think.append(f"Take square roots: {inner} = ±√({num(right)}).")
        root_den, rest = square_part_of(right.denominator)
        if right.denominator != 1 and rest == 1:
            think.append(f"The denominator {right.denominator} is {root_den} squared, so the square root of "
                         f"{num(right)} is √{right.numerator} over {root_den}.")
        elif right.denominator != 1:
            think.append(f"Multiply top and bottom of {num(right)} by {right.denominator} to get a square below:")
            _claim(think, right.numerator, OP_MUL, right.denominator)
        if k != 1 and not (right.denominator != 1 and rest == 1 and k == root_den):
            think.append(f"Pull out the square factor {k * k}:")
            _claim(think, k * k, OP_MUL, m)
        think.append(f"So {x} = {num(p)} ± {root_text(Fraction(0), q, m, '+')}.")
    _check(think, a, b, c, x, p, q, m, detail)
    return _finish(think, x, p, q, m)


def _signed_fraction(value: Fraction) -> str:
    return f"+ {num(value)}" if value >= 0 else f"- {num(-value)}"


formula = _formula
factoring = _factoring
completing_square = _completing_square
ROUTE_NAMES = ("formula", "factoring", "completing_square")

__all__ = ["ROUTE_NAMES", "completing_square", "factoring", "formula", "substitute_root"]
