"""Glue to the pipeline stages (generate, render, teach, write): the one place that knows their call shapes.

Nothing here re-implements a stage; it adapts the recipe to each stage's public API.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chukmath.build.recipe import ANY_FAMILY, BuildRecipe
from chukmath.errors import ConfigError, TeacherError, TemplateError
from chukmath.generate import generate_mix, parse_mix
from chukmath.records import Problem, Request
from chukmath.render import PromptTemplate, TemplateLibrary
from chukmath.render.requests import render_request
from chukmath.teach.builtin import builtin_model
from chukmath.teach.redact import check_api_key, check_base_url, is_loopback
from chukmath.teach.specs import BuiltinSpec, Endpoint, Labels, TransformersSpec, key_env_of, resolve_endpoint

if TYPE_CHECKING:
    from chukmath.teach.base import Teacher
    from chukmath.teach.openai_teacher import OpenAIConfig


@dataclass(frozen=True)
class Prompting:
    """Compiled template per family, and the system text (None keeps each template's own)."""

    templates: dict[str, PromptTemplate]  # family -> its compiled template
    system: str | None

    @property
    def hashes(self) -> dict[str, str]:
        return {t.name: t.hash for t in self.templates.values()}

    def request(self, problem: Problem) -> Request:
        """The teacher request for ``problem`` (rendered by its family's template)."""
        template = self.templates.get(problem.generator) or self.templates.get(ANY_FAMILY)
        if template is None:
            raise TeacherError(f"problem {problem.id}: generator '{problem.generator}' has no template in the recipe")
        return render_request(problem, template, self.system)


def load_prompting(recipe: BuildRecipe, base_dir: Path | None = None) -> Prompting:
    """Resolve and compile every template the recipe names (fails before any work when one is missing).

    Relative ``templates_dirs`` are taken from ``base_dir`` (the recipe file's folder), so a recipe works from
    any current directory.
    """
    dirs = [
        Path(d) if base_dir is None or Path(d).is_absolute() else base_dir / d for d in recipe.prompt.templates_dirs
    ]
    library = TemplateLibrary(dirs)
    templates = {}
    for family, name in recipe.family_templates().items():
        try:
            templates[family] = library.get(name)
        except TemplateError as exc:
            raise TemplateError(
                f"{recipe.where(*_template_key(recipe, family))}: template '{name}' for generator '{family}': {exc} "
                '(in a recipe: [prompt] templates_dirs = ["<folder>"], relative to the recipe file)'
            ) from None
    if recipe.problem_source is not None:
        from chukmath.sources.requests import warn_expression

        for template in templates.values():
            warn_expression(template)
    system = recipe.prompt.system or None
    if system is not None:
        for family, template in templates.items():
            dropped = template.tags_dropped_by(system)
            if dropped:
                tags = ", ".join(f"<{t}>" for t in dropped)
                raise ConfigError(
                    f"{recipe.where('prompt', 'system')}: [prompt] system replaces the system message of template "
                    f"'{template.name}' (generator '{family}'), the only one that asks for {tags}; say in the system "
                    "text how to answer (with those tags), or every answer would be rejected"
                )
    return Prompting(templates, system)


def _template_key(recipe: BuildRecipe, family: str) -> tuple[str | int, ...]:
    """Where the recipe names ``family``'s template: its own ``[[mix]]`` table, else ``[prompt] template``."""
    for number, entry in enumerate(recipe.mix):
        if entry["generator"] == family and entry.get("template"):
            return ("mix", number, "template")
    return ("prompt", "template")


def load_mix(recipe: BuildRecipe, source: str) -> Any:
    """The generator mix of the recipe, validated by chukmath.generate (unknown families or configs fail here);
    for a ``[source]`` recipe, its rows read as problems (:func:`chukmath.sources.load_source`)."""
    if recipe.problem_source is not None:
        from chukmath.sources.recipe import read_recipe_source

        return read_recipe_source(recipe.problem_source, source)
    data = {"mix": recipe.generator_mix(), "seed": recipe.seed, "name": recipe.name}
    text = recipe.text if recipe.source == source else None
    return parse_mix(data, source, text)


def fit_source(recipe: BuildRecipe, mix: Any) -> BuildRecipe:
    """A ``[source]`` recipe fitted to the rows :func:`load_mix` read (count at most the rows, their digest)."""
    if recipe.problem_source is None:
        return recipe
    from chukmath.sources.recipe import fit_recipe

    return fit_recipe(recipe, mix)


def write_source_rejects(recipe: BuildRecipe, mix: Any, run_dir: Path) -> None:
    """``source_rejects.jsonl``: the rows of ``[source]`` that could not be read, with where and why."""
    if recipe.problem_source is not None:
        mix.write_rejects(run_dir)


def problems(mix: Any, recipe: BuildRecipe, start: int, count: int) -> Iterator[Problem]:
    """Problems ``start .. start+count-1``: a pure function of (recipe, seed, index)."""
    if recipe.problem_source is not None:
        return mix.slice(start, count)
    return generate_mix(mix, seed=recipe.seed, count=count, start=start)


def check_teacher(recipe: BuildRecipe, *, need_key: bool = True) -> str | None:
    """Fail before any request when a paid teacher lacks its model or key (or has bad settings); returns the key
    (never stored). ``need_key=False`` checks everything but the key (``--dry-run``)."""
    t = recipe.teacher
    if recipe.problem_source is not None and isinstance(t, BuiltinSpec):
        raise TeacherError(
            f"{recipe.where('teacher', 'kind')}: the builtin teacher writes its traces from a generated problem's "
            "expression, and problems from [source] have none; set [teacher] kind = \"openai\" (or anthropic, "
            "batch) with a model, or pass --teacher openai --model M --base-url URL"
        )
    if isinstance(t, TransformersSpec):
        _check_local(recipe, t)
    if not t.paid:
        return None
    where = f"recipe '{recipe.name}' [teacher] kind = \"{t.kind}\""
    if not t.model:
        raise TeacherError(f"{where}: 'model' is missing; set model = \"<model name>\" in [teacher] or pass --model")
    # Before the manifest (which records the recipe) is written: a URL with user:password@ or ?key= in it would
    # put a secret on disk.
    try:
        found = resolve_endpoint(t, labels=_labels(recipe), need_key=need_key)
        t.client_config(found).validate()
    except (ConfigError, TeacherError) as exc:
        raise type(exc)(f"{where}: {exc}") from None
    return found.key or "" if need_key else None


def _check_local(recipe: BuildRecipe, t: TransformersSpec) -> None:
    """A local model's settings and its libraries, before anything is written (the model loads at the first
    batch)."""
    where = f"recipe '{recipe.name}' [teacher] kind = \"transformers\""
    if not t.model:
        raise TeacherError(f'{where}: \'model\' is missing; set model = "<folder or hub id>" in [teacher] or pass '
                           "--model")  # fmt: skip
    missing = [name for name in ("torch", "transformers") if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError(f"{where} needs {' and '.join(missing)}, which is not installed; pip install "
                          "'chukmath[train]'")  # fmt: skip


def _labels(recipe: BuildRecipe) -> Labels:
    return Labels(url=f"recipe '{recipe.name}' [teacher] base_url", key="api_key_env")


def check_judge(recipe: BuildRecipe, *, need_key: bool = True) -> str | None:
    """Fail before any request when the ``[judge]`` table cannot work (bad URL, missing key); returns its key."""
    j = recipe.judge
    if j is None:
        return None
    where = f"recipe '{recipe.name}' [judge]"
    check_base_url(j.base_url, where=f"{where} base_url")
    if not need_key or not j.api_key_env:
        return None
    key = os.environ.get(j.api_key_env, "")
    if not key and is_loopback(j.base_url):
        return None
    if not key:
        raise TeacherError(f"{where}: environment variable {j.api_key_env} (api_key_env) is not set; export the "
                           'judge endpoint\'s key (set api_key_env = "" for an endpoint that needs none)')
    check_api_key(key, f"{where}: environment variable {j.api_key_env} (api_key_env)")
    return key


def make_judge(recipe: BuildRecipe, api_key: str | None, journal: Path) -> Any:
    """The recipe's ``[judge]`` as a :class:`chukmath.judge.AnswerJudge` on ``journal``; None without the table."""
    j = recipe.judge
    if j is None:
        return None
    from chukmath.judge import DEFAULT_PROMPT, AnswerJudge, JudgeSettings
    from chukmath.verify import Policy

    settings = JudgeSettings(
        base_url=j.base_url, model=j.model, api_key=api_key or None, api_key_env=j.api_key_env,
        prompt=j.prompt or DEFAULT_PROMPT, temperature=j.temperature, max_tokens=j.max_tokens,
        concurrency=j.concurrency, timeout=j.timeout, max_retries=j.max_retries,
    )  # fmt: skip
    return AnswerJudge(settings, journal, Policy.from_spec(recipe.verify.policy))


def api_key_env(recipe: BuildRecipe) -> str:
    """The variable holding the teacher's key (:func:`chukmath.teach.specs.key_env_of`)."""
    return key_env_of(recipe.teacher)


def endpoint(recipe: BuildRecipe, api_key: str | None) -> Endpoint:
    """Where the recipe's paid teacher sends its requests, carrying ``api_key`` (checked by :func:`check_teacher`)."""
    found = resolve_endpoint(recipe.teacher, labels=_labels(recipe), need_key=False)
    return dataclasses.replace(found, key=api_key or None)


def make_teacher(recipe: BuildRecipe, api_key: str | None) -> Teacher:
    """The teacher that answers request by request (``async answer(request, sample)``): an API's
    (``[teacher] kind = "openai"`` or ``"anthropic"``) at its endpoint, or a local model in this process
    (``"transformers"``)."""
    if not recipe.teacher.paid:
        return recipe.teacher.make()
    return recipe.teacher.make(endpoint(recipe, api_key))


def openai_config(recipe: BuildRecipe, api_key: str | None) -> OpenAIConfig:
    """The recipe's ``[teacher]`` as the openai (or anthropic) teacher's config (``validate()`` checks it without a
    request)."""
    return recipe.teacher.client_config(endpoint(recipe, api_key))


def teacher_model(recipe: BuildRecipe) -> str:
    """The model name the manifest records (the built-in teacher's own for ``builtin``)."""
    if isinstance(recipe.teacher, BuiltinSpec):
        return builtin_model(recipe.teacher.trace_style)
    if isinstance(recipe.teacher, TransformersSpec):
        return recipe.teacher.local_config().model_name  # the name its answers carry (plus a GGUF file)
    return recipe.teacher.model
