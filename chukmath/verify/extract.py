"""Extraction: from what a teacher wrote to a list of answer items, before any math is parsed.

Strips the wrappers models put around answers (``\\boxed{}``, ``$...$``, markdown bold, code fences, "The answer
is", a trailing period, units, ``\\text{}``), then splits a candidate into items at top-level separators (commas,
``or``, ``and``, semicolons) and peels ``x =`` / ``x_1 =`` names off each item, expanding ``±``. Extraction is
separate from comparison, in the spirit of Math-Verify: every step is a bounded regex or a linear scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chukmath.verify.numformat import decimal_comma, join_digit_groups, repeating_decimals, strip_currency
from chukmath.verify.units import strip_letter_units, strip_units

MAX_CANDIDATE = 4000
MAX_ITEMS = 32


@dataclass(frozen=True, slots=True)
class Item:
    """One answer value: ``name`` when written as ``x = ...`` (or ``x: ...``), and the expression text."""

    name: str | None
    text: str


_FENCE = re.compile(r"```[a-zA-Z0-9_-]*")
_PREFIX = re.compile(
    # "\s*(?:,\s*)?", not "\s*,?\s*": two adjacent \s* split a run of spaces n ways, quadratic when the rest fails
    r"^(?:(?:so|thus|therefore|hence)\s*(?:,\s*)?)?(?:the\s+)?(?:final\s+)?(?:answer|result|solution)s?\s*"
    r"(?:is|are|:|=)?\s*:?\s*",
    re.IGNORECASE,
)
_BOLD_OPEN = re.compile(r"(?:^|(?<=\s))(?:\*\*|__)(?=\S)")
_BOLD_CLOSE = re.compile(r"(?<=\S)(?:\*\*|__)(?=\s|$|[.,;:!])")
_TEXT_CMD = re.compile(
    r"\\(?:text|textrm|textit|textbf|textnormal|textup|textsf|texttt|mathrm|mathbf|mathit|mathsf|mathtt|mbox|hbox|"
    r"operatorname)\s*\{([^{}]{0,200})\}"
)
_CONNECTIVE = re.compile(r"\\(?:lor|vee|quad|qquad)(?![a-zA-Z])|\\\\|&|;|\s(?:or|and)\s", re.IGNORECASE)
_EMPTY = re.compile(r"^(?:\\emptyset|\\varnothing|∅|\{\s*\}|\\\{\s*\\\}|no\s+(?:real\s+)?solutions?)$", re.I)
_NAMED = re.compile(r"^([a-zA-Z](?:_\{?[a-zA-Z0-9]{1,3}\}?)?)\s*(?:=|:|\\approx|≈)\s*(.+)$", re.DOTALL)
_TUPLE_EQ = re.compile(r"^\(\s*([a-zA-Z](?:\s*,\s*[a-zA-Z])+)\s*\)\s*=\s*(.+)$", re.DOTALL)
_MEMBER = re.compile(r"^[a-zA-Z]\s*(?:\\in(?![a-zA-Z])|∈)\s*")
# "12\\,\\text{cm}": a LaTeX space that is not between two digits (there it may group them: 1\\,000) is a space
_LATEX_GAP = re.compile(r"\\[,;: ](?!\d)|(?<!\d)\\[,;: ]")
_APPROX = re.compile(r"\\approx(?![a-zA-Z])|≈")
_LATEX_SPACE = re.compile(r"(?<!\\)\\[,;:!]")  # \, \; \: \! are spacing, not separators ("\\" is a line break)
# The two answer shapes the built-in teacher (and many models) write, "The answer is -3/4." and "x = 7", with a
# plain integer or fraction: every wrapper rule of ``clean`` and every splitting rule of ``extract_items`` leaves
# them as exactly one item (no bracket, separator, unit letter, thousands comma or ± can occur in them), so they
# skip the general pass. Anything else, even one extra space, takes the general path.
_SIMPLE_PREFIXED = re.compile(r"The answer is (-?[0-9]{1,200}(?:/[0-9]{1,200})?)\.")
_SIMPLE_NAMED = re.compile(r"([a-zA-Z]) = (-?[0-9]{1,200}(?:/[0-9]{1,200})?)")
_BOX_OPEN = re.compile(r"\\(?:boxed|fbox)\s*\{")
_BRACE = re.compile(r"[{}]")


def _boxed(text: str) -> list[str]:
    """Contents of every innermost ``\\boxed{...}`` / ``\\fbox{...}`` (brace-matched), in order.

    One pass with a stack of open braces: matching each box on its own rescans the rest of the text per box,
    quadratic for nested or unclosed boxes. A box holding another box gives only the inner one, so the contents
    add up to at most the text (all levels of 500 nested boxes would be a quarter-million characters).
    """
    opens = {m.end() - 1: m.end() for m in _BOX_OPEN.finditer(text)}  # "{" of a box -> where its content starts
    if not opens:
        return []
    found: list[tuple[int, int]] = []
    stack: list[tuple[int, bool]] = []  # (content start or -1 for a plain brace, holds a box)
    for m in _BRACE.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "{":
            start = opens.get(i, -1)
            if start >= 0 and stack:
                stack[-1] = (stack[-1][0], True)
            stack.append((start, False))
        elif stack:
            start, holds_box = stack.pop()
            if holds_box and stack:
                stack[-1] = (stack[-1][0], True)
            if start >= 0 and not holds_box:
                found.append((start, i))
    return [text[start:end] for start, end in sorted(found)]


def clean(text: str, *, numeric: bool = False) -> str:
    """Remove the wrappers around a single answer; leaves the math (and separators) alone.

    ``numeric`` says the expected answer is a number, so single-letter units (``5 m``) are stripped too.
    """
    text = _FENCE.sub(" ", text).replace("`", " ")
    if "\\" in text:
        text = _LATEX_GAP.sub(" ", text)
    boxed = _boxed(text)
    if boxed:
        text = ", ".join(dict.fromkeys(b.strip() for b in boxed))
    text = strip_currency(text.replace("\\$", " ").replace("$", " "))
    for delim in ("\\[", "\\]", "\\(", "\\)", "\\displaystyle"):
        text = text.replace(delim, " ")
    text = text.strip()
    for _ in range(4):  # wrappers nest: "**The answer is $110$.**"
        before = text
        text = _BOLD_CLOSE.sub("", _BOLD_OPEN.sub("", text)).strip()
        text = _PREFIX.sub("", text, count=1).strip()
        text = text.rstrip(".。!").strip()  # not re.sub("[.。!]+$"): that retries at every dot of a run
        text = _TEXT_CMD.sub(lambda m: " " + m.group(1) + " ", text).strip()
        text = strip_units(text)
        if numeric:
            text = strip_letter_units(text)
        if text == before:
            break
    return text


def _split_top(text: str, seps: re.Pattern[str]) -> list[str]:
    """Split at separators that are not inside (), [], {} or \\{ \\}."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0:
            if ch == ",":
                parts.append(text[start:i])
                start = i + 1
            else:
                m = seps.match(text, i)
                if m is not None and m.end() > i:
                    parts.append(text[start:i])
                    start = i = m.end()
                    continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _unwrap(text: str) -> tuple[str, bool]:
    """Drop one pair of outer set/tuple brackets; True when the content holds a top-level list."""
    for open_, close in (
        ("\\left\\{", "\\right\\}"), ("\\left(", "\\right)"), ("\\left[", "\\right]"),
        ("\\{", "\\}"), ("{", "}"), ("(", ")"), ("[", "]"),
    ):  # fmt: skip
        if text.startswith(open_) and text.endswith(close):
            inner = text[len(open_) : len(text) - len(close)]
            tuple_like = open_ in ("(", "[", "\\left(", "\\left[")
            if balanced(inner) and (not tuple_like or len(_split_top(inner, _CONNECTIVE)) > 1):
                return inner.strip(), True
    return text, False


def balanced(text: str) -> bool:
    """Every bracket of ``([{`` closed in order of depth (kinds are not matched: the readers check them)."""
    depth = 0
    for ch in text:
        depth += 1 if ch in "([{" else -1 if ch in ")]}" else 0
        if depth < 0:
            return False
    return depth == 0


def _expand_pm(item: Item) -> list[Item]:
    text = item.text.replace("\\pm", "±").replace("\\mp", "±").replace("+-", "±")
    if text.count("±") != 1:
        return [Item(item.name, text)]
    head, tail = text.split("±")
    return [Item(item.name, f"{head}+{tail}"), Item(item.name, f"{head}-{tail}")]


def simple_item(text: str) -> Item | None:
    """The one item of "The answer is -3/4." or "x = 7" (plain integer or fraction, exactly so spaced), else None.

    For such text this is all :func:`extract_items` returns (both shapes are far shorter than MAX_CANDIDATE).
    """
    m = _SIMPLE_PREFIXED.fullmatch(text)
    if m is not None:
        return Item(None, m.group(1))
    m = _SIMPLE_NAMED.fullmatch(text)
    return Item(m.group(1), m.group(2)) if m is not None else None


def extract_items(text: str, *, scalar: bool = True, numeric: bool = False) -> list[Item] | None:
    """The answer items in a candidate; [] for an explicit empty set; None when nothing usable is there.

    ``scalar`` says the expected answer is one value, which makes ``1,100`` a thousands-separated number
    instead of the list ``1, 100``; ``numeric`` that it is a number, so single-letter units are stripped.
    """
    if not text or len(text) > MAX_CANDIDATE:
        return None
    simple = simple_item(text)
    if simple is not None:
        return [simple]
    if _EMPTY.match(text.strip().rstrip(".")):
        return []  # before clean: its unit rule would read "real solutions" in "no real solutions" as units
    text = clean(text, numeric=numeric)
    if not text:
        return None
    if _EMPTY.match(text):
        return []
    text = repeating_decimals(text)
    if scalar:
        text = join_digit_groups(text)
        if numeric:
            text = decimal_comma(text)
    text = text.replace("{,}", ",")
    text = _LATEX_SPACE.sub(" ", text)
    m = _TUPLE_EQ.match(text)
    if m is not None:  # (x, y) = (3, 2)
        names = [n.strip() for n in m.group(1).split(",")]
        values = _split_top(_unwrap(m.group(2).strip())[0], _CONNECTIVE)
        if len(values) != len(names):
            return None
        return [Item(n, v) for n, v in zip(names, values, strict=True)]
    text = _MEMBER.sub("", text, count=1)  # "x \in \{-2, 1\}" names the set, not an element
    inner, _ = _unwrap(text)
    items: list[Item] = []
    for part in _split_top(inner, _CONNECTIVE):
        part = part.strip()
        named = _NAMED.match(part)
        name, expr = (named.group(1).replace("{", "").replace("}", ""), named.group(2)) if named else (None, part)
        # In a chain "6/8 = 3/4" the last member is the answer; in "\\sqrt{2} \\approx 1.414" the exact one is.
        exact = _APPROX.split(expr, maxsplit=1)
        before = exact[0].split("=")[-1].strip() if len(exact) > 1 else ""
        expr = before or re.split(r"=|\\approx|≈", expr)[-1].strip()
        if expr:
            items.extend(_expand_pm(Item(name, expr)))
        if len(items) > MAX_ITEMS:
            return None
    return items or None
