"""From what a trainer hands a reward function to the parts the verifier reads.

A completion is a plain string (TRL's standard format) or a list of chat messages (TRL's conversational format:
``[{"role": "assistant", "content": "..."}]``; content may also be a list of ``{"type": "text", "text": ...}``
parts). The final answer is read in the order the verifier reads it: ``<verifier_answer>``, then ``<answer>``,
then (for models not prompted with chukmath's tags) the verifier's own whole-solution extraction over what
follows the reasoning (:func:`chukmath.verify.solution.final_answer`: the last ``\\boxed{...}``, "the final answer
is ...", "Answer: ...", the last sentence).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from chukmath.parse import MAX_RESPONSE_CHARS, ParsedResponse, parse_response, split_think
from chukmath.verify.solution import final_answer as solution_answer

# A completion longer than the parser reads (200,000 characters, about 50,000 tokens, beyond any
# max_completion_length used for GRPO: only a runaway or a hostile input gets here) is given no reward, 0.0 from
# every function, and every check below stays bounded by it.
MAX_COMPLETION_CHARS = MAX_RESPONSE_CHARS
# The verifier's own cap on one answer candidate (chukmath.verify.extract.MAX_CANDIDATE): a longer final answer
# span is not an answer.
MAX_FINAL_LINE = 4000
MAX_CACHED_CHARS = 20_000


def completion_text(completion: Any) -> str | None:
    """The assistant text of one completion, or None when it is not text or is longer than the cap."""
    if isinstance(completion, str):
        text = completion
    elif isinstance(completion, dict):
        text = _content(completion.get("content"))
    elif isinstance(completion, list | tuple):
        parts = [
            _content(m.get("content"))
            for m in completion
            if isinstance(m, dict) and m.get("role", "assistant") == "assistant"
        ]
        text = None if not parts or any(p is None for p in parts) else "".join(p for p in parts if p)
    else:
        return None
    if text is None or len(text) > MAX_COMPLETION_CHARS:
        return None
    return text


def _content(content: Any) -> str | None:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: [{"type": "text", "text": "..."}]
        texts = [p.get("text") for p in content if isinstance(p, dict) and p.get("type") == "text"]
        if all(isinstance(t, str) for t in texts):
            return "".join(texts)
    return None


def parsed(text: str) -> ParsedResponse:
    """``chukmath.parse.parse_response`` of a completion, cached: combined rewards read each completion 4 times.

    Only completions up to ``MAX_CACHED_CHARS`` are kept, so the cache holds at most ~10 MB of text.
    """
    return _parsed(text) if len(text) <= MAX_CACHED_CHARS else parse_response(text)


@lru_cache(maxsize=512)
def _parsed(text: str) -> ParsedResponse:
    return parse_response(text)


def clear_cache() -> None:
    """Forget cached parses (benchmarks measuring cold cost)."""
    _parsed.cache_clear()


def final_answer(text: str) -> str | None:
    """The completion's final answer as the verifier would compare it; None when none was given.

    A truncated completion (an unclosed ``<think>``, ``<answer>`` or ``<verifier_answer>``) has no final
    answer: ``<answer>3`` cut before ``5</answer>`` must not score as 3.
    """
    p = parsed(text)
    if p.truncated:
        return None
    if p.verifier_answer is not None:
        return p.verifier_answer
    if p.answer is not None:
        return p.answer
    _, rest, unclosed, _ = split_think(text)
    if unclosed:
        return None
    found = solution_answer(rest, scalar=None)  # answers_match reads the sentence, knowing the answer's kind
    if found is None:
        return None
    return found.text if len(found.text) <= MAX_FINAL_LINE else None


def reasoning(text: str) -> str:
    """The reasoning of a completion: its ``<think>`` block, or the whole text when it has none.

    When the completion stopped inside ``<think>``, the last line is left out: it is a fragment
    (``85 + 25 = 1``), not a claim the model made (the verifier's rule for cut reasoning).
    """
    p = parsed(text)
    if p.think is None:
        return text
    if p.truncated and split_think(text)[2]:  # the <think> itself is never closed
        return p.think.rpartition("\n")[0]
    return p.think


def column(columns: dict[str, Any], name: str, n: int) -> list[Any]:
    """Column ``name`` of a batch as a list of ``n`` values (None where the column is absent)."""
    values = columns.get(name)
    if values is None:
        return [None] * n
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise TypeError(f"column {name!r} must be a list with one value per completion, got {type(values).__name__}")
    values = list(values)
    if len(values) != n:
        raise ValueError(f"column {name!r} has {len(values)} values for {n} completions")
    return values
