"""``chukmath verify``: check teacher answers against the exact ones and write the SFT dataset."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from chukmath.errors import ConfigError
from chukmath.outpath import check_output


def _default_requests(responses: Path) -> Path:
    candidate = responses.parent / "requests.jsonl"
    if not candidate.exists():
        raise ConfigError(
            f"--requests not given and {candidate} does not exist: pass the requests file the journal answers "
            "(the output of `chukmath prompts`), so answers can be matched to problems"
        )
    return candidate


def format_summary(stats: dict[str, Any], out_dir: Path) -> str:
    """The few lines printed to stderr after a run."""
    t = stats["totals"]
    rate = t["acceptance_rate"]
    lines = [
        f"verified {t['responses']} responses for {t['problems']} problems: {t['accepted']} accepted"
        + (f" ({rate:.1%})" if rate is not None else "")
        + f", {t['rejected']} rejected",
        f"wrote {t['written']} samples to {out_dir / 'train.jsonl'} ({t['duplicates']} duplicate texts and "
        f"{t['over_cap']} over the per-problem limit left out), {t['rejected']} rejects to "
        f"{out_dir / 'rejects.jsonl'}",
    ]
    rejected = {k: v for k, v in stats["by_reason"].items() if v}
    if rejected:
        by_reason = ", ".join(f"{k} {v}" for k, v in sorted(rejected.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"reasons: {by_reason}")
    if t["no_response"]:
        lines.append(f"no response (only failed attempts in the journal): {t['no_response']} — re-run the teacher")
    if t["orphan_journal_keys"]:
        lines.append(
            f"warning: {t['orphan_journal_keys']} journal answers match no request/problem in the inputs "
            "(wrong --requests or --problems file?)"
        )
    return "\n".join(lines)


def verify(
    problems: Annotated[Path, typer.Option("--problems", help="Problems JSONL (from `chukmath generate`).")],
    responses: Annotated[Path, typer.Option("--responses", help="The teacher's journal (responses JSONL).")],
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Where train.jsonl, rejects.jsonl and stats.json go.")],
    requests: Annotated[
        Path | None,
        typer.Option(
            "--requests",
            help="Requests JSONL the journal answers (maps answers to problems and prompts). "
            "Default: requests.jsonl next to the journal.",
        ),
    ] = None,
    policy: Annotated[
        str, typer.Option("--policy", help="Reasons that reject: 'all' or a comma list, e.g. 'wrong_answer,format'.")
    ] = "all",
    keep: Annotated[
        str, typer.Option("--keep", help="'first': one sample per problem; 'all': every accepted one.")
    ] = "first",
    max_per_problem: Annotated[
        int | None, typer.Option("--max-per-problem", min=1, help="With --keep all: at most N samples per problem.")
    ] = None,
    user_turn: Annotated[
        str,
        typer.Option(
            "--user-turn", help="'question': the plain problem text; 'prompt': the teacher prompt's messages."
        ),
    ] = "question",
    system: Annotated[
        str | None, typer.Option("--system", help="A system message to put first in every sample.")
    ] = None,
    strip_verifier_answer: Annotated[
        bool,
        typer.Option("--strip-verifier-answer", help="Leave the <verifier_answer> line out of the assistant turn."),
    ] = False,
    language: Annotated[
        str,
        typer.Option(
            "--language",
            help="Language the reasoning must be in (en, fr, de, es, it, pt, nl, ..., zh, ja, ko, ru, ar, hi): "
            "reasoning in another language, or with letters of a script it does not use, is the 'language' reason.",
        ),
    ] = "en",
    tolerance: Annotated[
        str,
        typer.Option(
            "--tolerance",
            help="Which inexact numbers count as right. 'asked' or 'exact' (default): only the rounding the question "
            "asks for ('Round to 2 decimal places', 'to the nearest tenth'); 'graded': also within a relative 1e-4 "
            "(what eval and the rewards use); 'abs:X': also within X of the exact value; "
            "'rel:X': also within X times its size; 'digits:N': also a decimal of N+ significant digits, rounded "
            "or cut off. Example: --tolerance rel:1e-6",
        ),
    ] = "asked",
    as_json: Annotated[bool, typer.Option("--json", help="Print stats.json to stdout as well.")] = False,
) -> None:
    """Verify teacher answers and write train.jsonl (chat format for SFT), rejects.jsonl and stats.json.

    Example: chukmath verify --problems problems.jsonl --requests requests.jsonl --responses responses.jsonl
    --out-dir datasets/demo --keep all --max-per-problem 2
    """
    from chukmath.write import DatasetPaths, SelectOptions, write_dataset

    check_output(out_dir, option="--out-dir", folder=True)

    options = SelectOptions(
        keep=keep,  # type: ignore[arg-type]  # validated by SelectOptions
        max_per_problem=max_per_problem,
        user_turn=user_turn,  # type: ignore[arg-type]
        system=system,
        strip_verifier_answer=strip_verifier_answer,
        language=language,
        tolerance=tolerance,
    )
    inputs = DatasetPaths(problems=problems, requests=requests or _default_requests(responses), responses=responses)
    stats = write_dataset(inputs, out_dir, policy_spec=policy, options=options)
    print(format_summary(stats, out_dir), file=sys.stderr)
    if as_json:
        sys.stdout.buffer.write(orjson.dumps(stats, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2))
        sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("verify")(verify)
