"""Split a template file into its TOML front matter and its chat-message sections, keeping line numbers.

File layout (documented in templates/README.md)::

    {#---
    name = "step_by_step"
    description = "..."
    variables = ["question", "answer"]
    tags = ["think", "answer", "verifier_answer"]
    reveals_answer = true
    ---#}
    {#- role: system -#}
    You are ...
    {#- role: user -#}
    Solve {{ question }} ...

The front matter is a Jinja comment, so the file stays valid Jinja. Without role markers the whole body is
one user message. A file without front matter (a plain Jinja template a user already has) gets defaults, see
plain_meta; ``TemplateSource.assumed`` then says what was assumed.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError

from chukmath.errors import TemplateFileError
from chukmath.render.checks import answer_lines, used_variables
from chukmath.render.environment import ROLES, TEMPLATE_VARIABLES, make_environment

FRONT_OPEN = "{#---"
FRONT_CLOSE = "---#}"
DEFAULT_TAGS: tuple[str, ...] = ("think", "answer", "verifier_answer")
ROLE_MARKER = re.compile(r"^\s*\{#-?\s*role\s*:\s*([A-Za-z_]+)\s*-?#\}\s*$")
_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_META_KEYS = ("name", "description", "variables", "tags", "reveals_answer")
# A prompt template is text a person writes; anything near this size is a mistake (or not a template).
MAX_TEMPLATE_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class TemplateMeta:
    """What a template declares about itself in its front matter."""

    name: str
    description: str
    variables: tuple[str, ...]
    tags: tuple[str, ...]
    reveals_answer: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "variables": list(self.variables),
            "tags": list(self.tags),
            "reveals_answer": self.reveals_answer,
        }


@dataclass(frozen=True, slots=True)
class Section:
    """One chat message's template text; ``first_line`` is the 1-based file line its text starts on."""

    role: str
    first_line: int
    text: str

    def padded(self) -> str:
        """The text preceded by blank lines, so Jinja's line numbers are line numbers in the file."""
        return "\n" * (self.first_line - 1) + self.text


@dataclass(frozen=True, slots=True)
class TemplateSource:
    """A parsed template file: normalised text, metadata, and the message sections in order."""

    path: Path
    text: str
    meta: TemplateMeta
    meta_line: int
    sections: tuple[Section, ...]
    assumed: tuple[str, ...] = ()  # for a file without front matter: the defaults taken, one line each


def read_template_text(path: Path) -> str:
    """The file's text with newlines normalised the way Jinja counts lines (``\\r\\n``/``\\r`` -> ``\\n``)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TemplateFileError(path, 0, f"cannot read template ({exc.strerror})") from None
    if len(raw) > MAX_TEMPLATE_BYTES:
        raise TemplateFileError(path, 0, f"template is larger than {MAX_TEMPLATE_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TemplateFileError(path, line, "not valid UTF-8; save the template as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_template_source(path: Path, text: str | None = None) -> TemplateSource:
    """Parse front matter and role sections of ``path`` (or of ``text`` if given); errors name file:line."""
    if text is None:
        text = read_template_text(path)
    lines = text.split("\n")
    if lines[0].strip() != FRONT_OPEN:
        late = next((i for i, line in enumerate(lines) if line.strip() == FRONT_OPEN), None)
        if late is not None:  # else its TOML would be a silently ignored comment
            raise TemplateFileError(
                path, late + 1, f"front matter must start on the first line; move this '{FRONT_OPEN}' block to the top"
            )
        sections = _split_sections(path, lines, body_start=0)
        meta = plain_meta(path.stem, sections)
        return TemplateSource(path, text, meta, meta_line=1, sections=sections, assumed=(_assumed(meta),))
    close = next((i for i in range(1, len(lines)) if lines[i].strip() == FRONT_CLOSE), None)
    if close is None:
        raise TemplateFileError(path, 1, f"front matter opened here is never closed by a '{FRONT_CLOSE}' line")
    meta = _parse_meta(path, "\n".join(lines[1:close]), expected_name=path.stem)
    sections = _split_sections(path, lines, body_start=close + 1)
    return TemplateSource(path=path, text=text, meta=meta, meta_line=2, sections=sections)


def plain_meta(name: str, sections: Sequence[Section]) -> TemplateMeta:
    """The metadata of a template without front matter: its file name, no description, the variables it
    reads, the default tags, and ``reveals_answer`` true exactly when it reads the answer (``answer``,
    ``problem.answer``, ``meta.answer_*``): one that never does is rendered answer-blind, so not even
    ``{{ problem }}`` shows the answer."""
    env = make_environment()
    used: set[str] = set()
    reads_answer = False
    for section in sections:
        try:
            ast = env.parse(section.padded())
        except TemplateSyntaxError:
            continue  # compiling reports it, with its line
        used.update(used_variables(ast))
        reads_answer = reads_answer or bool(answer_lines(ast))
    return TemplateMeta(
        name=name,
        description="",
        variables=tuple(v for v in TEMPLATE_VARIABLES if v in used),
        tags=DEFAULT_TAGS,
        reveals_answer=reads_answer,
    )


def _assumed(meta: TemplateMeta) -> str:
    """The lint note for a template without front matter: the defaults it is rendered with."""
    why = "it reads the answer" if meta.reveals_answer else "it never reads the answer"
    return (
        f"no front matter; assumed name = {json.dumps(meta.name)}, description = \"\", variables = "
        f"{json.dumps(list(meta.variables))} (the ones it reads), tags = {json.dumps(list(meta.tags))}, "
        f"reveals_answer = {str(meta.reveals_answer).lower()} ({why}); to state them, begin the file with a "
        f"'{FRONT_OPEN}' ... '{FRONT_CLOSE}' block (templates/README.md)"
    )


def _parse_meta(path: Path, toml_text: str, expected_name: str) -> TemplateMeta:
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_LINE.search(message)
        # TOML line 1 is file line 2 (the line after the opening marker); "at end of document" is the last.
        line = int(found.group(1)) + 1 if found else toml_text.count("\n") + 2
        detail = _TOML_LINE.sub("", message).replace("(at end of document)", "at the end of the front matter")
        detail = detail.strip()
        raise TemplateFileError(path, line, f"front matter is not valid TOML: {detail}") from None

    def fail(key: str, detail: str) -> TemplateFileError:
        return TemplateFileError(path, _key_line(toml_text, key), f"front matter '{key}': {detail}")

    unknown = sorted(set(data) - set(_META_KEYS))
    if unknown:
        raise fail(unknown[0], f"unknown key; allowed keys are {', '.join(_META_KEYS)}")
    for key in ("name", "description", "variables", "reveals_answer"):
        if key not in data:
            raise TemplateFileError(
                path,
                2,
                f"front matter is missing '{key}' (required: {', '.join(_META_KEYS[:3])}, "
                "reveals_answer; optional: tags)",
            )
    name, description = data["name"], data["description"]
    if not isinstance(name, str) or not _NAME.match(name):
        raise fail("name", "must be a name of letters, digits, '_', '-' or '.'")
    if name != expected_name:
        raise fail("name", f"is {name!r} but the file is {expected_name!r}.jinja; make them the same")
    if not isinstance(description, str) or not description.strip():
        raise fail("description", "must be a non-empty string")
    variables = _string_list(data["variables"], lambda d: fail("variables", d))
    bad = [v for v in variables if v not in TEMPLATE_VARIABLES]
    if bad:
        raise fail("variables", f"unknown variable {bad[0]!r}; templates can use {', '.join(TEMPLATE_VARIABLES)}")
    tags = _string_list(data.get("tags", list(DEFAULT_TAGS)), lambda d: fail("tags", d))
    if not isinstance(data["reveals_answer"], bool):
        raise fail("reveals_answer", "must be true or false")
    return TemplateMeta(
        name=name,
        description=description.strip(),
        variables=tuple(variables),
        tags=tuple(tags),
        reveals_answer=data["reveals_answer"],
    )


def _string_list(value: object, fail: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail('must be a list of strings, e.g. ["question", "answer"]')
    return list(value)


def _key_line(toml_text: str, key: str) -> int:
    """File line of ``key = ...`` in the front matter (best effort; line 2 if not found)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number, line in enumerate(toml_text.split("\n"), start=2):
        if pattern.match(line):
            return number
    return 2


def _split_sections(path: Path, lines: list[str], body_start: int) -> tuple[Section, ...]:
    markers: list[tuple[int, str]] = []
    for i in range(body_start, len(lines)):
        found = ROLE_MARKER.match(lines[i])
        if found:
            role = found.group(1)
            if role not in ROLES:
                raise TemplateFileError(path, i + 1, f"unknown role {role!r}; use one of {', '.join(ROLES)}")
            markers.append((i, role))
    if not markers:
        sections = [Section("user", body_start + 1, "\n".join(lines[body_start:]))]
    else:
        stray = next((i for i in range(body_start, markers[0][0]) if lines[i].strip()), None)
        if stray is not None:
            raise TemplateFileError(
                path,
                stray + 1,
                f"text before the first role marker (line {markers[0][0] + 1}) belongs to no message; "
                "move it below a '{#- role: ... -#}' line",
            )
        sections = []
        for k, (i, role) in enumerate(markers):
            end = markers[k + 1][0] if k + 1 < len(markers) else len(lines)
            sections.append(Section(role, i + 2, "\n".join(lines[i + 1 : end])))
    for section in sections:
        if not section.text.strip():
            raise TemplateFileError(
                path, section.first_line - 1 if markers else section.first_line, f"the {section.role} message is empty"
            )
    if not any(s.role == "user" for s in sections):
        raise TemplateFileError(path, markers[0][0] + 1, "a template needs at least one user message")
    return tuple(sections)
