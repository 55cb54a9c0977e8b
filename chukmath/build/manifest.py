"""manifest.json: what made a run directory (recipe, fingerprint, versions, template hashes, teacher, times)."""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson

from chukmath import __version__
from chukmath.errors import InputError
from chukmath.jsonl import AtomicWriter

MANIFEST_VERSION = 1


def _versions() -> dict[str, str]:
    # Read from the installed metadata: importing sympy only for its version costs ~0.4 s per run.
    return {
        "chukmath": __version__,
        "python": platform.python_version(),
        **{name: metadata.version(name) for name in ("sympy", "jinja2", "openai", "orjson")},
    }


@dataclass
class Manifest:
    """The run's identity and history. Holds no secrets: the API key is named by its variable, never stored."""

    name: str
    fingerprint: str
    recipe: dict[str, Any]
    template_hashes: dict[str, str]
    teacher: str
    model: str
    command: str
    versions: dict[str, str] = field(default_factory=_versions)
    started: float = field(default_factory=time.time)
    finished: float | None = None
    status: str = "running"
    runs: list[dict[str, Any]] = field(default_factory=list)
    # ``build --shard I/N``: which block this directory holds and what ``chukmath merge`` needs (chukmath.build.shard).
    shard: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "manifest_version": MANIFEST_VERSION,
            "name": self.name,
            "fingerprint": self.fingerprint,
            "status": self.status,
            "teacher": self.teacher,
            "model": self.model,
            "command": self.command,
            "started": _iso(self.started),
            "finished": _iso(self.finished) if self.finished is not None else None,
            "versions": self.versions,
            "template_hashes": self.template_hashes,
            "recipe": self.recipe,
            "runs": self.runs,
        } | ({"shard": self.shard} if self.shard is not None else {})

    def write(self, path: Path) -> None:
        """Write atomically, so a kill never leaves a half manifest."""
        with AtomicWriter(path) as fh:
            fh.write(orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def read_manifest(path: Path) -> dict[str, Any]:
    """The stored manifest as a dict; a corrupt file is an InputError naming it."""
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{path}: not a valid manifest ({exc}); remove the directory or use --force") from None
    if not isinstance(data, dict) or "fingerprint" not in data:
        raise InputError(f"{path}: not a chukmath manifest (no 'fingerprint'); use --force or another --out")
    return data
