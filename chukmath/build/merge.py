"""``chukmath merge``: the run directories of ``build --shard I/N`` (all N of them) into one run, byte for byte the
files an unsharded build of the same recipe writes.

The merge does not splice the shards' train/rejects/stats: the split, the stats and the card depend on the whole
run. It puts every shard's journal (and judge answers) into the merged directory and runs the build there with no
teacher: every answer comes from the journals, every problem is generated, verified and written again in index
order, exactly as when an unsharded build resumes from a complete journal. Verification is local and cheap next to
the answers, which are what the shards were for.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from chukmath.build import stages
from chukmath.build.manifest import read_manifest
from chukmath.build.pipeline import BuildOptions, BuildSummary, build_dataset
from chukmath.build.recipe import BuildRecipe, _validate
from chukmath.build.rundir import RunDir
from chukmath.errors import InputError


class ShardDir:
    """One shard's directory as its manifest describes it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        path = root / "manifest.json"
        if not path.is_file():
            raise InputError(f"{root}: no manifest.json, so not a chukmath build directory; pass the --out "
                             "directories of `chukmath build --shard I/N`")
        self.manifest = read_manifest(path)
        shard = self.manifest.get("shard")
        if not isinstance(shard, dict):
            raise InputError(f"{root}: a build made without --shard I/N; merge takes the directories of every shard "
                             "of one sharded build")
        self.shard: dict[str, Any] = shard
        self.index: int = shard["index"]
        self.of: int = shard["of"]

    @property
    def label(self) -> str:
        return f"shard {self.index}/{self.of} ({self.root})"


def check_shards(dirs: Sequence[Path]) -> list[ShardDir]:
    """The shards in index order; an InputError (one line) for directories of different recipes, a missing or
    repeated shard, or an unfinished one."""
    if not dirs:
        raise InputError("merge: no directories given; pass the --out directory of every shard")
    shards = [ShardDir(Path(d)) for d in dirs]
    first = shards[0]
    for s in shards[1:]:
        if s.shard["fingerprint"] != first.shard["fingerprint"] or s.shard["count"] != first.shard["count"]:
            raise InputError(
                f"{s.root} and {first.root} are shards of different builds (recipe fingerprint "
                f"{s.shard['fingerprint'][:12]} vs {first.shard['fingerprint'][:12]}, count {s.shard['count']} vs "
                f"{first.shard['count']}); merge only the shards of one recipe"
            )
        if s.of != first.of:
            raise InputError(f"{s.root} is shard {s.index}/{s.of} but {first.root} is shard {first.index}/{first.of}; "
                             "merge the shards of one split into N")
    seen: dict[int, ShardDir] = {}
    for s in shards:
        if s.index in seen:
            raise InputError(f"shard {s.index}/{s.of} given twice: {seen[s.index].root} and {s.root}")
        seen[s.index] = s
    missing = [i for i in range(first.of) if i not in seen]
    if missing:
        shown = ", ".join(f"{i}/{first.of}" for i in missing[:8]) + (" ..." if len(missing) > 8 else "")
        raise InputError(f"missing shard(s) {shown}: build them with `chukmath build ... --shard I/{first.of}` and "
                         "pass every shard's directory")
    for s in shards:
        if s.manifest.get("status") != "complete":
            raise InputError(f"{s.label} is {s.manifest.get('status', 'unfinished')}: run its build command again "
                             "until it completes, then merge")
    return [seen[i] for i in range(first.of)]


def _concatenate(sources: list[Path], target: Path) -> None:
    """``target`` := the sources one after the other (absent ones skipped), replaced atomically."""
    tmp = target.with_name(target.name + ".merging")
    out: IO[bytes]
    with tmp.open("wb") as out:
        for path in sources:
            if path.is_file():
                with path.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)


def merge_shards(dirs: Sequence[str | Path], out: str | Path, *, force: bool = False, quiet: bool = True,
                 progress: bool | None = None) -> BuildSummary:
    """Merge the directories of every shard of one ``build --shard I/N`` into ``out``; returns the build summary."""
    shards = check_shards([Path(d) for d in dirs])
    head = shards[0]
    entry = head.shard
    recipe_source = str(entry.get("recipe_source") or "<recipe>")
    recipe: BuildRecipe = _validate(dict(head.manifest["recipe"]), recipe_source)
    # The card's reproduce line is that of the unsharded build: the shard's command, pointed at ``out``.
    command = str(entry["command"]).replace(f"--out {shlex.quote(entry['out'])}", f"--out {shlex.quote(str(out))}", 1)
    options: dict[str, Any] = entry.get("options") or {}

    source = Path(recipe_source)
    hashes = stages.load_prompting(recipe, source.parent if source.is_file() else None).hashes
    if recipe.fingerprint(hashes) != entry["fingerprint"]:
        raise InputError(f"{head.root}: the recipe's templates changed since the shards were built (fingerprint "
                         f"{recipe.fingerprint(hashes)[:12]} here, {entry['fingerprint'][:12]} in the shards); merge "
                         "with the templates that built them")

    def replay(run: RunDir) -> None:
        _concatenate([s.root / "responses.jsonl" for s in shards], run.journal)
        if any((s.root / "judge.jsonl").is_file() for s in shards):
            _concatenate([s.root / "judge.jsonl" for s in shards], run.root / "judge.jsonl")

    build_options = BuildOptions(
        force=force, quiet=quiet, progress=progress, command=command, recipe_source=recipe_source, replay=replay,
        decontaminate=list(options.get("decontaminate") or []),
        decontaminate_cols=list(options.get("decontaminate_cols") or []), ngram=int(options.get("ngram") or 8),
    )
    return build_dataset(recipe, out, build_options)
