"""bench/sft_proof_device.sh refuses a malformed arm list before it touches the GPU, the model or the wheels."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "sft_proof_device.sh"


def start(tmp_path: Path, *arms: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PROOF_ROOT": str(tmp_path / "root"), "PROOF_MODEL_DIR": str(tmp_path / "model")}
    return subprocess.run(
        ["bash", str(SCRIPT), "start", *arms], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )


@pytest.mark.parametrize(
    ("arms", "said"),
    [
        ((), "start needs at least one arm"),
        (("mix",), "write NAME:STYLE:STAGES[:OPTIONS]"),
        (("bad name:mix:sft",), "write NAME:STYLE:STAGES[:OPTIONS]"),
        (("a:mix:sft", "a:classic:sft"), "arm names used twice: a"),
        (("a:mix:sft:--epochs 2; rm -rf /",), "OPTIONS are sft_proof.py options"),
        (("a:mix:sft:$(id)",), "OPTIONS are sft_proof.py options"),
    ],
)
def test_start_refuses_a_malformed_arm_list(tmp_path: Path, arms: tuple[str, ...], said: str) -> None:
    result = start(tmp_path, *arms)
    assert result.returncode == 2, result.stderr
    assert said in result.stderr
    assert not (tmp_path / "root").exists()  # refused before anything was written


def test_start_takes_per_arm_options_then_needs_a_gpu(tmp_path: Path) -> None:
    # a well-formed list (one arm with its own options) passes the checks and stops at the missing GPU
    result = start(tmp_path, "mix_2ep:mix:sft,sampled:--epochs 2 --lr 1e-4", "errors:mix:ablate_errors")
    assert "write NAME:STYLE" not in result.stderr and "OPTIONS" not in result.stderr
    assert result.returncode == 5 and "no GPU answers nvidia-smi" in result.stderr


def test_progress_says_where_each_arm_stands_and_the_training_time_left(tmp_path: Path) -> None:
    logs = tmp_path / "root" / "logs"
    logs.mkdir(parents=True)
    (logs / "mix.log").write_text(
        "data: 30000 train rows\n  step 1/1878 loss 2.6220 after 1 s\n  step 451/1878 loss 0.0700 after 150 s\n"
    )
    (logs / "errors.log").write_text(
        "  step 10/10 loss 0.0700 after 15 s\ntrain systematic errors: 10 steps\n"
        "SFT systematic errors, greedy: accuracy 0.4\n"
    )
    (logs / "late.log").write_text("data: 30000 train rows, 448 test problems\n")
    (logs / "data-mix.log").write_text("data: 30000 train rows\n")
    env = {"PATH": "/usr/bin:/bin", "PROOF_ROOT": str(tmp_path / "root")}
    result = subprocess.run(["bash", str(SCRIPT), "progress"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "progress errors: trained (10 steps); last: SFT systematic errors, greedy: accuracy 0.4",
        "progress late: not training yet; last: data: 30000 train rows, 448 test problems",
        "progress mix: step 451 of 1878 (24 %) after 150 s, about 474 s of training left",
    ]
