"""Verification: answer equivalence, arithmetic-step checks and verdicts for teacher responses.

Public API: ``answers_match(candidate, expected, question=, tolerance=)`` / ``judge_answer`` (also tells
unparseable from wrong), ``verify_response(problem, response, policy, language, tolerance)``, ``Tolerance``,
``Verdict``, ``Policy`` / ``DEFAULT_POLICY`` / ``REASONS``, ``bad_steps(text)`` / ``check_claims(text)`` /
``check_steps(text)`` (claims and the count skipped, a ``StepReport``) and
``language_issues(text, language)``, and ``clear_caches()``.
"""

from chukmath.stage_module import make_callable
from chukmath.verify import answers as _answers
from chukmath.verify import steps as _steps
from chukmath.verify import values as _values
from chukmath.verify.answers import answers_match, judge_answer
from chukmath.verify.language import LANGUAGE_SCRIPTS, language_issues
from chukmath.verify.policy import DEFAULT_POLICY, REASONS, Policy
from chukmath.verify.steps import Claim, StepReport, bad_steps, check_claims, check_steps
from chukmath.verify.tolerance import DEFAULT_TOLERANCE, Tolerance
from chukmath.verify.verdict import Verdict, verify_response


def clear_caches() -> None:
    """Empty the verifier's caches (parsed expected answers, per-line claim results); for cold-cost benchmarks."""
    _steps.clear_cache()
    _values.parse_expected.cache_clear()
    _values.plain_expected.cache_clear()
    _values.to_value.cache_clear()
    _answers._cached_span.cache_clear()
    _answers.answer_items.cache_clear()
    _answers.expected_as_written.cache_clear()


__all__ = [
    "DEFAULT_POLICY",
    "DEFAULT_TOLERANCE",
    "LANGUAGE_SCRIPTS",
    "REASONS",
    "Claim",
    "Policy",
    "StepReport",
    "Tolerance",
    "Verdict",
    "answers_match",
    "bad_steps",
    "check_claims",
    "check_steps",
    "clear_caches",
    "judge_answer",
    "language_issues",
    "verify_response",
]

# Calling the stage runs chukmath.api's function of the same name (why: chukmath/stage_module.py).
make_callable(__name__)
