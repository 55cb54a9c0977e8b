"""``statistics``: mean, median, mode, range, population variance and a missing value of small data sets."""

from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family
from chukmath.families.statistics.generator import PRESETS, StatisticsConfig, draw, trace
from chukmath.families.statistics.routes import ROUTES

FAMILY = Family(
    name="statistics",
    description="Mean, median, mode, range, population variance and a missing value of small data sets; exact.",
    config_cls=StatisticsConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=number_forms,
    routes=ROUTES,
)
