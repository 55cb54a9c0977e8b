"""Percent answers: ``28%``, ``28\\%``, ``28 percent`` and what they equal.

The rule (README, "How answers are read"): a percent form is its number divided by 100, so ``28%`` equals
``7/25`` and ``0.28`` and never ``28`` — unless the problem asks for a percent ("What percent of ...?", "By what
percent ...", "as a percentage", "the percent change"), or the expected answer is itself written as a percent:
then the number of percent is the answer too, and ``28%`` and ``28`` both equal an expected ``28`` (or ``28%``).
"""

from __future__ import annotations

import re

# a trailing percent mark, after the number and any closing wrappers ("28\%", "$28\%$", "\boxed{28 \%}.")
_MARK = re.compile(r"\s*(?:\\%|%|\\text\{\s*\\?%\s*\}|\\(?:text|mbox)\{\s*per\s?cent\s*\}|per\s?cent)$", re.I)
_MARK_WINDOW = 40
_TRAILING = " \t\n.$}*"
# What asks for a number of percent; each pattern is a fixed phrase with single \s+ gaps (linear).
_ASKS = re.compile(
    r"\b(?:what|which)\s+(?:\w+\s+)?percent(?:age)?\b|\bas\s+a\s+percent(?:age)?\b|\bin\s+percent\b"
    r"|\bpercent(?:age)?\s+(?:change|increase|decrease|discount|error|markup|profit|loss|growth)\b"
    r"|\bthe\s+percent(?:age)?\s+of\b|\bhow\s+many\s+percent\b",
    re.IGNORECASE,
)
MAX_QUESTION = 20_000


def strip_percent(text: str) -> str | None:
    """``text`` without its one trailing percent mark (the wrappers after it kept), or None when it has none.

    Only the end of the text is looked at: a percent mark is read as the answer's unit only where it ends it.
    """
    end = len(text.rstrip(_TRAILING))
    # a mark is at most ~25 characters: the search starts near the end, so a long text costs nothing more
    m = _MARK.search(text, max(0, end - _MARK_WINDOW), end)
    if m is None:
        return None
    return text[: m.start()] + text[end:]


def has_percent(text: str) -> bool:
    """Whether ``text`` ends with a percent mark (``28%``, ``28\\%``, ``28 percent``)."""
    return strip_percent(text) is not None


def asks_percent(question: str) -> bool:
    """Whether ``question`` asks for a number of percent ("What percent of 80 is 20?")."""
    return bool(question) and len(question) <= MAX_QUESTION and _ASKS.search(question) is not None
