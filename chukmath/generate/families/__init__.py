"""The built-in problem families; importing this package registers them all."""

from chukmath.generate.families import (
    arithmetic,
    calculus,
    fractions,
    linear,
    number_theory,
    quadratic,
    word_problem,
)

__all__ = ["arithmetic", "calculus", "fractions", "linear", "number_theory", "quadratic", "word_problem"]
