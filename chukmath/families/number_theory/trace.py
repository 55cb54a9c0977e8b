"""Trace for ``number_theory``: Euclid's algorithm, lcm via gcd, modular powers by repeated squaring, divisor counts.

Every remainder is stated as a true ``a mod m = r`` claim backed by ``q × m = p`` and ``a - p = r``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from chukmath.errors import InputError
from chukmath.families.common.arithmetic_steps import ArithmeticWalk
from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MOD, OP_MUL, OP_SUB, assemble, claim, step
from chukmath.families.common.long_ops import Detail, divide_lines, multiply_lines
from chukmath.records import Problem
from chukmath.safe_expr import MAX_DIVISOR_COUNT_ARG, parse_expression, source_segment


def remainder_lines(a: int, m: int) -> tuple[list[str], int]:
    """``a mod m`` with its supporting claims (quotient times divisor, then the difference)."""
    q, r = divmod(a, m)
    lines = []
    if q != 0:
        product = q * m
        lines.append(claim(q, OP_MUL, m, product))
        lines.append(claim(a, OP_SUB, product, r))
    lines.append(claim(a, OP_MOD, m, r))
    return lines, r


def euclid(a: int, b: int) -> tuple[list[str], int]:
    """Euclid's algorithm on ``|a|, |b|`` with one remainder claim block per step; returns the gcd."""
    a, b = abs(a), abs(b)
    lines: list[str] = []
    if b > a:
        a, b = b, a
    if b == 0:
        lines.append(f"One number is 0, so the gcd is the other one, {a}.")
        return lines, a
    lines.append(f"Euclid's algorithm on {a} and {b}: keep replacing the pair by (divisor, remainder) until it is 0.")
    while b:
        q, r = divmod(a, b)
        lines.append(f"Divide {a} by {b}: quotient {q}, remainder {r}.")
        block, r = remainder_lines(a, b)
        lines.extend(block)
        a, b = b, r
    lines.append(f"The remainder is 0, so the gcd is the last divisor, {a}.")
    return lines, a


def int_args(node: ast.Call, expr: str, where: str, walk: ArithmeticWalk) -> list[int]:
    """Evaluate each argument exactly (arithmetic steps are recorded); each must be an integer."""
    values = []
    for arg in node.args:
        value = walk.value(arg)
        if getattr(value, "denominator", 1) != 1:
            raise InputError(f"{where}: {ast.get_source_segment(expr, arg)} in {expr!r} is not an integer")
        values.append(int(value))
    return values


def _gcd(values: list[int], lines: list[str]) -> int:
    result = values[0]
    for value in values[1:]:
        block, result = euclid(result, value)
        lines.extend(block)
    return abs(result)


def _lcm(values: list[int], lines: list[str]) -> int:
    result = abs(values[0])
    for value in values[1:]:
        value = abs(value)
        if result == 0 or value == 0:
            lines.append("One of the numbers is 0, so the lcm is 0.")
            result = 0
            continue
        block, g = euclid(result, value)
        lines.extend(block)
        lines.append(f"lcm({result}, {value}) is {result} × {value} divided by their gcd {g}:")
        line, product = step(result, OP_MUL, value)
        lines.append(line)
        line, quotient = step(product, OP_DIV, g)
        lines.append(line)
        result = int(quotient)
    return result


def divides_check(name: str, result: int, values: list[int], detail: Detail | None = None) -> list[str]:
    """Re-check a gcd (it divides every number) or an lcm (every number divides it) with exact divisions, each
    worked as a long division at ``detail`` where given."""
    numbers = sorted({abs(v) for v in values if v != 0})
    if result == 0 or not numbers:
        return []
    if name == "gcd":
        lines = [f"Check: {result} divides each number exactly."]
        pairs = [(n, result) for n in numbers]
    else:
        lines = [f"Check: {result} is a whole multiple of each number."]
        pairs = [(result, n) for n in numbers]
    for top, bottom in pairs:
        if detail is not None:
            lines.extend(divide_lines(top, bottom, detail))
        lines.append(step(top, OP_DIV, bottom)[0])
    return lines


def worked_remainder(a: int, m: int, detail: Detail | None = None) -> tuple[list[str], int]:
    """:func:`remainder_lines`, or with ``detail`` the long division of ``a`` by ``m`` a digit at a time (no quotient
    guessed whole) and then ``a mod m = r``, where ``a`` is large enough to divide."""
    steps = divide_lines(a, m, detail, recombine=False) if detail is not None and m >= 2 and a >= m else []
    if not steps:
        return remainder_lines(a, m)
    r = a % m
    return [*steps, claim(a, OP_MOD, m, r)], r


def worked_product(lines: list[str], a: int, b: int, detail: Detail | None = None) -> int:
    """The claim ``a × b = c``, after its long multiplication at ``detail`` where given."""
    if detail is not None:
        lines.extend(multiply_lines(a, b, detail))
    line, product = step(a, OP_MUL, b)
    lines.append(line)
    return int(product)


def modular_power(base: int, exponent: int, modulus: int, lines: list[str], detail: Detail | None = None) -> int:
    """``base^exponent mod modulus`` by repeated squaring, one true claim per multiplication and reduction (each
    worked as a long multiplication and a long division at ``detail`` where given)."""
    if exponent < 0:
        raise InputError(f"negative exponent {exponent} in a modular power; use a modular inverse problem instead")
    m = abs(modulus)
    if m == 1:
        lines.append("Every integer is 0 mod 1.")
        return 0
    block, r = worked_remainder(base, m, detail)
    lines.append(f"First reduce the base modulo {m}:")
    lines.extend(block)
    if exponent == 0:
        lines.append(f"Any number to the power 0 is 1, and 1 mod {m} is 1.")
        return 1 % m
    bits = [1 << i for i in range(exponent.bit_length()) if exponent >> i & 1]
    if exponent == 1:
        lines.append(f"The exponent is 1, so {base}^1 leaves the same remainder as {base}.")
    elif len(bits) == 1:
        lines.append(f"{exponent} is a power of 2, so square repeatedly, reducing mod {m} each time.")
    else:
        lines.append(
            f"Write {exponent} as {' + '.join(map(str, bits))} and square repeatedly, reducing mod {m} each time."
        )
    squares = [r]
    power = 1
    while power * 2 <= exponent:
        product = worked_product(lines, squares[-1], squares[-1], detail)
        power *= 2
        block, reduced = worked_remainder(product, m, detail)
        lines.extend(block)
        lines.append(f"So {base}^{power} leaves remainder {reduced} mod {m}.")
        squares.append(reduced)
    result: int | None = None
    if len(bits) > 1:
        powers = " and ".join(f"{base}^{bit}" for bit in bits)
        lines.append(f"{base}^{exponent} is the product of {powers}; multiply their remainders:")
    for i, square in enumerate(squares):
        if not exponent >> i & 1:
            continue
        if result is None:
            result = square
            continue
        product = worked_product(lines, result, square, detail)
        block, result = worked_remainder(product, m, detail)
        lines.extend(block)
    assert result is not None  # exponent >= 1 has a set bit
    if modulus < 0 and result:
        # sympy's Mod takes the sign of the divisor.
        line, result = step(result, OP_ADD, modulus)
        lines.append("The divisor is negative, so the remainder takes its sign:")
        lines.append(line)
    return result


def factor_lines(n: int, lines: list[str], detail: Detail | None = None) -> list[tuple[int, int]]:
    """Prime factorization of ``n >= 2`` with one true division claim per prime factor removed; with ``detail``,
    found by trying the primes in order (:func:`trial_factor_lines`) where that stays short."""
    import sympy

    if not 2 <= n <= MAX_DIVISOR_COUNT_ARG:
        raise InputError(f"cannot factor {n}: it must be in 2..{MAX_DIVISOR_COUNT_ARG}")
    if detail is not None:
        tried: list[str] = []
        found = trial_factor_lines(n, tried, detail)
        if found is not None:
            lines.extend(tried)
            return found
    factors = sorted(sympy.factorint(n).items())
    lines.append(f"Factor {n} into primes by dividing out each prime:")
    current = n
    for prime, count in factors:
        for _ in range(count):
            line, current = step(current, OP_DIV, prime)
            lines.append(line)
    lines.append(factorization_line(n, factors))
    return factors


def powers_text(powers: list[tuple[int, int]]) -> str:
    """``2^3 × 5`` for [(2, 3), (5, 1)]."""
    return " × ".join(f"{p}^{e}" if e > 1 else str(p) for p, e in powers)


def factorization_line(n: int, factors: list[tuple[int, int]]) -> str:
    return f"So the prime factorization of {n} is {powers_text(factors)}."


_TRIAL_MAX = 60  # most lines a factorization by trial division may take; longer ones state the primes found


def trial_factor_lines(n: int, lines: list[str], detail: Detail) -> list[tuple[int, int]] | None:
    """Prime factorization of ``n >= 2`` by trying 2, 3, 5, 7, ... in turn: 2 and 5 by the last digit, the others
    by long division a digit at a time; each prime that goes in exactly is divided out (and tried again), and once
    a prime's square passes what is left, what is left is prime. No factor is guessed. None when it would take
    more than ``_TRIAL_MAX`` lines."""
    import sympy

    work = [f"Factor {n} into primes: try the primes in order from 2, dividing out each one that goes in exactly."]
    found: dict[int, int] = {}
    current, prime = n, 2
    while current > 1:
        if prime * prime > current:
            if current != n or prime > 2:  # 2 and 3 need no words: 2 × 2 is past them at once
                work.append(claim(prime, OP_MUL, prime, prime * prime))
                work.append(f"{prime * prime} is more than {current}, so no prime up to its square root is left to "
                            f"try: {current} is prime.")  # fmt: skip
            else:
                work.append(f"{current} is prime.")
            found[current] = found.get(current, 0) + 1
            break
        divides = current % prime == 0
        if prime in (2, 5):  # read off the last digit; the long division only to divide
            verdict = "divides it" if divides else "does not divide it"
            work.append(f"{current} ends in {current % 10}, so {prime} {verdict}.")
        if divides or prime not in (2, 5):
            work.extend(divide_lines(current, prime, detail, recombine=False))
        if divides:
            line, quotient = step(current, OP_DIV, prime)
            work.append(line)
            found[prime] = found.get(prime, 0) + 1
            current = int(quotient)
        else:
            if prime not in (2, 5):
                work.append(f"The remainder is not 0, so {prime} does not divide {current}.")
            prime = int(sympy.nextprime(prime))
        if len(work) >= _TRIAL_MAX:  # stop trying early: a prime near 10**9 would take a billion tries
            return None
    if len(work) >= _TRIAL_MAX:  # the prime test that ended the loop pushed it over
        return None
    factors = sorted(found.items())
    work.append(factorization_line(n, factors))
    lines.extend(work)
    return factors


def divisor_count(n: int, lines: list[str], detail: Detail | None = None) -> int:
    """Number of positive divisors of ``|n|`` from its prime factorization (exponents plus one, multiplied)."""
    n = abs(n)
    if n == 1:
        lines.append("1 has exactly one positive divisor, itself.")
        return 1
    factors = factor_lines(n, lines, detail)
    lines.append("A divisor picks each prime's exponent from 0 up to its exponent, so multiply (exponent + 1):")
    total = 1
    for index, (prime, count) in enumerate(factors):
        lines.append(f"The prime {prime} has exponent {count}:")
        line, plus_one = step(count, OP_ADD, 1)
        lines.append(line)
        if index == 0:
            total = int(plus_one)
        else:
            line, product = step(total, OP_MUL, plus_one)
            lines.append(line)
            total = int(product)
    return total


def divisor_sigma(n: int, lines: list[str], detail: Detail | None = None) -> int:
    """Sum of the positive divisors of ``|n|``: the product over primes of ``1 + p + ... + p^e``."""
    n = abs(n)
    if n == 1:
        lines.append("The only positive divisor of 1 is 1.")
        return 1
    factors = factor_lines(n, lines, detail)
    lines.append("The divisor sum is the product, over the primes, of 1 + p + ... + p^e:")
    total = 1
    for index, (prime, count) in enumerate(factors):
        terms = " + ".join(["1", *(str(prime) if e == 1 else f"{prime}^{e}" for e in range(1, count + 1))])
        lines.append(f"For the prime {prime}: {terms}")
        power, partial = 1, 1
        for _ in range(count):
            line, power = step(power, OP_MUL, prime) if power != 1 else (None, prime)
            if line:
                lines.append(line)
            line, partial = step(partial, OP_ADD, power)
            lines.append(line)
        if index == 0:
            total = int(partial)
        else:
            lines.append("Multiply by the product of the sums before it:")
            line, product = step(total, OP_MUL, partial)
            lines.append(line)
            total = int(product)
    return total


def multiplicity(prime: int, n: int, lines: list[str]) -> int:
    """How many times ``prime`` divides ``n``: divide while the remainder is 0."""
    if prime < 2 or n == 0:
        raise InputError(f"multiplicity({prime}, {n}) is not defined; use a base >= 2 and a nonzero number")
    lines.append(f"Divide {n} by {prime} as long as the division is exact.")
    count, current = 0, n
    while True:
        block, r = remainder_lines(current, prime)
        if r != 0:
            lines.append(block[-1])
            if count == 0:
                lines.append(f"{current} is not divisible by {prime} at all.")
            else:
                done = "1 division" if count == 1 else f"{count} divisions"
                lines.append(f"{current} is not divisible by {prime}, so stop after {done}.")
            return count
        line, current = step(current, OP_DIV, prime)
        lines.append(line)
        count += 1


def _mod(node: ast.Call, expr: str, where: str, walk: ArithmeticWalk, lines: list[str]) -> int:
    target, modulus_node = node.args
    (modulus,) = int_args(ast.Call(func=node.func, args=[modulus_node], keywords=[]), expr, where, walk)
    if modulus == 0:
        raise InputError(f"{where}: Mod by zero in {expr!r}")
    if (
        isinstance(target, ast.BinOp)
        and isinstance(target.op, ast.Pow)
        and not walk.lines
        and is_int_literal(target.left)
        and is_int_literal(target.right)
    ):
        base = int(walk.value(target.left))
        exponent = int(walk.value(target.right))
        lines.extend(walk.lines)
        return modular_power(base, exponent, modulus, lines)
    (value,) = int_args(ast.Call(func=node.func, args=[target], keywords=[]), expr, where, walk)
    lines.extend(walk.lines)
    block, r = remainder_lines(value, modulus)
    lines.extend(block)
    return r


def is_int_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int


_CALLS: dict[str, Callable[[list[int], list[str]], int]] = {
    "gcd": _gcd,
    "lcm": _lcm,
}


def restate(tree: ast.Call, expr: str) -> str:
    """``2^10 mod 7`` / ``the number of positive divisors of 36`` / ``gcd(84, 36)`` for the first and last line."""
    args = [(source_segment(expr, a) or "").replace("**", "^") for a in tree.args]
    name = tree.func.id  # type: ignore[attr-defined]  # validated: calls are plain names
    if name == "Mod" and len(args) == 2:
        return f"the remainder of {args[0]} modulo {args[1]}"
    if name == "divisor_count" and len(args) == 1:
        return f"the number of positive divisors of {args[0]}"
    if name == "divisor_sigma" and len(args) == 1:
        return f"the sum of the positive divisors of {args[0]}"
    if name == "multiplicity" and len(args) == 2:
        return f"the exponent of {args[0]} in {args[1]}"
    return f"{name}({', '.join(args)})"


def number_theory_trace(problem: Problem) -> str:
    """Trace for ``gcd(...)``, ``lcm(...)``, ``Mod(a**b, m)`` / ``Mod(a, m)`` and ``divisor_count(n)``."""
    where = f"problem {problem.id}"
    expr = problem.expression
    tree = parse_expression(expr, where)
    if not isinstance(tree, ast.Call):
        raise InputError(f"{where}: expected gcd, lcm, Mod or divisor_count, got {expr!r}")
    name = tree.func.id  # type: ignore[attr-defined]  # validated: calls are plain names
    walk = ArithmeticWalk(expr, where, "fraction")
    lines: list[str] = []
    if name == "Mod":
        if len(tree.args) != 2:
            raise InputError(f"{where}: Mod takes 2 arguments in {expr!r}")
        result = _mod(tree, expr, where, walk, lines)
    elif name in _CALLS:
        values = int_args(tree, expr, where, walk)
        if len(values) < 2:
            raise InputError(f"{where}: {name} needs at least 2 numbers in {expr!r}")
        lines.extend(walk.lines)
        result = _CALLS[name](values, lines)
        lines.extend(divides_check(name, result, values))
    elif name in ("divisor_count", "divisor_sigma"):
        values = int_args(tree, expr, where, walk)
        if len(values) != 1:
            raise InputError(f"{where}: {name} takes one number in {expr!r}")
        lines.extend(walk.lines)
        result = (divisor_count if name == "divisor_count" else divisor_sigma)(values[0], lines)
    elif name == "multiplicity":
        values = int_args(tree, expr, where, walk)
        if len(values) != 2:
            raise InputError(f"{where}: multiplicity takes a prime and a number in {expr!r}")
        lines.extend(walk.lines)
        result = multiplicity(values[0], values[1], lines)
    else:
        raise InputError(f"{where}: {name} is not a number-theory function this teacher explains ({expr!r})")
    shown = restate(tree, expr)
    think = [f"We need to find {shown}.", *lines, f"So {shown} is {result}."]
    return assemble(think, f"The answer is {result}.", str(result))
