"""Units written after an answer ("12 cm²", "3 km/h", "25 °C", "40%"), found by scanning back from the end.

These were regular expressions searched over the whole answer. The word-unit one let a run of letters split into
units in exponentially many ways (``(?:[a-zA-Z]{2,}\\s*)+$``), so a prose answer that did not end like a unit
("... and nothing is left over?") took minutes; the marker one retried from every position, quadratic in the
length. Here each tail is read once, right to left, by a small automaton over the reversed unit grammar, so the
work is linear in the answer and never depends on how the text fails to be a unit.
"""

from __future__ import annotations

import re

# Words that are math, not units: a tail holding one of them is kept ("5 sin", "3 or 4").
KEEP_WORDS = frozenset(
    {"sin", "cos", "tan", "cot", "sec", "csc", "log", "ln", "exp", "sqrt", "pi", "arcsin", "arccos", "arctan",
     "asin", "acos", "atan", "sinh", "cosh", "tanh", "abs", "oo", "or", "and"}
)  # fmt: skip
# Single letters that are common SI units. x, y, z, e, i, n, k, t and the other usual variable names are never
# taken for units, so "5 x" stays the product 5x.
UNIT_LETTERS = frozenset("msghlLKNJWVACF")
_LETTERS = re.compile(r"[a-zA-Z]+")
_WORD_BEFORE = frozenset(")}.")  # besides digits and spaces, what a word unit may follow (its number's end)


def _is_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _may_precede_unit(ch: str) -> bool:
    return ch.isdecimal() or ch.isspace() or ch in _WORD_BEFORE


def _keeps_math(tail: str) -> bool:
    return any(w.lower() in KEEP_WORDS for w in _LETTERS.findall(tail))


# --- "%", "°", "\circ", "^{\circ}", "\degree", "\%" at the very end --------------------------------------------


def _marker_start(text: str, end: int) -> int:
    """Start of the one degree/percent marker ending at ``end``, or -1."""
    for marker in ("\\%", "%", "°", "\\degree"):
        if text.endswith(marker, 0, end):
            return end - len(marker)
    closed = end - 1 if text.endswith("}", 0, end) else end
    if not text.endswith("\\circ", 0, closed):
        return -1
    start = closed - len("\\circ")
    # "^ {\circ}" and "^\circ" are one marker; a bare "\circ" is one too, but "\circ}" needs its "^{"
    i = start - 1 if start > 0 and text[start - 1] == "{" else start
    j = i
    while j > 0 and text[j - 1].isspace():
        j -= 1
    if j > 0 and text[j - 1] == "^":
        return j - 1
    return start if closed == end else -1


def _strip_markers(text: str) -> str | None:
    """``text`` without its trailing run of degree/percent markers, or None when it does not end with one."""
    end = len(text)
    found = False
    while True:
        stop = end
        while stop > 0 and text[stop - 1].isspace():
            stop -= 1
        start = _marker_start(text, stop)
        if start < 0:
            break
        found, end = True, start
    return text[:end].rstrip() if found else None


# --- word units: "dollars", "cm^2", "km / h", "sq. ft" --------------------------------------------------------
# The tail read forward is a run of units, each   word(2+ letters) power? ("/" letters)? "."? spaces   where power
# is  ^? {? [23] }?  or ² or ³. Read backward, a unit is   spaces "."? (letters spaces "/" spaces)? power? word,
# which the states below follow; WORD2 (two letters of a word read) is where a unit is complete.
_ITEM, _DOT, _DEN, _DEN_SPACE, _SLASH, _POW_CLOSE, _POW_DIGIT, _POW_BRACE, _POW_DONE, _WORD1, _WORD2 = range(11)


def _power_or_word(ch: str) -> tuple[int, ...]:
    """States after ``ch`` where a power or the word may begin (right after the item's optional parts)."""
    if ch in "23":
        return (_POW_DIGIT,)
    if ch == "}":
        return (_POW_CLOSE,)
    if ch in "²³":
        return (_POW_DONE,)
    return (_WORD1,) if _is_letter(ch) else ()


def _step(state: int, ch: str) -> tuple[int, ...]:
    """The states reached from ``state`` by reading ``ch`` (backward)."""
    if state in (_ITEM, _WORD2):
        if ch.isspace():
            return (_ITEM,)
        if ch == ".":
            return (_DOT,)
        if _is_letter(ch):
            # a letter right after a finished word continues it; any letter may also start a denominator
            return (_WORD2, _DEN) if state == _WORD2 else (_DEN, _WORD1)
        return _power_or_word(ch)
    if state == _DOT:
        return (_DEN, _WORD1) if _is_letter(ch) else _power_or_word(ch)
    if state in (_DEN, _DEN_SPACE):
        if ch == "/":
            return (_SLASH,)
        if ch.isspace():
            return (_DEN_SPACE,)
        return (_DEN,) if state == _DEN and _is_letter(ch) else ()
    if state == _SLASH:
        return (_SLASH,) if ch.isspace() else _power_or_word(ch)
    if state == _POW_CLOSE:
        return (_POW_DIGIT,) if ch in "23" else ()
    if state == _POW_DIGIT:
        if ch == "{":
            return (_POW_BRACE,)
        if ch == "^":
            return (_POW_DONE,)
        return (_WORD1,) if _is_letter(ch) else ()
    if state == _POW_BRACE:
        if ch == "^":
            return (_POW_DONE,)
        return (_WORD1,) if _is_letter(ch) else ()
    if state == _POW_DONE:
        return (_WORD1,) if _is_letter(ch) else ()
    if state == _WORD1:
        return (_WORD2,) if _is_letter(ch) else ()
    return ()


def _word_units_start(text: str) -> int:
    """Where the longest tail of word units starts (after a digit, space, ``}``, ``)`` or ``.``), or -1.

    Reads ``text`` once from the end; the state set has at most 11 members, so the work is linear.
    """
    states: set[int] = {_ITEM}
    best = -1
    i = len(text)
    while i > 0 and states:
        i -= 1
        ch = text[i]
        states = {nxt for state in states for nxt in _step(state, ch)}
        if _WORD2 in states and i > 0 and _may_precede_unit(text[i - 1]):
            best = i
    return best


def strip_units(text: str) -> str:
    """``text`` without trailing units made of words or markers ("27 dollars", "40%", "90^{\\circ}").

    A tail that holds a math word ("sin", "or") is kept whole.
    """
    marked = _strip_markers(text)
    if marked is not None:
        return marked
    start = _word_units_start(text)
    if start < 0 or _keeps_math(text[start:]):
        return text
    return text[:start].rstrip()


# --- one unit, single letters allowed: "5 m", "9.8 m/s^2", "25 °C" (only when a number is expected) ----------
_UNIT_WORD = r"(?:[msghlLKNJWVACF]|[a-zA-Z]{2,})(?:\s*(?:\^\s*\{?-?[0-9]\}?|[²³]))?"
# One unit, not a run of them, right after a number's end: every start is a digit, ")", "}" or "." and each one's
# attempt reads at most the letters and spaces up to the next digit or symbol, so the search stays linear.
_LETTER_UNIT_TAIL = re.compile(
    rf"(?<=[\d}}).])\s*(?:(?:°|\\circ|\^\s*\{{?\\circ\}}?)\s*[CFK]|{_UNIT_WORD}(?:\s*/\s*{_UNIT_WORD})?)\.?\s*$"
)


def strip_letter_units(text: str) -> str:
    """``text`` without one trailing unit that may be a single SI letter ("5 m", "3 m/s"); for numeric answers."""
    m = _LETTER_UNIT_TAIL.search(text)
    if m is None or _keeps_math(m.group(0)):
        return text
    return text[: m.start()].rstrip()
