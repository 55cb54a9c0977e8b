"""The teacher options of `teach`, `build` and `eval` are made from the teacher specs: a field added to a spec is a
flag of every command that offers the provider (its help and default from the field) and reaches the spec the command
makes, without editing the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, ClassVar

import pytest
import typer
from pydantic import Discriminator, Field, Tag
from typer.testing import CliRunner

from chukmath.cli.teacher_options import TeacherOptions
from chukmath.errors import ConfigError
from chukmath.teach import specs
from chukmath.teach.specs import BuiltinSpec, OpenAISpec, TransformersSpec

RECIPE = """name = "flavoured"
count = 2
[[mix]]
generator = "arithmetic"
[teacher]
kind = "openai"
model = "m"
base_url = "http://127.0.0.1:9/v1"
"""


class Flavoured(OpenAISpec):
    """The openai provider with one setting more, as a contributor would add it to OpenAISpec."""

    flavour: str = Field("plain", description="How the answers taste (a throwaway setting).")
    seen: ClassVar[list[Flavoured]] = []

    def live_teacher(self, config: Any) -> Any:
        # The spec the command made, kept for the test; nothing is sent anywhere.
        Flavoured.seen.append(self)
        raise ConfigError(f"stopped by the test with flavour {self.flavour}")


def _app(monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    """A fresh CLI with teach, build and eval registered after the throwaway spec replaced openai's."""
    from chukmath.build import recipe as recipe_module
    from chukmath.cli import build, teach
    from chukmath.cli import eval as eval_cli

    monkeypatch.setitem(specs.SPECS, "openai", Flavoured)
    monkeypatch.setitem(specs.EVAL_SPECS, "openai", Flavoured)
    # The recipe's [teacher] union with the throwaway in openai's place (a real provider is listed in TeacherSpec).
    union = Annotated[
        Annotated[BuiltinSpec, Tag("builtin")] | Annotated[Flavoured, Tag("openai")]
        | Annotated[TransformersSpec, Tag("transformers")],
        Discriminator(lambda v: v.get("kind", "builtin") if isinstance(v, dict) else v.kind),
    ]  # fmt: skip

    class Recipe(recipe_module.BuildRecipe):
        teacher: union = Field(default_factory=BuiltinSpec)  # type: ignore[valid-type]

    monkeypatch.setattr(recipe_module, "BuildRecipe", Recipe)
    Flavoured.seen.clear()
    app = typer.Typer(rich_markup_mode=None)
    for module in (teach, build, eval_cli):
        module.register(app)
    return app


def _invoke(app: typer.Typer, *args: str) -> Any:
    return CliRunner().invoke(app, list(args), terminal_width=400)


@pytest.mark.parametrize("command", ["teach", "build", "eval"])
def test_a_field_added_to_a_spec_is_a_flag_of_every_command(monkeypatch, command):
    result = _invoke(_app(monkeypatch), command, "--help")
    assert result.exit_code == 0, result.output
    (line,) = [ln for ln in result.output.splitlines() if ln.strip().startswith("--flavour")]
    assert "How the answers taste" in line
    # openai is the only provider with it, so the help says for which kind.
    assert "openai: How the answers taste" in line
    if command != "build":  # build's options override the recipe, whose defaults are its own
        assert "[default: plain]" in line


def test_teach_makes_the_spec_with_the_new_setting(monkeypatch, tmp_path: Path):
    (tmp_path / "req.jsonl").write_text("")
    result = _invoke(_app(monkeypatch), "teach", "--requests", str(tmp_path / "req.jsonl"), "--out",
                     str(tmp_path / "j.jsonl"), "--teacher", "openai", "--model", "m", "--base-url",
                     "http://127.0.0.1:9/v1", "--flavour", "sour", "--temperature", "0.3")  # fmt: skip
    assert "stopped by the test with flavour sour" in str(result.exception)
    (spec,) = Flavoured.seen
    assert (spec.flavour, spec.temperature, spec.model) == ("sour", 0.3, "m")


def test_eval_makes_the_spec_with_the_new_setting(monkeypatch, tmp_path: Path):
    problems = tmp_path / "p.jsonl"
    problems.write_text('{"question": "What is 1 + 1?", "answer": "2"}\n')
    result = _invoke(_app(monkeypatch), "eval", "--problems", str(problems), "--out", str(tmp_path / "e"),
                     "--teacher", "openai", "--model", "m", "--base-url", "http://127.0.0.1:9/v1",
                     "--flavour", "salty", "--quiet")  # fmt: skip
    assert "stopped by the test with flavour salty" in str(result.exception)
    assert [s.flavour for s in Flavoured.seen] == ["salty"]


def test_build_puts_the_new_setting_into_the_recipes_teacher(monkeypatch, tmp_path: Path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(RECIPE)
    result = _invoke(_app(monkeypatch), "build", "--recipe", str(recipe), "--out", str(tmp_path / "run"),
                     "--flavour", "bitter", "--quiet")  # fmt: skip
    assert "stopped by the test with flavour bitter" in str(result.exception)
    (spec,) = Flavoured.seen
    assert spec.flavour == "bitter" and spec.model == "m"


def test_a_bad_value_and_a_setting_of_another_kind_are_named_by_their_flags(tmp_path: Path):
    from chukmath.cli.main import app

    (tmp_path / "req.jsonl").write_text("")
    common = ["teach", "--requests", str(tmp_path / "req.jsonl"), "--out", str(tmp_path / "j.jsonl")]
    bad = _invoke(app, *common, "--teacher", "openai", "--model", "m", "--top-p", "0")
    assert isinstance(bad.exception, ConfigError) and str(bad.exception).startswith("--top-p 0.0: ")
    other = _invoke(app, *common, "--teacher", "openai", "--trace-style", "mix")
    assert str(other.exception) == "--trace-style is a setting of the builtin teacher, not of --teacher openai"
    body = _invoke(app, *common, "--teacher", "openai", "--extra-body", "[1]")
    assert "--extra-body: must be a JSON object" in str(body.exception)


def test_a_setting_whose_name_a_command_already_uses_needs_its_own_flag():
    options = TeacherOptions(specs={"openai": OpenAISpec})

    def command(seed: int, teacher: Any) -> None:
        """A command whose own --seed is not the teacher's."""

    with pytest.raises(RuntimeError, match=r"'seed' \(--seed\) collides"):
        options.attach(command)
    renamed = TeacherOptions(specs={"openai": OpenAISpec}, names={"seed": "--teacher-seed"}).attach(command)
    app = typer.Typer()
    app.command()(renamed)
    assert "--teacher-seed" in _invoke(app, "--help").output


def test_the_reproduce_line_names_what_decides_the_data_not_the_pace():
    choice = TeacherOptions(specs=specs.SPECS, names={"seed": "--teacher-seed"}).choice(
        {"teacher": "openai", "model": "m", "concurrency": 8, "teacher_seed": 3, "extra_body": '{"top_k": 2}'}
    )
    assert choice.given == {"model": "m", "seed": 3, "concurrency": 8, "extra_body": {"top_k": 2}}
    assert choice.argv(leave_out={"concurrency"}) == [
        "--teacher", "openai", "--model", "m", "--teacher-seed", "3", "--extra-body", '{"top_k":2}'
    ]
