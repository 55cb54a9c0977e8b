"""``answers_match(candidate, expected)``: is the teacher's final answer the problem's exact answer?

Order of work, cheapest first:

1. Fast path — both sides are plain numbers (integer, decimal, scientific, ``p/q``): compare ``Fraction``s.
   No sympy, no parser; tens of thousands of checks per second.
2. The final answer of a whole solution is found (:mod:`chukmath.verify.solution`), a percent or a choice letter
   read as such (:mod:`chukmath.verify.percent`, :mod:`chukmath.verify.choice`), and extraction
   (:mod:`chukmath.verify.extract`) turns the answer into items; the expected answer (a sympy ``str()``: scalar,
   ``{a, b}`` set or ``{x: 3, y: 2}`` mapping) is parsed once and cached (:mod:`chukmath.verify.values`, which
   also holds the comparison rules).
3. Each item is parsed by the bounded grammar and reduced to an exact canonical form
   (:mod:`chukmath.verify.canonical`); equal forms match, and for algebraic values unequal forms do not.
4. Only when a transcendental atom leaves the form undecided, a 40-digit numeric identity test at generic points
   (:mod:`chukmath.verify.numeric`) decides.

sympy is never called on teacher text: the grammar, caps and our own canonical form make every step bounded
by construction, so no thread or process timeout is needed (a hung CAS call cannot be interrupted from Python
without a process, which would cost more than the whole check). Any parse failure or cap hit means "no match".
"""

from __future__ import annotations

import re
from functools import lru_cache

from chukmath.verify import canonical as cf
from chukmath.verify import latex_fast
from chukmath.verify.choice import choice_letter, picked_letter
from chukmath.verify.extract import MAX_CANDIDATE, Item, extract_items, simple_item
from chukmath.verify.grammar import Num
from chukmath.verify.matrices import matrix_verdict
from chukmath.verify.mixed import rewrite_mixed
from chukmath.verify.numbers import parse_decimal, parse_plain
from chukmath.verify.percent import asks_percent, has_percent, strip_percent
from chukmath.verify.solution import Extracted, final_answer, is_prose, last_number
from chukmath.verify.tolerance import DEFAULT_TOLERANCE, Rounding, Tolerance, requested_rounding
from chukmath.verify.unions import set_verdict
from chukmath.verify.values import (
    Value,
    close_to,
    fast_equal,
    fast_list,
    parse_expected,
    plain_expected,
    same_mapping,
    same_set,
    to_value,
    values_equal,
)

# A picked choice is short ("\\boxed{\\textbf{(C) } 12}"); longer text is not read for a letter.
MAX_CHOICE_CHARS = 200
# What a candidate answer is, judged against the expected one.
CORRECT, WRONG, UNPARSEABLE = "correct", "wrong", "unparseable"
# An answer with one of these is an inequality, not a value.
_INEQUALITY = re.compile(r"[<>≤≥≠]|\\(?:le|ge|leq|geq|lt|gt|ne|neq|leqslant|geqslant)(?![a-zA-Z])")
# Expected answers with a reader of their own (intervals and their unions, matrices), not parse_expected.
_OWN_READERS = ("Interval", "Union(", "Matrix(")
_IMAGINARY_I = re.compile(r"(?<![a-zA-Z\\])i(?![a-zA-Z])")


# A candidate is read once however many expected answers it is compared with (the answer tags, the agreement
# check, a majority vote, a property test); only texts up to MAX_CANDIDATE are kept, so at most ~35 MB.
@lru_cache(maxsize=4096)
def _cached_span(candidate: str, scalar: bool) -> Extracted | None:
    return final_answer(candidate, scalar=scalar)


def answer_span(candidate: str, scalar: bool) -> Extracted | None:
    """:func:`chukmath.verify.solution.final_answer` of a candidate (cached for candidates up to MAX_CANDIDATE)."""
    if len(candidate) > MAX_CANDIDATE:
        return final_answer(candidate, scalar=scalar)
    return _cached_span(candidate, scalar)


@lru_cache(maxsize=4096)
def answer_items(text: str, scalar: bool, numeric: bool) -> tuple[Item, ...] | None:
    """:func:`chukmath.verify.extract.extract_items` as a tuple, cached (an answer span is at most MAX_CANDIDATE)."""
    items = extract_items(text, scalar=scalar, numeric=numeric)
    return None if items is None else tuple(items)


@lru_cache(maxsize=4096)
def expected_as_written(expected: str) -> str | None:
    """An expected answer in LaTeX or with wrappers, read like a candidate into the generators' form, or None.

    ``$\\frac{1}{2}$`` -> ``\\frac{1}{2}``, ``\\boxed{x = 3}`` -> ``3``, ``(1, 2)`` / ``\\{1, 2\\}`` -> ``{1, 2}``,
    ``x = 3, y = 2`` -> ``{x: 3, y: 2}``; None when that is not readable either (the expected answer stays WRONG
    for every candidate). Only for text :func:`parse_expected` refuses, so generator answers are never touched.
    """
    found = final_answer(expected, scalar=False) if len(expected) <= MAX_CANDIDATE else None
    items = None if found is None else answer_items(found.text, False, False)
    if not items:
        return None
    names = [item.name for item in items]
    if len(items) == 1:
        written = items[0].text
    elif all(names) and len(set(names)) == len(names):
        written = "{" + ", ".join(f"{item.name}: {item.text}" for item in items) + "}"
    else:
        written = "{" + ", ".join(item.text for item in items) + "}"
    if written == expected or (parse_plain(written) is None and parse_expected(written) is None):
        return None
    return written


def _item_values(items: tuple[Item, ...], imaginary: bool) -> list[tuple[str | None, Value]] | None:
    out = []
    for item in items:
        text = _IMAGINARY_I.sub("I", item.text) if imaginary else item.text
        value = to_value(text)
        if value is None:
            return None
        out.append((item.name, value))
    return out


def answers_match(
    candidate: str, expected: str, *, question: str = "", tolerance: Tolerance = DEFAULT_TOLERANCE
) -> bool:
    """True when ``candidate`` (teacher text) has exactly the value of ``expected`` (a generator's answer).

    ``question`` is the problem's text: a rounded number counts only when it asks for that rounding, or as
    ``tolerance`` allows (:mod:`chukmath.verify.tolerance`). Never raises on any input and never evaluates the
    text as code; hedges, missing or extra roots and unparseable text are False.
    """
    return judge_answer(candidate, expected, question=question, tolerance=tolerance) == CORRECT


def judge_answer(
    candidate: str, expected: str, *, question: str = "", tolerance: Tolerance = DEFAULT_TOLERANCE
) -> str:
    """``CORRECT``, ``WRONG``, or ``UNPARSEABLE`` when no answer value can be read from ``candidate`` at all.

    ``candidate`` may be a whole solution: its final answer is found first (:mod:`chukmath.verify.solution`).
    A percent (``28%``) is its number over 100, and the number itself where ``question`` asks for a percent
    (:mod:`chukmath.verify.percent`). An expected answer that cannot be parsed makes every candidate WRONG (a
    generator bug, reported as such).
    """
    if not isinstance(candidate, str) or not isinstance(expected, str):
        return UNPARSEABLE
    rounding = requested_rounding(question) if question else None
    plain_gold = plain_expected(expected)
    if plain_gold is not None:
        stripped = candidate.strip()
        if stripped == expected.strip():
            return CORRECT  # the same text is the same plain number (the usual <verifier_answer>)
        simple = simple_item(candidate)
        if simple is not None and simple.text == expected.strip():
            # "The answer is 22." / "x = 22" for 22 (the usual <answer>): the path below would extract exactly
            # this one item, read it as the expected text's own (cached) value and compare that with itself.
            return CORRECT
        plain = parse_plain(stripped)
        if plain is not None:
            if plain == plain_gold:
                return CORRECT
            exact = Value(Num(plain_gold), cf.const(plain_gold), None, frozenset())
            close = close_to(plain, parse_decimal(stripped), exact, rounding, tolerance)
            return CORRECT if close else WRONG
    if plain_gold is None and ("%" in expected or "percent" in expected.lower()):
        expected_base = strip_percent(expected)
        if expected_base is not None:
            return _judge_percent_expected(candidate, expected_base, rounding, tolerance)
    exp = None if expected.startswith(_OWN_READERS) else parse_expected(expected)
    if exp is None and not expected.startswith(_OWN_READERS):
        written = expected_as_written(expected)  # "$\\frac{1}{2}$", "\\boxed{2}", "x = 3", "(1, 2)"
        if written is not None:
            return judge_answer(candidate, written, question=question, tolerance=tolerance)
    scalar = exp is None or exp.kind == "scalar"
    found = answer_span(candidate, scalar)
    if found is None:
        return UNPARSEABLE
    span = found.text
    if len(span) > MAX_CANDIDATE:
        return UNPARSEABLE  # no answer is that long: a sentence that never ends, or a box around an essay
    # "2 1/2", "2\\frac{1}{2}": 5/2, not a product (chukmath.verify.mixed); on the answer, not the whole solution
    span = rewrite_mixed(span)
    if exp is not None and exp.kind == "scalar" and has_percent(span):
        return _judge_percent(span, expected, asks_percent(question), rounding, tolerance)
    verdict = _judge_text(span, expected, rounding, tolerance)
    if verdict == UNPARSEABLE and plain_gold is not None and found.rule != "boxed" and is_prose(span):
        number = last_number(span)  # "She has 18 apples left."
        if number is not None and _judge_text(number, expected, rounding, tolerance) == CORRECT:
            return CORRECT
    return verdict


def _judge_percent(span: str, expected: str, asked: bool, rounding: Rounding | None, tolerance: Tolerance) -> str:
    """A percent answer: its number over 100 is the value; where a percent is ``asked`` for, the number is too."""
    base = strip_percent(span) or ""
    items = answer_items(base, True, True)
    if items is None or len(items) != 1:
        return UNPARSEABLE if items is None else WRONG
    number = items[0].text
    if _judge_text(f"({number})/100", expected, None, tolerance) == CORRECT:
        return CORRECT
    if asked:
        verdict = _judge_text(number, expected, rounding, tolerance)
        return CORRECT if verdict == CORRECT else WRONG
    return WRONG


def _judge_percent_expected(candidate: str, base: str, rounding: Rounding | None, tolerance: Tolerance) -> str:
    """An expected answer written as a percent (``28\\%``): it asks for a percent, so ``28%``, ``28`` and ``0.28``."""
    found = answer_span(candidate, True)
    if found is None or len(found.text) > MAX_CANDIDATE:
        return UNPARSEABLE
    span = rewrite_mixed(found.text)
    cand_base = strip_percent(span)
    if cand_base is not None:
        return _judge_text(cand_base, base, rounding, tolerance)
    verdict = _judge_text(span, base, rounding, tolerance)
    if verdict != WRONG:
        return verdict  # right as the number of percent, or no value to read at all
    as_fraction = _judge_text(span, f"({base})/100", None, tolerance)
    return CORRECT if as_fraction == CORRECT else verdict


def _judge_text(candidate: str, expected: str, rounding: Rounding | None, tolerance: Tolerance) -> str:
    """:func:`judge_answer` for one answer span (already cut out of a solution)."""
    if expected.startswith(("Interval", "Union(")):  # intervals and their unions: chukmath.verify.unions
        verdict = set_verdict(candidate, expected)
        if verdict is not None:
            return verdict
    letter = choice_letter(expected) if len(expected) <= 5 else None
    if letter is not None and len(candidate) <= MAX_CHOICE_CHARS:  # the letter picked decides (chukmath.verify.choice)
        picked = picked_letter(candidate)
        if picked is not None:
            return CORRECT if picked == letter else WRONG
    if expected.startswith("Matrix("):  # a matrix or vector: chukmath.verify.matrices reads LaTeX and bracket lists
        verdict = matrix_verdict(candidate, expected)
        if verdict is not None:
            return verdict
    exp = parse_expected(expected)
    if exp is None:
        return WRONG
    if _INEQUALITY.search(candidate):
        return WRONG  # "x <= 3" is not the value 3 (an interval was expected above)
    if candidate.strip() == expected.strip() and all(v.form is not None for v in exp.values):
        return CORRECT  # the expected answer verbatim (the usual <verifier_answer>): its values equal themselves
    numeric = plain_expected(expected) is not None  # a number expected: "5 m" is 5 metres, not 5 times m
    if exp.kind == "scalar":
        fast = latex_fast.scalar_form(candidate, letters=not numeric, imaginary=exp.imaginary)
        if fast is not None:
            decided = _fast_scalar(fast, exp.values[0], rounding, tolerance)
            if decided is not None:
                return decided
    elif all(v.form is not None and cf.is_decisive(v.form) for v in exp.values):
        listed = latex_fast.list_forms(candidate, imaginary=exp.imaginary)
        if listed is not None:
            return CORRECT if fast_list(listed, exp, rounding, tolerance) else WRONG
    items = answer_items(candidate, exp.kind == "scalar", numeric)
    if items is None:
        return UNPARSEABLE
    values = _item_values(items, exp.imaginary)
    if values is None:
        return UNPARSEABLE
    if exp.kind == "scalar":
        same = bool(values) and all(values_equal(v, exp.values[0], rounding, tolerance) for _, v in values)
    elif exp.kind == "set":
        same = same_set([v for _, v in values], list(exp.values), rounding, tolerance)
    else:
        same = same_mapping(values, exp, rounding, tolerance)
    return CORRECT if same else WRONG


def _fast_scalar(form: cf.Poly, exp: Value, rounding: Rounding | None, tolerance: Tolerance) -> str | None:
    """:func:`values_equal` for a decisive candidate form (no decimal), or None where it would need more."""
    if exp.form is None or not cf.is_decisive(exp.form):
        return None  # the numeric identity test needs the candidate's tree
    return CORRECT if fast_equal(form, exp, rounding, tolerance) else WRONG
