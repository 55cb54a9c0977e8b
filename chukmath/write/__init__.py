"""Writing the dataset: verified samples to chat JSONL, rejects with reasons, and stats.json.

``write_dataset`` is the whole stage (what ``chukmath verify`` runs). ``select_samples``, ``StatsAccumulator`` and
``RowFiles`` (the row files, which build's sink writes through too) are its parts, for callers with their own
streaming loop (``build``).
"""

from chukmath.stage_module import make_callable
from chukmath.write.dataset import REJECTS, STATS, TRAIN, DatasetPaths, write_dataset, write_stats
from chukmath.write.files import RowFiles
from chukmath.write.samples import assistant_content, reject_row, sample_id, sample_row, user_messages
from chukmath.write.selection import (
    DUPLICATE,
    NO_RESPONSE,
    OVER_CAP,
    REJECTED,
    STATUSES,
    WRITTEN,
    Candidate,
    ProblemResult,
    SampleOutcome,
    SelectOptions,
    select_samples,
)
from chukmath.write.stats import LengthHistogram, StatsAccumulator

__all__ = [
    "DUPLICATE",
    "NO_RESPONSE",
    "OVER_CAP",
    "REJECTED",
    "REJECTS",
    "STATS",
    "STATUSES",
    "TRAIN",
    "WRITTEN",
    "Candidate",
    "DatasetPaths",
    "LengthHistogram",
    "ProblemResult",
    "RowFiles",
    "SampleOutcome",
    "SelectOptions",
    "StatsAccumulator",
    "assistant_content",
    "reject_row",
    "sample_id",
    "sample_row",
    "select_samples",
    "user_messages",
    "write_dataset",
    "write_stats",
]

# Calling the stage runs chukmath.api's function of the same name (why: chukmath/stage_module.py).
make_callable(__name__)
