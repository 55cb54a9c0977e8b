"""bench/sft_proof.py's results.md table: accuracy's 95 % interval, the false-claim rate and the claims checked an
answer beside the false-step rate (and the rate counting false equalities only), and blank cells for results
written before eval reported them."""

from __future__ import annotations

from conftest import bench_module


def _metrics(accuracy: float, false_steps: float, **more: float) -> dict:
    return {"accuracy": accuracy, "pass@k": {"1": accuracy}, "format_rate": 1.0, "verified_rate": accuracy,
            "false_step_rate": false_steps, "mean_reasoning_words": 120.0, **more}  # fmt: skip


def test_the_table_shows_the_error_rate_a_claim_and_leaves_older_results_blank() -> None:
    proof = bench_module("sft_proof")
    summary = {"results": {
        "train:verified": {"steps": 10},
        "new": {"overall": _metrics(0.5, 0.4, false_claim_rate=0.174, mean_claims_checked=12.25,
                                    accuracy_ci95=[0.494, 0.586], false_equality_step_rate=0.35),
                "by_family": {"arithmetic": _metrics(0.5, 0.4)}},
        "old": {"overall": _metrics(0.6, 0.3), "by_family": {"arithmetic": _metrics(0.6, 0.3)}},
    }}  # fmt: skip
    lines = proof.markdown(summary).splitlines()
    assert lines[0] == ("| run | accuracy | 95% interval | pass@4 | format | verified | false step | false equality | "
                        "false claims | claims | reasoning words |")  # fmt: skip
    assert lines[2] == "| new | 50.0% | 49.4-58.6% |  | 100.0% | 50.0% | 40.0% | 35.0% | 17.4% | 12.2 | 120 |"
    assert lines[3] == "| old | 60.0% |  |  | 100.0% | 60.0% | 30.0% |  |  |  | 120 |"
    assert all(line.count("|") == lines[0].count("|") for line in lines[:4])
    assert not any("train:" in line for line in lines)
