"""`chukmath build` with a [split] table and --decontaminate: test.jsonl shares no question or expression with
train.jsonl, stats.json says so, the split buys no answer again, and a benchmark question is kept out of both."""

from __future__ import annotations

import orjson
from test_build_support import build_json, same_files
from test_export_support import read_rows
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.split import normalize_expression, normalize_question

RECIPE = """name = "split"
count = 400
seed = 9

[[mix]]
generator = "arithmetic"
weight = 2
difficulty = 1

[[mix]]
generator = "linear_equation"
weight = 1
difficulty = 1
"""
SPLIT = "\n[split]\ntest = 0.2\n"


def _keys(rows: list[dict], problems: dict[str, dict]) -> tuple[set[str], set[str]]:
    chosen = [problems[r["problem_id"]] for r in rows]
    return {normalize_question(p["question"]) for p in chosen}, {normalize_expression(p["expression"]) for p in chosen}


def test_build_writes_a_test_split_that_shares_nothing_and_rebuys_nothing(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(RECIPE)
    plain, out = tmp_path / "plain", tmp_path / "run"
    build_json(recipe, plain)
    build_json(recipe, out)
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert "split" not in manifest["recipe"], "a recipe without [split] is recorded as before"
    journal = (out / "responses.jsonl").read_bytes()

    recipe.write_text(RECIPE + SPLIT)
    summary = build_json(recipe, out)  # the same run: [split] is outside the fingerprint
    assert summary["asked"] == 0 and (out / "responses.jsonl").read_bytes() == journal
    problems = {p["id"]: p for p in read_rows(out / "problems.jsonl")}
    train, test = read_rows(out / "train.jsonl"), read_rows(out / "test.jsonl")
    assert test and len(train) + len(test) == len(read_rows(plain / "train.jsonl"))
    train_q, train_e = _keys(train, problems)
    test_q, test_e = _keys(test, problems)
    assert not train_q & test_q and not train_e & test_e
    stats = orjson.loads((out / "stats.json").read_bytes())
    split = stats["split"]
    assert split["overlap"]["questions"] == 0 and split["overlap"]["expressions"] == 0 and split["method"]
    assert split["samples"] == {"train": len(train), "test": len(test)}
    assert split["problems"]["train"] + split["problems"]["test"] + split["held_out"] == 400
    shown = CliRunner().invoke(app, ["stats", str(out)])
    assert shown.exit_code == 0 and "Train/test split" in shown.stdout and "shared expressions" in shown.stdout
    card = (out / "README.md").read_text()
    assert "Train/test split" in card and '"test": "test.jsonl"' in card

    # export rl of the same recipe splits its problems exactly as build did.
    exported = CliRunner().invoke(app, ["export", "rl", "--recipe", str(recipe), "--out", str(tmp_path / "rl")])
    assert exported.exit_code == 0, exported.output
    rl_test = {r["problem_id"] for r in read_rows(tmp_path / "rl" / "test.jsonl")}
    assert {r["problem_id"] for r in test} <= rl_test
    assert not rl_test & {r["problem_id"] for r in train}

    # Without [split] again: the files are those of a run that never had one.
    recipe.write_text(RECIPE)
    build_json(recipe, out)
    assert not (out / "test.jsonl").exists()
    same_files(out, plain)


def test_decontaminate_keeps_a_benchmark_question_out_of_build_and_export(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(RECIPE.replace("count = 400", "count = 60"))
    plain = tmp_path / "plain"
    build_json(recipe, plain)
    problems = read_rows(plain / "problems.jsonl")
    copied = problems[7]
    # A GSM8K-shaped benchmark (question, answer) holding one of the generated questions, reworded in case and
    # spacing only, and two unrelated questions.
    bench = tmp_path / "gsm8k_test.jsonl"
    rows = [
        {
            "question": "Natalia sold clips to 48 of her friends in April. How many clips did she sell?",
            "answer": "#### 72",
        },
        {"question": "  " + copied["question"].upper() + " ", "answer": "#### 1"},
        {"question": "Weng earns $12 an hour for babysitting. How much did she earn?", "answer": "#### 10"},
    ]
    bench.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))

    out = tmp_path / "run"
    summary = build_json(recipe, out, "--decontaminate", str(bench))
    assert summary["problems"] == 60
    assert copied["id"] not in {r["problem_id"] for r in read_rows(out / "train.jsonl")}
    assert len(read_rows(out / "train.jsonl")) == len(read_rows(plain / "train.jsonl")) - 1
    report = orjson.loads((out / "stats.json").read_bytes())["decontamination"]
    assert report["dropped"] == 1 and report["by_benchmark"] == {str(bench): 1} and report["ngram"] == 8
    assert report["examples"][0]["problem_id"] == copied["id"] and report["examples"][0]["row"] == 1
    assert "--decontaminate" in (out / "README.md").read_text()

    result = CliRunner().invoke(
        app,
        [
            "export",
            "rl",
            "--recipe",
            str(recipe),
            "--out",
            str(tmp_path / "rl"),
            "--json",
            "--decontaminate",
            str(bench),
        ],
    )
    assert result.exit_code == 0, result.output
    exported = orjson.loads(result.stdout)
    assert exported["rows"] == 59 and exported["dropped"]["decontaminated"] == 1
    assert exported["decontamination"]["examples"][0]["benchmark_question"] == rows[1]["question"]

    import pyarrow as pa
    import pyarrow.parquet as pq

    parquet = tmp_path / "math.parquet"
    pq.write_table(pa.table({"problem": [copied["question"]], "solution": ["x"]}), parquet)
    again = CliRunner().invoke(
        app,
        [
            "export",
            "rl",
            "--recipe",
            str(recipe),
            "--out",
            str(tmp_path / "rl2"),
            "--json",
            "--decontaminate",
            str(parquet),
        ],
    )
    assert again.exit_code == 0 and orjson.loads(again.stdout)["dropped"]["decontaminated"] == 1
    missing = CliRunner().invoke(
        app,
        [
            "export",
            "rl",
            "--recipe",
            str(recipe),
            "--out",
            str(tmp_path / "rl3"),
            "--decontaminate",
            str(parquet),
            "--decontaminate-col",
            "text",
        ],
    )
    assert missing.exit_code != 0 and "columns: problem, solution" in str(missing.exception)
