"""Answer values: an expected answer or an answer item parsed into an exact form, and how two values compare.

``to_value`` reads one expression (a plain number without the grammar, anything else through the bounded grammar
and the canonical form); ``parse_expected`` reads a generator's answer (scalar, ``{a, b}`` set or ``{x: 3, y: 2}``
mapping); ``values_equal`` and the set and mapping rules compare them exactly, or by the rounding a question asks
for and the chosen tolerance (:mod:`chukmath.verify.tolerance`). :mod:`chukmath.verify.answers` decides which
text is compared; this module only compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from chukmath.verify import canonical as cf
from chukmath.verify.extract import MAX_ITEMS
from chukmath.verify.grammar import Neg, Node, Num, ParseFailure, free_symbols, parse_expression
from chukmath.verify.numbers import Decimal, parse_decimal, parse_plain
from chukmath.verify.numeric import enclose, numerically_equal
from chukmath.verify.tolerance import DEFAULT_TOLERANCE, Rounding, Tolerance, close_enough

# Generated answers are far shorter; <verifier_answer> text compared as "expected" with <answer> is not.
MAX_EXPECTED_CHARS = 20_000
# Digits beyond the answer's own to which an irrational expected value is enclosed for the rounding rules.
_ENCLOSE_EXTRA_DIGITS = 30

_DICT_ENTRY = re.compile(r"^\s*([a-zA-Z]\w{0,8})\s*:\s*(.+)$", re.DOTALL)

@dataclass(frozen=True, slots=True)
class Value:
    """A parsed answer value with what the comparison needs precomputed."""

    node: Node
    form: cf.Poly | None
    decimal: Decimal | None
    variables: frozenset[str]

    @property
    def rational(self) -> Fraction | None:
        return None if self.form is None else cf.as_rational(self.form)


@dataclass(frozen=True, slots=True)
class Expected:
    """An expected answer: ``kind`` is scalar, set or mapping."""

    kind: str
    values: tuple[Value, ...]
    names: tuple[str, ...] = ()
    imaginary: bool = False


def _decimal_of(node: Node) -> Decimal | None:
    if isinstance(node, Num) and node.decimal is not None:
        return parse_decimal(node.decimal)
    if isinstance(node, Neg) and isinstance(node.arg, Num) and node.arg.decimal is not None:
        dec = parse_decimal(node.arg.decimal)
        return None if dec is None else Decimal(-dec.value, dec.quantum, dec.significant)
    return None


@lru_cache(maxsize=8192)
def to_value(text: str) -> Value | None:
    """Parse one expression into a Value, or None when it is not parseable within the caps.

    Cached: answer spellings repeat across samples; Values are never mutated (canonical ops build new forms).
    """
    plain = _plain_value(text)
    if plain is not None:
        return plain
    try:
        node = parse_expression(text)
    except ParseFailure:
        return None
    try:
        form: cf.Poly | None = cf.canonical(node)
    except cf.TooComplex:
        form = None
    return Value(node, form, _decimal_of(node), frozenset(free_symbols(node)))


@lru_cache(maxsize=8192)
def plain_expected(expected: str) -> Fraction | None:
    """The value of a plain-number expected answer (cached), or None."""
    return parse_plain(expected.strip())


@lru_cache(maxsize=8192)
def parse_expected(expected: str) -> Expected | None:
    """Parse a generator's exact answer (sympy ``str()``); cached because one answer is checked many times.

    None beyond MAX_EXPECTED_CHARS, or for a set of more than MAX_ITEMS values: no candidate (at most MAX_ITEMS
    items) could cover it, and comparing every pair would cost seconds when <verifier_answer> text stands here.
    """
    if len(expected) > MAX_EXPECTED_CHARS:
        return None
    text = expected.strip()
    imaginary = bool(re.search(r"\bI\b", text))
    if text == "EmptySet":
        return Expected("set", ())
    if text.startswith("{") and text.endswith("}"):
        inner = text[1:-1].strip()
        if not inner:
            return Expected("set", ())
        parts = _split_commas(inner)
        if len(parts) > MAX_ITEMS:
            return None
        entries = [_DICT_ENTRY.match(p) for p in parts]
        if all(entries):
            pairs = sorted((m.group(1), to_value(m.group(2))) for m in entries if m)
            if any(v is None for _, v in pairs):
                return None
            return Expected("mapping", tuple(v for _, v in pairs if v), tuple(n for n, _ in pairs), imaginary)
        values = [to_value(p) for p in parts]
        if any(v is None for v in values):
            return None
        return Expected("set", tuple(v for v in values if v), (), imaginary)
    value = to_value(text)
    return None if value is None else Expected("scalar", (value,), (), imaginary)


def _split_commas(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += 1 if ch in "([{" else -1 if ch in ")]}" else 0
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def values_equal(
    cand: Value, exp: Value, rounding: Rounding | None = None, tolerance: Tolerance = DEFAULT_TOLERANCE
) -> bool:
    """Exact equality of two values; for a number, also the rounding asked for and the tolerance (module tolerance).

    A decimal is judged by those rules alone: a CAS-free numeric test would accept any decimal close enough.
    """
    if cand.form is not None and exp.form is not None:
        if cand.form == exp.form:
            return True
        decided = cf.is_decisive(cand.form) and cf.is_decisive(exp.form)
    else:
        decided = False
    if not exp.variables:
        number = cand.rational
        if number is not None and close_to(number, cand.decimal, exp, rounding, tolerance):
            return True
        if cand.decimal is not None:
            return False
    if decided:
        return False
    return numerically_equal(cand.node, exp.node, sorted(cand.variables | exp.variables))


def close_to(
    number: Fraction, dec: Decimal | None, exp: Value, rounding: Rounding | None, tolerance: Tolerance
) -> bool:
    """``number`` is not the expected value but counts by the rounding asked for or the chosen tolerance."""
    if rounding is None and tolerance.kind == "asked":
        return False  # the default, and the usual case: only exact values count
    exact = exp.rational
    if exact is not None:
        return close_enough(number, dec, exact, exact, rounding, tolerance)
    digits = (dec.significant if dec is not None else len(str(abs(number)))) + _ENCLOSE_EXTRA_DIGITS
    bounds = enclose(exp.node, digits)
    return bounds is not None and close_enough(number, dec, *bounds, rounding, tolerance)


def _plain_value(text: str) -> Value | None:
    """A plain number (``-6``, ``3/4``, ``1.5e3``) as a Value without the grammar; None for anything else.

    parse_plain reads exactly the values the grammar and canonical form give these literals (signs, ``p/-q``,
    scientific notation; both cap digits and exponents below the coefficient cap), and a number's node is only
    ever evaluated, so ``Num(value)`` stands for the grammar's tree. Commas are left to the grammar.
    """
    if "," in text:
        return None
    value = parse_plain(text)
    if value is None:
        return None
    return Value(Num(value), cf.const(value), parse_decimal(text), frozenset())


def fast_equal(form: cf.Poly, exp: Value, rounding: Rounding | None, tolerance: Tolerance) -> bool:
    """:func:`values_equal` for a decisive candidate form (no decimal) and a decisive expected form."""
    if form == exp.form:
        return True
    if exp.variables:
        return False
    number = cf.as_rational(form)
    return number is not None and close_to(number, None, exp, rounding, tolerance)


def fast_list(
    listed: list[tuple[str | None, cf.Poly]], exp: Expected, rounding: Rounding | None, tolerance: Tolerance
) -> bool:
    """:func:`same_set` / :func:`same_mapping` over the fast reader's forms."""
    if exp.kind == "set":
        covered = [False] * len(exp.values)
        for _, form in listed:
            hits = [i for i, e in enumerate(exp.values) if fast_equal(form, e, rounding, tolerance)]
            if not hits:
                return False
            for i in hits:
                covered[i] = True
        return all(covered)
    if len(listed) != len(exp.names):
        return False
    if all(name is not None for name, _ in listed):
        given = {name: form for name, form in listed}
        if set(given) != set(exp.names):
            return False
        pairs = [(given[n], e) for n, e in zip(exp.names, exp.values, strict=True)]
    else:
        pairs = [(form, e) for (_, form), e in zip(listed, exp.values, strict=True)]
    return all(fast_equal(form, e, rounding, tolerance) for form, e in pairs)


def same_set(cands: list[Value], exps: list[Value], rounding: Rounding | None, tolerance: Tolerance) -> bool:
    """Every candidate equals some expected element and every expected element is given (duplicates collapse)."""
    covered = [False] * len(exps)
    for cand in cands:
        hits = [i for i, e in enumerate(exps) if values_equal(cand, e, rounding, tolerance)]
        if not hits:
            return False
        for i in hits:
            covered[i] = True
    return all(covered)


def same_mapping(
    values: list[tuple[str | None, Value]], exp: Expected, rounding: Rounding | None, tolerance: Tolerance
) -> bool:
    if len(values) != len(exp.names):
        return False
    if all(name is not None for name, _ in values):
        given = {name: v for name, v in values}
        if set(given) != set(exp.names):
            return False
        return all(values_equal(given[n], e, rounding, tolerance) for n, e in zip(exp.names, exp.values, strict=True))
    # bare values "(3, 2)" are read in the order of the variable names
    return all(values_equal(v, e, rounding, tolerance) for (_, v), e in zip(values, exp.values, strict=True))
