"""Verification: answer equivalence, arithmetic-step checks and verdicts for teacher responses.

Public API: ``answers_match(candidate, expected)``, ``verify_response(problem, response, policy, language)``,
``Verdict``, ``Policy`` / ``DEFAULT_POLICY`` / ``REASONS``, ``bad_steps(think)`` / ``check_claims(think)`` and
``language_issues(text, language)``.
"""

from chukmath.verify.answers import answers_match
from chukmath.verify.language import LANGUAGE_SCRIPTS, language_issues
from chukmath.verify.policy import DEFAULT_POLICY, REASONS, Policy
from chukmath.verify.steps import Claim, bad_steps, check_claims
from chukmath.verify.verdict import Verdict, verify_response

__all__ = [
    "DEFAULT_POLICY",
    "LANGUAGE_SCRIPTS",
    "REASONS",
    "Claim",
    "Policy",
    "Verdict",
    "answers_match",
    "bad_steps",
    "check_claims",
    "language_issues",
    "verify_response",
]
