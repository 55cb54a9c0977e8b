"""``unit_conversion``: exact conversions of length, mass, volume, time, area and speed units."""

from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family
from chukmath.families.unit_conversion.generator import PRESETS, UnitConversionConfig, draw, trace
from chukmath.families.unit_conversion.routes import ROUTES

FAMILY = Family(
    name="unit_conversion",
    description="Unit conversions with exact factors: metric and US units, time, area, volume, speeds (km/h to m/s).",
    config_cls=UnitConversionConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=number_forms,
    routes=ROUTES,
)
