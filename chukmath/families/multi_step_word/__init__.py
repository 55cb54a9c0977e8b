"""``multi_step_word``: GSM8K-style word problems of 3-8 steps, with distractor quantities at higher difficulty."""

from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family
from chukmath.families.multi_step_word.generator import PRESETS, MultiStepConfig, draw, trace
from chukmath.families.multi_step_word.routes import ROUTES

FAMILY = Family(
    name="multi_step_word",
    description="GSM8K-style multi-step word problems (3-8 steps; irrelevant quantities at difficulty 4-5); exact "
    "answers.",
    config_cls=MultiStepConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=number_forms,
    routes=ROUTES,
)
