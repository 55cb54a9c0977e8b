"""`--count` on an existing run directory: a larger count extends the run, a smaller one cuts it to a prefix.

Problem i is a pure function of (recipe, seed, i), so the run at the new count is the old run made longer or
shorter: every answer already in the journal is reused, and the files equal an unbroken run at the new count.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
from test_build_support import (
    build_json,
    echo_template,
    journal_keys,
    loopback_recipe,
    same_files,
    write_echo_recipe,
)

from chukmath.build import BuildRecipe, load_recipe
from chukmath.build.stages import load_prompting
from chukmath_testing.fault_server import FaultServer

BUILTIN = """
name = "grow"
count = 100
seed = 12
[[mix]]
generator = "arithmetic"
weight = 2
difficulty = 2
[[mix]]
generator = "linear_equation"
weight = 1
difficulty = 1
[teacher]
kind = "builtin"
"""

ECHO_TEMPLATE = echo_template("Test prompt: the loopback server echoes the Answer line.")

LIVE = loopback_recipe(
    """
name = "grow-live"
count = 50
seed = 3
""",
    """api_key_env = ""
samples = 2
concurrency = 8
[verify]
policy = "wrong_answer"
keep = "all"
""",
    generator="fractions",
)


def test_raising_count_extends_and_lowering_cuts_without_asking_again(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(BUILTIN)
    run = tmp_path / "run"
    assert build_json(recipe, run, "--count", "120")["asked"] == 120
    grown = build_json(recipe, run, "--count", "300")
    assert (grown["asked"], grown["from_journal"], grown["problems"]) == (180, 120, 300)
    unbroken = tmp_path / "unbroken300"
    build_json(recipe, unbroken, "--count", "300")
    same_files(run, unbroken)
    manifest = orjson.loads((run / "manifest.json").read_bytes())
    assert manifest["recipe"]["count"] == 300 and [r["count"] for r in manifest["runs"]] == [120, 300]

    # Smaller: the dataset of the first 70 problems; the journal keeps all 300 answers.
    cut = build_json(recipe, run, "--count", "70")
    assert (cut["asked"], cut["from_journal"], cut["problems"]) == (0, 70, 70)
    small = tmp_path / "unbroken70"
    build_json(recipe, small, "--count", "70")
    same_files(run, small)
    assert len(journal_keys(run)) == len(set(journal_keys(run))) == 300

    # Back to the recipe's own count (100): still nothing asked, same files as an unbroken run at 100.
    back = build_json(recipe, run)
    assert (back["asked"], back["from_journal"]) == (0, 100)
    plain = tmp_path / "unbroken100"
    build_json(recipe, plain)
    same_files(run, plain)


def _live_run(tmp_path: Path, base_url: str) -> tuple[Path, Path]:
    """The LIVE recipe built once against ``base_url`` (every one of its 100 answers asked); its path and run."""
    recipe = write_echo_recipe(tmp_path, ECHO_TEMPLATE, LIVE, base_url)
    run = tmp_path / "run"
    assert build_json(recipe, run)["asked"] == 100
    return recipe, run


def test_extending_a_live_run_asks_the_endpoint_only_for_new_problems(tmp_path):
    with FaultServer() as server:
        recipe, run = _live_run(tmp_path, server.base_url)
        before = len(server.requests)
        grown = build_json(recipe, run, "--count", "80")
        assert grown["asked"] == 60 and grown["from_journal"] == 100 and grown["complete"]
        assert len(server.requests) - before == 60
        unbroken = tmp_path / "unbroken"
        build_json(recipe, unbroken, "--count", "80")
    same_files(run, unbroken)


def _run_with_older_fingerprint(
    tmp_path: Path, older: Callable[[BuildRecipe, dict[str, str]], str]
) -> tuple[Path, Path, str]:
    """A built-in run whose manifest holds the fingerprint ``older`` computes; returns recipe path, run, that value."""
    recipe_path = tmp_path / "r.toml"
    recipe_path.write_text(BUILTIN)
    run = tmp_path / "run"
    build_json(recipe_path, run)
    recipe = load_recipe(recipe_path)
    old = older(recipe, load_prompting(recipe).hashes)
    manifest = orjson.loads((run / "manifest.json").read_bytes())
    assert manifest["fingerprint"] != old
    manifest["fingerprint"] = old
    (run / "manifest.json").write_bytes(orjson.dumps(manifest))
    return recipe_path, run, old


def test_run_made_before_count_left_the_fingerprint_still_resumes(tmp_path):
    # What an older chukmath wrote: a fingerprint that includes the count.
    recipe_path, run, old = _run_with_older_fingerprint(tmp_path, BuildRecipe.legacy_fingerprint)
    # Resumed at another count: the old fingerprint is recomputed with the count the manifest recorded.
    grown = build_json(recipe_path, run, "--count", "110")
    assert grown["asked"] == 10 and grown["from_journal"] == 100
    assert orjson.loads((run / "manifest.json").read_bytes())["fingerprint"] != old


def test_trim_lines_keeps_whole_leading_lines_across_read_blocks(tmp_path):
    from chukmath.build.sink import trim_lines

    path = tmp_path / "p.jsonl"
    lines = [f'{{"index": {i}, "pad": "{"x" * (i % 97)}"}}\n'.encode() for i in range(60_000)]  # ~3.3 MB
    data = b"".join(lines)
    for keep in (60_000, 70_000, 45_123, 1):
        path.write_bytes(data + b'{"torn')
        cut = trim_lines(path, keep)
        kept = min(keep, 60_000)
        assert path.read_bytes() == b"".join(lines[:kept]) and cut == 60_000 - kept


def test_a_new_verify_policy_or_row_shape_rejudges_the_journal_without_asking_again(tmp_path):
    with FaultServer() as server:
        _, run = _live_run(tmp_path, server.base_url)
        before = len(server.requests)
        stricter = tmp_path / "stricter.toml"
        stricter.write_text(
            LIVE.format(templates=tmp_path / "templates", base_url=server.base_url)
            .replace('policy = "wrong_answer"', 'policy = "all"')
            .replace('keep = "all"', 'keep = "first"')
            + "[output]\nstrip_verifier_answer = true\nsystem = \"You are a careful tutor.\"\n"
        )
        again = build_json(stricter, run)
        assert (again["asked"], again["from_journal"], again["complete"]) == (0, 100, True)
        assert len(server.requests) == before  # nothing bought twice
        unbroken = tmp_path / "unbroken"
        build_json(stricter, unbroken)
    same_files(run, unbroken)
    first = orjson.loads((run / "train.jsonl").read_bytes().splitlines()[0])
    assert first["messages"][0] == {"role": "system", "content": "You are a careful tutor."}
    assert "<verifier_answer>" not in first["messages"][-1]["content"]
    assert orjson.loads((run / "manifest.json").read_bytes())["recipe"]["verify"]["policy"] == "all"


def test_run_made_while_verify_was_in_the_fingerprint_still_resumes(tmp_path):
    recipe_path, run, _ = _run_with_older_fingerprint(tmp_path, BuildRecipe.fingerprint_with_outputs)
    resumed = build_json(recipe_path, run)
    assert resumed["asked"] == 0 and resumed["from_journal"] == 100


def test_more_samples_ask_only_the_new_ones_and_fewer_use_the_first(tmp_path):
    with FaultServer() as server:
        recipe, run = _live_run(tmp_path, server.base_url)  # 50 problems x 2 samples
        for samples, asked in ((4, 100), (1, 0)):
            write_echo_recipe(tmp_path, ECHO_TEMPLATE, LIVE.replace("samples = 2", f"samples = {samples}"),
                              server.base_url)
            before = len(server.requests)
            again = build_json(recipe, run)
            assert (again["asked"], again["complete"]) == (asked, True), again
            assert len(server.requests) - before == asked  # samples already in the journal are never bought again
            unbroken = tmp_path / f"unbroken{samples}"
            build_json(recipe, unbroken)
            same_files(run, unbroken)
        assert len(journal_keys(run)) == len(set(journal_keys(run))) == 200
