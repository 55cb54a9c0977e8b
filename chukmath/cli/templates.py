"""``chukmath templates list|show|render|lint`` and ``chukmath prompts``: thin wrappers over chukmath.render."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from chukmath.errors import ConfigError, TemplateError
from chukmath.hashing import content_hash
from chukmath.outpath import check_output
from chukmath.records import Message, Problem
from chukmath.render import (
    BUILTIN_ORIGIN,
    PromptTemplate,
    TemplateLibrary,
    builtin_template_dir,
    find_problem,
    lint_paths,
    write_requests,
)

TemplatesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--templates",
        metavar="DIR",
        help="A folder of *.jinja templates searched before the built-ins (repeatable; earlier wins).",
        file_okay=False,
    ),
]
SystemOpt = Annotated[
    str | None,
    typer.Option(
        "--system", metavar="TEXT", help="System message text: replaces the template's system message, or is prepended."
    ),
]

templates_app = typer.Typer(
    name="templates",
    help=(
        "List, inspect, try out and check prompt templates.\n\n"
        "Example: chukmath templates render step_by_step --question 'What is 2 + 3?' --expression '2 + 3' "
        "--answer 5"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@templates_app.command("list")
def list_templates(templates: TemplatesOpt = None) -> None:
    """List the templates on the search path and where each comes from.

    Example: chukmath templates list --templates my_prompts
    """
    library = TemplateLibrary(templates or [])
    rows: list[tuple[str, str, str]] = []
    for entry in library.list():
        try:
            found = library.get(entry.name)
            description = found.meta.description or ("(no front matter)" if found.source.assumed else "")
        except TemplateError as exc:
            description = f"BROKEN: {exc}"
        origin = entry.origin if entry.origin == BUILTIN_ORIGIN else str(entry.path)
        if entry.shadows:
            hidden = ", ".join(str(p) for p in entry.shadows)
            origin += f" (overrides {hidden})"
        rows.append((entry.name, origin, description))
    name_w = max((len(r[0]) for r in rows), default=4)
    origin_w = max((len(r[1]) for r in rows), default=6)
    typer.echo(f"{'NAME':<{name_w}}  {'SOURCE':<{origin_w}}  DESCRIPTION")
    for name, origin, description in rows:
        typer.echo(f"{name:<{name_w}}  {origin:<{origin_w}}  {description}")


@templates_app.command("show")
def show_template(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Template name (or a path to a .jinja file).")],
    templates: TemplatesOpt = None,
) -> None:
    """Print a template's metadata, its file and its source text.

    Example: chukmath templates show answer_blind
    """
    template = TemplateLibrary(templates or []).get(name)
    meta = template.meta
    roles = ", ".join(s.role for s in template.source.sections)
    typer.echo(f"name:           {meta.name}")
    typer.echo(f"source:         {template.source_path} ({template.origin})")
    typer.echo(f"hash:           {template.hash}")
    typer.echo(f"description:    {meta.description}")
    typer.echo(f"variables:      {', '.join(meta.variables)}")
    typer.echo(f"tags:           {', '.join(meta.tags)}")
    typer.echo(f"reveals_answer: {str(meta.reveals_answer).lower()}")
    typer.echo(f"messages:       {roles}")
    for note in template.source.assumed:
        typer.echo(f"defaults:       {note}")
    typer.echo("")
    typer.echo(template.source.text.rstrip("\n"))


@templates_app.command("render")
def render_template(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Template name (or a path to a .jinja file).")],
    templates: TemplatesOpt = None,
    question: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Problem text (with --expression and --answer).")
    ] = None,
    expression: Annotated[
        str | None, typer.Option(metavar="EXPR", help="The problem's expression, e.g. '2 + 3'.")
    ] = None,
    answer: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="The exact answer, e.g. '5' or '3/4' (not needed for an answer-blind one)."),
    ] = None,
    meta: Annotated[
        str | None, typer.Option(metavar="JSON", help='Problem meta as JSON, e.g. \'{"unit": "km"}\'.')
    ] = None,
    problems: Annotated[
        Path | None, typer.Option(metavar="FILE", help="A problems JSONL file (with --index).", dir_okay=False)
    ] = None,
    index: Annotated[
        int | None, typer.Option(metavar="I", help="Render the problem whose 'index' field is this.")
    ] = None,
    system: SystemOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the messages as a JSON list.")] = False,
) -> None:
    """Render a template for one problem and print the chat messages.

    Give the problem inline (--question, --expression, --answer, optionally --meta) or pick it from a problems
    file by its index.

    Examples: chukmath templates render step_by_step --question 'What is 2 + 3?' --expression '2 + 3' --answer 5

    chukmath templates render word_problem --problems problems.jsonl --index 3 --json
    """
    template = TemplateLibrary(templates or []).get(name)
    if answer is None and problems is None and not template.meta.reveals_answer:
        answer = ""  # an answer-blind template never shows it, so there is no need to type one
    problem = _cli_problem(question, expression, answer, meta, problems, index)
    messages = template.render(problem, system)
    _warn_dropped_tags(template, system)
    if as_json:
        typer.echo(json.dumps(messages, ensure_ascii=False, indent=2))
        return
    typer.echo("\n\n".join(_format_message(m) for m in messages))


def _warn_dropped_tags(template: PromptTemplate, system: str | None) -> None:
    """Say so when --system replaces the only message that told the teacher which tags to write."""
    dropped = template.tags_dropped_by(system) if system is not None else []
    if dropped:
        tags = ", ".join(f"<{t}>" for t in dropped)
        typer.echo(
            f"warning: --system replaces the system message of template '{template.name}', the only one that asks "
            f"for {tags}; say in your --system text how to answer, or the verifier will reject the answers",
            err=True,
        )


def _format_message(message: Message) -> str:
    return f"--- {message['role']} ---\n{message['content']}"


def _cli_problem(
    question: str | None,
    expression: str | None,
    answer: str | None,
    meta: str | None,
    problems: Path | None,
    index: int | None,
) -> Problem:
    """The problem to render: given inline (--question/--expression/--answer) or picked from a file."""
    inline = (question, expression, answer)
    if problems is not None:
        if any(v is not None for v in (*inline, meta)):
            raise ConfigError("give either --problems FILE --index I, or --question/--expression/--answer, not both")
        if index is None:
            raise ConfigError("--problems needs --index I (the problem's 'index' field)")
        return find_problem(problems, index)
    if index is not None:
        raise ConfigError("--index needs --problems FILE")
    missing = [flag for flag, v in zip(("--question", "--expression", "--answer"), inline, strict=True) if v is None]
    if missing:
        raise ConfigError(f"missing {', '.join(missing)}; or use --problems FILE --index I")
    meta_dict: dict[str, Any] = {}
    if meta is not None:
        try:
            meta_dict = orjson.loads(meta)
        except orjson.JSONDecodeError as exc:
            raise ConfigError(f"--meta: not valid JSON ({exc})") from None
        if not isinstance(meta_dict, dict):
            raise ConfigError('--meta: must be a JSON object, e.g. \'{"unit": "km"}\'')
    assert question is not None and expression is not None and answer is not None
    return Problem(
        id=content_hash({"question": question, "expression": expression, "answer": answer}),
        generator="cli",
        difficulty=1,
        seed=0,
        index=0,
        question=question,
        expression=expression,
        answer=answer,
        meta=meta_dict,
    )


@templates_app.command("lint")
def lint_templates(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PATH", help="Template files or folders (default: the built-ins and --templates)."),
    ] = None,
    templates: TemplatesOpt = None,
) -> None:
    """Check templates before a paid run: each finding is printed as path:line: severity: message.

    Errors: syntax, front matter, unknown variables/filters/problem fields, unsafe access, an answer-blind
    template reading the answer, a sample render that fails, or one that comes out different when rendered
    again in another process. Warnings: tags the prompt never asks for, variables used but not declared (or
    declared but unused). Notes: the defaults assumed for a template without front matter. Exits 1 if there is
    any error, 0 with warnings and notes only.

    Example: chukmath templates lint my_prompts/
    """
    targets = list(paths or []) or [*(templates or []), builtin_template_dir()]
    issues = lint_paths(targets)
    for issue in issues:
        typer.echo(str(issue))
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = sum(1 for i in issues if i.severity == "warning")
    notes = len(issues) - errors - warnings
    typer.echo(f"{errors} error(s), {warnings} warning(s)" + (f", {notes} note(s)" if notes else ""), err=True)
    if errors:
        raise typer.Exit(1)


def prompts(
    problems: Annotated[
        Path,
        typer.Option(
            metavar="FILE|DIR|NAME",
            help="Problems JSONL (from `chukmath generate`), or your own: a JSONL or Parquet file, a datasets folder "
            "(save_to_disk or data files) or a Hub dataset name, read with --question-col/--answer-col.",
        ),
    ],
    template: Annotated[str, typer.Option(metavar="NAME", help="Template name (or a path to a .jinja file).")],
    out: Annotated[str, typer.Option(metavar="FILE", help="Requests JSONL to write ('-' for stdout).")],
    templates: TemplatesOpt = None,
    system: SystemOpt = None,
    question_col: Annotated[str, typer.Option("--question-col", help="Question column of your problems.")] = "question",
    answer_col: Annotated[str, typer.Option("--answer-col", help="Answer column of your problems.")] = "answer",
    id_col: Annotated[str, typer.Option("--id-col", help="Id column (default: a hash of question and answer).")] = "",
    answer_format: Annotated[
        str, typer.Option("--answer-format", help="auto, gsm8k (#### 72), boxed (\\boxed{...}) or plain.")
    ] = "auto",
    split: Annotated[str, typer.Option("--split", help="Split of a datasets source (default train).")] = "",
    family_name: Annotated[str, typer.Option("--family-name", help="generator of your problems.")] = "custom",
) -> None:
    """Render one teacher request per problem into a JSONL file.

    Each line is {"id", "problem_id", "template", "template_hash", "messages"}; "id" is the content hash of the
    messages, so it is the same on every run. The file appears only when complete.

    Example: chukmath prompts --problems problems.jsonl --template step_by_step --out requests.jsonl

    Your own problems (rows whose answer cannot be read are listed in source_rejects.jsonl beside --out):

    \b
      chukmath prompts --problems gsm8k.jsonl --answer-format gsm8k --template step_by_step --out requests.jsonl
      chukmath prompts --problems math.parquet --question-col problem --answer-col solution --template step_by_step \\
          --out requests.jsonl
    """
    if system is not None and not system.strip():
        raise ConfigError("--system: the system text is empty; leave the option out to keep the template's own")
    check_output(out)
    if out != "-" and os.path.realpath(out) == os.path.realpath(problems):
        raise ConfigError(f"--out {out} is the --problems file; write the requests to another file")
    chosen = TemplateLibrary(templates or []).get(template)  # a broken template fails here, before any request
    _warn_dropped_tags(chosen, system)
    from chukmath.sources import SourceSpec
    from chukmath.sources.requests import is_problem_file, write_source_requests

    spec = SourceSpec(str(problems), question_col, answer_col, id_col, "", answer_format, split, family_name)
    if spec == SourceSpec(str(problems)) and is_problem_file(problems):
        count = write_requests(problems, chosen, out, system)
    else:
        count, source = write_source_requests(spec, chosen, out, system)
        listed = source.write_rejects(Path(out).parent) if out != "-" else None
        if source.rejects:
            print(f"{len(source.rejects)} row(s) of {problems} skipped" + (f", listed in {listed}" if listed else ""),
                  file=sys.stderr)
    print(f"wrote {count} requests to {out} (template {chosen.name}, hash {chosen.hash})", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add ``templates`` (sub-commands) and ``prompts`` to ``app``."""
    app.add_typer(templates_app, name="templates")
    app.command("prompts")(prompts)
