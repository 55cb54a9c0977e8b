"""README.md dataset card: what the set is, how it was made, its counts, one example and how to reproduce it.

The card is a Hugging Face dataset card made with ``huggingface_hub``'s :class:`~huggingface_hub.DatasetCard`:
YAML metadata (license, language, task categories, tags, size category and ``configs``, which tell ``datasets``
and the Hub which files hold which split) above the Markdown. It is deterministic (no clock times), so a resumed
run writes the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from chukmath.build.recipe import OPERATIONAL_TEACHER_KEYS, BuildRecipe
from chukmath.build.tables import Table

TASK_CATEGORIES = ["text-generation", "question-answering"]
TAGS = ["math", "reasoning", "chain-of-thought", "synthetic", "sft", "chukmath"]
# The Hub's size buckets, by number of rows (upper bounds exclusive).
_SIZES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
          (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B")]


def size_category(rows: int) -> str:
    """The Hub's ``size_categories`` value for ``rows`` rows."""
    return next((label for bound, label in _SIZES if rows < bound), "n>1T" if rows >= 10**12 else "1B<n<10B")


def _has_rows(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def dataset_configs(root: str | Path, file_format: str = "jsonl") -> list[dict[str, Any]]:
    """The card's ``configs``: ``default`` with the train (and test) split, ``rejects`` as a config of its own.

    Only files that hold rows are named (``datasets`` cannot read a split from an empty file), as the format
    names them (:mod:`chukmath.formats`: JSONL by file name, Parquet by the Hub's shard pattern ``data/train-*``).
    """
    from chukmath.formats import DEFAULT_CONFIG, get_format, run_splits

    root = Path(root)
    chosen = get_format(file_format)
    # Each config's splits, in the order formats.run_splits gives them (the default config first).
    files: dict[str, list[dict[str, str]]] = {}
    for split in run_splits():
        if path := chosen.data_files(root, split.split):
            files.setdefault(split.config, []).append({"split": split.config_split, "path": path})
    return [
        {"config_name": name, "data_files": data_files, **({"default": True} if name == DEFAULT_CONFIG else {})}
        for name, data_files in files.items()
    ]


def _recipe_shown(recipe: BuildRecipe) -> dict[str, Any]:
    # What decides the data: operational teacher settings (concurrency, endpoint, prices) and the description
    # (shown above) are left out, so a run resumed with other settings writes the same card.
    data = recipe.model_dump(mode="json")
    data.pop("description", None)
    # Folders on the machine that built it say nothing to a reader; the template hashes above identify the templates.
    data.get("prompt", {}).pop("templates_dirs", None)
    data["teacher"] = {k: v for k, v in data["teacher"].items() if k not in OPERATIONAL_TEACHER_KEYS}
    return data


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


def _load_snippet(configs: list[dict[str, Any]], file_format: str) -> str:
    files = {c["config_name"]: {f["split"]: f["path"] for f in c["data_files"]} for c in configs}
    lines = ["from datasets import load_dataset", ""]
    if "default" in files:
        splits = ", ".join(files["default"])
        lines.append(f'ds = load_dataset("path/to/this/folder")  # or "USER/NAME" once pushed; splits: {splits}')
    if "rejects" in files:
        lines.append('rejects = load_dataset("path/to/this/folder", "rejects")["train"]  # with their reasons')
    if "default" in files:
        named = ", ".join(f'"{split}": "{path}"' for split, path in files["default"].items())
        from chukmath.formats import get_format

        builder = get_format(file_format).builder
        lines += ["# the files alone, without this card:", f'ds = load_dataset("{builder}", data_files={{{named}}})']
    return "\n".join(lines)


def _configs_text(configs: list[dict[str, Any]]) -> list[str]:
    if not configs:
        return ["No file holds rows yet, so the card names no configs.", ""]
    lines = ["| config | split | files |", "|---|---|---|"]
    for config in configs:
        for entry in config["data_files"]:
            lines.append(f"| `{config['config_name']}` | {entry['split']} | `{entry['path']}` |")
    return [*lines, ""]


def render_card(
    *,
    recipe: BuildRecipe,
    manifest: dict[str, Any],
    tables: list[Table],
    totals: dict[str, int],
    example: dict[str, Any] | None,
    command: str,
    configs: list[dict[str, Any]] | None = None,
) -> str:
    """The dataset card (YAML metadata + Markdown): deterministic (no clock times), so a resumed run writes the
    same bytes. ``configs`` is :func:`dataset_configs` of the run directory (what files hold which split)."""
    from huggingface_hub import DatasetCard, DatasetCardData

    configs = configs if configs is not None else []
    t = recipe.teacher
    model = manifest.get("model") or t.model or "-"
    teacher = (
        "the built-in offline teacher (exact traces from the expression tree"
        + (f"; trace style `{t.trace_style}`)" if t.trace_style != "classic"
           else ")")
        if t.kind == "builtin"
        else (
            f"`{t.model}` via the {t.title} "
            f"(temperature {t.temperature}, top_p {t.top_p}, max_tokens {t.max_tokens}, "
            f"{t.samples} sample(s) a problem)"
        )
    )
    own = recipe.problem_source  # [source]: the user's own problems
    made = "generated" if own is None else "given"
    families = ", ".join(
        f"`{m['generator']}` (weight {m.get('weight', 1)}"
        + (f", difficulty {m['difficulty']}" if "difficulty" in m else "")
        + ")"
        for m in recipe.mix
    )
    templates = ", ".join(f"`{name}` ({digest[:12]})" for name, digest in sorted(manifest["template_hashes"].items()))
    versions = manifest.get("versions", {})
    from chukmath.formats import get_format

    file_format = get_format(recipe.output.format)
    where = file_format.described
    parts = [
        f"# {recipe.name}",
        "",
        recipe.description or "Synthetic math reasoning data made with chukmath.",
        "",
        f"**{totals['accepted']:,} verified samples** from {totals['problems']:,} {made} problems, in {where}: "
        "each row is a user question and an assistant turn "
        "`<think>…</think>\\n<answer>…</answer>\\n<verifier_answer>…</verifier_answer>` whose final answer was "
        "checked against the exact answer computed by code. "
        + (
            f"Rejected responses and their reasons are the `rejects` config "
            f"({file_format.rejects_at})."
            if any(c["config_name"] == "rejects" for c in configs)
            else "No response was rejected, so there is no `rejects` config."
        ),
        "",
        "## Configs and splits",
        "",
        *_configs_text(configs),
        "## How it was made",
        "",
        f"- Problems: {totals['problems']:,} from seed {recipe.seed}, families {families}."
        if own is None
        else f"- Problems: {totals['problems']:,} rows of `{Path(own.path).name}` (question `{own.question_col}`, "
        f"answer `{own.answer_col}` read as {own.answer_format}), not generated: their answers are the source's.",
        f"- Prompt template(s) and their hashes: {templates}.",
        f"- Teacher: {teacher}.",
        f"- Model: `{model}`.",
        f"- Verification: policy `{recipe.verify.policy}` (which reasons reject), language "
        f"`{recipe.verify.language}`, tolerance `{recipe.verify.tolerance}` (which inexact numbers count); "
        f"kept: {_keep_rule(recipe)}.",
        f"- Tool: chukmath {versions.get('chukmath', '?')}, Python {versions.get('python', '?')}, "
        f"sympy {versions.get('sympy', '?')}; recipe fingerprint `{manifest['fingerprint'][:16]}`.",
        f"- License: `{recipe.output.license}` (the recipe's `[output] license`; chukmath's default is `apache-2.0`)."
        " A teacher model's terms of use may call for another.",
        "- Run times, versions and the full recipe are in `manifest.json`; every teacher answer is in "
        "`responses.jsonl`.",
        "",
        "## Recipe",
        "",
        "What decides the data (operational settings such as concurrency, endpoint and prices left out):",
        "",
        _fence(orjson.dumps(_recipe_shown(recipe), option=orjson.OPT_INDENT_2).decode(), "json"),
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
        _fence(_load_snippet(configs, recipe.output.format), "python"),
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
    rows = totals.get("accepted", 0)
    data = DatasetCardData(
        license=recipe.output.license,
        language=[recipe.verify.language],
        task_categories=TASK_CATEGORIES,
        tags=TAGS,
        size_categories=[size_category(rows)],
        pretty_name=recipe.name,
        configs=configs or None,
    )
    return str(DatasetCard(f"---\n{data.to_yaml()}\n---\n\n" + "\n".join(parts)))
