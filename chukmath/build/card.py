"""README.md dataset card: what the set is, how it was made, its counts, one example and how to reproduce it."""

from __future__ import annotations

from typing import Any

import orjson

from chukmath.build.recipe import BuildRecipe
from chukmath.build.tables import Table

LOAD_SNIPPET = 'from datasets import load_dataset\n\nds = load_dataset("json", data_files="train.jsonl")["train"]'
# With a [split] table: the held-out test.jsonl shares no normalised question or expression with train.jsonl.
LOAD_SPLIT_SNIPPET = (
    'from datasets import load_dataset\n\nds = load_dataset("json", data_files={"train": "train.jsonl", '
    '"test": "test.jsonl"})'
)


def _markdown_table(table: Table) -> str:
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = [
        f"| {' | '.join(cell(h) for h in table.headers)} |",
        f"|{'|'.join('---' for _ in table.headers)}|",
    ]
    lines += [f"| {' | '.join(cell(v) for v in row)} |" for row in table.rows]
    return "\n".join(lines)


def _fence(text: str, lang: str = "") -> str:
    # A fence longer than any backtick run inside, so teacher text cannot close it early.
    longest = max((len(run) for run in text.split("\n") if set(run) == {"`"}), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text}\n{ticks}"


def _keep_rule(recipe: BuildRecipe) -> str:
    v = recipe.verify
    if v.keep == "first":
        return "the first accepted response of each problem"
    if v.max_per_problem is None:
        return "every accepted response (identical texts once)"
    return f"up to {v.max_per_problem} accepted responses per problem (identical texts once)"


def render_card(
    *,
    recipe: BuildRecipe,
    manifest: dict[str, Any],
    tables: list[Table],
    totals: dict[str, int],
    example: dict[str, Any] | None,
    command: str,
) -> str:
    """The dataset card as Markdown: deterministic (no clock times), so a resumed run writes the same bytes."""
    t = recipe.teacher
    teacher = (
        "the built-in offline teacher (exact traces from the expression tree)"
        if t.kind == "builtin"
        else (
            f"`{t.model}` via the {'OpenAI Batch API' if t.kind == 'batch' else 'OpenAI-compatible chat API'} "
            f"(temperature {t.temperature}, top_p {t.top_p}, max_tokens {t.max_tokens}, "
            f"{t.samples} sample(s) a problem)"
        )
    )
    families = ", ".join(
        f"`{m['generator']}` (weight {m.get('weight', 1)}"
        + (f", difficulty {m['difficulty']}" if "difficulty" in m else "")
        + ")"
        for m in recipe.mix
    )
    templates = ", ".join(f"`{name}` ({digest[:12]})" for name, digest in sorted(manifest["template_hashes"].items()))
    versions = manifest.get("versions", {})
    parts = [
        f"# {recipe.name}",
        "",
        recipe.description or "Synthetic math reasoning data made with chukmath.",
        "",
        f"**{totals['accepted']:,} verified samples** from {totals['problems']:,} generated problems, in chat JSONL "
        "(`train.jsonl`): each row is a user question and an assistant turn "
        "`<think>…</think>\\n<answer>…</answer>\\n<verifier_answer>…</verifier_answer>` whose final answer was "
        "checked against the exact answer computed by code. Rejected responses and their reasons are in "
        "`rejects.jsonl`.",
        "",
        "## How it was made",
        "",
        f"- Problems: {totals['problems']:,} from seed {recipe.seed}, families {families}.",
        f"- Prompt template(s): {templates}.",
        f"- Teacher: {teacher}.",
        f"- Verification: policy `{recipe.verify.policy}` (which reasons reject), language "
        f"`{recipe.verify.language}`; kept: {_keep_rule(recipe)}.",
        f"- Tool: chukmath {versions.get('chukmath', '?')}, Python {versions.get('python', '?')}, "
        f"sympy {versions.get('sympy', '?')}; recipe fingerprint `{manifest['fingerprint'][:16]}`.",
        "- Run times, versions and the full recipe are in `manifest.json`; every teacher answer is in "
        "`responses.jsonl`.",
        "",
    ]
    has_reasons = any(table.title.startswith("Rejection reasons") for table in tables)
    for table in tables:
        parts += [f"## {table.title}", "", _markdown_table(table), ""]
        if table.title.startswith("Acceptance by verdict") and not has_reasons:
            parts += ["## Rejection reasons", "", "No response was rejected.", ""]
    parts += ["## Example sample", ""]
    if example is None:
        parts += ["No sample was accepted.", ""]
    else:
        text = orjson.dumps(example, option=orjson.OPT_INDENT_2).decode()
        parts += [_fence(text, "json"), ""]
    parts += [
        "## Load it",
        "",
        _fence(LOAD_SPLIT_SNIPPET if recipe.split is not None else LOAD_SNIPPET, "python"),
        "",
        "## Reproduce",
        "",
        "Same recipe, same seed, same chukmath version ⇒ the same problems; with the built-in teacher, the same "
        "bytes. Re-running the command in this directory resumes and asks nothing that is already in "
        "`responses.jsonl`.",
        "",
        _fence(command, "sh"),
        "",
    ]
    return "\n".join(parts)
