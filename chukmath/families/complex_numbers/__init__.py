"""``complex_numbers``: complex arithmetic, conjugates, powers of i and moduli; exact answers like ``3 + 4*I``."""

from chukmath.families.complex_numbers.generator import PRESETS, ComplexConfig, draw, present, trace
from chukmath.families.complex_numbers.routes import ROUTES
from chukmath.families.contract import Family

FAMILY = Family(
    name="complex_numbers",
    description="Complex numbers: sums, products, quotients, powers of i, squares and moduli; exact a + b*I answers.",
    config_cls=ComplexConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=present,
    routes=ROUTES,
)
