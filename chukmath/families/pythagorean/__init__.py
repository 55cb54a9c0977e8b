"""``pythagorean``: a missing side of a right triangle, as an integer or an exact radical."""

from chukmath.families.common.radicals import radical_forms
from chukmath.families.contract import Family
from chukmath.families.pythagorean.generator import PRESETS, PythagoreanConfig, draw, trace
from chukmath.families.pythagorean.routes import ROUTES

FAMILY = Family(
    name="pythagorean",
    description="The Pythagorean theorem: hypotenuse or a leg of a right triangle, triples or exact radicals.",
    config_cls=PythagoreanConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=radical_forms,
    routes=ROUTES,
)
