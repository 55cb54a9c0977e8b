"""Cost checks that a slow or busy machine cannot fail, for tests that guard against quadratic or runaway work.

Timings never go into pass/fail tests as wall-clock limits. Instead a cost is compared with another cost
measured in the same test: ten times the input may cost about ten times the time (a quadratic rescan costs a
hundred), or a hostile input may cost a small multiple of an ordinary one (a runaway power costs seconds).
Costs are CPU seconds of this process (other jobs on a shared machine do not count), best of a few runs with
the garbage collector paused, and a check that fails is measured again before it reports, so one stall cannot
fail it while a real regression fails every time.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")

FLOOR_S = 0.002  # CPU seconds any measurement may be off by (timer, caches); far below what a regression costs
RETRIES = 2  # a failing comparison is measured this many more times before it fails


def cpu_seconds(call: Callable[[], object], repeats: int = 3, before: Callable[[], object] | None = None) -> float:
    """The least CPU time of ``repeats`` runs of ``call()``; ``before()`` runs untimed ahead of each (a cache reset)."""
    best = float("inf")
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            if before is not None:
                before()
            start = time.process_time()
            call()
            best = min(best, time.process_time() - start)
    finally:
        if was_enabled:
            gc.enable()
    return best


def assert_each_costs_at_most(
    calls: Mapping[str, Callable[[], object]],
    reference: Callable[[], object],
    times: float,
    *,
    before: Callable[[], object] | None = None,
) -> None:
    """Each of ``calls`` costs at most ``times`` x ``reference()`` (+ FLOOR_S), all measured here, best of three."""
    unit = cpu_seconds(reference, before=before)
    for what, call in calls.items():
        for attempt in range(1 + RETRIES):
            if attempt:  # the machine may have slowed since the reference was measured
                unit = cpu_seconds(reference, before=before)
            spent = cpu_seconds(call, before=before)
            if spent <= times * unit + FLOOR_S:
                break
        else:
            raise AssertionError(
                f"{what}: {spent * 1e3:.1f} ms of CPU, {spent / max(unit, 1e-9):.0f} x the reference's "
                f"{unit * 1e3:.2f} ms (at most {times:g} x allowed)"
            )


class CostBudget:
    """At most ``times`` x the cost of ``reference()`` per call, for many calls (fuzzed inputs).

    The reference is measured once, on first use; a call over budget is measured again, against a fresh
    reference, before it fails, so each call in budget costs only itself.
    """

    def __init__(
        self, reference: Callable[[], object], times: float, *, before: Callable[[], object] | None = None
    ) -> None:
        self.reference, self.times, self.before = reference, times, before
        self._unit: float | None = None

    def run(self, call: Callable[[], T], what: str = "") -> T:
        """``call()``'s result, asserting that it cost no more than the budget."""
        if self._unit is None:
            self._unit = cpu_seconds(self.reference, repeats=5, before=self.before)
        if self.before is not None:
            self.before()
        start = time.process_time()
        result = call()
        if time.process_time() - start > self.times * self._unit + FLOOR_S:
            assert_each_costs_at_most({what: call}, self.reference, self.times, before=self.before)
        return result


def assert_linear(
    call: Callable[[str], object],
    small: str,
    large: str,
    *,
    slack: float = 3.0,
    before: Callable[[], object] | None = None,
    what: str = "",
) -> None:
    """``call(large)`` costs at most ``slack`` x (length ratio) x ``call(small)`` (+ FLOOR_S), measured here.

    With ``large`` ten times ``small`` and the default slack, a linear cost passes (about 10x) and a quadratic
    one fails (about 100x). Choose sizes where the quadratic cost of ``large`` is far above FLOOR_S.
    """
    growth = len(large) / len(small)
    assert growth >= 4, f"{what}: the large input is only {growth:.1f} x the small one; too close to tell"
    spent = unit = 0.0
    for _ in range(1 + RETRIES):
        unit = cpu_seconds(lambda: call(small), before=before)
        spent = cpu_seconds(lambda: call(large), before=before)
        if spent <= slack * growth * unit + FLOOR_S:
            return
    raise AssertionError(
        f"{what}: {len(large)} chars cost {spent * 1e3:.1f} ms of CPU, {spent / max(unit, 1e-9):.0f} x the "
        f"{unit * 1e3:.2f} ms of {len(small)} chars (at most {slack * growth:.0f} x allowed: not linear)"
    )
