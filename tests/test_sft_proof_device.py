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


def test_a_wait_cut_off_still_leaves_the_results_saved_so_far(tmp_path: Path) -> None:
    """The device call that runs `wait` can be stopped at its time limit: on TERM the results the arms have saved
    are copied to $OUT before it exits, so a stopped call still brings them back."""
    import signal
    import time

    root = tmp_path / "root"
    (root / "logs").mkdir(parents=True)
    (root / "out" / "mix").mkdir(parents=True)
    (root / "logs" / "arm_list").write_text("mix:mix:sft\n")
    (root / "logs" / "arms.txt").write_text("GPU memory 81559 MiB, 30 GB an arm: 2 at once\n")
    (root / "logs" / "mix.log").write_text("  step 1/1878 loss 2.6 after 1 s\n  step 900/1878 loss 0.1 after 300 s\n")
    (root / "out" / "mix" / "results.json").write_text('{"results": {"sft": {"accuracy": 0.5}}}')
    out = tmp_path / "out"
    out.mkdir()
    env = {"PATH": "/usr/bin:/bin", "PROOF_ROOT": str(root), "OUT": str(out)}
    waiting = subprocess.Popen(
        ["bash", str(SCRIPT), "wait", "300"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    time.sleep(1.5)
    waiting.send_signal(signal.SIGTERM)
    stdout, stderr = waiting.communicate(timeout=30)
    assert waiting.returncode == 124, stderr
    assert "results as of now copied" in stdout
    assert (out / "mix.json").read_text() == '{"results": {"sft": {"accuracy": 0.5}}}'
    assert "progress mix: step 900 of 1878 (48 %)" in (out / "logs.txt").read_text()
