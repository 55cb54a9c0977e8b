"""``number_theory``: gcd, lcm, remainders, modular powers, divisor counts and sums, prime valuations."""

from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family, lazy
from chukmath.families.number_theory.generator import PRESETS, NumberTheoryConfig, draw
from chukmath.records import Problem

CALLS = ("gcd(", "lcm(", "Mod(", "divisor_count(")


def recognizes(problem: Problem) -> bool:
    """A call of one of the number-theory functions."""
    return problem.expression.strip().startswith(CALLS)


FAMILY = Family(
    name="number_theory",
    description="gcd, lcm, remainders, modular powers, divisor counts/sums and prime valuations; integer answers.",
    config_cls=NumberTheoryConfig,
    presets=PRESETS,
    draw=draw,
    trace=lazy(f"{__name__}.trace", "number_theory_trace"),
    present=number_forms,
    recognizes=recognizes,
    routes={
        "euclid": lazy(f"{__name__}.routes", "euclid_route"),
        "prime_factors": lazy(f"{__name__}.routes", "prime_factors"),
        "by_hand": lazy(f"{__name__}.routes", "by_hand"),
    },
)
