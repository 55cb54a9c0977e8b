"""The written files load unchanged with Hugging Face `datasets` and are in TRL's conversational format."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from test_write_support import make_case, read_jsonl

from chukmath.write import DatasetPaths, SelectOptions, write_dataset


def _require_datasets() -> None:
    if importlib.util.find_spec("datasets") is not None:
        return
    message = "this test needs the `datasets` package from the dev extra: pip install -e '.[dev]'"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # No network, and a private cache so the test neither reads nor pollutes the user's.
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf" / "datasets"))


@pytest.mark.parametrize("user_turn", ["question", "prompt"])
def test_train_and_rejects_load_with_datasets(tmp_path: Path, offline: None, user_turn: str) -> None:
    _require_datasets()
    import datasets

    case = make_case(tmp_path)
    out = tmp_path / "out"
    write_dataset(
        DatasetPaths(case.problems, case.requests, case.journal),
        out,
        options=SelectOptions(keep="all", user_turn=user_turn),  # type: ignore[arg-type]
    )
    expected = read_jsonl(out / "train.jsonl")
    train = datasets.load_dataset("json", data_files=str(out / "train.jsonl"), split="train")
    assert train.num_rows == len(expected) == 4
    assert train.column_names == list(expected[0])
    assert train["messages"] == [row["messages"] for row in expected]
    assert train["problem_id"] == [row["problem_id"] for row in expected]
    # TRL's conversational format: a list of {role, content} turns ending with the assistant's.
    for messages in train["messages"]:
        assert set().union(*(m.keys() for m in messages)) == {"role", "content"}
        assert messages[-1]["role"] == "assistant" and messages[-2]["role"] == "user"
        assert messages[-1]["content"].startswith("<think>\n")

    rejects = datasets.load_dataset("json", data_files=str(out / "rejects.jsonl"), split="train")
    assert rejects.num_rows == len(read_jsonl(out / "rejects.jsonl"))
    assert "wrong_answer" in rejects["reasons"][0]
