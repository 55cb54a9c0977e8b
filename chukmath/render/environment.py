"""The one Jinja environment every prompt template is compiled in: sandboxed, strict, size-bounded."""

from __future__ import annotations

import operator
from typing import Any

from jinja2 import StrictUndefined
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

# The names a template may use. Everything a problem carries is reachable through ``problem``.
TEMPLATE_VARIABLES: tuple[str, ...] = ("question", "expression", "answer", "generator", "difficulty", "meta", "problem")

# The chat roles a template section may have.
ROLES: tuple[str, ...] = ("system", "user", "assistant")

# A rendered prompt is small; a template that builds megabytes (``'x' * 10**9``) is a bug or an attack.
MAX_REPEAT_ITEMS = 100_000
MAX_POWER_EXPONENT = 10_000


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no Python internals, no mutation of the context) plus bounded ``*``/``**``.

    The stock sandbox bounds ``range`` but not ``'x' * n`` or ``10 ** n``, either of which can exhaust
    memory or CPU in one expression.
    """

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, op: str, left: Any, right: Any) -> Any:
        if op == "*":
            for seq, count in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(count, int)
                if sized and count * len(seq) > MAX_REPEAT_ITEMS:
                    raise SecurityError(f"repeating a sequence to more than {MAX_REPEAT_ITEMS} items is not allowed")
            return operator.mul(left, right)
        if op == "**":
            if isinstance(right, int | float) and abs(right) > MAX_POWER_EXPONENT:
                raise SecurityError(f"exponents above {MAX_POWER_EXPONENT} are not allowed")
            return operator.pow(left, right)
        return super().call_binop(context, op, left, right)


def make_environment() -> ImmutableSandboxedEnvironment:
    """A fresh environment: sandboxed, StrictUndefined, no loader (no include/import/extends), no autoescape.

    ``trim_blocks``/``lstrip_blocks`` let ``{% if %}`` lines sit on their own line without leaving blank
    lines in the prompt.
    """
    return _BoundedSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
