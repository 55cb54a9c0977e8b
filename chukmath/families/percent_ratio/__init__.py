"""``percent_ratio``: percents of amounts, percent change, reverse percents, ratio shares and rates."""

from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family
from chukmath.families.percent_ratio.generator import PRESETS, PercentRatioConfig, draw, trace
from chukmath.families.percent_ratio.routes import ROUTES

FAMILY = Family(
    name="percent_ratio",
    description="Percent of an amount, what percent, percent change, reverse percent, ratio shares, unit rates.",
    config_cls=PercentRatioConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=number_forms,
    routes=ROUTES,
)
