"""The verdict checks are one table: REASONS, IMPLIED and the policy come from it."""

import pytest

from chukmath.errors import ConfigError
from chukmath.records import Problem, Response
from chukmath.verify import verify_response
from chukmath.verify.policy import CHECK, CHECKS, IMPLIED, NO_RESPONSE, REASONS, ROUNDTRIP, Policy
from chukmath.write.selection import NO_RESPONSE as SELECTION_NO_RESPONSE
from chukmath.write.selection import ROUNDTRIP_REASON


def test_reasons_and_implied_are_derived_from_the_table_in_priority_order():
    assert REASONS == ("too_long", "truncated", "malformed", "wrong_answer", "unparseable", "no_verifier_answer",
                       "answer_mismatch", "format", "bad_step", "language")
    assert IMPLIED == {"wrong_answer": ("unparseable", "too_long"), "truncated": ("malformed",)}
    assert len({c.name for c in CHECKS}) == len(CHECKS) and all(c.means for c in CHECKS)
    assert all(r in REASONS for c in CHECKS for r in c.implies)


def test_no_response_and_the_round_trip_are_checks_of_the_table():
    assert CHECK["no_response"].selectable is False and NO_RESPONSE == SELECTION_NO_RESPONSE == "no_response"
    assert CHECK["roundtrip"].made_by == "chukmath.write.selection" and ROUNDTRIP == ROUNDTRIP_REASON == "format"
    with pytest.raises(ConfigError, match="unknown reason 'no_response'"):
        Policy.from_spec("all,-no_response")
    problem = Problem("p", "arithmetic", 1, 0, 0, "1+1?", "1+1", "2")
    failed = Response("r", 0, "openai", "m", None, error={"kind": "http_429", "message": "slow down"})
    verdict = verify_response(problem, failed, Policy.from_spec("language"))
    assert (verdict.accepted, verdict.verdict, verdict.flags) == (False, NO_RESPONSE, [NO_RESPONSE])


def test_policy_specs_read_back():
    for spec in ("all", "wrong_answer,format", "wrong_answer,-unparseable", "truncated,-malformed,bad_step"):
        assert Policy.from_spec(Policy.from_spec(spec).spec()) == Policy.from_spec(spec)
