"""``chukmath build``: one recipe file in, a verified, resumable dataset directory out.

Example::

    from chukmath.build import BuildOptions, build_dataset, load_recipe
    summary = build_dataset(load_recipe("datasets/demo.toml"), "datasets/demo", BuildOptions(quiet=True))
"""

from chukmath.build.pipeline import BuildOptions, BuildSummary, build_dataset
from chukmath.build.recipe import BuildRecipe, load_recipe, parse_recipe
from chukmath.stage_module import make_callable

__all__ = ["BuildOptions", "BuildRecipe", "BuildSummary", "build_dataset", "load_recipe", "parse_recipe"]

# Calling the stage runs chukmath.api's function of the same name (why: chukmath/stage_module.py).
make_callable(__name__)
