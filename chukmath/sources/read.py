"""Rows of a problem source, each with where it came from: a JSONL file (``file:line``), a Parquet file
(``file row N``) or a Hugging Face ``datasets`` dataset (a ``save_to_disk`` folder, a data folder, or a Hub name;
``name [split] row N``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chukmath.errors import InputError
from chukmath.jsonl import read_jsonl

Row = tuple[str, dict[str, Any]]  # (where, row)
_BATCH = 4096


def source_kind(path: str | Path) -> str:
    """``jsonl``, ``parquet``, ``disk`` (``save_to_disk``), ``folder`` (data files) or ``hub`` (a dataset name)."""
    p = Path(path)
    if p.is_dir():
        if (p / "dataset_dict.json").is_file() or (p / "state.json").is_file():
            return "disk"
        return "folder"
    if p.suffix == ".parquet":
        return "parquet"
    if p.exists() or p.suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    return "hub"


def read_rows(path: str | Path, split: str = "") -> Iterator[Row]:
    """Every row of the source at ``path`` in order, as a dict, with its location for messages."""
    kind = source_kind(path)
    if kind == "jsonl":
        for number, obj in read_jsonl(path):
            yield f"{path}:{number}", obj
    elif kind == "parquet":
        yield from _parquet_rows(Path(path))
    else:
        dataset, label = _dataset(str(path), kind, split)
        for start in range(0, len(dataset), _BATCH):
            batch = dataset[start : start + _BATCH]
            names = list(batch)
            for offset, values in enumerate(zip(*(batch[n] for n in names), strict=True)):
                yield f"{label} row {start + offset}", dict(zip(names, values, strict=True))


def _parquet_rows(path: Path) -> Iterator[Row]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(f"{path}: reading Parquet needs pyarrow: pip install 'chukmath[parquet]'") from None
    try:
        parquet = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    row = 0
    for batch in parquet.iter_batches(batch_size=_BATCH):
        for obj in batch.to_pylist():
            yield f"{path} row {row}", obj
            row += 1


def _dataset(name: str, kind: str, split: str) -> tuple[Any, str]:
    """The dataset (one split) and a label: ``save_to_disk`` output by ``load_from_disk``, else ``load_dataset``."""
    try:
        import datasets
    except ImportError:
        raise InputError(f"{name}: reading a Hugging Face dataset needs the datasets package: pip install "
                         "datasets") from None
    try:
        if kind == "disk":
            loaded = datasets.load_from_disk(name)
        else:
            loaded = datasets.load_dataset(name, split=split or None)
    except (FileNotFoundError, ValueError, ConnectionError, OSError) as exc:
        hint = "" if kind != "hub" else " (not a file or folder here, so it was looked up as a Hub dataset name)"
        raise InputError(f"{name}: cannot load the dataset{hint}: {exc}") from None
    if isinstance(loaded, datasets.DatasetDict):
        splits = list(loaded)
        chosen = split or ("train" if "train" in splits else splits[0] if len(splits) == 1 else "")
        if chosen not in loaded:
            asked = f"has no split {split!r}" if split else "has several splits"
            raise InputError(f"{name}: {asked}; choose one of {', '.join(splits)} ([source] split, build "
                             "--source-split, prompts --split)")
        return loaded[chosen], f"{name} [{chosen}]"
    if split and kind == "disk" and getattr(loaded, "split", None) not in (None, split):
        raise InputError(f"{name}: holds split {loaded.split}, not {split}")
    return loaded, f"{name} [{split}]" if split else name


__all__ = ["Row", "read_rows", "source_kind"]
