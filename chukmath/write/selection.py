"""Per problem: verify each response, pick which accepted ones become samples, and build the rows.

This is the unit ``build`` calls inside its own streaming loop and ``chukmath verify`` calls once per problem:
it holds one problem's responses at a time, never the dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from chukmath.errors import ConfigError
from chukmath.formats import RUN, get_shape
from chukmath.hashing import text_hash
from chukmath.parse import ParsedResponse, parse_response
from chukmath.records import Problem, Request, Response
from chukmath.verify import language_issues, verify_response
from chukmath.verify.policy import CHECK
from chukmath.verify.tolerance import tolerance_of
from chukmath.write.samples import UserTurn, assistant_content, claims_field, user_messages

if TYPE_CHECKING:
    from chukmath.verify import Policy, Verdict

Keep = Literal["first", "all"]

# What became of one response; StatsAccumulator counts these.
WRITTEN = "written"  # accepted and written to train.jsonl
DUPLICATE = "duplicate"  # accepted, but the same assistant text was already written for this problem
OVER_CAP = "over_cap"  # accepted, but the problem already has its --keep / --max-per-problem samples
REJECTED = "rejected"  # the verifier's policy rejected it: written to rejects.jsonl
NO_RESPONSE = CHECK["no_response"].reason  # the key has only failed attempts in the journal: nothing to verify
STATUSES = (WRITTEN, DUPLICATE, OVER_CAP, REJECTED, NO_RESPONSE)

# A normalized sample that does not parse back into the same parts would teach a broken format (the check table's
# "roundtrip" entry, chukmath.verify.policy).
ROUNDTRIP_REASON = CHECK["roundtrip"].reason


@dataclass(frozen=True, slots=True)
class SelectOptions:
    """How accepted responses become samples; the defaults are the R1 cold-start shape.

    ``keep="first"`` keeps the first accepted sample of each problem (lowest sample index); ``keep="all"`` keeps
    every accepted one, at most ``max_per_problem`` when that is set.
    """

    keep: Keep = "first"
    max_per_problem: int | None = None
    user_turn: UserTurn = "question"
    system: str | None = None
    strip_verifier_answer: bool = False
    language: str = "en"
    tolerance: str = "asked"  # which inexact numbers count besides the rounding a question asks for (--tolerance)

    def __post_init__(self) -> None:
        if self.keep not in ("first", "all"):
            raise ConfigError(f"--keep {self.keep!r}: expected 'first' or 'all'")
        if self.user_turn not in ("question", "prompt"):
            raise ConfigError(f"--user-turn {self.user_turn!r}: expected 'question' or 'prompt'")
        # Checked here, not at the first think: a typo must fail before an hour of verification, not after.
        language_issues("", self.language)
        tolerance_of(self.tolerance)
        if self.max_per_problem is not None:
            if self.max_per_problem < 1:
                raise ConfigError(f"--max-per-problem {self.max_per_problem}: must be at least 1")
            if self.keep == "first" and self.max_per_problem > 1:
                raise ConfigError(
                    f"--max-per-problem {self.max_per_problem} with --keep first: 'first' keeps one sample per "
                    "problem; use --keep all --max-per-problem N to keep up to N"
                )

    @property
    def cap(self) -> int | None:
        """Most samples written per problem (None: no limit)."""
        return 1 if self.keep == "first" else self.max_per_problem

    def to_dict(self) -> dict[str, Any]:
        """The options as recorded in stats.json, so a dataset says how it was selected."""
        return {
            "keep": self.keep,
            "max_per_problem": self.max_per_problem,
            "user_turn": self.user_turn,
            "system": self.system,
            "strip_verifier_answer": self.strip_verifier_answer,
            "language": self.language,
            "tolerance": self.tolerance,
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    """One journal answer together with the request it answers."""

    request: Request
    response: Response


@dataclass(slots=True)
class SampleOutcome:
    """What happened to one response of a problem (``status`` is one of STATUSES)."""

    problem: Problem
    candidate: Candidate
    status: str
    verdict: Verdict | None = None
    reasons: list[str] = field(default_factory=list)  # the ones that rejected it (empty when accepted)
    flags: list[str] = field(default_factory=list)  # every problem found, rejecting or not
    think_chars: int | None = None


@dataclass(slots=True)
class ProblemResult:
    """The rows one problem contributes, in order, and the outcome of every response (for stats)."""

    rows: list[dict[str, Any]]
    rejects: list[dict[str, Any]]
    outcomes: list[SampleOutcome]


def _roundtrips(
    text: str, think: str, answer: str, verifier_answer: str | None, response: Response, parsed: ParsedResponse
) -> bool:
    if text == response.content and response.reasoning_content is None:
        # The sample is the response verbatim, and ``parsed`` is parse_response of exactly this text (the
        # verifier parsed it with no reasoning_content), so the parse below would give ``parsed`` again and every
        # comparison would be of a part with itself.
        return (
            (parsed.think or "").strip() == think.strip()
            and (parsed.answer or "").strip() == answer.strip()
            and (parsed.verifier_answer or "").strip() == (verifier_answer or "").strip()
        )
    parsed = parse_response(text)
    return (
        (parsed.think or "").strip() == think.strip()
        and (parsed.answer or "").strip() == answer.strip()
        and (parsed.verifier_answer or "").strip() == (verifier_answer or "").strip()
    )


def select_samples(
    problem: Problem,
    candidates: Sequence[Candidate],
    policy: Policy,
    options: SelectOptions,
    review: Callable[[Problem, Response, Verdict], Verdict] | None = None,
) -> ProblemResult:
    """Verify every candidate of ``problem`` and choose the samples to write.

    Candidates are taken in a fixed order — sample index, then request id — whatever order the caller passes, so
    the output depends only on the inputs. Every successful response is verified (also after the cap is reached),
    so acceptance rates count all of them. Failed journal lines (``error`` set) and successes without any text are
    reported as ``no_response``.
    Returns the train rows, the reject rows and one outcome per candidate, in the run's row shapes (run:chat and
    run:rejects in chukmath.formats.ROW_SHAPES).
    """
    sample_row, reject_row = get_shape(RUN, "chat").row, get_shape(RUN, "rejects").row
    ordered = (
        candidates if len(candidates) == 1 else sorted(candidates, key=lambda c: (c.response.sample, c.request.id))
    )
    rows: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    outcomes: list[SampleOutcome] = []
    seen_texts: set[str] = set()
    cap = options.cap
    for cand in ordered:
        response = cand.response
        if not response.ok:
            outcomes.append(SampleOutcome(problem, cand, NO_RESPONSE))
            continue
        verdict = verify_response(problem, response, policy, options.language, tolerance_of(options.tolerance))
        if review is not None:
            # A second opinion on what the rules could not decide (chukmath.judge: an unparseable answer).
            verdict = review(problem, response, verdict)
        parsed = verdict.parsed
        if parsed is None:  # a "successful" line with no text at all: nothing was answered
            outcomes.append(SampleOutcome(problem, cand, NO_RESPONSE, verdict))
            continue
        reasons = list(verdict.reasons)
        flags = list(verdict.flags)
        details = list(verdict.details)
        accepted = verdict.accepted
        claims = claims_field(verdict.claims_checked, verdict.claims_skipped)
        text = ""
        think = parsed.think  # from reasoning_content for R1-style answers (chukmath.parse)
        if accepted and parsed.answer is None:
            # Only a policy that ignores wrong_answer can get here; a sample needs an answer to be one.
            accepted = False
            reasons = reasons or [ROUNDTRIP_REASON]
            flags = flags or [ROUNDTRIP_REASON]
            details.append("no <answer> to write")
        if accepted:
            assert parsed.answer is not None
            text = assistant_content(
                think, parsed.answer, parsed.verifier_answer, strip_verifier_answer=options.strip_verifier_answer
            )
            verifier = None if options.strip_verifier_answer else parsed.verifier_answer
            if not _roundtrips(text, think or "", parsed.answer, verifier, response, parsed):
                accepted = False
                if ROUNDTRIP_REASON not in reasons:
                    reasons.insert(0, ROUNDTRIP_REASON)
                if ROUNDTRIP_REASON not in flags:
                    flags.append(ROUNDTRIP_REASON)
                details.append("the normalized sample does not parse back into the same parts (tags inside the text)")
        if not accepted:
            rejects.append(reject_row(problem, response, reasons, details, parsed.verifier_answer, claims))
            outcomes.append(SampleOutcome(problem, cand, REJECTED, verdict, reasons, flags))
            continue
        think_chars = len((think or "").strip())
        # The digest is only ever compared with later candidates' of this problem: none when there is one.
        digest = text_hash(text) if len(ordered) > 1 else ""
        if digest in seen_texts:
            status = DUPLICATE
        elif cap is not None and len(rows) >= cap:
            seen_texts.add(digest)
            status = OVER_CAP
        else:
            seen_texts.add(digest)
            messages = user_messages(problem, cand.request, options.user_turn, options.system)
            row = sample_row(problem, cand.request, response, messages, text, claims)
            if verdict.judged_by:
                row["judged_by"] = verdict.judged_by
            rows.append(row)
            status = WRITTEN
        outcomes.append(SampleOutcome(problem, cand, status, verdict, reasons, flags, think_chars))
    return ProblemResult(rows, rejects, outcomes)
