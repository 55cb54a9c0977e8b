"""Which verdict reasons reject a response. By default every reason does."""

from __future__ import annotations

from dataclasses import dataclass

from chukmath.errors import ConfigError

# In priority order: a response's verdict is its first rejecting reason in this order.
REASONS: tuple[str, ...] = (
    "truncated",
    "wrong_answer",
    "no_verifier_answer",
    "answer_mismatch",
    "format",
    "bad_step",
    "language",
)


@dataclass(frozen=True, slots=True)
class Policy:
    """The set of reasons that reject; reasons outside it are still reported as notes."""

    reject: frozenset[str] = frozenset(REASONS)

    @classmethod
    def from_spec(cls, spec: str) -> Policy:
        """``"all"``, a comma list (``"wrong_answer,format"``), or ``"all,-language"`` to drop some.

        Raises ConfigError naming the unknown reason and listing the valid ones.
        """
        chosen: set[str] = set()
        for raw in spec.split(","):
            name = raw.strip()
            if not name:
                continue
            if name == "all":
                chosen |= set(REASONS)
                continue
            remove = name.startswith("-")
            name = name.lstrip("-")
            if name not in REASONS:
                raise ConfigError(
                    f"policy {spec!r}: unknown reason {name!r}; use 'all' or any of {', '.join(REASONS)}"
                )
            if remove:
                chosen.discard(name)
            else:
                chosen.add(name)
        if not chosen:
            raise ConfigError(f"policy {spec!r} rejects nothing; use 'all' or a list such as 'wrong_answer,format'")
        return cls(frozenset(chosen))

    def spec(self) -> str:
        """The policy written back as a spec string (for manifests and dataset cards)."""
        if self.reject == frozenset(REASONS):
            return "all"
        return ",".join(r for r in REASONS if r in self.reject)


DEFAULT_POLICY = Policy()
