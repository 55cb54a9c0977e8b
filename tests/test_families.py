"""The family contract: every built-in family is one package reached through ``Family``; how it presents its
answer agrees with the verifier and with its own trace; families share only public helpers."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest

import chukmath
from chukmath.errors import ConfigError
from chukmath.families import DIFFICULTIES, Family, get_family, list_families, register
from chukmath.families.registry import SHARED, builtin_modules
from chukmath.generate import generate
from chukmath.records import Problem
from chukmath.teach.builtin import builtin_trace, tracer_for
from chukmath.verify.answers import answers_match

FAMILIES_DIR = Path(chukmath.__file__).parent / "families"
BUILTIN = {"arithmetic", "calculus", "fractions", "linear_equation", "linear_system", "number_theory", "quadratic",
           "word_problem"}  # fmt: skip


def _sample_problems() -> list[tuple[Problem, str]]:
    """A few problems of every registered family at every difficulty, with their built-in traces."""
    return [(p, builtin_trace(p)) for family in list_families() for level in DIFFICULTIES
            for p in generate(family.name, seed=1, count=6, difficulty=level)]  # fmt: skip


def test_every_folder_is_a_family_and_every_family_a_folder() -> None:
    names = [f.name for f in list_families()]
    assert BUILTIN <= set(names)
    assert builtin_modules() == [f"chukmath.families.{name}" for name in names]  # each folder is named as its family
    for family in list_families():
        assert isinstance(family, Family) and (FAMILIES_DIR / family.name / "__init__.py").is_file()
    assert chukmath.generate.list_families() == list_families()  # the generate stage's public API is the same


def test_present_forms_are_answers_the_verifier_accepts_and_the_trace_writes_one() -> None:
    for problem, trace in _sample_problems():
        forms = get_family(problem.generator).present(problem.answer)
        assert forms[0] == problem.answer, problem.generator
        for form in forms:
            assert answers_match(form, problem.answer), (problem.generator, form, problem.answer)
        body = re.search(r"<answer>(.*?)</answer>", trace, re.S)
        assert body and any(form in body.group(1) for form in forms), (problem.generator, body, forms)


def test_present_examples() -> None:
    assert get_family("fractions").present("3/4") == ["3/4", "0.75", "\\frac{3}{4}"]
    assert get_family("arithmetic").present("-1/3") == ["-1/3", "-\\frac{1}{3}"]
    assert get_family("linear_equation").present("-7/2") == ["-7/2", "x = -7/2", "-3.5", "-\\frac{7}{2}"]
    assert get_family("linear_system").present("{x: 3, y: -1/2}") == ["{x: 3, y: -1/2}", "x = 3, y = -1/2"]
    assert get_family("quadratic").present("{3 - 2*sqrt(2), 2*sqrt(2) + 3}")[1] == "x = 3 - 2√2 or x = 3 + 2√2"
    assert get_family("calculus").present("9*x**2") == ["9*x**2", "9*x^2"]


def test_an_unregistered_generator_gets_the_trace_of_the_family_its_shape_is() -> None:
    plain = Problem(id="p", generator="other", difficulty=1, seed=0, index=0, question="?", expression="2 + 3",
                    answer="5", meta={})  # fmt: skip
    seen = set()
    for problem, trace in _sample_problems():
        family = get_family(problem.generator)
        if problem.generator in seen or (family.recognizes is None and family.trace is not tracer_for(plain)):
            continue
        seen.add(problem.generator)
        stranger = dataclasses.replace(problem, generator="from_elsewhere")
        assert builtin_trace(stranger) == trace, problem.generator
    assert tracer_for(plain) is get_family("arithmetic").trace
    assert {"calculus", "linear_equation", "linear_system", "number_theory", "quadratic", "word_problem"} <= seen


def test_registry_refuses_a_second_family_of_a_name_and_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="'fractions' is already registered"):
        register(get_family("fractions"))
    with pytest.raises(ConfigError, match=r"unknown generator 'nope' \(known: arithmetic, calculus, "):
        get_family("nope")


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((a.name, []) for a in node.names)
    return found


def test_a_family_uses_only_its_own_package_and_public_shared_helpers() -> None:
    for package in sorted(p for p in FAMILIES_DIR.iterdir() if (p / "__init__.py").is_file()):
        for path in package.glob("*.py"):
            for module, names in _imports(path):
                parts = module.split(".")
                if parts[:2] != ["chukmath", "families"] or len(parts) < 3:
                    continue
                other = parts[2]
                if other == package.name:
                    continue
                where = f"{path.relative_to(FAMILIES_DIR)} imports {module}"
                is_package = (FAMILIES_DIR / other / "__init__.py").is_file()
                assert not is_package or other in SHARED, f"{where}: a family reaches into another family"
                private = [n for n in names if n.startswith("_")]
                assert not private, f"{where}: private names {private}"
