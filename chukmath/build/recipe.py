"""The build recipe: one TOML file that says what dataset to make, validated strictly before any work starts."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from chukmath.errors import ConfigError, InputError
from chukmath.hashing import content_hash
from chukmath.teach.specs import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_S, SPECS, BuiltinSpec, TeacherSpec

# A [source] recipe without count: every row (the build sets count to the rows read).
ALL_ROWS = 10**10
# The family_templates() key of the one template a [source] recipe renders every problem with.
ANY_FAMILY = "*"

# Settings that change how fast or how a run is carried out, or what it reports, never which answers come out. They
# are left out of the fingerprint, so a run may be resumed with a different concurrency, against an endpoint on a
# new port, or with corrected prices (stats.json and the card are rewritten by every run). A local model's batch size
# and device are its pace.
OPERATIONAL_TEACHER_KEYS = frozenset(
    {"concurrency", "timeout", "max_retries", "rpm", "tpm", "base_url", "api_key_env", "poll_interval", "price_in",
     "price_out", "batch_size", "device"}
)
# What the fingerprint left out before count and the prices left it (run directories made then still resume).
_LEGACY_OPERATIONAL_KEYS = OPERATIONAL_TEACHER_KEYS - {"price_in", "price_out"}


class _Strict(BaseModel):
    # strict: a TOML string where a number or a boolean belongs ("10", "yes") is an error, not silently converted;
    # TOML's inf and nan are refused too (a timeout or a price of inf is never meant).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class PromptSection(_Strict):
    """Which template renders the teacher prompt (one per family may be set in ``[[mix]]``)."""

    template: str = "step_by_step"
    templates_dirs: list[str] = Field(default_factory=list)
    system: str = ""


class VerifySection(_Strict):
    """Which reasons reject a response and which accepted responses per problem are kept."""

    policy: str = "all"
    keep: Literal["first", "all"] = "first"
    max_per_problem: int | None = Field(None, ge=1, le=64)
    language: str = "en"
    tolerance: str = "asked"  # see chukmath.verify.tolerance: "asked", "abs:X", "rel:X" or "digits:N"

    @field_validator("policy")
    @classmethod
    def _known_reasons(cls, value: str) -> str:
        from chukmath.verify import Policy

        try:
            Policy.from_spec(value)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        from chukmath.verify import LANGUAGE_SCRIPTS

        if value not in LANGUAGE_SCRIPTS:
            raise ValueError(f"language '{value}' is not supported; use one of {', '.join(sorted(LANGUAGE_SCRIPTS))}")
        return value

    @field_validator("tolerance")
    @classmethod
    def _known_tolerance(cls, value: str) -> str:
        from chukmath.verify.tolerance import Tolerance

        try:
            Tolerance.from_spec(value)
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return value


class OutputSection(_Strict):
    """The shape of the chat rows in train.jsonl, the file format of the splits and the dataset card's license."""

    user_turn: Literal["question", "prompt"] = "question"
    system: str = ""
    strip_verifier_answer: bool = False
    # parquet: the splits also as sharded Parquet under data/ (Hub file names), which the card's configs point at.
    format: str = "jsonl"  # a name of chukmath.formats.FORMATS
    # A Hugging Face license id for the card's YAML; the teacher model's terms may call for another.
    license: str = Field("apache-2.0", min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9.+-]*$")

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        from chukmath.formats import get_format

        try:
            get_format(value, "[output] format")
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return value


class SplitSection(_Strict):
    """``[split]``: hold out a test split (``test = 0.1`` or ``test_count = 500``) with no question or expression
    shared with train (:mod:`chukmath.split`); without it everything is train, as before."""

    test: float | None = Field(None, gt=0.0, lt=1.0)
    test_count: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _one_needed(self) -> SplitSection:
        if self.test is None and self.test_count is None:
            raise ValueError("[split] needs test = <fraction, e.g. 0.1> or test_count = <problems, e.g. 500>")
        return self


class JudgeSection(_Strict):
    """``[judge]``: a judge model decides the final answers the rules cannot read (``unparseable``), as R1's
    generative reward did (:mod:`chukmath.judge`). Off without the table."""

    base_url: str = Field(min_length=1)
    model: str = Field(min_length=1)
    api_key_env: str = "OPENAI_API_KEY"
    # A format string with {question}, {expected} and {answer}; empty = chukmath.judge.DEFAULT_PROMPT.
    prompt: str = ""
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(1024, ge=1)
    concurrency: int = Field(8, ge=1, le=1024)
    timeout: float = Field(DEFAULT_TIMEOUT_S, gt=0.0)
    max_retries: int = Field(DEFAULT_MAX_RETRIES, ge=0, le=100)

    @field_validator("prompt")
    @classmethod
    def _prompt_fields(cls, value: str) -> str:
        from chukmath.judge import check_prompt

        if value:
            try:
                check_prompt(value)
            except ConfigError as exc:
                raise ValueError(str(exc)) from None
        return value


class SourceSection(_Strict):
    """``[source]``: your own problems instead of ``[[mix]]`` (:mod:`chukmath.sources`): a JSONL or Parquet file,
    a ``datasets`` folder (``save_to_disk`` or data files) or a Hub dataset name, and how its columns are read."""

    path: str = Field(min_length=1)
    question_col: str = Field("question", min_length=1)
    answer_col: str = Field("answer", min_length=1)
    id_col: str = ""
    difficulty_col: str = ""
    answer_format: Literal["auto", "gsm8k", "boxed", "plain"] = "auto"
    split: str = ""
    family_name: str = Field("custom", min_length=1, max_length=100)
    # Set by the build from the rows read (chukmath.sources): the run holds these problems, wherever the file lies.
    rows_digest: str = ""


class BuildRecipe(_Strict):
    """A validated build recipe. ``mix`` keeps the generator tables; ``chukmath.generate`` validates them."""

    name: str = Field(min_length=1, max_length=200)
    count: int = Field(ge=1, le=10**10)
    seed: int = 0
    description: str = ""
    mix: list[dict[str, Any]] = Field(default_factory=list)
    # Your own problems instead of [[mix]]; without count, every row of it.
    problem_source: SourceSection | None = Field(None, alias="source")  # [source] (.source is the recipe file)
    prompt: PromptSection = Field(default_factory=PromptSection)
    # Who answers: one of the provider specs of chukmath.teach.specs, chosen by [teacher] kind.
    teacher: TeacherSpec = Field(default_factory=BuiltinSpec)
    verify: VerifySection = Field(default_factory=VerifySection)
    output: OutputSection = Field(default_factory=OutputSection)
    # Which problems are held out for test. Like [verify] and [output] it decides only where rows go, never which
    # answers are bought, so it is outside the fingerprint.
    split: SplitSection | None = None
    # A judge for unparseable answers: like [verify] it only decides which journaled answers are kept (a rerun
    # judges again from judge.jsonl), so it is outside the fingerprint.
    judge: JudgeSection | None = None
    # Where the recipe came from, so later checks (templates, generator mix) can name the file and line.
    _source: str = PrivateAttr("<recipe>")
    _text: str | None = PrivateAttr(None)

    @property
    def source(self) -> str:
        """The recipe file (or a label) this recipe was read from."""
        return self._source

    @property
    def text(self) -> str | None:
        """The recipe file's TOML text, when it was read from one."""
        return self._text

    def where(self, *loc: str | int) -> str:
        """``file:line`` of the key at ``loc`` (``"teacher", "model"``; ``"mix", 0, "template"``), else ``file``."""
        line = key_line(self._text, loc) if self._text is not None else None
        return f"{self._source}:{line}" if line else self._source

    @model_serializer(mode="wrap")
    def _without_absent_split(self, handler: Any) -> dict[str, Any]:
        # A recipe without [split] dumps (manifest.json) exactly as before the table existed.
        data = handler(self)
        if isinstance(data, dict) and "problem_source" in data:
            data["source"] = data.pop("problem_source")  # the TOML table's name: dumps read back as recipes
        for table in ("split", "judge", "source"):
            if isinstance(data, dict) and data.get(table, 0) is None:
                del data[table]
        return data

    @model_validator(mode="before")
    @classmethod
    def _source_count(cls, data: Any) -> Any:
        if isinstance(data, dict) and "source" in data and "count" not in data:
            data = dict(data, count=ALL_ROWS)  # every row: the build cuts it to the source's size
        return data

    @model_validator(mode="after")
    def _mix_or_source(self) -> BuildRecipe:
        if self.problem_source is None and not self.mix:
            raise ValueError("a recipe needs [[mix]] tables (generated problems) or a [source] table (your own)")
        if self.problem_source is not None and self.mix:
            raise ValueError("give [[mix]] tables or a [source] table, not both")
        return self

    @field_validator("mix")
    @classmethod
    def _mix_tables(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for number, entry in enumerate(value, 1):
            if not isinstance(entry.get("generator"), str) or not entry["generator"]:
                raise ValueError(f'[[mix]] table {number} needs generator = "<family name>"')
            if "template" in entry and not isinstance(entry["template"], str):
                raise ValueError(f"[[mix]] table {number}: template must be a template name (a string)")
        return value

    def family_templates(self) -> dict[str, str]:
        """Template name for each generator family: the ``[[mix]]`` table's own, else ``[prompt].template``."""
        chosen: dict[str, str] = {}
        if self.problem_source is not None:
            return {ANY_FAMILY: self.prompt.template}  # one template for every row of the source
        for number, entry in enumerate(self.mix, 1):
            family = entry["generator"]
            name = entry.get("template") or self.prompt.template
            if chosen.get(family, name) != name:
                raise ConfigError(
                    f"recipe '{self.name}': [[mix]] table {number} gives generator '{family}' template '{name}' "
                    f"but an earlier table gave it '{chosen[family]}'; one template per generator"
                )
            chosen[family] = name
        return chosen

    def generator_mix(self) -> list[dict[str, Any]]:
        """The ``[[mix]]`` tables as the generator expects them (the build-only ``template`` key removed)."""
        return [{k: v for k, v in entry.items() if k != "template"} for entry in self.mix]

    def fingerprint(self, template_hashes: dict[str, str]) -> str:
        """Hash of everything that decides what problem *i* and its sample look like.

        ``count`` is left out: problem *i* is a pure function of (recipe, seed, i), so a run at another count is
        the same run made longer or shorter, and may reuse every answer the journal holds. Operational settings
        (concurrency, timeouts, endpoint address), the description, the teacher's ``samples`` (sample *k* is asked
        on its own, so more samples only add answers) and the ``[verify]``, ``[output]`` and ``[split]`` tables are
        left out too: those decide only which journaled answers are kept, where and how rows look, and every run
        re-verifies the whole journal and rewrites train/test/rejects/stats, so answers already paid for are
        judged again under a new policy instead of being bought again.
        """
        return content_hash(self._identity(template_hashes, _CURRENT))

    def fingerprint_with_outputs(self, template_hashes: dict[str, str]) -> str:
        """The fingerprint of run directories made while ``[verify]`` and ``[output]`` were part of it."""
        return content_hash(self._identity(template_hashes, _WITH_OUTPUTS))

    def legacy_fingerprint(self, template_hashes: dict[str, str]) -> str:
        """The fingerprint of run directories made before ``count`` and the prices left it (so they still resume)."""
        return content_hash(self._identity(template_hashes, _LEGACY))

    def _identity(self, template_hashes: dict[str, str], definition: str) -> dict[str, Any]:
        return _identity_of(self.model_dump(mode="json"), template_hashes, definition)

    def differences(self, manifest: dict[str, Any], template_hashes: dict[str, str]) -> str:
        """What differs between this recipe and the run recorded in ``manifest``, for a refusal message."""
        recipe, hashes = manifest.get("recipe"), manifest.get("template_hashes")
        if not isinstance(recipe, dict) or not isinstance(hashes, dict):
            return ""
        try:
            theirs = _flatten(_identity_of(recipe, hashes))
        except (AttributeError, TypeError):
            return ""
        mine = _flatten(self._identity(template_hashes, _CURRENT))
        changed = []
        for key in sorted(set(mine) | set(theirs)):
            if mine.get(key) != theirs.get(key):
                label = key.removeprefix("recipe.")
                if key.startswith("templates.") or key == "recipe.mix":
                    changed.append(label)
                else:
                    changed.append(f"{label} ({theirs.get(key)!r} there, {mine.get(key)!r} here)")
        shown = ", ".join(changed[:6])
        return shown + (f" and {len(changed) - 6} more" if len(changed) > 6 else "")

    def with_overrides(self, *, teacher_settings: dict[str, Any] | None = None, **overrides: Any) -> BuildRecipe:
        """A copy with command-line overrides applied (``None`` means not given); re-validated.

        ``teacher`` is the kind; ``teacher_settings`` any settings of its spec by field name (``model``, ``base_url``,
        ``concurrency`` and ``trace_style`` may also be given by themselves). A setting the kind does not have is
        refused, naming the kinds that have it.
        """
        data = self.model_dump(mode="python")
        settings = {k: overrides.pop(k) for k in _TEACHER_SHORTHANDS if k in overrides}
        settings = {k: v for k, v in {**settings, **(teacher_settings or {})}.items() if v is not None}
        kind = overrides.get("teacher") or data["teacher"]["kind"]
        spec = SPECS.get(kind)
        for name in settings:
            if spec is not None and name not in spec.model_fields:
                owners = [k for k, s in SPECS.items() if name in s.model_fields]
                teachers = " and ".join(owners) + (" teacher" if len(owners) == 1 else " teachers")
                raise ConfigError(f"--{name.replace('_', '-')} is a setting of the {teachers}, not of kind '{kind}'")
        for key, value in overrides.items():
            if value is None:
                continue
            if key == "teacher" and value != data["teacher"]["kind"]:
                # Another provider: the settings the recipe gave that its spec has carry over; the old provider's own
                # ones and its defaults do not (the new one's defaults apply: a local model's differ).
                given = {k: v for k, v in data["teacher"].items() if k in self.teacher.model_fields_set}
                data["teacher"] = _switch_kind(given, value)
            elif key in ("count", "seed"):
                data[key] = value
            elif key in ("judge_model", "judge_base_url"):
                data["judge"] = dict(data.get("judge") or {}, **{key.removeprefix("judge_"): value})
            elif key == "source":
                # --source and its column flags: a given path replaces [[mix]]; columns alone adjust [source].
                if "path" in value:
                    data["mix"] = []
                elif data.get("source") is None:
                    raise ConfigError(f"{', '.join(value)}: these options read a [source]; give --source PATH too")
                data["source"] = dict(data.get("source") or {}, **value)
                if "path" in value and overrides.get("count") is None and self.problem_source is None:
                    data["count"] = ALL_ROWS  # a recipe's count was for its mix: take every row of the source
            else:
                raise ConfigError(f"unknown override '{key}'")
        data["teacher"].update(settings)
        changed = _validate(data, "command-line overrides")
        changed._source, changed._text = self._source, self._text
        return changed


# Teacher settings with_overrides takes by their own names (the rest come in teacher_settings).
_TEACHER_SHORTHANDS = ("model", "base_url", "concurrency", "trace_style")


def _switch_kind(teacher: dict[str, Any], kind: str) -> dict[str, Any]:
    spec = SPECS.get(kind)
    if spec is None:
        return dict(teacher, kind=kind)  # validation names the unknown kind
    return {k: v for k, v in teacher.items() if k in spec.model_fields} | {"kind": kind}


def _error_loc(err: Any) -> tuple[int | str, ...]:
    """Where a validation error is, as the recipe spells it: the provider tag pydantic puts after ``teacher``
    (``teacher.openai.temperature``) is left out, and an unknown kind is at ``teacher.kind``."""
    loc = tuple(err["loc"])
    if err["type"] == "teacher_kind":
        return (*loc, "kind")
    if len(loc) > 1 and loc[0] == "teacher" and loc[1] in SPECS:
        return (loc[0], *loc[2:])
    return loc


_LINE_RE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item + 1}]" if parts else f"[{item + 1}]"]
        else:
            parts.append(item)
    return ".".join(parts) or "(top level)"


# What each definition of a run's identity leaves out of the recipe (teacher keys, top-level keys). Run directories
# keep the fingerprint they were made with, so the older definitions stay to let them resume.
_CURRENT, _WITH_OUTPUTS, _LEGACY = "current", "with_outputs", "legacy"
_LEFT_OUT: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # Sample k of a request is asked on its own (seed + k), whatever the number of samples: more samples add
    # answers to the journal, fewer use the first ones, like a longer or shorter count.
    # [split] and [judge] (newer than all three) only route rows or decide answers: no definition ever had them.
    _CURRENT: (
        OPERATIONAL_TEACHER_KEYS | {"samples"},
        frozenset({"description", "count", "verify", "output", "split", "judge"}),
    ),
    _WITH_OUTPUTS: (OPERATIONAL_TEACHER_KEYS, frozenset({"description", "count", "split", "judge"})),
    _LEGACY: (_LEGACY_OPERATIONAL_KEYS, frozenset({"description", "split", "judge"})),
}


_NEWER_OUTPUT_KEYS = frozenset({"format", "license"})
_NEWER_VERIFY_KEYS = frozenset({"tolerance"})


def _identity_of(recipe: dict[str, Any], template_hashes: dict[str, str], definition: str = _CURRENT) -> dict[str, Any]:
    """What decides which answers a run holds, by ``definition``: the current one leaves out operational teacher
    settings and samples, the description, count, ``[verify]`` and ``[output]``; ``with_outputs`` kept samples,
    verify and output; ``legacy`` also kept count and the prices."""
    teacher_keys, top_keys = _LEFT_OUT[definition]
    data = {k: v for k, v in recipe.items() if k not in top_keys}
    if isinstance(data.get("source"), dict):
        # The rows (rows_digest) make the run, not where they lie: a file moved or saved as Parquet or Arrow resumes.
        data["source"] = {k: v for k, v in data["source"].items() if k != "path"}
    if isinstance(data.get("output"), dict):
        # [output] keys newer than every definition that contained [output]: in none of them.
        data["output"] = {k: v for k, v in data["output"].items() if k not in _NEWER_OUTPUT_KEYS}
    if isinstance(data.get("verify"), dict):
        # likewise [verify] keys newer than every definition that contained [verify]
        data["verify"] = {k: v for k, v in data["verify"].items() if k not in _NEWER_VERIFY_KEYS}
    data["teacher"] = {k: v for k, v in dict(recipe.get("teacher") or {}).items() if k not in teacher_keys}
    return {"recipe": data, "templates": dict(sorted(template_hashes.items()))}


def _flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


_TABLE_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]#]+?)\s*\]\]?\s*(?:#.*)?$")


def _table_path(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in dotted.split("."))


def key_line(text: str | None, loc: tuple[str | int, ...]) -> int | None:
    """Best-effort 1-based line of the key at ``loc`` in recipe TOML ``text`` (``("teacher", "temprature")``,
    ``("mix", 1, "template")``, ``("outptu",)`` for a table); the line of its table's header when the key itself
    is not written out (a default, an inline table), None when neither is found."""
    if text is None or not loc:
        return None
    table, key = tuple(loc[:-1]), loc[-1]
    key_re = re.compile(rf"^\s*[\"']?{re.escape(str(key))}[\"']?\s*=") if isinstance(key, str) else None
    current: tuple[str | int, ...] = ()
    arrays: dict[tuple[str, ...], int] = {}
    header = None
    for number, line in enumerate(text.splitlines(), 1):
        found = _TABLE_HEADER.match(line)
        if found:
            path = _table_path(found.group(2))
            if found.group(1) == "[[":
                arrays[path] = arrays.get(path, -1) + 1
            # Sub-tables of an array of tables ([mix.config] after [[mix]]) belong to its latest element.
            resolved: list[str | int] = []
            for depth, part in enumerate(path, 1):
                resolved.append(part)
                if path[:depth] in arrays:
                    resolved.append(arrays[path[:depth]])
            current = tuple(resolved)
            if current == loc:
                return number  # the unknown key is a table of its own: [outptu]
            if current == table and header is None:
                header = number
            continue
        if current == table and key_re is not None and key_re.match(line):
            return number
    return header


def _validate(data: dict[str, Any], source: str, text: str | None = None) -> BuildRecipe:
    try:
        recipe = BuildRecipe.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = _error_loc(err)
            where = _location(loc)
            line = key_line(text, loc)
            at = f"{source}:{line}" if line else source
            if err["type"] == "extra_forbidden":
                problems.append(f"{at}: unknown key '{where}' (check the spelling; see datasets/demo.toml)")
            elif err["type"] == "missing":
                problems.append(f"{at}: missing key '{where}'")
            else:
                message = str(err["msg"]).removeprefix("Value error, ")
                got = err.get("input")
                if err["type"] == "teacher_kind" and isinstance(got, dict):
                    got = got.get("kind")
                problems.append(f"{at}: key '{where}': {message} (got {got!r})")
        raise ConfigError("; ".join(problems)) from None
    recipe._source, recipe._text = source, text
    return recipe


def parse_recipe(text: str, source: str = "<recipe>") -> BuildRecipe:
    """Parse and validate recipe TOML text; errors name ``source``, the key and, for syntax errors, the line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _LINE_RE.search(str(exc))
        message = _LINE_RE.sub("", str(exc)).strip()
        where = f"{source}:{found.group(1)}" if found else source
        raise InputError(f"{where}: TOML syntax error: {message}") from None
    return _validate(data, source, text)


def load_recipe(path: str | Path) -> BuildRecipe:
    """Read and validate a build recipe file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such recipe file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read recipe ({exc})") from None
    return parse_recipe(text, str(path))
