"""Reading a finished ``chukmath build`` run directory back: its recipe, its problems, and every journaled answer
judged again by the verifier (not taken from train.jsonl, which holds only the kept samples).

With ``keep = "first"`` a problem answered correctly by four samples has one row in train.jsonl; the pass rate
and the preference pairs need all four, so each problem's request is rendered again (the request id is the
journal key) and its samples are verified through :func:`chukmath.write.selection.select_samples`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from chukmath.build import stages
from chukmath.build.manifest import read_manifest
from chukmath.build.recipe import BuildRecipe, load_recipe
from chukmath.build.rundir import RunDir, RunLock
from chukmath.errors import InputError
from chukmath.records import Problem, Request
from chukmath.render.requests import read_problems
from chukmath.teach.journal import Journal
from chukmath.write.selection import DUPLICATE, OVER_CAP, WRITTEN, Candidate, ProblemResult, SelectOptions

ACCEPTED = (WRITTEN, DUPLICATE, OVER_CAP)


@dataclass
class Judged:
    """One problem of a run, its request and what the verifier made of each of its answers."""

    problem: Problem
    request: Request
    result: ProblemResult

    @property
    def answered(self) -> int:
        """Samples with a verdict (failed requests are not answers)."""
        return sum(1 for o in self.result.outcomes if o.verdict is not None and o.status != "no_response")

    @property
    def passed(self) -> int:
        """Samples the recipe's policy accepted (duplicates and samples over the keep cap included)."""
        return sum(1 for o in self.result.outcomes if o.status in ACCEPTED)


class BuildRun:
    """A run directory made by ``chukmath build``, opened for reading (under its lock: no build may append)."""

    def __init__(self, root: str | Path, recipe_path: str | Path | None = None) -> None:
        self.run = RunDir(Path(root))
        if not self.run.manifest.exists():
            raise InputError(f"{self.run.root}: no manifest.json; give a directory made by chukmath build")
        if not self.run.problems.exists():
            raise InputError(f"{self.run.problems}: missing; the run has no problems yet (run chukmath build)")
        manifest = read_manifest(self.run.manifest)
        self.manifest = manifest
        self.recipe: BuildRecipe = (
            load_recipe(recipe_path) if recipe_path is not None else _manifest_recipe(manifest, self.run.manifest)
        )
        base = Path(recipe_path).parent if recipe_path is not None else None
        self.prompting = stages.load_prompting(self.recipe, base)
        recorded = manifest.get("template_hashes") or {}
        if recorded and recorded != self.prompting.hashes:
            raise InputError(
                f"{self.run.root}: the templates differ from the ones the run was made with "
                f"({', '.join(sorted(recorded))}); pass --recipe with the run's recipe file and template folders"
            )

    @property
    def samples(self) -> int:
        return self.recipe.teacher.samples

    def problems(self) -> Iterator[Problem]:
        """The run's problems, in index order."""
        return read_problems(self.run.problems)

    def judged(self, options: SelectOptions | None = None) -> Iterator[Judged]:
        """Every problem with each of its journaled answers verified under the recipe's ``[verify]`` policy
        (``keep = "all"`` unless ``options`` says otherwise, so no accepted sample is left out)."""
        from chukmath.verify import Policy
        from chukmath.write.selection import select_samples

        policy = Policy.from_spec(self.recipe.verify.policy)
        out = self.recipe.output
        options = options or SelectOptions(
            keep="all",
            user_turn=out.user_turn,
            system=out.system or None,
            strip_verifier_answer=out.strip_verifier_answer,
            language=self.recipe.verify.language,
        )
        with RunLock(self.run), Journal(self.run.journal, locked=False, writable=False) as journal:
            for problem in self.problems():
                request = self.prompting.request(problem)
                responses = [journal.get(request.id, s) for s in range(self.samples)]
                candidates = [Candidate(request, r) for r in responses if r is not None]
                yield Judged(problem, request, select_samples(problem, candidates, policy, options))


def _manifest_recipe(manifest: dict, where: Path) -> BuildRecipe:
    recipe = manifest.get("recipe")
    if not isinstance(recipe, dict):
        raise InputError(f"{where}: no recipe recorded")
    from pydantic import ValidationError

    try:
        return BuildRecipe.model_validate(recipe)
    except ValidationError as exc:
        raise InputError(
            f"{where}: the recorded recipe is not valid for this chukmath version ({exc.error_count()} error(s)); "
            "pass --recipe with the run's recipe file"
        ) from None
