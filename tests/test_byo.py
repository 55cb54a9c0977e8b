"""Bring your own problems (issue 15): GSM8K- and MATH-shaped files, Parquet and `datasets` sources through
`chukmath prompts` and `chukmath build` against the loopback OpenAI-compatible server, bad rows reported, resume."""

from __future__ import annotations

import orjson
import pytest
from test_build_support import build_json, echo_template, write_echo_recipe
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.errors import ChukmathError
from chukmath.sources import AnswerFailure, SourceSpec, exact_answer, load_source
from chukmath_testing.fault_server import FaultServer

TEMPLATE = echo_template("Test prompt: the loopback server echoes the Answer line.")
SOURCE_RECIPE = """name = "byo"
[source]
path = "{path}"
{columns}
[prompt]
template = "echo"
templates_dirs = ["{templates}"]
[teacher]
kind = "openai"
model = "loopback"
base_url = "{base_url}"
api_key_env = ""
concurrency = 4
"""

GSM8K = [
    ("Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many "
     "clips did Natalia sell altogether in April and May?",
     "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips.\n#### 72"),
    ("Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting. How much did she "
     "earn?", "Weng earns 12/60 = $<<12/60=0.2>>0.2 per minute.\nShe earned 0.2 x 50 = $<<0.2*50=10>>10.\n#### 10"),
    ("A shop sold 1,200 pens on Monday and none after. How many pens did it sell?", "It sold them all.\n#### 1,200"),
    ("Half a pizza is shared by 2 people. What share of the pizza does each get, as a decimal?", "#### 0.25"),
]
MATH = [
    {"problem": "What is $\\frac{1}{2} + \\frac{1}{4}$?", "level": "Level 1", "type": "Prealgebra",
     "solution": "We have $\\frac{1}{2} + \\frac{1}{4} = \\frac{2}{4} + \\frac{1}{4} = \\boxed{\\frac{3}{4}}$."},
    {"problem": "Simplify $\\sqrt{12}$.", "level": "Level 2", "type": "Algebra",
     "solution": "$\\sqrt{12} = \\sqrt{4}\\sqrt{3} = \\boxed{2\\sqrt{3}}$."},
    {"problem": "Solve $x^2 = 9$.", "level": "Level ?", "type": "Algebra",
     "solution": "So $x = 3$ or $x = -3$, i.e. \\boxed{\\pm 3}."},
]


def _gsm8k_file(path, rows=GSM8K, extra: list[bytes] = ()):
    lines = [orjson.dumps({"question": q, "answer": a}) + b"\n" for q, a in rows]
    path.write_bytes(b"".join(lines) + b"".join(extra))
    return path


def _recipe(tmp_path, source, base_url: str, **columns: str):
    text = SOURCE_RECIPE.replace("{columns}", "\n".join(f'{k} = "{v}"' for k, v in columns.items()))
    return write_echo_recipe(tmp_path, TEMPLATE, text, base_url, path=source)


def _prompts(*args: str) -> None:
    result = CliRunner().invoke(app, ["prompts", "--template", "step_by_step", *args])
    assert result.exit_code == 0, (repr(result.exception), result.output)


def _requests(path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_answers_are_read_by_the_verifiers_grammar_into_the_pipelines_exact_form():
    assert exact_answer("step\n#### 72") == "72"
    assert exact_answer("#### 1,200") == "1200"
    assert exact_answer("#### $15") == "15"
    assert exact_answer("#### 0.25") == "1/4"  # exact, as generated answers are
    assert exact_answer("so \\boxed{\\frac{3}{4}}.") == "3/4"
    assert exact_answer("\\boxed{\\dfrac{9}{4}}", "boxed") == "9/4"
    assert exact_answer("\\boxed{2\\sqrt{3}}") == "2*sqrt(3)"
    assert exact_answer("first \\boxed{1}, then \\boxed{x^2+1}") == "x**2 + 1"  # MATH: the last box
    assert exact_answer("x = 2 or x = -3") == "{-3, 2}"
    assert exact_answer("The answer is 72 dollars.", "plain") == "72"
    assert exact_answer("{x: 3, y: 2}") == "{x: 3, y: 2}"
    assert exact_answer("{1/6 - sqrt(97)/6, 1/6 + sqrt(97)/6}") == "{1/6 - sqrt(97)/6, 1/6 + sqrt(97)/6}"
    for bad, fmt in (("no marker here 72", "gsm8k"), ("72", "boxed"), ("\\boxed{(-\\infty, 3]}", "auto"),
                     ("forty-two", "plain"), ("#### x >= 3", "auto"), ("#### [1, 2]", "auto"),
                     ("\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}", "boxed")):
        with pytest.raises(AnswerFailure):
            exact_answer(bad, fmt)


def test_gsm8k_jsonl_through_prompts_and_build_with_resume(tmp_path):
    source = _gsm8k_file(tmp_path / "gsm8k.jsonl")
    _prompts("--problems", str(source), "--out", str(tmp_path / "requests.jsonl"))
    requests = _requests(tmp_path / "requests.jsonl")
    assert len(requests) == 4
    assert GSM8K[0][0] in requests[0]["messages"][-1]["content"]
    assert "Correct final answer: 72" in requests[0]["messages"][-1]["content"]  # read, not the solution text
    assert "####" not in orjson.dumps(requests).decode()
    result = CliRunner().invoke(app, ["prompts", "--template", "answer_blind", "--problems", str(source), "--out",
                                      str(tmp_path / "blind.jsonl")])
    assert result.exit_code == 0 and "72" not in _requests(tmp_path / "blind.jsonl")[0]["messages"][-1]["content"]
    with FaultServer() as server:
        recipe = _recipe(tmp_path, source, server.base_url, answer_format="gsm8k")
        out = tmp_path / "run"
        summary = build_json(recipe, out)
        assert summary["problems"] == 4 and summary["accepted"] == 4 and summary["asked"] == 4
        problems = [orjson.loads(line) for line in (out / "problems.jsonl").read_bytes().splitlines()]
        assert [p["answer"] for p in problems] == ["72", "10", "1200", "1/4"]
        assert {p["generator"] for p in problems} == {"custom"} and {p["expression"] for p in problems} == {""}
        assert all(p["difficulty"] == 0 and p["meta"] == {} for p in problems)
        train = [orjson.loads(line) for line in (out / "train.jsonl").read_bytes().splitlines()]
        assert train[0]["messages"][0]["content"] == GSM8K[0][0] and train[0]["generator"] == "custom"
        asked = len(server.requests)
        again = build_json(recipe, out)
        assert again["asked"] == 0 and again["from_journal"] == 4 and len(server.requests) == asked
        # The ids are the content's: the same file elsewhere, under --source on another recipe, resumes too.
        moved = _gsm8k_file(tmp_path / "elsewhere.jsonl")
        third = build_json(recipe, out, "--source", str(moved), "--answer-format", "gsm8k")
        assert third["asked"] == 0 and third["from_journal"] == 4
        # Other rows are another run: refused (not mixed into this one), saying what differs.
        changed = _gsm8k_file(tmp_path / "changed.jsonl", rows=GSM8K[:3])
        result = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(out), "--source",
                                          str(changed), "--answer-format", "gsm8k", "--quiet"])
        assert isinstance(result.exception, ChukmathError) and "source.rows_digest" in str(result.exception)
    assert not (out / "source_rejects.jsonl").exists()


def test_math_parquet_with_boxed_answers_and_levels(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "math.parquet"
    pq.write_table(pa.Table.from_pylist(MATH), source)
    with FaultServer() as server:
        recipe = _recipe(tmp_path, source.name, server.base_url, question_col="problem", answer_col="solution",
                         difficulty_col="level", family_name="math")
        out = tmp_path / "run"
        summary = build_json(recipe, out)  # path relative to the recipe's folder
        assert summary["problems"] == 3 and summary["accepted"] == 3
    problems = [orjson.loads(line) for line in (out / "problems.jsonl").read_bytes().splitlines()]
    assert [p["answer"] for p in problems] == ["3/4", "2*sqrt(3)", "{-3, 3}"]
    assert [p["difficulty"] for p in problems] == [1, 2, 0] and {p["generator"] for p in problems} == {"math"}
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["recipe"]["source"]["rows_digest"] and manifest["recipe"]["count"] == 3
    assert "3 rows of `math.parquet` (question `problem`, answer `solution` read as auto)" in (
        out / "README.md"
    ).read_text()


def test_bad_rows_are_listed_with_file_and_line_and_too_many_is_one_error(tmp_path):
    extra = [orjson.dumps({"question": "What is 2 + 2?", "answer": "four, I think"}) + b"\n",
             orjson.dumps({"question": "", "answer": "#### 3"}) + b"\n",
             orjson.dumps({"question": GSM8K[0][0], "answer": GSM8K[0][1]}) + b"\n"]
    source = _gsm8k_file(tmp_path / "mixed.jsonl", extra=extra)
    loaded = load_source(SourceSpec(str(source), answer_format="gsm8k"))
    assert len(loaded.problems) == 4
    wheres = [r.where for r in loaded.rejects]
    assert wheres == [f"{source}:5", f"{source}:6", f"{source}:7"]
    assert "####" in loaded.rejects[0].reason and "empty" in loaded.rejects[1].reason
    assert f"repeats {source}:1" in loaded.rejects[2].reason
    out = tmp_path / "requests.jsonl"
    result = CliRunner().invoke(app, ["prompts", "--template", "step_by_step", "--problems", str(source),
                                      "--answer-format", "gsm8k", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 row(s)" in result.stderr and len(_requests(out)) == 4
    listed = [orjson.loads(line) for line in (tmp_path / "source_rejects.jsonl").read_bytes().splitlines()]
    assert [r["where"] for r in listed] == wheres
    # Mostly unreadable (the wrong column, most likely): one line naming the first bad row.
    result = CliRunner().invoke(app, ["prompts", "--template", "step_by_step", "--problems", str(source),
                                      "--answer-col", "question", "--out", str(out)])
    assert isinstance(result.exception, ChukmathError)
    message = str(result.exception)
    assert "\n" not in message and message.startswith(f"{source}:1: ") and "of 7 rows" in message


def test_the_builtin_teacher_refuses_a_source(tmp_path):
    source = _gsm8k_file(tmp_path / "gsm8k.jsonl")
    result = CliRunner().invoke(app, ["build", "--recipe", "datasets/demo.toml", "--out", str(tmp_path / "run"),
                                      "--source", str(source), "--quiet"])
    assert isinstance(result.exception, ChukmathError), result.output
    assert "builtin teacher" in str(result.exception) and "[source]" in str(result.exception)
    assert not (tmp_path / "run" / "responses.jsonl").exists()


def test_arrow_round_trip_keeps_meta_ids_and_answers(tmp_path):
    datasets = pytest.importorskip("datasets")
    from chukmath.generate import generate

    problems = [p for family in ("arithmetic", "word_problem", "linear_system", "quadratic", "number_theory")
                for p in generate(family, count=3, seed=4)]
    original = tmp_path / "problems.jsonl"
    original.write_bytes(b"".join(orjson.dumps(p.to_dict()) + b"\n" for p in problems))
    saved = tmp_path / "saved"
    dataset = datasets.Dataset.from_list([p.to_dict() for p in problems])
    assert None in dataset[0]["meta"].values()  # Arrow's struct column: the union of keys, null-filled
    dataset.save_to_disk(str(saved))
    assert [p.to_dict() for p in load_source(SourceSpec(str(saved))).problems] == [p.to_dict() for p in problems]
    _prompts("--problems", str(original), "--out", str(tmp_path / "a.jsonl"))
    _prompts("--problems", str(saved), "--out", str(tmp_path / "b.jsonl"))
    assert _requests(tmp_path / "a.jsonl") == _requests(tmp_path / "b.jsonl")
    assert "None" not in (tmp_path / "b.jsonl").read_text()
    with FaultServer() as server:
        recipe = _recipe(tmp_path, original, server.base_url)
        out = tmp_path / "run"
        first = build_json(recipe, out)
        assert first["problems"] == 15 and first["accepted"] == 15
        # The same problems back from Arrow: the same requests, so the run resumes and asks nothing.
        again = build_json(recipe, out, "--source", str(saved))
        assert again["asked"] == 0 and again["from_journal"] == 15


def test_a_source_recipe_exports_rl_prompts_with_the_exact_answers(tmp_path):
    source = _gsm8k_file(tmp_path / "gsm8k.jsonl")
    recipe = _recipe(tmp_path, source.name, "http://127.0.0.1:9/v1", answer_format="gsm8k")
    recipe.write_text(recipe.read_text().replace('template = "echo"', 'template = "answer_blind"'))
    out = tmp_path / "rl"
    result = CliRunner().invoke(app, ["export", "rl", "--recipe", str(recipe), "--out", str(out), "--template",
                                      "recipe"])
    assert result.exit_code == 0, (result.output, repr(result.exception))
    rows = [orjson.loads(line) for line in (out / "train.jsonl").read_bytes().splitlines()]
    assert [r["answer"] for r in rows] == ["72", "10", "1200", "1/4"] and rows[0]["generator"] == "custom"


def test_datasets_folders_and_splits(tmp_path):
    datasets = pytest.importorskip("datasets")
    rows = [{"q": q, "a": a, "uid": f"gsm-{i}"} for i, (q, a) in enumerate(GSM8K)]
    # A data folder (what a Hub dataset repository holds), read by load_dataset.
    folder = tmp_path / "data_dir"
    folder.mkdir()
    (folder / "train.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    spec = SourceSpec(str(folder), question_col="q", answer_col="a", id_col="uid")
    loaded = load_source(spec)
    assert [p.id for p in loaded.problems] == ["gsm-0", "gsm-1", "gsm-2", "gsm-3"]
    assert loaded.problems[0].answer == "72"
    # A DatasetDict saved to disk: the split is chosen, and a missing one is named.
    saved = tmp_path / "dict"
    datasets.DatasetDict({"train": datasets.Dataset.from_list(rows[:3]),
                          "test": datasets.Dataset.from_list(rows[3:])}).save_to_disk(str(saved))
    test = load_source(SourceSpec(str(saved), question_col="q", answer_col="a", split="test"))
    assert [p.answer for p in test.problems] == ["1/4"]
    assert len(load_source(SourceSpec(str(saved), question_col="q", answer_col="a")).problems) == 3  # train
    with pytest.raises(ChukmathError, match=r"no split 'validation'; choose one of train, test"):
        load_source(SourceSpec(str(saved), question_col="q", answer_col="a", split="validation"))
