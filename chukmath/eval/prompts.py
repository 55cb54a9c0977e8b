"""What the model is asked: the prompt it was trained with, the recipe's teacher template, a plain question, or any
template — as a :class:`chukmath.records.Request` whose id (the hash of the messages) keys the journal.

- ``train``: the user turn of the recipe's train.jsonl rows (``[output] user_turn`` and ``[output] system``): what a
  model fine-tuned on that build saw. The default with ``--recipe``.
- ``recipe``: the recipe's own teacher templates (one per family), as ``build`` asked its teacher.
- ``plain``: the question alone as the user turn (a base model, or a model trained on R1-style rows). The default
  with ``--problems``.
- any other name: that template (a shipped one such as ``r1_zero`` or ``answer_blind``, one in ``--templates``,
  or a path to a ``.jinja`` file).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chukmath.errors import ConfigError
from chukmath.hashing import content_hash
from chukmath.records import Message, Problem, Request
from chukmath.write.samples import user_messages

TRAIN, RECIPE, PLAIN = "train", "recipe", "plain"


class Prompt:
    """Turns a problem into the request the model is asked; ``name`` and ``description`` go into the report."""

    def __init__(self, name: str, description: str, render: Any, template_hash: str) -> None:
        self.name = name
        self.description = description
        self._render = render
        self._hash = template_hash

    def request(self, problem: Problem) -> Request:
        """The request for ``problem``: its id is the content hash of the messages (the journal key)."""
        messages, template, template_hash = self._render(problem)
        return Request(
            id=content_hash({"messages": messages}),
            problem_id=problem.id,
            template=template or self.name,
            template_hash=template_hash or self._hash,
            messages=messages,
        )

    def describe(self) -> dict[str, str]:
        return {"name": self.name, "description": self.description}


def _with_system(messages: list[Message], system: str | None) -> list[Message]:
    if system is None:
        return messages
    return [{"role": "system", "content": system}, *(m for m in messages if m["role"] != "system")]


def make_prompt(
    name: str | None,
    *,
    recipe: Any | None = None,
    recipe_dir: Path | None = None,
    templates_dirs: Sequence[Path] = (),
    system: str | None = None,
) -> Prompt:
    """The prompt called ``name`` (None: ``train`` with a recipe, else ``plain``); ``system`` replaces the system
    turn (or adds one)."""
    name = name or (TRAIN if recipe is not None else PLAIN)
    suffix = "" if system is None else "; the system turn given by --system"
    if name == PLAIN:
        plain_hash = content_hash({"prompt": PLAIN, "system": system})

        def plain(problem: Problem) -> tuple[list[Message], str | None, str | None]:
            return _with_system([{"role": "user", "content": problem.question}], system), None, None

        return Prompt(PLAIN, "the question alone as the user turn" + suffix, plain, plain_hash)
    if name in (TRAIN, RECIPE):
        if recipe is None:
            raise ConfigError(f"--prompt {name}: needs --recipe (a problems file has no templates or output rows)")
        from chukmath.build import stages

        prompting = stages.load_prompting(recipe, recipe_dir)
        hashes = content_hash({"templates": prompting.hashes, "system": system})
        shown = [t.name for t in prompting.templates.values() if t.meta.reveals_answer]
        reveals = f" (template {', '.join(sorted(set(shown)))} shows the expected answer to the model)" if shown else ""
        if name == RECIPE:

            def teacher(problem: Problem) -> tuple[list[Message], str | None, str | None]:
                request = prompting.request(problem)
                return _with_system(request.messages, system), request.template, request.template_hash

            names = ", ".join(sorted(prompting.hashes))
            return Prompt(RECIPE, f"the recipe's teacher template(s): {names}" + reveals + suffix, teacher, hashes)
        out = recipe.output
        turn, own_system = out.user_turn, (out.system or None)
        chosen_system = system if system is not None else own_system

        def trained(problem: Problem) -> tuple[list[Message], str | None, str | None]:
            request = prompting.request(problem) if turn == "prompt" else None
            return user_messages(problem, request, turn, chosen_system), None, None  # type: ignore[arg-type]

        what = "the question" if turn == "question" else "the rendered teacher prompt"
        said = f"{what} as the user turn, as in the recipe's train.jsonl ([output] user_turn = \"{turn}\"" + (
            ", with [output] system)" if own_system and system is None else ")"
        )
        said += reveals if turn == "prompt" else ""
        return Prompt(TRAIN, said + suffix, trained, content_hash({"train": hashes, "turn": turn,
                                                                    "system": chosen_system}))
    from chukmath.render import TemplateLibrary

    template = TemplateLibrary(list(templates_dirs)).get(name)

    def templated(problem: Problem) -> tuple[list[Message], str | None, str | None]:
        return template.render(problem, system), template.name, template.hash

    shows = " (it shows the expected answer to the model)" if template.meta.reveals_answer else ""
    return Prompt(template.name, f"template '{template.name}'{shows}" + suffix, templated, template.hash)


__all__ = ["PLAIN", "RECIPE", "TRAIN", "Prompt", "make_prompt"]
