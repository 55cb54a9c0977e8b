"""The work of one worker of ``build --engine ray``: a block of problem indices in, each problem's outcome out.

A worker does what the single-process loops do for a problem — generate it (a pure function of its index), render
its request, answer it (built-in teacher, or an OpenAI-compatible endpoint under permits shared by every worker),
verify and select — and hands back an :class:`Outcome` per problem. The driver (:mod:`chukmath.build.ray_engine`)
puts the outcomes in index order and writes them through the same sink as a local build, so the files are the same.

Nothing here imports Ray: the journal and the permits come as one object whose methods are called with
``.remote(...)`` and awaited (a Ray actor handle in a run, see :mod:`chukmath.build.ray_actors`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import pickle
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from chukmath.build import stages
from chukmath.build.loops import Judge, fewer_gc_passes
from chukmath.build.recipe import BuildRecipe
from chukmath.errors import ChukmathError, ConfigError
from chukmath.records import Problem, Request, Response
from chukmath.teach.builtin import builtin_response


class RemoteMethod(Protocol):
    """A method of a remote object: ``.remote(...)`` returns something to await (a Ray ObjectRef)."""

    def remote(self, *args: Any) -> Awaitable[Any]: ...


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a worker needs, sent once to each worker (pickled)."""

    recipe: BuildRecipe
    recipe_source: str  # where relative templates_dirs are found (the recipe file)
    template_hashes: dict[str, str]  # the driver's: a worker that compiles other templates refuses to start
    api_key: str | None = field(default=None, repr=False)
    skip: frozenset[int] = frozenset()  # indices the gate keeps out (decontamination, split): not asked
    select: bool = True  # verify and select on the worker (False: the driver does, e.g. with a [judge] model)
    # Paid teacher: the run's journal and the endpoint's permits, with ``known``, ``enter`` and ``leave``
    # (chukmath.build.ray_actors.Ledger behind a Ray actor handle).
    ledger: Any = None


@dataclass
class Outcome:
    """One problem after its worker: ``responses[s]`` is None where the journal already held sample ``s`` (the
    driver takes it from there); ``result`` is the ``select_samples`` result when the worker could select, and then
    ``request`` is left out (the driver needs only its id; the rows carry its messages already)."""

    problem: Problem
    request_id: str
    request: Request | None
    responses: list[Response | None]
    result: Any = None


_FIELDS: dict[type, tuple[str, ...]] = {}


def _rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    obj = object.__new__(cls)
    for name, value in zip(_FIELDS.get(cls) or _field_names(cls), values, strict=True):
        object.__setattr__(obj, name, value)
    return obj


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


class _Pickler(pickle.Pickler):
    """Pickles frozen slotted dataclasses (the records) as their field values: their default (``__setstate__``
    looking the fields up for every object) made unpickling the largest cost of the Ray driver. Other classes pickle
    as usual."""

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        params = getattr(cls, "__dataclass_params__", None)
        if params is not None and params.frozen and "__slots__" in cls.__dict__:
            names = _FIELDS.get(cls) or _field_names(cls)
            return _rebuild, (cls, tuple(getattr(obj, name) for name in names))
        return NotImplemented


def dump_outcomes(outcomes: Any) -> bytes:
    """``outcomes`` (or an error) as the bytes a block sends to the driver; ``pickle.loads`` reads them."""
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(outcomes)
    return out.getvalue()


class _Capture:
    """A sink stand-in for :class:`Judge`: keeps the result of the last problem instead of writing it."""

    def __init__(self) -> None:
        self.result: Any = None

    def emit(self, problem: Problem, result: Any, split: str | None = "train") -> None:
        self.result = result


def builtin_answer(recipe: BuildRecipe) -> Callable[[Request, int, Problem], Response]:
    """The built-in teacher as the local build calls it, in the recipe's trace style."""
    return partial(builtin_response, trace_style=recipe.teacher.trace_style)


def key(request_id: str, sample: int) -> str:
    """The journal key the workers and the journal writer agree on."""
    return f"{request_id}:{sample}"


class BlockWorker:
    """Answers blocks of problems; one per worker process, so templates and the generator mix load once."""

    def __init__(self, spec: WorkerSpec) -> None:
        recipe = spec.recipe
        source = Path(spec.recipe_source)
        self.prompting = stages.load_prompting(recipe, source.parent if source.is_file() else None)
        if self.prompting.hashes != spec.template_hashes:
            raise ConfigError(
                f"recipe '{recipe.name}': a Ray worker compiled other templates than the driver "
                f"({sorted(self.prompting.hashes.items())} vs {sorted(spec.template_hashes.items())}); every node "
                "must see the same template files (a shared folder, or the same chukmath install)"
            )
        self.mix = stages.load_mix(recipe, spec.recipe_source)
        self.spec = spec
        self.recipe = recipe
        self._capture = _Capture()
        self._judge = Judge(recipe, self._capture)  # type: ignore[arg-type]  # only emit() is called on it
        self._answer = None if recipe.teacher.paid else builtin_answer(recipe)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._teacher: Any = None

    def block(self, start: int, stop: int) -> list[Outcome]:
        """The outcomes of problems ``start .. stop-1``, in index order."""
        problems = list(stages.problems(self.mix, self.recipe, start, stop - start))
        requests = [self.prompting.request(p) for p in problems]
        if self._answer is not None:
            answer = self._answer
            with fewer_gc_passes():
                return [self._outcome(p, r, [answer(r, s, p) for s in range(self._samples(p))])
                        for p, r in zip(problems, requests, strict=True)]
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        return self._loop.run_until_complete(self._teach(problems, requests))

    def _samples(self, problem: Problem) -> int:
        return 0 if problem.index in self.spec.skip else self.recipe.teacher.samples

    def _outcome(self, problem: Problem, request: Request, responses: Sequence[Response | None]) -> Outcome:
        outcome = Outcome(problem, request.id, request, list(responses))
        if self.spec.select and all(r is not None for r in responses):
            self._judge(problem, request, [r for r in responses if r is not None])
            outcome.result, self._capture.result = self._capture.result, None
            outcome.request = None
        return outcome

    def _open_teacher(self) -> Any:
        from chukmath.teach.openai_teacher import OpenAITeacher

        if self.recipe.teacher.kind != "openai":
            raise ConfigError(f"recipe '{self.recipe.name}': --engine ray answers with kind = \"builtin\" or "
                              f"\"openai\", not \"{self.recipe.teacher.kind}\"; build it with the local engine")
        # The rate limits are the permits' (one budget for all workers), not each worker's own.
        config = dataclasses.replace(stages.openai_config(self.recipe, self.spec.api_key), rpm=None, tpm=None)
        return OpenAITeacher(config)

    async def _teach(self, problems: list[Problem], requests: list[Request]) -> list[Outcome]:
        if self._teacher is None:
            self._teacher = self._open_teacher()
        ledger = self.spec.ledger
        wanted = [(i, s) for i, p in enumerate(problems) for s in range(self._samples(p))]
        known = await ledger.known.remote([key(requests[i].id, s) for i, s in wanted])
        answers: list[list[Response | None]] = [[None] * self._samples(p) for p in problems]
        # A worker keeps at most ``concurrency`` requests waiting for a permit; the permits bound the whole run.
        local = asyncio.Semaphore(self.recipe.teacher.concurrency)
        max_tokens = self.recipe.teacher.max_tokens or 1024

        async def ask(i: int, s: int) -> None:
            request = requests[i]
            estimate = sum(len(m.get("content", "")) for m in request.messages) // 4 + 1 + max_tokens
            async with local:
                await ledger.enter.remote(estimate)
                response: Response | None = None
                try:
                    response = await self._teacher.answer(request, s)
                finally:
                    # In the journal before anything else happens to it: a failed job loses no answer it paid for.
                    used = response.usage.get("total_tokens") if response is not None and response.usage else None
                    await ledger.leave.remote(estimate, used, None if response is None else response.to_dict())
            answers[i][s] = response

        try:
            async with asyncio.TaskGroup() as group:
                for (i, s), done in zip(wanted, known, strict=True):
                    if not done:
                        group.create_task(ask(i, s))
        except BaseExceptionGroup as failed:
            raise _first_error(failed) from None
        return [self._outcome(p, r, a) for p, r, a in zip(problems, requests, answers, strict=True)]


def _first_error(group: BaseExceptionGroup) -> BaseException:
    """The teacher error inside a task group's exceptions (a fatal one: bad key, server gone), else the first."""
    for exc in group.exceptions:
        if isinstance(exc, ChukmathError):
            return exc
        if isinstance(exc, BaseExceptionGroup):
            return _first_error(exc)
    return group.exceptions[0]
