"""Reward functions for RL on chukmath problems (GRPO and friends): the verifier, in TRL's reward signature.

Each function is ``f(completions, **columns) -> list[float | None]``, as ``trl.GRPOTrainer(reward_funcs=[...])``
calls it, and reads the columns that ``chukmath export rl`` writes (``answer``, ``generator``, ``difficulty``,
``problem_id``). Completions may be plain strings or conversational (lists of messages).

- ``accuracy_reward``: 1.0 when the final answer equals ``answer`` by ``chukmath.verify.answers_match``.
- ``format_reward`` / ``format_reward_lenient``: R1's ``<think>...</think><answer>...</answer>`` format.
- ``language_reward`` (English) / ``language_reward_for(code)``: R1's language-consistency share.
- ``step_reward``: the share of true arithmetic claims in the reasoning (``chukmath.verify.check_claims``).
- ``combined({...: weight})``: a weighted sum as one reward function.

``chukmath serve-rewards`` serves the same functions over HTTP (:mod:`chukmath.rewards.server`), and
:func:`chukmath.rewards.verl.compute_score` is verl's ``custom_reward_function`` hook.
"""

from chukmath.rewards.combine import Combined, combined
from chukmath.rewards.functions import accuracy_reward, format_reward, format_reward_lenient, r1_format_ok, step_reward
from chukmath.rewards.language import LanguageReward, language_reward, language_reward_for, language_share
from chukmath.rewards.reading import MAX_COMPLETION_CHARS, completion_text, final_answer

REWARDS = {
    "accuracy": accuracy_reward,
    "format": format_reward,
    "format_lenient": format_reward_lenient,
    "language": language_reward,
    "step": step_reward,
}
"""The reward functions by the short names the server and the CLI use."""

__all__ = [
    "MAX_COMPLETION_CHARS",
    "REWARDS",
    "Combined",
    "LanguageReward",
    "accuracy_reward",
    "combined",
    "completion_text",
    "final_answer",
    "format_reward",
    "format_reward_lenient",
    "language_reward",
    "language_reward_for",
    "language_share",
    "r1_format_ok",
    "step_reward",
]
