"""What a run's answers came to: one reading of the answer engine's Counters that ``teach`` and ``build`` share
(:class:`AnswerCounts`), teach's summary (failures by kind, retries, tokens, cost from prices per million tokens),
and price tables."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from chukmath.errors import ConfigError
from chukmath.teach.progress import Counters


@dataclass(slots=True, frozen=True)
class Prices:
    """USD per million prompt (``input``) and completion (``output``) tokens."""

    input: float
    output: float

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        """USD for these token counts."""
        return (prompt_tokens * self.input + completion_tokens * self.output) / 1_000_000


def load_price_table(path: str | Path) -> dict[str, Prices]:
    """Read a TOML price table: ``["model-name"]`` sections with ``in`` and ``out`` (USD per million tokens)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"--prices {path}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"--prices {path}: not valid TOML ({exc})") from None
    table: dict[str, Prices] = {}
    for model, entry in data.items():
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), int | float) and not isinstance(entry.get(k), bool) and entry[k] >= 0
            for k in ("in", "out")
        ):
            raise ConfigError(
                f"--prices {path}: [{model}] needs numbers 'in' and 'out' >= 0 (USD per million tokens)"
            )
        table[model] = Prices(float(entry["in"]), float(entry["out"]))
    return table


def pick_prices(
    model: str, price_in: float | None, price_out: float | None, table: dict[str, Prices] | None
) -> Prices | None:
    """Prices from the options, else the table entry for ``model`` (ConfigError if the table lacks it), else None."""
    for flag, price in (("--price-in", price_in), ("--price-out", price_out)):
        if price is not None and not price >= 0:
            raise ConfigError(f"{flag} {price:g}: must be >= 0 USD per million tokens")
    if price_in is not None or price_out is not None:
        return Prices(price_in or 0.0, price_out or 0.0)
    if table is not None:
        if model not in table:
            known = ", ".join(sorted(table)) or "no models"
            raise ConfigError(f"--prices: the price table has no [\"{model}\"] section (it has {known}); add one "
                              "or pass --price-in and --price-out")
        return table[model]
    return None


@dataclass(slots=True, frozen=True)
class AnswerCounts:
    """What the answer engine did with a run's keys, read from its :class:`~chukmath.teach.progress.Counters` by
    :meth:`of`: the one place those counters become a summary's numbers (``teach``'s table and ``--json``,
    ``build``'s summary line, ``--json`` and manifest entry, eval's run figures)."""

    keys: int  # (request, sample) keys met: found in the journal, repeated in the input, or asked
    from_journal: int  # answered before this run: taken from the journal, not asked again
    duplicates: int  # repeated in the input (answered once)
    asked: int  # requested from the teacher in this run
    received: int  # answers (successes and failures) that arrived in this run
    succeeded: int  # successful answers that arrived in this run
    truncated: int  # of those, cut for length
    failed: int  # failed answers (the next run asks them again)
    failures_by_kind: dict[str, int]
    retries: int
    prompt_tokens: int
    completion_tokens: int

    @classmethod
    def of(cls, counters: Counters) -> AnswerCounts:
        """The counts of ``counters`` as they stand."""
        return cls(
            keys=counters.resumed + counters.duplicates + counters.asked,
            from_journal=counters.resumed,
            duplicates=counters.duplicates,
            asked=counters.asked,
            received=counters.received,
            succeeded=counters.answered - counters.resumed,
            truncated=counters.truncated,
            failed=counters.failed,
            failures_by_kind=dict(counters.failures_by_kind),
            retries=counters.retries,
            prompt_tokens=counters.prompt_tokens,
            completion_tokens=counters.completion_tokens,
        )


@dataclass(slots=True)
class TeachSummary:
    """Counts for one run. ``total`` keys = requests x samples; ``skipped`` were already in the journal;
    ``duplicates`` occur more than once in the requests file (answered once)."""

    total: int = 0
    skipped: int = 0
    duplicates: int = 0
    sent: int = 0
    succeeded: int = 0
    truncated: int = 0
    failed: int = 0
    failures_by_kind: dict[str, int] = field(default_factory=dict)
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    elapsed_s: float = 0.0
    interrupted: bool = False
    not_started: int = 0
    journal: str = ""
    teacher: str = ""
    model: str = ""

    @classmethod
    def of(cls, counters: Counters, *, journal: str, teacher: str, model: str) -> TeachSummary:
        """The summary of a run from its counters, through :class:`AnswerCounts`: ``total`` is its keys, ``skipped``
        the keys found in the journal, ``sent`` the answers received in this run."""
        counts = AnswerCounts.of(counters)
        return cls(
            total=counts.keys,
            skipped=counts.from_journal,
            duplicates=counts.duplicates,
            sent=counts.received,
            succeeded=counts.succeeded,
            truncated=counts.truncated,
            failed=counts.failed,
            failures_by_kind=counts.failures_by_kind,
            retries=counts.retries,
            prompt_tokens=counts.prompt_tokens,
            completion_tokens=counts.completion_tokens,
            journal=journal,
            teacher=teacher,
            model=model,
        )

    @property
    def requests_per_s(self) -> float:
        return self.sent / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def price(self, prices: Prices | None) -> None:
        """Set ``cost_usd`` from the tokens counted so far."""
        self.cost_usd = None if prices is None else prices.cost(self.prompt_tokens, self.completion_tokens)

    def to_dict(self) -> dict[str, Any]:
        """The JSON summary (``--json``)."""
        return {
            "journal": self.journal,
            "teacher": self.teacher,
            "model": self.model,
            "total": self.total,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "sent": self.sent,
            "succeeded": self.succeeded,
            "truncated": self.truncated,
            "failed": self.failed,
            "failures_by_kind": dict(sorted(self.failures_by_kind.items())),
            "retries": self.retries,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": None if self.cost_usd is None else round(self.cost_usd, 6),
            "elapsed_s": round(self.elapsed_s, 3),
            "requests_per_s": round(self.requests_per_s, 2),
            "interrupted": self.interrupted,
            "not_started": self.not_started,
        }

    def print(self, console: Console) -> None:
        """A table for people."""
        table = Table(title=f"teach: {self.teacher} {self.model}".strip(), show_header=False, box=None)
        table.add_column(justify="left")
        table.add_column(justify="right")
        rows: list[tuple[str, str]] = [
            ("keys (requests x samples)", f"{self.total:,}"),
            ("already in journal", f"{self.skipped:,}"),
        ]
        if self.duplicates:
            rows.append(("repeated in the requests file", f"{self.duplicates:,} (answered once)"))
        rows += [
            ("answered this run", f"{self.sent:,}"),
            ("  succeeded", f"{self.succeeded:,}"),
            ("  of which truncated", f"{self.truncated:,}"),
            ("  failed", f"{self.failed:,}"),
        ]
        rows += [(f"    {kind}", f"{n:,}") for kind, n in sorted(self.failures_by_kind.items())]
        rows += [
            ("retries", f"{self.retries:,}"),
            ("tokens in / out", f"{self.prompt_tokens:,} / {self.completion_tokens:,}"),
            ("cost", "-" if self.cost_usd is None else f"${self.cost_usd:,.4f}"),
            ("time", f"{self.elapsed_s:.1f} s ({self.requests_per_s:,.1f} answers/s)"),
        ]
        if self.interrupted:
            rows.append(("interrupted; not started", f"{self.not_started:,} (rerun the command to resume)"))
        elif self.failed:
            rows.append(("to retry the failures", "rerun the same command"))
        for label, value in rows:
            table.add_row(label, value)
        console.print(table)
