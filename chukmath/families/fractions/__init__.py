"""``fractions``: + - × ÷ on fractions (and the odd whole number); the answer is the reduced fraction."""

from chukmath.families.common.arithmetic_steps import arithmetic_trace
from chukmath.families.common.expression_routes import expression_route
from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family
from chukmath.families.fractions.generator import PRESETS, FractionsConfig, draw

FAMILY = Family(
    name="fractions",
    description="Arithmetic on fractions (+ - × ÷, parentheses, negatives); the answer is in lowest terms.",
    config_cls=FractionsConfig,
    presets=PRESETS,
    draw=draw,
    trace=arithmetic_trace,
    present=number_forms,
    routes={name: expression_route(name) for name in ("left_to_right", "regroup", "common_denominator")},
)
