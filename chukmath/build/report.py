"""Human-readable output of build and stats: the end-of-run summary and the stats tables (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from chukmath.build.pipeline import BuildSummary
from chukmath.build.plan import OUT_ACTIONS, BuildPlan
from chukmath.build.tables import Table, stats_tables


def _rich(table: Table) -> RichTable:
    out = RichTable(title=table.title, title_justify="left")
    for i, header in enumerate(table.headers):
        out.add_column(header, justify="left" if i == 0 else "right")
    for row in table.rows:
        out.add_row(*(str(v) for v in row))
    return out


def print_stats(stats: dict, source: str, console: Console | None = None) -> None:
    """Print every table of a stats.json object."""
    console = console or Console()
    console.print(f"[bold]{source}[/bold]")
    for table in stats_tables(stats):
        console.print(_rich(table))


def _block(plan: BuildPlan) -> int:
    """How many problems this run builds: the recipe's count, or a shard's block."""
    return plan.count if plan.shard is None else plan.shard["stop"] - plan.shard["start"]


def _answers_line(plan: BuildPlan) -> str:
    """How many teacher answers the plan asks for, and what the gate (split, --decontaminate) keeps out."""
    each = f"({plan.samples} a problem)"
    if plan.requests_at_most:
        return (f"at most {plan.requests:,} teacher answers {each}: the problems the split or --decontaminate keep "
                "out are not asked, and were not counted here")
    if not plan.kept_out or plan.admitted == _block(plan):
        return f"{plan.requests:,} teacher answers {each}"
    why = [f"{n:,} {what}" for what, n in (("by --decontaminate", plan.kept_out["decontaminated"]),
                                           ("held out of both splits", plan.kept_out["held_out"])) if n]
    return (f"{plan.admitted:,} asked ({_block(plan) - (plan.admitted or 0):,} kept out: {', '.join(why)}); "
            f"{plan.requests:,} teacher answers {each}")


def print_plan(plan: BuildPlan, console: Console | None = None) -> None:
    """``build --dry-run``: what the run would do, and the first prompt it would send."""
    console = console or Console(highlight=False, soft_wrap=True, markup=False)
    console.print(f"recipe: {plan.name} ({plan.recipe}), fingerprint {plan.fingerprint[:16]}")
    if plan.shard is None:
        console.print(f"problems: {plan.count:,} from seed {plan.seed}; {_answers_line(plan)}")
    else:
        shard = plan.shard
        console.print(f"problems: {plan.count:,} from seed {plan.seed}; shard {shard['index']}/{shard['of']} builds "
                      f"problems {shard['start']:,} to {shard['stop'] - 1:,} ({_block(plan):,}): {_answers_line(plan)}")
    for f in plan.families:
        level = f" difficulty {f['difficulty']}," if f["difficulty"] is not None else ""
        console.print(f"  {f['generator']}: weight {f['weight']},{level} template {f['template']}")
    for warning in plan.warnings:
        console.print(warning)
    console.print("templates: " + ", ".join(f"{name} {digest[:12]}" for name, digest in plan.templates.items()))
    t = plan.teacher
    line = f"teacher: {t['kind']}, model {t['model']}"
    if "base_url" in t:
        line += f" at {t['base_url'] or 'the default OpenAI URL'}, concurrency {t['concurrency']}"
        if t["api_key_env"]:
            state = "set" if t["key_set"] else "NOT set: export it before the real run"
            line += f"; key from {t['api_key_env']} ({state})"
    console.print(line)
    if plan.split is not None:
        share = f"{plan.split['test']:g} of the problems" if plan.split.get("test") else ""
        if plan.split.get("test_count"):
            share += (", " if share else "") + f"at most {plan.split['test_count']:,} problems"
        console.print(f"split: test.jsonl holds {share}; no normalised question or expression is in both splits")
    action = OUT_ACTIONS[plan.out_action]
    if plan.out_action == "resume":
        grown = ""
        if plan.previous_count is not None and plan.previous_count != plan.count:
            verb = "extends" if plan.count > plan.previous_count else "cuts"
            grown = f"; {verb} it from {plan.previous_count:,} to {plan.count:,} problems"
        action += f"; its journal holds {plan.journal_lines:,} lines{grown}"
    console.print(f"out: {plan.out}: {action}")
    first = plan.first_problem
    if first is None:
        console.print("this shard's block holds no problem: it asks nothing (the recipe's count is below N)")
        console.print("dry run: nothing was sent and nothing was written")
        return
    console.print(f"first prompt (problem {first['index']}, {first['generator']}, answer {first['answer']}):")
    for message in plan.first_request:
        console.print(f"  [{message['role']}]")
        for text_line in str(message["content"]).splitlines():
            console.print(f"    {text_line}")
    console.print("dry run: nothing was sent and nothing was written")


def print_summary(summary: BuildSummary, console: Console | None = None) -> None:
    """The lines `make demo` shows at the end: where the dataset is and what it holds."""
    console = console or Console(highlight=False, soft_wrap=True)
    rate = f"{100 * summary.acceptance_rate:.1f}%" if summary.acceptance_rate is not None else "-"
    console.print(f"dataset: {summary.files['train']}")
    console.print(
        f"{summary.name}: {summary.problems:,} problems, {summary.responses:,} responses "
        f"({summary.asked:,} asked, {summary.from_journal:,} from the journal, {summary.failed:,} failed), "
        f"{summary.accepted:,} accepted ({rate}), {summary.rejected:,} rejected"
    )
    if summary.by_reason:
        reasons = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.by_reason.items(), key=lambda kv: -kv[1]))
        console.print(f"rejected for: {reasons}")
    console.print(f"card: {summary.files['card']}  stats: chukmath stats {summary.out}")
    console.print(f"{summary.elapsed_s:.1f} s, {summary.samples_per_s:,.0f} problems/s")
