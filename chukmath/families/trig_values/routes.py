"""``trig_values`` solution routes: reference angle and quadrant signs, unit-circle coordinates from the special
right triangles, and symmetry identities (a supplement, a half turn, a negative angle). They also bring the angle
into one turn and convert radians in different ways. Each is checked by a Pythagorean identity (the answer squared
against 1 - cos², 1 - sin², sin²/cos², ...) and the quadrant's sign."""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MOD, OP_MUL, OP_SUB, Number, num
from chukmath.families.common.radicals import by_hand, split_sqrt, sqrt_text
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.families.trig_values.generator import _TABLE, NAMES, _radians, _reference, value_of
from chukmath.records import Problem

Value = tuple[Fraction, int]  # coefficient × √radicand


def _final(problem: Problem) -> tuple[Fraction, int]:
    """The answer as ``(k, m)`` with ``m`` square-free."""
    v = value_of(problem.meta["function"], problem.meta["degrees"])
    assert v is not None
    s, m = split_sqrt(v[1])
    return v[0] * s, m


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The rational factor ``k`` of the answer ``k√m``."""
    return (_final(problem)[0],)


def _square(work: Work, v: Value) -> Number:
    """``(a√p)²`` as ``a × a × p``."""
    aa = work.op(v[0], OP_MUL, v[0])
    return work.op(aa, OP_MUL, v[1]) if v[1] != 1 else aa


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """The answer squared against a Pythagorean identity, then its sign against the quadrant."""
    function, degrees = problem.meta["function"], problem.meta["degrees"]
    d = degrees % 360
    ref, sin_sign, cos_sign = _reference(d)
    (s, sp), (c, cp) = _TABLE[ref]
    k, m = claimed[0], _final(problem)[1]
    work = Check(problem.difficulty)
    work.say(f"Check with sin² + cos² = 1 at the reference angle {ref}°: square the sine and the cosine.")
    s2, c2 = _square(work, (s, sp)), _square(work, (c, cp))
    rule = {
        "sin": ("sin² = 1 - cos²", lambda: work.op(1, OP_SUB, c2)),
        "cos": ("cos² = 1 - sin²", lambda: work.op(1, OP_SUB, s2)),
        "tan": ("tan² = sin² ÷ cos²", lambda: work.op(s2, OP_DIV, c2)),
        "cot": ("cot² = cos² ÷ sin²", lambda: work.op(c2, OP_DIV, s2)),
        "sec": ("sec² = 1 ÷ cos²", lambda: work.op(1, OP_DIV, c2)),
        "csc": ("csc² = 1 ÷ sin²", lambda: work.op(1, OP_DIV, s2)),
    }[function]
    work.say(f"So {rule[0]}:")
    target = rule[1]()
    work.say("The answer squared must equal that:")
    if m == 1:
        work.expect(k, OP_MUL, k, target)
    else:
        work.expect(work.op(k, OP_MUL, k), OP_MUL, m, target)
    if target != 0:
        size = abs(_final(problem)[0])
        sign = {"sin": sin_sign, "csc": sin_sign, "cos": cos_sign, "sec": cos_sign}.get(function, sin_sign * cos_sign)
        word = "positive" if sign > 0 else "negative"
        work.say(
            f"At {d}° the {NAMES[function]} is {word}, and the size whose square fits is {num(size)}"
            + (f"√{m}" if m != 1 else "")
            + f"; the answer times {sign} must be that size:"
        )
        work.expect(k, OP_MUL, sign, size)
    return work


def _close(problem: Problem, work: Work, value: tuple[Number, int]) -> str:
    k = Fraction(value[0])
    answer = sqrt_text(k, value[1])
    shown = by_hand(answer)
    function, degrees = problem.meta["function"], problem.meta["degrees"]
    closing = pick(
        problem.id, "close", (f"So the {NAMES[function]} of {degrees}° is {shown}.", f"The value is {shown}.")
    )
    return finish(work, check(problem, (k,)), closing, f"The answer is {shown}.", answer)


def _degrees(problem: Problem, work: Work, how: str) -> None:
    """Radians to degrees: numerator × 180 ÷ denominator, 180 ÷ denominator × numerator, or the fraction × 180."""
    degrees = problem.meta["degrees"]
    if not problem.meta["radians"]:
        return
    k = Fraction(degrees, 180)
    work.say(f"Convert {_radians(degrees)} to degrees: π radians is 180°.")
    if how == "multiply_first" or k.denominator == 1:
        top = work.op(k.numerator, OP_MUL, 180)
        if k.denominator != 1:
            work.op(top, OP_DIV, k.denominator)
    elif how == "divide_first":
        work.op(work.op(180, OP_DIV, k.denominator), OP_MUL, k.numerator)
    else:
        work.op(k, OP_MUL, 180)


def _one_turn(work: Work, degrees: int, how: str) -> int:
    """``degrees`` brought into [0°, 360°): whole turns at once, one turn at a time, or mod 360."""
    if 0 <= degrees < 360:
        return degrees
    if how == "mod" and degrees > 0:
        work.say("Only the angle within one turn matters:")
        return int(work.op(degrees, OP_MOD, 360))
    if how == "steps" and abs(degrees) <= 5 * 360:
        work.say(f"{'Take away' if degrees > 0 else 'Add'} one full turn of 360° at a time:")
        d = degrees
        while not 0 <= d < 360:
            d = int(work.op(d, OP_SUB, 360) if d > 0 else work.op(d, OP_ADD, 360))
        return d
    turns = degrees // 360
    work.say(f"{'Remove' if turns > 0 else 'Add'} whole turns of 360° to bring {degrees}° into 0° to 360°:")
    shift = work.op(turns, OP_MUL, 360)
    return int(work.op(degrees, OP_SUB, shift))


def _combine(work: Work, function: str, sin_v: Value, cos_v: Value) -> tuple[Number, int]:
    """The asked function from the sine and cosine, one claim per coefficient step, radicals in prose."""
    if function in ("sin", "cos"):
        v = sin_v if function == "sin" else cos_v
        return v[0], v[1]
    top, bottom = {
        "tan": (sin_v, cos_v),
        "cot": (cos_v, sin_v),
        "sec": ((Fraction(1), 1), cos_v),
        "csc": ((Fraction(1), 1), sin_v),
    }[function]
    what = {
        "tan": "the sine over the cosine",
        "cot": "the cosine over the sine",
        "sec": "1 over the cosine",
        "csc": "1 over the sine",
    }[function]
    work.say(f"The {NAMES[function]} is {what}.")
    if top[0] == 0:
        work.say("The top is 0, so the value is 0.")
        return 0, 1
    (a, p), (b, q) = top, bottom
    coef = work.op(a, OP_DIV, b)
    if q == 1 and p == 1:
        return coef, 1
    if q != 1:
        work.say(f"A √{q} below: multiply top and bottom by √{q}, which puts √{q} on top and {q} below.")
        radicand = work.op(p, OP_MUL, q) if p != 1 else q
        coef = work.op(coef, OP_DIV, q)
    else:
        radicand = p
    root, rest = split_sqrt(int(radicand))
    if root > 1:
        work.say(f"√{radicand} is {root}√{rest}:" if rest != 1 else f"√{radicand} is {root}:")
        work.op(root * root, OP_MUL, rest)
        coef = work.op(coef, OP_MUL, root)
    return coef, rest


def _signed(ref: int, sin_sign: int, cos_sign: int) -> tuple[Value, Value]:
    (s, sp), (c, cp) = _TABLE[ref]
    return (sin_sign * s, sp), (cos_sign * c, cp)


def _show(v: Value) -> str:
    return by_hand(sqrt_text(v[0], v[1]))


def _angle_to_x_axis(work: Work, d: int) -> None:
    """The claim giving the angle between d° (past 90°) and the nearest part of the x-axis."""
    if d < 180:
        work.op(180, OP_SUB, d)
    elif d < 270:
        work.op(d, OP_SUB, 180)
    else:
        work.op(360, OP_SUB, d)


def reference(problem: Problem) -> str:
    """Whole turns removed, the reference angle and the quadrant's signs, then the known values."""
    function, degrees = problem.meta["function"], problem.meta["degrees"]
    work = Work(problem.difficulty)
    _degrees(problem, work, "multiply_first")
    d = _one_turn(work, degrees, "turns")
    ref, sin_sign, cos_sign = _reference(d)
    if d in (0, 90, 180, 270):
        work.say(f"{d}° lies on an axis, where sine and cosine are 0, 1 or -1.")
    elif d < 90:
        work.say(f"{d}° is in the first quadrant: everything is positive.")
    else:
        work.say(f"The reference angle of {d}° (its angle to the x-axis):")
        _angle_to_x_axis(work, d)
        work.say(
            f"In that quadrant the sine is {'positive' if sin_sign > 0 else 'negative'} and the cosine "
            f"{'positive' if cos_sign > 0 else 'negative'}."
        )
    sin_v, cos_v = _signed(ref, sin_sign, cos_sign)
    work.say(f"So the sine is {_show(sin_v)} and the cosine is {_show(cos_v)}.")
    return _close(problem, work, _combine(work, function, sin_v, cos_v))


def unit_circle(problem: Problem) -> str:
    """The point (cos, sin) on the unit circle, read from a special right triangle, signs from the quadrant."""
    function, degrees = problem.meta["function"], problem.meta["degrees"]
    work = Work(problem.difficulty)
    _degrees(problem, work, "divide_first")
    d = _one_turn(work, degrees, "steps")
    ref, sin_sign, cos_sign = _reference(d)
    sin_v, cos_v = _signed(ref, sin_sign, cos_sign)
    if ref in (0, 90):
        work.say(f"At {d}° the point on the unit circle is ({num(cos_v[0])}, {num(sin_v[0])}).")
    else:
        triangle = (
            "the 45-45-90 triangle with sides 1, 1, √2" if ref == 45 else "the 30-60-90 triangle with sides 1, √3, 2"
        )
        work.say(f"The radius to {d}° makes a {ref}° angle with the x-axis; use {triangle}, scaled to hypotenuse 1.")
        if d > 90:
            work.say(f"Its angle to the nearest part of the x-axis, {'180°' if d < 270 else '360°'}:")
            _angle_to_x_axis(work, d)
        x_side = "left of" if cos_sign < 0 else "right of"
        y_side = "below" if sin_sign < 0 else "above"
        work.say(
            f"The point is {x_side} the y-axis and {y_side} the x-axis: (x, y) is ({_show(cos_v)}, {_show(sin_v)})."
        )
    work.say("The cosine is the x-coordinate and the sine the y-coordinate.")
    return _close(problem, work, _combine(work, function, sin_v, cos_v))


def symmetry(problem: Problem) -> str:
    """Symmetry identities: sin(180° - x) = sin x, a half turn flips both signs, sin(-x) = -sin x."""
    function, degrees = problem.meta["function"], problem.meta["degrees"]
    work = Work(problem.difficulty)
    _degrees(problem, work, "fraction")
    d = _one_turn(work, degrees, "mod")
    ref, sin_sign, cos_sign = _reference(d)
    sin_v, cos_v = _signed(ref, sin_sign, cos_sign)
    if 90 < d <= 180:
        work.say(f"Write {d}° as 180° minus an angle: the sine stays, the cosine changes sign.")
        work.op(180, OP_SUB, d)
    elif 180 < d <= 270:
        work.say(f"Write {d}° as 180° plus an angle: half a turn flips the signs of both sine and cosine.")
        work.op(d, OP_SUB, 180)
    elif 270 < d < 360:
        work.say(f"{d}° is the same as a negative angle, {d}° - 360°: the sine changes sign, the cosine stays.")
        work.op(d, OP_SUB, 360)
    else:
        work.say(f"{d}° needs no symmetry: it is a known angle.")
    work.say(
        f"From the table at {ref}°: sine {_show(_TABLE[ref][0])}, cosine {_show(_TABLE[ref][1])}; with the "
        f"signs at {d}°: sine {_show(sin_v)}, cosine {_show(cos_v)}."
    )
    return _close(problem, work, _combine(work, function, sin_v, cos_v))


ROUTES: dict[str, Trace] = {"reference": reference, "unit_circle": unit_circle, "symmetry": symmetry}
