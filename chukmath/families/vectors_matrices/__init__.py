"""``vectors_matrices``: dot products, vector lengths and 2×2 / 3×3 determinants."""

from chukmath.families.common.radicals import radical_forms
from chukmath.families.contract import Family
from chukmath.families.vectors_matrices.generator import PRESETS, VectorsMatricesConfig, draw, trace

FAMILY = Family(
    name="vectors_matrices",
    description="Dot products, vector lengths (exact radicals) and 2x2 / 3x3 determinants; scalar answers.",
    config_cls=VectorsMatricesConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=radical_forms,
)
