"""``verify_response``: one verdict with reasons for one teacher response to one problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chukmath.parse import MAX_RESPONSE_CHARS, ParsedResponse, parse_response
from chukmath.records import Problem, Response
from chukmath.verify.answers import CORRECT, UNPARSEABLE, answers_match, judge_answer, parse_expected
from chukmath.verify.language import language_issues
from chukmath.verify.numbers import parse_plain
from chukmath.verify.policy import DEFAULT_POLICY, NO_RESPONSE, REASONS, Policy
from chukmath.verify.steps import check_steps
from chukmath.verify.tolerance import DEFAULT_TOLERANCE, Tolerance, requested_rounding

MAX_DETAIL = 200


@dataclass(slots=True)
class Verdict:
    """``accepted`` with the rejecting ``reasons`` (priority order), ``verdict`` = ``correct`` or the first reason.

    ``flags`` lists every problem found, including those the policy lets through; ``details`` says what each
    one was, in words a person can act on (``bad step: 85 + 25 = 111``). ``claims_checked`` / ``claims_skipped``:
    how many arithmetic claims (in the reasoning and in both answer tags) were evaluated, and how many looked like
    claims but could not be (a cap, a shape the checker cannot evaluate).
    """

    accepted: bool
    reasons: list[str]
    verdict: str
    parsed: ParsedResponse | None
    details: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    claims_checked: int = 0
    claims_skipped: int = 0
    # The judge model that decided an answer the rules could not read (chukmath.judge); None when rules decided.
    judged_by: str | None = None
    # The false claims themselves, as ``details`` quotes them after "bad step: " (eval counts which ones they are).
    false_claims: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready summary written next to rejects and into stats (the parsed text is left out)."""
        return {
            "accepted": self.accepted,
            "verdict": self.verdict,
            "reasons": self.reasons,
            "flags": self.flags,
            "details": self.details,
            "claims": {"checked": self.claims_checked, "skipped": self.claims_skipped},
        } | ({"judged_by": self.judged_by} if self.judged_by else {})


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


def verify_response(
    problem: Problem,
    response: Response,
    policy: Policy = DEFAULT_POLICY,
    language: str = "en",
    tolerance: Tolerance = DEFAULT_TOLERANCE,
) -> Verdict:
    """Check a response against its problem; never raises on teacher text (only on a bad ``language`` code).

    ``problem.question`` says which rounding of a numeric answer counts; ``tolerance`` may allow more.
    """
    if not response.ok or (response.content is None and response.reasoning_content is None):
        error = response.error or {}
        message = f"no response: {error.get('kind', 'empty')}: {error.get('message', 'no content')}"
        return Verdict(False, [NO_RESPONSE], NO_RESPONSE, None, [_short(message)], [NO_RESPONSE])
    if len(response.content or "") + len(response.reasoning_content or "") > MAX_RESPONSE_CHARS:
        return _too_long(response, policy)
    parsed = parse_response(response.content, response.reasoning_content)
    found: dict[str, list[str]] = {}

    # "truncated" says the teacher ran out of tokens; an unclosed tag on any other stop is the teacher's own error
    if response.finish_reason == "length":
        found["truncated"] = ["truncated: finish_reason=length"]
    elif parsed.truncated:
        found["malformed"] = [f"malformed: a tag is never closed (finish_reason={response.finish_reason})"]
    expected = problem.answer
    # each final answer is judged against the expected one once; the results serve both checks below
    v_judged = None if parsed.verifier_answer is None else _judge(parsed.verifier_answer, problem, tolerance)
    a_judged = None if parsed.answer is None else _judge(parsed.answer, problem, tolerance)
    v_ok, a_ok = v_judged == CORRECT, a_judged == CORRECT
    final, judged = (
        (parsed.verifier_answer, v_judged) if parsed.verifier_answer is not None else (parsed.answer, a_judged)
    )
    if final is None:
        found["wrong_answer"] = ["wrong answer: no <answer> or <verifier_answer> given"]
    elif judged == UNPARSEABLE:
        found["unparseable"] = [f"unparseable: no answer value can be read from {_short(final)!r}"]
    elif judged != CORRECT:
        note = "" if _expected_ok(expected) else " (the expected answer itself could not be parsed)"
        rounding = requested_rounding(problem.question)
        if rounding is not None and not note:
            note = f" or that rounded to {rounding}, as the question asks"
        found["wrong_answer"] = [f"wrong answer: {_short(final)!r}, expected {expected!r}{note}"]
    if parsed.verifier_answer is None:
        found["no_verifier_answer"] = ["no verifier answer: <verifier_answer> missing or empty"]
    elif parsed.answer is not None and _disagree(parsed.answer, parsed.verifier_answer, a_ok, v_ok):
        found["answer_mismatch"] = [
            f"answer mismatch: <answer> {_short(parsed.answer)!r} vs <verifier_answer> "
            f"{_short(parsed.verifier_answer)!r}"
        ]
    if parsed.format_issues:
        found["format"] = [f"format: {issue}" for issue in parsed.format_issues]
    bad: list[str] = []
    false_claims: list[str] = []
    checked = skipped = 0
    think = parsed.think or ""
    if think and _cut_while_thinking(parsed, response):
        # the last line is a fragment ("85 + 25 = 1"), not a claim the teacher made
        think = think.rpartition("\n")[0]
    # "<answer>48 * 6 * 3 - 48 = 708</answer>" states a false step just as the reasoning can
    tagged = (("", think), (" in <answer>", parsed.answer), (" in <verifier_answer>", parsed.verifier_answer))
    for where, text in tagged:
        # an answer tag is mostly a bare value: no "=" (nor a wide one), no claim, no call
        if text and (not where or "=" in text or not text.isascii()):
            report = check_steps(text)
            checked += report.checked
            skipped += report.skipped
            false_claims.extend(_short(claim) for claim in report.bad)
            bad.extend(f"bad step{where}: {_short(claim)}" for claim in report.bad)
    if bad:
        found["bad_step"] = bad
    if parsed.think:
        lang = language_issues(parsed.think, language)
        if lang:
            found["language"] = [f"language: {issue}" for issue in lang]

    flags = [r for r in REASONS if r in found]
    reasons = [r for r in flags if r in policy.reject]
    details = [d for r in flags for d in found[r]]
    verdict = reasons[0] if reasons else "correct"
    return Verdict(not reasons, reasons, verdict, parsed, details, flags, checked, skipped, false_claims=false_claims)


def _judge(text: str, problem: Problem, tolerance: Tolerance) -> str:
    return judge_answer(text, problem.answer, question=problem.question, tolerance=tolerance)


def _too_long(response: Response, policy: Policy) -> Verdict:
    """The verdict on a response over MAX_RESPONSE_CHARS, left unparsed: nothing in it was checked."""
    parsed = ParsedResponse(None, None, None, too_long=True)
    size = len(response.content or "") + len(response.reasoning_content or "")
    found = {"too_long": [f"too long: {size:,} characters, over the {MAX_RESPONSE_CHARS:,} the verifier reads"]}
    if response.finish_reason == "length":
        found["truncated"] = ["truncated: finish_reason=length"]
    flags = [r for r in REASONS if r in found]
    reasons = [r for r in flags if r in policy.reject]
    details = [d for r in flags for d in found[r]]
    return Verdict(not reasons, reasons, reasons[0] if reasons else "correct", parsed, details, flags)


def _cut_while_thinking(parsed: ParsedResponse, response: Response) -> bool:
    """The output stopped inside the reasoning: an unclosed <think>, or a length stop before any content."""
    if "<think> is never closed" in parsed.format_issues:
        return True
    return (
        response.finish_reason == "length"
        and parsed.think_source == "reasoning_content"
        and not (response.content or "").strip()
    )


def _expected_ok(expected: str) -> bool:
    return parse_plain(expected.strip()) is not None or parse_expected(expected) is not None


def _disagree(answer: str, verifier: str, a_ok: bool, v_ok: bool) -> bool:
    """The two final answers state different values (judged by their matches with the expected one first)."""
    if a_ok or v_ok:
        return a_ok != v_ok
    if answer.split() == verifier.split():
        return False  # the same text twice says the same thing, even when it cannot be read as a value
    return not (answers_match(answer, verifier) or answers_match(verifier, answer))
