"""Output file formats: how rows become files. One :class:`FileFormat` per format, all in :data:`FORMATS`.

A format says everything the rest of chukmath asks of it: what it needs installed, how one stream of rows is
written (exports: ``chukmath export rl``/``dpo`` ``--as``), which files it publishes in a run directory from the
JSONL splits the run works in (``[output] format``), the path the dataset card names for a split and the
``datasets`` builder that reads them. Adding a format is adding an entry here.

The row layouts the exports write are here too, one :class:`RowShape` each in :data:`ROW_SHAPES`: which export
writes it (its ``--shape``), the format it is written in unless ``--as`` says otherwise, and the function that makes
a row. Adding a layout is adding an entry here (and its row function). The chat and rejects rows of a run are not
in this table: ``build`` and ``verify`` write one layout each (chukmath.write.samples).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from chukmath.errors import ConfigError, OutputError
from chukmath.jsonl import dumps_line

# The JSONL files a run works in, by split (``rejects`` is a config of its own on the card).
RUN_JSONL = {"train": "train.jsonl", "test": "test.jsonl", "rejects": "rejects.jsonl"}


class RowsFile(Protocol):
    """One file being written row batch by row batch, under a temporary name until :meth:`close`."""

    def write(self, rows: list[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class FileFormat:
    """One output file format (see the module docstring)."""

    name: str
    suffix: str  # of an exported file: train.<suffix>
    builder: str  # the ``datasets`` builder that reads the files (``load_dataset(builder, data_files=...)``)
    described: str  # where the card says the splits are
    rejects_at: str  # where the card says the rejects are
    require: Callable[[], None]  # ConfigError saying how to install what the format needs
    open_rows: Callable[[Path], RowsFile]  # a file of rows at this path (written whole or not at all by the caller)
    publish: Callable[[Path], list[Path]]  # run directory: write this format's files from the JSONL splits
    withdraw: Callable[[Path], None]  # run directory: remove the files an earlier run in this format left
    data_files: Callable[[Path, str], str | None]  # run directory, split -> the card's path for it (None: no rows)


class _JsonlRows:
    def __init__(self, path: Path) -> None:
        try:
            self._fh: IO[bytes] = path.open("wb")
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror})") from None

    def write(self, rows: list[dict[str, Any]]) -> None:
        self._fh.write(b"".join(dumps_line(r) for r in rows))

    def close(self) -> None:
        self._fh.close()


def _has_rows(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _no_requirement() -> None:
    return None


JSONL = FileFormat(
    name="jsonl",
    suffix="jsonl",
    builder="json",
    described="chat JSONL (`train.jsonl`)",
    rejects_at="`rejects.jsonl`",
    require=_no_requirement,
    open_rows=_JsonlRows,
    publish=lambda root: [],  # the working files are the published ones
    withdraw=lambda root: None,  # they stay: resume and re-judging read them whatever the format is
    data_files=lambda root, split: RUN_JSONL[split] if _has_rows(root / RUN_JSONL[split]) else None,
)


def _parquet_part(name: str) -> Any:
    # chukmath.write.parquet (and pyarrow) are imported when a Parquet file is written, not when a CLI starts.
    from chukmath.write import parquet

    return getattr(parquet, name)


PARQUET = FileFormat(
    name="parquet",
    suffix="parquet",
    builder="parquet",
    described="sharded Parquet under `data/` (JSONL beside it)",
    rejects_at="`rejects/`",
    require=lambda: _parquet_part("need_pyarrow")(),
    open_rows=lambda path: _parquet_part("ParquetRows")(path),
    publish=lambda root: _parquet_part("publish_run")(root),
    withdraw=lambda root: _parquet_part("withdraw_run")(root),
    data_files=lambda root, split: _parquet_part("run_data_files")(root, split),
)


FORMATS: dict[str, FileFormat] = {f.name: f for f in (JSONL, PARQUET)}


@dataclass(frozen=True)
class RowShape:
    """One row layout of an export (see the module docstring).

    ``row`` takes what its export hands it: ``export rl`` (problem, prompt, split, RLOptions, pass rate or None);
    ``export dpo`` (problem, prompt messages, chosen outcome, chosen text, rejected outcome, rejected text).
    ``finalize`` fills in the fields a row's position in its file decides; ``text_prompt`` says whether the prompt
    may be one string (``--prompt-format text``).
    """

    export: str  # the export command that writes it: rl or dpo
    name: str  # its --shape
    file_format: str  # a FORMATS name: the format unless --as says otherwise
    row: Callable[..., dict[str, Any]]
    text_prompt: bool = True
    finalize: Callable[[dict[str, Any], int], None] | None = None


def _export_part(module: str, name: str) -> Any:
    # The exports (and what they import) load when rows are written, not when a CLI starts.
    from importlib import import_module

    return getattr(import_module(f"chukmath.export.{module}"), name)


# Every row layout ``export rl --shape`` and ``export dpo --shape`` write, keyed "export:shape".
ROW_SHAPES: dict[str, RowShape] = {
    f"{s.export}:{s.name}": s
    for s in (
        RowShape("rl", "trl", "jsonl", lambda *a: _export_part("rl", "trl_shape_row")(*a)),
        RowShape("rl", "verl", "parquet", lambda *a: _export_part("rl", "verl_shape_row")(*a), text_prompt=False,
                 finalize=lambda row, n: _export_part("rl", "set_verl_index")(row, n)),
        RowShape("dpo", "trl", "jsonl", lambda *a: _export_part("dpo", "trl_pair")(*a), text_prompt=False),
    )
}  # fmt: skip


def shapes(export: str) -> dict[str, RowShape]:
    """The row layouts ``export`` writes, by ``--shape`` name, in registry order."""
    return {s.name: s for s in ROW_SHAPES.values() if s.export == export}


def get_shape(export: str, name: str) -> RowShape:
    """``export``'s layout called ``name``; ConfigError naming the layouts it has."""
    found = shapes(export).get(name)
    if found is None:
        raise ConfigError(f"--shape {name!r}: expected {' or '.join(shapes(export))}")
    return found


def get_format(name: str, where: str = "format") -> FileFormat:
    """The format called ``name``; ConfigError naming ``where`` and the formats there are."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ConfigError(f"{where} {name!r}: unknown format; use one of {', '.join(FORMATS)}") from None


def sync_run_files(root: str | Path, name: str) -> list[Path]:
    """In a run directory: publish ``name``'s files from the JSONL splits and remove what other formats left
    there, so the card never names stale files. Returns the files written."""
    root = Path(root)
    chosen = get_format(name)
    for other in FORMATS.values():
        if other is not chosen:
            other.withdraw(root)
    return chosen.publish(root)
