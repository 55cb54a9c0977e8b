"""One journal, one teacher model: a resume with another ``--model`` is refused instead of mixing them.

The journal's key is ``(request_id, sample)``, so a second run with a different model would skip every
key the first model answered and fill in the rest: a dataset from two teachers that says it is from
one. The model a journal is being filled by is recorded beside it (``<journal>.model.json``, written
atomically while the journal lock is held); a run asking for another model stops with an error unless
the user passes ``--allow-model-change``.

A journal with no answers yet (nothing succeeded, no batch pending) can take any model: nothing would be
mixed. A journal without the record (written by an older chukmath) is judged by the ``model`` of its
answers, where a dated snapshot name (``gpt-4o-mini-2024-07-18``) counts as the model it was asked as.
"""

from __future__ import annotations

import time
from pathlib import Path

import orjson

from chukmath.errors import ConfigError, InputError
from chukmath.jsonl import AtomicWriter
from chukmath.teach.batch_state import load_state
from chukmath.teach.journal import Journal, read_journal


def model_record_path(journal: str | Path) -> Path:
    """``<journal>.model.json``."""
    journal = Path(journal)
    return journal.with_name(journal.name + ".model.json")


def recorded_model(journal: str | Path) -> str | None:
    """The model the journal is being filled by, if recorded."""
    path = model_record_path(journal)
    if not path.exists():
        return None
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc}); delete it if the journal is yours to resume") from None
    model = data.get("model") if isinstance(data, dict) else None
    if not isinstance(model, str) or not model:
        raise InputError(f"{path}: no 'model' string; delete it if the journal is yours to resume")
    return model


def _same_model(answered_as: str, asked: str) -> bool:
    # Endpoints report dated snapshots of the alias they were asked for.
    return answered_as == asked or answered_as.startswith(asked + "-")


def _answered_models(journal: Journal) -> set[str]:
    return {r.model for _, r in read_journal(journal.path) if r.ok and r.model}


def claim_model(journal: Journal, model: str, *, teacher: str, allow_change: bool = False) -> None:
    """Record ``model`` as the journal's model, or raise ConfigError if it holds or owes answers of another.

    Call with the journal open (its lock held), before any request is sent.
    """
    pending = {s.model for s in load_state(journal.path).shards if s.open}
    owes = journal.stats.successes > 0 or bool(pending)
    previous = recorded_model(journal.path)
    if owes and not allow_change:
        if previous is not None:
            others = {previous} - {model}
        else:
            others = {m for m in _answered_models(journal) if not _same_model(m, model)}
        others |= pending - {model}
        if others:
            raise ConfigError(
                f"{journal.path}: holds or awaits answers from model {', '.join(sorted(others))}; this run asks "
                f"{model!r}. Resuming would mix two teachers in one dataset under one key per request. Use a new "
                "--out for the new model, or pass --allow-model-change to mix them on purpose"
            )
    if previous != model:
        with AtomicWriter(model_record_path(journal.path)) as fh:
            fh.write(orjson.dumps({"model": model, "teacher": teacher, "since": round(time.time(), 3)}))
