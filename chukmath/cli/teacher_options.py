"""The teacher options of ``chukmath teach``, ``build`` and ``eval``, made from the teacher specs.

Each setting of a provider's spec (:mod:`chukmath.teach.specs`) becomes ``--name`` (its short flag, help text and
defaults from the spec's field), so a field added to a spec is offered by every command that offers the provider,
without editing the commands. A command says which providers it offers and how it words defaults; the options given
come back as a :class:`TeacherChoice` (the kind and the settings given, by field name) in place of its ``teacher``
parameter.

Example::

    OPTIONS = TeacherOptions(specs={"builtin": BuiltinSpec, "openai": OpenAISpec}, kind_default="builtin")

    def command(out: Path, teacher: TeacherChoice) -> None:
        spec = teacher.spec(OPTIONS.specs)

    app.command("x")(OPTIONS.attach(command))
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
import typer
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from chukmath.errors import ConfigError
from chukmath.teach.specs import BaseTeacherSpec

# The command's parameter that receives the TeacherChoice (typer never sees it).
CHOICE_PARAM = "teacher"


@dataclass(frozen=True)
class TeacherChoice:
    """What the teacher options of one invocation said: ``kind`` (``--teacher``; None when not given and the
    command has no default) and ``given``, the spec settings given on the command line by field name."""

    kind: str | None
    given: dict[str, Any]
    # Every offered setting's flag by field name (the flags given are the keys of ``given``).
    flags: dict[str, str] = field(default_factory=dict)
    kind_given: bool = False  # --teacher was on the command line

    def spec(self, specs: Mapping[str, type[BaseTeacherSpec]], **settings: Any) -> BaseTeacherSpec:
        """The spec of ``kind`` with ``settings`` under the settings given (validated); a bad value is named by its
        flag, a setting the kind does not have by the kinds that have it."""
        kind = self.kind or ""
        spec_type = specs.get(kind)
        if spec_type is None:
            raise ConfigError(f"--teacher {kind!r}: choose one of {', '.join(specs)}")
        values = {**settings, **self.given}
        for name in self.given:
            if name not in spec_type.model_fields:
                owners = [k for k, s in specs.items() if name in s.model_fields]
                raise ConfigError(f"{self.flag(name)} is a setting of the {', '.join(owners)} teacher, not of "
                                  f"--teacher {kind}")  # fmt: skip
        try:
            # The spec's own kind: a command may offer a provider under its own word (batch's openai is "batch").
            return spec_type.model_validate({**values, "kind": spec_type.model_fields["kind"].default})
        except ValidationError as exc:
            error = exc.errors()[0]
            name = str(error["loc"][0]) if error["loc"] else "kind"
            shown = f" {values[name]!r}" if name in values else ""
            raise ConfigError(f"{self.flag(name)}{shown}: {error['msg']}") from None

    def flag(self, name: str) -> str:
        """The flag of setting ``name`` (``--max-tokens`` for ``max_tokens``)."""
        return self.flags.get(name) or _flag_of(name)

    def argv(self, leave_out: Collection[str] = ()) -> list[str]:
        """The options given, as command-line words (a dataset card's reproduce line), less the settings named in
        ``leave_out``."""
        words: list[str] = []
        if self.kind is not None and self.kind_given:
            words += ["--teacher", self.kind]
        for name, value in self.given.items():
            if name in leave_out:
                continue
            for one in value if isinstance(value, list) else [value]:
                words += [self.flag(name), orjson.dumps(one).decode() if isinstance(one, dict) else str(one)]
        return words


@dataclass(frozen=True)
class TeacherOptions:
    """The teacher options one command offers: one ``--name`` for every setting of ``specs`` that one of them uses.

    ``kind_default``: ``--teacher`` when not given (None: not given). ``kind_help``: the command's words after the
    list of kinds. ``names``: a setting's flag where the command's own option has the setting's name (``build``'s
    ``--seed`` is the generation seed, so the teacher's is ``--teacher-seed``). ``skip``: settings the command does
    not use. ``defaults``: how a setting's default is shown (``"spec"``: the offered specs' defaults; anything else
    is said after every option, as ``build``'s ``(overrides [teacher] {name})``). ``notes``: a setting's default
    in the command's own words, in place of the spec's.
    """

    specs: Mapping[str, type[BaseTeacherSpec]]
    kind_default: str | None = None
    kind_help: str = ""
    names: Mapping[str, str] = field(default_factory=dict)
    skip: frozenset[str] = frozenset()
    defaults: str = "spec"
    notes: Mapping[str, str] = field(default_factory=dict)

    def settings(self) -> list[str]:
        """The settings offered, in the specs' field order (the base spec's first, then each provider's own)."""
        names: list[str] = []
        for spec in self.specs.values():
            for name in spec.model_fields:
                if name != "kind" and name not in names and name not in self.skip and self.users(name):
                    names.append(name)
        return names

    def users(self, name: str) -> list[str]:
        """The offered kinds that use setting ``name``: their spec has it and, for a setting every spec has, they
        answer in a way that uses it (``timeout``: through an API)."""
        found = []
        for kind, spec in self.specs.items():
            info = spec.model_fields.get(name)
            if info is None:
                continue
            modes = _cli_hint(spec, name).get("modes")
            if modes is None or spec.mode in modes:
                found.append(kind)
        return found

    def flag(self, name: str) -> str:
        return self.names.get(name) or _flag_of(name)

    def help_of(self, name: str) -> str:
        """The option's help: for which kinds (when not every one offered uses it), the spec's words, the default."""
        users = self.users(name)
        # The built-in teacher is left out of "which kinds": it has every base setting and uses almost none.
        others = [k for k in self.specs if k != "builtin"]
        prefix = ""
        if [k for k in users if k != "builtin"] != others:
            paid = [k for k, spec in self.specs.items() if spec.paid]
            prefix = "API teachers: " if users == paid and len(paid) > 2 else f"{', '.join(users)}: "
        text = prefix + _description(self.specs[users[0]], name)
        if self.defaults != "spec":
            return f"{text}  {self.defaults.format(name=name)}"
        default = self.notes.get(name) or _default_text(name, {k: self.specs[k] for k in users})
        return f"{text}  [default: {default}]" if default else text

    def parameters(self, taken: set[str]) -> list[inspect.Parameter]:
        """``--teacher`` and one keyword parameter per setting (typer options, default None: not given)."""
        kinds = ", ".join(self.specs)
        kind_help = f"Teacher: {kinds}{(' ' + self.kind_help) if self.kind_help else ''}."
        params = [_option(CHOICE_PARAM, str if self.kind_default is not None else str | None, self.kind_default,
                          ["--teacher"], kind_help, show_default=self.kind_default is not None)]  # fmt: skip
        for name in self.settings():
            flag = self.flag(name)
            param_name = flag.lstrip("-").replace("-", "_")
            if param_name in taken:
                raise RuntimeError(f"teacher setting {name!r} ({flag}) collides with the command's own option; name "
                                   "its flag in TeacherOptions(names=...)")  # fmt: skip
            short = _cli_hint(self.specs[self.users(name)[0]], name).get("short")
            flags = [flag, short] if short and short not in taken else [flag]
            params.append(_option(param_name, self._cli_type(name), None, flags, self.help_of(name)))
        return params

    def _cli_type(self, name: str) -> Any:
        kinds = {_plain_type(self.specs[k].model_fields[name]) for k in self.users(name)}
        if len(kinds) != 1:
            raise RuntimeError(f"teacher setting {name!r} has different types across specs: {kinds}")
        return kinds.pop() | None

    def choice(self, values: Mapping[str, Any]) -> TeacherChoice:
        """The :class:`TeacherChoice` of the options' values (as typer passed them, by parameter name)."""
        given: dict[str, Any] = {}
        flags: dict[str, str] = {}
        for name in self.settings():
            flag = self.flag(name)
            flags[name] = flag
            value = values.get(flag.lstrip("-").replace("-", "_"))
            if value is None or value == []:
                continue
            if self._is_json(name):
                value = json_object(value, flag)
            given[name] = value
        kind = values.get(CHOICE_PARAM)
        chosen = kind if kind is not None else self.kind_default
        return TeacherChoice(chosen, given, flags, kind_given=kind is not None and kind != self.kind_default)

    def _is_json(self, name: str) -> bool:
        info = self.specs[self.users(name)[0]].model_fields[name]
        return _origin_is(info.annotation, dict)

    def attach(self, command: Callable[..., Any]) -> Callable[..., Any]:
        """``command`` with these options in place of its ``teacher`` parameter, which receives the
        :class:`TeacherChoice` instead."""
        signature = inspect.signature(command, eval_str=True)
        # Keyword-only, so the options may sit among the command's own in any order (typer passes keywords).
        own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in signature.parameters.values()]
        at = [p.name for p in own].index(CHOICE_PARAM)
        taken = {p.name for p in own} - {CHOICE_PARAM}
        made = self.parameters(taken)
        made_names = [p.name for p in made]

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name) for name in made_names}
            return command(*args, **kwargs, **{CHOICE_PARAM: self.choice(values)})

        params = own[:at] + made + own[at + 1 :]
        wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        del wrapper.__wrapped__  # typer reads the signature above, not the command's
        return wrapper


def _option(name: str, annotation: Any, default: Any, flags: list[str], help_text: str, *,
            show_default: bool = False) -> inspect.Parameter:  # fmt: skip
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
        default=typer.Option(default, *flags, help=help_text, show_default=show_default),
    )  # fmt: skip


def _flag_of(name: str) -> str:
    return "--" + name.replace("_", "-")


def _cli_hint(spec: type[BaseTeacherSpec], name: str) -> dict[str, Any]:
    # A subclass that changes a setting's default keeps the base spec's hints (and words, _description).
    for klass in spec.__mro__:
        info = getattr(klass, "model_fields", {}).get(name)
        if isinstance(info, FieldInfo) and isinstance(info.json_schema_extra, dict):
            hint = info.json_schema_extra.get("x-cli")
            if isinstance(hint, dict):
                return hint
    return {}


def _description(spec: type[BaseTeacherSpec], name: str) -> str:
    for klass in spec.__mro__:
        info = getattr(klass, "model_fields", {}).get(name)
        if isinstance(info, FieldInfo) and info.description:
            return info.description
    raise RuntimeError(f"{spec.__name__}.{name} has no description; give it Field(description=...) (its --help)")


def _default_text(name: str, specs: Mapping[str, type[BaseTeacherSpec]]) -> str:
    """Each spec's default, once per value (the first kind's plainly, others by kind); empty when there is none."""
    if name == "base_url":
        shown = {k: f"env {s.url_env}, else {s.default_url}" for k, s in specs.items()}
    elif name == "api_key_env":
        shown = {k: s.key_env for k, s in specs.items()}
    else:
        shown = {k: _shown(s.model_fields[name]) for k, s in specs.items()}
    kinds = list(shown)
    base = shown[kinds[0]]
    parts = [base] if base else []
    for kind in kinds[1:]:
        text = shown[kind]
        if text and text != base and not any(p.endswith(f": {text}") for p in parts):
            parts.append(f"{kind}: {text}")
    return "; ".join(parts)


def _shown(info: FieldInfo) -> str:
    if info.default_factory is not None or info.default in (None, ""):
        return ""
    return str(info.default)


def _plain_type(info: FieldInfo) -> Any:
    """The command-line type of a spec field: its type without None, a list of strings where one is allowed (a
    repeatable option), text for a JSON object and a choice of words."""
    annotation = info.annotation
    members = typing.get_args(annotation) if _is_union(annotation) else (annotation,)
    members = tuple(m for m in members if m is not type(None))
    if any(_origin_is(m, list) for m in members):
        return list[str]
    if len(members) != 1:
        raise RuntimeError(f"no command-line type for {annotation!r}")
    (only,) = members
    if _origin_is(only, dict) or typing.get_origin(only) is typing.Literal:
        return str
    if only in (str, int, float, bool):
        return only
    raise RuntimeError(f"no command-line type for {annotation!r}")


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _origin_is(annotation: Any, kind: type) -> bool:
    return annotation is kind or typing.get_origin(annotation) is kind


def json_object(raw: str, flag: str) -> dict[str, Any]:
    """A JSON object given on the command line (``--extra-body '{"top_k": 20}'``)."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ConfigError(f"{flag}: not valid JSON ({exc}); example: {flag} '{{\"top_k\": 20}}'") from None
    if not isinstance(value, dict):
        raise ConfigError(f"{flag}: must be a JSON object, e.g. '{{\"reasoning_effort\": \"low\"}}'")
    return value


__all__ = ["TeacherChoice", "TeacherOptions", "json_object"]
