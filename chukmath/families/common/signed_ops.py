"""Sums and differences written the way a careful person works them: signs first, then sizes, then columns.

A ``+`` or ``-`` claim between whole numbers gets, before it, the small true steps that lead to it:

- a subtraction of a negative number is rewritten as an addition (``18 - (-38)`` is ``18 + 38``), an addition of a
  negative one as a subtraction of its size;
- where the signs differ, or a smaller number has a larger one taken from it, the sign rule is said in words and the
  sizes are subtracted (``44 - 8 = 36``) before the claim ``8 + (-44) = -36``; two negatives add their sizes;
- a sum or difference of sizes from ``columns_min`` on is worked column by column from the right, like
  :func:`chukmath.families.common.long_ops.carry_lines` does for a product, whether or not a column carries or
  borrows: which sums get columns follows their size alone, so a model never has to foresee a carry to know it
  must work the columns (the seventh GPU run's model wrote ``864 - 80 = 844`` with no columns). Each column's claim
  is named by its place (``Tens: 5 + 3 = 8``) and the number that runs out of digits is named where the rest comes
  down (``33 has no hundreds, so ...``): the same model added ``5 + 5`` for the tens of ``1656 + 33`` and carried a
  tens digit into ``15 + 2``.

How much is shown follows :class:`~chukmath.families.common.long_ops.Detail` (``signs_min``, ``columns_min``). Each
line is prose without ``=`` or one ``a op b = c`` claim, and every helper checks its own arithmetic; the caller
writes the closing claim.
"""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, Style, claim, num, operand
from chukmath.families.common.long_ops import Detail, digits_of, lowest_terms_lines, operation_lines, sum_lines

_PLACES = ("ones", "tens", "hundreds", "thousands", "ten thousands", "hundred thousands", "millions")


def _place(power: int) -> str:
    return _PLACES[power] if power < len(_PLACES) else f"10^{power}s"


def _ones_first(n: int) -> list[int]:
    """The digits of ``n >= 0``, ones first (column order)."""
    return digits_of(n)[::-1]


def _whole(value: Number) -> int | None:
    if type(value) is int:
        return value
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return None


def _comes_down(short: int, power: int, rest: int) -> str:
    """The line for the digits of the longer number that come down once ``short`` has run out of digits."""
    return f"{short} has no {_place(power)}, so the {_place(power)} and above come down as they are: {rest}."


def column_sum_lines(a: int, b: int) -> list[str]:
    """``a + b`` (both ``>= 0``) column by column from the ones, carrying where a column reaches 10. The caller
    writes the claim ``a + b = c``."""
    top, bottom = _ones_first(a), _ones_first(b)
    width = max(len(top), len(bottom))
    top += [0] * (width - len(top))
    bottom += [0] * (width - len(bottom))
    shorter = min(len(str(a)), len(str(b)))
    lines = [f"Add {a} and {b} column by column from the right, carrying:"]
    written: list[int] = []
    carry = 0
    for power in range(width):
        x, y = top[power], bottom[power]
        if power >= shorter and not carry:
            rest = (a + b) // 10**power
            lines.append(_comes_down(b if len(str(b)) < len(str(a)) else a, power, rest))
            written.extend(_ones_first(rest))
            break
        total = x + y
        if x and y:  # the column named: the seventh run's model added 5 + 5 for the tens of 1656 + 33
            lines.append(f"{_place(power).capitalize()}: {claim(x, OP_ADD, y, total)}")
        if carry:
            label = "" if x and y else f"{_place(power).capitalize()}: "  # a column with one digit is named here
            lines.append(f"{label}{claim(total, OP_ADD, carry, total + carry)}")
            total += carry
        elif not (x and y):
            lines.append(f"The {_place(power)} digit is {total}.")
        carry = total // 10
        written.append(total % 10)
        if carry or total != x + y or total >= 10:
            lines.append(f"Write {total % 10}" + (f" and carry {carry}." if carry else "."))
    else:
        if carry:
            written.append(carry)
            lines.append(f"The last carry {carry} goes in front.")
    if int("".join(str(d) for d in reversed(written))) != a + b:
        raise AssertionError(f"column sum of {a} + {b} went wrong")
    return lines


def column_difference_lines(a: int, b: int) -> list[str]:
    """``a - b`` (``a >= b >= 0``) column by column from the ones, borrowing from the next column where the top digit
    is too small. The caller writes the claim ``a - b = c``."""
    if a < b or b < 0:
        raise ValueError(f"column subtraction needs a >= b >= 0, got {a} - {b}")
    top, bottom = _ones_first(a), _ones_first(b)
    bottom += [0] * (len(top) - len(bottom))
    lines = [f"Take {b} from {a} column by column from the right, borrowing where needed:"]
    written: list[int] = []
    lent = 0  # 1 when this column lent 1 to the column on its right
    for power, (x, y) in enumerate(zip(top, bottom, strict=True)):
        if power >= len(str(b)) and not lent:
            rest = a // 10**power
            lines.append(_comes_down(b, power, rest))
            written.extend(_ones_first(rest))
            break
        name, upper = _place(power), _place(power + 1)
        digit = x
        stated = False  # the digit's own claim written (after lending)
        if lent and x == 0:
            lines.append(f"The {name} digit is 0 and lent 1, so it borrows 1 from the {upper} and keeps 10 less 1:")
            lines.append(claim(10, OP_SUB, 1, 9))
            digit, lent, stated = 9, 1, True
        else:
            if lent:
                lines.append(f"The {name} digit {x} lent 1:")
                lines.append(claim(x, OP_SUB, 1, x - 1))
                digit, stated = x - 1, True
            lent = 0
            if digit < y:
                lines.append(f"In the {name}, {digit} is less than {y}, so borrow 1 from the {upper}: {digit} "
                             f"becomes {digit + 10}.")  # fmt: skip
                digit, lent = digit + 10, 1
        if y:
            lines.append(f"{name.capitalize()}: {claim(digit, OP_SUB, y, digit - y)}")
        elif not stated:
            lines.append(f"The {name} digit is {digit}.")
        written.append(digit - y)
    result = int("".join(str(d) for d in reversed(written)))
    if result != a - b or lent:
        raise AssertionError(f"column difference of {a} - {b} went wrong")
    return lines


def _size_lines(a: int, op: str, b: int, detail: Detail) -> list[str]:
    """The column work (possibly none) of ``a op b`` on sizes ``a >= b >= 0`` (``a >= 0, b >= 0`` for ``+``)."""
    if max(a, b) < detail.columns_min or min(a, b) < 1:
        return []
    return column_sum_lines(a, b) if op == OP_ADD else column_difference_lines(a, b)


def signed_lines(left: Number, op: str, right: Number, detail: Detail, style: Style = "fraction") -> list[str]:
    """The steps before the claim ``left op right = result`` for ``op`` in ``+ -`` and whole numbers: a negative
    subtracted rewritten as an addition, the sign rule in words with the sizes' own claim where a sign is involved,
    and column work (carries, borrows) on the sizes. Empty for anything else, for a zero operand, for signs below
    ``detail.signs_min`` and where the sizes are below ``detail.columns_min``."""
    a, b = _whole(left), _whole(right)
    if op not in (OP_ADD, OP_SUB) or a is None or b is None or a == 0 or b == 0:
        return []
    value = a + b if op == OP_ADD else a - b
    if a > 0 and b > 0 and (op == OP_ADD or a >= b):  # no sign in play: columns only
        return _size_lines(a, op, b, detail)
    if max(abs(a), abs(b)) < detail.signs_min:
        return []
    lines: list[str] = []
    shown = f"{operand(a, style)} {op} {operand(b, style)}"
    lead = f"{shown}: "  # what the sign rule's sentence starts with
    if op == OP_SUB and b < 0:
        added = f"{operand(a, style)} + {-b}"
        lead = f"Subtracting a negative number is adding its size: {shown} is {added}; "
        op, b = OP_ADD, -b
    q = b if op == OP_ADD else -b  # the claim is the sum a + q of two signed parts
    big, small = max(abs(a), abs(q)), min(abs(a), abs(q))
    if (a > 0) == (q > 0):  # same signs: the sizes add, and the result keeps the sign
        if a < 0 and op == OP_SUB:
            lines.append(f"{lead}taking {b} away from a negative number goes further below zero, so add the sizes "
                         "and keep the minus sign.")  # fmt: skip
        elif a < 0:
            lines.append(f"{lead}both are negative, so add the sizes and keep the minus sign.")
        elif lead.startswith("Subtracting"):
            lines.append(f"{lead.removesuffix('; ')}.")
        lines.extend(_size_lines(abs(a), OP_ADD, abs(q), detail))
        lines.append(claim(abs(a), OP_ADD, abs(q), abs(a) + abs(q)))
        size = abs(a) + abs(q)
    else:
        negative = (a > 0) != (abs(a) > abs(q))
        if big == small:
            lines.append(f"{lead}the two parts have the same size and opposite signs, so they cancel to 0.")
            size = 0
        else:
            if a > 0 and op == OP_SUB:
                lines.append(f"{lead}{b} is larger than {a}, so the result is negative; take {a} from {b} and put "
                             "a minus sign in front.")  # fmt: skip
            else:
                larger = a if abs(a) > abs(q) else q
                sign = "negative" if negative else "positive"
                lines.append(f"{lead}the signs differ, so take the smaller size from the larger; {larger} has the "
                             f"larger size, so the result is {sign}.")  # fmt: skip
            lines.extend(_size_lines(big, OP_SUB, small, detail))
            lines.append(claim(big, OP_SUB, small, big - small))
            size = big - small
        if size and (value < 0) != negative:
            raise AssertionError(f"the sign rule of {num(left)} {op} {num(right)} gave the wrong sign")
    if size != abs(value):
        raise AssertionError(f"the sizes of {num(left)} {op} {num(right)} gave {size}, not {abs(value)}")
    return lines


def plus_minus_lines(left: Number, op: str, right: Number, detail: Detail, style: Style = "fraction") -> list[str]:
    """The steps before the claim ``left ± right = result``: fractions over different denominators brought to the
    common one (:func:`~chukmath.families.common.long_ops.sum_lines`, fraction style), whole numbers through signs,
    sizes and columns (:func:`signed_lines`)."""
    if op not in (OP_ADD, OP_SUB):
        return []
    if style == "fraction":
        common = sum_lines(left, op, right, detail, numerators=signed_lines) or same_denominator_lines(
            left, op, right, detail)
        if common:
            return common
    return signed_lines(left, op, right, detail, style)


def same_denominator_lines(left: Number, op: str, right: Number, detail: Detail) -> list[str]:
    """The steps before ``left ± right = result`` for two fractions over one denominator (``1/2 - 9/2``): the
    numerators' own claim (through their signs and columns), then the result cut by its common factor. Empty
    unless both are fractions over the same denominator."""
    a, b = Fraction(left), Fraction(right)
    if op not in (OP_ADD, OP_SUB) or a.denominator != b.denominator or a.denominator == 1:
        return []
    bottom = a.denominator
    total = a.numerator + b.numerator if op == OP_ADD else a.numerator - b.numerator
    word = "add" if op == OP_ADD else "subtract"
    lines = [f"Both are over {bottom}, so {word} the numerators:"]
    lines.extend(signed_lines(a.numerator, op, b.numerator, detail))
    lines.append(claim(a.numerator, op, b.numerator, total))
    lines += lowest_terms_lines(total, bottom, detail)
    return lines


def working_lines(left: Number, op: str, right: Number, detail: Detail, style: Style = "fraction") -> list[str]:
    """The steps a route writes before the claim ``left op right = result``: long products and divisions
    (long_ops.operation_lines) for × and ÷, :func:`plus_minus_lines` for + and -."""
    if op in (OP_MUL, OP_DIV):
        return operation_lines(left, op, right, detail, style)
    return plus_minus_lines(left, op, right, detail, style)


__all__ = [
    "column_difference_lines", "column_sum_lines", "plus_minus_lines", "same_denominator_lines", "signed_lines",
    "working_lines",
]
