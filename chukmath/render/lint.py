"""Check templates before a paid run: syntax, unknown variables, unsafe access, tag instructions, answer leaks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from jinja2 import TemplateSyntaxError, UndefinedError

from chukmath.errors import TemplateError
from chukmath.records import Problem
from chukmath.render.checks import answer_lines, static_errors, used_variables
from chukmath.render.environment import TEMPLATE_VARIABLES, make_environment
from chukmath.render.source import DEFAULT_TAGS, TemplateFileError, TemplateSource, parse_template_source
from chukmath.render.template import ANSWER_BLIND_MESSAGE, PromptTemplate, TemplateRenderError

Severity = Literal["error", "warning"]
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)

# Rendered once per linted template to catch what only shows at render time (sandbox violations).
SAMPLE_PROBLEM = Problem(
    id="lint-sample",
    generator="word_problem",
    difficulty=2,
    seed=0,
    index=0,
    question="A train travels 120 km in 2 hours. What is its average speed in km/h?",
    expression="120 / 2",
    answer="60",
    meta={"unit": "km/h", "operations": ["/"], "answer_decimal": "60"},
)


@dataclass(frozen=True, slots=True)
class LintIssue:
    """One finding; ``str()`` is ``path:line: severity: message`` (no line part when ``line`` is 0)."""

    path: Path
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line > 0 else str(self.path)
        return f"{where}: {self.severity}: {self.message}"


def template_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories to their ``*.jinja`` files; files are kept as given; each file once."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.jinja")) if path.is_dir() else [path])
    return list(dict.fromkeys(files))


def lint_paths(paths: Iterable[Path | str]) -> list[LintIssue]:
    """Lint every template file in ``paths`` (files or directories of ``*.jinja``).

    A directory without any ``*.jinja`` file is an error: a check that finds nothing to check must not pass.
    """
    targets = [Path(p) for p in paths]
    issues = [
        LintIssue(path, 0, "error", "no *.jinja templates in this folder")
        for path in targets
        if path.is_dir() and not any(p.is_file() for p in path.glob("*.jinja"))
    ]
    for path in template_files(targets):
        issues.extend(lint_file(path))
    return issues


def lint_file(path: Path) -> list[LintIssue]:
    """All issues of one template file, errors and warnings, in line order."""
    if not path.exists():
        return [LintIssue(path, 0, "error", "no such file or directory")]
    try:
        source = parse_template_source(path)
    except TemplateFileError as exc:
        return [LintIssue(path, exc.line, "error", exc.detail)]
    issues = _check_sections(source)
    issues.extend(_check_tags(source))
    if not any(i.severity == "error" for i in issues):
        issues.extend(_check_render(source))
    return sorted(issues, key=lambda i: (i.line, i.severity != "error"))


def _check_sections(source: TemplateSource) -> list[LintIssue]:
    env = make_environment()
    path, meta = source.path, source.meta
    issues: list[LintIssue] = []
    used: dict[str, int] = {}
    answer_uses: list[int] = []
    for section in source.sections:
        try:
            ast = env.parse(section.padded(), name=meta.name, filename=str(path))
        except TemplateSyntaxError as exc:
            issues.append(LintIssue(path, exc.lineno, "error", f"syntax error: {exc.message}"))
            continue
        issues.extend(LintIssue(path, line, "error", message) for line, message in static_errors(ast))
        for name, line in used_variables(ast).items():
            if name in TEMPLATE_VARIABLES:
                used[name] = min(used.get(name, line), line)
        answer_uses.extend(answer_lines(ast))
    if any(issue.message.startswith("syntax error") for issue in issues):
        return issues  # variable use is unknown in a section that does not parse
    for name, line in sorted(used.items(), key=lambda kv: kv[1]):
        if name not in meta.variables:
            issues.append(LintIssue(path, line, "warning", f"uses {name!r} but the front matter's variables omit it"))
    for name in meta.variables:
        if name not in used:
            issues.append(LintIssue(path, source.meta_line, "warning", f"front matter lists {name!r} but it is unused"))
    if not meta.reveals_answer:
        issues.extend(LintIssue(path, line, "error", ANSWER_BLIND_MESSAGE) for line in sorted(set(answer_uses)))
    return issues


def _check_tags(source: TemplateSource) -> list[LintIssue]:
    issues = []
    # What the teacher can see: the message sections without Jinja comments (nor the front matter).
    shown = _JINJA_COMMENT.sub("", "\n".join(section.text for section in source.sections))
    for tag in dict.fromkeys((*DEFAULT_TAGS, *source.meta.tags)):
        if f"<{tag}>" not in shown:
            issues.append(
                LintIssue(
                    source.path,
                    source.meta_line,
                    "warning",
                    f"the template never mentions <{tag}>; the teacher will not know to write it",
                )
            )
    return issues


def _check_render(source: TemplateSource) -> list[LintIssue]:
    try:
        PromptTemplate(source, origin="lint").render(SAMPLE_PROBLEM)
    except TemplateRenderError as exc:
        # A missing meta key may be fine for the problems the template is meant for; anything else is a bug.
        severity: Severity = "warning" if isinstance(exc.cause, UndefinedError) else "error"
        cause = f"{type(exc.cause).__name__}: {exc.cause}"
        return [LintIssue(source.path, exc.line, severity, f"rendering a sample problem failed: {cause}")]
    except TemplateError as exc:
        return [LintIssue(source.path, 0, "error", f"rendering a sample problem failed: {exc}")]
    return []
