"""The reward functions, each with TRL's ``GRPOTrainer`` signature: ``f(completions, **columns) -> list[float | None]``.

TRL passes every dataset column (``answer``, ``generator``, ``difficulty``, ``problem_id``, ...) as a keyword
list with one value per completion, plus ``prompts``, ``completion_ids`` and trainer objects; each function
takes the columns it needs and ignores the rest. ``None`` is TRL's "not applicable": the trainer skips it in
that function's mean and in the weighted sum.

Every function is pure (no state but the verifier's caches, which are thread-safe), never evaluates model text
as code, and is bounded in time: a completion longer than ``MAX_COMPLETION_CHARS`` (or one that is not text)
gets 0.0 from every function, and everything shorter goes through the verifier's own caps.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from chukmath.rewards.reading import column, completion_text, final_answer, reasoning
from chukmath.verify import answers_match, check_claims
from chukmath.verify.tolerance import GRADED

Reward = float | None


def _expected(value: Any) -> str | None:
    """An ``answer`` column value as the verifier's expected-answer text; None when there is none."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Fraction | float):
        return str(value)
    if isinstance(value, str):
        return value if value.strip() else None
    return None


def accuracy_reward(
    completions: list[Any], answer: list[Any] | None = None, question: list[Any] | None = None, **columns: Any
) -> list[Reward]:
    """1.0 when the completion's final answer equals ``answer`` by chukmath's verifier, else 0.0.

    The final answer is ``<verifier_answer>``, else ``<answer>``, else what the verifier's whole-solution
    extraction finds after the reasoning (the last ``\\boxed{}``, "the final answer is", "Answer:", the last
    sentence); a truncated completion has none (0.0). Numbers are compared under the ``graded`` approximation
    policy (within a relative 1e-4 of the exact value; :mod:`chukmath.verify.tolerance`). An optional ``question``
    column lets a rounded answer count where the question asks for that rounding ("to 2 decimal places") and a
    bare number count for "what percent", as in the verifier. None only where no answer is given to compare with
    (no ``answer`` column, or an empty value).
    """
    n = len(completions)
    answers = column({"answer": answer}, "answer", n)
    questions = column({"question": question}, "question", n)
    out: list[Reward] = []
    for completion, value, asked in zip(completions, answers, questions, strict=True):
        expected = _expected(value)
        if expected is None:
            out.append(None)
            continue
        text = completion_text(completion)
        final = None if text is None else final_answer(text)
        asked = asked if isinstance(asked, str) else ""
        right = final is not None and answers_match(final, expected, question=asked, tolerance=GRADED)
        out.append(1.0 if right else 0.0)
    return out


_THINK_OPEN, _THINK_CLOSE = "<think>", "</think>"
_ANSWER_OPEN, _ANSWER_CLOSE = "<answer>", "</answer>"
_VERIFIER_OPEN, _VERIFIER_CLOSE = "<verifier_answer>", "</verifier_answer>"
_TAGS = (_THINK_OPEN, _THINK_CLOSE, _ANSWER_OPEN, _ANSWER_CLOSE, _VERIFIER_OPEN, _VERIFIER_CLOSE)


def r1_format_ok(text: str, *, lenient: bool = False) -> bool:
    """Is ``text`` exactly ``<think>T</think>`` then ``<answer>A</answer>`` (R1's format)? See ``format_reward``."""
    counts = {tag: text.count(tag) for tag in _TAGS}
    think_opens = (0, 1) if lenient else (1,)
    verifiers = (0, 1) if lenient else (0,)
    if (
        counts[_THINK_OPEN] not in think_opens
        or counts[_THINK_CLOSE] != 1
        or counts[_ANSWER_OPEN] != 1
        or counts[_ANSWER_CLOSE] != 1
        or counts[_VERIFIER_OPEN] not in verifiers
        or counts[_VERIFIER_CLOSE] != counts[_VERIFIER_OPEN]
    ):
        return False
    body = text.lstrip() if lenient else text
    if counts[_THINK_OPEN]:
        if not body.startswith(_THINK_OPEN):
            return False
        body = body[len(_THINK_OPEN) :]
    think, _, rest = body.partition(_THINK_CLOSE)
    if not think.strip():
        return False
    rest = rest.strip()  # whitespace between the blocks and after the last one is no text
    if not rest.startswith(_ANSWER_OPEN):
        return False
    answer, _, tail = rest[len(_ANSWER_OPEN) :].partition(_ANSWER_CLOSE)
    if not answer.strip():
        return False
    if not counts[_VERIFIER_OPEN]:
        return not tail
    tail = tail.lstrip()
    return (
        tail.startswith(_VERIFIER_OPEN)
        and tail.endswith(_VERIFIER_CLOSE)
        and bool(tail[len(_VERIFIER_OPEN) : -len(_VERIFIER_CLOSE)].strip())
    )


def format_reward(completions: list[Any], **columns: Any) -> list[Reward]:
    """1.0 for R1's format exactly, else 0.0: ``<think>T</think>`` then ``<answer>A</answer>`` and nothing else.

    Strict: the text starts with ``<think>``; T and A are non-blank; between ``</think>`` and ``<answer>`` and
    after ``</answer>`` there is only whitespace; each of the four tags appears exactly once (a tag quoted inside
    the reasoning is a second one) and ``<verifier_answer>`` not at all.
    """
    return [_format(c, lenient=False) for c in completions]


def format_reward_lenient(completions: list[Any], **columns: Any) -> list[Reward]:
    """``format_reward`` with three tolerances, and only these: whitespace before ``<think>``; no opening ``<think>``
    (R1's chat template puts it in the prompt, so the completion starts inside the reasoning); and one
    non-blank ``<verifier_answer>...</verifier_answer>`` after ``</answer>`` (chukmath's own training format).
    """
    return [_format(c, lenient=True) for c in completions]


def _format(completion: Any, *, lenient: bool) -> float:
    text = completion_text(completion)
    return 1.0 if text is not None and r1_format_ok(text, lenient=lenient) else 0.0


def step_reward(completions: list[Any], **columns: Any) -> list[Reward]:
    """The fraction of the arithmetic claims in the reasoning that are true (``85 + 25 = 110`` is, ``= 111`` not).

    Claims are found and checked by ``chukmath.verify.check_claims`` in the ``<think>`` block (the whole text when
    there is none). A reasoning without a checkable claim gets None, not applicable: no claim is no evidence
    either way, and 1.0 would pay a model for leaving its arithmetic out.
    """
    out: list[Reward] = []
    for completion in completions:
        text = completion_text(completion)
        if text is None:
            out.append(0.0)
            continue
        claims = check_claims(reasoning(text))
        out.append(sum(c.holds for c in claims) / len(claims) if claims else None)
    return out
