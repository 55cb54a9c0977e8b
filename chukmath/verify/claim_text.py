"""The text a step claim is read from: teacher lines brought to the ASCII arithmetic the claim rules understand.

Three steps, each only where its trigger text occurs, so a plain ASCII line costs a few ``in`` tests:

- :func:`fold` (non-ASCII lines only): zero-width characters out (``1`` U+200B ``2`` is 12), superscript and
  subscript digits made explicit (``2³`` is ``2^3``; ``x₂`` stays glued to its letter), vulgar fractions as brackets
  (``1½`` is ``(1+1/2)``, never the ``11/2`` NFKC would make), NFKC (full-width ``１２ ＋ ３ ＝ １５``), and the
  operator look-alikes (``∗ ⋅ · ✕ ⁄ ∕ –``) as ASCII. A dash between words stays a dash: ``= 9 – so`` must not
  turn the claim's right side into ``9 -`` (a side ending in an operator is no value, and the claim would vanish).
- :func:`strip_marker`: a list marker at the start of a line (``b)``, ``(b)``, ``2)``, ``(2)``, ``iv.``, ``1.``,
  ``-``, ``*``, ``•``), which would otherwise glue itself to the first side of the claim (``2) 5 + 3`` parses as
  nothing, ``- 5 + 3`` as -2).
- :func:`normalize`: LaTeX (``\\frac``, ``\\times``, ``\\sqrt``, ``$``), Markdown bold, and a unit in parentheses
  after a number (``12 (m) + 3 (m) = 15 (m)``).
"""

from __future__ import annotations

import re
import unicodedata

from chukmath.verify.mixed import rewrite_mixed

_SUPER = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUB = "₀₁₂₃₄₅₆₇₈₉"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_VULGAR = "¼½¾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞↉"
_DASHES = "–‐‑‒﹣"  # look like a minus; only read as one before a number (see _DASH_MINUS)

# One translate: zero-width characters deleted, and characters that mean one ASCII operator (or a circled list
# number, which NFKC would make a bare digit that glues onto the claim) mapped to it.
_FOLD_TABLE = str.maketrans(
    {c: None for c in _ZERO_WIDTH}
    | dict.fromkeys("×∗⋅·✕✖⨯∙", "*")
    | dict.fromkeys("÷∕⁄➗", "/")
    | dict.fromkeys("−➖", "-")
    | {"➕": "+"}
    | {chr(0x2460 + i): f"({i + 1}) " for i in range(20)}  # ① .. ⑳
)
_COMMON_OPS = (("×", "*"), ("÷", "/"), ("−", "-"))
_SPECIAL = frozenset(_SUPER + _SUB + "⁺⁻" + _VULGAR + _DASHES)
_SUPER_RUN = re.compile(f"[⁺⁻]?[{_SUPER}]+")
_SUB_RUN = re.compile(f"[{_SUB}]+")
_VULGAR_RUN = re.compile(f"(?:(\\d+)[ \u00a0]?)?([{_VULGAR}])")  # "1½" and "1 ½" are both 1.5
_DASH_MINUS = re.compile(f"[{_DASHES}](?=\\s*[\\d(\\[{{.√])")
_TO_ASCII_DIGITS = str.maketrans(_SUPER + _SUB + "⁺⁻", "0123456789" * 2 + "+-")


def _vulgar(m: re.Match[str]) -> str:
    num, _, den = unicodedata.normalize("NFKC", m.group(2)).partition("⁄")
    return f"({m.group(1)}+{num}/{den})" if m.group(1) else f"({num}/{den})"


def fold(line: str) -> str:
    """``line`` with Unicode digits, operators and invisible characters as the ASCII the claim rules read.

    Call it only for non-ASCII lines (``line.isascii()`` is the cheap gate).
    """
    # The usual non-ASCII line holds only these. str.translate with a dict costs ~15 µs even on a short line,
    # str.replace well under 1 µs, so the common three go first and the table only sees what is left.
    for old, new in _COMMON_OPS:
        if old in line:
            line = line.replace(old, new)
    if line.isascii():
        return line
    line = line.translate(_FOLD_TABLE)
    if not _SPECIAL.isdisjoint(line):
        # before NFKC, which would turn "2³" into "23", "x₂" into "x2" and "1½" into "11⁄2"
        line = _SUPER_RUN.sub(lambda m: "^" + m.group().translate(_TO_ASCII_DIGITS), line)
        line = _SUB_RUN.sub(lambda m: "_" + m.group().translate(_TO_ASCII_DIGITS), line)
        line = _VULGAR_RUN.sub(_vulgar, line)
        line = _DASH_MINUS.sub("-", line)
    if not unicodedata.is_normalized("NFKC", line):
        line = unicodedata.normalize("NFKC", line).translate(_FOLD_TABLE)
    return line


# A list marker is followed by a space and then what can start a claim. "(2)" and "1." could also be arithmetic
# ("(2) 5" is a product to the grammar); the caller reads such a line both ways and keeps the reading that holds.
_MARKER = re.compile(
    r"\s*(?:[-*•]|\(?(?:[A-Za-z]|\d{1,3}|[ivxIVX]{2,5})\)|(?:\d{1,3}|[A-Za-z]|[ivxIVX]{2,5})\.)\s+(?=[\d(\[{.√$\\-])"
)


def strip_marker(line: str) -> str:
    """``line`` without a leading list marker (``b) 5 + 3 = 8`` is ``5 + 3 = 8``); the same object when it has none."""
    m = _MARKER.match(line)
    return line if m is None else line[m.end() :]


_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_FRAC_SHORT = re.compile(r"\\[dt]?frac\s*(\d)\s*(\d)")
_ROOT_BRACES = re.compile(r"√\{([^{}]*)\}")
# spacing, sizing and the math delimiters \( \) \[ \] (which must not be read as brackets)
_SPACING = re.compile(r"\\(?:left|right|quad|qquad|big|Big|bigl|bigr)(?![a-zA-Z])|\\[,;:! ()\[\]]|\\?\$")
REPLACE = (
    ("\\times", "*"), ("\\cdot", "*"), ("\\div", "/"), ("×", "*"), ("·", "*"), ("⋅", "*"), ("∗", "*"),
    ("÷", "/"), ("−", "-"), ("²", "^2"), ("³", "^3"), ("\\bmod", " mod "), ("\\mod", " mod "), ("\\sqrt", "√"),
)  # fmt: skip
_BOLD = re.compile(r"(?:^|(?<=\s))\*\*(?=\S)|(?<=\S)\*\*(?=\s|$|[.,;:!?])")
# "12 (m)", "3 (km/h)", "9 (cm^2)": a unit word in brackets after a number and a space. Single letters only when
# they are units, not the algebra's variables: "3 (x) + 2 = 11" is an equation, not a false claim.
_UNIT = re.compile(
    r"(?<=\d)\s+\(\s*(?:[A-Za-z]{2,}|[mgslhdLNJWVAKC](?![A-Za-z]))(?:[A-Za-z/. ]|\^-?\d){0,14}\)(?![\w(])"
)
_UNIT_GATE = re.compile(r"\(\s*[A-Za-z]")

# The single-character entries of REPLACE: without a backslash in the line none of the others can match (and no
# replacement makes one), and these are independent of each other, so their order does not matter. Replaced one
# by one behind an ``in`` test: str.translate with a dict table costs ~15 µs a line, this well under 1 µs.
_UNICODE_OPS = tuple((old, new) for old, new in REPLACE if not old.startswith("\\"))


def normalize(line: str) -> str:
    """LaTeX, Markdown bold and bracketed units out of a (folded) line, so the claim rules see plain arithmetic."""
    if "\\" in line:
        for old, new in REPLACE:
            line = line.replace(old, new)
    elif not line.isascii():
        for old, new in _UNICODE_OPS:
            if old in line:
                line = line.replace(old, new)
    # The regex passes below only ever change lines holding their trigger text; skip them otherwise.
    if "√{" in line:  # \sqrt{..} as √(..), so a root inside \frac{..}{..} leaves its braces flat
        line = _ROOT_BRACES.sub(r"√(\1)", line)
    if "frac" in line:
        line = rewrite_mixed(line)  # 2\frac{1}{2} is 5/2, not 2 times 1/2 (chukmath.verify.mixed)
        line = _FRAC_SHORT.sub(r"((\1)/(\2))", line)
        for _ in range(3):  # innermost \frac first; three levels is plenty for arithmetic
            line = _FRAC.sub(r"((\1)/(\2))", line)
    if "\\" in line or "$" in line:
        line = _SPACING.sub(" ", line)
    if " (" in line and _UNIT_GATE.search(line):  # the gate is a literal-prefix scan, several times cheaper
        line = _UNIT.sub("", line)
    return _BOLD.sub(" ", line) if "**" in line else line
