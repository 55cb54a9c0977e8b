"""Mixed numbers: ``2 1/2``, ``2\\frac{1}{2}``, ``2\\tfrac12``, ``-3 3/4`` and ``2½`` are whole numbers plus a proper
fraction, never products.

:func:`rewrite_mixed` turns each into its improper fraction (``5/2``) before an answer is read, so ``2\\frac{1}{2}``
is 5/2 (the grammar alone would read 2 times 1/2) and ``2 1/2`` is a value at all. Only a proper fraction
(numerator below denominator, denominator above 1) right after a whole number counts; ``2 3/2`` or ``x 1/2`` stay as
written. One regex pass, linear in the text.
"""

from __future__ import annotations

import re
import unicodedata

_VULGAR = "¼½¾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
_MIXED = re.compile(
    r"(?<![\w.,/^\\}])([+\-−]?)(\d{1,9})"
    r"(?:[ \t]+(\d{1,9})[ \t]*/[ \t]*(\d{1,9})"  # 2 1/2
    r"|[ \t]*\\[dt]?frac[ \t]*(?:\{[ \t]*(\d{1,9})[ \t]*\}[ \t]*\{[ \t]*(\d{1,9})[ \t]*\}|(\d)(\d))"  # 2\frac{1}{2}
    rf"|[ \t]?([{_VULGAR}]))"  # 2½
    r"(?![\w/]|\.\d|\^(?![ \t]*\{?[ \t]*\\circ)|[ \t]*/)"  # not 2 1/2.5, 2 1/2^3, 2 1/2/3
)


def _replace(m: re.Match[str]) -> str:
    sign, whole = m.group(1), int(m.group(2))
    if m.group(9):
        top, _, bottom = unicodedata.normalize("NFKC", m.group(9)).partition("⁄")
    else:
        top = m.group(3) or m.group(5) or m.group(7)
        bottom = m.group(4) or m.group(6) or m.group(8)
    p, q = int(top), int(bottom)
    if not 0 < p < q:
        return m.group(0)
    return f"{'-' if sign in ('-', '−') else sign}{whole * q + p}/{q}"


def has_mixed(text: str) -> bool:
    """Whether ``text`` holds a mixed number (a cheap test before :func:`rewrite_mixed`)."""
    return _MIXED.search(text) is not None


def rewrite_mixed(text: str) -> str:
    """``text`` with every mixed number written as an improper fraction (``2 1/2`` -> ``5/2``); the same object
    when it has none (a plain number or word answer costs two ``in`` tests)."""
    if "/" not in text and "frac" not in text and text.isascii():
        return text
    return _MIXED.sub(_replace, text)
