"""`chukmath prompts`: one request per problem, stable ids, atomic output, errors that name file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.errors import ConfigError, InputError, TemplateError
from chukmath.hashing import content_hash
from chukmath.records import Request
from chukmath.render import TemplateLibrary

runner = CliRunner()
CHUKMATH = str(Path(sys.executable).parent / "chukmath")


def problem(
    index: int, question: str, expression: str, answer: str, generator: str = "arithmetic", **meta: str
) -> dict:
    return {
        "id": f"{generator}-5-{index}",
        "generator": generator,
        "difficulty": 1 + index % 3,
        "seed": 5,
        "index": index,
        "question": question,
        "expression": expression,
        "answer": answer,
        "meta": meta,
    }


PROBLEMS = [
    problem(0, "What is 44 + 41 + 25?", "44 + 41 + 25", "110"),
    problem(1, "What is (3/4) * (5/6)?", "(3/4) * (5/6)", "5/8", generator="fractions"),
    problem(2, "Solve 2*x + 3 = 10 for x.", "Eq(2*x + 3, 10)", "7/2", generator="linear_equation"),
    problem(3, "What is gcd(84, 36)?", "gcd(84, 36)", "12", generator="number_theory"),
    problem(
        4,
        "A tank holds 40 litres and 15 are used. How many litres remain?",
        "40 - 15",
        "25",
        generator="word_problem",
        unit="litres",
    ),
]


def write_problems(path: Path, records: list[dict], extra: bytes = b"") -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records) + extra)
    return path


def read_requests(path: Path) -> list[Request]:
    return [Request.from_dict(orjson.loads(line)) for line in path.read_bytes().splitlines()]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CHUKMATH, *args], capture_output=True, text=True, timeout=60, check=False)


def test_one_request_per_problem_with_content_hash_ids(tmp_path: Path) -> None:
    problems = write_problems(tmp_path / "problems.jsonl", PROBLEMS)
    out = tmp_path / "out" / "requests.jsonl"
    args = ["prompts", "--problems", str(problems), "--template", "step_by_step", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"wrote 5 requests to {out}" in result.stderr
    raw = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [set(r) for r in raw] == [{"id", "problem_id", "template", "template_hash", "messages"}] * 5
    requests = read_requests(out)
    template = TemplateLibrary().get("step_by_step")
    assert [r.problem_id for r in requests] == [p["id"] for p in PROBLEMS]
    for request, record in zip(requests, PROBLEMS, strict=True):
        assert request.id == content_hash({"messages": request.messages})
        assert request.template == "step_by_step"
        assert request.template_hash == template.hash
        assert request.messages[0]["role"] == "user"
        assert record["question"] in request.messages[0]["content"]
        assert f"Correct final answer: {record['answer']}" in request.messages[0]["content"]
    assert len({r.id for r in requests}) == 5

    # A second run gives the same bytes: ids are stable across runs.
    again = tmp_path / "again.jsonl"
    result = runner.invoke(app, [*args[:-1], str(again)])
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == out.read_bytes()


def test_system_option_and_user_template_dir(tmp_path: Path) -> None:
    problems = write_problems(tmp_path / "problems.jsonl", PROBLEMS[:2])
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "terse.jinja").write_text(
        '{#---\nname = "terse"\ndescription = "Short."\nvariables = ["question", "generator"]\n'
        "reveals_answer = false\n---#}\n{#- role: system -#}\nYou solve {{ generator }} problems.\n"
        "{#- role: user -#}\n{{ question }} Use <think>, <answer> and <verifier_answer>.\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.jsonl"
    base = ["prompts", "--problems", str(problems), "--template", "terse", "--templates", str(mine), "--out", str(out)]
    assert runner.invoke(app, base).exit_code == 0
    plain = read_requests(out)
    assert plain[1].messages == [
        {"role": "system", "content": "You solve fractions problems."},
        {"role": "user", "content": "What is (3/4) * (5/6)? Use <think>, <answer> and <verifier_answer>."},
    ]
    assert runner.invoke(app, [*base, "--system", "Think in English."]).exit_code == 0
    replaced = read_requests(out)
    assert replaced[1].messages[0] == {"role": "system", "content": "Think in English."}
    assert replaced[1].messages[1] == plain[1].messages[1]
    assert replaced[1].id != plain[1].id


def test_stdout_output(tmp_path: Path) -> None:
    problems = write_problems(tmp_path / "problems.jsonl", PROBLEMS[:1])
    result = run_cli("prompts", "--problems", str(problems), "--template", "answer_blind", "--out", "-")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    request = Request.from_dict(orjson.loads(line))
    assert request.template == "answer_blind"
    assert "110" not in request.messages[0]["content"]


def test_malformed_problem_line_names_the_line_and_leaves_nothing(tmp_path: Path) -> None:
    problems = write_problems(tmp_path / "problems.jsonl", PROBLEMS[:2], extra=b'{"id": "broken", \n')
    out = tmp_path / "requests.jsonl"
    result = run_cli("prompts", "--problems", str(problems), "--template", "step_by_step", "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {problems}:3: not valid JSON")
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["problems.jsonl"]


def test_problem_missing_fields_names_the_line(tmp_path: Path) -> None:
    record = dict(PROBLEMS[1])
    del record["answer"]
    problems = write_problems(tmp_path / "problems.jsonl", [PROBLEMS[0], record])
    out = tmp_path / "requests.jsonl"
    result = runner.invoke(
        app, ["prompts", "--problems", str(problems), "--template", "step_by_step", "--out", str(out)]
    )
    assert isinstance(result.exception, InputError)
    assert str(result.exception) == f"{problems}:2: missing field(s) answer"
    assert not out.exists()


def test_existing_output_is_untouched_when_a_run_fails(tmp_path: Path) -> None:
    problems = write_problems(tmp_path / "problems.jsonl", PROBLEMS, extra=b"[1, 2]\n")
    out = tmp_path / "requests.jsonl"
    out.write_text("previous run\n")
    result = run_cli("prompts", "--problems", str(problems), "--template", "step_by_step", "--out", str(out))
    assert result.returncode == 2
    assert f"{problems}:6: expected a JSON object" in result.stderr
    assert out.read_text() == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["problems.jsonl", "requests.jsonl"]


def test_broken_template_fails_before_any_request_naming_file_and_line(tmp_path: Path) -> None:
    problems = write_problems(tmp_path / "problems.jsonl", PROBLEMS)
    mine = tmp_path / "mine"
    mine.mkdir()
    bad = mine / "bad.jinja"
    bad.write_text(
        '{#---\nname = "bad"\ndescription = "d"\nvariables = ["question"]\nreveals_answer = false\n---#}\n'
        "Solve {{ question }}\n{% for step in %}\n",
        encoding="utf-8",
    )
    out = tmp_path / "requests.jsonl"
    result = run_cli(
        "prompts", "--problems", str(problems), "--template", "bad", "--templates", str(mine), "--out", str(out)
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {bad}:8: syntax error")
    assert not out.exists()


def test_render_failure_mid_file_names_problem_and_leaves_nothing(tmp_path: Path) -> None:
    problems = write_problems(tmp_path / "problems.jsonl", PROBLEMS)
    mine = tmp_path / "mine"
    mine.mkdir()
    path = mine / "units.jinja"
    path.write_text(
        '{#---\nname = "units"\ndescription = "d"\nvariables = ["question", "meta"]\nreveals_answer = false\n'
        "---#}\n{{ question }}\nUnit: {{ meta.unit }}\n",
        encoding="utf-8",
    )
    out = tmp_path / "requests.jsonl"
    args = ["prompts", "--problems", str(problems), "--template", "units", "--templates", str(mine), "--out", str(out)]
    result = runner.invoke(app, args)
    assert isinstance(result.exception, TemplateError)
    assert str(result.exception).startswith(f"{path}:8: template 'units' failed on problem arithmetic-5-0")
    assert not out.exists()
    assert not list(tmp_path.glob(".requests.jsonl.*"))


def test_missing_problems_file_and_unknown_template(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    result = run_cli(
        "prompts", "--problems", str(tmp_path / "nope.jsonl"), "--template", "step_by_step", "--out", str(out)
    )
    assert result.returncode == 2
    assert result.stderr == f"error: {tmp_path / 'nope.jsonl'}: no such file\n"
    problems = write_problems(tmp_path / "problems.jsonl", PROBLEMS)
    result = run_cli("prompts", "--problems", str(problems), "--template", "stepbystep", "--out", str(out))
    assert result.returncode == 2
    assert "no template named 'stepbystep'; known templates: answer_blind" in result.stderr
    assert not out.exists()


def test_ids_are_the_same_bytes_in_separate_processes_with_different_hash_seeds(tmp_path: Path) -> None:
    problems = write_problems(tmp_path / "problems.jsonl", PROBLEMS)
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"requests-{seed}.jsonl"
        run = subprocess.run(
            [CHUKMATH, "prompts", "--problems", str(problems), "--template", "word_problem", "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": seed},
        )
        assert run.returncode == 0, run.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) == len(PROBLEMS)


def test_out_may_not_be_the_problems_file(tmp_path: Path) -> None:
    problems = write_problems(tmp_path / "problems.jsonl", PROBLEMS)
    before = problems.read_bytes()
    args = ["prompts", "--problems", str(problems), "--template", "step_by_step", "--out", str(problems)]
    result = runner.invoke(app, args)
    assert isinstance(result.exception, ConfigError)
    assert "is the --problems file" in str(result.exception)
    assert problems.read_bytes() == before
