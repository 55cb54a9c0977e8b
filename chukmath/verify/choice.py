"""Multiple-choice answers: the letter a candidate picks (``(C)``, ``\\text{(C)}``, ``C)``, ``(C) 12``, ``Option C``).

Used only where the expected answer is itself one letter A-E (``C`` or ``(C)``); a candidate that picks a letter is
judged by the letter alone, so ``\\textbf{(B) }7`` is B whatever the value after it. One anchored regex on the
cleaned answer: linear.
"""

from __future__ import annotations

import re

from chukmath.verify.extract import clean

_GOLD = re.compile(r"\s*\(?\s*([A-E])\s*\)?\s*")
# "(C)", "Option C", "C)" or a lone "C"; only the words are case-blind ("c" alone is a variable). No two runs of
# spaces are adjacent ("\s*(?::\s*)?", not "\s*:?\s*"), so a long run of spaces is read once, not split n ways.
_PICKED = re.compile(r"(?:(?i:option|choice|answer)\s*(?::\s*)?)?\(\s*([A-E])\s*\)|(?i:option|choice)\s*(?::\s*)?"
                     r"([A-E])\b|([A-E])(?:\)|\s*$)")  # fmt: skip


def choice_letter(expected: str) -> str | None:
    """The letter of an expected answer that is one choice (``C``, ``(C)``), else None."""
    m = _GOLD.fullmatch(expected)
    return m.group(1) if m else None


def picked_letter(candidate: str) -> str | None:
    """The letter a candidate answer starts by picking, or None when it picks none."""
    text = clean(candidate)
    m = _PICKED.match(text)
    if m is None:
        return None
    return m.group(1) or m.group(2) or m.group(3)
