"""The registry of problem families: name -> (config class, difficulty presets, candidate drawer)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from chukmath.errors import ConfigError
from chukmath.generate.config import build_config, describe_fields
from chukmath.generate.rng import Rng

# A family's drawer returns ``(question, payload)`` or None to reject the candidate (e.g. a division by zero).
# ``finish(config, payload)`` turns the payload into ``(expression, answer, meta)``; it is only called for
# candidates that are kept, so slices can replay a prefix's questions without paying for its answers.
Draw = Callable[[Any, Rng], "tuple[str, Any] | None"]
Finish = Callable[[Any, Any], "tuple[str, str, dict[str, Any]]"]

DIFFICULTIES = (1, 2, 3, 4, 5)


def finish_ready(config: Any, payload: Any) -> tuple[str, str, dict[str, Any]]:
    """``finish`` for families whose drawer already computed ``(expression, answer, meta)`` cheaply."""
    return payload


@dataclass(frozen=True)
class Family:
    """One problem family: a validated config with difficulty presets and a deterministic drawer."""

    name: str
    description: str
    config_cls: type[Any]
    presets: Mapping[int, Mapping[str, Any]]
    draw: Draw
    finish: Finish = finish_ready
    default_difficulty: int = 3

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


_REGISTRY: dict[str, Family] = {}


def register(family: Family) -> Family:
    """Add a family to the registry (a later module may not silently replace one)."""
    if family.name in _REGISTRY:
        raise ValueError(f"problem family {family.name!r} is registered twice")
    _REGISTRY[family.name] = family
    return family


def _load() -> None:
    # The family modules register themselves on import; importing here keeps the registry complete
    # whichever public function is called first.
    from chukmath.generate import families  # noqa: F401


def list_families() -> list[Family]:
    """All registered families, sorted by name."""
    _load()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def get_family(name: str) -> Family:
    """The family called ``name``; ConfigError listing the known names otherwise."""
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise ConfigError(f"unknown generator {name!r} (known: {known})") from None
