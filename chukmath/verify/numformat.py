"""Numbers as people write them, rewritten to plain numbers: digit groups, decimal commas and currency signs.

- Digit groups of three, separated by a comma (``1,000``), ``{,}`` (``1{,}000``), a comma with a LaTeX negative
  space (``11,\\! 111,\\! 100``), a LaTeX thin space (``1\\,000``), a thin, narrow no-break or no-break space
  (U+2009, U+202F, U+00A0), or, when the whole answer is one such number, a plain space (``1 000``).
- A decimal comma, when the whole answer is one number that cannot be read as digit groups: ``1000,99`` and
  ``2,74`` are 1000.99 and 2.74; ``1,000`` stays one thousand.
- A repeating decimal, ``0.\\overline{3}`` or ``1.2\\overline{45}``, is its exact fraction (``(1/3)``).
- Currency signs before or after a number: ``$`` (removed with the other ``$`` by extraction), ``€``, ``£``, ``¥``,
  ``\\euro``, ``\\pounds``, ``\\textsterling`` and the like.

Only answers expected to be one value are rewritten (``1, 100`` is a list of two where a list is expected). Every
pattern reads a fixed separator then exactly three digits per repetition, so it runs in linear time.
"""

from __future__ import annotations

import re
from fractions import Fraction

# a comma and a space separate list items ("1, 100"); spaces after a comma count only with "\!" among them
_SEPARATOR = r"(?:(?:,|\{,\})(?:[ \t]*\\![ \t]*)?|\\[,!][ \t]?|[\u2009\u202f\u00a0])"
_GROUPED = re.compile(rf"(?<![\d.,])\d{{1,3}}(?:{_SEPARATOR}\d{{3}})+(?![\d])")
_SPACE_GROUPED = re.compile(r"[+\-−]?\d{1,3}(?: \d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"([+\-−]?\d+),(\d+)")
_THREE_DIGIT_GROUPS = re.compile(r"[+\-−]?\d{1,3}(?:,\d{3})+")
_REPEATING = re.compile(r"(\d{1,20})\.(\d{0,20})\\overline\s*\{(\d{1,20})\}")
_CURRENCY = re.compile(
    r"\\(?:euro|texteuro|pounds|textsterling|textdollar|yen|textyen|EUR)(?![a-zA-Z])(?:\{\})?|[€£¥]"
)


def strip_currency(text: str) -> str:
    """``text`` with every currency sign other than ``$`` replaced by a space."""
    return _CURRENCY.sub(" ", text) if ("\\" in text or not text.isascii()) else text


def _join_groups(m: re.Match[str]) -> str:
    return "".join(ch for ch in m.group(0) if ch.isdigit())


def join_digit_groups(text: str) -> str:
    """``text`` with every number written in digit groups joined (``1{,}000`` -> ``1000``); for one-value answers."""
    if "," in text or "\\" in text or not text.isascii():
        text = _GROUPED.sub(_join_groups, text)
    if " " in text and _SPACE_GROUPED.fullmatch(text):
        text = text.replace(" ", "")
    return text


def decimal_comma(text: str) -> str:
    """``text`` read with a decimal comma when it is one number that is not in digit groups (``2,74`` -> ``2.74``)."""
    if "," not in text:
        return text
    m = _DECIMAL_COMMA.fullmatch(text)
    if m is None or _THREE_DIGIT_GROUPS.fullmatch(text):
        return text
    return f"{m.group(1)}.{m.group(2)}"


def _repeating(m: re.Match[str]) -> str:
    whole, fixed, cycle = m.group(1), m.group(2), m.group(3)
    fraction = Fraction(int(fixed + cycle) - int(fixed or "0"), 10 ** len(fixed) * (10 ** len(cycle) - 1))
    value = int(whole) + fraction
    return f"({value.numerator}/{value.denominator})"


def repeating_decimals(text: str) -> str:
    """``text`` with each repeating decimal (``0.\\overline{3}``) written as its exact fraction (``(1/3)``)."""
    return _REPEATING.sub(_repeating, text) if "\\overline" in text else text
