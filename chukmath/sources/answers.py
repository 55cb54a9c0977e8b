"""A dataset's answer text -> the exact answer string the pipeline uses (sympy ``str()``), read by the verifier.

Two steps, as in the verifier: first the final answer is taken out of the row's answer text by its format
(GSM8K's ``#### 72`` line, MATH's last ``\\boxed{...}``, or the whole text), then it is read by the verifier's
own extraction and bounded grammar (:mod:`chukmath.verify.extract`, :mod:`chukmath.verify.grammar`) and rebuilt as
a sympy value from that tree. sympy never sees the user's text, only numbers and symbols the grammar produced,
and only once the verifier's exact form showed the value is within its size caps.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Literal

from chukmath.errors import AnswerFailure
from chukmath.verify.answers import CORRECT, judge_answer, parse_expected, to_value
from chukmath.verify.extract import extract_items
from chukmath.verify.grammar import Add, Div, Func, Mul, Neg, Node, Num, Pow, Sym
from chukmath.verify.numbers import parse_plain

AnswerFormat = Literal["auto", "gsm8k", "boxed", "plain"]
ANSWER_FORMATS: tuple[str, ...] = ("auto", "gsm8k", "boxed", "plain")

_GSM8K = re.compile(r"####\s*(.*?)\s*$", re.DOTALL)
_BOX = re.compile(r"\\(?:boxed|fbox)\s*\{")
# Answers that are no value: an inequality (whose "x >= 3" the verifier's chain rule would read as 3), or an
# interval, tuple or list ("[1, 2]" is not the set {1, 2}). The verifier compares numbers, expressions, {a, b}
# sets and {x: 3} solutions only.
_RELATION = re.compile(r"[<>≤≥≠]|\\(?:le|ge|leq|geq|lt|gt|neq|ne|cup|cap|in)(?![a-zA-Z])")
# A plain number, with thousands commas or not (most GSM8K answers): read without extraction, grammar or sympy.
_PLAIN_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
MAX_ANSWER_CHARS = 4000  # the verifier reads no longer candidate (chukmath.verify.extract.MAX_CANDIDATE)


def final_answer(text: str, answer_format: str = "auto") -> str:
    """The final answer inside a dataset's answer text: after GSM8K's last ``####``, inside MATH's last
    ``\\boxed{}``, or the text itself (``plain``). ``auto`` picks by what the text holds."""
    if answer_format == "auto":
        answer_format = "gsm8k" if "####" in text else "boxed" if _BOX.search(text) else "plain"
    if answer_format == "gsm8k":
        found = _GSM8K.search(text[text.rfind("####") :]) if "####" in text else None
        if found is None or not found.group(1):
            raise AnswerFailure("no '#### <answer>' line (GSM8K format)")
        return found.group(1)
    if answer_format == "boxed":
        boxed = last_boxed(text)
        if boxed is None:
            raise AnswerFailure("no \\boxed{...} answer (MATH format)")
        return boxed
    if answer_format != "plain":
        raise AnswerFailure(f"unknown answer format {answer_format!r}; use {', '.join(ANSWER_FORMATS)}")
    return text.strip()


def last_boxed(text: str) -> str | None:
    """The brace-matched content of the last ``\\boxed{...}`` (or ``\\fbox{...}``); None without one."""
    starts = [m.end() for m in _BOX.finditer(text)]
    if not starts:
        return None
    depth, begin = 1, starts[-1]
    for i in range(begin, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[begin:i].strip() or None
    return None


def exact_answer(text: str, answer_format: str = "auto") -> str:
    """The pipeline's exact answer string for a dataset's answer text (``"#### 1,200"`` -> ``1200``,
    ``\\boxed{\\frac{3}{4}}`` -> ``3/4``, ``x = 2 or x = -3`` -> ``{-3, 2}``); AnswerFailure when it cannot be read."""
    final = final_answer(text, answer_format)
    if len(final) <= 200 and _PLAIN_NUMBER.fullmatch(final):
        plain = parse_plain(final.replace(",", ""))
        if plain is not None:
            return str(plain)  # a Fraction's str() is sympy's for a Rational: 72, -7/2, 1/4
    if _RELATION.search(final):
        raise AnswerFailure(f"{_short(final)!r} is a relation (an inequality or a set operation), not a value")
    if len(final) > MAX_ANSWER_CHARS:
        raise AnswerFailure(f"the final answer is longer than {MAX_ANSWER_CHARS:,} characters")
    bare = final.replace("$", "").strip().removeprefix("\\left").strip()
    if bare[:1] in ("[", "(") and bare[-1:] in ("]", ")") and "," in bare:
        raise AnswerFailure(f"{_short(final)!r} is an interval, tuple or list; write a set as {{a, b}}")
    items = extract_items(final, scalar=True, numeric=False)
    if not items:
        raise AnswerFailure(f"cannot read an answer value from {_short(final)!r}")
    values = []
    for item in items:
        value = _sympy_of(item.text)
        if value is None:
            raise AnswerFailure(f"cannot read {_short(item.text)!r} as an exact value")
        values.append((item.name, value))
    names = [n for n, _ in values]
    if len(values) == 1:  # "x = 7/2" is the value 7/2, as the linear_equation family writes it
        shown = str(values[0][1])
    elif all(names) and len(set(names)) == len(names):
        shown = "{" + ", ".join(f"{n}: {v}" for n, v in sorted(values, key=lambda nv: str(nv[0]))) + "}"
    else:
        import sympy

        shown = str(sympy.FiniteSet(*(v for _, v in values)))
    # What the verifier reads back must be the value just read: otherwise no answer could ever be judged right.
    if parse_expected(shown) is None or judge_answer(final, shown) != CORRECT:
        raise AnswerFailure(f"{_short(final)!r} read as {_short(shown)!r}, which the verifier does not match back")
    return shown


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sympy_of(text: str) -> Any:
    value = to_value(text)
    if value is None or value.form is None:  # unparseable, or past the exact form's size caps
        return None
    if value.rational is not None:
        import sympy

        r: Fraction = value.rational
        return sympy.Rational(r.numerator, r.denominator)
    try:
        return _build(value.node)
    except (KeyError, ValueError, TypeError, ZeroDivisionError):
        return None


_CONSTANTS = {"pi": "pi", "E": "E", "I": "I", "oo": "oo"}
_FUNCS = {"abs": "Abs", "sqrt": "sqrt", "log": "log", "exp": "exp"}


def _build(node: Node) -> Any:
    """The sympy value of a grammar tree (numbers, symbols, + - * / ^ and the grammar's named functions)."""
    import sympy

    if isinstance(node, Num):
        return sympy.Rational(node.value.numerator, node.value.denominator)
    if isinstance(node, Sym):
        if node.name in _CONSTANTS:
            return getattr(sympy, _CONSTANTS[node.name])
        return sympy.Symbol(node.name.replace("{", "").replace("}", ""))
    if isinstance(node, Add):
        return sympy.Add(*(_build(a) for a in node.args))
    if isinstance(node, Mul):
        return sympy.Mul(*(_build(a) for a in node.args))
    if isinstance(node, Div):
        den = _build(node.den)
        if den == 0:
            raise ZeroDivisionError
        return _build(node.num) / den
    if isinstance(node, Pow):
        return sympy.Pow(_build(node.base), _build(node.exp))
    if isinstance(node, Neg):
        return -_build(node.arg)
    if isinstance(node, Func):
        function = getattr(sympy, _FUNCS.get(node.name, node.name))
        return function(*(_build(a) for a in node.args))
    raise TypeError(type(node).__name__)


__all__ = ["ANSWER_FORMATS", "AnswerFailure", "AnswerFormat", "exact_answer", "final_answer", "last_boxed"]
