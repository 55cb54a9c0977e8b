"""Building the rows of the dataset: the chat sample for an accepted response, the reject row for the rest.

Their layouts are the ``run:chat`` and ``run:rejects`` entries of :data:`chukmath.formats.ROW_SHAPES`, which
``build`` and ``verify`` (chukmath.write.selection) write through.

The assistant turn is rebuilt from the parsed parts rather than copied from the teacher, so preambles, code
fences and stray text around the tags never reach the training data and every sample has the same shape.
"""

from __future__ import annotations

from typing import Any, Literal

from chukmath.hashing import content_hash
from chukmath.records import Message, Problem, Request, Response

UserTurn = Literal["question", "prompt"]


def sample_id(request_id: str, sample: int) -> str:
    """Stable id of one response (the journal key), shared by its train or reject row."""
    return content_hash({"request_id": request_id, "sample": sample})


def assistant_content(
    think: str | None, answer: str, verifier_answer: str | None, *, strip_verifier_answer: bool = False
) -> str:
    """The normalized assistant turn: ``<think>\\n..\\n</think>\\n<answer>..</answer>\\n<verifier_answer>..``.

    The verifier_answer line is left out with ``strip_verifier_answer`` or when the response had none (a policy
    that does not reject ``no_verifier_answer`` can accept such a response).
    """
    parts = [f"<think>\n{(think or '').strip()}\n</think>", f"<answer>{answer.strip()}</answer>"]
    if verifier_answer is not None and not strip_verifier_answer:
        parts.append(f"<verifier_answer>{verifier_answer.strip()}</verifier_answer>")
    return "\n".join(parts)


def user_messages(problem: Problem, request: Request, user_turn: UserTurn, system: str | None) -> list[Message]:
    """The turns before the assistant's: the plain question (R1 cold-start style) or the rendered prompt.

    ``system`` becomes the first message; with ``user_turn="prompt"`` it replaces the prompt's own system
    message, because two system turns would train the model on a conversation shape it never sees.
    """
    if user_turn == "prompt":
        turns = [{"role": m["role"], "content": m["content"]} for m in request.messages]
        if system is not None:
            turns = [m for m in turns if m["role"] != "system"]
    else:
        turns = [{"role": "user", "content": problem.question}]
    if system is not None:
        turns.insert(0, {"role": "system", "content": system})
    return turns


def claims_field(checked: int, skipped: int) -> dict[str, int]:
    """How many arithmetic claims of the response the verifier evaluated and how many it could not (row metadata)."""
    return {"checked": checked, "skipped": skipped}


def sample_row(
    problem: Problem,
    request: Request,
    response: Response,
    messages: list[Message],
    assistant: str,
    claims: dict[str, int] | None = None,
) -> dict[str, Any]:
    """One train.jsonl row, the ``run:chat`` shape (docs/contracts.md, "Samples"); ``claims`` from
    :func:`claims_field`."""
    return {
        "messages": [*messages, {"role": "assistant", "content": assistant}],
        "id": sample_id(response.request_id, response.sample),
        "problem_id": problem.id,
        "generator": problem.generator,
        "difficulty": problem.difficulty,
        "answer": problem.answer,
        "teacher": response.teacher,
        "model": response.model,
        "template": request.template,
        "claims": claims if claims is not None else claims_field(0, 0),
    }


def reject_row(
    problem: Problem,
    response: Response,
    reasons: list[str],
    details: list[str],
    verifier_answer: str | None,
    claims: dict[str, int] | None = None,
) -> dict[str, Any]:
    """One rejects.jsonl row, the ``run:rejects`` shape: which response, why it was rejected, and the raw text."""
    return {
        "id": sample_id(response.request_id, response.sample),
        "problem_id": problem.id,
        "request_id": response.request_id,
        "sample": response.sample,
        "generator": problem.generator,
        "difficulty": problem.difficulty,
        "reasons": list(reasons),
        "details": list(details),
        "verifier_answer": verifier_answer,
        "expected": problem.answer,
        "content": response.content,
        "claims": claims if claims is not None else claims_field(0, 0),
    }
