"""Measure a model on chukmath problems: the same teachers, journal and verifier as a build, scored by family and
difficulty (accuracy, pass@k, maj@k, format rate, reasoning length). ``chukmath eval`` is its command.

Example::

    from chukmath.build import load_recipe
    from chukmath.eval import EvalOptions, TeacherSpec, make_prompt, recipe_split_problems, run_eval

    recipe = load_recipe("datasets/demo.toml")
    problems = recipe_split_problems(recipe, "test")
    teacher = TeacherSpec(kind="openai", base_url="http://127.0.0.1:8000/v1", model="my-model")
    result = run_eval(problems, make_prompt(None, recipe=recipe), teacher.build(problems.problems, 1), "eval/mine",
                      EvalOptions(sampling=teacher.sampling(1)))
    print(result.data["overall"]["accuracy"])
"""

from chukmath.eval.metrics import ProblemResult, SampleResult, maj_at_k, majority, pass_at_k, score, score_by
from chukmath.eval.problems import ProblemSet, file_problems, recipe_split_problems
from chukmath.eval.prompts import Prompt, make_prompt
from chukmath.eval.report import compare, compare_text, load_result, markdown_report
from chukmath.eval.run import EvalOptions, EvalResult, run_eval
from chukmath.eval.teachers import TeacherSpec
from chukmath.eval.transformers_teacher import TransformersConfig, TransformersTeacher

__all__ = [
    "EvalOptions",
    "EvalResult",
    "ProblemResult",
    "ProblemSet",
    "Prompt",
    "SampleResult",
    "TeacherSpec",
    "TransformersConfig",
    "TransformersTeacher",
    "compare",
    "compare_text",
    "file_problems",
    "load_result",
    "maj_at_k",
    "majority",
    "make_prompt",
    "markdown_report",
    "pass_at_k",
    "recipe_split_problems",
    "run_eval",
    "score",
    "score_by",
]
