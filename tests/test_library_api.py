"""The library as the README shows it: `chukmath.generate(...)` and the other stage calls, the teachers at the top
level, the stage packages still importable as before, `py.typed` in the wheel and a light `import chukmath`."""

from __future__ import annotations

import doctest
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import chukmath
import chukmath.api

REPO = Path(__file__).resolve().parent.parent


def _python_blocks(markdown: str, heading: str) -> list[str]:
    """The ```python blocks of the README section under ``heading`` (up to the next ``## `` heading)."""
    section = markdown.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)\n```", section, re.S)


def test_the_api_docstring_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the write/build examples name datasets/... as the README does
    result = doctest.testmod(chukmath.api, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted >= 20
    assert result.failed == 0


def test_the_readme_python_section_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    blocks = _python_blocks((REPO / "README.md").read_text(), "Use it from Python")
    assert blocks, "README.md has no ```python block under '## Use it from Python'"
    (tmp_path / "datasets").mkdir()
    shutil.copy(REPO / "datasets" / "demo.toml", tmp_path / "datasets" / "demo.toml")
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
    printed = capsys.readouterr().out
    assert "correct" in printed
    assert (tmp_path / "runs" / "demo" / "train.jsonl").is_file()
    assert (tmp_path / "runs" / "demo" / "README.md").read_text().startswith("---\n")


def test_every_name_the_readme_promises_is_a_callable_with_a_docstring() -> None:
    for name in ("generate", "render", "teach", "parse", "verify", "write", "build"):
        stage = getattr(chukmath, name)
        assert callable(stage), name
        assert getattr(chukmath.api, name).__doc__, name
        assert name in chukmath.__all__


def test_stage_packages_stay_packages() -> None:
    import chukmath.generate.engine  # the import itself is the test
    import chukmath.verify.answers as answers
    from chukmath.generate import list_families

    assert chukmath.verify.answers is answers
    assert chukmath.verify.answers_match("1/2", "1/2")
    assert "arithmetic" in {f.name for f in list_families()}
    assert chukmath.generate.generate is chukmath.generate.engine.generate
    # Functions of the stage modules pickle by module path (process pools rely on it).
    assert pickle.loads(pickle.dumps(chukmath.verify.answers_match)) is chukmath.verify.answers_match
    problems = list(chukmath.generate("arithmetic", count=2, seed=5))
    assert [p.index for p in problems] == [0, 1]
    assert [p.to_dict() for p in problems] == list(chukmath.generate.generate("arithmetic", seed=5, count=2).rows())


def test_generate_takes_a_mix_recipe_and_names_both_kinds_when_neither_matches() -> None:
    mixed = list(chukmath.generate("gsm8k_style", count=3, seed=2))
    assert len(mixed) == 3
    with pytest.raises(chukmath.ConfigError, match=r"neither a problem family \(.*arithmetic.*\) nor a recipe"):
        chukmath.generate("no_such_thing", count=1)


def test_teachers_are_importable_from_the_top_level() -> None:
    from chukmath import BuiltinTeacher, OpenAIConfig, OpenAITeacher, Teacher
    from chukmath.teach.builtin import BuiltinTeacher as Inner

    assert BuiltinTeacher is Inner
    assert isinstance(BuiltinTeacher({}), Teacher)
    assert OpenAITeacher.__module__ == "chukmath.teach.openai_teacher"
    assert OpenAIConfig.__module__ == "chukmath.teach.openai_teacher"


def test_teach_with_a_teacher_object_keeps_request_then_sample_order() -> None:
    problems = list(chukmath.generate("fractions", count=3, seed=4))
    requests = chukmath.render(problems)
    teacher = chukmath.BuiltinTeacher({p.id: p for p in problems})
    responses = chukmath.teach(requests, teacher=teacher, samples=2, concurrency=4)
    assert [(r.request_id, r.sample) for r in responses] == [(q.id, k) for q in requests for k in (0, 1)]
    with pytest.raises(chukmath.ConfigError, match="problems="):
        chukmath.teach(requests)


def test_import_chukmath_stays_light() -> None:
    probe = (
        "import sys, chukmath; heavy = [m for m in ('sympy', 'jinja2', 'httpx', 'openai', 'huggingface_hub', "
        "'pydantic', 'chukmath.generate', 'chukmath.build') if m in sys.modules]; print(heavy)"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.strip() == "[]"


def test_py_typed_ships_in_the_wheel() -> None:
    from hatchling.builders.wheel import WheelBuilder

    shipped = {f.distribution_path for f in WheelBuilder(str(REPO)).recurse_included_files()}
    assert "chukmath/py.typed" in shipped
    # The loopback servers are a development package: the wheel holds none of them.
    assert not [p for p in shipped if p.startswith(("chukmath/testing/", "chukmath_testing/"))]
