"""chukmath: exact problems, teacher traces, verified samples for reasoning-model training.

The pipeline as functions (each also a package of the same name; see :mod:`chukmath.api`)::

    import chukmath

    problems = list(chukmath.generate("arithmetic", count=100, seed=1))
    requests = chukmath.render(problems, "step_by_step")
    responses = chukmath.teach(requests, problems=problems)          # the built-in offline teacher
    verdicts = [chukmath.verify(p, r) for p, r in zip(problems, responses)]
    summary = chukmath.build("datasets/demo.toml", "datasets/demo")  # everything, resumable, into a run dir

``import chukmath`` stays light: the stages and teachers are imported when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from chukmath.errors import (
    ChukmathError,
    ConfigError,
    InputError,
    OutputError,
    TeacherError,
    TemplateError,
)
from chukmath.records import Problem, Request, Response

__version__ = "0.1.0"

if TYPE_CHECKING:
    # What type checkers see: the stage functions (at run time the stage modules themselves, made callable).
    from chukmath.api import build, generate, parse, render, teach, verify, write
    from chukmath.parse import ParsedResponse
    from chukmath.teach.base import Teacher
    from chukmath.teach.builtin import BuiltinTeacher
    from chukmath.teach.openai_teacher import OpenAIConfig, OpenAITeacher
    from chukmath.verify.policy import Policy
    from chukmath.verify.verdict import Verdict

_STAGES = frozenset({"generate", "render", "teach", "parse", "verify", "write", "build"})
# Public names imported on first use, so that `import chukmath` does not load sympy, jinja2 or the HTTP client.
_LAZY = {
    "BuiltinTeacher": "chukmath.teach.builtin",
    "OpenAITeacher": "chukmath.teach.openai_teacher",
    "OpenAIConfig": "chukmath.teach.openai_teacher",
    "Teacher": "chukmath.teach.base",
    "ParsedResponse": "chukmath.parse",
    "Verdict": "chukmath.verify.verdict",
    "Policy": "chukmath.verify.policy",
}


def __getattr__(name: str) -> Any:
    if name in _STAGES:
        # Importing the stage binds it here (Python sets the attribute), so this runs once per stage.
        return importlib.import_module(f"chukmath.{name}")
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'chukmath' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _STAGES | set(_LAZY))


__all__ = [
    "BuiltinTeacher",
    "ChukmathError",
    "ConfigError",
    "InputError",
    "OpenAIConfig",
    "OpenAITeacher",
    "OutputError",
    "ParsedResponse",
    "Policy",
    "Problem",
    "Request",
    "Response",
    "Teacher",
    "TeacherError",
    "TemplateError",
    "Verdict",
    "__version__",
    "build",
    "generate",
    "parse",
    "render",
    "teach",
    "verify",
    "write",
]
