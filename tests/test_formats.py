"""Output file formats (chukmath.formats): one entry each, and an entry is all a new format needs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

from chukmath import formats
from chukmath.build.card import dataset_configs
from chukmath.build.recipe import parse_recipe
from chukmath.errors import ConfigError
from chukmath.export.writers import SplitWriter

RECIPE = 'name = "f"\ncount = 2\n[[mix]]\ngenerator = "arithmetic"\n[output]\nformat = "{fmt}"\n'


class _TsvRows:
    def __init__(self, path: Path) -> None:
        self._fh = path.open("w")

    def write(self, rows: list[dict[str, Any]]) -> None:
        self._fh.writelines("\t".join(str(v) for v in row.values()) + "\n" for row in rows)

    def close(self) -> None:
        self._fh.close()


TSV = formats.FileFormat(
    name="tabs", suffix="tsv", builder="csv", described="TSV", rejects_at="`rejects.tsv`",
    require=lambda: None, open_rows=_TsvRows, publish=lambda root: [], withdraw=lambda root: None,
    data_files=lambda root, split: f"{split}.tsv" if (root / f"{split}.tsv").exists() else None,
)  # fmt: skip


def test_an_unknown_format_is_refused_naming_the_ones_there_are() -> None:
    with pytest.raises(ConfigError, match=r"--as 'csv': unknown format; use one of jsonl, parquet"):
        formats.get_format("csv", "--as")
    with pytest.raises(ConfigError, match=r"\[output\] format 'csv': unknown format"):
        parse_recipe(RECIPE.format(fmt="csv"))


def test_jsonl_rows_are_written_whole_and_named_on_the_card(tmp_path: Path) -> None:
    writer = SplitWriter(tmp_path, "jsonl")
    writer.write("train", {"a": 1})
    writer.write("train", {"a": 2})
    assert writer.close() == {"train.jsonl": 2}
    assert [orjson.loads(x) for x in (tmp_path / "train.jsonl").read_bytes().splitlines()] == [{"a": 1}, {"a": 2}]
    assert dataset_configs(tmp_path, "jsonl")[0]["data_files"] == [{"split": "train", "path": "train.jsonl"}]


def test_a_new_format_is_one_entry_in_FORMATS(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(formats.FORMATS, "tabs", TSV)
    assert parse_recipe(RECIPE.format(fmt="tabs")).output.format == "tabs"  # the recipe takes it
    writer = SplitWriter(tmp_path, "tabs")  # the exports write it, named by its suffix
    writer.write("train", {"a": 1, "b": "x"})
    assert writer.close() == {"train.tsv": 1}
    assert (tmp_path / "train.tsv").read_text() == "1\tx\n"
    configs = dataset_configs(tmp_path, "tabs")  # the card names its files
    assert configs == [{"config_name": "default", "data_files": [{"split": "train", "path": "train.tsv"}],
                        "default": True}]  # fmt: skip


def _problems_file(path: Path, count: int) -> list[dict[str, Any]]:
    from chukmath.generate import generate

    rows = list(generate("arithmetic", seed=3, count=count, difficulty=1).rows())
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return rows


def _flat(text: str) -> str:
    return " ".join(text.split())  # the help as one line, whatever width click wrapped it to


def test_a_new_rl_shape_is_one_entry_in_ROW_SHAPES(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from chukmath.cli.main import app

    def row(problem: Any, prompt: Any, split: str, options: Any, rate: float | None) -> dict[str, Any]:
        return {"question": problem.question, "gold": problem.answer, "split": split}

    # The one place: an entry in the table. The CLI's help and checks and the export's writer see it.
    shape = formats.RowShape("rl", "plain", "parquet", row, "question, gold, split (a plain layout)")
    monkeypatch.setitem(formats.ROW_SHAPES, "rl:plain", shape)
    runner = CliRunner()
    shown = _flat(runner.invoke(app, ["export", "rl", "--help"]).output)
    assert "question} (verl's data layout); plain: question, gold, split (a plain layout)." in shown
    assert "jsonl or parquet (default: jsonl for trl, parquet for verl, parquet for plain)." in shown

    problems = _problems_file(tmp_path / "problems.jsonl", 4)
    out = tmp_path / "plain"
    args = ["export", "rl", "--problems", str(tmp_path / "problems.jsonl"), "--out", str(out), "--json"]
    result = runner.invoke(app, [*args, "--shape", "plain", "--as", "jsonl"])
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout)["shape"] == "plain"
    rows = [orjson.loads(x) for x in (out / "train.jsonl").read_bytes().splitlines()]
    assert rows == [{"question": p["question"], "gold": p["answer"], "split": "train"} for p in problems]

    refused = runner.invoke(app, [*args, "--shape", "nope"])
    assert isinstance(refused.exception, ConfigError)
    assert str(refused.exception) == "--shape 'nope': expected trl or verl or plain"
    assert list(formats.shapes("dpo")) == ["trl"]  # another writer's layouts are not export rl's


def test_an_output_is_a_shape_and_a_file_format_the_shape_s_own_by_default() -> None:
    from chukmath.export import DPOOptions, RLOptions

    verl = formats.output("rl", "verl")
    assert verl.shape is formats.ROW_SHAPES["rl:verl"] and verl.file_format is formats.PARQUET
    assert formats.output("rl", "verl", "jsonl").file_format is formats.JSONL
    assert RLOptions(shape="verl").format == "parquet" and DPOOptions(file_format="parquet").format == "parquet"
    # A wrong --as is refused when the options are made, before any problem is read.
    with pytest.raises(ConfigError, match=r"--as 'csv': unknown format; use one of jsonl, parquet"):
        RLOptions(file_format="csv")
    with pytest.raises(ConfigError, match=r"--as 'csv': unknown format"):
        DPOOptions(file_format="csv")


def test_each_shape_names_a_format_and_its_row_function_resolves() -> None:
    for key, shape in formats.ROW_SHAPES.items():
        assert key == f"{shape.writer}:{shape.name}" and shape.file_format in formats.FORMATS and shape.about
    # The files a run works in are the splits of its two shapes.
    assert formats.RUN_JSONL == {"train": "train.jsonl", "test": "test.jsonl", "rejects": "rejects.jsonl"}
    from chukmath.export import RLOptions
    from chukmath.export.rl import trl_row, verl_row
    from chukmath.generate import generate
    from chukmath.records import Problem

    problem = next(Problem(**r) for r in generate("arithmetic", seed=1, count=1, difficulty=1).rows())
    prompt = [{"role": "user", "content": problem.question}]
    options = RLOptions(data_source="d")
    assert formats.get_shape("rl", "trl").row(problem, prompt, "test", options, 0.5) == trl_row(problem, prompt, 0.5)
    verl = formats.get_shape("rl", "verl")
    row = verl.row(problem, prompt, "test", options, None)
    assert row == verl_row(problem, prompt, "test", "d")
    assert verl.finalize is not None
    verl.finalize(row, 7)
    assert row["extra_info"]["index"] == 7
    with pytest.raises(ConfigError, match=r"--shape 'verl': expected trl"):
        formats.get_shape("dpo", "verl")
    assert list(formats.shapes("run")) == ["chat", "rejects"]


def test_verify_writes_the_run_shapes_of_ROW_SHAPES(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_write_support import make_case, read_jsonl

    from chukmath.write import DatasetPaths, SelectOptions, write_dataset

    case = make_case(tmp_path)
    paths = DatasetPaths(case.problems, case.requests, case.journal)
    write_dataset(paths, tmp_path / "chat", options=SelectOptions(keep="all"))

    def completion(problem: Any, request: Any, response: Any, messages: Any, assistant: str, claims: Any) -> Any:
        return {"prompt": messages, "completion": [{"role": "assistant", "content": assistant}], "id": problem.id}

    def reject(problem: Any, response: Any, reasons: list[str], *rest: Any) -> dict[str, Any]:
        return {"id": problem.id, "why": reasons}

    # Replacing the run's entries changes what verify (and build, through the same select_samples) writes.
    chat, rejects = formats.ROW_SHAPES["run:chat"], formats.ROW_SHAPES["run:rejects"]
    monkeypatch.setitem(formats.ROW_SHAPES, "run:chat", replace(chat, row=completion))
    monkeypatch.setitem(formats.ROW_SHAPES, "run:rejects", replace(rejects, row=reject))
    write_dataset(paths, tmp_path / "pc", options=SelectOptions(keep="all"))

    before, after = read_jsonl(tmp_path / "chat" / "train.jsonl"), read_jsonl(tmp_path / "pc" / "train.jsonl")
    assert after and [r["id"] for r in after] == [r["problem_id"] for r in before]
    assert [r["prompt"] + r["completion"] for r in after] == [r["messages"] for r in before]
    before, after = read_jsonl(tmp_path / "chat" / "rejects.jsonl"), read_jsonl(tmp_path / "pc" / "rejects.jsonl")
    assert after and after == [{"id": r["problem_id"], "why": r["reasons"]} for r in before]


def test_the_run_s_parquet_files_come_from_the_run_shapes_splits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow")
    from chukmath.write import parquet

    # The layout every run has had: train/test in the default config (data/), rejects a config of its own.
    assert parquet.run_shards() == {
        "train": ("train.jsonl", "data", "train"),
        "test": ("test.jsonl", "data", "test"),
        "rejects": ("rejects.jsonl", "rejects", "train"),
    }
    # A run shape registered in ROW_SHAPES alone is published, named on the card and withdrawn by the Parquet format.
    traces = replace(formats.ROW_SHAPES["run:rejects"], name="traces", splits=("traces",))
    monkeypatch.setitem(formats.ROW_SHAPES, "run:traces", traces)
    assert [s.jsonl for s in formats.run_splits()] == ["train.jsonl", "test.jsonl", "rejects.jsonl", "traces.jsonl"]
    (tmp_path / "train.jsonl").write_bytes(b'{"id": "a"}\n')
    (tmp_path / "traces.jsonl").write_bytes(b'{"id": "t1"}\n{"id": "t2"}\n')
    written = formats.PARQUET.publish(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "data/train-00000-of-00001.parquet", "traces/train-00000-of-00001.parquet",
    ]  # fmt: skip
    assert formats.PARQUET.data_files(tmp_path, "traces") == "traces/train-*"
    assert formats.PARQUET.data_files(tmp_path, "rejects") is None
    # ... and the dataset card's configs (build/card.py) name it, in either format
    from chukmath.build.card import dataset_configs

    assert dataset_configs(tmp_path, "parquet") == [
        {"config_name": "default", "data_files": [{"split": "train", "path": "data/train-*"}], "default": True},
        {"config_name": "traces", "data_files": [{"split": "train", "path": "traces/train-*"}]},
    ]  # fmt: skip
    assert dataset_configs(tmp_path, "jsonl") == [
        {"config_name": "default", "data_files": [{"split": "train", "path": "train.jsonl"}], "default": True},
        {"config_name": "traces", "data_files": [{"split": "train", "path": "traces.jsonl"}]},
    ]  # fmt: skip
    formats.PARQUET.withdraw(tmp_path)
    assert not (tmp_path / "traces").exists() and not (tmp_path / "data").exists()
