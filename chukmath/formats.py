"""What chukmath writes. An output is a (file format, row shape) pair, and both are tables in this module.

- :class:`FileFormat`, one per format in :data:`FORMATS` (jsonl, parquet): what it needs installed, how a stream of
  rows becomes a file (``export rl``/``dpo`` ``--as``), which files it publishes in a run directory from the JSONL
  splits the run works in (``[output] format``), the path the dataset card names for a split and the ``datasets``
  builder that reads them.
- :class:`RowShape`, one per row layout in :data:`ROW_SHAPES`, keyed ``writer:name``: every row chukmath writes.
  ``run:chat`` and ``run:rejects`` are the train/test and rejects rows of ``build`` and ``verify``; ``rl:trl``,
  ``rl:verl`` and ``dpo:trl`` are the layouts ``export rl --shape`` and ``export dpo --shape`` offer. A shape names
  its columns, the files its rows go to, the format it is written in unless ``--as`` says otherwise, and the
  function that makes a row.
- :class:`Output` (:func:`output`): one writer's layout and file format, the default format being the shape's own.

Adding a format is one ``FORMATS`` entry; adding a layout is one ``ROW_SHAPES`` entry and its row function. The
CLI's ``--shape`` and ``--as`` (help and validation) and the writers read these tables, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from chukmath.errors import ConfigError, OutputError
from chukmath.jsonl import dumps_line


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
    data_files=lambda root, split: _jsonl_data_files(root, split),
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


# Who writes rows: the run's rows come from build and verify, the others from export rl / export dpo --shape.
RUN, RL, DPO = "run", "rl", "dpo"


@dataclass(frozen=True)
class RowShape:
    """One row layout (see the module docstring).

    ``row`` takes what its writer hands it. ``run:chat``: (problem, request, response, the turns before the
    assistant's, the assistant text, claims); ``run:rejects``: (problem, response, reasons, details, verifier_answer,
    claims); ``export rl``: (problem, prompt, split, RLOptions, pass rate or None); ``export dpo``: (problem, prompt
    messages, chosen outcome, chosen text, rejected outcome, rejected text). ``finalize`` fills in the fields a row's
    position in its file decides; ``text_prompt`` says whether the prompt may be one string (``--prompt-format
    text``).
    """

    writer: str  # RUN, RL or DPO
    name: str  # its --shape (a run's: its role, chat or rejects)
    file_format: str  # a FORMATS name: the format unless --as says otherwise (a run works in JSONL)
    row: Callable[..., dict[str, Any]]
    about: str  # its columns, as --shape's help shows them
    splits: tuple[str, ...] = ("train", "test")  # the files its rows go to (test.* only with a split)
    text_prompt: bool = True
    finalize: Callable[[dict[str, Any], int], None] | None = None


class _Later:
    """A function of a chukmath module, imported at its first call: the writers and the exports (and all they
    import) load when rows are made, not when a CLI starts."""

    def __init__(self, module: str, name: str) -> None:
        self._where = (module, name)
        self._function: Callable[..., Any] | None = None

    def __call__(self, *args: Any) -> Any:
        function = self._function
        if function is None:
            from importlib import import_module

            module, name = self._where
            function = self._function = getattr(import_module(f"chukmath.{module}"), name)
        return function(*args)


# Every row layout chukmath writes, keyed "writer:name".
ROW_SHAPES: dict[str, RowShape] = {
    f"{s.writer}:{s.name}": s
    for s in (
        RowShape(RUN, "chat", "jsonl", _Later("write.samples", "sample_row"),
                 "messages (the turns before the assistant's, then its normalized answer), id, problem_id, generator, "
                 "difficulty, answer, teacher, model, template, claims"),
        RowShape(RUN, "rejects", "jsonl", _Later("write.samples", "reject_row"),
                 "id, problem_id, request_id, sample, generator, difficulty, reasons, details, verifier_answer, "
                 "expected, content (the raw response), claims", splits=("rejects",)),
        RowShape(RL, "trl", "jsonl", _Later("export.rl", "trl_shape_row"),
                 "prompt (chat messages, or a string with --prompt-format text), answer, generator, difficulty, "
                 "problem_id (TRL's GRPOTrainer)"),
        RowShape(RL, "verl", "parquet", _Later("export.rl", "verl_shape_row"),
                 "data_source, prompt (chat messages), ability, reward_model {style: rule, ground_truth}, "
                 "extra_info {split, index, problem_id, generator, difficulty, question} (verl's data layout)",
                 text_prompt=False, finalize=_Later("export.rl", "set_verl_index")),
        RowShape(DPO, "trl", "jsonl", _Later("export.dpo", "trl_pair"),
                 "prompt (the messages up to the user turn), chosen and rejected (one assistant message each), "
                 "problem_id, generator, difficulty, answer, chosen_id, rejected_id, rejected_reasons, model "
                 "(TRL DPOTrainer's conversational pair)", text_prompt=False),
    )
}  # fmt: skip

# The dataset card's config that ``load_dataset(path)`` reads when none is named.
DEFAULT_CONFIG = "default"


@dataclass(frozen=True)
class RunSplit:
    """One split a run writes, and where the dataset card publishes it. The first run shape's splits (``run:chat``:
    train, test) make the default config under their own names; every other run shape's split is a config of its
    own name holding one ``train`` split (``load_dataset(path, "rejects")["train"]``)."""

    split: str  # the run's name for it: train, test, rejects
    jsonl: str  # the JSONL file the run works in: train.jsonl
    config: str  # the card's config holding it: DEFAULT_CONFIG, or the split's name (rejects)
    config_split: str  # its split inside that config


def run_splits() -> tuple[RunSplit, ...]:
    """Every split of the run's row shapes in :data:`ROW_SHAPES`, in table order (read at each call, so a run shape
    registered later is in it): the one place a run's split and file names come from."""
    found: list[RunSplit] = []
    for position, shape in enumerate(s for s in ROW_SHAPES.values() if s.writer == RUN):
        for split in shape.splits:
            config, inside = (DEFAULT_CONFIG, split) if position == 0 else (split, "train")
            found.append(RunSplit(split, f"{split}.{JSONL.suffix}", config, inside))
    return tuple(found)


# The JSONL files a run works in, by split (rejects is a config of its own on the card).
RUN_JSONL: dict[str, str] = {s.split: s.jsonl for s in run_splits()}


def _jsonl_data_files(root: Path, split: str) -> str | None:
    """The card's path for a run split in JSONL: its working file, when it holds rows (read from the table at each
    call, so a run shape registered later is found)."""
    name = next(s.jsonl for s in run_splits() if s.split == split)
    return name if _has_rows(root / name) else None


@dataclass(frozen=True)
class Output:
    """What one writer writes: rows of ``shape`` in files of ``file_format``."""

    shape: RowShape
    file_format: FileFormat


def shapes(writer: str) -> dict[str, RowShape]:
    """The row layouts ``writer`` writes, by ``--shape`` name, in registry order."""
    return {s.name: s for s in ROW_SHAPES.values() if s.writer == writer}


def get_shape(writer: str, name: str) -> RowShape:
    """``writer``'s layout called ``name``; ConfigError naming the layouts it has."""
    found = ROW_SHAPES.get(f"{writer}:{name}")
    if found is None:
        raise ConfigError(f"--shape {name!r}: expected {' or '.join(shapes(writer))}")
    return found


def output(writer: str, shape: str, file_format: str | None = None) -> Output:
    """``writer``'s ``--shape shape --as file_format``: the layout and its file format (the shape's own when
    ``file_format`` is None); ConfigError naming what the tables have when either is unknown."""
    row_shape = get_shape(writer, shape)
    return Output(row_shape, get_format(file_format or row_shape.file_format, "--as"))


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
