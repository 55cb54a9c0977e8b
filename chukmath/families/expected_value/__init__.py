"""``expected_value``: expected values of dice, games, repeated trials and raffles; exact fractions."""

from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family
from chukmath.families.expected_value.generator import PRESETS, ExpectedValueConfig, draw, trace
from chukmath.families.expected_value.routes import ROUTES

FAMILY = Family(
    name="expected_value",
    description="Expected values: dice with any faces, games with prizes, counts over repeated trials, raffles.",
    config_cls=ExpectedValueConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=number_forms,
    routes=ROUTES,
)
