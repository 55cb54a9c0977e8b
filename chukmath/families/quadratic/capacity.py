"""How many distinct questions ``quadratic``'s drawer can make with a config, counted exactly.

A question is one of the phrases around one polynomial, and the polynomial text is a one-to-one image of its
integer coefficients ``(a, b, c)``, so the count is ``phrases * |reachable coefficient triples|``. The rational
branch makes ``sgn * (p*x - r1) * (x - r2)`` (its discriminant is a square); the irrational branch makes any
``(lead, b, c)`` whose discriminant is positive and not a square, so the two branches never share a triple.
"""

from __future__ import annotations

from math import isqrt

from chukmath.families.quadratic.generator import _PHRASES as PHRASES
from chukmath.families.quadratic.generator import QuadraticConfig
from chukmath.families.rng import can_be

# Above this many (lead, r1, r2) or (lead, b, c) combinations the count is left to the sampling estimate: the
# loops below take about a second per million.
MAX_COMBINATIONS = 300_000


def _leads(cfg: QuadraticConfig) -> list[int]:
    # lead = 1 when rng.chance(monic), else randint(1, max_leading) * sign().
    leads: set[int] = set()
    if can_be(cfg.monic, True):
        leads.add(1)
    if can_be(cfg.monic, False):
        leads.update(s * p for p in range(1, cfg.max_leading + 1) for s in (1, -1))
    return sorted(leads)


def question_count(cfg: QuadraticConfig) -> int | None:
    """The number of distinct questions ``draw(cfg, rng)`` can return, or None where counting would be slow."""
    leads = _leads(cfg)
    roots = range(-cfg.max_root, cfg.max_root + 1)
    k = cfg.max_coefficient
    rational = can_be(cfg.irrational, False)
    irrational = can_be(cfg.irrational, True)
    if (rational and len(leads) * len(roots) ** 2 > MAX_COMBINATIONS) or (
        irrational and len(leads) * (2 * k + 1) ** 2 > MAX_COMBINATIONS
    ):
        return None
    triples: set[tuple[int, int, int]] = set()
    if rational:
        for lead in leads:
            p, sgn = abs(lead), (1 if lead > 0 else -1)
            for r1 in roots:
                for r2 in roots:
                    triples.add((sgn * p, -sgn * (r1 + p * r2), sgn * r1 * r2))
    surds = 0
    if irrational:
        for a in leads:
            for b in range(-k, k + 1):
                for c in range(-k, k + 1):
                    disc = b * b - 4 * a * c
                    if disc > 0 and isqrt(disc) ** 2 != disc:
                        surds += 1
    return len(PHRASES) * (len(triples) + surds)
