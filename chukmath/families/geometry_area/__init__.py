"""``geometry_area``: areas, perimeters and volumes with exact π and radicals."""

from chukmath.families.common.radicals import radical_forms
from chukmath.families.contract import Family
from chukmath.families.geometry_area.generator import PRESETS, GeometryAreaConfig, draw, trace
from chukmath.families.geometry_area.routes import ROUTES

FAMILY = Family(
    name="geometry_area",
    description="Areas, perimeters, surface areas and volumes of plane and solid figures; exact π and radicals.",
    config_cls=GeometryAreaConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=radical_forms,
    routes=ROUTES,
)
