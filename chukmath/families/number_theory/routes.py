"""Three routes through the number-theory questions, each ending with a check that recomputes another way:

- ``euclid``: gcd by Euclid's algorithm, lcm through the gcd (a ÷ gcd first, then × b), a remainder by long
  division, a modular power by repeated squaring, divisor counts and sums from the prime factorization (checked
  by building every divisor from it);
- ``prime_factors``: gcd and lcm from the prime factorizations (checked with Euclid or by division), a remainder by
  the largest multiple, built by counting up a digit of the quotient at a time, a modular power through the cycle
  of its remainders;
- ``by_hand``: gcd by halving and subtracting (the binary method, each number's parity read from its last digit),
  lcm by stepping through multiples, a remainder by taking off chunks of the divisor (each found by counting up in
  its size), a modular power by multiplying one factor at a time, divisors by testing up to the square root.

Where a route has no way for a question (a huge cycle, a number too big to test by hand), it writes the classic
trace's way of that question; questions with zero or negative numbers go to the classic trace.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from math import gcd, isqrt

from chukmath.families.common.arithmetic_steps import ArithmeticWalk
from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MOD, OP_MUL, OP_SUB, assemble, claim, step
from chukmath.families.common.long_ops import Detail, divide_lines
from chukmath.families.common.signed_ops import signed_lines
from chukmath.families.common.worked import pick
from chukmath.families.number_theory.trace import (
    divides_check,
    divisor_count,
    divisor_sigma,
    euclid,
    factor_lines,
    int_args,
    is_int_literal,
    modular_power,
    multiplicity,
    number_theory_trace,
    powers_text,
    remainder_lines,
    restate,
    worked_product,
    worked_remainder,
)
from chukmath.records import Problem
from chukmath.safe_expr import parse_expression

_FINE = Detail(carries=False, partial_min=10, division_min=10)
_SHORT = Detail(carries=False, partial_min=10, division_min=1)  # every division worked a digit at a time
_CYCLE_MAX = 24  # longest list of powers worth writing out
_CHECK_MAX = 100  # most lines a modular power's check may take (its products and divisions worked out)
_TRACE_MAX = 150  # ... and the most the trace may have with it (longer rows are cut from training at 2,048 tokens)
_TEST_MAX = 400  # largest number whose divisors are tested one by one
_MULTIPLES_MAX = 8  # most multiples stepped through for an lcm (more: through the gcd)


@dataclass
class Question:
    """A number-theory question read: ``gcd``, ``lcm``, ``mod``, ``powmod`` (values base, exponent, modulus),
    ``divisor_count``, ``divisor_sigma`` or ``multiplicity``; the lines evaluating its arguments; how to say it."""

    name: str
    values: list[int]
    shown: str
    lines: list[str] = field(default_factory=list)


def read_question(problem: Problem) -> Question | None:
    """The question of ``problem``, or None for a shape the routes leave to the classic trace."""
    where, expr = f"problem {problem.id}", problem.expression
    tree = parse_expression(expr, where)
    if not isinstance(tree, ast.Call) or not isinstance(tree.func, ast.Name):
        return None
    name = tree.func.id
    walk = ArithmeticWalk(expr, where, "fraction")
    shown = restate(tree, expr)
    if name == "Mod" and len(tree.args) == 2:
        target, modulus_node = tree.args
        (modulus,) = int_args(ast.Call(func=tree.func, args=[modulus_node], keywords=[]), expr, where, walk)
        if isinstance(target, ast.BinOp) and isinstance(target.op, ast.Pow) and not walk.lines \
                and is_int_literal(target.left) and is_int_literal(target.right):  # fmt: skip
            values = [int(walk.value(target.left)), int(walk.value(target.right)), modulus]
            return Question("powmod", values, shown, walk.lines) if min(values) > 0 else None
        (value,) = int_args(ast.Call(func=tree.func, args=[target], keywords=[]), expr, where, walk)
        return Question("mod", [value, modulus], shown, walk.lines) if value >= 0 and modulus > 0 else None
    if name in ("gcd", "lcm", "divisor_count", "divisor_sigma", "multiplicity"):
        values = int_args(tree, expr, where, walk)
        if min(values, default=0) <= 0 or (name in ("gcd", "lcm") and len(values) < 2):
            return None
        return Question(name, values, shown, walk.lines)
    return None


# --- gcd and lcm ---------------------------------------------------------------------------------------------


def _factorizations(values: list[int], lines: list[str]) -> list[dict[int, int]]:
    found = []
    for value in values:
        if value == 1:
            lines.append("1 has no prime factors.")
            found.append({})
        else:
            found.append(dict(factor_lines(value, lines, _SHORT)))
    return found


def _power_product(powers: list[tuple[int, int]], lines: list[str]) -> int:
    """The product of ``p^e`` over ``powers``, one claim per multiplication."""
    total = 1
    for prime, exponent in powers:
        for _ in range(exponent):
            if total == 1:
                total = prime
                continue
            line, total = step(total, OP_MUL, prime)
            lines.append(line)
            total = int(total)
    return total


def _gcd_by_factors(values: list[int], lines: list[str]) -> int:
    factors = _factorizations(values, lines)
    common = sorted(set.intersection(*(set(f) for f in factors)))
    if not common:
        lines.append("No prime divides every number, so the gcd is 1.")
        return 1
    powers = [(p, min(f[p] for f in factors)) for p in common]
    said = powers_text(powers)
    lines.append(f"Take each shared prime to its smallest exponent: {said}.")
    return _power_product(powers, lines)


def _lcm_by_factors(values: list[int], lines: list[str]) -> int:
    factors = _factorizations(values, lines)
    primes = sorted(set().union(*(set(f) for f in factors)))
    if not primes:
        lines.append("Every number is 1, so the lcm is 1.")
        return 1
    powers = [(p, max(f.get(p, 0) for f in factors)) for p in primes]
    said = powers_text(powers)
    lines.append(f"Take every prime that appears to its largest exponent: {said}.")
    return _power_product(powers, lines)


def _binary_gcd(a: int, b: int, lines: list[str]) -> int:
    """Stein's method: halve common factors of 2, halve an even number, subtract the smaller odd from the larger."""
    lines.append(f"Find gcd({a}, {b}) by halving and subtracting.")
    twos = 0
    while a % 2 == 0 and b % 2 == 0:
        lines.append(f"Both {a} and {b} are even: 2 is a common factor; halve both.")
        a, b = a // 2, b // 2
        lines.append(claim(a * 2, OP_DIV, 2, a))
        lines.append(claim(b * 2, OP_DIV, 2, b))
        twos += 1
    while a != b:
        if a % 2 == 0 or b % 2 == 0:
            even = a if a % 2 == 0 else b
            odd = b if even == a else a
            lines.append(f"{even} ends in {even % 10}, so it is even; {odd} ends in {odd % 10}, so it is odd. "
                         f"Halve {even}:")  # fmt: skip
            lines.append(claim(even, OP_DIV, 2, even // 2))
            a, b = (a // 2, b) if even == a else (a, b // 2)
            continue
        high, low = max(a, b), min(a, b)
        lines.append(f"{high} ends in {high % 10} and {low} in {low % 10}: both are odd, so replace {high} by "
                     f"{high} - {low}.")  # fmt: skip
        lines.append(claim(high, OP_SUB, low, high - low))
        a, b = high - low, low
    result = a
    if twos:
        lines.append(f"The numbers are equal at {a}; put back the common factor 2, {twos} time(s):")
        for _ in range(twos):
            lines.append(claim(result, OP_MUL, 2, result * 2))
            result *= 2
    else:
        lines.append(f"The numbers are equal at {a}, so that is the gcd.")
    return result


def _fold(values: list[int], pair: Callable[[int, int, list[str]], int], lines: list[str]) -> int:
    result = values[0]
    for value in values[1:]:
        result = pair(result, value, lines)
    return result


def _lcm_through_gcd(a: int, b: int, lines: list[str]) -> int:
    """lcm(a, b) as a ÷ gcd × b: Euclid's gcd, then :func:`_lcm_from_gcd`."""
    return _lcm_from_gcd(a, b, _euclid_block(a, b, lines), lines)


def _lcm_from_gcd(a: int, b: int, g: int, lines: list[str]) -> int:
    """lcm(a, b) from their gcd ``g``: the division first so the product stays small, each long division and product
    worked digit by digit."""
    if g == 1:
        lines.append(f"The gcd is 1, so lcm({a}, {b}) is the product {a} × {b}:")
        return worked_product(lines, a, b, _FINE)
    lines.append(f"lcm({a}, {b}) is {a} × {b} divided by their gcd {g}; divide {a} by {g} first, so the numbers stay "
                 "small:")  # fmt: skip
    lines.extend(divide_lines(a, g, _FINE))
    part = _claim(lines, a, OP_DIV, g)
    lines.append(f"Then multiply by {b}:")
    return worked_product(lines, part, b, _FINE)


def _lcm_by_multiples(a: int, b: int, lines: list[str]) -> int:
    high, low = max(a, b), min(a, b)
    steps = low // gcd(a, b)
    if steps > _MULTIPLES_MAX:
        return _lcm_from_gcd(a, b, _binary_gcd(a, b, lines), lines)
    lines.append(f"Step through the multiples of {high} until one is divisible by {low}:")
    for k in range(1, steps + 1):
        multiple = high * k
        if k > 1:
            lines.append(claim(high, OP_MUL, k, multiple))
        r = _remainder(lines, multiple, low)
        if r == 0:
            lines.append(f"{multiple} is the first multiple of {high} that {low} divides.")
            return multiple
    raise AssertionError(f"no multiple of {high} up to {high * steps} is divisible by {low}")


def _remainder(lines: list[str], a: int, m: int) -> int:
    """``a mod m`` after its long division a digit at a time (worked_remainder), or where that is a times-table
    fact its quotient product and difference (remainder_lines), so no remainder is stated without the division
    behind it; one line when there is nothing to divide (m is 1, or a is less than m)."""
    block, r = worked_remainder(a, m, _SHORT)
    lines.extend(block if m > 1 and a >= m else block[-1:])
    return r


def _claim(lines: list[str], left: int, op: str, right: int) -> int:
    line, result = step(left, op, right)
    lines.append(line)
    return int(result)


def _running_sum(values: list[int], lines: list[str]) -> int:
    """``values`` added left to right, one claim a sum."""
    total = values[0]
    for value in values[1:]:
        total = _claim(lines, total, OP_ADD, value)
    return total


def _difference(lines: list[str], a: int, b: int) -> int:
    """``a - b`` worked column by column where its size calls for it (signed_lines), then claimed."""
    lines.extend(signed_lines(a, OP_SUB, b, _FINE))
    return _claim(lines, a, OP_SUB, b)


def _euclid_check(values: list[int], result: int, lines: list[str]) -> None:
    lines.append("Check with Euclid's algorithm:")
    g = values[0]
    for value in values[1:]:
        block, g = euclid(g, value)
        lines.extend(block)
    if g != result:
        raise AssertionError(f"Euclid gives {g}, the factorizations {result}")


# --- remainders ----------------------------------------------------------------------------------------------


def _remainder_check(a: int, m: int, r: int, lines: list[str]) -> None:
    q = a // m
    lines.append(f"Check: {q} times {m} plus the remainder {r} must give back {a}.")
    product = _claim(lines, q, OP_MUL, m)
    back = _claim(lines, product, OP_ADD, r)
    if back != a:
        raise AssertionError(f"{q} × {m} + {r} is {back}, not {a}")


def _mod_long(a: int, m: int, lines: list[str]) -> int:
    steps = divide_lines(a, m, _FINE)
    if steps:
        lines.extend(steps)
        r = a % m
        lines.append(claim(a, OP_MOD, m, r))
    else:  # too short for long division (200 ÷ 20): the quotient's product and the difference
        r = _remainder(lines, a, m)
    _remainder_check(a, m, r, lines)
    return r


def _count_up(total: int, unit: int, limit: int, lines: list[str]) -> int:
    """Add ``unit`` to ``total`` until the next sum would pass ``limit``, each sum a claim; the sum that passes is
    written and said to be too big. Returns the last sum that fits (``total`` itself when none does)."""
    while True:
        after = _claim(lines, total, OP_ADD, unit)
        if after > limit:
            lines.append(f"{after} is more than {limit}, so stop at {total}.")
            return total
        total = after


def _mod_multiple(a: int, m: int, lines: list[str]) -> int:
    """The largest multiple of ``m`` that fits in ``a``, built a digit of the quotient at a time by counting up
    (in 100 × m, then 10 × m, then m), each count a sum and the first one too big shown to pass ``a``."""
    q = a // m
    if not q:
        lines.append(f"{a} is less than {m}, so nothing is taken off:")
        lines.append(claim(a, OP_MOD, m, a))
        return a
    lines.append(f"Build the largest multiple of {m} that fits in {a} by counting up, one digit of the quotient "
                 "at a time:")  # fmt: skip
    total = 0
    for power in range(len(str(q)) - 1, -1, -1):
        unit = m * 10**power
        if power:
            lines.append(claim(m, OP_MUL, 10**power, unit))
        if total:
            lines.append(f"Count up from {total} in {unit}s:")
            total = _count_up(total, unit, a, lines)
        else:
            lines.append(f"Count up in {unit}s from {unit}:")
            total = _count_up(unit, unit, a, lines)
    lines.append(f"So {q} × {m} is the largest multiple of {m} that fits:")
    lines.append(claim(q, OP_MUL, m, total))
    r = _difference(lines, a, total)
    lines.append(claim(a, OP_MOD, m, r))
    lines.append(f"Check: what is left after the remainder is a whole number of {m}s.")
    back = _difference(lines, a, r)
    _claim(lines, back, OP_DIV, m)
    return r


def _mod_chunks(a: int, m: int, lines: list[str]) -> int:
    """Chunks of ``m`` taken off, each a digit times a power of ten of ``m``s; the digit found by counting up in
    that size until the next count would pass what is left."""
    lines.append(f"Take off chunks of {m} (a digit times a power of ten of {m}s) until less than {m} is left:")
    current = a
    while current >= m:
        scale = 10 ** (len(str(current // m)) - 1)
        unit = m * scale
        if scale > 1:
            lines.append(claim(m, OP_MUL, scale, unit))
        lines.append(f"Count up in {unit}s from {unit}:")
        chunk = _count_up(unit, unit, current, lines)
        digit = chunk // unit
        if digit > 1:
            lines.append(f"Take {digit} × {unit}:")
            lines.append(claim(digit, OP_MUL, unit, chunk))
        current = _difference(lines, current, chunk)
    lines.append(claim(a, OP_MOD, m, current))
    _remainder_check(a, m, current, lines)
    return current


# --- modular powers ------------------------------------------------------------------------------------------


def _powers_until_repeat(base: int, m: int) -> list[int] | None:
    seen: dict[int, int] = {}
    powers: list[int] = []
    r = base % m
    while r not in seen:
        if len(powers) >= _CYCLE_MAX:
            return None
        seen[r] = len(powers)
        powers.append(r)
        r = r * base % m
    return powers


def _pow_cycle(base: int, exponent: int, m: int, lines: list[str]) -> int | None:
    powers = _powers_until_repeat(base, m)
    if powers is None or exponent <= len(powers):
        return None
    lines.append(f"List the remainders of {base}^1, {base}^2, ... mod {m}, each from the one before:")
    lines.extend(remainder_lines(base, m)[0])
    for k in range(1, len(powers)):
        product = worked_product(lines, powers[k - 1], base, _FINE)
        _remainder(lines, product, m)
    nxt = worked_product(lines, powers[-1], base, _FINE)
    again = _remainder(lines, nxt, m)
    start = powers.index(again) + 1  # exponent where the cycle starts
    period = len(powers) + 1 - start
    lines.append(f"{base}^{len(powers) + 1} leaves {again} again, as {base}^{start} did: the remainders repeat every "
                 f"{period} step(s) from exponent {start} on.")  # fmt: skip
    offset = 0
    if period > 1:
        shifted = _claim(lines, exponent, OP_SUB, start)
        offset = _remainder(lines, shifted, period)
    index = start + offset
    result = powers[index - 1]
    lines.append(f"So {base}^{exponent} leaves the same remainder as {base}^{index}: {result}.")
    return result


def _pow_successive(base: int, exponent: int, m: int, lines: list[str]) -> int | None:
    if exponent > 16:
        return None
    lines.append(f"Multiply by {base} one factor at a time, reducing mod {m} after each step:")
    block, r = remainder_lines(base, m)
    lines.extend(block)
    for _ in range(exponent - 1):
        product = worked_product(lines, r, base, _FINE)
        r = _remainder(lines, product, m)
    return r


def _pow_left_to_right(base: int, exponent: int, m: int, lines: list[str]) -> int | None:
    """``base^exponent mod m`` from the exponent's binary digits, highest first: square, and where the digit is 1
    multiply by the base too, reducing after each step (other products than repeated squaring's, which goes from
    the lowest digit up)."""
    if exponent < 2 or m < 2:
        return None
    digits = bin(exponent)[2:]
    lines.append(f"In binary {exponent} is {digits}. Start from {base}; for each next digit square, and where the "
                 f"digit is 1 multiply by the base too, reducing mod {m} after each step:")  # fmt: skip
    block, unit = remainder_lines(base, m)
    lines.extend(block)
    r, power = unit, 1
    for digit in digits[1:]:
        r = _remainder(lines, worked_product(lines, r, r, _FINE), m)
        power *= 2
        if digit == "1":
            r = _remainder(lines, worked_product(lines, r, unit, _FINE), m)
            power += 1
        lines.append(f"So {base}^{power} leaves {r}.")
    return r


def _fits(lines: list[str], check: list[str]) -> bool:
    """Whether a check of ``check``'s lines fits: short enough itself, and the trace with it."""
    return len(check) <= _CHECK_MAX and len(lines) + len(check) <= _TRACE_MAX


def _pow_check(base: int, exponent: int, m: int, result: int, lines: list[str], route: str) -> None:
    """A second way to the modular power, the first of those that fits the trace's length: repeated squaring for
    the cycle and by-hand routes; for the squaring route, the cycle of remainders, else the binary digits from the
    top."""
    ways: list[tuple[str, Callable[[int, int, int, list[str]], int | None]]] = (
        [("Check by repeated squaring:", lambda b, e, n, out: modular_power(b, e, n, out, _SHORT))]
        if route != "euclid"
        else [("Check with the cycle of remainders:", _pow_cycle),
              ("Check from the binary digits of the exponent, highest first:", _pow_left_to_right)]
    )  # fmt: skip
    chosen: tuple[str, list[str], int] | None = None
    for way_heading, way in ways:
        work: list[str] = []
        value = way(base, exponent, m, work)
        if value is not None and _fits(lines, work):
            chosen = (way_heading, work, value)
            break
    if chosen is None:
        return
    heading, check, again = chosen
    lines.append(heading)
    lines.extend(check)
    if again != result:
        raise AssertionError(f"{base}^{exponent} mod {m}: {result} one way, {again} the other")
    lines.append(f"Both ways give {result}.")


# --- divisors ------------------------------------------------------------------------------------------------


def _divisor_pairs(n: int, lines: list[str]) -> list[int]:
    """Every divisor of ``n`` found by dividing ``n`` by 1, 2, ... up to its square root, each division worked a
    digit at a time (times-table steps, no quotient guessed whole: the seventh run's model wrote 15 × 6 = 90 for
    96 ÷ 6); a divisor ``d`` brings its partner ``n ÷ d``."""
    lines.append(f"Test every number from 1 to {isqrt(n)} (the square root of {n}); each divisor d pairs with {n} ÷ d.")
    found: list[int] = []
    for d in range(1, isqrt(n) + 1):
        r = _remainder(lines, n, d)
        if r == 0:
            partner = n // d
            lines.append(claim(n, OP_DIV, d, partner))
            found.extend([d] if partner == d else [d, partner])
    return sorted(found)


def _count_by_pairs(n: int, lines: list[str]) -> int | None:
    if n > _TEST_MAX:
        return None
    divisors = _divisor_pairs(n, lines)
    pairs = sum(1 for d in divisors if d * d <= n)
    lines.append(f"The divisors are {', '.join(map(str, divisors))}: {pairs} pair(s) found, two divisors each"
                 + (f", and {isqrt(n)} pairs with itself, so count it once:" if isqrt(n) ** 2 == n else ":"))
    count = _claim(lines, pairs, OP_MUL, 2)
    if isqrt(n) ** 2 == n:
        count = _claim(lines, count, OP_SUB, 1)
    if count != len(divisors):
        raise AssertionError(f"{n}: {count} divisors counted, {len(divisors)} listed")
    return count


def _sum_by_pairs(n: int, lines: list[str]) -> int | None:
    if n > _TEST_MAX:
        return None
    divisors = _divisor_pairs(n, lines)
    lines.append(f"Add the divisors {', '.join(map(str, divisors))}:")
    return _running_sum(divisors, lines)


def _divisors_from_factors(n: int, lines: list[str]) -> list[int]:
    """Every divisor of ``n`` built from its prime factorization: the divisors so far, each times the prime once,
    twice, ... up to its exponent, every product a claim. No division, so no quotient to guess."""
    factors = factor_lines(n, [])
    shown = powers_text(factors)
    lines.append(f"Build every divisor from {n} = {shown}: start from 1, then for each prime multiply every divisor "
                 "so far by it, once for each power up to its exponent.")  # fmt: skip
    divisors = [1]
    for prime, exponent in factors:
        lines.append(f"Times {prime}, up to {prime}^{exponent}:" if exponent > 1 else f"Times {prime}:")
        new: list[int] = []
        for d in divisors:
            current = d
            for _ in range(exponent):
                current = _claim(lines, current, OP_MUL, prime)
                new.append(current)
        lines.append(f"{len(new)} new divisor(s) join the {len(divisors)} before:")
        lines.append(claim(len(divisors), OP_ADD, len(new), len(divisors) + len(new)))
        divisors += new
        lines.append(f"The divisors so far: {', '.join(map(str, divisors))}.")
    return sorted(divisors)


def _check_by_listing(name: str, n: int, result: int, lines: list[str]) -> None:
    """The formula's count or sum checked against the divisors listed from the factorization (the count, by
    adding up the new divisors each prime brings; the sum, by adding the divisors)."""
    if n == 1 or n > _TEST_MAX:
        return
    lines.append("Check by listing the divisors:")
    divisors = _divisors_from_factors(n, lines)
    if name == "divisor_count":
        lines.append(f"That is {len(divisors)} divisors, as the formula gave.")
        found = len(divisors)
    else:
        lines.append(f"Add them: {' + '.join(map(str, divisors))}")
        found = _running_sum(divisors, lines)
        lines.append(f"That is {found}, as the formula gave.")
    if found != result:
        raise AssertionError(f"{name}({n}): {result} by the formula, {found} by listing")


def _check_by_formula(formula: Callable[..., int], n: int, result: int, lines: list[str]) -> None:
    """The count or sum found by testing divisors, checked by the formula from the prime factorization (the
    primes tried in order), where the trace has room for it."""
    check: list[str] = []
    again = formula(n, check, _SHORT)
    if not _fits(lines, check):
        return
    lines.append("Check with the prime factorization:")
    lines.extend(check)
    if again != result:
        raise AssertionError(f"{n}: {result} by testing divisors, {again} by the formula")
    lines.append(f"Both ways give {result}.")


def _valuation_check(prime: int, n: int, count: int, lines: list[str]) -> None:
    if count == 0:
        return
    lines.append(f"Check: {prime}^{count} times what is left gives back {n}.")
    power = prime
    for _ in range(count - 1):
        power = _claim(lines, power, OP_MUL, prime)
    _claim(lines, power, OP_MUL, n // power)


# --- routes --------------------------------------------------------------------------------------------------


def _answer(question: Question, route: str, lines: list[str]) -> int | None:
    name, v = question.name, question.values
    if name == "gcd":
        if route == "euclid":
            result = _fold(v, lambda a, b, out: _euclid_block(a, b, out), lines)
        elif route == "prime_factors":
            result = _gcd_by_factors(v, lines)
            _euclid_check(v, result, lines)
            return result
        else:
            result = _fold(v, _binary_gcd, lines)
        lines.extend(divides_check("gcd", result, v, _FINE))
        return result
    if name == "lcm":
        if route == "euclid":
            result = _fold(v, _lcm_through_gcd, lines)
        elif route == "prime_factors":
            result = _lcm_by_factors(v, lines)
        else:
            result = _fold(v, _lcm_by_multiples, lines)
        lines.extend(divides_check("lcm", result, v, _FINE))
        return result
    if name == "mod":
        return {"euclid": _mod_long, "prime_factors": _mod_multiple, "by_hand": _mod_chunks}[route](v[0], v[1], lines)
    if name == "powmod":
        base, exponent, m = v
        if m == 1:
            return None
        if route == "euclid":
            result: int | None = modular_power(base, exponent, m, lines, _SHORT)
        else:
            work: list[str] = []
            result = (_pow_cycle if route == "prime_factors" else _pow_successive)(base, exponent, m, work)
            if result is None:  # a long cycle or a large exponent: the binary digits from the top
                work.clear()
                result = _pow_left_to_right(base, exponent, m, work)
            if result is None:
                return None
            lines.extend(work)
        assert result is not None
        _pow_check(base, exponent, m, result, lines, route)
        return result
    if name in ("divisor_count", "divisor_sigma"):
        by_pairs = _count_by_pairs if name == "divisor_count" else _sum_by_pairs
        formula = divisor_count if name == "divisor_count" else divisor_sigma
        if route == "by_hand":
            found = by_pairs(v[0], lines)
            if found is not None:
                _check_by_formula(formula, v[0], found, lines)
            return found
        result = formula(v[0], lines, _SHORT)
        _check_by_listing(name, v[0], result, lines)
        return result
    if name == "multiplicity":
        result = multiplicity(v[0], v[1], lines)
        _valuation_check(v[0], v[1], result, lines)
        return result
    return None


def _euclid_block(a: int, b: int, lines: list[str]) -> int:
    block, g = euclid(a, b)
    lines.extend(block)
    return g


def number_route(route: str) -> Callable[[Problem], str]:
    """The trace of a number-theory problem by ``route`` (``euclid``, ``prime_factors`` or ``by_hand``)."""

    def trace(problem: Problem) -> str:
        question = read_question(problem)
        if question is None:
            return number_theory_trace(problem)
        lines = list(question.lines)
        result = _answer(question, route, lines)
        if result is None:
            return number_theory_trace(problem)
        opening = pick(problem.id, "opening", ("We need to find {q}.", "Find {q}.", "Let us work out {q}."))
        think = [opening.format(q=question.shown), *lines, f"So {question.shown} is {result}."]
        return assemble(think, f"The answer is {result}.", str(result))

    trace.__name__ = trace.__qualname__ = f"{route}_trace"
    return trace


euclid_route = number_route("euclid")
prime_factors = number_route("prime_factors")
by_hand = number_route("by_hand")
ROUTES = {"euclid": euclid_route, "prime_factors": prime_factors, "by_hand": by_hand}

__all__ = ["ROUTES", "Question", "by_hand", "euclid_route", "number_route", "prime_factors", "read_question"]
