"""`chukmath stats DIR`: the tables of stats.json (family, difficulty, verdict, reason, tokens and cost)."""

from __future__ import annotations

import orjson
from typer.testing import CliRunner

from chukmath.cli.main import app

STATS = {
    "totals": {"problems": 10, "responses": 12, "accepted": 9, "rejected": 3, "written": 8, "acceptance_rate": 0.75},
    "by_generator": {
        "quadratic": {"problems": 4, "responses": 5, "accepted": 3, "written": 3, "acceptance_rate": 0.6},
        "arithmetic": {"problems": 6, "responses": 7, "accepted": 6, "written": 5, "acceptance_rate": 0.857143},
    },
    "by_difficulty": {
        "10": {"problems": 1, "responses": 1, "accepted": 1, "written": 1, "acceptance_rate": 1.0},
        "2": {"problems": 9, "responses": 11, "accepted": 8, "written": 7, "acceptance_rate": 0.727},
    },
    "by_verdict": {"correct": 9, "wrong_answer": 2, "bad_step": 1},
    "by_reason": {"wrong_answer": 2, "bad_step": 2, "format": 1},
    "tokens": {"prompt": 1200, "completion": 3400, "total": 4600, "responses_with_usage": 12},
    "cost": {"usd": 0.0086, "price_in": 1.0, "price_out": 2.2},
}


def test_stats_prints_every_table(tmp_path):
    (tmp_path / "stats.json").write_bytes(orjson.dumps(STATS))
    result = CliRunner().invoke(app, ["stats", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, repr(result.exception)
    out = result.stdout
    for needle in (
        "Totals",
        "By family",
        "By difficulty",
        "Acceptance by verdict",
        "Rejection reasons",
        "Tokens and cost",
        "quadratic",
        "60.0%",
        "wrong_answer",
        "bad_step",
        "4600",
        "0.0086",
    ):
        assert needle in out, needle
    # Families alphabetically, difficulties numerically (2 before 10), totals in reading order.
    assert out.index("arithmetic") < out.index("quadratic")
    assert out.index("│ 2 ") < out.index("│ 10 ")
    assert out.index("problems") < out.index("rejected")
    assert out.index("prompt tokens") < out.index("completion tokens") < out.index("total tokens")


def test_stats_accepts_the_file_itself_and_rejects_garbage(tmp_path):
    path = tmp_path / "stats.json"
    path.write_bytes(orjson.dumps(STATS))
    assert CliRunner().invoke(app, ["stats", str(path)]).exit_code == 0
    path.write_text("{not json")
    bad = CliRunner().invoke(app, ["stats", str(path)])
    assert bad.exit_code != 0 and "not valid JSON" in str(bad.exception)
    path.write_text("[1, 2]")
    assert "expected a JSON object" in str(CliRunner().invoke(app, ["stats", str(path)]).exception)
