"""``trig_values``: exact values of trigonometric functions at standard angles, in degrees or radians."""

from chukmath.families.common.radicals import radical_forms
from chukmath.families.contract import Family
from chukmath.families.trig_values.capacity import question_count
from chukmath.families.trig_values.generator import PRESETS, TrigConfig, draw, trace
from chukmath.families.trig_values.routes import ROUTES

FAMILY = Family(
    name="trig_values",
    description="Exact sin, cos, tan (and sec, csc, cot) at multiples of 30° and 45°, degrees or radians.",
    config_cls=TrigConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=radical_forms,
    routes=ROUTES,
    capacity=question_count,
)
