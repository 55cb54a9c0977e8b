"""verl's reward hook: ``compute_score(data_source, solution_str, ground_truth, extra_info)`` on chukmath's verifier.

For ``chukmath export rl --shape verl`` rows (``reward_model.ground_truth`` is the exact answer, ``extra_info``
carries the question): point verl's ``custom_reward_function.path`` at this file and ``custom_reward_function.name``
at ``compute_score``::

    custom_reward_function.path=$(python -c "import chukmath.rewards.verl as m; print(m.__file__)") \\
    custom_reward_function.name=compute_score
"""

from __future__ import annotations

from typing import Any

from chukmath.rewards.functions import accuracy_reward


def compute_score(
    data_source: str | None, solution_str: str, ground_truth: Any, extra_info: dict[str, Any] | None = None,
    **kwargs: Any,
) -> float:  # fmt: skip
    """1.0 when ``solution_str``'s final answer equals ``ground_truth`` (``accuracy_reward``'s rule), else 0.0.

    verl needs a number for every response, so a row without a ground truth scores 0.0. ``extra_info["question"]``,
    when there, lets a rounding the question asks for count.
    """
    question = (extra_info or {}).get("question")
    (score,) = accuracy_reward([solution_str], answer=[ground_truth], question=[question])
    return 0.0 if score is None else score
