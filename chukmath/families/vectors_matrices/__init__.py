"""``vectors_matrices``: dot products, lengths, determinants (scalar answers); linear combinations of vectors,
matrix products and inverses (vector and matrix answers)."""

from chukmath.families.contract import Family
from chukmath.families.vectors_matrices.generator import PRESETS, VectorsMatricesConfig, draw
from chukmath.families.vectors_matrices.linalg import present
from chukmath.families.vectors_matrices.routes import ROUTES
from chukmath.families.vectors_matrices.trace import trace

FAMILY = Family(
    name="vectors_matrices",
    description="Dot products, vector lengths (exact radicals), 2x2 / 3x3 determinants; linear combinations of "
    "vectors, matrix products and inverses with exact entries (vector and matrix answers).",
    config_cls=VectorsMatricesConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=present,
    routes=ROUTES,
)
