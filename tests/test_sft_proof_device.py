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
