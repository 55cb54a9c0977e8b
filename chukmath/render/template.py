"""A compiled prompt template: problem in, chat messages out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import Template, TemplateSyntaxError, nodes
from jinja2.sandbox import SecurityError

from chukmath.errors import ConfigError, TemplateError, TemplateRenderError
from chukmath.hashing import content_hash
from chukmath.records import Message, Problem
from chukmath.render.bounds import MAX_MESSAGE_CHARS, MAX_PROMPT_CHARS, bound_loops, render_bounded, too_large
from chukmath.render.checks import answer_lines, is_answer_key, static_errors
from chukmath.render.environment import make_environment
from chukmath.render.source import TemplateFileError, TemplateMeta, TemplateSource, parse_template_source

# One environment for every template: compiled code is bound to it and it holds no per-template state.
_ENV = make_environment()


def problem_context(problem: Problem, reveals_answer: bool = True) -> dict[str, Any]:
    """The variables a template sees for ``problem`` (see TEMPLATE_VARIABLES).

    With ``reveals_answer=False`` (an answer-blind template) the answer is not in the context at all: no
    ``answer``, no ``problem.answer``, and no ``meta`` key that reveals it (``answer``, ``answer_*``), so no
    expression (``{{ problem }}``, ``{{ meta | tojson }}``, a loop over ``problem.items()``) can show it.
    """
    if not reveals_answer:
        meta = {k: v for k, v in problem.meta.items() if not is_answer_key(k)}
        record = problem.to_dict()
        del record["answer"]
        record["meta"] = meta
        return {
            "question": problem.question,
            "expression": problem.expression,
            "generator": problem.generator,
            "difficulty": problem.difficulty,
            "meta": meta,
            "problem": record,
        }
    return {
        "question": problem.question,
        "expression": problem.expression,
        "answer": problem.answer,
        "generator": problem.generator,
        "difficulty": problem.difficulty,
        "meta": problem.meta,
        "problem": problem.to_dict(),
    }


ANSWER_BLIND_MESSAGE = (
    "reveals_answer = false but the template reads the answer (answer, problem.answer or meta.answer*): "
    "an answer-blind template is rendered without it; remove it, or set reveals_answer = true"
)


# Variables a plain template may print without Jinja: always in the context, and always str or int there, for
# which Jinja's ``{{ name }}`` (no autoescape; the finalize hook only checks sizes) is exactly ``str(value)``.
_PLAIN_NAMES = frozenset({"question", "expression", "answer", "generator", "difficulty"})
_PLAIN_TYPES = (str, int)


def _plain_plan(ast: nodes.Template) -> tuple[tuple[bool, str], ...] | None:
    """The parts of a template made only of text and ``{{ name }}`` outputs: (is_variable, text or name).

    None for anything else (filters, tests, attributes, control flow, ...), which Jinja renders. The built-in
    templates without ``{% if %}`` are all of this shape, and rendering them is then a string join.
    """
    parts: list[tuple[bool, str]] = []
    for node in ast.body:
        if not isinstance(node, nodes.Output):
            return None
        for child in node.nodes:
            if type(child) is nodes.TemplateData:
                parts.append((False, child.data))
            elif type(child) is nodes.Name and child.ctx == "load" and child.name in _PLAIN_NAMES:
                parts.append((True, child.name))
            else:
                return None
    return tuple(parts)


@dataclass(frozen=True, slots=True)
class _CompiledSection:
    role: str
    template: Template
    plan: tuple[tuple[bool, str], ...] | None = None
    loops: bool = True
    first_line: int = 0  # of the section's text in the file

    def render(self, context: dict[str, Any]) -> str:
        """What ``template.render(context)`` gives; by the plan when there is one and the values are plain."""
        plan = self.plan
        if plan is not None:
            out = []
            for is_name, text in plan:
                if is_name:
                    value = context[text]
                    if not isinstance(value, _PLAIN_TYPES):
                        return render_bounded(self.template, context, self.loops, self.what)
                    out.append(value if type(value) is str else str(value))
                else:
                    out.append(text)
            rendered = "".join(out)
            if len(rendered) > MAX_MESSAGE_CHARS:  # the same bound render_bounded puts on a message rendered by Jinja
                raise too_large(self.what)
            return rendered
        return render_bounded(self.template, context, self.loops, self.what)

    @property
    def what(self) -> str:
        return f"the rendered {self.role} message"


class PromptTemplate:
    """A template compiled once and rendered many times.

    ``name``, ``meta`` (TemplateMeta), ``source_path``, ``origin`` (``built-in`` or the directory it came from)
    and ``hash`` (of the file text and metadata: it changes whenever the prompt could change).
    """

    def __init__(self, source: TemplateSource, origin: str) -> None:
        self.source = source
        self.name = source.meta.name
        self.meta: TemplateMeta = source.meta
        self.source_path: Path = source.path
        self.origin = origin
        self.hash = content_hash({"source": source.text, "meta": source.meta.to_dict()})
        self._filename = str(source.path)
        self._sections = tuple(
            _CompiledSection(s.role, *self._compile(s.padded()), first_line=s.first_line) for s in source.sections
        )

    @classmethod
    def from_file(cls, path: Path, origin: str = "file") -> PromptTemplate:
        """Parse and compile ``path``; any problem raises TemplateError naming file and line."""
        return cls(parse_template_source(path), origin)

    def _compile(self, padded: str) -> tuple[Template, tuple[tuple[bool, str], ...] | None]:
        try:
            ast = _ENV.parse(padded, name=self.name, filename=self._filename)
        except TemplateSyntaxError as exc:
            raise TemplateFileError(self.source_path, exc.lineno, f"syntax error: {exc.message}") from None
        errors = static_errors(ast)
        if not self.meta.reveals_answer:
            errors = sorted(errors + [(line, ANSWER_BLIND_MESSAGE) for line in answer_lines(ast)])
        if errors:
            line, message = errors[0]
            raise TemplateFileError(self.source_path, line, message)
        plan = _plain_plan(ast)  # before compiling: the code generator may annotate the tree
        loops = bound_loops(ast)
        try:
            code = _ENV.compile(ast, name=self.name, filename=self._filename)
        except TemplateSyntaxError as exc:  # TemplateAssertionError: found only while generating code
            raise TemplateFileError(self.source_path, exc.lineno, exc.message or str(exc)) from None
        return _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None), None), plan, loops

    def render(self, problem: Problem, system: str | None = None) -> list[Message]:
        """The chat messages for ``problem``; ``system`` replaces the template's system message or is prepended."""
        context = problem_context(problem, self.meta.reveals_answer)
        messages: list[Message] = []
        section = self._sections[0]
        try:
            for section in self._sections:
                content = section.render(context).strip()
                if not content:
                    raise TemplateError(
                        f"template '{self.name}' ({self._filename}) rendered an empty {section.role} message "
                        f"for problem {problem.id}"
                    )
                messages.append({"role": section.role, "content": content})
        except TemplateError:
            raise
        except Exception as exc:  # whatever a template expression raised: undefined, sandbox, ZeroDivisionError
            # Else the section's first line: a message too large is no one expression's fault.
            line = _template_line(exc.__traceback__, self._filename) or section.first_line
            raise TemplateRenderError(self.source_path, line, self.name, problem.id, exc) from None
        if system is not None:
            messages = with_system(messages, system)
        total = sum(len(m["content"]) for m in messages)
        if total > MAX_PROMPT_CHARS:
            cause = SecurityError(
                f"the messages together are {total:,} characters, over the {MAX_PROMPT_CHARS:,} a request may have"
            )
            raise TemplateRenderError(self.source_path, 0, self.name, problem.id, cause)
        return messages

    def tags_dropped_by(self, system: str) -> list[str]:
        """Tags only the template's own system message asks for, lost when ``system`` replaces that message."""
        sections = self.source.sections
        if sections[0].role != "system":
            return []
        rest = "\n".join(s.text for s in sections[1:]) + "\n" + system
        return [tag for tag in self.meta.tags if f"<{tag}>" in sections[0].text and f"<{tag}>" not in rest]

    def __repr__(self) -> str:
        return f"PromptTemplate(name={self.name!r}, source_path={str(self.source_path)!r}, hash={self.hash!r})"


def with_system(messages: list[Message], system: str) -> list[Message]:
    """Replace the leading system message with ``system``, or prepend one."""
    if not system.strip():
        raise ConfigError("--system: the system text is empty; leave the option out to keep the template's own")
    if len(system) > MAX_MESSAGE_CHARS:
        raise ConfigError(
            f"--system: the system text is {len(system):,} characters; a message may have at most "
            f"{MAX_MESSAGE_CHARS:,} (templates/README.md, 'Bounded work'): shorten it"
        )
    rest = messages[1:] if messages and messages[0]["role"] == "system" else messages
    return [{"role": "system", "content": system}, *rest]


def _template_line(tb: TracebackType | None, filename: str) -> int:
    """The template line of the innermost frame Jinja attributed to ``filename`` (0 if none)."""
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
