"""`chukmath export dpo`: preference pairs from a build run with samples = 4 against a loopback server whose samples
are right or wrong by plan (tests/test_export_support.py); and the rejection-sampling recipe passes --dry-run."""

from __future__ import annotations

import orjson
import pytest
from test_export_support import WRONG, planned_run, read_rows
from typer.testing import CliRunner

from chukmath.cli.main import app


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    # Problem i is solved by its first i % 5 samples of 4; the rest are a wrong answer, a false step, a truncation,
    # in turn. keep = "first": train.jsonl has one row per solved problem.
    return planned_run(tmp_path_factory.mktemp("dpo"), count=20, samples=4)


def _export(run_dir, out, *extra):
    result = CliRunner().invoke(app, ["export", "dpo", str(run_dir), "--out", str(out), "--json", *extra])
    assert result.exit_code == 0, result.output
    return orjson.loads(result.stdout)


def test_pairs_are_accepted_against_wrong_or_bad_step_traces_of_the_same_problem(run, tmp_path):
    _, run_dir = run
    report = _export(run_dir, tmp_path / "dpo")
    pairs = read_rows(tmp_path / "dpo" / "train.jsonl")
    problems = {p["id"]: p for p in read_rows(run_dir / "problems.jsonl")}
    # One pair for each problem solved by some but not all samples: i % 5 in 1..3, 12 of 20.
    assert len(pairs) == 12 == report["rows"]
    assert report["problems"] == {
        "problems": 20,
        "with_pairs": 12,
        "no_accepted": 4,
        "no_rejected": 4,
        "held_out_by_split": 0,
    }
    for pair in pairs:
        problem = problems[pair["problem_id"]]
        assert problem["index"] % 5 in (1, 2, 3)
        # TRL's conversational preference shape: the prompt up to the user turn, one assistant turn each.
        assert pair["prompt"] == [{"role": "user", "content": problem["question"]}]
        assert [m["role"] for m in pair["chosen"]] == ["assistant"] == [m["role"] for m in pair["rejected"]]
        chosen, rejected = pair["chosen"][0]["content"], pair["rejected"][0]["content"]
        assert f"<answer>{problem['answer']}</answer>" in chosen and "2 + 2 = 5" not in chosen
        assert set(pair["rejected_reasons"]) <= {"wrong_answer", "bad_step"} and pair["rejected_reasons"]
        assert (WRONG in rejected) == ("wrong_answer" in pair["rejected_reasons"])
        assert pair["answer"] == problem["answer"] and pair["chosen_id"] != pair["rejected_id"]
    from datasets import load_dataset

    loaded = load_dataset("json", data_files=str(tmp_path / "dpo" / "train.jsonl"), split="train")
    assert loaded.column_names[:3] == ["prompt", "chosen", "rejected"] and len(loaded) == 12


def test_a_new_pair_layout_is_one_entry_in_ROW_SHAPES(run, tmp_path, monkeypatch):
    from chukmath import formats
    from chukmath.errors import ConfigError
    from chukmath.export import DPOOptions

    def row(problem, prompt, good, good_text, bad, bad_text):
        return {"question": prompt[-1]["content"], "good": good_text, "bad": bad_text, "id": problem.id}

    shape = formats.RowShape("dpo", "text", "jsonl", row, "question, good, bad, id (plain text)")
    monkeypatch.setitem(formats.ROW_SHAPES, "dpo:text", shape)
    _, run_dir = run
    shown = " ".join(CliRunner().invoke(app, ["export", "dpo", "--help"]).output.split())
    assert "; text: question, good, bad, id (plain text). [default: trl]" in shown
    assert "(default: jsonl for trl, jsonl for text)" in shown
    assert _export(run_dir, tmp_path / "text", "--shape", "text")["rows"] == 12
    _export(run_dir, tmp_path / "trl")
    text, trl = read_rows(tmp_path / "text" / "train.jsonl"), read_rows(tmp_path / "trl" / "train.jsonl")
    assert [(r["id"], r["good"], r["bad"]) for r in text] == [
        (p["problem_id"], p["chosen"][0]["content"], p["rejected"][0]["content"]) for p in trl
    ] and len(text) == 12
    with pytest.raises(ConfigError, match=r"--shape 'verl': expected trl or text"):
        DPOOptions(shape="verl")


def test_all_accepted_samples_count_not_only_the_one_keep_first_wrote(run, tmp_path):
    _, run_dir = run
    train_ids = {row["id"] for row in read_rows(run_dir / "train.jsonl")}
    _export(run_dir, tmp_path / "dpo", "--pairs-per-problem", "4")
    pairs = read_rows(tmp_path / "dpo" / "train.jsonl")
    # Per 5 problems: 1 chosen x 2 rejected + 2 x 2 + 2 x 1 (identical correct texts count once) = 8.
    assert len(pairs) == 32
    chosen_ids = {p["chosen_id"] for p in pairs}
    assert chosen_ids - train_ids, "a second accepted sample (not in train.jsonl) is chosen too"
    keys = [(p["chosen_id"], p["rejected_id"]) for p in pairs]
    assert len(keys) == len(set(keys))


def test_which_reasons_reject_is_an_option_and_truncation_is_left_out_by_default(run, tmp_path):
    _, run_dir = run
    default = read_rows(_out(_export(run_dir, tmp_path / "a", "--pairs-per-problem", "9")))
    assert not any("truncated" in p["rejected_reasons"] for p in default)
    wider = read_rows(
        _out(_export(run_dir, tmp_path / "b", "-k", "9", "--rejected-reasons", "all"))
    )
    assert any("truncated" in p["rejected_reasons"] for p in wider) and len(wider) > len(default)
    only_wrong = read_rows(_out(_export(run_dir, tmp_path / "c", "-k", "9", "--rejected-reasons", "wrong_answer")))
    assert {r for p in only_wrong for r in p["rejected_reasons"]} == {"wrong_answer"}
    bad = CliRunner().invoke(
        app, ["export", "dpo", str(run_dir), "--out", str(tmp_path / "d"), "--rejected-reasons", "wrong"]
    )
    assert bad.exit_code != 0 and "wrong_answer" in str(bad.exception)


def _out(report):
    return __import__("pathlib").Path(report["out"]) / "train.jsonl"


def test_pairs_follow_the_split_of_the_run_recipe(run, tmp_path):
    _, run_dir = run
    report = _export(run_dir, tmp_path / "dpo", "--test", "0.3", "--as", "parquet")
    from datasets import load_dataset

    files = {name: str(tmp_path / "dpo" / name) for name in report["files"]}
    assert set(files) == {"train.parquet", "test.parquet"}
    data = load_dataset("parquet", data_files={"train": files["train.parquet"], "test": files["test.parquet"]})
    train, test = set(data["train"]["problem_id"]), set(data["test"]["problem_id"])
    assert train and test and not train & test
    assert report["split"]["overlap"]["questions"] == 0 and report["split"]["overlap"]["expressions"] == 0


def test_rejection_sampling_recipe_passes_dry_run(tmp_path):
    result = CliRunner().invoke(
        app,
        ["build", "--recipe", "datasets/rejection_sampling.toml", "--out", str(tmp_path / "rs"), "--dry-run", "--json"],
    )
    assert result.exit_code == 0, result.output
    plan = orjson.loads(result.stdout)
    assert not (tmp_path / "rs").exists() or not any((tmp_path / "rs").iterdir())
    text = orjson.dumps(plan).decode()
    assert "answer_blind" in text and "rl-checkpoint" in text
    assert plan["samples"] == 4 and plan["split"] == {"test": 0.05, "test_count": None}
