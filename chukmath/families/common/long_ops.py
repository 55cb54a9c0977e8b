"""Long multiplication and long division written as small true claims a small model can follow.

How fine the steps are is set by difficulty (:func:`detail_for`): at the easy levels a one-digit product is worked
digit by digit with its carries; from the middle levels on, a product of two numbers of two or more digits is split
into partial products (one per digit of the shorter factor) and a long division is worked digit by digit. Each line
is either prose or one ``a op b = c`` claim the verifier checks, and every helper checks its own arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from math import gcd

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, Style, claim, num


@dataclass(frozen=True)
class Detail:
    """How much of a long operation is shown (see :func:`detail_for`)."""

    carries: bool  # a one-digit × many-digit product digit by digit, with its carries
    partial_min: int  # split a product into partial products when both factors are at least this
    division_min: int  # work a division digit by digit when the dividend is at least this
    signs_min: int = 1  # say the sign rule of a + or - with a negative in it when a size is at least this
    columns_min: int = 100  # work a sum or difference column by column from this size (carry or not)


# Steps written before a whole-number claim ``a op b`` (a sum of fractions calls it for its numerators).
NumeratorSteps = Callable[[int, str, int, Detail], list[str]]


def detail_for(difficulty: int) -> Detail:
    """Finer steps for the easy levels (carries, small products split, every sign rule, two-digit borrows),
    coarser for the hard ones."""
    if difficulty <= 2:
        return Detail(carries=True, partial_min=10, division_min=100, signs_min=1, columns_min=10)
    if difficulty <= 4:
        return Detail(carries=False, partial_min=10, division_min=100, signs_min=10, columns_min=100)
    return Detail(carries=False, partial_min=100, division_min=1000, signs_min=100, columns_min=1000)


def digits_of(n: int) -> list[int]:
    """The digits of ``n >= 0``, most significant first."""
    return [int(d) for d in str(n)]


def carry_lines(a: int, d: int) -> list[str]:
    """``a × d`` (``a >= 10``, ``0 <= d <= 9``) from the ones digit up, carrying into the next digit."""
    lines = [f"Multiply {a} by {d} digit by digit from the right, carrying:"]
    carry = 0
    place_values: list[int] = []
    for digit in reversed(digits_of(a)):
        product = digit * d
        lines.append(claim(digit, OP_MUL, d, product))
        if carry:
            lines.append(claim(product, OP_ADD, carry, product + carry))
            product += carry
        place_values.append(product % 10)
        carry = product // 10
        lines.append(f"Write {product % 10}" + (f" and carry {carry}." if carry else "."))
    written = str(carry) if carry else ""
    written += "".join(str(v) for v in reversed(place_values))
    if int(written) != a * d:
        raise AssertionError(f"carrying {a} × {d} gave {written}")
    lines.append(claim(a, OP_MUL, d, a * d))
    return lines


def _round_factor_lines(big: int, small: int, detail: Detail) -> list[str]:
    """``big × small`` where ``small`` is one digit and zeros (``78 × 50``): ``big`` times that digit, with the
    zeros put after it; empty for a power of ten (``× 10``, ``× 100``: the zeros alone)."""
    digit, zeros = digits_of(small)[0], len(str(small)) - 1
    if digit == 1:
        return []
    said = "a 0" if zeros == 1 else f"{zeros} zeros"
    lines = [f"{big} × {small} is {big} × {digit} with {said} after it:"]
    if detail.carries and big >= 10:
        lines.extend(carry_lines(big, digit)[1:-1])
    lines.append(claim(big, OP_MUL, digit, big * digit))
    return lines


def multiply_lines(a: int, b: int, detail: Detail) -> list[str]:
    """The steps before the claim ``a × b = c`` for non-negative integers (empty when it is one easy fact)."""
    small, big = (a, b) if len(str(a)) < len(str(b)) or (len(str(a)) == len(str(b)) and a < b) else (b, a)
    if small < 10:
        if detail.carries and big >= 10 and small >= 2:
            return carry_lines(big, small)[:-1]  # the caller writes the closing claim
        return []
    if small < detail.partial_min:
        return []
    if sum(d != 0 for d in digits_of(small)) < 2:
        return _round_factor_lines(big, small, detail)
    if sum(d != 0 for d in digits_of(big)) < 2:  # 47 × 300 is 47 × 3 with two zeros after it
        return _round_factor_lines(small, big, detail)
    lines = [f"Multiply {big} by {small} in parts, one digit of {small} at a time:"]
    parts: list[int] = []
    for power, digit in enumerate(reversed(digits_of(small))):
        if digit == 0:
            continue
        place = digit * 10**power
        if detail.carries and big >= 10 and digit >= 2 and power == 0:
            lines.extend(carry_lines(big, digit)[1:])
        else:
            lines.append(claim(big, OP_MUL, place, big * place))
        parts.append(big * place)
    total = parts[0]
    for part in parts[1:]:
        lines.append(claim(total, OP_ADD, part, total + part))
        total += part
    if total != a * b:
        raise AssertionError(f"partial products of {a} × {b} gave {total}")
    return lines


def divide_lines(a: int, b: int, detail: Detail, recombine: bool = True) -> list[str]:
    """Long division of ``a`` by ``b`` (non-negative, ``b >= 2``): one bring-down per digit, then how ``a``
    splits as ``b × q + r`` (with ``recombine``; else the quotient and remainder said) -- empty when the dividend
    is small."""
    if b < 2 or a < detail.division_min or a < b:
        return []
    if a % b == 0 and len(str(a // b).rstrip("0")) == 1:
        return []  # 180 ÷ 2 = 90, 100 ÷ 10 = 10: one digit and zeros, no working needed
    lines = [f"Long division of {a} by {b}, one digit at a time:"]
    rest = 0
    quotient_digits: list[str] = []
    for place, digit in enumerate(digits_of(a)):
        current = rest * 10 + digit
        if place:  # every digit brought down, a 0 left over or not: the model must not lose one
            lines.append(f"Bring down {digit}: {current}.")
        q = current // b
        if q or quotient_digits:
            quotient_digits.append(str(q))
        if q:
            lines.append(claim(b, OP_MUL, q, b * q))
            lines.append(claim(current, OP_SUB, b * q, current - b * q))
        elif quotient_digits:  # a 0 inside the quotient, said rather than skipped
            lines.append(f"{current} is less than {b}, so the quotient digit is 0.")
        rest = current - b * q
    quotient = int("".join(quotient_digits) or "0")
    if quotient * b + rest != a:
        raise AssertionError(f"long division of {a} by {b} went wrong")
    if not recombine:
        lines.append(f"The quotient is {quotient} with remainder {rest}.")
        return lines
    lines.append(f"The quotient is {quotient} with remainder {rest}:")
    lines.append(claim(b, OP_MUL, quotient, b * quotient))
    if rest:
        lines.append(claim(b * quotient, OP_ADD, rest, a))
    return lines


def operation_lines(left: Number, op: str, right: Number, detail: Detail, style: Style = "fraction") -> list[str]:
    """The long-operation steps (possibly none) that lead up to the claim ``left op right = result``: whole-number
    products and quotients directly, decimals as whole numbers with the point placed after, fractions through
    their numerators and denominators."""
    lines: list[str] = []
    a, b = Fraction(left), Fraction(right)
    if style == "decimal" and (a.denominator != 1 or b.denominator != 1):
        if op == OP_MUL:
            lines = _decimal_product_lines(a, b, detail)
    elif op == OP_MUL:
        lines = _product_lines(a, b, detail)
    elif op == OP_DIV and b != 0:
        if a.denominator == 1 and b.denominator == 1:
            top, bottom = abs(a.numerator), abs(b.numerator)
            # a whole quotient by long division; any other, where the result is a fraction, is top/bottom cut by
            # its common factor; a power of ten moves the decimal point instead
            cut = top % bottom != 0 and style == "fraction"
            shift = point_shift_lines(top, bottom, style)
            lines = shift or (lowest_terms_lines(top, bottom, detail) if cut else divide_lines(top, bottom, detail))
        elif b.denominator == 1:
            # a fraction over a whole number: only the denominator grows
            size, bottom = abs(b.numerator), a.denominator
            lines = [f"Dividing a fraction by {size} multiplies its denominator by {size}:"]
            lines += [*multiply_lines(bottom, size, detail), claim(bottom, OP_MUL, size, bottom * size)]
            lines += lowest_terms_lines(abs(a.numerator), bottom * size, detail)
        else:
            lines = [f"Dividing by {num(b)} is the same as multiplying by {num(1 / b)}:"]
            lines += [*_product_lines(a, 1 / b, detail), claim(a, OP_MUL, 1 / b, a / b)]
    if lines and (a < 0) != (b < 0) and a != 0:
        lines.insert(0, "Work with the sizes first; the result is negative.")
    elif lines and a < 0 and b < 0:
        lines.insert(0, "Work with the sizes first; two negatives give a positive result.")
    return lines


def _places(value: Fraction) -> int | None:
    """Decimal places of a terminating value (None when it does not terminate)."""
    for places in range(0, 12):
        if (value * 10**places).denominator == 1:
            return places
    return None


def _decimal_product_lines(a: Fraction, b: Fraction, detail: Detail) -> list[str]:
    """``1.25 × 0.4``: ``125 × 4 = 500`` as whole numbers, then the point moved back by 2 + 1 places."""
    pa, pb = _places(a), _places(b)
    if pa is None or pb is None or a == 0 or b == 0:
        return []
    whole_a, whole_b = abs(int(a * 10**pa)), abs(int(b * 10**pb))
    places = "1 decimal place" if pa + pb == 1 else f"{pa + pb} decimal places"
    lines = [f"Multiply without the decimal points, then put back {places}:"]
    lines.extend(multiply_lines(whole_a, whole_b, detail))
    lines.append(claim(whole_a, OP_MUL, whole_b, whole_a * whole_b))
    return lines


def _product_lines(a: Fraction, b: Fraction, detail: Detail) -> list[str]:
    if a.denominator == 1 and b.denominator == 1:
        return multiply_lines(abs(a.numerator), abs(b.numerator), detail)
    if a == 0 or b == 0:
        return []
    tops = abs(a.numerator), abs(b.numerator)
    bottoms = a.denominator, b.denominator
    lines: list[str] = []
    for pair in (tops, bottoms):
        if 1 not in pair:  # 6983 × 1 needs no line
            lines.extend(multiply_lines(*pair, detail))
            lines.append(claim(pair[0], OP_MUL, pair[1], pair[0] * pair[1]))
    if lines:  # (-1) × 210/13 has nothing to multiply out
        lines.insert(0, "Multiply the numerators and the denominators:")
    lines += lowest_terms_lines(tops[0] * tops[1], bottoms[0] * bottoms[1], detail)
    return lines


def point_shift_lines(top: int, bottom: int, style: Style = "fraction") -> list[str]:
    """``top ÷ bottom`` for a power of ten ``bottom`` (10, 100, ...) and ``top >= 0``: the zeros taken off the end
    when they are there, else (decimal style) the decimal point moved left, one line of prose before the claim.
    Empty for any other divisor, and for a fraction-style quotient that is not whole (it is cut to lowest terms)."""
    text = str(bottom)
    zeros = len(text) - 1
    if bottom < 10 or text != "1" + "0" * zeros or top == 0:
        return []
    places = "1 place" if zeros == 1 else f"{zeros} places"
    if top % bottom == 0:
        return [f"Dividing by {bottom} takes {zeros} zero{'s' if zeros > 1 else ''} off the end: {top} becomes "
                f"{top // bottom}."]  # fmt: skip
    if style != "decimal":
        return []
    return [f"Dividing by {bottom} moves the decimal point {places} to the left: {top} becomes "
            f"{num(Fraction(top, bottom), 'decimal')}."]  # fmt: skip


def lowest_terms_lines(top: int, bottom: int, detail: Detail | None = None) -> list[str]:
    """``top/bottom`` cut to lowest terms by its greatest common factor, both divisions as checked claims
    (``264/420 has the common factor 12:``, ``264 ÷ 12 = 22``, ``420 ÷ 12 = 35``). A fraction already in lowest terms
    gets a line that says so: every fraction result is looked at the same way, so a model need not foresee a common
    factor to know the step comes (the seventh GPU run's model left -63/28 uncut and cut 2/15 by 2). With ``detail``,
    a division by a factor of two digits or more, big enough for it, is worked as a long division first (no
    quotient guessed; halving and other one-digit factors stay one line). Empty for 0 and for a
    whole number over 1."""
    common = gcd(top, bottom)
    if top == 0 or bottom == 1:
        return []
    if common == 1:
        return [f"{top}/{bottom} has no common factor: it is in lowest terms."]
    lines = [f"{top}/{bottom} has the common factor {common}:"]
    for value in (top, bottom):
        if detail is not None and common >= 10:  # a two-digit factor: its quotient would be a guess
            lines.extend(divide_lines(abs(value), common, detail))
        lines.append(claim(value, OP_DIV, common, value // common))
    return lines


def sum_lines(
    left: Number, op: str, right: Number, detail: Detail, numerators: NumeratorSteps | None = None
) -> list[str]:
    """The steps before the claim ``left ± right = result`` when a fraction is involved and the denominators
    differ: both over their least common denominator (each rewriting a true product), the numerators added or
    subtracted, then the result cut to lowest terms by the common factor. Empty for whole numbers, for equal
    denominators and for anything but + and -. ``numerators`` writes the working of the numerators' claim before
    it (signed_ops.signed_lines: signs, sizes, columns)."""
    a, b = Fraction(left), Fraction(right)
    if op not in (OP_ADD, OP_SUB) or a.denominator == b.denominator:
        return []
    bottom = a.denominator * b.denominator // gcd(a.denominator, b.denominator)
    coprime = bottom == a.denominator * b.denominator and 1 not in (a.denominator, b.denominator)
    lines: list[str] = []
    if coprime:  # the common denominator is the product of the two: show it
        lines.extend(multiply_lines(a.denominator, b.denominator, detail))
        lines.append(claim(a.denominator, OP_MUL, b.denominator, bottom))
    lines.append(f"Write both over the common denominator {bottom}:")
    tops: list[int] = []
    for value in (a, b):
        factor = bottom // value.denominator
        top = value.numerator * factor
        if factor != 1:
            if not coprime and value.denominator > 1:
                lines.append(claim(value.denominator, OP_MUL, factor, bottom))
            size = abs(value.numerator)
            if size > 1:
                lines.extend(multiply_lines(size, factor, detail))
                lines.append(claim(size, OP_MUL, factor, size * factor))
            written = str(value.numerator) if value.denominator == 1 else num(value)
            lines.append(f"{written} = {top}/{bottom}")
        tops.append(top)
    total = tops[0] + tops[1] if op == OP_ADD else tops[0] - tops[1]
    if numerators is not None:  # the numerators' own working (signs, columns) before their claim
        lines.extend(numerators(tops[0], op, tops[1], detail))
    lines.append(claim(tops[0], op, tops[1], total))
    value = Fraction(total, bottom)
    if value != (a + b if op == OP_ADD else a - b):
        raise AssertionError(f"common denominator of {left} {op} {right} went wrong")
    lines += lowest_terms_lines(total, bottom, detail)
    return lines


__all__ = [
    "Detail", "carry_lines", "detail_for", "divide_lines", "lowest_terms_lines", "multiply_lines", "operation_lines",
    "point_shift_lines", "sum_lines",
]
