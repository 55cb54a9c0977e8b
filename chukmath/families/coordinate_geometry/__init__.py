"""``coordinate_geometry``: distance, midpoint, slope and the line through two points."""

from chukmath.families.contract import Family
from chukmath.families.coordinate_geometry.generator import PRESETS, CoordinateConfig, draw, present, trace
from chukmath.families.coordinate_geometry.routes import ROUTES

FAMILY = Family(
    name="coordinate_geometry",
    description="Two points in the plane: distance (exact radical), midpoint, slope, the line y = mx + b through them.",
    config_cls=CoordinateConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=present,
    routes=ROUTES,
)
