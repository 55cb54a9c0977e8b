"""The final answer of a whole solution: which part of a worked solution (prose and LaTeX) is its answer.

Rules, in priority order; the first that finds a non-empty span wins:

1. ``boxed`` — the last ``\\boxed{...}`` / ``\\fbox{...}``, with the boxes before it on the same line: one answer
   (a list boxed value by value; for one expected value, every box must hold it).
2. ``final_answer`` — the sentence after the last "final answer" ("Final Answer: The final answer is $34$. I hope
   it is correct." gives "The final answer is $34$", read below to "$34$").
3. ``answer`` — the sentence after the last "answer:", "answer is", "answer =" (or an "Answer" heading), or
   after GSM8K's ``####`` at the start of a line.
4. ``last_sentence`` — the last sentence of the last line (a display block ``$$...$$`` / ``\\[...\\]`` counts as
   one line, however many lines it spans).

The span of rules 2-4 is then read as a sentence: after the last " is " / " are " / " was " / " equals " outside
math (the first one for a list answer), when what follows holds a digit or math; else, where prose surrounds
math, its last math span (``$...$``, ``\\(...\\)``, ``\\[...\\]``; all of them for a list answer). Text with no
prose comes back as it was, so a bare answer (``x = 3``, ``\\{1, 2\\}``) is untouched.

Every step is a linear scan or a regex without nested repetition, so the work is linear in the input; text
longer than ``MAX_SOLUTION_CHARS`` (the parser's response cap) is not read at all, and of a text longer than
``MAX_READ_CHARS`` only the lines in its last ``MAX_READ_CHARS`` characters are.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from chukmath.verify.extract import MAX_CANDIDATE, balanced
from chukmath.verify.units import KEEP_WORDS

MAX_SOLUTION_CHARS = 200_000
MAX_COPULAS = 4
# Only the end of a longer solution is read: its answer is there, and every rule stays well under a millisecond.
MAX_READ_CHARS = 8_000
RULES = ("boxed", "final_answer", "answer", "last_sentence")

_BOX_OPEN = re.compile(r"\\(?:boxed|fbox)\s*\{")
# "answer:", "answer is", "Final Answer" as a heading, and GSM8K's "#### 42" at the start of a line
_PHRASE = re.compile(
    r"\b(final\s+)?answers?\b(?:\*\*|__)?[ \t]*(?:is\b|:|=|(?=\n)|$)|^####(?=[ \t])",
    re.IGNORECASE | re.MULTILINE,
)
_BRACE = re.compile(r"[{}]")
_BEGIN = re.compile(r"\\begin\{([a-zA-Z*]{1,20})\}")
_DELIMITER = re.compile(r"\$\$?|\\[(\[$]|\\begin\{")
_COPULA = re.compile(r"\s(?:is|are|was|were|equals)\s", re.IGNORECASE)
_PROSE_WORD = re.compile(r"(?<![\\A-Za-z{])[A-Za-z]{3,}")  # not a command, nor "{pmatrix}" after \\begin
# a sentence ends at ". " (or ! ?) before what may begin one: not "\\!" (a LaTeX space), "sq. ft" or "e.g. the"
_SENTENCE_END = re.compile(r"(?<!\\)[.!?](?=\s+[A-Z0-9$\\(\[*\"'])")
_CONNECTIVES = frozenset({"and"})  # "$x = 2$ and $x = 3$" is a list, not prose
_FENCE_LINE = re.compile(r"\s*```[\w-]*\s*")
_NOT_PROSE = _CONNECTIVES | KEEP_WORDS
_LEAD = " \t\r\n*_:="


@dataclass(frozen=True, slots=True)
class Extracted:
    """The answer span of a solution and the rule of ``RULES`` that found it."""

    text: str
    rule: str


def math_spans(text: str) -> list[tuple[int, int, int, int]]:
    """Every ``$$..$$``, ``$..$``, ``\\(..\\)``, ``\\[..\\]`` and ``\\begin{env}..\\end{env}`` as (start, end, inner
    start, inner end), in order.

    The delimiters are found in one regex pass and paired left to right; each closer is looked for from its opener
    on and the pairing never goes back, so the work is linear. ``\\$`` is a dollar sign, not a delimiter; an
    unclosed ``$`` or bracket ends the scan, an unclosed environment is skipped.
    """
    tokens = [(m.start(), m.group()) for m in _DELIMITER.finditer(text)]
    spans: list[tuple[int, int, int, int]] = []
    unclosed: set[str] = set()  # environments with no \end after some \begin: never searched for again
    k, n = 0, len(tokens)
    while k < n:
        i, token = tokens[k]
        k += 1
        if token == "\\$":
            continue
        if token[0] == "$":
            while k < n and tokens[k][1] != token:
                k += 1
            if k == n:
                break
            j = tokens[k][0]
            spans.append((i, j + len(token), i + len(token), j))
            k += 1
            continue
        if token == "\\begin{":
            env = _BEGIN.match(text, i)
            if env is None or env.group(1) in unclosed:
                continue
            close = f"\\end{{{env.group(1)}}}"
            j = text.find(close, env.end())
            if j < 0:
                unclosed.add(env.group(1))
                continue
            end, inner = j + len(close), (i, j + len(close))  # a matrix keeps its \begin and \end
        else:
            close = "\\)" if token == "\\(" else "\\]"
            j = text.find(close, i + 2)
            if j < 0:
                break
            end, inner = j + 2, (i + 2, j)
        spans.append((i, end, *inner))
        while k < n and tokens[k][0] < end:
            k += 1
    return spans


class _Spans:
    """Math spans of one text with a fast "is position p inside math" test."""

    def __init__(self, text: str) -> None:
        self.spans = math_spans(text)
        self.starts = [s[0] for s in self.spans]

    def containing(self, pos: int) -> tuple[int, int, int, int] | None:
        k = bisect_right(self.starts, pos) - 1
        if k >= 0 and self.spans[k][0] <= pos < self.spans[k][1]:
            return self.spans[k]
        return None


def box_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every outermost ``\\boxed{...}`` / ``\\fbox{...}`` (brace-matched), in order; one pass."""
    starts = {m.end() - 1: m.start() for m in _BOX_OPEN.finditer(text)}  # a box's "{" -> where "\\boxed" starts
    if not starts:
        return []
    found: list[tuple[int, int]] = []
    stack: list[int] = []  # where each open brace's box starts, or -1 for a plain brace (or a box in a box)
    inside = 0
    for m in _BRACE.finditer(text, min(starts)):
        i = m.start()
        if m.group() == "{":
            start = starts.get(i, -1) if inside == 0 else -1
            stack.append(start)
            inside += start >= 0
        elif stack:
            start = stack.pop()
            if start >= 0:
                inside -= 1
                found.append((start, i + 1))
    return found


def _boxed(text: str) -> str | None:
    boxes = box_spans(text)
    if not boxes:
        return None
    last_start, last_end = boxes[-1]
    line_start = text.rfind("\n", 0, last_start) + 1
    first = last_start
    for start, _ in reversed(boxes[:-1]):
        if start < line_start:
            break
        first = start
    if first == last_start:
        return text[last_start:last_end]
    return ", ".join(text[s:e] for s, e in boxes if first <= s)


def _line_end(text: str, start: int, spans: _Spans) -> int:
    """The end of the line from ``start``: the next newline outside a math span (a display block is one line)."""
    pos = text.find("\n", start)
    while pos >= 0:
        span = spans.containing(pos)
        if span is None:
            return pos
        pos = text.find("\n", span[1])
    return len(text)


def _sentence(text: str, start: int, end: int, spans: _Spans) -> str:
    """``text[start:end]`` cut at its first sentence end (". " outside math)."""
    for m in _SENTENCE_END.finditer(text, start, end):
        if spans.containing(m.start()) is None:
            return text[start : m.start()]
    return text[start:end]


def _after_phrase(text: str, spans: _Spans, scalar: bool | None) -> Extracted | None:
    final = last = None
    for m in _PHRASE.finditer(text):
        if spans.containing(m.start()) is not None:
            continue
        last = m
        if m.group(1):
            final = m
    for rule, m in (("final_answer", final), ("answer", last)):
        if m is None:
            continue
        start = m.end()
        end = _line_end(text, start, spans)
        if not text[start:end].strip(_LEAD):  # a heading: "**Final Answer**" and the answer on the next line
            while end < len(text) and not text[start:end].strip(_LEAD):
                start = end + 1
                end = _line_end(text, start, spans)
        while start < end and text[start] in _LEAD:
            start += 1
        span = _sentence(text, start, end, spans).strip()
        if span:
            return Extracted(_read(span, scalar), rule)
    return None


def _last_sentence(text: str, spans: _Spans, scalar: bool | None) -> Extracted | None:
    end = len(text.rstrip())
    while end > 0:  # a closing code fence is not a line of the answer
        line_start = text.rfind("\n", 0, end) + 1
        if not _FENCE_LINE.fullmatch(text, line_start, end):
            break
        end = len(text[:line_start].rstrip())
    if end == 0:
        return None
    # the last line: back from the end to a newline outside math
    start = text.rfind("\n", 0, end)
    while start >= 0:
        span = spans.containing(start)
        if span is None:
            break
        start = text.rfind("\n", 0, span[0])
    start += 1
    # the last sentence of that line: after its last sentence end outside math that has text after it
    cut = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if spans.containing(m.start()) is None and text[m.end() : end].strip():
            cut = m.end()
    span = text[cut:end].strip()
    if not span:
        return None
    return Extracted(_read(span, scalar), "last_sentence")


def _read(span: str, scalar: bool | None) -> str:
    """``span`` read to its value, unless the caller reads it later or it is too long to be an answer at all."""
    return span if scalar is None or len(span) > MAX_CANDIDATE else read_sentence(span, scalar)


def final_answer(text: str, *, scalar: bool | None = True) -> Extracted | None:
    """The answer span of ``text`` by the rules above; None for blank text or text over ``MAX_SOLUTION_CHARS``.

    ``scalar`` says one value is expected: a sentence is read after its last " is " and to its last math span;
    for a list (False), after the first " is " and to all its math spans; None leaves the sentence unread, for a
    caller that does not know yet (the verifier reads it again when it compares).
    """
    if len(text) > MAX_SOLUTION_CHARS or not text.strip():
        return None
    if len(text) > MAX_READ_CHARS:  # an answer is at the end: read the last lines only
        cut = text.find("\n", len(text) - MAX_READ_CHARS)
        text = text[cut + 1 :] if cut >= 0 else text[-MAX_READ_CHARS:]
    boxed = _boxed(text)
    if boxed is not None:
        return Extracted(boxed, "boxed")
    spans = _Spans(text)
    return _after_phrase(text, spans, scalar) or _last_sentence(text, spans, scalar)


def _has_prose(text: str) -> bool:
    return any(m.group().lower() not in _CONNECTIVES for m in _PROSE_WORD.finditer(text))


def is_prose(text: str) -> bool:
    """Whether ``text`` holds a word (three letters or more) that is neither math ("sin", "sqrt") nor "and"."""
    return any(m.group().lower() not in _NOT_PROSE for m in _PROSE_WORD.finditer(text))


def _outside(text: str, spans: list[tuple[int, int, int, int]]) -> str:
    parts, pos = [], 0
    for start, end, _, _ in spans:
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return " ".join(parts)


def _valueish(text: str) -> bool:
    """What follows a copula is an answer: it holds a digit or math, or it is a short token ("C", "(B)")."""
    if any(ch.isdigit() for ch in text) or "$" in text or "\\" in text:
        return True
    return not _has_prose(text) and len(text.strip(" .")) <= 8


def read_sentence(span: str, scalar: bool = True) -> str:
    """One sentence read down to its value (the module docstring says how); prose-free text is returned as is."""
    spans = _Spans(span)
    cuts = [m.end() for m in _COPULA.finditer(span) if spans.containing(m.start()) is None]
    # at most MAX_COPULAS are tried (the last ones for one value, the first for a list): each try reads the rest
    for cut in (cuts[::-1] if scalar else cuts)[:MAX_COPULAS]:
        rest = span[cut:]
        if rest.strip() and _valueish(rest) and balanced(rest):
            span = rest.strip()
            spans = _Spans(span)
            break
    if spans.spans and _has_prose(_outside(span, spans.spans)):
        inner = [span[s:e].strip() for _, _, s, e in spans.spans if span[s:e].strip()]
        if inner:
            return inner[-1] if scalar else ", ".join(inner)
    return span


_HEDGE = re.compile(
    r"\b(?:about|approximately|approx|nearly|roughly|around|almost|circa|maybe|perhaps|probably|likely|"
    r"at\s+(?:least|most)|more\s+than|less\s+than|fewer\s+than|up\s+to|or\s+so)\b|~|≈|\\approx",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?:/\d+)?(?![\w])")


def last_number(span: str) -> str | None:
    """The one number written in ``span`` ("She has 18 apples left" gives "18"), or None when it has none or more.

    A last resort for prose no rule reads: the verifier counts it only when that number is right, and otherwise
    keeps its verdict on the whole span (unparseable). One number only: in "4.5 hours and 3 minutes" neither is
    the answer; and none in a hedge ("about 12", "nearly 12", "at least 12"), which a judge model may decide.
    """
    if _HEDGE.search(span):
        return None  # "about 12", "at least 12": a hedge around a number does not state it
    found = None
    for m in _NUMBER.finditer(span):
        if found is not None:
            return None
        found = m.group(0)
    return found
