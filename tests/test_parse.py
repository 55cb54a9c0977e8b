"""parse_response: the shapes real models produce, and the format issues it reports."""

from timing import assert_linear

from chukmath.parse import parse_response, split_think

GOOD = "<think>\n85 + 25 = 110\n</think>\n<answer>110</answer>\n<verifier_answer>110</verifier_answer>"


def test_clean_response():
    p = parse_response(GOOD)
    assert (p.think, p.answer, p.verifier_answer) == ("85 + 25 = 110", "110", "110")
    assert not p.truncated and p.format_issues == () and p.think_source == "content"


def test_preamble_before_think_is_tolerated_but_reported():
    p = parse_response("Sure, here it is:\n" + GOOD)
    assert (p.think, p.answer, p.verifier_answer) == ("85 + 25 = 110", "110", "110")
    assert any("text before <think>" in i for i in p.format_issues)


def test_r1_missing_opening_think():
    tail = "<answer>110</answer>\n<verifier_answer>110</verifier_answer>"
    p = parse_response("I add them: 85 + 25 = 110.\n</think>\n" + tail)
    assert p.think == "I add them: 85 + 25 = 110." and p.answer == "110" and p.verifier_answer == "110"
    assert p.format_issues == ()


def test_whole_response_in_code_fence_is_tolerated():
    # The fence is markdown around the requested shape; the writer rebuilds the turn, so it is no format issue.
    for fenced in ("```xml\n" + GOOD + "\n```", "```\n" + GOOD + "\n```\n"):
        p = parse_response(fenced)
        assert (p.think, p.answer, p.verifier_answer) == ("85 + 25 = 110", "110", "110")
        assert p.format_issues == () and p.fenced


def test_answer_part_in_code_fence_is_tolerated():
    text = "<think>85 + 25 = 110</think>\n```\n<answer>110</answer>\n<verifier_answer>110</verifier_answer>\n```"
    p = parse_response(text)
    assert (p.think, p.answer, p.verifier_answer) == ("85 + 25 = 110", "110", "110")
    assert p.format_issues == () and p.fenced


def test_fence_that_does_not_wrap_the_whole_part_is_text_outside_the_tags():
    p = parse_response("<think>r</think>\n<answer>110</answer>\n```\n<verifier_answer>110</verifier_answer>\n```")
    assert p.answer == "110" and p.verifier_answer == "110"
    assert any(i.startswith("text outside the tags") for i in p.format_issues)


def test_empty_answer_block_is_a_format_issue():
    p = parse_response("<think>r</think>\n<answer> </answer>\n<verifier_answer>110</verifier_answer>")
    assert p.answer is None and p.verifier_answer == "110"
    assert p.format_issues == ("empty <answer>",)


def test_tag_names_quoted_in_reasoning_are_not_tags():
    text = (
        "<think>The format says: put it in <answer> tags, then <verifier_answer> tags; "
        "the answer is 7 here, not final. </answer> is the closer.</think>\n"
        "<answer>110</answer>\n<verifier_answer>110</verifier_answer>"
    )
    p = parse_response(text)
    assert p.answer == "110" and p.verifier_answer == "110"
    assert "put it in <answer> tags" in p.think
    assert p.format_issues == ()


TAIL = "\n<answer>110</answer>\n<verifier_answer>110</verifier_answer>"


def test_think_tag_quoted_inside_the_reasoning_is_not_a_second_block():
    text = "<think>The format asks me to reason inside <think> tags. 85 + 25 = 110.</think>" + TAIL
    p = parse_response(text)
    assert p.think == "The format asks me to reason inside <think> tags. 85 + 25 = 110."
    assert p.format_issues == ()
    # a <think> starting a line of the reasoning is a second block
    assert "<think> appears more than once" in parse_response("<think>a\n<think>b</think>" + TAIL).format_issues


def test_r1_reasoning_quoting_the_think_tag():
    # R1's opening <think> was in the prompt; the one inside a later line of its reasoning is a quote
    text = "The instructions say:\nstart with <think> and reason. 85 + 25 = 110.\n</think>" + TAIL
    p = parse_response(text)
    assert p.think == "The instructions say:\nstart with <think> and reason. 85 + 25 = 110."
    assert (p.answer, p.verifier_answer, p.format_issues) == ("110", "110", ())
    # on the first line a <think> after text is an opening after a preamble
    p = parse_response("Sure! " + GOOD)
    assert p.think == "85 + 25 = 110" and p.format_issues == ("text before <think>: 'Sure!'",)


def test_many_quoted_think_tags_parse_in_linear_time():
    def quoting(tags: int) -> str:
        return "first line\n" + "then x <think>" * tags + "\n</think>" + TAIL

    text = quoting(200_000)
    think, rest, unclosed, _ = split_think(text)  # parse_response reads no response this long (too_long)
    assert "<answer>110</answer>" in rest and think.startswith("first line") and not unclosed
    assert parse_response(text).too_long
    # Each quote used to rescan its line (~6 s at 200,000 quotes): ten times the quotes cost a hundred times
    # the time. Linear, not a wall-clock limit: measured against a tenth of the quotes in the same test.
    assert_linear(split_think, quoting(10_000), quoting(100_000), what="split_think")


def test_quoted_tag_before_the_block_without_think():
    p = parse_response("I will use <answer> tags.\n<answer>110</answer>")
    assert p.answer == "110" and p.think is None and p.verifier_answer is None


def test_truncated_think_gives_partial_think_and_no_answer():
    p = parse_response("<think>First, 85 + 25 = 110. Then we put it in <answer>")
    assert p.truncated and p.answer is None and p.verifier_answer is None
    assert p.think.startswith("First, 85 + 25")


def test_truncated_inside_answer():
    p = parse_response("<think>ok</think>\n<answer>11")
    assert p.truncated and p.answer == "11" and p.verifier_answer is None


def test_reasoning_content_serves_as_think():
    p = parse_response("<answer>110</answer>\n<verifier_answer>110</verifier_answer>", reasoning_content=" 85+25=110 ")
    assert p.think == "85+25=110" and p.think_source == "reasoning_content" and p.format_issues == ()


def test_missing_parts_are_none():
    for text in ("", None, "just text", "<think></think><answer> </answer>"):
        p = parse_response(text)
        assert p.answer is None and p.verifier_answer is None
    assert parse_response("just text").think is None


def test_format_issues_name_the_rule():
    cases = {
        "<think>a</think><answer>1</answer>": "missing <verifier_answer>",
        "<think>a</think><verifier_answer>1</verifier_answer><answer>1</answer>": "comes before <answer>",
        "<think>a</think><answer>1</answer><answer>2</answer><verifier_answer>1</verifier_answer>": "appears 2",
        "<think>a</think><answer>1</answer> so <verifier_answer>1</verifier_answer>": "text outside the tags",
        "<think>a</think><answer>1</answer><verifier_answer>1</verifier_answer> bye": "text outside the tags",
        "<answer>1</answer><verifier_answer>1</verifier_answer>": "missing or empty <think>",
        "<think>a</think><answer>1</answer><verifier_answer>1</verifier_answer></think>": "<think> tags after",
    }
    for text, needle in cases.items():
        issues = parse_response(text).format_issues
        assert any(needle in i for i in issues), (text, issues)
