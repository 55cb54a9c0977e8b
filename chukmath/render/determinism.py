"""Keep a rendered prompt a pure function of the problem: refuse printing values whose text is not.

The request id is the hash of the rendered messages, so a prompt that embeds ``<jinja2.utils.Joiner object
at 0x7f...>`` (``{{ joiner() }}``), ``<function safe_range at 0x...>`` (``{{ range }}``), a bound method
(``{{ question.upper }}``) or a generator (``{{ xs | map('upper') }}``) gets a new id on every run, and a
resumed run pays again for every answer. A template may therefore only turn into text the values listed in
PRINTABLE_TYPES, and lists, tuples and dicts of them; anything else is a SecurityError at the point where it
would become text: printed with ``{{ }}``, concatenated with ``~``, formatted with ``%``, ``|format`` or
``.format()``, or given to a filter that makes text of its input (``|string``, ``|join``, ``|upper``, ...).

Objects used for what they return stay available: ``{{ j() }}`` of a ``joiner`` and ``{{ c.next() }}`` of a
``cycler`` return the strings they were given, in the same order on every render.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from functools import wraps
from typing import Any

from jinja2.runtime import Undefined
from jinja2.sandbox import SecurityError

# Values whose text is the same in every process. Sets are not among them: their order follows string hashes,
# which differ from process to process (PYTHONHASHSEED).
PRINTABLE_TYPES: tuple[type, ...] = (str, int, float, bool, type(None), Decimal, Fraction)

# Filters that pass their input on without turning it into text: they may receive generators, ranges, dict
# views and other objects that only become printable later (``|list``, ``|join``, ``|first``, ...).
STRUCTURAL_FILTERS = frozenset(
    {
        "attr", "batch", "count", "d", "default", "dictsort", "first", "groupby", "items", "last", "length",
        "list", "map", "max", "min", "reject", "rejectattr", "reverse", "select", "selectattr", "slice", "sort",
        "sum", "unique", "tojson",
    }
)  # fmt: skip

_FORMATTER = string.Formatter()


def unprintable(value: Any) -> Any | None:
    """The first value inside ``value`` (itself, or an item of a list, tuple or dict) that is not printable."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, PRINTABLE_TYPES):
            continue
        if isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            return item
    return None


def describe(value: Any) -> str:
    """A short name for an unprintable value, without its (run-dependent) address."""
    kind = type(value)
    if isinstance(value, type):
        return f"the class {value.__name__}"
    if callable(value) and hasattr(value, "__name__"):
        return f"the function or method {value.__name__}"
    return f"a {kind.__module__}.{kind.__qualname__} object" if kind.__module__ != "builtins" else f"a {kind.__name__}"


def check_printable(value: Any, what: str) -> Any:
    """``value`` unchanged, or SecurityError if its text could differ between two runs (see module doc)."""
    if type(value) is str or isinstance(value, Undefined):  # Undefined: StrictUndefined raises its own error
        return value
    bad = unprintable(value)
    if bad is not None:
        raise SecurityError(
            f"{what} would print {describe(bad)}; only strings, numbers, and lists and dicts of them may become "
            "prompt text: an object's text can hold its memory address ('<... at 0x...>'), new on every run, and "
            "with it the request id (a resumed run would pay again). Call it, or print a value of it (|list, |join)"
        )
    return value


def check_printable_all(values: Any, what: str) -> None:
    """check_printable for each of ``values``."""
    for value in values:
        check_printable(value, what)


def check_format_fields(fmt: str) -> None:
    """Refuse ``'{0.upper}'``-style fields in ``str.format``: the attribute is resolved inside the format,
    where check_printable cannot see it, and is nearly always a method that prints with its address."""
    try:
        fields = [field for _, field, _, _ in _FORMATTER.parse(fmt) if field]
    except ValueError:
        return  # str.format reports the malformed string itself
    for field in fields:
        if "." in field:
            raise SecurityError(
                f"the format field {{{field}}} reads an attribute inside the format string; compute the value "
                "first and pass it to .format() (e.g. '{}'.format(x.y))"
            )


def printable_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` refusing unprintable input and arguments when it makes text of them (not a STRUCTURAL_FILTER)."""
    if name in STRUCTURAL_FILTERS:
        return func
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
    what = f"|{name}"

    @wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        check_printable_all(args[skip:], what)
        check_printable_all(kwargs.values(), what)
        return func(*args, **kwargs)

    return checked
