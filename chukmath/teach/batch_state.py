"""The Batch API run state: which shards were written, uploaded, submitted and ingested.

It lives next to the journal (``<journal>.batches.json``, shard files in ``<journal>.batches/``) and is
rewritten atomically after every step, *before* the next step starts. That ordering is what makes
``submit`` and ``collect`` safe to re-run after a crash: a step whose outcome was recorded is never
repeated, and a step that was started but not recorded is marked (``upload_started``,
``create_started``) so the next run looks it up on the server instead of paying for it twice.
The API key is never part of this state.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import orjson

from chukmath.errors import InputError
from chukmath.jsonl import AtomicWriter

STATE_VERSION = 1
# Remote statuses after which a batch will not change any more.
# ("ended" is Message Batches' one terminal status: chukmath.teach.anthropic_batch.)
TERMINAL_STATUSES = frozenset({"completed", "failed", "expired", "cancelled", "ended"})


@dataclass
class Shard:
    """One batch input file and everything known about its upload, batch and ingestion."""

    index: int
    input_path: str
    lines: int
    bytes: int
    sha256: str
    model: str
    written_at: float
    upload_name: str
    upload_started: float | None = None
    file_id: str | None = None
    create_started: float | None = None
    batch_id: str | None = None
    remote_status: str | None = None
    request_counts: dict[str, int] = field(default_factory=dict)
    remote_created_at: int | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    remote_errors: list[str] = field(default_factory=list)
    # The batch's token ``usage`` as the server reports it (input/output/total tokens); empty until known.
    usage: dict[str, int] = field(default_factory=dict)
    ingest_created: float | None = None
    ingested: bool = False
    ingest_counts: dict[str, int] = field(default_factory=dict)

    @property
    def open(self) -> bool:
        """True while the shard's keys are still owed an answer by this batch (not yet ingested)."""
        return not self.ingested

    @property
    def terminal(self) -> bool:
        return self.remote_status in TERMINAL_STATUSES

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str) -> Shard:
        known = {f.name for f in fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except TypeError as exc:
            raise InputError(f"{where}: bad shard record ({exc})") from None


@dataclass
class BatchRunState:
    """All shards submitted for one journal, plus where they were sent (base URL, key variable name)."""

    path: Path
    journal: str
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    created: float = field(default_factory=time.time)
    shards: list[Shard] = field(default_factory=list)
    # Whose batch API: "openai" (files + batches) or "anthropic" (Message Batches).
    provider: str = "openai"

    @property
    def shard_dir(self) -> Path:
        return self.path.with_suffix("")

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "journal": self.journal,
            "base_url": self.base_url,
            "api_key_env": self.api_key_env,
            "created": self.created,
            "shards": [asdict(s) for s in self.shards],
        } | ({"provider": self.provider} if self.provider != "openai" else {})

    def save(self) -> None:
        """Atomically replace the state file (temp file, fsync, rename)."""
        with AtomicWriter(self.path) as fh:
            fh.write(orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2))


def state_path(journal: str | Path) -> Path:
    """``<journal>.batches.json``; shard files go in ``<journal>.batches/``."""
    journal = Path(journal)
    return journal.with_name(journal.name + ".batches.json")


def load_state(journal: str | Path) -> BatchRunState:
    """The run state for ``journal`` (an empty one if no batch was ever submitted for it)."""
    path = state_path(journal)
    if not path.exists():
        return BatchRunState(path=path, journal=str(journal))
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{path}: batch state is not valid JSON ({exc}); restore it from a backup") from None
    if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
        raise InputError(f"{path}: not a chukmath batch state file (version {STATE_VERSION} expected)")
    shards = data.get("shards")
    if not isinstance(shards, list) or not all(isinstance(s, dict) for s in shards):
        raise InputError(f"{path}: 'shards' must be a list of objects")
    return BatchRunState(
        path=path,
        journal=str(data.get("journal") or journal),
        base_url=data.get("base_url"),
        api_key_env=str(data.get("api_key_env") or "OPENAI_API_KEY"),
        created=float(data.get("created") or 0.0),
        provider=str(data.get("provider") or "openai"),
        shards=[Shard.from_dict(s, f"{path}: shard {i}") for i, s in enumerate(shards)],
    )
