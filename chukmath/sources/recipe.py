"""A build recipe's ``[source]`` table: its rows read once (relative paths from the recipe's folder), and the
recipe fitted to them (``count`` at most the rows, ``rows_digest`` their content)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chukmath.sources.problems import SourceProblems, SourceSpec, load_source

if TYPE_CHECKING:
    from chukmath.build.recipe import BuildRecipe, SourceSection

log = logging.getLogger(__name__)
# The last source read, by spec and file state: the CLI fits the count before the build reads it again.
_LAST: dict[tuple[Any, ...], SourceProblems] = {}


def source_spec(section: SourceSection, recipe_file: str | Path | None = None) -> SourceSpec:
    """The spec of ``[source]``; a relative path is taken from the recipe file's folder when it exists there."""
    path = Path(section.path)
    if recipe_file is not None and not path.is_absolute():
        beside = Path(recipe_file).parent / path
        if Path(recipe_file).is_file() and beside.exists():
            path = beside
    return SourceSpec(
        path=str(path), question_col=section.question_col, answer_col=section.answer_col, id_col=section.id_col,
        difficulty_col=section.difficulty_col, answer_format=section.answer_format, split=section.split,
        family_name=section.family_name,
    )  # fmt: skip


def read_recipe_source(section: SourceSection, recipe_file: str | Path | None = None) -> SourceProblems:
    """The problems of ``[source]`` (read once per file state in this process)."""
    spec = source_spec(section, recipe_file)
    try:
        stat = Path(spec.path).stat()
        key: tuple[Any, ...] | None = (spec, stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except OSError:
        key = None  # a Hub name: no file state to trust
    if key is not None and key in _LAST:
        return _LAST[key]
    problems = load_source(spec)
    _LAST.clear()
    if key is not None:
        _LAST[key] = problems
    return problems


def fit_recipe(recipe: BuildRecipe, problems: SourceProblems) -> BuildRecipe:
    """``recipe`` with ``count`` cut to the problems read and ``[source] rows_digest`` set (the run's identity)."""
    from chukmath.build.recipe import ALL_ROWS

    if recipe.problem_source is None:
        return recipe
    rows = len(problems.problems)
    if recipe.count > rows and recipe.count != ALL_ROWS:
        log.warning("%s: count %d is more than the %d problems the source holds; taking all of them",
                    problems.spec.path, recipe.count, rows)
    source = recipe.problem_source.model_copy(update={"rows_digest": problems.digest})
    return recipe.model_copy(update={"count": min(recipe.count, rows), "problem_source": source})


__all__ = ["fit_recipe", "read_recipe_source", "source_spec"]
