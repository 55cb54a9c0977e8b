"""Check templates before a paid run: syntax, unknown variables, unsafe access, tag instructions, answer leaks,
and that a second render in another process gives the same prompts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from jinja2 import TemplateSyntaxError, UndefinedError

from chukmath.errors import TemplateError
from chukmath.records import Problem
from chukmath.render.checks import answer_lines, static_errors, used_variables
from chukmath.render.environment import TEMPLATE_VARIABLES, make_environment
from chukmath.render.rerender import Outcome, RenderJob, render_elsewhere
from chukmath.render.source import TemplateFileError, TemplateSource, parse_template_source
from chukmath.render.template import ANSWER_BLIND_MESSAGE, PromptTemplate, TemplateRenderError

Severity = Literal["error", "warning", "note"]
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


def lint_paths(paths: Iterable[Path | str], problems: Sequence[Problem] = (SAMPLE_PROBLEM,)) -> list[LintIssue]:
    """Lint every template file in ``paths`` (files or directories of ``*.jinja``), rendering ``problems``.

    A directory without any ``*.jinja`` file is an error: a check that finds nothing to check must not pass.
    Issues come file by file, each file's in line order.
    """
    targets = [Path(p) for p in paths]
    issues = [
        LintIssue(path, 0, "error", "no *.jinja templates in this folder")
        for path in targets
        if path.is_dir() and not any(p.is_file() for p in path.glob("*.jinja"))
    ]
    by_file: dict[Path, list[LintIssue]] = {}
    rendered: list[tuple[TemplateSource, list[Outcome]]] = []
    for path in template_files(targets):
        by_file[path], outcomes = _lint_one(path, problems)
        if outcomes is not None:
            rendered.append(outcomes)
    for issue in _check_same_twice(rendered, problems):
        by_file[issue.path].append(issue)
    for file_issues in by_file.values():
        issues.extend(sorted(file_issues, key=_issue_order))
    return issues


def lint_file(path: Path, problems: Sequence[Problem] = (SAMPLE_PROBLEM,)) -> list[LintIssue]:
    """All issues of one template file, errors, warnings and notes, in line order."""
    return lint_paths([path], problems) if not path.is_dir() else [LintIssue(path, 0, "error", "a folder, not a file")]


def _issue_order(issue: LintIssue) -> tuple[int, int]:
    return issue.line, ("error", "warning", "note").index(issue.severity)


def _lint_one(
    path: Path, problems: Sequence[Problem]
) -> tuple[list[LintIssue], tuple[TemplateSource, list[Outcome]] | None]:
    """The issues of one file, and its renders of ``problems`` when it has no error (for the second render)."""
    if not path.exists():
        return [LintIssue(path, 0, "error", "no such file or directory")], None
    try:
        source = parse_template_source(path)
    except TemplateFileError as exc:
        return [LintIssue(path, exc.line, "error", exc.detail)], None
    issues = [LintIssue(path, 1, "note", note) for note in source.assumed]
    issues.extend(_check_sections(source))
    issues.extend(_check_tags(source))
    if any(i.severity == "error" for i in issues):
        return issues, None
    render_issues, outcomes = _check_render(source, problems)
    issues.extend(render_issues)
    return issues, None if render_issues else (source, outcomes)


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
    for tag in source.meta.tags:  # DEFAULT_TAGS unless the front matter lists the template's own
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


def _check_render(source: TemplateSource, problems: Sequence[Problem]) -> tuple[list[LintIssue], list[Outcome]]:
    """Render each problem; issues for the failures, and every outcome (for the comparison with a second render)."""
    issues: list[LintIssue] = []
    try:
        template = PromptTemplate(source, origin="lint")
    except TemplateError as exc:
        return [LintIssue(source.path, 0, "error", f"compiling the template failed: {exc}")], []
    outcomes: list[Outcome] = []
    for problem in problems:
        try:
            outcomes.append(template.render(problem))
        except TemplateRenderError as exc:
            # A missing meta key may be fine for the problems the template is meant for; anything else is a bug.
            severity: Severity = "warning" if isinstance(exc.cause, UndefinedError) else "error"
            cause = f"{type(exc.cause).__name__}: {exc.cause}"
            issues.append(LintIssue(source.path, exc.line, severity, f"rendering a sample problem failed: {cause}"))
        except TemplateError as exc:
            issues.append(LintIssue(source.path, 0, "error", f"rendering a sample problem failed: {exc}"))
    return list(dict.fromkeys(issues)), outcomes


def _check_same_twice(
    rendered: Sequence[tuple[TemplateSource, list[Outcome]]], problems: Sequence[Problem]
) -> list[LintIssue]:
    """Render each template again in a separate process and report every one whose prompts came out different."""
    jobs = [RenderJob(source.path, source.text, tuple(problems)) for source, _ in rendered]
    try:
        again = render_elsewhere(jobs)
    except TemplateError as exc:
        message = f"cannot check that renders repeat: {exc}"
        return [LintIssue(source.path, 0, "error", message) for source, _ in rendered]
    issues = []
    for (source, first), second in zip(rendered, again, strict=True):
        # ``second`` is a string when the template did not even load in the other process.
        seconds = second if isinstance(second, list) else [second] * len(first)
        for problem, mine, theirs in zip(problems, first, seconds, strict=True):
            if mine != theirs:
                issues.append(_difference(source, problem, mine, theirs))
                break
    return issues


def _difference(source: TemplateSource, problem: Problem, mine: Outcome, theirs: Outcome) -> LintIssue:
    """The error for a template whose two renders of ``problem`` differ, pointing at the first difference."""
    advice = (
        "a prompt must be a pure function of the problem (its hash is the request id, so a resumed run would pay "
        "again for every answer); print only the problem's values, not objects or sets"
    )
    if isinstance(mine, str) or isinstance(theirs, str):
        detail = f"one render failed and the other did not: {mine if isinstance(mine, str) else theirs}"
        message = f"renders differently in two processes on problem {problem.id} ({detail}); {advice}"
        return LintIssue(source.path, 0, "error", message)
    k = next((k for k, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b), min(len(mine), len(theirs)))
    line = source.sections[k].first_line if k < len(source.sections) else 0
    a = mine[k]["content"] if k < len(mine) else ""
    b = theirs[k]["content"] if k < len(theirs) else ""
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    role = mine[k]["role"] if k < len(mine) else theirs[k]["role"]
    return LintIssue(
        source.path,
        line,
        "error",
        f"renders differently in two processes on problem {problem.id}: the {role} message (from line {line}) "
        f"differs from character {i}: {a[max(0, i - 20) : i + 40]!r} vs {b[max(0, i - 20) : i + 40]!r}; {advice}",
    )
