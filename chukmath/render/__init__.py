"""Prompt templates: a problem + a Jinja template (sandboxed, strict) -> chat messages -> teacher requests.

Example::

    from chukmath.render import TemplateLibrary, build_requests
    template = TemplateLibrary([Path("my_templates")]).get("step_by_step")
    for request in build_requests(problems, template):
        ...
"""

from chukmath.render.environment import ROLES, TEMPLATE_VARIABLES
from chukmath.render.library import BUILTIN_ORIGIN, TemplateEntry, TemplateLibrary, builtin_template_dir
from chukmath.render.lint import LintIssue, lint_file, lint_paths
from chukmath.render.requests import build_requests, find_problem, read_problems, write_requests
from chukmath.render.source import TemplateFileError, TemplateMeta
from chukmath.render.template import PromptTemplate, TemplateRenderError, problem_context, with_system
from chukmath.stage_module import make_callable

__all__ = [
    "BUILTIN_ORIGIN",
    "ROLES",
    "TEMPLATE_VARIABLES",
    "LintIssue",
    "PromptTemplate",
    "TemplateEntry",
    "TemplateFileError",
    "TemplateLibrary",
    "TemplateMeta",
    "TemplateRenderError",
    "build_requests",
    "builtin_template_dir",
    "find_problem",
    "lint_file",
    "lint_paths",
    "problem_context",
    "read_problems",
    "with_system",
    "write_requests",
]

# Calling the stage runs chukmath.api's function of the same name (why: chukmath/stage_module.py).
make_callable(__name__)
