"""Verdict labels that say what happened: unparseable, malformed vs truncated, too_long, and the question's rounding."""

from __future__ import annotations

import pytest

from chukmath.parse import MAX_RESPONSE_CHARS, PARSE_LIMIT, parse_response
from chukmath.records import Problem, Response
from chukmath.verify import Policy, verify_response
from chukmath.verify.tolerance import Tolerance

PROBLEM = Problem("p1", "arithmetic", 1, 7, 0, "What is 85 + 25?", "85 + 25", "110")
RIBBON = (
    "Each friend gets 2 meters of ribbon since sixteen meters shared equally among eight friends gives two meters "
    "each and nothing is left over at the end of the day"
)


def respond(content: str, finish_reason: str | None = "stop", reasoning: str | None = None) -> Response:
    return Response("r1", 0, "openai", "m", content, reasoning, finish_reason)


def sample(answer: str = "110", verifier: str = "110", think: str = "85 + 25 = 110") -> str:
    return f"<think>\n{think}\n</think>\n<answer>{answer}</answer>\n<verifier_answer>{verifier}</verifier_answer>"


@pytest.mark.parametrize("text", ["one hundred and ten", RIBBON, "\\frac{1}{"])
def test_the_same_unparseable_text_in_both_tags_is_unparseable_not_a_mismatch(text: str) -> None:
    v = verify_response(PROBLEM, respond(sample(answer=text, verifier=text)))
    assert v.verdict == "unparseable" and v.flags == ["unparseable"], v.flags
    assert v.details[0].startswith("unparseable: no answer value can be read from")


def test_a_readable_wrong_answer_is_still_wrong_answer() -> None:
    v = verify_response(PROBLEM, respond(sample(answer="111", verifier="111")))
    assert v.verdict == "wrong_answer" and "unparseable" not in v.flags


def test_an_unparseable_answer_next_to_a_right_verifier_answer_is_a_mismatch() -> None:
    v = verify_response(PROBLEM, respond(sample(answer="one hundred and ten")))
    assert v.flags == ["answer_mismatch"]


def test_unclosed_tag_on_a_normal_stop_is_malformed_and_on_a_length_stop_truncated() -> None:
    content = "<think>85 + 25 = 110</think>\n<answer>110</answer>\n<verifier_answer>110"
    stopped = verify_response(PROBLEM, respond(content, "stop"))
    assert stopped.verdict == "malformed" and "truncated" not in stopped.flags
    assert stopped.details[0] == "malformed: a tag is never closed (finish_reason=stop)"
    cut = verify_response(PROBLEM, respond(content, "length"))
    assert cut.verdict == "truncated" and "malformed" not in cut.flags
    assert verify_response(PROBLEM, respond("<think>85 + 25 = 110", None)).verdict == "malformed"


def test_a_response_over_the_cap_is_too_long_and_left_unread() -> None:
    think = "85 + 25 = 110\n" * (MAX_RESPONSE_CHARS // 14 + 1)
    v = verify_response(PROBLEM, respond(sample(think=think)))
    assert not v.accepted and v.verdict == "too_long" and v.flags == ["too_long"]
    assert v.details[0].startswith("too long: ") and f"{MAX_RESPONSE_CHARS:,}" in v.details[0]
    assert v.parsed is not None and v.parsed.too_long and v.parsed.answer is None
    # content and reasoning_content count together; just under the cap is read as usual
    reasoning = "85 + 25 = 110\n" * (MAX_RESPONSE_CHARS // 28)
    assert verify_response(PROBLEM, respond(sample(think=""), reasoning=reasoning)).verdict != "too_long"
    v = verify_response(PROBLEM, respond("<answer>110</answer>", reasoning=reasoning * 3))
    assert v.verdict == "too_long"
    assert parse_response("x" * (PARSE_LIMIT + 1)).too_long and not parse_response("x" * PARSE_LIMIT).too_long


def test_too_long_with_a_length_stop_is_flagged_both_ways_and_the_policy_decides() -> None:
    content = "<think>" + "a" * MAX_RESPONSE_CHARS
    v = verify_response(PROBLEM, respond(content, "length"))
    assert v.flags == ["too_long", "truncated"] and v.verdict == "too_long"
    lenient = verify_response(PROBLEM, respond(content, "length"), Policy.from_spec("all,-wrong_answer"))
    assert lenient.reasons == ["truncated"]


def test_policies_that_name_the_older_reasons_keep_their_meaning() -> None:
    assert Policy.from_spec("truncated").reject == {"truncated", "malformed"}
    assert Policy.from_spec("all,-wrong_answer").reject.isdisjoint({"wrong_answer", "unparseable", "too_long"})
    assert Policy.from_spec("wrong_answer,-unparseable").reject == {"wrong_answer", "too_long"}
    text = "one hundred and ten"
    v = verify_response(PROBLEM, respond(sample(answer=text, verifier=text)), Policy.from_spec("wrong_answer"))
    assert not v.accepted and v.reasons == ["unparseable"]


ROUNDED = Problem("p2", "word_problem", 2, 7, 1, "Share 9157 g among 9 bags. Round to 2 decimal places.",
                  "9157/9", "9157/9")  # fmt: skip


def test_the_verifier_reads_the_rounding_from_the_question() -> None:
    assert verify_response(ROUNDED, respond(sample(answer="1017.44", verifier="1017.44", think="9157 / 9"))).accepted
    v = verify_response(ROUNDED, respond(sample(answer="1017.4", verifier="1017.4", think="9157 / 9")))
    assert v.details == ["wrong answer: '1017.4', expected '9157/9' or that rounded to 2 decimal places, as the "
                         "question asks"]  # fmt: skip
    plain = Problem("p3", "arithmetic", 2, 7, 2, "What is 9157 / 9?", "9157/9", "9157/9")
    v = verify_response(plain, respond(sample(answer="1017.44", verifier="1017.44", think="9157 / 9")))
    assert v.verdict == "wrong_answer"
    loose = verify_response(plain, respond(sample("1017.44", "1017.44", "9157 / 9")), tolerance=Tolerance.from_spec(
        "abs:0.01"))
    assert loose.accepted
