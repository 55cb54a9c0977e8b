"""chukmath: exact problems, teacher traces, verified samples for reasoning-model training."""

from chukmath.errors import (
    ChukmathError,
    ConfigError,
    InputError,
    TeacherError,
    TemplateError,
)
from chukmath.records import Problem, Request, Response

__version__ = "0.1.0"

__all__ = [
    "ChukmathError",
    "ConfigError",
    "InputError",
    "Problem",
    "Request",
    "Response",
    "TeacherError",
    "TemplateError",
    "__version__",
]
