"""percent_ratio: answers recomputed from the numbers in the question text, traces verified, runs reproducible."""

from __future__ import annotations

import re
from fractions import Fraction

from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "percent_ratio"


def _numbers(text: str) -> list[Fraction]:
    return [Fraction(x) for x in re.findall(r"\d+(?:\.\d+)?", text)]


def _from_question(p: Problem) -> str:
    """Read the numbers back out of the question and redo the arithmetic in a different order."""
    q, kind = p.question, p.meta["kind"]
    nums = _numbers(q)
    if kind == "percent_of":
        pct, n = nums[:2] if "school" not in q else (nums[1], nums[0])
        return str(n * pct / 100)
    if kind == "what_percent":
        if q.startswith("A team"):
            part, whole = nums
        elif q.startswith("What percent"):
            whole, part = nums
        else:
            part, whole = nums
        return str(100 * part / whole)
    if kind == "change":
        old, new = nums[-2:] if "last year" not in q else (nums[0], nums[1])
        return str(abs(new - old) * 100 / old)
    if kind == "reverse":
        pct = next(Fraction(x) for x in re.findall(r"(\d+)%", q))
        price = Fraction(re.search(r"\$(\d+(?:\.\d+)?)", q).group(1))
        rate = 1 + pct / 100 if "increase" in q else 1 - pct / 100
        # search the original price among the whole dollars (answers are whole)
        guess = price / rate
        assert guess * rate == price
        return str(guess)
    if kind == "share":
        total = Fraction(re.search(r"\$(\d+)", q).group(1))
        parts = [int(x) for x in re.search(r"ratio (\d+(?::\d+)+)", q).group(1).split(":")]
        names = re.findall(r"\b([A-Z][a-z]+)\b", q.split(" share ")[0].split(" among ")[-1])
        who = re.search(r"does (\w+) get|is (\w+)'s share", q)
        name = who.group(1) or who.group(2)
        # hand out the money one dollar-round at a time, in the ratio
        return str(total / sum(parts) * parts[[n for n in names if n not in ("and",)].index(name)])
    a, t = (nums[0], nums[1]) if not q.startswith(tuple("0123456789")) else (nums[1], nums[0])
    t2 = nums[2]
    return str(a * t2 / t)


def test_answers_traces_and_question_numbers() -> None:
    check_family(NAME, _from_question)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_every_kind_appears() -> None:
    kinds = {p.meta["kind"] for p in generate(NAME, seed=1, count=300)}
    assert kinds == {"percent_of", "what_percent", "change", "reverse", "share", "rate"}


def test_percent_answers_are_written_as_percentages():
    from chukmath.generate import generate
    from chukmath.teach.builtin import builtin_trace
    from chukmath.verify.answers import answers_match

    shown = 0
    problems = [p for level in (1, 2, 3, 4, 5) for p in generate(NAME, seed=11, count=200, difficulty=level)]
    for problem in problems:
        if problem.meta.get("kind") not in ("what_percent", "change"):
            continue
        answer = builtin_trace(problem).split("<answer>", 1)[1].split("</answer>", 1)[0]
        if "/" in problem.answer and not answer.endswith("%."):
            continue  # a repeating percentage stays an exact fraction
        assert answer.endswith("%."), (problem.question, answer)
        assert answers_match(answer, problem.answer, question=problem.question)  # it asks "what percent"
        shown += 1
    assert shown >= 10, shown
    asked = "What percent of 80 is 20?"
    assert answers_match("25%", "25", question=asked) and not answers_match("26%", "25", question=asked)
    assert not answers_match("25%", "25")  # without a percent question, 25% is 1/4 (chukmath.verify.percent)
