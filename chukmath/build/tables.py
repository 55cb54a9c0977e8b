"""stats.json as tables (by family, difficulty, verdict and reason; tokens and cost), for the CLI and the card."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Table:
    """A titled table of plain values; rendered as a rich table by ``chukmath stats`` and as Markdown in README."""

    title: str
    headers: tuple[str, ...]
    rows: list[tuple[object, ...]]


TOTALS_ORDER = (
    "problems",
    "responses",
    "accepted",
    "acceptance_rate",
    "written",
    "rejected",
    "duplicates",
    "over_cap",
    "no_response",
    "problems_with_samples",
    "orphan_journal_keys",
    "claims_checked",
    "claims_skipped",
)


def _pct(rate: object) -> str:
    return f"{100 * rate:.1f}%" if isinstance(rate, int | float) else "-"


def _group_table(title: str, key_name: str, groups: dict[str, dict[str, Any]], numeric: bool) -> Table:
    keys = sorted(groups, key=(lambda k: (int(k) if k.lstrip("-").isdigit() else 0, k)) if numeric else str)
    rows = [
        (
            k,
            groups[k].get("problems", 0),
            groups[k].get("responses", 0),
            groups[k].get("accepted", 0),
            groups[k].get("written", 0),
            _pct(groups[k].get("acceptance_rate")),
        )
        for k in keys
    ]
    return Table(title, (key_name, "problems", "responses", "accepted", "samples", "acceptance"), rows)


def stats_tables(stats: dict[str, Any]) -> list[Table]:
    """The tables of a stats.json object, in reading order; sections absent from the file are left out."""
    tables: list[Table] = []
    totals = stats.get("totals") or {}
    if totals:
        # stats.json is written with sorted keys; show the totals in reading order instead.
        keys = [k for k in TOTALS_ORDER if k in totals] + sorted(k for k in totals if k not in TOTALS_ORDER)
        rows = [(k, _pct(totals[k]) if k == "acceptance_rate" else totals[k]) for k in keys]
        tables.append(Table("Totals", ("count", "value"), rows))
    if stats.get("by_generator"):
        tables.append(_group_table("By family", "family", stats["by_generator"], numeric=False))
    if stats.get("by_difficulty"):
        tables.append(_group_table("By difficulty", "difficulty", stats["by_difficulty"], numeric=True))
    responses = totals.get("responses") or 0
    if stats.get("by_verdict"):
        rows = [
            (k, v, _pct(v / responses if responses else None))
            for k, v in sorted(stats["by_verdict"].items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        tables.append(Table("Acceptance by verdict (each response once)", ("verdict", "responses", "share"), rows))
    if stats.get("by_reason"):
        rows = [
            (k, v, _pct(v / responses if responses else None))
            for k, v in sorted(stats["by_reason"].items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        tables.append(Table("Rejection reasons (a response may have several)", ("reason", "responses", "share"), rows))
    tokens = stats.get("tokens") or {}
    cost = stats.get("cost") or {}
    if tokens or cost:
        # stats.json is written with sorted keys; show prompt, completion, total in reading order.
        order = ("prompt", "completion", "total", "responses_with_usage")
        keys = [k for k in order if k in tokens] + sorted(k for k in tokens if k not in order)
        rows = [(f"{k} tokens" if k != "responses_with_usage" else k, tokens[k]) for k in keys]
        if cost:
            rows.append(("cost (USD)", f"{cost.get('usd', 0.0):.4f}"))
            rows.append(("price in / out (USD per 1M tokens)", f"{cost.get('price_in')} / {cost.get('price_out')}"))
        tables.append(Table("Tokens and cost", ("item", "value"), rows))
    tables += held_out_tables(stats)
    return tables


def held_out_tables(stats: dict[str, Any]) -> list[Table]:
    """The train/test split (with the measured overlap) and the decontamination, when the run had them."""
    tables: list[Table] = []
    split = stats.get("split") or {}
    if split:
        problems, samples, overlap = split.get("problems", {}), split.get("samples", {}), split.get("overlap", {})
        rows: list[tuple[object, ...]] = [
            ("test share", split["test"] if split.get("test") is not None else f"{split.get('test_count')} problems"),
            ("problems train / test", f"{problems.get('train', 0)} / {problems.get('test', 0)}"),
            ("samples train / test", f"{samples.get('train', 0)} / {samples.get('test', 0)}"),
            ("moved by a shared key / held out of both", f"{split.get('moved', 0)} / {split.get('held_out', 0)}"),
            ("overlap: shared normalised questions", overlap.get("questions")),
            ("overlap: shared expressions", overlap.get("expressions")),
            ("method", split.get("method", "")),
        ]
        tables.append(Table("Train/test split", ("item", "value"), rows))
    decon = stats.get("decontamination") or {}
    if decon:
        rows = [("problems checked", decon.get("checked")), ("dropped", decon.get("dropped"))]
        rows += [(f"dropped by {name}", n) for name, n in (decon.get("by_benchmark") or {}).items()]
        rows += [("method", decon.get("method", ""))]
        tables.append(Table("Decontamination", ("item", "value"), rows))
    return tables
