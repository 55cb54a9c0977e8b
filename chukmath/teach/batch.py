"""The OpenAI Batch API teacher: ``submit`` shards and sends requests, ``status`` shows progress,
``collect`` downloads results into the same journal the live teacher writes.

Works against any base URL that implements the files and batches endpoints. Every step is recorded in
the run state (see ``batch_state``) before the next one starts, so each command can be re-run after a
crash: nothing is uploaded or submitted twice, nothing already in the journal is asked for again, and
nothing is appended to the journal twice.
"""

from chukmath.teach.batch_client import make_client
from chukmath.teach.batch_collect import BatchRow, CollectReport, batch_status, collect_batches
from chukmath.teach.batch_lines import MAX_BYTES_PER_FILE, MAX_REQUESTS_PER_FILE, Sampling
from chukmath.teach.batch_state import BatchRunState, Shard, load_state, state_path
from chukmath.teach.batch_submit import SubmitReport, submit_batches

__all__ = [
    "MAX_BYTES_PER_FILE",
    "MAX_REQUESTS_PER_FILE",
    "BatchRow",
    "BatchRunState",
    "CollectReport",
    "Sampling",
    "Shard",
    "SubmitReport",
    "batch_status",
    "collect_batches",
    "load_state",
    "make_client",
    "state_path",
    "submit_batches",
]
