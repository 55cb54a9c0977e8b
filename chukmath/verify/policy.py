"""Which verdict reasons reject a response. By default every reason does."""

from __future__ import annotations

from dataclasses import dataclass

from chukmath.errors import ConfigError

# In priority order: a response's verdict is its first rejecting reason in this order.
REASONS: tuple[str, ...] = (
    "too_long",  # longer than chukmath.parse.MAX_RESPONSE_CHARS: not parsed, nothing checked
    "truncated",  # the teacher stopped for length (finish_reason "length")
    "malformed",  # a tag never closed although the teacher stopped normally
    "wrong_answer",
    "unparseable",  # no answer value can be read from the final answer
    "no_verifier_answer",
    "answer_mismatch",
    "format",
    "bad_step",
    "language",
)


# Reasons that were once part of another: a spec naming the older reason (or removing it) means them too, so a
# policy written before they were split keeps rejecting (or accepting) the same responses.
IMPLIED: dict[str, tuple[str, ...]] = {
    "wrong_answer": ("unparseable", "too_long"),  # an answer that cannot be read or was not read is not right
    "truncated": ("malformed",),  # an unclosed tag was "truncated" whatever the teacher's finish_reason
}


@dataclass(frozen=True, slots=True)
class Policy:
    """The set of reasons that reject; reasons outside it are still reported as notes."""

    reject: frozenset[str] = frozenset(REASONS)

    @classmethod
    def from_spec(cls, spec: str) -> Policy:
        """``"all"``, a comma list (``"wrong_answer,format"``), or ``"all,-language"`` to drop some.

        Items apply left to right; ``wrong_answer`` also adds (or with ``-`` drops) ``unparseable`` and ``too_long``,
        and ``truncated`` also ``malformed`` (see IMPLIED), so ``"wrong_answer,-unparseable"`` drops just that one.
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
            names = {name, *IMPLIED.get(name, ())}
            if remove:
                chosen -= names
            else:
                chosen |= names
        if not chosen:
            raise ConfigError(f"policy {spec!r} rejects nothing; use 'all' or a list such as 'wrong_answer,format'")
        return cls(frozenset(chosen))

    def spec(self) -> str:
        """The policy written back as a spec string (for manifests and dataset cards); from_spec reads it back."""
        if self.reject == frozenset(REASONS):
            return "all"
        implied_by = {r: k for k, rs in IMPLIED.items() for r in rs if k in self.reject}
        items: list[str] = []
        for reason in REASONS:
            if reason in implied_by:
                continue  # written by the reason that implies it (below), or as its removal
            if reason in self.reject:
                items.append(reason)
                items.extend(f"-{r}" for r in IMPLIED.get(reason, ()) if r not in self.reject)
        return ",".join(items)


DEFAULT_POLICY = Policy()
