"""Solution sets made of intervals: unions such as ``(-oo, 2) ∪ (3, oo)`` and ``x < 2 or x > 3``.

An expected answer ``Union(Interval.open(-oo, 2), Interval.open(3, oo))`` or a single ``Interval…`` (sympy's
``str()``) matches a candidate whose last run of intervals and inequalities (read by
:func:`chukmath.verify.forms.interval_matches`) joined by a union word — ``∪``, ``\\cup``, ``U``, ``or``,
``\\text{or}``, ``\\lor``, ``∨`` — or an intersection word — ``and``, ``\\text{and}``, ``\\land``, ``∧`` — is the
same set of reals: ``x > -2 and x < 5`` is ``(-2, 5)``. Both sides are brought to sorted, merged intervals before
they are compared, so ``(-oo, 2) ∪ [2, 5]`` is ``(-oo, 5]``. Linear in the text; nothing is evaluated as code.
"""

from __future__ import annotations

import re
from fractions import Fraction

from chukmath.verify.forms import Span, interval_matches, parse_expected_interval

_PAD = r"(?:\s|\$|\\[,;:! ]|\\quad|\\qquad)*"
_UNION = re.compile(rf"{_PAD}(?:∪|\\cup|U|or|\\(?:text|textrm|mathrm)\{{\s*or\s*\}}|\\lor|\\vee|∨){_PAD}")
_INTERSECTION = re.compile(rf"{_PAD}(?:and|\\(?:text|textrm|mathrm)\{{\s*and\s*\}}|\\land|\\wedge|∧|&&){_PAD}")
_PIECE = r"Interval(?:\.\w+)?\([^()]*\)"
_SYMPY_UNION = re.compile(rf"Union\(\s*{_PIECE}(?:\s*,\s*{_PIECE})*\s*\)")  # commas required: no ambiguous spaces
_MAX_GAP = 40  # characters between two joined pieces; a longer gap is prose, and the chain ends there

SpanSet = tuple[Span, ...]


def _low_key(s: Span) -> tuple[Fraction | float, int]:
    return (float("-inf") if s.low is None else s.low, 0 if s.low_closed else 1)


def _empty(s: Span) -> bool:
    if s.low is None or s.high is None:
        return False
    return s.low > s.high or (s.low == s.high and not (s.low_closed and s.high_closed))


def _touches(a: Span, b: Span) -> bool:
    """``b`` (starting at or after ``a``) overlaps ``a`` or meets it at a point one of them holds."""
    if a.high is None or b.low is None:
        return True
    return b.low < a.high or (b.low == a.high and (a.high_closed or b.low_closed))


def _higher(a: Span, b: Span) -> tuple[Fraction | None, bool]:
    """The upper end of ``a ∪ b`` (they touch)."""
    if a.high is None or b.high is None:
        return None, False
    if a.high != b.high:
        return (a.high, a.high_closed) if a.high > b.high else (b.high, b.high_closed)
    return a.high, a.high_closed or b.high_closed


def normalize(spans: list[Span]) -> SpanSet:
    """The same set of reals as sorted, disjoint, non-touching intervals."""
    out: list[Span] = []
    for s in sorted((s for s in spans if not _empty(s)), key=_low_key):
        if out and _touches(out[-1], s):
            high, closed = _higher(out[-1], s)
            out[-1] = Span(out[-1].low, out[-1].low_closed, high, closed)
        else:
            out.append(s)
    return tuple(out)


def _meet(a: Span, b: Span) -> Span:
    """``a ∩ b`` (possibly empty)."""
    if a.low is None or (b.low is not None and (b.low, not b.low_closed) > (a.low, not a.low_closed)):
        low, low_closed = b.low, b.low_closed
    else:
        low, low_closed = a.low, a.low_closed
    if a.high is None or (b.high is not None and (b.high, b.high_closed) < (a.high, a.high_closed)):
        high, high_closed = b.high, b.high_closed
    else:
        high, high_closed = a.high, a.high_closed
    return Span(low, low_closed, high, high_closed)


def intersect(left: SpanSet, span: Span) -> SpanSet:
    """``left ∩ span``."""
    return normalize([_meet(s, span) for s in left])


def parse_expected_set(expected: str) -> SpanSet | None:
    """sympy's ``Union(Interval…, Interval…)`` or ``Interval…`` text as merged spans; None for anything else."""
    text = expected.strip()
    if text.startswith("Interval"):
        span = parse_expected_interval(text)
        return None if span is None else normalize([span])
    if not (text.startswith("Union(") and text.endswith(")")):
        return None
    pieces = re.split(r"\)\s*,\s*(?=Interval)", text[len("Union(") : -1])
    spans = [parse_expected_interval(p if p.endswith(")") else p + ")") for p in pieces]
    if len(spans) < 2 or any(s is None for s in spans):
        return None
    return normalize([s for s in spans if s is not None])


def find_set(text: str) -> SpanSet | None:
    """The set the last chain of intervals and inequalities in ``text`` describes; None when there is none, or when
    a piece of it cannot be read."""
    written = list(_SYMPY_UNION.finditer(text))
    if written and not text[written[-1].end() :].strip(" .$"):
        return parse_expected_set(written[-1].group(0))  # sympy's own Union(...) text, last in the answer
    found = interval_matches(text)
    if not found:
        return None
    chain = [found[-1]]  # built from the last piece backwards
    joins: list[str] = []
    for item in reversed(found[:-1]):
        start = chain[-1][0]
        if item[1] > start:
            continue  # inside the piece already taken (an inequality within a longer match)
        gap = text[item[1] : start]
        if len(gap) > _MAX_GAP:
            break
        if _UNION.fullmatch(gap):
            joins.append("or")
        elif _INTERSECTION.fullmatch(gap):
            joins.append("and")
        else:
            break
        chain.append(item)
    chain.reverse()
    joins.reverse()
    if any(span is None for _, _, span in chain):
        return None
    spans = [span for _, _, span in chain if span is not None]
    # "and" binds tighter than "or": x < -1 or x > 0 and x < 3 is (-oo, -1) ∪ (0, 3)
    groups: list[SpanSet] = [normalize([spans[0]])]
    for join, span in zip(joins, spans[1:], strict=True):
        if join == "and":
            groups[-1] = intersect(groups[-1], span)
        else:
            groups.append(normalize([span]))
    return normalize([s for group in groups for s in group])


def set_verdict(candidate: str, expected: str) -> str | None:
    """``"correct"``, ``"wrong"`` or ``"unparseable"`` (no interval or inequality in the text) when ``expected`` is an
    interval or a union of intervals; None when it is not (the caller goes on as before)."""
    want = parse_expected_set(expected)
    if want is None:
        return None
    if not interval_matches(candidate):
        return "unparseable"
    got = find_set(candidate)
    return "correct" if got is not None and got == want else "wrong"
