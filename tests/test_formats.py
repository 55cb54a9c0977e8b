"""Output file formats (chukmath.formats): one entry each, and an entry is all a new format needs."""

from __future__ import annotations

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
    name="tsv", suffix="tsv", builder="csv", described="TSV", rejects_at="`rejects.tsv`",
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
    monkeypatch.setitem(formats.FORMATS, "tsv", TSV)
    assert parse_recipe(RECIPE.format(fmt="tsv")).output.format == "tsv"  # the recipe takes it
    writer = SplitWriter(tmp_path, "tsv")  # the exports write it
    writer.write("train", {"a": 1, "b": "x"})
    assert writer.close() == {"train.tsv": 1}
    assert (tmp_path / "train.tsv").read_text() == "1\tx\n"
    configs = dataset_configs(tmp_path, "tsv")  # the card names its files
    assert configs == [{"config_name": "default", "data_files": [{"split": "train", "path": "train.tsv"}],
                        "default": True}]  # fmt: skip


def test_a_new_rl_shape_is_one_entry_in_ROW_SHAPES(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from chukmath.export import RLOptions, export_rl
    from chukmath.generate import generate
    from chukmath.records import Problem

    def row(problem: Problem, prompt: Any, split: str, options: Any, rate: float | None) -> dict[str, Any]:
        return {"question": problem.question, "gold": problem.answer, "split": split}

    monkeypatch.setitem(formats.ROW_SHAPES, "rl:plain", formats.RowShape("rl", "plain", "jsonl", row))
    problems = [Problem(**r) for r in generate("arithmetic", seed=3, count=4, difficulty=1).rows()]
    summary = export_rl(problems, tmp_path / "plain", RLOptions(shape="plain"))
    assert summary.files == {"train.jsonl": 4}
    rows = [orjson.loads(x) for x in (tmp_path / "plain" / "train.jsonl").read_bytes().splitlines()]
    assert rows[0] == {"question": problems[0].question, "gold": problems[0].answer, "split": "train"}
    with pytest.raises(ConfigError, match=r"--shape 'nope': expected trl or verl or plain"):
        RLOptions(shape="nope")
    assert list(formats.shapes("dpo")) == ["trl"]  # another export's layouts are not export rl's


def test_each_shape_names_a_format_and_its_row_function_resolves() -> None:
    for key, shape in formats.ROW_SHAPES.items():
        assert key == f"{shape.export}:{shape.name}" and shape.file_format in formats.FORMATS
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
