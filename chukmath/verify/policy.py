"""The verdict checks, in one table, and which of their reasons reject a response (by default every one does).

``CHECKS`` is the only list: ``REASONS`` (what a policy may name, in priority order) and ``IMPLIED`` are derived
from it. Adding a check is one entry here plus the code that finds it (``chukmath.verify.verdict`` for the
verifier's checks, ``chukmath.write.selection`` for the one made on the written sample).
"""

from __future__ import annotations

from dataclasses import dataclass

from chukmath.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Check:
    """One verdict check: the ``reason`` it reports, what that means, and how a policy treats it.

    ``implies``: reasons that were once part of this one (a policy naming it means them too). ``selectable``:
    whether a policy may name it (``no_response`` always rejects: there is no answer to keep). ``made_by``: the
    module that runs it.
    """

    name: str
    reason: str
    means: str
    implies: tuple[str, ...] = ()
    selectable: bool = True
    made_by: str = "chukmath.verify.verdict"


# In priority order: a response's verdict is its first rejecting reason in this order.
CHECKS: tuple[Check, ...] = (
    Check("no_response", "no_response", "the journal holds only failed attempts, or an answer without any text",
          selectable=False),
    Check("too_long", "too_long", "longer than chukmath.parse.MAX_RESPONSE_CHARS: not parsed, nothing checked"),
    Check("truncated", "truncated", "the teacher stopped for length (finish_reason \"length\")",
          implies=("malformed",)),  # an unclosed tag was "truncated" whatever the teacher's finish_reason
    Check("malformed", "malformed", "a tag never closed although the teacher stopped normally"),
    # an answer that cannot be read or was not read is not right
    Check("wrong_answer", "wrong_answer", "the final answer is not the exact one (or there is none)",
          implies=("unparseable", "too_long")),
    Check("unparseable", "unparseable", "no answer value can be read from the final answer"),
    Check("no_verifier_answer", "no_verifier_answer", "<verifier_answer> missing or empty"),
    Check("answer_mismatch", "answer_mismatch", "<answer> and <verifier_answer> state different values"),
    Check("format", "format", "the response is not in the requested shape (stray text, repeated tags)"),
    Check("roundtrip", "format", "the normalized sample does not parse back into the same parts (tags inside the "
          "text), or there is no <answer> to write", made_by="chukmath.write.selection"),
    Check("bad_step", "bad_step", "an arithmetic claim in the reasoning or an answer tag is false"),
    Check("language", "language", "the reasoning is not in the asked language"),
)
CHECK: dict[str, Check] = {c.name: c for c in CHECKS}

# What a policy may name, in priority order (a reason made by two checks appears once).
REASONS: tuple[str, ...] = tuple(dict.fromkeys(c.reason for c in CHECKS if c.selectable))
NO_RESPONSE = CHECK["no_response"].reason
ROUNDTRIP = CHECK["roundtrip"].reason

# Reasons that were once part of another: a spec naming the older reason (or removing it) means them too, so a
# policy written before they were split keeps rejecting (or accepting) the same responses.
IMPLIED: dict[str, tuple[str, ...]] = {c.reason: c.implies for c in CHECKS if c.implies}


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
