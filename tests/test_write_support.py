"""Realistic input files for the writer tests: problems, rendered requests and a teacher journal.

Imported by test_write*.py, test_verify_cli*.py and test_hf_datasets*.py; it holds no tests itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from chukmath.hashing import content_hash, text_hash

SYSTEM = "You are a careful mathematics teacher. Reason step by step and check every calculation."
TEMPLATE = "cot_default"
TEMPLATE_HASH = text_hash("cot_default template body v1")


def problem(pid: str, index: int, question: str, expression: str, answer: str, **kw: Any) -> dict[str, Any]:
    """A problem record as `chukmath generate` writes it."""
    return {
        "id": pid,
        "generator": kw.get("generator", "arithmetic"),
        "difficulty": kw.get("difficulty", 1),
        "seed": 7,
        "index": index,
        "question": question,
        "expression": expression,
        "answer": answer,
        "meta": kw.get("meta", {}),
    }


def request_for(prob: dict[str, Any], template: str = TEMPLATE) -> dict[str, Any]:
    """The request `chukmath templates render` would make for ``prob`` (id = hash of the messages)."""
    messages = [
        {"role": "system", "content": SYSTEM},
        {
            "role": "user",
            "content": "Solve the problem. Put your reasoning in <think></think>, the final answer in "
            f"<answer></answer> and again in <verifier_answer></verifier_answer>.\n\nProblem: {prob['question']}",
        },
    ]
    return {
        "id": content_hash({"messages": messages}),
        "problem_id": prob["id"],
        "template": template,
        "template_hash": TEMPLATE_HASH,
        "messages": messages,
    }


def response(
    request_id: str,
    sample: int,
    content: str | None,
    *,
    reasoning: str | None = None,
    finish: str = "stop",
    error: dict[str, str] | None = None,
    tokens: tuple[int, int] = (120, 60),
    model: str = "gpt-4o-mini",
) -> dict[str, Any]:
    """One journal line."""
    return {
        "request_id": request_id,
        "sample": sample,
        "teacher": "openai",
        "model": model,
        "content": content,
        "reasoning_content": reasoning,
        "finish_reason": None if error else finish,
        "usage": None
        if error
        else {"prompt_tokens": tokens[0], "completion_tokens": tokens[1], "total_tokens": sum(tokens)},
        "error": error,
        "attempts": 1,
        "latency_s": 0.8,
        "created": 1718000000.0 + sample,
    }


def trace(steps: str, answer: str, verifier: str | None = None) -> str:
    """A teacher answer in the requested format."""
    text = f"<think>\n{steps}\n</think>\n<answer>{answer}</answer>"
    if verifier is not None:
        text += f"\n<verifier_answer>{verifier}</verifier_answer>"
    return text


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


ERROR_429 = {"kind": "http_429", "message": "rate limited"}
ERROR_TIMEOUT = {"kind": "timeout", "message": "no answer in 60 s"}

P0_A = trace("44 + 41 = 85\n85 + 25 = 110", "110", "110")
P0_B = trace("First add 41 and 25.\n41 + 25 = 66\n44 + 66 = 110", "110", "110")
P1_OK = trace("3/4 × 5/6 = 15/24\n15/24 = 5/8", "5/8", "5/8")


@dataclass
class Case:
    """The files of one scenario and what the tests expect of them."""

    problems: Path
    requests: Path
    journal: Path
    probs: dict[str, dict[str, Any]]
    reqs: dict[str, dict[str, Any]]
    reason_samples: dict[str, int] = field(default_factory=dict)


def make_case(root: Path) -> Case:
    """Problems covering every path through the writer, a journal in completion (not problem) order.

    p0: error then success, an exact duplicate, a second differently-worded correct answer.
    p1: a wrong answer, a correct one wrapped in a preamble and a code fence (a format reject under the default
        policy; the same text as the next one once normalized), then the plain correct one.
    p2: an R1-style answer whose reasoning comes in ``reasoning_content``.
    p3: only failed attempts (no_response).  p4: one response per rejection reason.
    p5: no request at all.  Plus one journal line for a request that is not in the requests file.
    """
    probs = {
        p["id"]: p
        for p in [
            problem("arith-0", 0, "What is 44 + 41 + 25?", "44 + 41 + 25", "110"),
            problem("frac-1", 1, "Compute (3/4) * (5/6).", "(3/4) * (5/6)", "5/8", generator="fractions", difficulty=2),
            problem("arith-2", 2, "What is 7 - 10?", "7 - 10", "-3"),
            problem("arith-3", 3, "What is 12 * 12?", "12 * 12", "144", difficulty=2),
            problem("arith-4", 4, "What is 100 - 58?", "100 - 58", "42", difficulty=3),
            problem("arith-5", 5, "What is 9 + 9?", "9 + 9", "18"),
        ]
    }
    reqs = {pid: request_for(p) for pid, p in probs.items() if pid != "arith-5"}
    r = {pid: q["id"] for pid, q in reqs.items()}
    reason_lines = {
        "no_verifier_answer": trace("100 - 58 = 42", "42"),
        "answer_mismatch": trace("100 - 58 = 42", "42", "41"),
        "bad_step": trace("100 - 50 = 50\n50 - 8 = 43\nSo the result is 42.", "42", "42"),
        "wrong_answer": trace("100 - 58 = 52", "52", "52"),
        "language": trace("一百减去五十八。先算一百减五十等于五十，再减八等于四十二。", "42", "42"),
        "format": "The answer is 42.\n<answer>42</answer>\n<verifier_answer>42</verifier_answer>",
    }
    reason_samples = {reason: i for i, reason in enumerate(reason_lines)}
    journal = [
        response(r["arith-4"], reason_samples["wrong_answer"], reason_lines["wrong_answer"]),
        response(r["arith-0"], 0, None, error=ERROR_429),
        response(r["arith-0"], 2, P0_B, tokens=(120, 70)),
        response(r["frac-1"], 1, "Sure! Here is my solution.\n```\n" + P1_OK + "\n```"),
        response(r["frac-1"], 2, P1_OK),
        response("0" * 32, 0, P0_A),  # answers a request that is not in the requests file
        response(r["arith-0"], 1, P0_A),
        response(r["arith-3"], 0, None, error=ERROR_TIMEOUT),
        response(r["frac-1"], 0, trace("3/4 × 5/6 = 15/24\n15/24 = 5/6", "5/6", "5/6")),
        response(r["arith-0"], 0, P0_A),
        response(
            r["arith-2"], 0, "<answer>-3</answer>\n<verifier_answer>-3</verifier_answer>", reasoning="7 - 10 = -3"
        ),
        response(r["arith-3"], 0, None, error=ERROR_TIMEOUT),
        response(r["arith-4"], len(reason_lines), "<think>\n100 - 58 = 42\nSo the answer is", finish="length"),
    ]
    reason_samples["truncated"] = len(reason_lines)
    journal += [
        response(r["arith-4"], reason_samples[reason], text)
        for reason, text in reason_lines.items()
        if reason != "wrong_answer"
    ]
    # Problems are written out of index order on purpose: rows must still come out by index.
    order = ["arith-2", "arith-0", "frac-1", "arith-5", "arith-4", "arith-3"]
    return Case(
        problems=write_jsonl(root / "problems.jsonl", [probs[k] for k in order]),
        requests=write_jsonl(root / "requests.jsonl", [reqs[k] for k in sorted(reqs)]),
        journal=write_jsonl(root / "responses.jsonl", journal),
        probs=probs,
        reqs=reqs,
        reason_samples=reason_samples,
    )
