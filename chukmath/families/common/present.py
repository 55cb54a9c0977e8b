"""How exact answers are written by a person: the ``present`` functions the families share.

Each returns the answer's own text first (sympy's ``str()``, which the verifier always accepts), then the other
forms a person would write for the same value. tests/test_families_present.py holds every form of every family
against the verifier.
"""

from __future__ import annotations

import re
from fractions import Fraction

_FRACTION = re.compile(r"(-?)(\d+)/(\d+)")
_INTEGER = re.compile(r"-?\d+")


def _terminating_decimal(value: Fraction) -> str | None:
    """``0.75`` for 3/4; None when the decimal does not terminate."""
    den = value.denominator
    places = 0
    while den % 10 == 0:
        den //= 10
        places += 1
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return None
    places += max(twos, fives)
    scaled = abs(value) * 10**places
    digits = str(scaled.numerator).rjust(places + 1, "0")
    text = f"{digits[:-places]}.{digits[-places:]}" if places else digits
    return ("-" if value < 0 else "") + text


def number_forms(answer: str) -> list[str]:
    """A rational answer: ``"3/4"`` -> ``["3/4", "0.75", "\\frac{3}{4}"]``, ``"-5"`` -> ``["-5"]``; the
    decimal only where it terminates. Anything else is returned as it is."""
    text = answer.strip()
    if _INTEGER.fullmatch(text):
        return [text]
    m = _FRACTION.fullmatch(text)
    if not m:
        return [text]
    sign, p, q = m.groups()
    forms = [text]
    decimal = _terminating_decimal(Fraction(int(sign + p), int(q)))
    if decimal is not None:
        forms.append(decimal)
    forms.append(f"{sign}\\frac{{{p}}}{{{q}}}")
    return forms


def solution_forms(answer: str, variable: str = "x") -> list[str]:
    """The value of one unknown: ``"-7/2"`` -> ``["-7/2", "x = -7/2", "-3.5", "-\\frac{7}{2}"]``."""
    forms = number_forms(answer)
    return [forms[0], f"{variable} = {forms[0]}", *forms[1:]]


def mapping_forms(answer: str) -> list[str]:
    """Values of several unknowns: ``"{x: 3, y: -1/2}"`` -> ``["{x: 3, y: -1/2}", "x = 3, y = -1/2"]``."""
    text = answer.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return [text]
    pairs = [part.split(":", 1) for part in text[1:-1].split(",")]
    if any(len(pair) != 2 for pair in pairs):
        return [text]
    return [text, ", ".join(f"{name.strip()} = {value.strip()}" for name, value in pairs)]


def expression_forms(answer: str) -> list[str]:
    """A symbolic answer, and as written by hand: ``"9*x**2"`` -> ``["9*x**2", "9*x^2"]``; a number as
    :func:`number_forms`."""
    text = answer.strip()
    if "**" not in text:
        return number_forms(text)
    return [text, text.replace("**", "^")]
