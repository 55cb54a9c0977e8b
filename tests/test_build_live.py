"""`chukmath build` with the openai teacher against the loopback fault server: key handling, failures, --json."""

from __future__ import annotations

import orjson
from test_build_support import build_json, echo_template, loopback_recipe, write_echo_recipe
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath_testing.fault_server import FaultServer

SECRET = "sk-test-0123456789abcdef"
TEMPLATE = echo_template(
    "Test prompt: the loopback server echoes the Answer line; marked problems fail for good.",
    "{% if problem.index % 10 == 4 %}[fault:500*]{% endif %}\n",
)
RECIPE = loopback_recipe(
    """
name = "live"
count = 40
seed = 8
""",
    """api_key_env = "CHUKMATH_TEST_KEY"
concurrency = 8
max_retries = {retries}
price_in = 1.0
price_out = 2.0
[verify]
policy = "wrong_answer"
""",
)


def _setup(tmp_path, base_url: str, retries: int = 1):
    return write_echo_recipe(tmp_path, TEMPLATE, RECIPE, base_url, retries=retries)


def test_failures_are_reported_retried_on_rerun_and_key_never_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("CHUKMATH_TEST_KEY", SECRET)
    with FaultServer(api_key=SECRET) as server:
        recipe = _setup(tmp_path, server.base_url)
        out = tmp_path / "run"
        # Problems 4, 14, 24, 34 fail on every attempt: the run is incomplete and says so (exit 1).
        summary = build_json(recipe, out, code=1)
        assert not summary["complete"] and summary["failed"] == 4 and summary["accepted"] == 36
        manifest = orjson.loads((out / "manifest.json").read_bytes())
        assert manifest["status"] == "incomplete"
        asked_before = len(server.requests)
        again = build_json(recipe, out, code=1)
        # Only the 4 failed keys were asked again (2 attempts each); the 36 answers came from the journal.
        assert again["from_journal"] == 36 and again["asked"] == 4
        assert len(server.requests) - asked_before == 8
        assert all(r.authorization for r in server.requests)
    for path in out.iterdir():
        if path.is_file():
            assert SECRET not in path.read_text(errors="replace"), path.name
    stats = orjson.loads((out / "stats.json").read_bytes())
    assert stats["totals"]["no_response"] == 4 and stats["tokens"]["total"] > 0 and stats["cost"]["usd"] > 0
    result = CliRunner().invoke(app, ["stats", str(out)])
    assert result.exit_code == 0 and "cost (USD)" in result.stdout


def test_corrected_prices_resume_the_run_and_recompute_the_cost(tmp_path, monkeypatch):
    monkeypatch.setenv("CHUKMATH_TEST_KEY", SECRET)
    with FaultServer(api_key=SECRET) as server:
        recipe = _setup(tmp_path, server.base_url, retries=0)
        out = tmp_path / "run"
        build_json(recipe, out, code=1)
        cost = orjson.loads((out / "stats.json").read_bytes())["cost"]["usd"]
        recipe.write_text(recipe.read_text().replace("price_in = 1.0", "price_in = 3.0"))
        asked_before = len(server.requests)
        again = build_json(recipe, out, code=1)  # the 4 problems that always fail still fail
        assert again["from_journal"] == 36 and len(server.requests) - asked_before == 4
    stats = orjson.loads((out / "stats.json").read_bytes())
    assert stats["cost"]["price_in"] == 3.0 and stats["cost"]["usd"] > cost


def test_wrong_key_stops_the_run_with_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CHUKMATH_TEST_KEY", "sk-wrong-key-000000")
    with FaultServer(api_key=SECRET) as server:
        recipe = _setup(tmp_path, server.base_url)
        result = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(tmp_path / "run"), "-q"])
        assert result.exit_code != 0
        assert "401" in str(result.exception) and "sk-wrong-key-000000" not in str(result.exception)
        assert len(server.requests) <= 8  # stopped at once, not once per problem
