"""``chukmath serve-rewards``: a thin wrapper over :mod:`chukmath.rewards.server`."""

from __future__ import annotations

from typing import Annotated

import typer

from chukmath.errors import ConfigError
from chukmath.rewards import REWARDS
from chukmath.rewards.server import MAX_BATCH, MAX_BODY_BYTES, MAX_CONNECTIONS, RewardService, load_problems, serve


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


_Host = Annotated[str, typer.Option(metavar="HOST", help="Address to listen on; keep 127.0.0.1 unless needed.")]
_Port = Annotated[int, typer.Option(metavar="PORT", help="Port to listen on (0 picks a free one and prints it).")]
_Problems = Annotated[
    str | None, typer.Option(metavar="FILE", help="JSONL of chukmath problems, to score by problem id.")
]
_Reward = Annotated[
    list[str] | None,
    typer.Option(metavar="NAME[=WEIGHT]", help=f"Repeatable; names: {', '.join(REWARDS)}. Default: accuracy=1."),
]
_Labels = Annotated[
    str, typer.Option(metavar="KIND", help="What OpenRLHF's labels hold: answer, or problem_id (needs --problems).")
]
_Language = Annotated[str, typer.Option(metavar="CODE", help="Target language of the 'language' reward.")]
_MaxBatch = Annotated[int, typer.Option(metavar="N", help="Most completions in one request (more: 413).")]
_MaxBody = Annotated[float, typer.Option(metavar="MIB", help="Largest request body in MiB (more: 413).")]
_MaxConnections = Annotated[
    int, typer.Option(metavar="N", help="Connections served at once, a thread each; more wait to be accepted.")
]
_Verbose = Annotated[bool, typer.Option(help="Log every request to stderr.")]


def serve_rewards(
    host: _Host = "127.0.0.1",
    port: _Port = 8000,
    problems: _Problems = None,
    reward: _Reward = None,
    labels: _Labels = "answer",
    language: _Language = "en",
    max_batch: _MaxBatch = MAX_BATCH,
    max_body_mb: _MaxBody = MAX_BODY_BYTES / 2**20,
    max_connections: _MaxConnections = MAX_CONNECTIONS,
    verbose: _Verbose = False,
) -> None:
    """Serve chukmath's reward functions over HTTP for trainers that score rollouts remotely.

    POST /rewards takes {"completions": [...], "answers": [...]} (or "problem_ids") and returns
    {"rewards": [...], "components": {...}}; POST /get_reward is OpenRLHF's remote reward model
    (--remote_rm_url http://HOST:PORT/get_reward). See docs/rewards.md.

    Example: chukmath serve-rewards --port 8000 --problems data/problems.jsonl --reward accuracy --reward format=0.2
    """
    if max_connections < 1:
        raise ConfigError(f"--max-connections {max_connections}: must be at least 1")
    if max_body_mb <= 0:
        raise ConfigError(f"--max-body-mb {max_body_mb}: must be more than 0")
    service = RewardService(
        weights=_weights(reward or []),
        problems=load_problems(problems) if problems else {},
        labels=labels,
        language=language,
        max_batch=max_batch,
    )
    serve(service, host, port, max_body_bytes=int(max_body_mb * 2**20), verbose=verbose,
          max_connections=max_connections)  # fmt: skip


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("serve-rewards")(serve_rewards)
