"""Problem generation: seeded, index-addressable runs of one problem family (:mod:`chukmath.families`) or a mix.

Problem *i* of a run is a pure function of (family, config, seed, i); answers are exact (sympy ``str()``).
"""

from chukmath.families import Family, get_family, list_families
from chukmath.generate.engine import Run, generate
from chukmath.generate.mix import MixEntry, MixRecipe, generate_mix, load_mix_recipe, parse_mix, resolve_recipe
from chukmath.stage_module import make_callable

__all__ = [
    "Family",
    "MixEntry",
    "MixRecipe",
    "Run",
    "generate",
    "generate_mix",
    "get_family",
    "list_families",
    "load_mix_recipe",
    "parse_mix",
    "resolve_recipe",
]

# Calling the stage runs chukmath.api's function of the same name (why: chukmath/stage_module.py).
make_callable(__name__)
