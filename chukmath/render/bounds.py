"""Work and size bounds for template code, so a template cannot make a render run for hours or fill memory.

Jinja's sandbox keeps a template away from Python internals and bounds ``range``; it does not bound nested
loops, string growth (``~``, ``+``, ``%``, ``.center(10**9)``), or printing a huge structure. A prompt is a
few kilobytes, so the bounds below are far above anything a real template needs and far below what hurts:

- all ``{% for %}`` loops of one message together run at most MAX_LOOP_ITEMS iterations;
- no value a template computes or prints may exceed MAX_CHARS characters (strings inside lists and dicts
  count), no message MAX_MESSAGE_CHARS (system messages included) and no request MAX_PROMPT_CHARS;
- repetition (``'x' * n``) is capped at MAX_REPEAT_ITEMS items, exponents at MAX_POWER_EXPONENT and a power's
  result at MAX_POWER_BITS bits.

Each bound is checked before the costly step where the cost can be known in advance (widths, repetition,
joins, replacements), else right after it; the error is a SecurityError naming the bound.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from functools import wraps
from typing import Any

from jinja2 import Template, nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import SecurityError

MAX_LOOP_ITEMS = 100_000
MAX_CHARS = 1_000_000
# One chat message as sent: a rendered section of any role, and a system text given with --system or a
# recipe's [prompt] system. And all the messages of one request together (a template may have many sections).
MAX_MESSAGE_CHARS = MAX_CHARS
MAX_PROMPT_CHARS = 2 * MAX_MESSAGE_CHARS
MAX_REPEAT_ITEMS = 100_000
MAX_POWER_EXPONENT = 10_000
MAX_POWER_BITS = 1_000_000
LOOP_FILTER = "chukmath_bounded_loop"

# The iterations left for the message being rendered (None outside render_bounded: each loop gets a full budget).
_loop_budget: ContextVar[list[int] | None] = ContextVar("chukmath_loop_budget", default=None)

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORMATTER = string.Formatter()


def too_large(what: str) -> SecurityError:
    return SecurityError(f"{what} would exceed {MAX_CHARS:,} characters; a prompt is never that large")


def estimated_chars(value: Any, limit: int = MAX_CHARS) -> int:
    """Characters in ``value``'s strings (inside lists, tuples, sets and dicts too), one per other item.

    Stops once past ``limit``: a huge value costs about ``limit`` steps plus the lengths of the containers it
    opened on the way (a template cannot build a container of more than about a million items).
    """
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item) + 1
        elif isinstance(item, dict):
            total += 1
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            total += 1
            stack.extend(item)
        else:
            total += 1
    return total


def check_size(value: Any, what: str) -> Any:
    """``value`` unchanged, or SecurityError if it is larger than MAX_CHARS."""
    if type(value) is str:  # nearly every value a prompt prints: no walk needed
        if len(value) > MAX_CHARS:
            raise too_large(what)
    elif isinstance(value, str | list | tuple | dict | set | frozenset) and estimated_chars(value) > MAX_CHARS:
        raise too_large(what)
    return value


class BoundedBuffer(list[str]):
    """The output buffer of a macro, ``{% set %}`` block, ``{% filter %}`` or ``{% call %}`` block: at most
    MAX_CHARS characters, so a loop inside one cannot build a huge string before anything checks it."""

    __slots__ = ("size",)

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def append(self, part: str) -> None:
        self.size += len(part)
        if self.size > MAX_CHARS:
            raise too_large("the output of a block or macro")
        super().append(part)

    def extend(self, parts: Iterable[str]) -> None:
        for part in parts:
            self.append(part)


def check_format(fmt: str, args: Iterable[Any], *, percent: bool) -> None:
    """Refuse a format string whose widths or precisions (literal, or ``*``/``{}`` taken from ``args``) are huge."""
    dynamic = False
    if percent:
        for found in _PERCENT_SPEC.finditer(fmt):
            for group in found.groups():
                dynamic |= group == "*"
                if group and group != "*" and int(group) > MAX_CHARS:
                    raise too_large("a formatted field")
    else:
        try:
            specs = [spec for _, field, spec, _ in _FORMATTER.parse(fmt) if field is not None and spec]
        except ValueError:
            return  # str.format will report the malformed string itself
        for spec in specs:
            dynamic |= "{" in spec
            if any(int(digits) > MAX_CHARS for digits in re.findall(r"\d+", spec)):
                raise too_large("a formatted field")
    if dynamic and any(isinstance(a, int) and abs(a) > MAX_CHARS for a in args):
        raise too_large("a formatted field")


def check_repeat(left: Any, right: Any) -> None:
    """Refuse ``seq * n`` beyond MAX_REPEAT_ITEMS items or MAX_CHARS characters."""
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(count, int) and count > 0:
            if count * len(seq) > MAX_REPEAT_ITEMS:
                raise SecurityError(f"repeating a sequence to more than {MAX_REPEAT_ITEMS} items is not allowed")
            if count * estimated_chars(seq) > MAX_CHARS:
                raise too_large("the repeated sequence")


def check_power(left: Any, right: Any) -> None:
    """Refuse exponents above MAX_POWER_EXPONENT and integer powers above MAX_POWER_BITS bits."""
    if isinstance(right, int | float) and abs(right) > MAX_POWER_EXPONENT:
        raise SecurityError(f"exponents above {MAX_POWER_EXPONENT} are not allowed")
    if isinstance(left, int) and isinstance(right, int) and right > 0 and left.bit_length() * right > MAX_POWER_BITS:
        raise SecurityError(f"powers above {MAX_POWER_BITS:,} bits are not allowed")


def check_call(name: str, receiver: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Pre-checks for the str methods and filters whose result size is set by an argument."""
    values = (*args, *kwargs.values())
    if name in ("center", "ljust", "rjust", "zfill", "indent", "batch", "slice"):
        huge = [v for v in values if isinstance(v, int) and not isinstance(v, bool) and v > MAX_CHARS]
        if huge:
            raise too_large(f"{name}({huge[0]:,})")
        if name == "indent" and isinstance(receiver, str):
            width = args[0] if args else kwargs.get("width")
            if isinstance(width, str) and len(width) * (receiver.count("\n") + 1) > MAX_CHARS:
                raise too_large("indent()")
    elif name == "expandtabs" and isinstance(receiver, str):
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int) and receiver.count("\t") * size > MAX_CHARS:
            raise too_large("expandtabs()")
    elif name == "replace" and isinstance(receiver, str) and len(args) >= 2:
        old, new = args[0], args[1]
        if isinstance(old, str) and isinstance(new, str):
            hits = len(receiver) + 1 if not old else receiver.count(old)
            if len(receiver) + hits * max(0, len(new) - len(old)) > MAX_CHARS:
                raise too_large("replace()")
    elif name == "join" and isinstance(receiver, str) and args:
        check_join(args[0], receiver)
    elif name in ("format", "format_map") and isinstance(receiver, str):
        check_format(receiver, values, percent=False)


def check_join(items: Any, separator: Any) -> None:
    """Refuse a join whose items and separators add up to more than MAX_CHARS (``items`` must be sized)."""
    count = len(items) if isinstance(items, list | tuple | set | frozenset | dict | str) else 0
    separators = len(separator) * max(0, count - 1) if isinstance(separator, str) else 0
    if estimated_chars(items) + separators > MAX_CHARS:
        raise too_large("join()")


def sized(items: Any) -> Any:
    """``items`` as a list if it is a lazy iterable (``map``, ``select``...), so a join can be measured first."""
    if isinstance(items, str | list | tuple | set | frozenset | dict) or not isinstance(items, Iterable):
        return items
    return list(items)


def bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` with check_call before and check_size after; keeps Jinja's pass_* marker (copied by wraps)."""
    stringifies = name in ("string", "tojson", "pprint", "join", "format", "xmlattr", "urlencode")
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    @wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        value, rest = (args[skip], args[skip + 1 :]) if len(args) > skip else (None, ())
        if name == "join" and value is not None:
            value = sized(value)
            args = (*args[:skip], value, *rest)
        if stringifies:
            check_size(value, f"the value given to |{name}")
        if name == "format" and isinstance(value, str):
            check_format(value, rest, percent=True)
        elif name == "join":
            check_join(value, rest[0] if rest else kwargs.get("d", ""))
        else:
            check_call(name, value, rest, kwargs)
        return check_size(func(*args, **kwargs), f"the result of |{name}")

    return guarded


@pass_context
def bounded_loop(_context: Context, iterable: Iterable[Any]) -> Iterator[Any]:
    """Yield ``iterable``'s items while the message's loop budget lasts (every ``{% for %}`` goes through this)."""
    budget = _loop_budget.get() or [MAX_LOOP_ITEMS]
    for item in iterable:
        budget[0] -= 1
        if budget[0] < 0:
            raise SecurityError(f"the loops of one message ran more than {MAX_LOOP_ITEMS:,} iterations in total")
        yield item


def bound_loops(ast: nodes.Template) -> bool:
    """Route every ``{% for %}`` iterable of ``ast`` through the loop budget (in place, before compiling).

    Returns whether there was any loop.
    """
    loops = list(ast.find_all(nodes.For))
    for loop in loops:
        bounded = nodes.Filter(loop.iter, LOOP_FILTER, [], [], None, None, lineno=loop.iter.lineno)
        bounded.set_environment(ast.environment)
        loop.iter = bounded
    return bool(loops)


def render_bounded(
    template: Template, context: dict[str, Any], loops: bool = True, what: str = "the rendered message"
) -> str:
    """``template.render(context)`` under a fresh loop budget, stopped once the text passes MAX_MESSAGE_CHARS.

    Without loops the number of pieces is fixed by the template and each piece is bounded (printed values by
    the finalize check, blocks and macros by BoundedBuffer), so the text is joined first and measured after:
    the common case then costs what plain Jinja costs.
    """
    if not loops:
        text = template.render(context)
        if len(text) > MAX_MESSAGE_CHARS:
            raise too_large(what)
        return text
    token = _loop_budget.set([MAX_LOOP_ITEMS])
    try:
        parts: list[str] = []
        size = 0
        for part in template.generate(context):
            size += len(part)
            if size > MAX_MESSAGE_CHARS:
                raise too_large(what)
            parts.append(part)
        return "".join(parts)
    finally:
        _loop_budget.reset(token)


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator with ``~`` going through ``environment.bounded_concat`` and block/macro output
    collected in a BoundedBuffer."""

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.bounded_buffer()")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")
