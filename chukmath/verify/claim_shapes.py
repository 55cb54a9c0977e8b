"""The fast shapes of the step checker: whole lines of the most common forms, decided without tokens.

Most lines a teacher writes are ``A op B = C`` or hold no claim at all. :func:`spaced_claim` reads the raw
``A op B = C`` line in integers, :func:`simple_claim` reads the normalized one with one regex, and
:func:`may_hold_claim` is a necessary condition for any claim (or skipped link) of the general rules in
:mod:`chukmath.verify.claim_rules`. All three are strict shortcuts: where they answer, the general rules answer
the same (tests/test_steps_fast.py checks it on random lines).
"""

from __future__ import annotations

import re
from fractions import Fraction

from chukmath.verify.claim_rules import Claim
from chukmath.verify.claim_text import REPLACE

# The most common claims of all, "A op B = C" (whole numbers, decimals, fractions, bracketed negatives) and
# "A mod M = R", read by one regex each. For a line of exactly these shapes the general path below finds exactly
# one claim, A op B = C, that holds iff the values are equal or C is a decimal that rounds the left side to its
# own decimals (every token is arithmetic, so no word or neighbour rule applies). The exceptions are handled
# before use: a page range "10-12" (no claim), "4 x -3" (x is no product there), division by zero, and a bare
# fraction right of "/" ("a / b/c" means "(a/b)/c") are left to the general path.
# tests/test_steps_fast.py checks on random lines that both paths give the same claims.
_N = r"\d{1,60}"
_D = rf"{_N}(?:\.{_N})?"
_ATOM = rf"(?:-?{_N}/{_N}|-?{_D}|\(\s*-?(?:{_N}\s*/\s*{_N}|{_D})\s*\))"
_RESULT = rf"-?(?:{_N}/{_N}|{_D})"
# an optional ", so ..." clause after the claim: the comma ends the run, so the clause is read on its own
_SIMPLE = re.compile(
    rf"\s*(?P<l>(?P<a>{_ATOM})\s*(?P<op>[-+*/xX])\s*(?P<b>{_ATOM}))\s*==?\s*(?P<r>{_RESULT})(?:\s*|(?P<tail>,\s+\D.*))"
)
_SIMPLE_MOD = re.compile(rf"\s*(?P<l>(?P<a>-?{_N})\s+mod\s+(?P<m>{_N}))\s*==?\s*(?P<r>-?{_N})\s*")
# A necessary condition for any claim: an operator inside a side, i.e. right after a number, bracket or operator
# ("3 + 4", "(-3)", "2 ^ -1", "5 mod 3"), or a side starting with an operator other than "-" ("= +5"), or an
# "x" between numbers -- and that operator in the same stretch of arithmetic characters as an "=", since a
# claim's sides and its "=" are one run of number, operator, bracket and space tokens. Lines without one
# ("x = -2", "4x = 8", "(1) -3x + 2y = 6", "a = 1, b = -3") cannot hold a claim. Both scans are linear.
_OP_IN_SIDE = re.compile(
    r"(?:[\d)\]}(\[{+\-*/^]|mod)\s*(?:[-+*/^]|mod)|=\s*(?:[+*/^]|mod)|[\d)\]}]\s*[xX]\s*[\d.(\[{]|√"
)
# "x" belongs to a stretch only where it can be a product sign (before a number or bracket): in "7x + 12 = 0" the
# run ends at the x, so "+ 12 = 0" is judged on its own (and holds no claim: its left side starts with "+").
_ARITHMETIC_STRETCH = re.compile(r"(?:[\d\s.,()\[\]{}+\-*/^=√]|mod|(?<=[\d)\]}\s])[xX](?=\s*[\d.(\[{]))+")
# Both sides of a claim parse, so the left one ends in a digit or closing bracket and the right one starts with a
# number, bracket or operator: "x = -7/2" and "12 = " followed by a word hold no claim.
EQ_BETWEEN_SIDES = re.compile(r"[\d)\]}]\s*==?\s*(?:[\d.(\[{+\-*/^√]|mod)")


def may_hold_claim(line: str, *, eq_found: bool = False) -> bool:
    # EQ_BETWEEN_SIDES first: it fails fast on most prose lines ("x = -12 into ..."), _OP_IN_SIDE costs several
    # times more there; ``eq_found``: the caller already searched it
    if (not eq_found and EQ_BETWEEN_SIDES.search(line) is None) or _OP_IN_SIDE.search(line) is None:
        return False
    return any(
        EQ_BETWEEN_SIDES.search(part) and _OP_IN_SIDE.search(part) for part in _ARITHMETIC_STRETCH.findall(line)
    )


def _number(text: str) -> int | Fraction:
    if text.isdecimal():  # the usual operand: the stripping and the checks below would leave it as it is
        return int(text)
    text = text.strip("() ").replace(" ", "")
    # int() is ~5x cheaper than Fraction(str) (a regex parse), and whole numbers are most claims
    if "/" in text:
        num, den = text.split("/")
        return Fraction(int(num), int(den))
    if "." in text:
        whole, frac = text.split(".")
        value = Fraction(int(whole.lstrip("-") + frac), 10 ** len(frac))
        return -value if whole.startswith("-") else value
    return int(text)


def simple_claim(line: str) -> list[Claim] | None:
    """The claim of an ``A op B = C`` line, [] for a page range, None when the line needs the general path."""
    m = _SIMPLE.fullmatch(line)
    if m is None:
        return _simple_mod_claim(line)
    op, a_text, b_text, r_text = m.group("op", "a", "b", "r")
    if m.group("tail") is not None and may_hold_claim(m.group("tail")):
        return None  # the clause may hold claims of its own: read the whole line by the general rules
    if (op == "/" and "/" in b_text and not b_text.startswith("(")) or (op in "xX" and b_text.startswith("-")):
        return None
    if op == "-" and a_text.isdigit() and b_text.isdigit() and line[m.end("a") : m.start("b")] == "-":
        if int(a_text) < int(b_text):
            return []  # "10-12 = ...": a range, which the general path does not check either
    try:
        a, b, right = _number(a_text), _number(b_text), _number(r_text)
    except ZeroDivisionError:
        return None
    if op == "/":
        if b == 0:
            return None
        # a / b == right without building the quotient when everything is whole
        holds = a == right * b if type(a) is int and type(b) is int and type(right) is int else Fraction(a) / b == right
    else:
        left = a + b if op == "+" else a - b if op == "-" else a * b
        holds = left == right
    if not holds and "." in r_text:  # the rounding rule of claim_rules._rounded, for a decimal right side
        left = Fraction(a) / b if op == "/" else left
        holds = abs(left - right) <= Fraction(1, 2 * 10 ** len(r_text.split(".")[1]))
    return [Claim(" ".join(m.group("l").split()) + " = " + r_text, holds)]


def _simple_mod_claim(line: str) -> list[Claim] | None:
    m = _SIMPLE_MOD.fullmatch(line)
    if m is None or int(m.group("m")) == 0:
        return None
    holds = int(m.group("a")) % int(m.group("m")) == int(m.group("r"))
    return [Claim(" ".join(m.group("l").split()) + " = " + m.group("r"), holds)]


# The operator token of a spaced "A op B = C" line, as claim_text.normalize writes it.
_SPACED_OPS = {"+": "+", "-": "-", "*": "*", "/": "/", "x": "x", "X": "X"} | {
    old: new for old, new in REPLACE if len(old) == 1 and len(new) == 1 and new in "*/-"
}


def _spaced_operand(text: str, bracket: bool) -> tuple[int, int] | None:
    """``12``, ``-12``, ``8500/9``, ``-3/4`` (and ``(-6)``, ``(3/4)`` when ``bracket``) as (numerator, denominator)
    with a positive denominator; None for anything else, including a zero denominator and numbers over 60 digits."""
    if text.isdecimal():
        return (int(text), 1) if len(text) <= 60 else None
    if bracket and text[:1] == "(" and text[-1:] == ")":
        text = text[1:-1]
    sign = 1
    if text[:1] == "-":
        sign, text = -1, text[1:]
    num, slash, den = text.partition("/")
    if not num.isdecimal() or len(num) > 60:
        return None
    if not slash:
        return sign * int(num), 1
    if not den.isdecimal() or len(den) > 60 or int(den) == 0:
        return None
    return sign * int(num), int(den)


def spaced_claim(line: str) -> tuple[Claim, ...] | None:
    """The claim of a raw line that is exactly ``A op B = C`` with single spaces and whole or fraction operands.

    This is the shape of most lines a teacher writes. For such a line normalize only rewrites the operator and
    simple_claim reads the same five tokens, so the claim is the same; it is decided here in integers
    (``a/b + c/d = e/f`` iff ``(a*d + c*b)*f == e*b*d``) without building Fractions. None: not this shape, or one
    of simple_claim's exceptions (a divisor 0 or a bare fraction after "/", a negative after "x"); the caller
    then takes the normal path.
    """
    parts = line.split(" ")
    if len(parts) != 5 or parts[3] != "=":
        return None
    a_text, op, b_text, _, r_text = parts
    op = _SPACED_OPS.get(op)
    if op is None:
        return None
    if (
        a_text.isdecimal()
        and b_text.isdecimal()
        and r_text.isdecimal()
        and len(a_text) <= 60
        and len(b_text) <= 60
        and len(r_text) <= 60
    ):  # the usual line: three whole numbers (what _spaced_operand gives them, without the calls)
        ai, bi, ri = int(a_text), int(b_text), int(r_text)
        if op == "+":
            holds = ai + bi == ri
        elif op == "-":
            holds = ai - bi == ri
        elif op == "/":
            if bi == 0:
                return None
            holds = ai == ri * bi
        else:
            holds = ai * bi == ri
        return (Claim(f"{a_text} {op} {b_text} = {r_text}", holds),)
    a, b = _spaced_operand(a_text, True), _spaced_operand(b_text, True)
    right = None if r_text[:1] == "(" else _spaced_operand(r_text, False)
    if a is None or b is None or right is None:
        return None
    (an, ad), (bn, bd), (rn, rd) = a, b, right
    if op == "/":
        if bn == 0 or ("/" in b_text and b_text[0] != "("):
            return None
        holds = an * bd * rd == rn * ad * bn
    elif op == "*" or op == "x" or op == "X":
        if op != "*" and b_text[0] == "-":
            return None
        holds = an * bn * rd == rn * ad * bd
    else:
        holds = ((an * bd + bn * ad) if op == "+" else (an * bd - bn * ad)) * rd == rn * ad * bd
    return (Claim(f"{a_text} {op} {b_text} = {r_text}", holds),)
