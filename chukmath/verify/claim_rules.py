"""The general claim rules: a (normalized) line as tokens, its runs of arithmetic, and each ``=`` link judged.

This is the reference reading of a line; the fast shapes in :mod:`chukmath.verify.steps` must agree with it.
A link is a *claim* when both sides are values and one of them computes something (an operator, ``mod``, a root);
it is *skipped* when it looks like a claim (both sides stand as sides: a number or closing bracket before the
``=``, a number, bracket or operator after it, one side computing) but cannot be evaluated: a side that does not
parse or hits a cap (``9^9^9^9``), a division by zero, ``mod`` right of the first ``=``, an irrational root next
to a decimal (``√2 = 1.414``, an approximation), or a right side in a notation the grammar does not read (``75%``,
``9!``, ``150°``, ``0.333...``). Skipped links are counted, never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from chukmath.verify import canonical as cf
from chukmath.verify.grammar import ParseFailure, parse_expression
from chukmath.verify.numbers import parse_plain

_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<cmp><=|>=|!=|=>|:=|=<|≤|≥|≠|≈|≡|\\approx|\\equiv|\\neq|\\le|\\ge)"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"|(?P<word>[A-Za-z]+)"
    r"|(?P<eq>==?)"
    r"|(?P<op>\*\*|[-+*/^])"
    r"|(?P<lp>[(\[{])|(?P<rp>[)\]}])"
    r"|(?P<root>√)"
    r"|(?P<other>.)"
)
# Words that bind to the number next to them, so the number is not a whole side of the claim.
_BEFORE_WORDS = frozenset(
    "of times by per than half twice double triple thrice plus minus over from into divided multiplied "
    "squared cubed root sqrt power".split()
)
_AFTER_WORDS = frozenset(
    "times of squared cubed percent thousand thousands million millions billion hundred hundreds dozen plus minus "
    "divided over mod modulo factorial th st nd rd".split()
)
_TOUCH_DROP_AFTER = frozenset("!^_'%°…")
_TOUCH_DROP_BEFORE = frozenset("._'!|^&#@\\")


class _Tok(NamedTuple):
    # a NamedTuple, not a frozen dataclass: tokens are made by the hundred per line and this is 4x cheaper
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Claim:
    """One checked equality: its text and whether it holds."""

    text: str
    holds: bool


def _tokens(line: str) -> list[_Tok]:
    out = [_Tok(m.lastgroup or "other", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(line)]
    if "x" not in line and "X" not in line:
        return out
    # "44 x 3": a lone x between numbers is multiplication
    sig = [t for t in out if t.kind != "ws"]
    for i, t in enumerate(sig):
        if t.kind == "word" and t.text in ("x", "X") and 0 < i < len(sig) - 1:
            if sig[i - 1].kind in ("num", "rp") and sig[i + 1].kind in ("num", "lp"):
                out[out.index(t)] = _Tok("op", "*", t.start, t.end)
    return out


_RUN_KINDS = frozenset({"ws", "num", "op", "lp", "rp", "eq", "root"})


def _runs(tokens: list[_Tok]) -> list[tuple[int, int]]:
    """Index ranges [i, j) of maximal arithmetic runs that contain an '='."""
    runs, i, n = [], 0, len(tokens)
    while i < n:
        if tokens[i].kind in _RUN_KINDS and tokens[i].kind != "ws":
            j = i
            while j < n and tokens[j].kind in _RUN_KINDS:
                j += 1
            while j > i and tokens[j - 1].kind == "ws":
                j -= 1
            if any(t.kind == "eq" for t in tokens[i:j]):
                runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _neighbor(tokens: list[_Tok], idx: int, step: int) -> tuple[_Tok | None, bool]:
    """The nearest non-space token from ``idx`` in direction ``step`` and whether it touches (no space)."""
    touching = True
    while 0 <= idx < len(tokens):
        if tokens[idx].kind == "ws":
            touching = False
        else:
            return tokens[idx], touching
        idx += step
    return None, False


def _drop_first(tokens: list[_Tok], i: int, first: list[_Tok]) -> bool:
    prev, touching = _neighbor(tokens, i - 1, -1)
    if not first:
        return True
    head = first[0]
    if head.kind == "op" and head.text != "-":
        return True
    if prev is None:
        return False
    if prev.kind == "word" and (touching or prev.text.lower() in _BEFORE_WORDS or head.text == "-"):
        return True
    return touching and prev.kind == "other" and prev.text in _TOUCH_DROP_BEFORE


def _drop_last(tokens: list[_Tok], j: int, last: list[_Tok], line: str) -> bool:
    nxt, touching = _neighbor(tokens, j, 1)
    if not last or last[-1].kind == "op":
        return True
    if nxt is None:
        return False
    if nxt.kind == "word" and (touching or nxt.text.lower() in _AFTER_WORDS):
        return True
    return touching and _notation_after(nxt, line)


def _notation_after(nxt: _Tok | None, line: str) -> bool:
    """``nxt`` (touching the side before it) is a notation the grammar does not read: ``75%``, ``5!``, ``150°``,
    ``0.333...``. The side is not read; when it completes a claim-like link, the link counts as skipped."""
    if nxt is None or nxt.kind != "other":
        return False
    return nxt.text in _TOUCH_DROP_AFTER or (nxt.text == "." and line[nxt.start : nxt.start + 2] == "..")


def _value(part: list[_Tok], allow_mod: bool) -> Fraction | cf.Poly | None:
    """The exact value of a side: a rational, or for a side with a root and no decimal point (``4√2``) its
    canonical algebraic form when that is decisive (equal forms iff equal values); None when not a value."""
    text = " ".join(t.text for t in part).strip()
    if not text:
        return None
    if "mod" in text:
        if not allow_mod:
            return None
        pieces = text.split("mod")
        if len(pieces) != 2:
            return None
        a, m = _rational(pieces[0]), _rational(pieces[1])
        if a is None or m is None or a.denominator != 1 or m.denominator != 1 or m <= 0:
            return None
        return Fraction(int(a) % int(m))
    return _exact(text, algebraic="." not in text and any(t.kind == "root" for t in part))


def _rational(text: str) -> Fraction | None:
    value = _exact(text, algebraic=False)
    return value if isinstance(value, Fraction) else None


def _exact(text: str, *, algebraic: bool) -> Fraction | cf.Poly | None:
    plain = parse_plain(text.replace(",", ""))
    if plain is not None:
        return plain
    try:
        form = cf.canonical(parse_expression(text.replace(",", "")))
    except (ParseFailure, cf.TooComplex):
        return None
    value = cf.as_rational(form)
    if value is not None:
        return value
    return form if algebraic and cf.is_decisive(form) else None


def _is_range(part: list[_Tok]) -> bool:
    """``10-12`` (no spaces, smaller first) is a range of pages or years, not a subtraction."""
    if len(part) != 3 or part[0].kind != "num" or part[1].text != "-" or part[2].kind != "num":
        return False
    touching = part[0].end == part[1].start and part[1].end == part[2].start
    return touching and "." not in part[0].text + part[2].text and int(part[0].text.replace(",", "")) < int(
        part[2].text.replace(",", "")
    )


def _has_operator(part: list[_Tok]) -> bool:
    sig = [t for t in part if t.kind != "ws"]
    return any(t.kind == "op" and not (t.text == "-" and k == 0) for k, t in enumerate(sig)) or any(
        (t.kind == "word" and t.text == "mod") or t.kind == "root" for t in sig
    )


def _rounded(a: Fraction, b_part: list[_Tok]) -> bool:
    """``b`` is a decimal literal that rounds ``a`` to b's own number of decimals (a claim of precision)."""
    sig = [t for t in b_part if t.kind != "ws"]
    negative = len(sig) == 2 and sig[0].text == "-"
    if not (len(sig) == 1 or negative) or sig[-1].kind != "num" or "." not in sig[-1].text:
        return False
    literal = sig[-1].text.replace(",", "")
    places = len(literal.split(".")[1])
    b = Fraction(literal) * (-1 if negative else 1)
    return abs(a - b) <= Fraction(1, 2 * 10**places)


def _stand_as_sides(left: list[_Tok], right: list[_Tok]) -> bool:
    """The two parts look like the sides of a claim: a value ends before the ``=`` and one starts after it.

    The same shape the line pre-filter ``steps.EQ_BETWEEN_SIDES`` looks for, so a line that filter passes
    over has no skipped link either (the fast and general paths count the same).
    """
    return bool(left and right) and left[-1].kind in ("num", "rp") and right[0].kind in ("num", "lp", "op", "root")


def general_claims(line: str) -> tuple[list[Claim], int]:
    """The claims of a normalized line by the token rules, and how many claim-like links were skipped.

    The reference the fast shapes must agree with.
    """
    tokens = _tokens(line)
    # "mod" joins a run only as an operator word; every other word breaks it
    tokens = [_Tok("op", "mod", t.start, t.end) if t.kind == "word" and t.text == "mod" else t for t in tokens]
    out: list[Claim] = []
    skipped = 0
    for i, j in _runs(tokens):
        parts: list[list[_Tok]] = [[]]
        for t in tokens[i:j]:
            if t.kind == "eq":
                parts.append([])
            else:
                parts[-1].append(t)
        parts = [[t for t in p if t.kind != "ws"] or [] for p in parts]
        keep = [True] * len(parts)
        keep[0] = not _drop_first(tokens, i, parts[0])
        keep[-1] = keep[-1] and not _drop_last(tokens, j, parts[-1], line)
        # "3/4 = 75%", "5 + 3 = 9!", "180 - 30 = 150°": a claim by its shape whose last side ends in a notation
        nxt, touching = _neighbor(tokens, j, 1)
        noted = touching and bool(parts[-1]) and parts[-1][-1].kind != "op" and _notation_after(nxt, line)
        # a part next to words, a page range or an empty part is not a side at all: neither checked nor skipped
        usable = [keep[k] and not _is_range(p) for k, p in enumerate(parts)]
        values = [_value(p, allow_mod=(k == 0)) if usable[k] else None for k, p in enumerate(parts)]
        for k in range(len(parts) - 1):
            a, b = values[k], values[k + 1]
            if a is None or b is None:
                if (
                    usable[k]
                    and (usable[k + 1] or (noted and k + 2 == len(parts) and not _is_range(parts[k + 1])))
                    and _stand_as_sides(parts[k], parts[k + 1])
                    and (_has_operator(parts[k]) or _has_operator(parts[k + 1]))
                ):
                    skipped += 1  # a claim by its shape that cannot be evaluated: "9^9^9^9 = 5", "7 / 0 = 1"
                continue
            if not (_has_operator(parts[k]) or _has_operator(parts[k + 1])):
                # "85 + 25 = 110 = 111": a link of plain numbers is a claim when it carries a computation on
                if not (k > 0 and values[k - 1] is not None and _has_operator(parts[k - 1])):
                    continue
            if not isinstance(a, Fraction) or not isinstance(b, Fraction):
                # a root with an irrational value ("√32 = 4√2"): exact algebraic equality; next to a decimal it
                # is an approximation ("√2 = 1.414"), which is not checked
                if any(t.kind == "num" and "." in t.text for t in parts[k] + parts[k + 1]):
                    skipped += 1
                    continue
                form_a = a if not isinstance(a, Fraction) else cf.const(a)
                form_b = b if not isinstance(b, Fraction) else cf.const(b)
                out.append(Claim(_pretty(line, parts[k], parts[k + 1]), form_a == form_b))
                continue
            holds = a == b or _rounded(a, parts[k + 1]) or _rounded(b, parts[k])
            if not holds and k + 2 < len(parts) and values[k + 2] is not None and _has_operator(parts[k]):
                link = _running_total_link(a, parts[k], parts[k + 1])
                if link is not None:  # "3 × 4 = 12 + 3 = 15": check "3 × 4 = 12"; "12 + 3 = 15" is the next pair
                    out.append(Claim(_pretty(line, parts[k], link), True))
                    continue
            out.append(Claim(_pretty(line, parts[k], parts[k + 1]), holds))
    return out, skipped


def _running_total_link(value: Fraction, left: list[_Tok], right: list[_Tok]) -> list[_Tok] | None:
    """The head number of ``right`` when it carries ``value`` on (``12`` in ``= 12 + 3``), else None.

    Teachers write running totals as one chain, ``3 × 4 = 12 + 3 = 15``. Read literally its middle link claims
    12 = 15; read as a running total every link is a claim of its own: ``3 × 4 = 12`` and ``12 + 3 = 15``. A
    link is taken this way only when the literal reading fails, the left side computes something, the right
    side starts with a plain number followed by ``+ - * /``, the chain goes on to a value (so the continued
    computation is itself checked), and the number is exactly (or a rounding of) the left side's value.
    """
    sig = [t for t in right if t.kind != "ws"]
    n = 2 if len(sig) >= 4 and sig[0].text == "-" else 1
    if len(sig) < n + 2 or sig[n - 1].kind != "num" or sig[n].kind != "op" or sig[n].text not in ("+", "-", "*", "/"):
        return None
    if n == 2 and sig[0].kind != "op":
        return None
    head = sig[:n]
    number = Fraction(head[-1].text.replace(",", "")) * (-1 if n == 2 else 1)
    return head if number == value or _rounded(value, head) else None


def _pretty(line: str, left: list[_Tok], right: list[_Tok]) -> str:
    def side(part: list[_Tok]) -> str:
        return re.sub(r"\s+", " ", line[part[0].start : part[-1].end])

    return f"{side(left)} = {side(right)}"
