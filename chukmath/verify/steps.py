"""Check the arithmetic claims of a text exactly: ``85 + 25 = 110``, ``44 x 3 = 132``, ``84 = 2 × 36 + 12``.

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
and goes on to a value; ``12 = 12 + 3`` (nothing continues it) is still false.

The pieces: :mod:`~chukmath.verify.claim_text` brings a line to plain ASCII arithmetic (Unicode look-alikes,
zero-width characters, list markers, LaTeX, bracketed units), :mod:`~chukmath.verify.claim_rules` finds and
judges the claims of a line, :mod:`~chukmath.verify.claim_shapes` decides the most common line shapes without
tokens. Nothing is dropped silently: a claim-like link that cannot be evaluated, a line over ``MAX_LINE``
characters and the lines after ``MAX_CLAIMS`` claims are counted in :attr:`StepReport.skipped`.

Speed: results are cached per line, the fast shapes and :mod:`chukmath.verify.fastarith` are strict shortcuts
(``check_steps(text, fast=False)`` runs the general rules only, and a property test checks both agree), and a plain
ASCII line never pays for the Unicode folding.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from chukmath.verify.claim_rules import Claim, general_claims
from chukmath.verify.claim_shapes import EQ_BETWEEN_SIDES, may_hold_claim, simple_claim, spaced_claim
from chukmath.verify.claim_text import fold, normalize, strip_marker

MAX_LINE = 20000
MAX_CLAIMS = 2000
LINE_CACHE = 16384  # lines; ~5 MB at most

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
    # The most common line first. A spaced "A op B = C" cannot start with a list marker that strip_marker would
    # take: its second token is the operator, and the one operator a marker may precede ("(2) - 3 = -1") leaves
    # "- 3 = -1", no claim, so _either_reading would keep the whole line too.
    spaced = spaced_claim(line)
    if spaced is not None:
        return spaced, 0
    if _DIGIT.search(line) is None:
        return (), 0
    return _either_reading(line, True)


def clear_cache() -> None:
    """Forget cached line results (benchmarks measuring cold cost; tests)."""
    _cached_line.cache_clear()


def _links(line: str) -> int:
    """The claim-like links of a line that is not read (too long, or past the claim cap): a linear count."""
    return len(_EQ_LINK.findall(line)) if may_hold_claim(line) else 0


def check_steps(text: str, *, fast: bool = True) -> StepReport:
    """Every arithmetic claim found in ``text``, each evaluated exactly, and the count of those skipped.

    ``fast=False`` skips the fast paths (line-shape regexes, the claim pre-filter and the token evaluator) and
    runs only the general token rules and grammar: the same claims, slower; the reference the tests compare with.
    """
    claims: list[Claim] = []
    skipped = 0
    for line in text.splitlines():
        # a claim needs an "=" (NFKC makes the wide ones "=")
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
