"""verify_response: one test per verdict reason, the policy, and the built-in teacher's traces all verifying."""

import pytest

from chukmath.errors import ConfigError
from chukmath.records import Problem, Response
from chukmath.verify import DEFAULT_POLICY, REASONS, Policy, verify_response

PROBLEM = Problem("p1", "arithmetic", 1, 7, 0, "What is 85 + 25?", "85 + 25", "110")


def respond(content, finish_reason="stop", reasoning_content=None, error=None):
    return Response("r1", 0, "openai", "m", content, reasoning_content, finish_reason, None, error)


def sample(think="85 + 25 = 110", answer="110", verifier="110"):
    return f"<think>\n{think}\n</think>\n<answer>{answer}</answer>\n<verifier_answer>{verifier}</verifier_answer>"


def test_correct():
    v = verify_response(PROBLEM, respond(sample(answer="The answer is **110**.")))
    assert v.accepted and v.verdict == "correct" and v.reasons == [] and v.details == []
    assert v.parsed.answer == "The answer is **110**."


@pytest.mark.parametrize(
    ("content", "reason", "detail"),
    [
        (sample(answer="111", verifier="111", think="85 + 25 = 111 is what I get? no: 85 + 26 = 111"),
         "wrong_answer", "wrong answer: '111', expected '110'"),
        ("<think>85 + 25 = 110</think>\n<answer>110</answer>", "no_verifier_answer", "no verifier answer"),
        (sample(answer="111"), "answer_mismatch", "answer mismatch: <answer> '111' vs <verifier_answer> '110'"),
        ("Here you go!\n" + sample(), "format", "format: text before <think>"),
        (sample() + "\nHope this helps", "format", "format: text outside the tags"),
        ("<think>85 + 25 = 110, so now I write", "malformed", "malformed: a tag is never closed"),
        (sample(think="85 + 25 = 111\n111 - 1 = 110"), "bad_step", "bad step: 85 + 25 = 111"),
        (sample(think="我们计算 85 + 25 = 110，所以答案是110"), "language", "language: reasoning not in en"),
    ],
)  # fmt: skip
def test_each_reason(content, reason, detail):
    v = verify_response(PROBLEM, respond(content))
    assert not v.accepted
    assert reason in v.reasons
    assert any(d.startswith(detail) for d in v.details), v.details


def test_fenced_response_is_correct_and_empty_answer_is_format():
    assert verify_response(PROBLEM, respond("```\n" + sample() + "\n```")).verdict == "correct"
    v = verify_response(PROBLEM, respond(sample(answer="")))
    assert v.reasons == ["format"] and v.details == ["format: empty <answer>"]


@pytest.mark.parametrize(
    ("content", "reasoning", "finish"),
    [("<think>44 + 41 = 85\n85 + 25 = 1", None, "stop"), ("", "44 + 41 = 85\n85 + 25 = 1", "length")],
)
def test_the_line_cut_off_by_truncation_is_not_a_bad_step(content, reasoning, finish):
    v = verify_response(PROBLEM, respond(content, finish_reason=finish, reasoning_content=reasoning))
    assert v.verdict == ("truncated" if finish == "length" else "malformed") and "bad_step" not in v.flags
    # the lines before it are still checked
    v = verify_response(PROBLEM, respond(content.replace("= 85", "= 86"), finish, reasoning and "44 + 41 = 86\n1"))
    assert "bad_step" in v.flags and v.details[-1] == "bad step: 44 + 41 = 86"


def test_a_closed_think_keeps_its_last_line_checked():
    v = verify_response(PROBLEM, respond("<think>44 + 41 = 85\n85 + 25 = 1</think>", finish_reason="length"))
    assert "bad step: 85 + 25 = 1" in v.details


def test_finish_reason_length_is_truncated_even_when_complete():
    v = verify_response(PROBLEM, respond(sample(), finish_reason="length"))
    assert v.reasons == ["truncated"] and v.verdict == "truncated"


def test_verdict_is_first_reason_in_priority_order():
    v = verify_response(PROBLEM, respond("Sure! " + sample(answer="111", verifier="111", think="85 + 25 = 111")))
    assert v.reasons == ["wrong_answer", "format", "bad_step"] and v.verdict == "wrong_answer"


def test_error_response_is_no_response():
    v = verify_response(PROBLEM, respond(None, error={"kind": "http_429", "message": "slow down"}))
    assert not v.accepted and v.verdict == "no_response" and "http_429" in v.details[0]


def test_reasoning_content_as_think():
    content = "<answer>110</answer>\n<verifier_answer>110</verifier_answer>"
    v = verify_response(PROBLEM, respond(content, reasoning_content="85 + 25 = 110"))
    assert v.accepted, v.details
    v = verify_response(PROBLEM, respond(content, reasoning_content="85 + 25 = 112"))
    assert v.reasons == ["bad_step"]


def test_policy_chooses_which_reasons_reject():
    content = "Sure! " + sample()
    assert not verify_response(PROBLEM, respond(content)).accepted
    lenient = Policy.from_spec("all,-format")
    v = verify_response(PROBLEM, respond(content), policy=lenient)
    assert v.accepted and v.verdict == "correct" and v.reasons == [] and v.flags == ["format"]
    # wrong_answer brings the reasons split off from it (an unreadable or unread answer is not a right one)
    assert Policy.from_spec("wrong_answer, format").reject == {"wrong_answer", "unparseable", "too_long", "format"}
    assert Policy.from_spec("all") == DEFAULT_POLICY and DEFAULT_POLICY.reject == set(REASONS)
    assert Policy.from_spec("wrong_answer,format").spec() == "wrong_answer,format"


def test_policy_errors_name_the_problem():
    with pytest.raises(ConfigError, match="unknown reason 'wrong'"):
        Policy.from_spec("wrong")
    with pytest.raises(ConfigError, match="rejects nothing"):
        Policy.from_spec("")


def test_language_option():
    zh = sample(think="首先计算：85 + 25 = 110，所以答案是 110。")
    assert verify_response(PROBLEM, respond(zh), language="zh").accepted
    assert not verify_response(PROBLEM, respond(sample(think="First add: 85 + 25 = 110")), language="zh").accepted
    with pytest.raises(ConfigError, match="language 'xx'"):
        verify_response(PROBLEM, respond(sample()), language="xx")


FRENCH = "Nous additionnons les deux nombres : 85 + 25 = 110. Donc le résultat est 110, et la réponse est 110."
GERMAN = "Zuerst addieren wir die Zahlen: 85 + 25 = 110. Dann ergibt sich das Ergebnis 110, und das ist die Antwort."
ENGLISH = "First we add the two numbers: 85 + 25 = 110. So the result is 110, and that is the answer."


@pytest.mark.parametrize(
    ("think", "language", "reads_as"), [(FRENCH, "en", "fr"), (GERMAN, "en", "de"), (ENGLISH, "fr", "en")]
)
def test_reasoning_in_another_latin_script_language_is_language(think, language, reads_as):
    v = verify_response(PROBLEM, respond(sample(think=think)), language=language)
    assert v.reasons == ["language"]
    assert v.details[0].startswith(f"language: reasoning not in {language}: reads as {reads_as}")


@pytest.mark.parametrize(("think", "language"), [(FRENCH, "fr"), (GERMAN, "de"), (ENGLISH, "en")])
def test_reasoning_in_the_requested_latin_script_language_passes(think, language):
    assert verify_response(PROBLEM, respond(sample(think=think)), language=language).accepted


def test_french_reasoning_after_restating_the_english_question_is_language():
    think = (
        "The question: what is the sum of 85 and 25? Nous cherchons la somme de ces deux nombres. "
        "Pour cela, nous additionnons d'abord les dizaines puis les unités, ce qui donne un total. "
        "Ensuite nous vérifions avec une soustraction : 85 + 25 = 110, donc le résultat est 110 et il est juste."
    )
    v = verify_response(PROBLEM, respond(sample(think=think)))
    assert v.reasons == ["language"] and "reads as fr" in v.details[0]


def test_a_quoted_phrase_or_a_name_is_not_another_language():
    think = "The problem says 'combien de pommes', how many apples. Jose has 85 and gets 25: 85 + 25 = 110."
    assert verify_response(PROBLEM, respond(sample(think=think))).accepted


def test_a_few_cjk_characters_in_long_english_reasoning_are_language():
    think = "85 + 25 = 110. We check it again carefully. " * 40 + "所以 the answer is 110."
    v = verify_response(PROBLEM, respond(sample(think=think)))
    assert v.reasons == ["language"] and "cjk 2 of" in v.details[0]


def test_mixed_script_words_are_language():
    v = verify_response(PROBLEM, respond(sample(think="The sum計算 is 85 + 25 = 110")))
    assert "language" in v.reasons


def test_symbolic_problem():
    p = Problem("p2", "quadratic", 2, 1, 0, "Solve x^2 + x - 2 = 0", "Eq(x**2 + x - 2, 0)", "{-2, 1}")
    content = sample(think="(x + 2)(x - 1) = 0", answer=r"$x = -2$ or $x = 1$", verifier=r"\{1, -2\}")
    assert verify_response(p, respond(content)).accepted
    assert verify_response(p, respond(sample(think="x", answer="1", verifier="1"))).verdict == "wrong_answer"


def test_builtin_teacher_traces_all_verify():
    from chukmath.generate import generate, list_families
    from chukmath.teach.builtin import builtin_trace

    checked = 0
    for family in list_families():
        for difficulty in (1, 3, 5):
            for problem in generate(family.name, seed=11, count=10, difficulty=difficulty):
                v = verify_response(problem, respond(builtin_trace(problem)))
                assert v.accepted, (problem.to_dict(), v.details)
                checked += 1
    assert checked >= 10 * 3 * 5
