"""The library in seven calls, one per stage: ``chukmath.generate``, ``render``, ``teach``, ``parse``, ``verify``,
``write`` and ``build``.

Each is a thin, typed front for its stage package (``chukmath.generate``, ``chukmath.render``, …), whose own
public names stay what they were: ``chukmath.generate`` is the package *and* can be called, and calling it is
calling :func:`generate` here (see :mod:`chukmath.stage_module` and docs/contracts.md). The examples below run as
doctests (tests/test_library_api.py).

>>> import chukmath
>>> problems = list(chukmath.generate("arithmetic", count=3, seed=1, difficulty=2))
>>> requests = chukmath.render(problems, "step_by_step")
>>> responses = chukmath.teach(requests, problems=problems)  # the built-in offline teacher
>>> [chukmath.verify(p, r).accepted for p, r in zip(problems, responses)]
[True, True, True]
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from chukmath.records import Problem, Request, Response

if TYPE_CHECKING:
    from chukmath.build.pipeline import BuildSummary
    from chukmath.build.recipe import BuildRecipe
    from chukmath.generate.engine import Run
    from chukmath.parse import ParsedResponse
    from chukmath.teach.base import Teacher
    from chukmath.verify.policy import Policy
    from chukmath.verify.verdict import Verdict


def generate(
    generator: str | Path,
    *,
    count: int,
    seed: int | None = None,
    start: int = 0,
    difficulty: int | None = None,
    overrides: dict[str, Any] | None = None,
) -> Run:
    """Problems ``start .. start+count-1`` of a family (``"arithmetic"``) or of a mix recipe (a bundled name such as
    ``"gsm8k_style"``, or a TOML path). Iterate the run for :class:`~chukmath.Problem` records, or call
    ``.rows(workers=N)`` / ``.lines(workers=N)`` for dicts / JSONL bytes. ``seed`` defaults to 0 (for a mix recipe,
    to the recipe's own); ``difficulty`` and ``overrides`` apply to a family only.

    >>> import chukmath
    >>> [p.index for p in chukmath.generate("fractions", count=2, seed=7, start=10)]
    [10, 11]
    >>> problem = next(iter(chukmath.generate("linear_equation", count=1, seed=3)))
    >>> problem.expression.startswith("Eq(")
    True
    """
    from chukmath.errors import ConfigError, InputError
    from chukmath.families import list_families
    from chukmath.generate import engine, mix

    name = str(generator)
    families = [f.name for f in list_families()]
    if name in families:
        return engine.generate(
            name, seed=0 if seed is None else seed, count=count, start=start, difficulty=difficulty,
            overrides=overrides,
        )
    if difficulty is not None or overrides:
        raise ConfigError(f"{name}: difficulty and overrides apply to one family; a mix recipe sets them per entry")
    try:
        recipe = mix.load_mix_recipe(generator)
    except InputError as exc:
        if Path(name).suffix == ".toml" or len(Path(name).parts) > 1:
            raise
        raise ConfigError(f"{name!r} is neither a problem family ({', '.join(families)}) nor a recipe: {exc}") from None
    return mix.generate_mix(recipe, seed=seed, count=count, start=start)


def render(
    problems: Problem | Iterable[Problem],
    template: str = "step_by_step",
    *,
    templates_dirs: Iterable[str | Path] = (),
    system: str | None = None,
) -> list[Request]:
    """Teacher requests for ``problems`` from a prompt template (built-in name, a name found in
    ``templates_dirs``, or a ``.jinja`` path), in the problems' order. ``system`` adds a system turn.

    >>> import chukmath
    >>> problem = next(iter(chukmath.generate("arithmetic", count=1, seed=0)))
    >>> [request] = chukmath.render(problem, "step_by_step")
    >>> request.problem_id == problem.id, [m["role"] for m in request.messages]
    (True, ['user'])
    """
    from chukmath.render import TemplateLibrary, build_requests

    items = [problems] if isinstance(problems, Problem) else problems
    compiled = TemplateLibrary([Path(d) for d in templates_dirs]).get(template)
    return list(build_requests(items, compiled, system=system))


def teach(
    requests: Request | Iterable[Request],
    *,
    problems: Iterable[Problem] | Mapping[str, Problem] | None = None,
    teacher: Teacher | None = None,
    samples: int = 1,
    concurrency: int = 16,
) -> list[Response]:
    """Answers to ``requests`` (``samples`` each), ordered by request then sample; failures are responses whose
    ``error`` says why. The default teacher is the built-in offline one, which needs the ``problems`` the
    requests were rendered from; pass an :class:`~chukmath.OpenAITeacher` for a model. Nothing is journaled: for
    resumable runs use ``chukmath.teach.run_teach`` (what ``chukmath teach`` runs) or :func:`build`.

    >>> import chukmath
    >>> problems = list(chukmath.generate("arithmetic", count=1, seed=0))
    >>> [response] = chukmath.teach(chukmath.render(problems), problems=problems)
    >>> response.teacher, response.ok, response.content.startswith("<think>")
    ('builtin', True, True)
    """
    from chukmath.teach.engine import answer_stream

    items = [requests] if isinstance(requests, Request) else list(requests)
    if teacher is None:
        from chukmath.errors import ConfigError
        from chukmath.teach.builtin import BuiltinTeacher

        if problems is None:
            raise ConfigError("teach: the built-in teacher needs problems=... (the problems the requests came from)")
        by_id = dict(problems) if isinstance(problems, Mapping) else {p.id: p for p in problems}
        teacher = BuiltinTeacher(by_id)
    if samples < 1:
        from chukmath.errors import ConfigError

        raise ConfigError(f"teach: samples={samples}: must be at least 1")
    order = {(r.id, k): n for n, (r, k) in enumerate((r, k) for r in items for k in range(samples))}
    work = [(r, k) for r in items for k in range(samples)]

    async def collect() -> list[Response]:
        found: list[Response] = []
        try:
            async for response in answer_stream(teacher, work, concurrency=concurrency):
                found.append(response)
        finally:
            closer = getattr(teacher, "aclose", None)
            if closer is not None:
                await closer()
        return found

    answered = asyncio.run(collect())
    return sorted(answered, key=lambda r: order.get((r.request_id, r.sample), len(order)))


def parse(text: str | None, reasoning_content: str | None = None) -> ParsedResponse:
    """A teacher's text split into ``think``, ``answer`` and ``verifier_answer`` (each possibly None), with the
    ``format_issues`` found; ``reasoning_content`` is a reasoning model's separate reasoning field.

    >>> import chukmath
    >>> parsed = chukmath.parse("<think>2 + 3 = 5</think>\\n<answer>5</answer>\\n<verifier_answer>5</verifier_answer>")
    >>> parsed.think, parsed.answer, parsed.verifier_answer, parsed.format_issues
    ('2 + 3 = 5', '5', '5', ())
    """
    from chukmath.parse import parse_response

    return parse_response(text, reasoning_content)


def verify(
    problem: Problem,
    response: Response | str,
    *,
    policy: Policy | str = "all",
    language: str = "en",
) -> Verdict:
    """The verdict on one answer (a journal :class:`~chukmath.Response` or just its text): ``.accepted``,
    ``.reasons`` and ``.details``. ``policy`` says which reasons reject (``"all"``, ``"wrong_answer,format"``,
    ``"all,-language"``).

    >>> import chukmath
    >>> problem = next(iter(chukmath.generate("arithmetic", count=1, seed=0)))
    >>> text = "<think>I guess.</think>\\n<answer>0.5</answer>\\n<verifier_answer>0.5</verifier_answer>"
    >>> chukmath.verify(problem, text).reasons
    ['wrong_answer']
    """
    from chukmath.verify import Policy, verify_response

    if isinstance(response, str):
        response = Response(request_id="", sample=0, teacher="", model="", content=response)
    chosen = Policy.from_spec(policy) if isinstance(policy, str) else policy
    return verify_response(problem, response, chosen, language)


def write(
    problems: str | Path,
    requests: str | Path,
    responses: str | Path,
    out_dir: str | Path,
    *,
    policy: str = "all",
    keep: Literal["first", "all"] = "first",
    max_per_problem: int | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """Verify every answer in a journal and write ``train.jsonl``, ``rejects.jsonl`` and ``stats.json`` into
    ``out_dir`` (what ``chukmath verify`` does); the inputs are the JSONL files of the earlier stages. Returns
    the stats.

    >>> import chukmath, pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     stats = chukmath.write("datasets/examples/problems.jsonl", "datasets/examples/requests.jsonl",
    ...                            "datasets/examples/responses.jsonl", folder)
    ...     written = sorted(p.name for p in pathlib.Path(folder).iterdir())
    >>> stats["totals"]["accepted"], written
    (3, ['rejects.jsonl', 'stats.json', 'train.jsonl'])
    """
    from chukmath.write import DatasetPaths, SelectOptions, write_dataset

    inputs = DatasetPaths(Path(problems), Path(requests), Path(responses))
    options = SelectOptions(keep=keep, max_per_problem=max_per_problem, language=language)
    return write_dataset(inputs, out_dir, policy_spec=policy, options=options)


def build(
    recipe: str | Path | BuildRecipe,
    out: str | Path,
    *,
    force: bool = False,
    quiet: bool = True,
    count: int | None = None,
    seed: int | None = None,
) -> BuildSummary:
    """Make (or resume) the dataset a build recipe describes in the run directory ``out``: what ``chukmath build``
    does. ``count`` and ``seed`` override the recipe's.

    >>> import chukmath, tempfile
    >>> with tempfile.TemporaryDirectory() as out:
    ...     summary = chukmath.build("datasets/demo.toml", out, count=20)
    >>> summary.problems, summary.complete
    (20, True)
    """
    from chukmath.build import BuildOptions, build_dataset, load_recipe

    loaded = recipe if not isinstance(recipe, str | Path) else load_recipe(recipe)
    if count is not None or seed is not None:
        loaded = loaded.with_overrides(count=count, seed=seed)
    return build_dataset(loaded, out, BuildOptions(force=force, quiet=quiet))


STAGES = ("generate", "render", "teach", "parse", "verify", "write", "build")

__all__ = ["STAGES", "build", "generate", "parse", "render", "teach", "verify", "write"]
