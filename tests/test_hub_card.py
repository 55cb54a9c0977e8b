"""A build run is a Hugging Face dataset as it stands: the card's YAML declares the configs and splits that
`datasets.load_dataset(run_dir)` then yields, for JSONL and Parquet shards; a rerun writes the same card."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from chukmath.build.card import size_category
from chukmath.cli.main import app
from chukmath_testing.fault_server import FaultServer

# Every third problem gets a wrong answer from the loopback teacher, so there are rejects as well as samples.
TEMPLATE = """{#---
name = "echo"
description = "the loopback server echoes the last Answer: line"
variables = ["question", "answer", "problem"]
reveals_answer = true
---#}
Problem: {{ question }}
Answer: {{ answer if problem.index % 3 else "123456789" }}
"""
RECIPE = """name = "hub-card"
count = 30
seed = 11
[[mix]]
generator = "arithmetic"
difficulty = 1
[prompt]
template = "echo"
templates_dirs = ["{templates}"]
[teacher]
kind = "openai"
model = "loopback"
base_url = "{base_url}"
[split]
test = 0.3
[output]
format = "{format}"
license = "cc-by-4.0"
"""


def _datasets():
    if os.environ.get("CI", "").lower() == "true":
        import datasets
    else:
        datasets = pytest.importorskip("datasets")
    return datasets


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf" / "datasets"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-loopback")


def _build(tmp_path: Path, base_url: str, file_format: str, out: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "echo.jinja").write_text(TEMPLATE)
    recipe = tmp_path / f"r-{file_format}.toml"
    recipe.write_text(RECIPE.format(templates=templates, base_url=base_url, format=file_format))
    result = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output + repr(result.exception)


def _rows(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def _yaml(card: str) -> dict:
    from huggingface_hub import DatasetCard

    return DatasetCard(card).data.to_dict()


@pytest.mark.parametrize("file_format", ["jsonl", "parquet"])
def test_load_dataset_reads_the_splits_and_configs_the_card_declares(tmp_path, offline, file_format):
    datasets = _datasets()
    out = tmp_path / "run"
    with FaultServer() as server:
        _build(tmp_path, server.base_url, file_format, out)
        card = (out / "README.md").read_text()
        # A rerun (everything from the journal) writes the same card, byte for byte.
        _build(tmp_path, server.base_url, file_format, out)
    assert (out / "README.md").read_text() == card

    train, test, rejects = _rows(out / "train.jsonl"), _rows(out / "test.jsonl"), _rows(out / "rejects.jsonl")
    assert train and test and rejects

    meta = _yaml(card)
    assert meta["license"] == "cc-by-4.0" and meta["language"] == ["en"]
    assert "text-generation" in meta["task_categories"] and "math" in meta["tags"]
    assert meta["size_categories"] == ["n<1K"] and meta["pretty_name"] == "hub-card"
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert set(configs) == {"default", "rejects"} and configs["default"]["default"] is True
    paths = {f["split"]: f["path"] for f in configs["default"]["data_files"]}
    if file_format == "parquet":
        assert paths == {"train": "data/train-*", "test": "data/test-*"}
        assert configs["rejects"]["data_files"] == [{"split": "train", "path": "rejects/train-*"}]
        assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.parquet")) == [
            "data/test-00000-of-00001.parquet", "data/train-00000-of-00001.parquet",
            "rejects/train-00000-of-00001.parquet",
        ]
    else:
        assert paths == {"train": "train.jsonl", "test": "test.jsonl"}
        assert configs["rejects"]["data_files"] == [{"split": "train", "path": "rejects.jsonl"}]
        assert not list(out.rglob("*.parquet"))
    for text in ("## Recipe", "## Configs and splits", "- Model: `loopback`", "`echo` (", "## By family",
                 "## By difficulty", 'load_dataset("path/to/this/folder", "rejects")'):
        assert text in card, text

    cache = str(tmp_path / "cache")
    ds = datasets.load_dataset(str(out), cache_dir=cache)
    assert set(ds) == {"train", "test"}
    assert ds["train"]["id"] == [r["id"] for r in train] and ds["test"]["id"] == [r["id"] for r in test]
    assert ds["train"]["messages"] == [r["messages"] for r in train]
    bad = datasets.load_dataset(str(out), "rejects", cache_dir=cache)
    assert set(bad) == {"train"} and bad["train"]["reasons"] == [r["reasons"] for r in rejects]


def test_switching_back_to_jsonl_removes_the_shards_and_the_card_follows(tmp_path, offline):
    out = tmp_path / "run"
    with FaultServer() as server:
        _build(tmp_path, server.base_url, "parquet", out)
        assert list((out / "data").glob("*.parquet"))
        (out / "data" / "mine.txt").write_text("a file of the user's")
        _build(tmp_path, server.base_url, "jsonl", out)
    assert not list(out.rglob("*.parquet")) and not (out / "rejects").exists()
    assert (out / "data" / "mine.txt").exists()  # only the shards it wrote are removed
    assert "path: train.jsonl" in (out / "README.md").read_text()


def test_without_rejects_there_is_no_rejects_config(tmp_path, offline):
    out = tmp_path / "demo"
    recipe = Path(__file__).resolve().parent.parent / "datasets" / "demo.toml"
    result = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(out), "--count", "20", "-q"])
    assert result.exit_code == 0, repr(result.exception)
    card = (out / "README.md").read_text()
    meta = _yaml(card)
    assert [c["config_name"] for c in meta["configs"]] == ["default"]
    assert meta["license"] == "apache-2.0"  # the stated default
    assert "no `rejects` config" in card
    ds = _datasets().load_dataset(str(out), cache_dir=str(tmp_path / "cache"))
    assert set(ds) == {"train"} and ds["train"].num_rows == len(_rows(out / "train.jsonl"))


def test_parquet_is_sharded_by_size_with_hub_names(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    from chukmath.write.parquet import write_shards

    source = tmp_path / "train.jsonl"
    source.write_bytes(b"".join(orjson.dumps({"i": i, "text": "x" * 50}) + b"\n" for i in range(100)))
    shards = write_shards(source, tmp_path / "data", "train", shard_bytes=2000)
    names = [p.name for p in shards]
    assert names[0] == f"train-00000-of-{len(names):05d}.parquet" and len(names) > 1
    assert [r["i"] for p in shards for r in pq.read_table(p).to_pylist()] == list(range(100))
    # Fewer shards the next time: the old ones do not linger.
    assert [p.name for p in write_shards(source, tmp_path / "data", "train")] == ["train-00000-of-00001.parquet"]
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["train-00000-of-00001.parquet"]


def test_size_categories_follow_the_hub_buckets():
    assert [size_category(n) for n in (0, 999, 1000, 99_999, 100_000, 5_000_000)] == [
        "n<1K", "n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M",
    ]


def test_an_unknown_format_or_a_bad_license_is_refused_naming_the_key(tmp_path):
    for line, key in (('format = "csv"', "format"), ('license = "Not A License!"', "license")):
        recipe = tmp_path / "r.toml"
        recipe.write_text(f'name = "x"\ncount = 2\n[[mix]]\ngenerator = "arithmetic"\n[output]\n{line}\n')
        result = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(tmp_path / "o"), "-q"])
        assert result.exit_code != 0
        assert key in str(result.exception) + result.output
