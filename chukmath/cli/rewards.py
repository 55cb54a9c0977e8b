"""``chukmath serve-rewards``: a thin wrapper over :mod:`chukmath.rewards.server`."""

from __future__ import annotations

from typing import Annotated

import typer

from chukmath.errors import ConfigError
from chukmath.rewards import REWARDS
from chukmath.rewards.server import MAX_BATCH, MAX_BODY_BYTES, RewardService, load_problems, serve


def _weights(pairs: list[str]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        try:
            weight = float(value) if sep else 1.0
        except ValueError:
            raise ConfigError(f"--reward {pair!r}: the weight must be a number (e.g. --reward format=0.2)") from None
        if name not in REWARDS:
            raise ConfigError(f"--reward {pair!r}: unknown reward {name!r}; use any of {', '.join(REWARDS)}")
        weights[name] = weight
    return weights or {"accuracy": 1.0}


def serve_rewards(
    host: Annotated[str, typer.Option(help="Address to listen on. Keep 127.0.0.1 unless the trainer is elsewhere.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on (0 picks a free one and prints it).")] = 8000,
    problems: Annotated[
        str | None, typer.Option(help="JSONL of chukmath problems, to score by problem id instead of answer.")
    ] = None,
    reward: Annotated[
        list[str] | None,
        typer.Option(help=f"NAME[=WEIGHT], repeatable; names: {', '.join(REWARDS)}. Default: accuracy=1."),
    ] = None,
    labels: Annotated[
        str, typer.Option(help="What OpenRLHF's 'labels' hold: 'answer' or 'problem_id' (needs --problems).")
    ] = "answer",
    language: Annotated[str, typer.Option(help="Target language of the 'language' reward.")] = "en",
    max_batch: Annotated[int, typer.Option(help="Most completions in one request (more: 413).")] = MAX_BATCH,
    max_body_mb: Annotated[float, typer.Option(help="Largest request body in MiB (more: 413).")] = (
        MAX_BODY_BYTES / 2**20
    ),
    verbose: Annotated[bool, typer.Option(help="Log every request to stderr.")] = False,
) -> None:
    """Serve chukmath's reward functions over HTTP for trainers that score rollouts remotely.

    POST /rewards takes {"completions": [...], "answers": [...]} (or "problem_ids") and returns
    {"rewards": [...], "components": {...}}; POST /get_reward is OpenRLHF's remote reward model
    (--remote_rm_url http://HOST:PORT/get_reward). See docs/rewards.md.

    Example: chukmath serve-rewards --port 8000 --problems data/problems.jsonl --reward accuracy --reward format=0.2
    """
    service = RewardService(
        weights=_weights(reward or []),
        problems=load_problems(problems) if problems else {},
        labels=labels,
        language=language,
        max_batch=max_batch,
    )
    serve(service, host, port, max_body_bytes=int(max_body_mb * 2**20), verbose=verbose)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("serve-rewards")(serve_rewards)
