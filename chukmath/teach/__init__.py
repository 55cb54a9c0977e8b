"""Teachers turn requests into responses; the journal makes runs resumable. Public API of the teach stage."""

from chukmath.stage_module import make_callable
from chukmath.teach.base import ClosableTeacher, Teacher
from chukmath.teach.engine import answer_stream
from chukmath.teach.journal import Journal, compact_key, final_responses, read_journal
from chukmath.teach.openai_teacher import OpenAIConfig, OpenAITeacher
from chukmath.teach.retry import RetryPolicy
from chukmath.teach.runner import TeachOptions, iter_requests, run_teach, teach_async
from chukmath.teach.specs import (
    SPECS,
    AnthropicBatchSpec,
    AnthropicSpec,
    BaseTeacherSpec,
    BatchSpec,
    BuiltinSpec,
    Endpoint,
    OpenAISpec,
    resolve_endpoint,
    spec_for,
)
from chukmath.teach.summary import Prices, TeachSummary, load_price_table

__all__ = [
    "SPECS",
    "AnthropicBatchSpec",
    "AnthropicSpec",
    "BaseTeacherSpec",
    "BatchSpec",
    "BuiltinSpec",
    "ClosableTeacher",
    "Endpoint",
    "Journal",
    "OpenAIConfig",
    "OpenAISpec",
    "OpenAITeacher",
    "Prices",
    "RetryPolicy",
    "TeachOptions",
    "TeachSummary",
    "Teacher",
    "answer_stream",
    "compact_key",
    "final_responses",
    "iter_requests",
    "load_price_table",
    "read_journal",
    "resolve_endpoint",
    "run_teach",
    "spec_for",
    "teach_async",
]

# Calling the stage runs chukmath.api's function of the same name (why: chukmath/stage_module.py).
make_callable(__name__)
