"""The contract every problem family meets: one :class:`Family` value, all the engine, the built-in teacher and
the checks ever see of it (docs/families.md walks through writing one)."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chukmath.errors import ConfigError
from chukmath.families.config import build_config, describe_fields
from chukmath.families.rng import Rng
from chukmath.records import Problem

# ``draw(config, rng)`` returns ``(question, payload)``, or None to reject the candidate (e.g. a division by
# zero). ``finish(config, payload)`` turns the payload into ``(expression, answer, meta)``; it is only called
# for candidates that are kept, so slices can replay a prefix's questions without paying for its answers.
Draw = Callable[[Any, Rng], "tuple[str, Any] | None"]
Finish = Callable[[Any, Any], "tuple[str, str, dict[str, Any]]"]
# ``trace(problem)``: the built-in teacher's ``<think>…</think>\n<answer>…</answer>\n<verifier_answer>…``
# text, pure and correct (it raises rather than write a trace that might be wrong).
Trace = Callable[[Problem], str]
# ``present(answer)``: the ways a person writes the exact answer (``"3/4"`` -> ``["3/4", "0.75", "\\frac{3}{4}"]``).
Present = Callable[[str], "list[str]"]
# ``recognizes(problem)``: whether a problem whose generator is not registered has this family's shape (the
# built-in teacher then uses this family's trace for it).
Recognize = Callable[[Problem], bool]
# ``capacity(config)``: how many distinct questions ``draw`` can make with this config, counted exactly, or None
# where that is not cheap for this config (the engine then estimates it by sampling: chukmath.generate.capacity).
Capacity = Callable[[Any], "int | None"]
# The style names a recipe gives the built-in teacher (chukmath.families.trace_style); no route may take them.
RESERVED_STYLES = frozenset({"classic", "mix"})

DIFFICULTIES = (1, 2, 3, 4, 5)


def finish_ready(config: Any, payload: Any) -> tuple[str, str, dict[str, Any]]:
    """``finish`` for families whose drawer already computed ``(expression, answer, meta)`` cheaply."""
    return payload


def present_as_is(answer: str) -> list[str]:
    """``present`` for families whose answer has one written form: the answer itself."""
    return [answer]


def lazy(module: str, name: str) -> Any:
    """``module.name``, imported on first call: a trace that needs sympy costs nothing until it is used.

    (An import statement per call would cost about a microsecond per sample; this resolves once.)
    """
    resolved: list[Any] = []

    def call(*args: Any) -> Any:
        if not resolved:
            resolved.append(getattr(importlib.import_module(module), name))
        return resolved[0](*args)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported on first call."
    return call


def _no_trace(problem: Problem) -> str:
    raise ConfigError(f"problem family {problem.generator!r} has no built-in trace; use a model teacher for it")


@dataclass(frozen=True)
class Family:
    """One problem family: a validated config with difficulty presets, a deterministic drawer, how its exact
    answer is shown to a person, and the built-in teacher's trace.

    ``name`` is the ``generator`` field of its problems. ``config_cls`` is a frozen dataclass whose fields are
    declared with :func:`chukmath.families.param` (and may have a ``check() -> str | None`` for cross-field
    rules); ``presets`` maps a difficulty 1-5 to the field values that differ from the defaults.
    """

    name: str
    description: str
    config_cls: type[Any]
    presets: Mapping[int, Mapping[str, Any]]
    draw: Draw
    trace: Trace = _no_trace
    present: Present = present_as_is
    finish: Finish = finish_ready
    default_difficulty: int = 3
    recognizes: Recognize | None = None
    # Other ways to solve the same problem, by route name (``"elimination"``: trace): the built-in teacher writes
    # one of them under ``trace_style = "mix"`` (a pure function of the problem id) or a named one; ``trace``
    # stays the ``classic`` style. Each must be as correct as ``trace``.
    routes: Mapping[str, Trace] = field(default_factory=dict)
    capacity: Capacity | None = None

    def __post_init__(self) -> None:
        for route in self.routes:
            if route in RESERVED_STYLES or not route.isidentifier() or route != route.lower():
                raise ConfigError(
                    f"problem family {self.name!r}: route name {route!r} is not allowed; use a lower-case "
                    "identifier other than 'classic' and 'mix'"
                )

    def config(self, difficulty: int | None = None, overrides: Mapping[str, Any] | None = None, where: str = "") -> Any:
        """The validated config for ``difficulty`` (1-5, default the family's) with ``overrides`` applied."""
        level = self.default_difficulty if difficulty is None else difficulty
        if level not in DIFFICULTIES:
            prefix = f"{where}: " if where else ""
            raise ConfigError(f"{prefix}{self.name}: invalid difficulty {difficulty!r} (allowed: 1, 2, 3, 4 or 5)")
        return build_config(self.name, self.config_cls, self.presets.get(level, {}), overrides, where)

    def describe(self) -> dict[str, Any]:
        """JSON-ready description: name, description, default difficulty, config fields, presets."""
        return {
            "name": self.name,
            "description": self.description,
            "default_difficulty": self.default_difficulty,
            "config": describe_fields(self.config_cls),
            "presets": {
                str(d): dataclasses.asdict(self.config_cls(**self.presets.get(d, {}))) for d in DIFFICULTIES
            },
        }
