"""unit_conversion: answers recomputed from an independent chain of textbook definitions, traces verified."""

from __future__ import annotations

from fractions import Fraction as F

from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "unit_conversion"
# each unit defined from a neighbour, the way a textbook states them (not the family's table of base sizes)
DEFINED = {
    "mm": ("cm", F(1, 10)), "cm": ("m", F(1, 100)), "km": ("m", F(1000)), "in": ("cm", F(254, 100)),
    "ft": ("in", F(12)), "yd": ("ft", F(3)), "mi": ("ft", F(5280)),
    "mg": ("g", F(1, 1000)), "kg": ("g", F(1000)), "t": ("kg", F(1000)), "lb": ("kg", F(45359237, 10**8)),
    "oz": ("lb", F(1, 16)),
    "mL": ("L", F(1, 1000)), "cm³": ("mL", F(1)), "m³": ("L", F(1000)),
    "min": ("s", F(60)), "h": ("min", F(60)), "d": ("h", F(24)), "wk": ("d", F(7)),
    "cm²": ("m²", F(1, 10000)), "ha": ("m²", F(10000)), "km²": ("ha", F(100)),
}  # fmt: skip
BASES = {"m", "g", "L", "s", "m²"}


def _size(unit: str) -> F:
    size = F(1)
    while unit not in BASES:
        unit, factor = DEFINED[unit][0], DEFINED[unit][1]
        size *= factor
    return size


def _chain(p: Problem) -> str:
    m = p.meta
    amount = F(m["amount"])
    if m["kind"] == "speed":
        (sd, st), (dd, dt) = (u.split("/") for u in (m["from"], m["to"]))
        return str(amount * _size(sd) / _size(dd) * _size(dt) / _size(st))
    return str(amount * _size(m["from"]) / _size(m["to"]))


def test_answers_traces_and_definitions() -> None:
    check_family(NAME, _chain)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_every_kind_appears() -> None:
    kinds = {p.meta["kind"] for p in generate(NAME, seed=1, count=300, difficulty=4)}
    assert kinds == {"length", "mass", "volume", "time", "area", "speed"}
