"""Which problems a build asks the teacher about, and which split their rows go to.

Called in problem-index order as problems are generated (before any request), so a problem that shares a window
with a benchmark (``--decontaminate``) or that the split holds out of both splits costs nothing: it stays in
problems.jsonl (problem *i* is still problem *i*) but is not asked and has no rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from chukmath.decontaminate import DEFAULT_NGRAM, Decontaminator
from chukmath.records import Problem
from chukmath.split import TRAIN, OverlapCheck, Split, SplitSpec, Splitter


class Gate:
    """Decontamination, then the train/test split; :meth:`admit` in index order, :meth:`route` when rows are
    written."""

    def __init__(
        self, split: SplitSpec | None, decontaminator: Decontaminator | None, *, measure_overlap: bool = True
    ) -> None:
        self.splitter = Splitter(split) if split is not None else None
        # The overlap measured for stats.json (train keys spooled to a temporary file); a gate that only decides
        # (:meth:`fresh`) has none.
        self.overlap = OverlapCheck() if split is not None and measure_overlap else None
        self.decontaminator = decontaminator
        self._routes: dict[int, Split | None] = {}
        self.rows: Counter[str] = Counter()

    @classmethod
    def for_build(
        cls,
        split: Any | None,
        benchmarks: Sequence[str | Path],
        columns: Sequence[str] = (),
        ngram: int = DEFAULT_NGRAM,
    ) -> Gate | None:
        """The gate of a build: ``split`` is the recipe's ``[split]`` table (or None); None when neither is set."""
        spec = None if split is None else SplitSpec(test=split.test, test_count=split.test_count)
        decon = Decontaminator.from_files(benchmarks, columns, ngram) if benchmarks else None
        if spec is None and decon is None:
            return None
        return cls(spec, decon)

    def fresh(self) -> Gate:
        """A gate that has decided nothing yet, with this one's split and benchmark index (the files are not read
        again) and no overlap measure: the batch phase decides every problem with it before the build's own gate
        decides them again. Both see the same problems in the same order, so they decide the same."""
        decon = self.decontaminator
        if decon is not None:
            decon = replace(decon, checked=0, dropped=0, by_benchmark=Counter(), examples=[])
        return Gate(self.splitter.spec if self.splitter is not None else None, decon, measure_overlap=False)

    def admitted(self, problems: Iterable[Problem]) -> Iterator[Problem]:
        """Decide each of ``problems`` (all of them, in index order, as :meth:`admit`) and yield the admitted ones;
        no decision is kept for :meth:`route`, so memory does not grow with the count."""
        for problem in problems:
            keep = self.admit(problem)
            del self._routes[problem.index]
            if keep:
                yield problem

    def pass_over(self, problems: Iterable[Problem]) -> None:
        """Decide ``problems`` and keep nothing of them but what later decisions depend on (the split's state, the
        kept-out counts): the problems before a shard's block."""
        for _ in self.admitted(problems):
            pass

    @property
    def has_test(self) -> bool:
        return self.splitter is not None

    def admit(self, problem: Problem) -> bool:
        """Decide ``problem``'s fate (once, in index order); False when it is not to be asked at all."""
        split: Split | None = TRAIN
        if self.decontaminator is not None and not self.decontaminator.admits(problem.id, problem.question):
            split = None
        elif self.splitter is not None:
            split = self.splitter.assign(problem)
            if split is not None and self.overlap is not None:
                self.overlap.add(split, problem.question, problem.expression)
        self._routes[problem.index] = split
        return split is not None

    def route(self, problem: Problem, rows: int) -> Split | None:
        """The split ``problem``'s ``rows`` go to (None: nowhere), as decided by :meth:`admit`."""
        split = self._routes.pop(problem.index, TRAIN)
        if split is not None:
            self.rows[split] += rows
        return split

    def report(self) -> dict[str, Any]:
        """The stats.json sections: ``split`` (with the measured overlap) and ``decontamination``."""
        sections: dict[str, Any] = {}
        if self.splitter is not None and self.overlap is not None:
            sections["split"] = {
                **self.splitter.report(),
                "samples": {"train": self.rows["train"], "test": self.rows["test"]},
                "overlap": self.overlap.result(),
            }
        if self.decontaminator is not None:
            sections["decontamination"] = self.decontaminator.report()
        return sections
