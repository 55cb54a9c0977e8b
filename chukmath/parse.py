"""Parse a teacher's text into ``think``, ``answer`` and ``verifier_answer``, tolerating real-model shapes.

Shapes handled: preamble text before ``<think>``; DeepSeek-R1 output whose opening ``<think>`` was in the
prompt (only ``</think>`` appears); a response, or everything after its reasoning, wrapped in one code fence
(tolerated, not a format issue: the fence is markdown around the requested shape, and the dataset writer
rebuilds the assistant turn from the parts, so the fence never reaches the training data); tag names quoted inside
the reasoning ("put it in <answer> tags") — the answer tags are only looked for after the reasoning ends, and a
``<think>`` inside a sentence (not starting a line) is a mention, not a tag; truncation (an unclosed ``<think>``
gives the partial think and no answer); and a reasoning model's separate ``reasoning_content``. Missing parts are
None, never guesses. ``ParsedResponse.format_issues`` lists every deviation from the strict training format so the
verifier can reject with a precise reason.

The verifier rejects a response longer than ``MAX_RESPONSE_CHARS`` (content and reasoning_content together) as
``too_long`` without parsing it; beyond ``PARSE_LIMIT`` this parser refuses too (``too_long`` set, no parts), so no
caller spends time in proportion to a runaway think.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chukmath.stage_module import make_callable

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"
# About 50k tokens: DeepSeek-R1's 32k-token outputs fit, while a think that loops until a 128k-token limit does not
# (it is no cold-start sample, and checking every line of it would cost more than a thousand ordinary responses).
MAX_RESPONSE_CHARS = 200_000
# A little higher: the sample the writer rebuilds from an accepted response (its parts between fresh tags and
# newlines) must parse back, and it can be a few characters longer than the response was.
PARSE_LIMIT = MAX_RESPONSE_CHARS + 1_000
TAGS = ("think", "answer", "verifier_answer")
_FENCED = re.compile(r"^\s*```[a-zA-Z0-9_-]*[ \t]*\n(.*)\n[ \t]*```\s*$", re.DOTALL)
_ANY_TAG = re.compile(r"</?(?:think|answer|verifier_answer)>")


@dataclass(frozen=True, slots=True)
class ParsedResponse:
    """The three parts of a response (stripped; None when absent or empty) and what the parser noticed."""

    think: str | None
    answer: str | None
    verifier_answer: str | None
    truncated: bool = False
    think_source: str | None = None  # "content" or "reasoning_content"
    format_issues: tuple[str, ...] = field(default=())
    fenced: bool = False  # the response (or its part after the reasoning) was wrapped in a code fence
    too_long: bool = False  # over the size cap: left unparsed, every part None


def _strip_or_none(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def _unfence(text: str) -> tuple[str, bool]:
    m = _FENCED.match(text)
    return (m.group(1), True) if m else (text, False)


def _block(text: str, tag: str) -> tuple[str | None, bool]:
    """Content of the first ``<tag>...</tag>`` in ``text``; (partial content, True) when it is never closed."""
    open_, close = f"<{tag}>", f"</{tag}>"
    end = text.find(close)
    if end < 0:
        start = text.find(open_)
        return (None, False) if start < 0 else (text[start + len(open_) :], True)
    # The opening tag nearest the first close: an earlier "<answer>" is a quoted mention, not the block.
    start = text.rfind(open_, 0, end)
    if start < 0:
        return None, False
    return text[start + len(open_) : end], False


def split_think(text: str) -> tuple[str | None, str, bool, str]:
    """(think, text after the reasoning, unclosed, text before the reasoning) for one content string.

    The reasoning ends at the last ``</think>`` that has an answer tag after it (else the last one): a model
    may quote the tag while thinking, and a stray closer after the answer must not swallow it.
    """
    last_tag = max(text.rfind("<answer>"), text.rfind("<verifier_answer>"))
    close = text.rfind(THINK_CLOSE, 0, last_tag) if last_tag >= 0 else -1
    if close < 0:
        close = text.rfind(THINK_CLOSE)
    open_ = _opening_tag(text, close if close >= 0 else len(text))
    if close >= 0:
        if 0 <= open_ < close:
            return text[open_ + len(THINK_OPEN) : close], text[close + len(THINK_CLOSE) :], False, text[:open_]
        return text[:close], text[close + len(THINK_CLOSE) :], False, ""  # R1: <think> was in the prompt
    if open_ >= 0:
        return text[open_ + len(THINK_OPEN) :], "", True, text[:open_]
    return None, text, False, ""


def _opening_tag(text: str, end: int) -> int:
    """Where the reasoning opens: the first ``<think>`` before ``end`` on the first line or starting a line; -1.

    A ``<think>`` inside a later line ("... start with <think> and then ...") is R1 reasoning quoting the tag,
    its own opening having been in the prompt; on the first line it may follow a preamble ("Sure! <think>").
    """
    i = text.find(THINK_OPEN, 0, end)
    if i < 0:
        return -1
    newline = text.rfind("\n", 0, i)
    if newline < 0 or not text[newline + 1 : i].strip():
        return i
    while True:
        previous = i
        i = text.find(THINK_OPEN, previous + 1, end)
        if i < 0:
            return -1
        # searched only since the previous quote, so a line full of quotes stays linear
        newline = text.rfind("\n", previous, i)
        if newline >= 0 and not text[newline + 1 : i].strip():
            return i


# a <think> that starts a line inside the reasoning is a second block; one inside a sentence is a quoted mention
_LINE_START_THINK = re.compile(r"(?:^|\n)[ \t]*<think>")


def parse_response(text: str | None, reasoning_content: str | None = None) -> ParsedResponse:
    """Split a response into its parts; see the module docstring for the shapes accepted."""
    text = text or ""
    if len(text) + len(reasoning_content or "") > PARSE_LIMIT:
        return ParsedResponse(None, None, None, too_long=True)
    body, fenced = _unfence(text)
    think, rest, unclosed, before = split_think(body)
    source: str | None = "content" if think is not None else None
    if _strip_or_none(think) is None and _strip_or_none(reasoning_content) is not None:
        think, source = reasoning_content, "reasoning_content"
    if unclosed:
        answer = verifier = None
        answer_open = False
    else:
        rest, tail_fenced = _unfence(rest)  # "<think>..</think> ```<answer>..</verifier_answer>```"
        fenced = fenced or tail_fenced
        answer, answer_open = _block(rest, "answer")
        verifier, verifier_open = _block(rest, "verifier_answer")
        answer_open = answer_open or verifier_open
    issues = _format_issues(before, rest, think, unclosed, source)
    return ParsedResponse(
        think=_strip_or_none(think),
        answer=_strip_or_none(answer),
        verifier_answer=_strip_or_none(verifier),
        truncated=unclosed or answer_open,
        think_source=source,
        format_issues=tuple(issues),
        fenced=fenced,
    )


_TAG_TEXTS = tuple((tag, f"<{tag}>", f"</{tag}>") for tag in TAGS)
_STRICT_TAIL = re.compile(
    r"\s*<answer>(?P<a>.*?)</answer>\s*<verifier_answer>(?P<v>.*?)</verifier_answer>\s*", re.DOTALL
)


def _format_issues(before: str, rest: str, think: str | None, unclosed: bool, source: str | None) -> list[str]:
    """Deviations from: <think>…</think> <answer>…</answer> <verifier_answer>…</verifier_answer>, once each.

    ``before`` and ``rest`` are already out of a code fence that wrapped them whole (a tolerated shape).
    """
    issues: list[str] = []
    if before.strip():
        issues.append(f"text before <think>: {before.strip()[:60]!r}")
    if think is None or not think.strip():
        issues.append("missing or empty <think> block")
    if unclosed:
        issues.append("<think> is never closed")
        return issues
    # the substring test first: the regex alone costs more than the rest of the parse on a typical think
    if source == "content" and think and THINK_OPEN in think and _LINE_START_THINK.search(think):
        issues.append("<think> appears more than once")
    counts = {tag: rest.count(opening) for tag, opening, _ in _TAG_TEXTS}
    closes = {tag: rest.count(closing) for tag, _, closing in _TAG_TEXTS}
    for tag in ("answer", "verifier_answer"):
        if counts[tag] == 0 and closes[tag] == 0:
            issues.append(f"missing <{tag}>")
        elif counts[tag] != 1 or closes[tag] != 1:
            issues.append(f"<{tag}> appears {counts[tag]} time(s), </{tag}> {closes[tag]} time(s); expected once each")
    if counts["think"] or closes["think"]:
        issues.append("<think> tags after the reasoning ended")
    if not issues or all(i.startswith("text before") for i in issues):
        m = _STRICT_TAIL.fullmatch(rest)
        if m is None:
            a, v = rest.find("<answer>"), rest.find("<verifier_answer>")
            if 0 <= v < a:
                issues.append("<verifier_answer> comes before <answer>")
            else:
                outside = _ANY_TAG.sub(" ", re.sub(r"<(answer|verifier_answer)>.*?</\1>", " ", rest, flags=re.S))
                issues.append(f"text outside the tags: {outside.strip()[:60]!r}")
        elif _ANY_TAG.search(m.group("a")) or _ANY_TAG.search(m.group("v")):
            issues.append("tags nested inside <answer> or <verifier_answer>")
        elif not m.group("a").strip():
            issues.append("empty <answer>")  # an empty <verifier_answer> is the no_verifier_answer reason
    return issues


# Calling the module runs chukmath.api.parse (why: chukmath/stage_module.py).
make_callable(__name__)
