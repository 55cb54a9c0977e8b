"""The one Jinja environment every prompt template is compiled in: sandboxed, strict, deterministic, bounded."""

from __future__ import annotations

import operator
from typing import Any

from jinja2 import StrictUndefined
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from chukmath.render.bounds import (
    LOOP_FILTER,
    MAX_CHARS,
    BoundedBuffer,
    BoundedCodeGenerator,
    bounded_filter,
    bounded_loop,
    check_call,
    check_format,
    check_power,
    check_repeat,
    check_size,
    sized,
    too_large,
)
from chukmath.render.determinism import check_format_fields, check_printable, check_printable_all, printable_filter

# The names a template may use. Everything a problem carries is reachable through ``problem``.
TEMPLATE_VARIABLES: tuple[str, ...] = ("question", "expression", "answer", "generator", "difficulty", "meta", "problem")

# The chat roles a template section may have.
ROLES: tuple[str, ...] = ("system", "user", "assistant")

# Jinja built-ins that would make the same problem render differently on two runs (the request id is the hash
# of the rendered messages, so a prompt must be a pure function of the problem).
NONDETERMINISTIC_FILTERS = frozenset({"random"})
NONDETERMINISTIC_GLOBALS = frozenset({"lipsum"})


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no Python internals, no mutation of the context) plus the bounds of
    chukmath.render.bounds on loops, repetition, powers, string growth and the size of printed values, and the
    checks of chukmath.render.determinism on what may become text."""

    code_generator_class = BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options, finalize=self._finalize_output)
        self.filters = {
            name: bounded_filter(name, printable_filter(name, func))
            for name, func in self.filters.items()
            if name not in NONDETERMINISTIC_FILTERS
        }
        self.filters[LOOP_FILTER] = bounded_loop
        for name in NONDETERMINISTIC_GLOBALS:
            self.globals.pop(name, None)

    def call_binop(self, context: Context, op: str, left: Any, right: Any) -> Any:
        if op == "*":
            check_repeat(left, right)
            return operator.mul(left, right)
        if op == "**":
            check_power(left, right)
            return operator.pow(left, right)
        if op == "+":
            if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
                check_size(left, "a sum")
                check_size(right, "a sum")
            return check_size(operator.add(left, right), "a sum")
        if op == "%":
            if isinstance(left, str):
                args = right if isinstance(right, tuple) else (right,)
                check_format(left, args, percent=True)
                check_size(right, "the values of a % format")
                check_printable(right, "a % format")
            return check_size(operator.mod(left, right), "a % format")
        return super().call_binop(context, op, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        name = getattr(__obj, "__name__", "")
        receiver = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if name == "join" and isinstance(receiver, str) and args:
            args = (sized(args[0]), *args[1:])  # str.join would make a list of a lazy iterable anyway
        check_call(name, receiver, args, kwargs)
        if name in ("format", "format_map") and isinstance(receiver, str):
            check_format_fields(receiver)
            check_printable_all((*args, *kwargs.values()), f"{name}()")
        return check_size(super().call(__context, __obj, *args, **kwargs), f"the result of {name or 'a call'}()")

    @staticmethod
    def bounded_buffer() -> BoundedBuffer:
        """The output buffer of a macro or block (see BoundedCodeGenerator.buffer)."""
        return BoundedBuffer()

    def bounded_concat(self, parts: tuple[Any, ...]) -> str:
        """``~``: every part and the joined text within MAX_CHARS."""
        for part in parts:
            check_size(part, "a ~ concatenation")
            check_printable(part, "a ~ concatenation")
        text = "".join(str(part) for part in parts)
        if len(text) > MAX_CHARS:
            raise too_large("a ~ concatenation")
        return text

    @staticmethod
    def _finalize_output(value: Any) -> Any:
        return check_printable(check_size(value, "a printed value"), "a printed value")


def make_environment() -> ImmutableSandboxedEnvironment:
    """A fresh environment: sandboxed, bounded, StrictUndefined, no loader (no include/import/extends), no autoescape.

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
