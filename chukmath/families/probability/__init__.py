"""``probability``: compound events with dice, coins, urns and cards; exact fractions."""

from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family
from chukmath.families.probability.generator import PRESETS, ProbabilityConfig, draw, trace
from chukmath.families.probability.routes import ROUTES

FAMILY = Family(
    name="probability",
    description="Probabilities of compound events (dice, coins, urns, cards) as exact fractions.",
    config_cls=ProbabilityConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=number_forms,
    routes=ROUTES,
)
