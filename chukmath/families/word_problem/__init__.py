"""``word_problem``: multi-step everyday stories over an exact expression; the answer carries a unit.

Money is written once, one way: the amount with two places and the currency's name (``9235.80 dollars``).
"""

from chukmath.families.common.present import money_forms
from chukmath.families.contract import Family
from chukmath.families.word_problem.generator import PRESETS, WordProblemConfig, draw
from chukmath.families.word_problem.routes import ROUTES
from chukmath.families.word_problem.trace import word_problem_trace
from chukmath.records import Problem


def recognizes(problem: Problem) -> bool:
    """A plain arithmetic expression with a unit."""
    expression = problem.expression.lstrip()
    return bool(problem.meta.get("unit")) and not expression[:1].isalpha() and not expression.startswith("[")


FAMILY = Family(
    name="word_problem",
    description="Multi-step everyday stories (shopping, discounts, travel, ages, sharing, production, recipes, "
    "savings, fences, fuel) over an exact expression.",
    config_cls=WordProblemConfig,
    presets=PRESETS,
    draw=draw,
    trace=word_problem_trace,
    present=money_forms,
    recognizes=recognizes,
    routes=ROUTES,
)
