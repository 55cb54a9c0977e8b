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


def money_text(value: Fraction) -> str:
    """An amount of money as a person writes it: two places when it has cents (``46179/5`` -> ``9235.80``), a whole
    amount whole (``56``), and an amount finer than a cent (a discount of an exact price) as its exact decimal, since
    the answer is exact; ``str()`` of the fraction where the decimal does not terminate."""
    if value.denominator == 1:
        return str(value.numerator)
    if (value * 100).denominator == 1:
        cents = abs(value.numerator * (100 // value.denominator))
        return f"{'-' if value < 0 else ''}{cents // 100}.{cents % 100:02d}"
    return _terminating_decimal(value) or f"{value.numerator}/{value.denominator}"


def money_forms(answer: str) -> list[str]:
    """An answer that may be an amount of money: :func:`number_forms`, with the two-place form of an amount with
    cents after the answer's own text: ``"46179/5"`` -> ``["46179/5", "9235.80", "9235.8", "\\frac{46179}{5}"]``."""
    forms = number_forms(answer)
    m = _FRACTION.fullmatch(forms[0])
    if m is None:
        return forms
    sign, p, q = m.groups()
    money = money_text(Fraction(int(sign + p), int(q)))
    return forms if money in forms else [forms[0], money, *forms[1:]]


# Plurals that are not the singular plus "s" or "es".
_IRREGULAR = {"loaves": "loaf", "people": "person", "feet": "foot", "inches": "inch", "children": "child"}


def _singular_word(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def unit_for(value: Fraction | int, unit: str) -> str:
    """``unit`` (a plural: ``"meters"``, ``"loaves of bread"``, ``"square meters"``) as it reads after ``value``:
    singular for exactly 1 (``1 meter``, ``1 loaf of bread``), else unchanged (``0.5 meters``, ``2 meters``)."""
    if value != 1 or not unit:
        return unit
    head, of, tail = unit.partition(" of ")
    words = head.split(" ")
    words[-1] = _singular_word(words[-1])
    return " ".join(words) + (of + tail if of else "")
