"""``permutations_combinations``: arrangements, ordered selections, committees, arrangements with repeats, codes."""

from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family
from chukmath.families.permutations_combinations.generator import PRESETS, CountingConfig, draw, trace
from chukmath.families.permutations_combinations.routes import ROUTES

FAMILY = Family(
    name="permutations_combinations",
    description="Counting: n!, nPr, nCr, arrangements with repeated items, codes with repetition; integer answers.",
    config_cls=CountingConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=number_forms,
    routes=ROUTES,
)
