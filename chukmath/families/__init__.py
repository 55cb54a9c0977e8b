"""Problem families: each is one package here (or in another distribution, through the ``chukmath.families``
entry-point group) that holds everything about it, exposed as one :class:`Family` value.

The generate engine, the built-in teacher and the checks reach a family only through this contract
(docs/families.md walks through adding one)::

    from chukmath.families import get_family

    family = get_family("fractions")
    config = family.config(difficulty=2)          # a validated dataclass from the difficulty-2 preset
    family.present("3/4")                         # ['3/4', '0.75', '\\frac{3}{4}']

Shared, public helpers for writing families live in :mod:`chukmath.families.common`.
"""

from chukmath.families.config import param
from chukmath.families.contract import (
    DIFFICULTIES,
    Capacity,
    Draw,
    Family,
    Finish,
    Present,
    Recognize,
    Trace,
    finish_ready,
    lazy,
    present_as_is,
)
from chukmath.families.registry import ENTRY_POINT_GROUP, get_family, list_families, register
from chukmath.families.rng import Rng

__all__ = [
    "DIFFICULTIES",
    "ENTRY_POINT_GROUP",
    "Capacity",
    "Draw",
    "Family",
    "Finish",
    "Present",
    "Recognize",
    "Rng",
    "Trace",
    "finish_ready",
    "get_family",
    "lazy",
    "list_families",
    "param",
    "present_as_is",
    "register",
]
