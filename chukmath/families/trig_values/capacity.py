"""How many distinct questions ``trig_values``'s drawer can make with a config, counted exactly.

A question is one of six phrasings around ``function(angle)``; an angle is a multiple of 30° or 45° in the
configured range, written in degrees or in radians (whichever ``radians`` can give), and a (function, angle)
pair counts only where the function is defined there.
"""

from __future__ import annotations

from chukmath.families.rng import can_be
from chukmath.families.trig_values.generator import TrigConfig, value_of

PHRASINGS = 6  # the question templates in generator.draw


def question_count(cfg: TrigConfig) -> int:
    """The number of distinct questions ``draw(cfg, rng)`` can return."""
    functions = {k.strip() for k in cfg.functions.split(",") if k.strip()}
    top = cfg.max_turns * 360
    low = -top if cfg.negative else 0
    angles = {k * size for size in (30, 45) for k in range(low // size, top // size)}
    defined = sum(1 for f in functions for d in angles if value_of(f, d) is not None)
    forms = int(can_be(cfg.radians, True)) + int(can_be(cfg.radians, False))
    return PHRASINGS * forms * defined
