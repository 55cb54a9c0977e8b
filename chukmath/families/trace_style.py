"""Which of a family's traces the built-in teacher writes for a problem: its ``classic`` one, one of its solution
``routes`` picked per problem (``mix``), or one named route.

The pick under ``mix`` is a pure function of the problem id (a hash of it, modulo the number of routes), so a
build stays byte-identical run to run and on any shard, and every route gets about the same share of problems.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from chukmath.errors import ConfigError
from chukmath.families.contract import RESERVED_STYLES, Family, Trace
from chukmath.records import Problem

CLASSIC = "classic"
MIX = "mix"
RESERVED = RESERVED_STYLES


def route_index(problem_id: str, count: int) -> int:
    """Which of ``count`` routes problem ``problem_id`` takes: uniform over ids, the same on every machine."""
    if count < 1:
        raise ValueError(f"route_index: count={count}, needs at least one route")
    digest = hashlib.blake2b(problem_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count


def route_name(family: Family, problem_id: str, style: str) -> str:
    """The name of the trace ``family`` writes for ``problem_id`` under ``style`` (``classic`` when the family has
    no routes, or not the named one)."""
    if style == CLASSIC or not family.routes:
        return CLASSIC
    if style == MIX:
        names = sorted(family.routes)  # declaration order must not decide which problems get which route
        return names[route_index(problem_id, len(names))]
    return style if style in family.routes else CLASSIC


def pick_trace(family: Family, problem: Problem, style: str) -> Trace:
    """The trace function ``family`` uses for ``problem`` under ``style`` (see :func:`route_name`)."""
    name = route_name(family, problem.id, style)
    return family.trace if name == CLASSIC else family.routes[name]


def known_styles(families: Iterable[Family]) -> list[str]:
    """Every style a recipe may name: ``classic``, ``mix`` and each route some family declares, sorted."""
    routes = {name for family in families for name in family.routes}
    return [CLASSIC, MIX, *sorted(routes - RESERVED)]


def check_style(style: str, families: Iterable[Family], where: str = "trace_style") -> str:
    """``style`` when it is ``classic``, ``mix`` or a route some family declares; else a ConfigError naming them."""
    known = known_styles(families)
    if style not in known:
        raise ConfigError(
            f"{where}: unknown trace style {style!r}; use one of {', '.join(known)} "
            "(classic: today's trace; mix: a route per problem; or one route by name)"
        )
    return style


__all__ = ["CLASSIC", "MIX", "check_style", "known_styles", "pick_trace", "route_index", "route_name"]
