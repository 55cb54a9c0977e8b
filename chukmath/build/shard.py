"""``build --shard I/N``: which problems shard I of N builds, and how its run directory is told apart.

Shard I of N builds the contiguous block of problem indices ``[count*I//N, count*(I+1)//N)``: a pure function of
(index, count, N), so shards share nothing while they run and any scheduler (a Slurm array, a Kubernetes indexed
job) can run them. Blocks rather than ``index % N`` keep each shard's problems.jsonl a slice of the unsharded one.

Problem *i* is a pure function of (recipe, seed, i), so a shard starts generating at its first index. Only the
train/test split (and ``--decontaminate``'s bookkeeping) looks at earlier problems (:mod:`chukmath.split`); a shard
of a recipe with a ``[split]`` therefore first generates the problems before its block and feeds them to the split
(generation only: no prompt, no request), so it asks exactly the problems the unsharded build would ask.
``chukmath merge`` (:mod:`chukmath.build.merge`) then recomputes the whole run from the shards' journals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chukmath.errors import ConfigError
from chukmath.hashing import content_hash

_SPEC = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``index`` (0-based) of ``of``."""

    index: int
    of: int

    @classmethod
    def parse(cls, spec: str) -> Shard:
        """``"I/N"`` with ``0 <= I < N``; a ConfigError says what was wrong."""
        match = _SPEC.fullmatch(spec)
        if match is None:
            raise ConfigError(f"--shard {spec!r}: expected I/N, e.g. --shard 0/8 (shard 0 of 8; I counts from 0)")
        index, of = int(match[1]), int(match[2])
        if of < 1 or index >= of:
            raise ConfigError(f"--shard {spec}: I must be between 0 and N-1 and N at least 1 (e.g. 0/8 .. 7/8)")
        return cls(index, of)

    def span(self, count: int) -> tuple[int, int]:
        """``(start, stop)``: the problem indices of this shard in a run of ``count`` problems."""
        return count * self.index // self.of, count * (self.index + 1) // self.of

    def fingerprint(self, base: str) -> str:
        """The run fingerprint of this shard's directory: another shard's (or the unsharded run's) never resumes it."""
        return content_hash({"recipe": base, "shard": [self.index, self.of]})

    def to_dict(self, base: str, count: int, command: str, out: str, recipe_source: str,
                options: dict[str, Any]) -> dict[str, Any]:
        """The manifest's ``shard`` entry: what ``chukmath merge`` checks and needs."""
        start, stop = self.span(count)
        return {"index": self.index, "of": self.of, "start": start, "stop": stop, "count": count,
                "fingerprint": base, "command": command, "out": out,
                "recipe_source": recipe_source, "options": options}

    def __str__(self) -> str:
        return f"{self.index}/{self.of}"
