"""``combined``: several reward functions as one, with weights, in TRL's signature."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from chukmath.errors import ConfigError

RewardFunc = Callable[..., list[float | None]]


def _name(func: RewardFunc) -> str:
    return getattr(func, "__name__", type(func).__name__)


def weighted_sum(scored: Sequence[tuple[list[float | None], float]], n: int) -> list[float | None]:
    """Per item, the sum of ``weight * reward`` over the rewards that are not None; None when all are."""
    totals: list[float | None] = [None] * n
    for rewards, weight in scored:
        for i, reward in enumerate(rewards):
            if reward is not None:
                totals[i] = (totals[i] or 0.0) + weight * reward
    return totals


class Combined:
    """A weighted sum of reward functions; an instance (not a closure) so that it pickles.

    Per completion: the sum of ``weight * reward`` over the functions that scored it; a function's None (not
    applicable) is left out of the sum, as TRL's own weighted sum leaves it out; None only when every function
    returned None.
    """

    def __init__(self, parts: Sequence[tuple[RewardFunc, float]], name: str) -> None:
        if not parts:
            raise ConfigError("combined() needs at least one reward function")
        for func, weight in parts:
            if not callable(func):
                raise ConfigError(f"combined(): {func!r} is not a reward function")
            if not isinstance(weight, int | float) or isinstance(weight, bool) or weight != weight:
                raise ConfigError(f"combined(): the weight of {_name(func)} must be a number, got {weight!r}")
        self.parts = tuple((func, float(weight)) for func, weight in parts)
        self.__name__ = name  # TRL logs rewards/<__name__>/mean

    def __call__(self, completions: list[Any], **columns: Any) -> list[float | None]:
        """Each part's rewards for the batch, summed with the weights."""
        scored = []
        for func, weight in self.parts:
            rewards = func(completions=completions, **columns)
            if len(rewards) != len(completions):
                raise ValueError(f"{_name(func)} returned {len(rewards)} rewards for {len(completions)} completions")
            scored.append((rewards, weight))
        return weighted_sum(scored, len(completions))

    def __repr__(self) -> str:
        parts = ", ".join(f"{_name(f)}: {w:g}" for f, w in self.parts)
        return f"combined({{{parts}}}, name={self.__name__!r})"


def combined(
    weights: Mapping[RewardFunc, float] | Sequence[tuple[RewardFunc, float]], *, name: str = "combined_reward"
) -> Combined:
    """One reward function from several: ``combined({accuracy_reward: 1.0, format_reward: 0.2})``.

    The result has TRL's signature and ``__name__ == name`` (so TRL logs it as ``rewards/<name>/mean``).
    """
    parts = list(weights.items()) if isinstance(weights, Mapping) else [tuple(p) for p in weights]
    return Combined(parts, name)
