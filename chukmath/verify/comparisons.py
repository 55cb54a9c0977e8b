"""Comparisons of two numbers said in words, checked exactly: ``152 is more than 127``, ``In the ones, 0 is less
than 4, so borrow``.

A step such as "160 is more than 1556, so 7 × 20 is the largest multiple" is as much a reasoning step as an
equation, and a fine-tuned model writes false ones (bench/RESULTS.md, seventh run). Only the plainest shape is
read, so nothing that is not a comparison of two numbers is ever judged:

- ``A is <word> than B`` with ``<word>`` one of more, greater, larger, bigger (A > B) or less, smaller, fewer
  (A < B), and nothing between (``is not more than``, ``is no less than`` and ``is less than or equal to`` are not
  read);
- A and B plain numbers (``12``, ``-3``, ``2.5``, ``3/4``);
- A at the start of the line or right after a clause break (``,`` ``;`` ``:`` ``(``) or a joining word (so, and,
  but, since, because, as, then, while, here, now), so ``2 × 3 is more than 5`` (A would be 3) is not read;
- B followed by the end of the line, a punctuation mark or a joining word, so ``5 is less than 3 × 4`` and
  ``12 is more than 10 apples`` are not read.

The same with a sign between the numbers (``1700 > 1556``, ``3 < 4``) under the same rules, so ``2 < 3 < 4``,
``x > 3`` and ``-> 5`` are not read. The scan is one bounded regex per line that holds `` than `` (or a ``<``/``>``);
numbers are capped at 30 digits a part.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

from chukmath.verify.claim_rules import Claim

_GREATER = frozenset(("more", "greater", "larger", "bigger"))  # A > B; the others say A < B
_LESS = frozenset(("less", "smaller", "fewer"))
_WORD = "|".join(sorted(_GREATER | _LESS))
_JOIN = r"so|and|but|since|because|as|then|while|here|now|So|And|But|Since|Because|As|Then|While|Here|Now"
_NUMBER = r"-?\d{1,30}(?:\.\d{1,30})?(?:/\d{1,30})?"
# what may stand right before A: the line's start, a clause break (a comma only with a space after it, so the
# "556" of "1,556" is not a number on its own), or a joining word
_BEFORE = rf"(?:^\s*|(?:[;:(]|,(?=\s))\s*|(?:^|(?<=\s))(?:{_JOIN})\s+)"
# what may follow B: the line's end, a punctuation mark that is not inside a number, or a joining word
_AFTER = rf"(?=\s*$|\s*[,.;:)!?](?!\d)|\s+(?:{_JOIN}|which)\b)"
_COMPARISON = re.compile(
    rf"{_BEFORE}(?P<a>{_NUMBER})\s+is\s+(?P<word>{_WORD})\s+than\s+"
    rf"(?P<b>{_NUMBER}){_AFTER}"
)
# the same with a sign: "1700 > 1556", "3 < 4" (a chain "2 < 3 < 4" or "x > 3" is not read)
_SIGNED = re.compile(rf"{_BEFORE}(?P<a>{_NUMBER})\s*(?P<sign>[<>])\s*(?P<b>{_NUMBER}){_AFTER}")
CACHE_LINES = 4096


def _value(text: str) -> Fraction | None:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return None  # "3/0"
    return value


@lru_cache(maxsize=CACHE_LINES)
def comparison_claims(line: str) -> tuple[Claim, ...]:
    """The comparisons of two numbers in ``line``, each judged (see the module docstring for what is read)."""
    found: list[Claim] = []
    if " than " in line:
        for match in _COMPARISON.finditer(line):
            word = match.group("word")
            found += _judged(match, word in _GREATER, f"is {word} than")
    if "<" in line or ">" in line:
        for match in _SIGNED.finditer(line):
            found += _judged(match, match.group("sign") == ">", match.group("sign"))
    return tuple(found)


def _judged(match: re.Match[str], greater: bool, said: str) -> list[Claim]:
    a, b = _value(match.group("a")), _value(match.group("b"))
    if a is None or b is None:
        return []
    return [Claim(f"{match.group('a')} {said} {match.group('b')}", a > b if greater else a < b)]


def clear_cache() -> None:
    """Forget cached line results (tests; benchmarks measuring cold cost)."""
    comparison_claims.cache_clear()


__all__ = ["clear_cache", "comparison_claims"]
