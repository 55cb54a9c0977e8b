"""`chukmath batch submit`'s teacher options come from the bulk providers' specs, as teach's, build's and eval's do."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import typer
from pydantic import Field
from test_batch import ENV, state, write_requests
from typer.testing import CliRunner

from chukmath.cli import batch
from chukmath.cli.main import app
from chukmath.errors import ConfigError
from chukmath.teach.specs import AnthropicBatchSpec, BatchSpec
from chukmath_testing.batch_server import BatchApiServer


def _help(command: typer.Typer, *args: str) -> str:
    result = CliRunner().invoke(command, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_submit_offers_the_settings_of_the_bulk_specs() -> None:
    assert {kind: spec for kind, (spec, _) in batch.BULK.items()} == {
        "openai": BatchSpec, "anthropic": AnthropicBatchSpec,
    }  # fmt: skip
    shown = _help(app, "batch", "submit")
    for name in batch.submit_options().settings():
        assert f"--{name.replace('_', '-')} " in shown, name
    # The spec's words and short flag; defaults said per provider; what submit does not use is not offered.
    samples = BatchSpec.model_fields["samples"].description
    assert f"-k, --samples <int> {samples} [default: 1]" in shown
    assert "[default: OPENAI_API_KEY; anthropic: ANTHROPIC_API_KEY]" in shown
    assert "--temperature <float> Sampling temperature. [default: the server's own]" in shown
    assert "--poll-interval" not in shown and "--rpm" not in shown and "--price-in" not in shown


class _RegionSpec(BatchSpec):
    region: str = Field("eu", description="Where the provider runs the batches.")


def test_a_setting_added_to_a_bulk_spec_is_an_option_of_submit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(batch.BULK, "openai", (_RegionSpec, batch._submit_openai))
    command = typer.Typer(rich_markup_mode=None)
    command.command()(batch.submit_options().attach(batch.submit))
    shown = _help(command)
    assert "--region" in shown and "openai: Where the provider runs the batches. [default: eu]" in shown


def test_submit_validates_its_settings_by_the_spec_and_sends_what_was_given(tmp_path: Path) -> None:
    requests, journal = tmp_path / "requests.jsonl", tmp_path / "responses.jsonl"
    write_requests(requests, 2)
    with BatchApiServer(api_key=ENV["BATCH_TEST_KEY"]) as server:
        base = ["batch", "submit", "--requests", str(requests), "--out", str(journal), "--base-url", server.base_url,
                "--api-key-env", "BATCH_TEST_KEY"]  # fmt: skip
        for extra, message in (([], "--model is required"), (["--model", "m", "--top-p", "1.5"], "--top-p 1.5"),
                               (["--model", "m", "-k", "0"], "--samples 0")):  # fmt: skip
            result = CliRunner().invoke(app, [*base, *extra], env=ENV)
            assert isinstance(result.exception, ConfigError) and message in str(result.exception), result.output
        assert server.upload_calls == 0
        result = CliRunner().invoke(app, [*base, "--model", "m", "-k", "2", "--top-p", "0.5"], env=ENV)
        assert result.exit_code == 0 and "queued now: 4" in result.output, result.output
    line = orjson.loads(Path(state(journal)["shards"][0]["input_path"]).read_bytes().splitlines()[0])
    # Only the sampling settings given are sent: the others are the server's own.
    assert line["body"] == {"model": "m", "messages": line["body"]["messages"], "top_p": 0.5}
