"""``arithmetic``: integer and decimal arithmetic with precedence, parentheses, unary minus and small powers."""

from chukmath.families.arithmetic.generator import PRESETS, ArithmeticConfig, draw
from chukmath.families.common.arithmetic_steps import arithmetic_trace
from chukmath.families.common.expression_routes import expression_route
from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family

FAMILY = Family(
    name="arithmetic",
    description="Integer and decimal arithmetic with + - × ÷, precedence, parentheses, unary minus and "
    "small powers; exact rational answers (optionally integer-only).",
    config_cls=ArithmeticConfig,
    presets=PRESETS,
    draw=draw,
    trace=arithmetic_trace,
    present=number_forms,
    routes={name: expression_route(name) for name in ("left_to_right", "regroup", "estimate_first")},
)
