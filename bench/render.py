"""Render throughput: problems -> teacher requests with the built-in templates.

Baseline (same run): the same prompt text built with ``str.format`` plus the same request hashing, i.e. the
cost floor without Jinja. Run: .venv/bin/python bench/render.py
"""

from __future__ import annotations

import time

from chukmath.hashing import content_hash
from chukmath.records import Problem, Request
from chukmath.render import TemplateLibrary, build_requests

N = 20_000


def make_problems(n: int) -> list[Problem]:
    return [
        Problem(
            id=f"arithmetic-1-{i}",
            generator="arithmetic",
            difficulty=1 + i % 5,
            seed=1,
            index=i,
            question=f"What is {i} + {2 * i + 7} * {i % 13 + 2}?",
            expression=f"{i} + {2 * i + 7} * {i % 13 + 2}",
            answer=str(i + (2 * i + 7) * (i % 13 + 2)),
            meta={"operations": ["+", "*"]},
        )
        for i in range(n)
    ]


def baseline(problems: list[Problem], text: str) -> float:
    """str.format of a template-sized prompt + the same hashing and Request construction."""
    start = time.perf_counter()
    for p in problems:
        content = text.format(question=p.question, expression=p.expression, answer=p.answer)
        messages = [{"role": "user", "content": content.strip()}]
        Request(content_hash({"messages": messages}), p.id, "baseline", "h", messages)
    return len(problems) / (time.perf_counter() - start)


def measure(problems: list[Problem], name: str) -> float:
    template = TemplateLibrary().get(name)
    start = time.perf_counter()
    count = sum(1 for _ in build_requests(problems, template))
    return count / (time.perf_counter() - start)


def main() -> None:
    problems = make_problems(N)
    library = TemplateLibrary()
    sample = library.get("step_by_step").render(problems[0])[0]["content"]
    # The baseline formats a string as long as the real prompt, with the same three substitutions.
    text = sample.replace(problems[0].question, "{question}", 1).replace(problems[0].expression, "{expression}", 1)
    text = text.replace("{", "{{").replace("}", "}}")
    for key in ("question", "expression"):
        text = text.replace("{{" + key + "}}", "{" + key + "}")
    text = text.replace(f"answer: {problems[0].answer}", "answer: {answer}", 1)
    measure(problems[:500], "step_by_step")  # warm-up
    base = baseline(problems, text)
    print(f"problems: {N}")
    print(f"baseline str.format + hash: {base:,.0f} requests/s")
    for name in ("step_by_step", "answer_blind", "word_problem", "tutor_system"):
        rate = measure(problems, name)
        print(f"{name:<16} {rate:>10,.0f} requests/s   ratio vs baseline {rate / base:.2f}")


if __name__ == "__main__":
    main()
