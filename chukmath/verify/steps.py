"""Check the arithmetic claims inside ``<think>`` exactly: ``85 + 25 = 110``, ``44 x 3 = 132``, ``84 = 2 × 36 + 12``.

A claim is a run of numbers, operators and brackets joined by ``=`` on one line. Each side is parsed by the
same bounded grammar as answers and reduced to an exact rational; a pair of sides where at least one has an
operator and whose values differ is a bad step. The checker is built to never flag what is not arithmetic:
a side that touches a letter (``3x``, ``f(2)``, ``x_1``), starts with a dangling operator (``x + 3 = 5`` leaves
``+ 3``), is next to words that change its meaning (``half of 6 + 2``, ``= 4 squared``), ends in ``...`` or ``%``,
or does not parse, is left out. ``≈`` is not ``=``, and a decimal right side that is the rounding of the
exact value to its own number of decimals (``10/3 = 3.33``) is accepted as a rounded claim.
``A mod m = r`` is checked when the ``mod`` stands on the left of the first ``=``.

Running totals: a chain such as ``3 × 4 = 12 + 3 = 15`` is read link by link (``3 × 4 = 12`` and
``12 + 3 = 15``) when its literal reading fails and the right side starts with the number the left side computes
and goes on to a value; ``12 = 12 + 3`` (nothing continues it) is still false. See ``_running_total_link``.

Speed: most lines are ``A op B = C`` or hold no claim at all. Those are decided by one regex each
(``_simple_claim``, ``_may_hold_claim``), plain arithmetic is evaluated straight from tokens
(:mod:`chukmath.verify.fastarith`), and results are cached per line. All three are strict shortcuts:
``check_claims(think, fast=False)`` runs the general rules only, and a property test checks both agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from chukmath.verify import canonical as cf
from chukmath.verify.fastarith import Fallback, evaluate_tokens
from chukmath.verify.grammar import ParseFailure, parse_expression
from chukmath.verify.numbers import parse_plain

MAX_LINE = 20000
MAX_CLAIMS = 2000
LINE_CACHE = 16384  # lines; ~5 MB at most

_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_FRAC_SHORT = re.compile(r"\\[dt]?frac\s*(\d)\s*(\d)")
_ROOT_BRACES = re.compile(r"√\{([^{}]*)\}")
# spacing, sizing and the math delimiters \( \) \[ \] (which must not be read as brackets)
_SPACING = re.compile(r"\\(?:left|right|quad|qquad|big|Big|bigl|bigr)(?![a-zA-Z])|\\[,;:! ()\[\]]|\\?\$")
_REPLACE = (
    ("\\times", "*"), ("\\cdot", "*"), ("\\div", "/"), ("×", "*"), ("·", "*"), ("⋅", "*"), ("∗", "*"),
    ("÷", "/"), ("−", "-"), ("²", "^2"), ("³", "^3"), ("\\bmod", " mod "), ("\\mod", " mod "), ("\\sqrt", "√"),
)  # fmt: skip
_BOLD = re.compile(r"(?:^|(?<=\s))\*\*(?=\S)|(?<=\S)\*\*(?=\s|$|[.,;:!?])")
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
_DIGIT = re.compile(r"\d")
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


# The single-character entries of _REPLACE as one table: without a backslash in the line none of the others can
# match (and no replacement makes one), and these are independent of each other, so one translate does them all.
_UNICODE_OPS = str.maketrans({old: new for old, new in _REPLACE if not old.startswith("\\")})


def _normalize(line: str) -> str:
    if "\\" in line:
        for old, new in _REPLACE:
            line = line.replace(old, new)
    elif not line.isascii():
        line = line.translate(_UNICODE_OPS)
    # The regex passes below only ever change lines holding their trigger text; skip them otherwise.
    if "√{" in line:  # \sqrt{..} as √(..), so a root inside \frac{..}{..} leaves its braces flat
        line = _ROOT_BRACES.sub(r"√(\1)", line)
    if "frac" in line:
        line = _FRAC_SHORT.sub(r"((\1)/(\2))", line)
        for _ in range(3):  # innermost \frac first; three levels is plenty for arithmetic
            line = _FRAC.sub(r"((\1)/(\2))", line)
    if "\\" in line or "$" in line:
        line = _SPACING.sub(" ", line)
    return _BOLD.sub(" ", line) if "**" in line else line


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
    if touching and nxt.kind == "other":
        if nxt.text in _TOUCH_DROP_AFTER:
            return True
        if nxt.text == "." and line[nxt.start : nxt.start + 2] == "..":
            return True
    return False


def _value(part: list[_Tok], allow_mod: bool, fast: bool = True) -> Fraction | cf.Poly | None:
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
    if fast:
        value = evaluate_tokens(part)  # plain arithmetic straight from the tokens; FALLBACK when unsure
        if not isinstance(value, Fallback):
            return value
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
_EQ_BETWEEN_SIDES = re.compile(r"[\d)\]}]\s*==?\s*(?:[\d.(\[{+\-*/^√]|mod)")


def _may_hold_claim(line: str, *, eq_found: bool = False) -> bool:
    # _EQ_BETWEEN_SIDES first: it fails fast on most prose lines ("x = -12 into ..."), _OP_IN_SIDE costs several
    # times more there; ``eq_found``: the caller already searched it
    if (not eq_found and _EQ_BETWEEN_SIDES.search(line) is None) or _OP_IN_SIDE.search(line) is None:
        return False
    return any(
        _EQ_BETWEEN_SIDES.search(part) and _OP_IN_SIDE.search(part) for part in _ARITHMETIC_STRETCH.findall(line)
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


def _simple_claim(line: str) -> list[Claim] | None:
    """The claim of an ``A op B = C`` line, [] for a page range, None when the line needs the general path."""
    m = _SIMPLE.fullmatch(line)
    if m is None:
        return _simple_mod_claim(line)
    op, a_text, b_text, r_text = m.group("op", "a", "b", "r")
    if m.group("tail") is not None and _may_hold_claim(m.group("tail")):
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
    if not holds and "." in r_text:  # the rounding rule of _rounded, for a decimal right side
        left = Fraction(a) / b if op == "/" else left
        holds = abs(left - right) <= Fraction(1, 2 * 10 ** len(r_text.split(".")[1]))
    return [Claim(" ".join(m.group("l").split()) + " = " + r_text, holds)]


def _simple_mod_claim(line: str) -> list[Claim] | None:
    m = _SIMPLE_MOD.fullmatch(line)
    if m is None or int(m.group("m")) == 0:
        return None
    holds = int(m.group("a")) % int(m.group("m")) == int(m.group("r"))
    return [Claim(" ".join(m.group("l").split()) + " = " + m.group("r"), holds)]


# The operator token of a spaced "A op B = C" line, as _normalize writes it.
_SPACED_OPS = {"+": "+", "-": "-", "*": "*", "/": "/", "x": "x", "X": "X"} | {
    old: new for old, new in _REPLACE if len(old) == 1 and len(new) == 1 and new in "*/-"
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


def _spaced_claim(line: str) -> tuple[Claim, ...] | None:
    """The claim of a raw line that is exactly ``A op B = C`` with single spaces and whole or fraction operands.

    This is the shape of most lines a teacher writes. For such a line _normalize only rewrites the operator and
    _simple_claim reads the same five tokens, so the claim is the same; it is decided here in integers
    (``a/b + c/d = e/f`` iff ``(a*d + c*b)*f == e*b*d``) without building Fractions. None: not this shape, or one
    of _simple_claim's exceptions (a divisor 0 or a bare fraction after "/", a negative after "x"); the caller
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


@lru_cache(maxsize=LINE_CACHE)
def _claims_in_line(line: str) -> tuple[Claim, ...]:
    # Cached by line: reasoning repeats lines ("6 × 5 = 30", "x = 2") across samples and problems, and a
    # line's claims depend on nothing else. Claims are frozen, so sharing them is safe.
    spaced = _spaced_claim(line)
    if spaced is not None:
        return spaced
    line = _normalize(line)
    if _EQ_BETWEEN_SIDES.search(line) is None:
        # no side ends right before an "=" that a side follows: both shapes of _simple_claim have one (so it
        # would return None) and _may_hold_claim requires one (so it would be False)
        return ()
    simple = _simple_claim(line)
    if simple is not None:
        return tuple(simple)
    return tuple(_general_claims(line)) if _may_hold_claim(line, eq_found=True) else ()


def clear_cache() -> None:
    """Forget cached line results (benchmarks measuring cold cost; tests)."""
    _claims_in_line.cache_clear()


def _general_claims(line: str, *, fast: bool = True) -> list[Claim]:
    """Claims of a normalized line by the token rules (the reference the fast paths must agree with)."""
    tokens = _tokens(line)
    # "mod" joins a run only as an operator word; every other word breaks it
    tokens = [_Tok("op", "mod", t.start, t.end) if t.kind == "word" and t.text == "mod" else t for t in tokens]
    out: list[Claim] = []
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
        values = [
            _value(p, allow_mod=(k == 0), fast=fast) if keep[k] and not _is_range(p) else None
            for k, p in enumerate(parts)
        ]
        for k in range(len(parts) - 1):
            a, b = values[k], values[k + 1]
            if a is None or b is None:
                continue
            if not (_has_operator(parts[k]) or _has_operator(parts[k + 1])):
                # "85 + 25 = 110 = 111": a link of plain numbers is a claim when it carries a computation on
                if not (k > 0 and values[k - 1] is not None and _has_operator(parts[k - 1])):
                    continue
            if not isinstance(a, Fraction) or not isinstance(b, Fraction):
                # a root with an irrational value ("√32 = 4√2"): exact algebraic equality; next to a decimal it
                # is an approximation ("√2 = 1.414"), which is not checked
                if any(t.kind == "num" and "." in t.text for t in parts[k] + parts[k + 1]):
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
    return out


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


def check_claims(think: str, *, fast: bool = True) -> list[Claim]:
    """Every arithmetic claim found in ``think``, each evaluated exactly.

    ``fast=False`` skips the fast paths (line-shape regexes, the claim pre-filter and the token evaluator) and
    runs only the general token rules and grammar: the same claims, slower; the reference the tests compare with.
    """
    claims: list[Claim] = []
    for line in think.splitlines():
        # a claim needs an "=" and a number on the line
        if "=" not in line or len(line) > MAX_LINE or _DIGIT.search(line) is None:
            continue
        claims.extend(_claims_in_line(line) if fast else _general_claims(_normalize(line), fast=False))
        if len(claims) >= MAX_CLAIMS:
            break
    return claims


def bad_steps(think: str) -> list[str]:
    """The false claims in ``think`` as text (``85 + 25 = 111``); empty when every parsed claim holds."""
    return [c.text for c in check_claims(think) if not c.holds]
