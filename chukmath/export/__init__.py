"""Exports for the stages after cold start: RL prompt sets with ground truth (TRL and verl shapes) and preference
pairs (TRL ``DPOTrainer``) from a build run.

Example::

    from chukmath.build import load_recipe
    from chukmath.export import RLOptions, export_rl, recipe_problems
    recipe = load_recipe("datasets/demo.toml")
    export_rl(recipe_problems(recipe), "rl/", RLOptions(shape="verl"), recipe=recipe)

    from chukmath.export import DPOOptions, export_dpo
    export_dpo("runs/k4", "dpo/", DPOOptions(pairs_per_problem=2))
"""

from chukmath.export.dpo import DEFAULT_REJECTED_REASONS, DPOOptions, export_dpo
from chukmath.export.rl import ExportSummary, RLOptions, export_rl, pass_rates, recipe_problems, trl_row, verl_row
from chukmath.export.run import BuildRun, Judged

__all__ = [
    "DEFAULT_REJECTED_REASONS",
    "BuildRun",
    "DPOOptions",
    "ExportSummary",
    "Judged",
    "RLOptions",
    "export_dpo",
    "export_rl",
    "pass_rates",
    "recipe_problems",
    "trl_row",
    "verl_row",
]
