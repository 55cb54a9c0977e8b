"""``geometry_area`` solution routes over one view of every formula, constant × dimensions (a dimension may be a
sum of two lengths): dimensions first, the constant first, or cancelling and distributing before multiplying.
Each is checked by dividing the result back by all but one dimension, which must give that dimension."""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, Number, num
from chukmath.families.common.radicals import by_hand, sympy_text
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.families.geometry_area.generator import SHAPES, _value
from chukmath.records import Problem

Factor = int | tuple[int, int]  # a length, or the sum of two lengths


def _formula(problem: Problem) -> tuple[Fraction, list[Factor]]:
    """The formula as ``(constant, factors)``: ``area = 1/2 × (a + b) × h`` is ``(1/2, [(a, b), h])``."""
    m = problem.meta
    shape = m["shape"]
    table: dict[str, tuple[Fraction, list[Factor]]] = {
        "rectangle_area": (Fraction(1), [m.get("l", 0), m.get("w", 0)]),
        "rectangle_perimeter": (Fraction(2), [(m.get("l", 0), m.get("w", 0))]),
        "triangle_area": (Fraction(1, 2), [m.get("b", 0), m.get("h", 0)]),
        "trapezoid_area": (Fraction(1, 2), [(m.get("a", 0), m.get("b", 0)), m.get("h", 0)]),
        "circle_area": (Fraction(1), [m.get("r", 0), m.get("r", 0)]),
        "sphere_surface": (Fraction(4), [m.get("r", 0), m.get("r", 0)]),
        "semicircle_area": (Fraction(1, 2), [m.get("r", 0), m.get("r", 0)]),
        "circumference": (Fraction(2), [m.get("r", 0)]),
        "diameter_area": (Fraction(1, 4), [m.get("d", 0), m.get("d", 0)]),
        "equilateral_area": (Fraction(1, 4), [m.get("s", 0), m.get("s", 0)]),
        "square_diagonal": (Fraction(1), [m.get("s", 0)]),
        "box_volume": (Fraction(1), [m.get("l", 0), m.get("w", 0), m.get("h", 0)]),
        "cube_surface": (Fraction(6), [m.get("s", 0), m.get("s", 0)]),
        "cylinder_volume": (Fraction(1), [m.get("r", 0), m.get("r", 0), m.get("h", 0)]),
        "cone_volume": (Fraction(1, 3), [m.get("r", 0), m.get("r", 0), m.get("h", 0)]),
        "sphere_volume": (Fraction(4, 3), [m.get("r", 0), m.get("r", 0), m.get("r", 0)]),
    }
    return table[shape]


def _size(f: Factor) -> int:
    return f if isinstance(f, int) else f[0] + f[1]


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The rational coefficient of the answer (``25`` of ``25*pi``)."""
    shape = problem.meta["shape"]
    return (_value(shape, {k: v for k, v in problem.meta.items() if k != "shape"})[0],)


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Divide the claimed value by the constant and all dimensions but the last; the last must come out."""
    const, factors = _formula(problem)
    work = Check(problem.difficulty)
    value = claimed[0]
    if problem.meta["shape"] == "square_diagonal":
        s = factors[0]
        work.say("Check with Pythagoras: the diagonal squared must equal side² + side².")
        target = work.op(work.op(s, OP_MUL, s), OP_ADD, work.op(s, OP_MUL, s))
        work.expect(work.op(value, OP_MUL, value), OP_MUL, 2, target)
        return work
    *rest, last = factors
    work.say(
        pick(
            problem.id,
            "check",
            (
                "Check by working backwards: divide the result by everything except the last "
                "length; the last length must be left.",
                f"Check: undo the formula; the result ÷ (the other factors) gives back {_size(last)}.",
            ),
        )
    )
    divisor: Number = const
    for f in rest:
        divisor = work.op(divisor, OP_MUL, _size(f))
    work.expect(value, OP_DIV, divisor, _size(last))
    return work


def _close(problem: Problem, work: Work, coef: Number) -> str:
    atom = SHAPES[problem.meta["shape"]][3]
    answer = sympy_text(Fraction(coef), atom)
    shown = by_hand(answer)
    if atom:
        work.say(f"Attach the factor {by_hand(atom)}: {shown}.")
    closing = pick(problem.id, "close", (f"So the result is {shown}.", f"The result is {shown}."))
    return finish(work, check(problem, (Fraction(coef),)), closing, f"The answer is {shown}.", answer)


def _sum_first(work: Work, f: Factor) -> Number:
    return f if isinstance(f, int) else work.op(f[0], OP_ADD, f[1])


def _intro(problem: Problem, work: Work) -> None:
    formula = SHAPES[problem.meta["shape"]][2]
    work.say(pick(problem.id, "intro", (f"Use {formula}.", f"The formula: {formula}.", f"Start from {formula}.")))


def dimensions_first(problem: Problem) -> str:
    """Sums first, then the lengths multiplied together, then the constant."""
    const, factors = _formula(problem)
    work = Work(problem.difficulty)
    _intro(problem, work)
    value = work.product([_sum_first(work, f) for f in factors])
    if const.numerator != 1:
        value = work.op(value, OP_MUL, const.numerator)
    if const.denominator != 1:
        value = work.op(value, OP_DIV, const.denominator)
    return _close(problem, work, value)


def constant_first(problem: Problem) -> str:
    """Start from the formula's constant and multiply in one length at a time."""
    const, factors = _formula(problem)
    work = Work(problem.difficulty)
    _intro(problem, work)
    if const == 1:
        work.say("The formula has no constant factor; multiply the lengths, the last one first.")
        value: Number = _sum_first(work, factors[-1])
        for f in reversed(factors[:-1]):
            value = work.op(value, OP_MUL, _sum_first(work, f))
        return _close(problem, work, value)
    work.say(f"Start with the constant {num(const)} and multiply in each length.")
    value = const
    for f in factors:
        value = work.op(value, OP_MUL, _sum_first(work, f))
    return _close(problem, work, value)


def _split(size: int) -> tuple[int, int]:
    """A length broken into easy parts: tens and ones (47 = 40 + 7), or two halves (40 = 20 + 20)."""
    if size >= 10 and size % 10:
        return size - size % 10, size % 10
    return size // 2, size - size // 2


def cancel_first(problem: Problem) -> str:
    """Divide a length by the constant's denominator before multiplying when it goes evenly; otherwise break a
    length apart (or keep a sum apart) and multiply each part: (a + b) × h = a × h + b × h."""
    const, factors = _formula(problem)
    work = Work(problem.difficulty)
    _intro(problem, work)
    sizes = [_size(f) for f in factors]
    q = const.denominator
    even = next((i for i, size in enumerate(sizes) if q > 1 and size % q == 0), None)
    if even is not None:
        work.say(f"{sizes[even]} divides evenly by {q}, so divide it first:")
        values = [
            work.op(_sum_first(work, f), OP_DIV, q) if i == even else _sum_first(work, f) for i, f in enumerate(factors)
        ]
        value = work.product(values)
    else:
        pick_at = next((i for i, f in enumerate(factors) if not isinstance(f, int)), sizes.index(max(sizes)))
        chosen = factors[pick_at]
        a, b = chosen if not isinstance(chosen, int) else _split(chosen)
        rest = [size for i, size in enumerate(sizes) if i != pick_at]
        if rest:
            work.say(f"Break {sizes[pick_at]} into {a} + {b} and multiply each part by the other lengths:")
            others = work.product(rest)
            value = work.op(work.op(others, OP_MUL, a), OP_ADD, work.op(others, OP_MUL, b))
        else:
            work.say(f"The length is {a} + {b}:")
            value = work.op(a, OP_ADD, b)
    if const.numerator != 1:
        value = work.op(const.numerator, OP_MUL, value)
    if even is None and q != 1:
        value = work.op(value, OP_DIV, q)
    return _close(problem, work, value)


ROUTES: dict[str, Trace] = {
    "dimensions_first": dimensions_first,
    "constant_first": constant_first,
    "cancel_first": cancel_first,
}
