"""``sequences``: arithmetic and geometric sequences, nth terms and sums."""

from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family
from chukmath.families.sequences.generator import PRESETS, SequencesConfig, draw, trace
from chukmath.families.sequences.routes import ROUTES

FAMILY = Family(
    name="sequences",
    description="Arithmetic and geometric sequences: nth term, sum of the first n terms, a term from two others.",
    config_cls=SequencesConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=number_forms,
    routes=ROUTES,
)
