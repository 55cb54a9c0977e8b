"""``logarithms``: exact logarithms, log rules and exponential equations with rational answers."""

from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family
from chukmath.families.logarithms.generator import PRESETS, LogarithmsConfig, draw, trace
from chukmath.families.logarithms.routes import ROUTES

FAMILY = Family(
    name="logarithms",
    description="Exact logarithms (log_8 4 = 2/3), sum/difference rules, log and exponential equations.",
    config_cls=LogarithmsConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=number_forms,
    routes=ROUTES,
)
