"""Check the arithmetic claims of a text exactly: ``85 + 25 = 110``, ``44 x 3 = 132``, ``84 = 2 × 36 + 12``.

A claim is a run of numbers, operators and brackets joined by ``=`` on one line. Each side is parsed by the
same bounded grammar as answers and reduced to an exact rational; a pair of sides where at least one has an
operator and whose values differ is a bad step. The checker is built to never flag what is not arithmetic:
a side that touches a letter (``3x``, ``f(2)``, ``x_1``), starts with a dangling operator (``x + 3 = 5`` leaves
``+ 3``), is next to words that change its meaning (``half of 6 + 2``, ``= 4 squared``), ends in ``...`` or ``%``,
or does not parse, is left out. ``≈`` is not ``=``, and a decimal right side that is the rounding of the
exact value to its own number of decimals (``10/3 = 3.33``) is accepted as a rounded claim.
``A mod m = r`` is checked when the ``mod`` stands on the left of the first ``=``. A comparison of two numbers in
words (``152 is more than 127``) is a claim too, read in its plainest shape only (:mod:`chukmath.verify.comparisons`).

Running totals: a chain such as ``3 × 4 = 12 + 3 = 15`` is read link by link (``3 × 4 = 12`` and
``12 + 3 = 15``) when its literal reading fails and the right side starts with the number the left side computes
and goes on to a value; ``12 = 12 + 3`` (nothing continues it) is still false.

The pieces: :mod:`~chukmath.verify.claim_text` brings a line to plain ASCII arithmetic (Unicode look-alikes,
zero-width characters, list markers, LaTeX, bracketed units), :mod:`~chukmath.verify.claim_rules` finds and
judges the claims of a line (the general rules), and this module decides the most common line shapes without
tokens (the fast shapes). The three claim paths of a line are twins (issue 20), kept here together:
:func:`spaced_claim` reads the raw ``A op B = C`` line in integers, :func:`simple_claim` the normalized one with one
regex, and :func:`may_hold_claim` is a necessary condition for any claim (or skipped link) of the general rules;
where they answer, the general rules answer the same. Nothing is dropped silently: a claim-like link that cannot
be evaluated, a line over ``MAX_LINE`` characters and the lines after ``MAX_CLAIMS`` claims are counted in
:attr:`StepReport.skipped`.

Speed: results are cached per line, the fast shapes are strict shortcuts (``check_steps(text, fast=False)`` runs
the general rules only; tests/test_twin_claim_shapes_general.py checks both agree on random lines; they pay 5-10x
on ``verify_response`` over built-in traces, bench/twins.py), and a plain ASCII line never pays for the Unicode
folding.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from chukmath.verify.claim_rules import Claim, general_claims
from chukmath.verify.claim_text import REPLACE, fold, normalize, strip_marker
from chukmath.verify.comparisons import clear_cache as clear_comparisons
from chukmath.verify.comparisons import comparison_claims

MAX_LINE = 20000
MAX_CLAIMS = 2000
LINE_CACHE = 16384  # lines; ~5 MB at most


# The fast shapes: whole lines of the most common forms, decided without tokens.

# The most common claims of all, "A op B = C" (whole numbers, decimals, fractions, bracketed negatives) and
# "A mod M = R", read by one regex each. For a line of exactly these shapes the general path below finds exactly
# one claim, A op B = C, that holds iff the values are equal or C is a decimal that rounds the left side to its
# own decimals (every token is arithmetic, so no word or neighbour rule applies). The exceptions are handled
# before use: a page range "10-12" (no claim), "4 x -3" (x is no product there), division by zero, and a bare
# fraction right of "/" ("a / b/c" means "(a/b)/c") are left to the general path.
# tests/test_twin_claim_shapes_general.py checks on random lines that both paths give the same claims.
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


_DIGIT = re.compile(r"\d")
# Each "=" with a value before it and a side after it: how many links a line it cannot read may hold.
_EQ_LINK = re.compile(r"[\d)\]}]\s*==?(?=\s*(?:[\d.(\[{+\-*/^√]|mod))")

LineClaims = tuple[tuple[Claim, ...], int]  # the claims of a line and its skipped links


class StepReport(NamedTuple):
    """The claims found in a text, each judged, and how many claim-like links could not be checked."""

    # a NamedTuple, not a frozen dataclass: one is made for every response, and this is several times cheaper
    claims: tuple[Claim, ...]
    skipped: int

    @property
    def checked(self) -> int:
        """How many claims were evaluated (true or false)."""
        return len(self.claims)

    @property
    def bad(self) -> list[str]:
        """The false claims as text (``85 + 25 = 111``)."""
        return [c.text for c in self.claims if not c.holds]


_NOTHING = StepReport((), 0)


def _read(line: str, fast: bool, *, spaced_tried: bool) -> LineClaims:
    """The claims of a line (already folded, marker already stripped)."""
    if not fast:
        claims, skipped = general_claims(normalize(line))
        return tuple(claims), skipped
    if not spaced_tried:
        spaced = spaced_claim(line)
        if spaced is not None:
            return spaced, 0
    line = normalize(line)
    if EQ_BETWEEN_SIDES.search(line) is None:
        # no side ends right before an "=" that a side follows: both shapes of simple_claim have one (so it
        # would return None), may_hold_claim requires one (so it would be False), and so does a skipped link
        return (), 0
    simple = simple_claim(line)
    if simple is not None:
        return tuple(simple), 0
    if not may_hold_claim(line, eq_found=True):
        return (), 0
    claims, skipped = general_claims(line)
    return tuple(claims), skipped


def _holds(result: LineClaims) -> bool:
    return bool(result[0]) and all(c.holds for c in result[0])


def _either_reading(line: str, fast: bool) -> LineClaims:
    """The claims of a folded line, read past a list marker when it has one."""
    body = strip_marker(line)
    # the caller tried the spaced shape on the whole line already
    result = _read(body, fast, spaced_tried=body is line)
    if body is line or _holds(result):
        return result
    # "(2) 5 + 3 = 13" and "- 5 + 3 = -2" can be read with or without a marker: a reading whose claims all hold
    # wins; failing both, the one that finds more claims (so "(3) - 4 = 5" is not lost as "- 4 = 5")
    whole = _read(line, fast, spaced_tried=True)
    if _holds(whole) or len(whole[0]) > len(result[0]):
        return whole
    return result


def _line(line: str) -> LineClaims:
    """The claims of a raw line by the general rules only (the reference for :func:`_cached_line`)."""
    if not line.isascii():
        line = fold(line)
    if _DIGIT.search(line) is None:
        return (), 0  # a claim needs a number
    return _either_reading(line, False)


@lru_cache(maxsize=LINE_CACHE)
def _cached_line(line: str) -> LineClaims:
    # Cached by line: reasoning repeats lines ("6 × 5 = 30", "x = 2") across samples and problems, and a
    # line's claims depend on nothing else. Claims are frozen, so sharing them is safe.
    if not line.isascii():
        line = fold(line)
    # The most common line first. The shortcut skips _either_reading's marker handling, which matters only where A
    # is a list marker strip_marker would take ("(2)") and the operator is "-": "(2) - 3 = -1" leaves "- 3 = -1",
    # no claim, but "(0) - -0 = 0" leaves "- -0 = 0", a claim of its own that _either_reading prefers when it holds.
    spaced = spaced_claim(line)
    if spaced is not None and (" - " not in line or strip_marker(line) is line):
        return spaced, 0
    if _DIGIT.search(line) is None:
        return (), 0
    return _either_reading(line, True)


def clear_cache() -> None:
    """Forget cached line results (benchmarks measuring cold cost; tests)."""
    _cached_line.cache_clear()
    clear_comparisons()


def _links(line: str) -> int:
    """The claim-like links of a line that is not read (too long, or past the claim cap): a linear count."""
    return len(_EQ_LINK.findall(line)) if may_hold_claim(line) else 0


def check_steps(text: str, *, fast: bool = True) -> StepReport:
    """Every arithmetic claim found in ``text``, each evaluated exactly, and the count of those skipped.

    ``fast=False`` skips the fast paths (the line-shape regexes and the claim pre-filter) and runs only the
    general token rules and grammar: the same claims, slower; the reference the tests compare with.
    """
    claims: list[Claim] = []
    skipped = 0
    for line in text.splitlines():
        if (" than " in line or "<" in line or ">" in line) and len(line) <= MAX_LINE and len(claims) < MAX_CLAIMS:
            claims.extend(comparison_claims(line))  # "152 is more than 127": a step in words (verify.comparisons)
        # an equality needs an "=" (NFKC makes the wide ones "=")
        if "=" not in line and (line.isascii() or ("＝" not in line and "﹦" not in line)):
            continue
        if len(line) > MAX_LINE:
            skipped += _links(line)  # not folded either: the count stays linear in the line
            continue
        if len(claims) >= MAX_CLAIMS:
            skipped += _links(line if line.isascii() else fold(line))
            continue
        found, line_skipped = _cached_line(line) if fast else _line(line)
        claims.extend(found)
        skipped += line_skipped
    return StepReport(tuple(claims), skipped) if claims or skipped else _NOTHING


def check_claims(text: str, *, fast: bool = True) -> list[Claim]:
    """Every arithmetic claim found in ``text``, each evaluated exactly (see :func:`check_steps`)."""
    return list(check_steps(text, fast=fast).claims)


def bad_steps(text: str) -> list[str]:
    """The false claims in ``text`` as text (``85 + 25 = 111``); empty when every parsed claim holds."""
    return check_steps(text).bad
