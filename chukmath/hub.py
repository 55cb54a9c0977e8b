"""Publishing a run directory as a Hugging Face dataset repository (``chukmath push``).

What goes up is what the card describes: ``README.md`` (the card), the data files its ``configs`` name,
``stats.json`` and ``manifest.json``; the journal (``responses.jsonl``) and ``problems.jsonl`` only when asked.
It is one ``create_repo`` (``exist_ok``) and one ``upload_folder`` of those paths. The token is whatever
``huggingface_hub`` finds (``HF_TOKEN``, or the one ``hf auth login`` saved); chukmath never reads, stores or
prints it.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from chukmath.errors import ConfigError, InputError, OutputError
from chukmath.log import get_logger

log = get_logger(__name__)
_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
ALWAYS = ("README.md", "stats.json", "manifest.json")
JOURNAL = ("problems.jsonl", "responses.jsonl")


@dataclass
class PushResult:
    """What was uploaded where; ``--json`` prints this."""

    repo_id: str
    url: str
    commit_url: str
    private: bool
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def card_data_patterns(card_path: Path) -> list[str]:
    """The data file paths and patterns the card's ``configs`` name (``train.jsonl``, ``data/train-*``)."""
    from huggingface_hub import DatasetCard

    try:
        card = DatasetCard.load(card_path)
    except Exception as exc:  # yaml errors and the like: any unreadable card is the same refusal
        raise InputError(f"{card_path}: not a readable dataset card ({type(exc).__name__}: {exc})") from None
    patterns: list[str] = []
    for config in getattr(card.data, "configs", None) or []:
        entries = config.get("data_files") or []
        for entry in [entries] if isinstance(entries, str | dict) else entries:
            paths = entry if isinstance(entry, str) else entry.get("path")
            patterns += [paths] if isinstance(paths, str) else list(paths or [])
    return patterns


def files_to_push(run_dir: str | Path, *, with_journal: bool = False) -> list[str]:
    """The run directory's files that ``push`` uploads, relative and sorted; InputError when it is no run."""
    root = Path(run_dir)
    if not (root / "README.md").is_file() or not (root / "manifest.json").is_file():
        raise InputError(f"{root}: no README.md and manifest.json, so not a finished chukmath run; run build first")
    patterns = card_data_patterns(root / "README.md")
    if not patterns:
        raise InputError(f"{root}/README.md: the card names no data files (no sample and no reject was written)")
    present = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    wanted = set(ALWAYS) | (set(JOURNAL) if with_journal else set())
    chosen = [
        name for name in present
        if name in wanted or any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)
    ]
    missing = [p for p in patterns if not any(fnmatch.fnmatchcase(name, p) for name in chosen)]
    if missing:
        raise InputError(f"{root}: the card names {', '.join(missing)} but no such file is there; run build again")
    return chosen


def push_dataset(
    run_dir: str | Path,
    repo_id: str,
    *,
    private: bool = False,
    with_journal: bool = False,
    revision: str | None = None,
    message: str | None = None,
) -> PushResult:
    """Create (or reuse) the dataset repository ``repo_id`` and upload the run's card and data files to it."""
    from huggingface_hub import HfApi, get_token
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    if not _REPO_ID.match(repo_id):
        raise ConfigError(f"--repo {repo_id!r}: expected USER/NAME (letters, digits, '.', '_', '-')")
    files = files_to_push(run_dir, with_journal=with_journal)
    if get_token() is None:
        raise ConfigError(
            "no Hugging Face token: set HF_TOKEN or run `hf auth login` (chukmath reads it from neither itself)"
        )
    api = HfApi()
    log.info("pushing %d files of %s to dataset %s", len(files), run_dir, repo_id)
    try:
        url = api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        commit = api.upload_folder(
            repo_id=repo_id,
            repo_type="dataset",
            folder_path=str(run_dir),
            allow_patterns=files,
            revision=revision,
            commit_message=message or f"chukmath push: {Path(run_dir).name}",
        )
    except OfflineModeIsEnabled:
        raise OutputError(
            f"push to {repo_id}: huggingface_hub is in offline mode (HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE is set); "
            "unset it to push"
        ) from None
    except HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        hint = " (check the token's write access to that namespace)" if status in (401, 403) else ""
        raise OutputError(f"push to {repo_id} failed: HTTP {status}: {first}{hint}") from None
    log.info("pushed: %s", getattr(commit, "commit_url", commit))
    return PushResult(
        repo_id=repo_id,
        url=str(url),
        commit_url=str(getattr(commit, "commit_url", commit)),
        private=private,
        files=files,
    )
