"""The run directory: its file names, the lock against two builds at once, and refusal of a different run."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chukmath.build.manifest import read_manifest
from chukmath.build.recipe import BuildRecipe
from chukmath.errors import InputError, OutputError, output_error
from chukmath.teach.journal import FileLock

RUN_FILES = (
    "manifest.json",
    "problems.jsonl",
    "responses.jsonl",
    "train.jsonl",
    "rejects.jsonl",
    "stats.json",
    "README.md",
    "report.html",
    "train.jsonl.partial",
    "rejects.jsonl.partial",
    "test.jsonl",  # with a [split] table
    "test.jsonl.partial",
    "requests.jsonl",  # the batch teacher's input
    "responses.jsonl.batches.json",  # the batch teacher's run state
    "responses.jsonl.lock",
    "judge.jsonl",  # with a [judge] table: the judge model's answers
    "judge.jsonl.lock",
)
RUN_DIRS = ("responses.jsonl.batches",)  # the batch teacher's shard files


@dataclass(frozen=True)
class RunDir:
    """Paths of one run directory."""

    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def problems(self) -> Path:
        return self.root / "problems.jsonl"

    @property
    def journal(self) -> Path:
        return self.root / "responses.jsonl"

    @property
    def train(self) -> Path:
        return self.root / "train.jsonl"

    @property
    def rejects(self) -> Path:
        return self.root / "rejects.jsonl"

    @property
    def test(self) -> Path:
        return self.root / "test.jsonl"

    @property
    def stats(self) -> Path:
        return self.root / "stats.json"

    @property
    def card(self) -> Path:
        return self.root / "README.md"

    def partial(self, final: Path) -> Path:
        """Where a final file grows during a run before it is renamed into place."""
        return final.with_name(final.name + ".partial")


def legacy_fingerprint(
    recipe: BuildRecipe, run: RunDir, template_hashes: dict[str, str]
) -> tuple[frozenset[str], int | None]:
    """The older fingerprints of the run in ``run`` if it were this recipe's, and the count its manifest records:
    directories made while count (or ``[verify]`` and ``[output]``) were part of the fingerprint still resume."""
    if not run.manifest.exists():
        return frozenset(), None
    try:
        old_count = read_manifest(run.manifest).get("recipe", {}).get("count")
    except InputError:
        return frozenset(), None  # check_out() reports a damaged manifest
    with_outputs = recipe.fingerprint_with_outputs(template_hashes)
    if not isinstance(old_count, int) or isinstance(old_count, bool):
        return frozenset({with_outputs}), None
    legacy = recipe.model_copy(update={"count": old_count}).legacy_fingerprint(template_hashes)
    return frozenset({legacy, with_outputs}), old_count


def make_root(root: Path) -> None:
    """Create the run directory and its parents; a refusal names the path and says what to do."""
    if root.is_symlink() and not root.exists():
        raise OutputError(f"{root}: a symbolic link that leads nowhere (a loop or a missing target); fix the link or "
                          "choose another --out")
    if root.exists() and not root.is_dir():
        raise OutputError(f"{root}: exists and is not a directory; choose another --out")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(root, exc, "cannot create the run directory") from None


def check_out(
    root: str | Path,
    *,
    fingerprint: str,
    name: str,
    force: bool,
    also_same: frozenset[str] = frozenset(),
    explain: Callable[[dict[str, Any]], str] | None = None,
) -> str:
    """What a run with ``fingerprint`` would do with ``root``: ``"new"``, ``"resume"`` or ``"replace"``.

    Reads only. Raises OutputError for what is refused: a directory holding another run (a fingerprint that is
    neither ``fingerprint`` nor one of ``also_same``) or unrelated files, unless ``force``. ``explain`` turns the
    other run's manifest into a note on what differs.
    """
    run = RunDir(Path(root))
    if run.root.exists() and not run.root.is_dir():
        raise OutputError(f"{run.root}: exists and is not a directory; choose another --out")
    if run.manifest.exists():
        if force:
            return "replace"
        old = read_manifest(run.manifest)
        if old["fingerprint"] == fingerprint or old["fingerprint"] in also_same:
            return "resume"
        note = explain(old) if explain is not None else ""
        raise OutputError(
            f"{run.root} holds a different run (recipe '{old.get('name')}', fingerprint "
            f"{str(old['fingerprint'])[:12]}) than this one (recipe '{name}', fingerprint {fingerprint[:12]})"
            + (f"; it differs in {note}" if note else "")
            + "; use --force to replace it or choose another --out"
        )
    if run.root.is_dir() and any(p.name != ".lock" for p in run.root.iterdir()):
        if not force:
            raise OutputError(
                f"{run.root}: not empty and has no manifest.json, so it is not a chukmath run; "
                "choose another --out or use --force (only chukmath's own file names are removed)"
            )
        return "replace"
    return "new"


def prepare(
    root: str | Path,
    *,
    fingerprint: str,
    name: str,
    force: bool,
    also_same: frozenset[str] = frozenset(),
    explain: Callable[[dict[str, Any]], str] | None = None,
) -> tuple[RunDir, bool]:
    """Make ``root`` ready for a run with ``fingerprint``; returns ``(rundir, resuming)``.

    Refuses what :func:`check_out` refuses; with ``force`` only the run's own files are removed, nothing else the
    user keeps there.
    """
    run = RunDir(Path(root))
    action = check_out(root, fingerprint=fingerprint, name=name, force=force, also_same=also_same, explain=explain)
    if action == "resume":
        return run, True
    if action == "replace":
        for file_name in RUN_FILES:
            with contextlib.suppress(FileNotFoundError):
                (run.root / file_name).unlink()
        for dir_name in RUN_DIRS:
            shutil.rmtree(run.root / dir_name, ignore_errors=True)
    make_root(run.root)
    return run, False


class RunLock:
    """An exclusive lock on the run directory (``.lock``): two builds appending to one journal would corrupt it.
    It covers the run's journal too (:class:`~chukmath.teach.journal.Journal` opened with ``locked=False``)."""

    def __init__(self, run: RunDir) -> None:
        self.path = run.root / ".lock"
        self._lock: FileLock | None = None

    def __enter__(self) -> RunLock:
        self._lock = FileLock(
            self.path, f"{self.path.parent}: another chukmath build is running in this directory; wait for it to finish"
        )
        self._lock.note_pid()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.release()
