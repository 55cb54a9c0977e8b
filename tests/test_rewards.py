"""The reward functions, driven as TRL drives them: ``f(completions=[...], **columns)``."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from timing import assert_linear

from chukmath.errors import ConfigError
from chukmath.rewards import (
    MAX_COMPLETION_CHARS,
    accuracy_reward,
    combined,
    final_answer,
    format_reward,
    format_reward_lenient,
    language_reward,
    language_reward_for,
    language_share,
    step_reward,
)
from chukmath.rewards.reading import clear_cache as clear_parse_cache
from chukmath.verify import clear_caches

GOOD = "<think>\nFirst, 3 + 4 = 7.\nThen 7 × 2 = 14.\nSo the answer is 14.\n</think>\n<answer>14</answer>"
BAD_STEP = "<think>\nFirst, 3 + 4 = 8.\nThen 8 × 2 = 16.\n</think>\n<answer>16</answer>"


def chat(text: str) -> list[dict[str, str]]:
    return [{"role": "assistant", "content": text}]


# --- accuracy ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completion", "answer", "expected"),
    [
        (GOOD, "14", 1.0),
        (BAD_STEP, "14", 0.0),
        ("<think>x</think>\n<answer>The answer is \\boxed{\\frac{3}{4}}.</answer>", "3/4", 1.0),
        ("<think>x</think>\n<answer>3/4</answer>\n<verifier_answer>3/4</verifier_answer>", "3/4", 1.0),
        # <verifier_answer> is the final answer when both are given (the verifier's rule)
        ("<think>x</think>\n<answer>3/4</answer>\n<verifier_answer>1/2</verifier_answer>", "3/4", 0.0),
        ("<think>so 0.75</think>\nThe final answer is $\\boxed{\\dfrac{3}{4}}$.", "3/4", 1.0),
        ("Let me compute. 3 + 4 = 7, so x = 7", "7", 1.0),  # a bare final line
        ("We get\nx = 7\nI hope this helps!", "7", 0.0),  # the last line is no answer
        ("<think>\nx^2 - 5x + 6 = 0 factors.\n</think>\n<answer>x = 2 or x = 3</answer>", "{2, 3}", 1.0),
        ("<think>\nx^2 - 5x + 6 = 0\n</think>\n<answer>x = 2</answer>", "{2, 3}", 0.0),
        ("<think>\nsolve\n</think>\n<answer>x = 3, y = 2</answer>", "{x: 3, y: 2}", 1.0),
        ("<think>cut before the end, 3 + 4 = ", "7", 0.0),  # truncated in the reasoning
        ("<think>3 + 32 = 35</think>\n<answer>3", "3", 0.0),  # truncated inside <answer>: 3 of 35 is no answer
        ("", "7", 0.0),
        ("7", 7, 1.0),  # a number column is read as its text
    ],
)
def test_accuracy(completion, answer, expected):
    assert accuracy_reward(completions=[completion], answer=[answer]) == [expected]
    assert accuracy_reward(completions=[chat(completion)], answer=[answer]) == [expected]


def test_accuracy_is_none_only_without_an_answer_to_compare_with():
    assert accuracy_reward([GOOD, GOOD], answer=[None, ""]) == [None, None]
    assert accuracy_reward([GOOD]) == [None]
    assert accuracy_reward(["garbage"], answer=["14"]) == [0.0]


def test_accuracy_takes_trl_extra_keywords_and_columns():
    rewards = accuracy_reward(
        prompts=[[{"role": "user", "content": "What is 3 + 4, doubled?"}]],
        completions=[chat(GOOD)],
        completion_ids=[[1, 2, 3]],
        answer=["14"],
        generator=["arithmetic"],
        difficulty=[1],
        problem_id=["p1"],
        trainer_state=object(),
        log_extra=lambda *a, **k: None,
        log_metric=lambda *a, **k: None,
    )
    assert rewards == [1.0]


def test_accuracy_reads_the_rounding_a_question_asks_for():
    completion = "<think>\n37 / 3 = 12.333...\n</think>\n<answer>12.33</answer>"
    asked = "A rope of 37 m is cut into 3 equal parts. How long is each part? Round to 2 decimal places."
    assert accuracy_reward([completion], answer=["37/3"], question=[asked]) == [1.0]
    assert accuracy_reward([completion], answer=["37/3"], question=["How long is each part?"]) == [0.0]


def test_a_column_of_the_wrong_length_is_an_error_not_a_silent_misalignment():
    with pytest.raises(ValueError, match="2 values for 1 completions"):
        accuracy_reward([GOOD], answer=["14", "15"])


def test_final_answer_order():
    assert final_answer("<think>a</think><answer>5</answer><verifier_answer>6</verifier_answer>") == "6"
    # the boxes of the last box's line are one answer (a list boxed value by value), an earlier line's are not
    boxed = "<think>a</think> \\boxed{1} then \\boxed{\\frac{1}{2}}"
    assert final_answer(boxed) == "\\boxed{1}, \\boxed{\\frac{1}{2}}"
    assert accuracy_reward([boxed] * 2, answer=["{1, 1/2}", "1/2"]) == [1.0, 0.0]
    assert final_answer("<think>a</think>\n\\boxed{1}\nThen \\boxed{\\frac{1}{2}}") == "\\boxed{\\frac{1}{2}}"
    assert final_answer("<think>a</think>\n\nx = 3\n\n") == "x = 3"
    assert final_answer("<think>never closed") is None


# --- format -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completion", "strict", "lenient"),
    [
        (GOOD, 1.0, 1.0),
        ("<think>a</think><answer>b</answer>\n", 1.0, 1.0),  # trailing whitespace is nothing
        ("  <think>a</think><answer>b</answer>", 0.0, 1.0),  # leading whitespace
        ("a\n</think>\n<answer>b</answer>", 0.0, 1.0),  # R1: <think> was in the prompt
        ("<think>a</think><answer>b</answer><verifier_answer>c</verifier_answer>", 0.0, 1.0),
        ("<think>a</think><answer>b</answer><verifier_answer> </verifier_answer>", 0.0, 0.0),
        ("<think>a</think><verifier_answer>c</verifier_answer><answer>b</answer>", 0.0, 0.0),
        ("Sure! <think>a</think><answer>b</answer>", 0.0, 0.0),  # text before
        ("<think>a</think><answer>b</answer> Hope this helps", 0.0, 0.0),  # text after
        ("<think>a</think>so<answer>b</answer>", 0.0, 0.0),  # text between
        ("<think> </think><answer>b</answer>", 0.0, 0.0),  # empty think
        ("<think>a</think><answer> </answer>", 0.0, 0.0),  # empty answer
        ("<think>put it in <answer> tags</think><answer>b</answer>", 0.0, 0.0),  # a tag twice
        ("<think>a<think>b</think><answer>c</answer>", 0.0, 0.0),
        ("<think>a</think><answer>b", 0.0, 0.0),
        ("<think>a", 0.0, 0.0),
        ("The answer is 7.", 0.0, 0.0),
        ("", 0.0, 0.0),
    ],
)
def test_format(completion, strict, lenient):
    assert format_reward([completion]) == [strict]
    assert format_reward_lenient([completion]) == [lenient]
    assert format_reward(completions=[chat(completion)]) == [strict]


# --- step -------------------------------------------------------------------------------------------------


def test_step_reward_is_the_share_of_true_claims():
    half = "<think>\n3 + 4 = 7\n7 × 2 = 15\n</think>\n<answer>15</answer>"
    assert step_reward([GOOD, BAD_STEP, half]) == [1.0, 0.5, 0.5]


def test_step_reward_without_claims_is_not_applicable():
    assert step_reward(["<think>\nThink about it.\n</think>\n<answer>7</answer>", ""]) == [None, None]


def test_step_reward_reads_the_whole_text_without_think_and_drops_a_cut_last_line():
    assert step_reward(["12 + 30 = 42, so 42."]) == [1.0]
    # stopped mid-line inside the reasoning: "85 + 25 = 1" is a fragment, not a claim
    assert step_reward(["<think>\n3 + 4 = 7\n85 + 25 = 1"]) == [1.0]


# --- language ---------------------------------------------------------------------------------------------


def test_language_reward_english():
    assert language_reward([GOOD]) == [1.0]
    mixed = "<think>\nFirst we add: 3 + 4 = 7. 然后我们乘以二 then the total is 14.\n</think>\n<answer>14</answer>"
    (share,) = language_reward([mixed])
    assert 0.0 < share < 1.0
    french = "<think>\nNous calculons d'abord la somme, puis le résultat est donc 14 et la réponse est 14.\n</think>"
    (fr,) = language_reward([french])
    assert fr is not None and fr < 0.5


def test_language_reward_other_languages():
    french = "<think>\nNous calculons d'abord la somme, puis le résultat est donc 14.\n</think><answer>14</answer>"
    assert language_reward_for("fr")([french]) == [1.0]
    chinese = "<think>\n首先计算 3 + 4 = 7，然后乘以 2 得到 14。\n</think><answer>14</answer>"
    assert language_reward_for("zh")([chinese]) == [1.0]
    assert language_reward_for("zh")([GOOD])[0] == 0.0
    assert language_reward_for("fr").__name__ == "language_reward_fr"
    with pytest.raises(ConfigError, match="not supported"):
        language_reward_for("xx")


@pytest.mark.parametrize("language", ["en", "fr", "de", "zh", "ru"])
def test_language_share_shortcut_agrees_with_the_letter_by_letter_reading(language):
    texts = [
        "First, 3 × 4 = 12. Then the total is 12 + 3 = 15, so THE answer is 15.",
        "Nous calculons la somme, puis le résultat est donc 14 et la réponse est 14.",
        "We have 2πr = 6π, so r = 3. Ainsi le rayon est 3; Der Wert ist 3 und das Ergebnis.",
        "x^2 − 5x + 6 = 0 ⇒ x ∈ {2, 3}; sin x ≤ 1, log 8 = 3 log 2",
        "Then we add: 首先计算 3 + 4 = 7, the result is 7. Итак ответ 7.",
        "",
    ]
    for text in texts:
        assert language_share(text, language) == language_share(text, language, fast=False), text


def test_language_reward_ignores_notation_and_is_none_without_words():
    latex = "<think>\n$\\frac{3}{4} + \\sin(x) = y$, $\\alpha$ x n\n</think><answer>1</answer>"
    assert language_reward([latex]) == [None]


# --- combined ---------------------------------------------------------------------------------------------


def test_combined_weights_and_none():
    reward = combined({accuracy_reward: 1.0, format_reward: 0.5, step_reward: 0.25}, name="r1")
    assert reward.__name__ == "r1"
    no_claims = "<think>\nthink\n</think>\n<answer>14</answer>"
    out = reward(completions=[GOOD, BAD_STEP, no_claims], answer=["14", "14", "14"])
    assert out == [1.75, 0.5 + 0.25 * 0.5, 1.5]
    only_none = combined([(step_reward, 1.0)])
    assert only_none([no_claims]) == [None]
    assert combined({accuracy_reward: 1.0}).__name__ == "combined_reward"
    with pytest.raises(ConfigError):
        combined({})


def test_reward_functions_pickle():
    # TRL may send reward functions to worker processes; the instances must survive pickling
    for func in (accuracy_reward, format_reward, language_reward_for("de"), combined({step_reward: 1.0}, name="s")):
        clone = pickle.loads(pickle.dumps(func))
        assert clone.__name__ == func.__name__
        assert clone([GOOD]) == func([GOOD])


# --- bounds -----------------------------------------------------------------------------------------------


ALL = (accuracy_reward, format_reward, format_reward_lenient, language_reward, step_reward)


def test_unreadable_or_over_cap_completions_get_zero_from_every_function():
    huge = "<think>" + "a" * MAX_COMPLETION_CHARS + "</think><answer>14</answer>"
    for bad in (huge, 42, None, [{"role": "assistant", "content": None}], [{"role": "assistant", "content": 3}]):
        for func in ALL:
            assert func([bad], answer=["14"]) == [0.0], (func.__name__, str(bad)[:40])


# Each hostile completion as a function of its scale: 10 is about the completion cap, 1 a tenth of it.
HOSTILE = {
    "think_opens": lambda k: "<think>" * 2_000 * k,
    "tag_pairs": lambda k: "</think><answer>" * 1_000 * k,
    "open_boxes": lambda k: "\\boxed{" * 2_000 * k,
    "braces_then_box": lambda k: "{" * 10_000 * k + "\\boxed" + "}" * 9_000 * k,
    "long_sum_deep_parens": lambda k: (
        "<think>\n" + "1+" * 6_000 * k + "1 = 2\n</think><answer>" + "(" * 300 * k + "1" + ")" * 300 * k + "</answer>"
    ),
    "huge_numbers": lambda k: (
        "<think>\n"
        + ("9" * 500 * k + " × " + "9" * 500 * k + " = 1\n") * 3
        + "</think><answer>"
        + "9" * 15_000 * k
        + "</answer>"
    ),
    # distinct claims, so none is answered from the cache: about half the claim cap at scale 1, five times it at 10
    "many_claims": lambda k: (
        "<think>\n" + "".join(f"{i} + 2 = {i + 2}\n" for i in range(1_100 * k)) + "</think><answer>4</answer>"
    ),
    "equals_chain": lambda k: "a = " * 4_500 * k,
    "mixed_scripts": lambda k: "<think>" + "the計算 " * 3_000 * k + "</think><answer>4</answer>",
}


def _cold() -> None:
    clear_caches()
    clear_parse_cache()


@pytest.mark.timeout(60)  # a hang guard only, far above the ~0.1 s this takes; the growth check is the real test
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_function_is_bounded_on_hostile_input(name):
    small, large = HOSTILE[name](1), HOSTILE[name](10)
    assert len(large) <= MAX_COMPLETION_CHARS
    for func in ALL:
        assert len(_score(func, large)) == 1, func.__name__
        # Linear, not a wall-clock limit: the completion at the cap may cost about ten times the one a tenth its
        # size, measured in the same test; a quadratic rescan or a runaway big number costs far more.
        assert_linear(partial(_score, func), small, large, before=_cold, what=f"{func.__name__} on {name}")


def _score(func, text: str) -> list[float]:
    return func([text], answer=["4"])


def test_thread_safe_same_results_from_many_threads():
    batch = [GOOD, BAD_STEP, chat(GOOD), "x = 14", "<think>a</think><answer>\\boxed{14}</answer>"] * 20
    answers = ["14"] * len(batch)
    reward = combined({f: 1.0 for f in ALL})
    expected = reward(batch, answer=answers)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: reward(batch, answer=answers), range(16)))
    assert all(r == expected for r in results)


def test_model_text_is_never_run_as_code(monkeypatch):
    import builtins

    def refuse(*args, **kwargs):
        raise AssertionError("model text reached eval/exec/compile")

    payload = "<think>\n__import__('os').system('true') = 0\n</think><answer>__import__('os').getpid()</answer>"
    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, refuse)
    for func in ALL:
        func([payload], answer=["7"])


def test_verl_compute_score_on_an_exported_verl_row():
    from chukmath.rewards.verl import compute_score

    row = {
        "data_source": "chukmath",
        "reward_model": {"style": "rule", "ground_truth": "14"},
        "extra_info": {"split": "train", "index": 0, "problem_id": "p", "question": "What is (3 + 4) × 2?"},
    }
    args = (row["data_source"], GOOD, row["reward_model"]["ground_truth"], row["extra_info"])
    assert compute_score(*args) == 1.0
    assert compute_score(row["data_source"], BAD_STEP, "14", row["extra_info"]) == 0.0
    assert compute_score("chukmath", GOOD, None) == 0.0
    assert compute_score(data_source="chukmath", solution_str=GOOD, ground_truth="14", extra_info=None) == 1.0
