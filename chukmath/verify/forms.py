"""Answer forms beyond numbers, sets and mappings: real intervals.

An expected answer ``Interval(-oo, 3)``, ``Interval.open(2, oo)``, ``Interval.Ropen(a, b)`` or ``Interval.Lopen(a, b)``
(sympy's ``str()``) matches a candidate written in interval notation (``(-oo, 3]``, ``(-\\infty, 3]``, ``[2, ∞)``)
or as an inequality in x (``x <= 3``, ``x ≤ 3``, ``3 >= x``, ``-2 < x \\le 5``), or as sympy's own text. Endpoints
are rational numbers (read exactly); ``oo``, ``∞`` and ``\\infty`` are infinite and always open. The last interval or
inequality in the text is the answer. No CAS is called; everything is bounded regexes and :func:`parse_plain`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from chukmath.verify.numbers import parse_plain


class Span(NamedTuple):
    """A real interval; ``None`` bounds are infinite."""

    low: Fraction | None
    low_closed: bool
    high: Fraction | None
    high_closed: bool


_INF = r"(?:\+?oo|\+?∞|\+?\\infty|\+?inf(?:inity)?)"
# Every endpoint starts with its first non-space character ("(?:-\s*)?", never "-?\s*"): a pattern that could begin
# with spaces would be tried from every space of a long run and read the rest of the run each time (quadratic).
_NUM = r"(?:-\s*)?\d+(?:\.\d+)?(?:\s*/\s*\d+)?"
_FRAC = r"(?:-\s*)?\\[dt]?frac(?:\{\d+\}\{\d+\}|\d\d)"  # \frac{1}{2} or \frac12
_END = rf"(?:-\s*{_INF}|{_INF}|{_FRAC}|{_NUM})"
_SYMPY = re.compile(rf"Interval(?:\.(open|Lopen|Ropen))?\(\s*({_END})\s*,\s*({_END})\s*\)")
_NOTATION = re.compile(rf"(\(|\[|\\left\(|\\left\[)\s*({_END})\s*,\s*({_END})\s*(\)|\]|\\right\)|\\right\])")
_LE = r"(?:<=|≤|\\le(?:q)?(?![a-z])|=<)"
_LT = r"(?:<(?!=)|\\lt(?![a-z]))"
_GE = r"(?:>=|≥|\\ge(?:q)?(?![a-z])|=>)"
_GT = r"(?:>(?!=)|\\gt(?![a-z]))"
_OP = rf"({_LE}|{_LT}|{_GE}|{_GT})"
_DOUBLE = re.compile(rf"({_END})\s*{_OP}\s*x\s*{_OP}\s*({_END})")
_RIGHT = re.compile(rf"(?<![\w\\])x\s*{_OP}\s*({_END})")
_LEFT = re.compile(rf"({_END})\s*{_OP}\s*x(?!\w)")


def is_interval(expected: str) -> bool:
    """Whether a generator's answer is a sympy interval."""
    return expected.lstrip().startswith("Interval")


_SPACES = re.compile(r"\s+")
_INF_FULL = re.compile(rf"-?{_INF}")
_FRAC_FULL = re.compile(r"(-?)\\[dt]?frac(?:\{(\d+)\}\{(\d+)\}|(\d)(\d))")
_LE_FULL, _LT_FULL, _GE_FULL = re.compile(_LE), re.compile(_LT), re.compile(_GE)


@lru_cache(maxsize=1024)
def _end(text: str) -> Fraction | bool | None:
    """An endpoint: a Fraction, None for an infinity, False when unreadable (cached: a text repeats its endpoints)."""
    t = _SPACES.sub("", text)
    if _INF_FULL.fullmatch(t):
        return None
    m = _FRAC_FULL.fullmatch(t)
    if m:
        num, den = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
        return Fraction(int(num), int(den)) * (-1 if m.group(1) else 1) if int(den) else False
    value = parse_plain(t)
    return False if value is None else value


def _sign(text: str) -> int:
    t = _SPACES.sub("", text)
    return -1 if t.startswith("-") else 1


@lru_cache(maxsize=64)
def _kind(op: str) -> tuple[str, bool]:
    """``('<', closed)`` or ``('>', closed)``."""
    if _LE_FULL.fullmatch(op) or _LT_FULL.fullmatch(op):
        return "<", bool(_LE_FULL.fullmatch(op))
    return ">", bool(_GE_FULL.fullmatch(op))


def _span(low: Fraction | bool | None, lc: bool, high: Fraction | bool | None, hc: bool,
          low_text: str = "", high_text: str = "") -> Span | None:  # fmt: skip
    if low is False or high is False:
        return None
    if low is None and _sign(low_text or "-") > 0:
        return None  # (+oo, ...) is no interval
    if high is None and high_text and _sign(high_text) < 0:
        return None
    return Span(low, lc and low is not None, high, hc and high is not None)  # type: ignore[arg-type]


def parse_expected_interval(expected: str) -> Span | None:
    """sympy's ``Interval...(a, b)`` text as a Span."""
    m = _SYMPY.fullmatch(expected.strip())
    if not m:
        return None
    kind, a, b = m.groups()
    lc = kind not in ("open", "Lopen")
    hc = kind not in ("open", "Ropen")
    return _span(_end(a), lc, _end(b), hc, a, b)


def interval_matches(text: str) -> list[tuple[int, int, Span | None]]:
    """Every interval or inequality in ``text`` as ``(start, end, span)``, by end (span None: unreadable)."""
    found: list[tuple[int, int, Span | None]] = []
    for m in _SYMPY.finditer(text):
        found.append((m.start(), m.end(), parse_expected_interval(m.group(0))))
    for m in _NOTATION.finditer(text):
        left, a, b, right = m.groups()
        found.append((m.start(), m.end(), _span(_end(a), "[" in left, _end(b), "]" in right, a, b)))
    for m in _DOUBLE.finditer(text):
        a, op1, op2, b = m.groups()
        k1, c1 = _kind(op1)
        k2, c2 = _kind(op2)
        if k1 != k2:
            found.append((m.start(), m.end(), None))
        elif k1 == "<":
            found.append((m.start(), m.end(), _span(_end(a), c1, _end(b), c2, a, b)))
        else:
            found.append((m.start(), m.end(), _span(_end(b), c2, _end(a), c1, b, a)))
    # where the double inequalities are (finditer's matches do not overlap, so starts and ends are both sorted):
    # a one-sided one inside them is looked up by bisection, not against each of them (quadratic in long text)
    taken = [(m.start(), m.end()) for m in _DOUBLE.finditer(text)]
    starts = [s for s, _ in taken]
    for pattern, x_left in ((_RIGHT, True), (_LEFT, False)):
        for m in pattern.finditer(text):
            k = bisect_right(starts, m.start()) - 1
            if k >= 0 and m.start() < taken[k][1]:
                continue
            op, value = (m.group(1), m.group(2)) if x_left else (m.group(2), m.group(1))
            kind, closed = _kind(op)
            below = (kind == "<") == x_left  # x < v, or v > x
            bound = _end(value)
            span = _span(None, False, bound, closed, "-oo", value) if below else _span(bound, closed, None, False,
                                                                                       value, "oo")  # fmt: skip
            found.append((m.start(), m.end(), span))
    return sorted(found, key=lambda item: (item[1], -item[0]))  # at one end, the longest match last


def find_interval(text: str) -> Span | None:
    """The last interval or inequality in ``text`` (a teacher's answer), or None."""
    found = interval_matches(text)
    return found[-1][2] if found else None


def intervals_match(candidate: str, expected: str) -> bool | None:
    """True or False when ``expected`` is an interval; None when it is not (the caller goes on as before)."""
    want = parse_expected_interval(expected)
    if want is None:
        return None
    got = find_interval(candidate)
    return got is not None and got == want


def interval_verdict(candidate: str, expected: str) -> str | None:
    """``"correct"``, ``"wrong"`` or ``"unparseable"`` (no interval or inequality in the text) when ``expected`` is
    an interval; None when it is not."""
    want = parse_expected_interval(expected)
    if want is None:
        return None
    got = find_interval(candidate)
    if got is None:
        return "unparseable"
    return "correct" if got == want else "wrong"
