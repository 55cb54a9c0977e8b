"""`chukmath build` with the Batch API teacher and a gate (``--decontaminate``, ``[split]``): the batches ask only the
problems the gate admits (the live path's decision, in index order), so no answer is paid for and then dropped."""

from __future__ import annotations

from pathlib import Path

import orjson
from test_build_batch import RECIPE, TEMPLATE, _echo
from test_build_support import build_json, write_echo_recipe

from chukmath.build import load_recipe, stages
from chukmath.build.gate import Gate
from chukmath.records import Problem
from chukmath_testing.batch_server import BatchApiServer

# Problems whose questions a benchmark holds (reworded in case and spacing): the gate keeps them out.
COPIED = (3, 17, 40)


def _requests(recipe: Path) -> list[tuple[Problem, str]]:
    """Every problem of ``recipe`` with the id of its request, in index order."""
    loaded = load_recipe(recipe)
    prompting = stages.load_prompting(loaded, recipe.parent)
    problems = stages.problems(stages.load_mix(loaded, str(recipe)), loaded, 0, loaded.count)
    return [(p, prompting.request(p).id) for p in problems]


def _benchmark(tmp_path: Path, problems: list[Problem], copied: tuple[int, ...] = COPIED) -> Path:
    """A benchmark file holding the questions of ``problems[i]`` for ``i`` in ``copied`` and an unrelated one."""
    bench = tmp_path / "bench.jsonl"
    rows = [{"question": "Natalia sold clips to 48 of her friends in April. How many did she sell?"}]
    rows += [{"question": "  " + problems[i].question.upper() + " "} for i in copied]
    bench.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return bench


def _sent(server: BatchApiServer) -> list[str]:
    """The custom_id of every line of every batch input file the server was given, in upload order."""
    ids: list[str] = []
    for batch in server.batches.values():
        data = server.files[batch.input_file_id].data
        ids += [orjson.loads(line)["custom_id"] for line in data.splitlines() if line.strip()]
    return ids


def _admitted(problems: list[Problem], bench: Path) -> list[Problem]:
    gate = Gate.for_build(None, [bench])
    assert gate is not None
    return [p for p in problems if gate.admit(p)]


def test_batches_ask_only_the_admitted_problems_and_resume_asks_nothing(tmp_path):
    with BatchApiServer(answer=_echo) as server:
        two = RECIPE.replace('api_key_env = ""', 'api_key_env = ""\nsamples = 2')
        recipe = write_echo_recipe(tmp_path, TEMPLATE, two, server.base_url)
        requests = _requests(recipe)
        bench = _benchmark(tmp_path, [p for p, _ in requests])
        admitted = _admitted([p for p, _ in requests], bench)
        assert len(admitted) == len(requests) - len(COPIED)
        ids = dict((p.id, r) for p, r in requests)
        want = [f"{ids[p.id]}:{s}" for p in admitted for s in (0, 1)]
        out = tmp_path / "run"
        plan = build_json(recipe, out, "--decontaminate", str(bench), "--dry-run")
        assert (plan["admitted"], plan["requests"], plan["requests_at_most"]) == (len(admitted), len(want), False)
        assert plan["kept_out"] == {"decontaminated": len(COPIED), "held_out": 0}
        summary = build_json(recipe, out, "--decontaminate", str(bench))
        # Every admitted problem twice (samples = 2) and nothing else; requests.jsonl lists them in index order.
        assert len(_sent(server)) == len(want), (len(_sent(server)), len(want))
        assert sorted(_sent(server)) == sorted(want)
        assert _request_ids(out) == [ids[p.id] for p in admitted]
        assert summary["complete"] and summary["problems"] == 60 and summary["accepted"] == len(want), summary
        stats = orjson.loads((out / "stats.json").read_bytes())
        assert stats["decontamination"]["checked"] == 60 and stats["decontamination"]["dropped"] == len(COPIED)
        train = (out / "train.jsonl").read_bytes()
        assert {orjson.loads(line)["problem_id"] for line in train.splitlines()} == {p.id for p in admitted}

        creates = server.create_calls
        again = build_json(recipe, out, "--decontaminate", str(bench))
        assert server.create_calls == creates and len(_sent(server)) == len(want)
        assert again["from_journal"] == len(want) and again["complete"]
        assert (out / "train.jsonl").read_bytes() == train


def _request_ids(out: Path) -> list[str]:
    """The request ids of the run's requests.jsonl (the batch phase's input), in order."""
    return [orjson.loads(line)["id"] for line in (out / "requests.jsonl").read_bytes().splitlines()]


def _problem(index: int, question: str, expression: str) -> Problem:
    return Problem(
        id=f"p{index}",
        generator="arithmetic",
        difficulty=1,
        seed=0,
        index=index,
        question=question,
        expression=expression,
        answer="1",
    )


def test_a_fresh_gate_decides_as_the_builds_gate_and_leaves_its_counts_alone(tmp_path):
    from chukmath.split import SplitSpec, Splitter

    bench = tmp_path / "bench.jsonl"
    bench.write_bytes(orjson.dumps({"question": "How many eggs did the eleven ducks of Janet lay today?"}) + b"\n")
    # Two problems the split sends to different sides, then one with the first's question and the second's
    # expression: it is pulled into both splits and held out of both.
    splitter = Splitter(SplitSpec(test=0.5))
    expressions = [f"{n} + 1" for n in range(2, 40)]
    first = next(e for e in expressions if splitter.primary("q", e) == "train")
    second = next(e for e in expressions if splitter.primary("q", e) == "test")
    problems = [
        _problem(0, "What is the sum asked here?", first),
        _problem(1, "Which number comes out of this one?", second),
        _problem(2, "What is the sum asked here?", second),
        _problem(3, "How many eggs did the eleven ducks of Janet lay today, then?", "3 + 1"),
        _problem(4, "What is left over now?", "7 + 1"),
    ]

    class Split:
        test = 0.5
        test_count = None

    gate = Gate.for_build(Split(), [bench])
    assert gate is not None
    fresh = gate.fresh()
    assert [p.index for p in fresh.admitted(problems)] == [0, 1, 4]
    assert [gate.admit(p) for p in problems] == [True, True, False, False, True]
    assert fresh.splitter is not None and fresh.splitter.counts["held_out"] == 1 and fresh.overlap is None
    assert fresh._routes == {}  # nothing is kept for route(): memory does not grow with the count
    report = gate.report()  # the build's gate counted its own decisions only
    assert report["split"]["held_out"] == 1 and sum(report["split"]["problems"].values()) == 3
    assert report["decontamination"]["checked"] == 5 and report["decontamination"]["dropped"] == 1
    assert gate.fresh().report() == {
        "decontamination": {**report["decontamination"], "checked": 0, "dropped": 0, "by_benchmark": {}, "examples": []}
    }


def test_batch_shards_ask_only_their_admitted_problems_and_merge_to_the_unsharded_build(tmp_path):
    from test_build_support import same_files
    from typer.testing import CliRunner

    from chukmath.cli.main import app

    with BatchApiServer(answer=_echo) as server:
        recipe = write_echo_recipe(tmp_path, TEMPLATE, RECIPE + "[split]\ntest = 0.3\n", server.base_url)
        requests = _requests(recipe)
        bench = _benchmark(tmp_path, [p for p, _ in requests])
        whole = tmp_path / "whole"
        assert build_json(recipe, whole, "--decontaminate", str(bench))["complete"]
        admitted = _request_ids(whole)
        assert len(admitted) == len(requests) - len(COPIED)
        dirs = [tmp_path / f"shard{i}" for i in range(3)]
        for i, d in enumerate(dirs):
            before = len(_sent(server))
            summary = build_json(recipe, d, "--shard", f"{i}/3", "--decontaminate", str(bench))
            assert summary["complete"] and summary["problems"] == 20, summary
            block = {r for p, r in requests[20 * i : 20 * (i + 1)]} & set(admitted)
            assert _request_ids(d) == [r for r in admitted if r in block]
            assert sorted(_sent(server)[before:]) == sorted(f"{r}:0" for r in block), i
    merged = tmp_path / "merged"
    result = CliRunner().invoke(app, ["merge", *map(str, dirs), "--out", str(merged), "--json"])
    assert result.exit_code == 0, result.output
    same_files(merged, whole)


def test_dry_run_counts_what_the_gate_admits_or_says_the_count_is_an_upper_bound(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from chukmath.build import plan
    from chukmath.cli.main import app

    recipe = write_echo_recipe(tmp_path, TEMPLATE, RECIPE, "http://127.0.0.1:9/v1")
    bench = _benchmark(tmp_path, [p for p, _ in _requests(recipe)])
    argv = [
        "build",
        "--recipe",
        str(recipe),
        "--out",
        str(tmp_path / "run"),
        "--dry-run",
        "--decontaminate",
        str(bench),
    ]
    shown = CliRunner().invoke(app, argv, env={"COLUMNS": "200"})
    assert shown.exit_code == 0, repr(shown.exception)
    assert "problems: 60 from seed 2; 57 asked (3 kept out: 3 by --decontaminate); 57 teacher answers" in shown.stdout
    plain = build_json(recipe, tmp_path / "run", "--dry-run")
    assert (plain["admitted"], plain["kept_out"], plain["requests"]) == (60, None, 60)

    # Too many problems to decide in a dry run: count x samples, said to be an upper bound.
    monkeypatch.setattr(plan, "GATE_COUNT_LIMIT", 59)
    bound = build_json(recipe, tmp_path / "run", "--dry-run", "--decontaminate", str(bench))
    assert (bound["admitted"], bound["requests"], bound["requests_at_most"]) == (None, 60, True)
    shown = CliRunner().invoke(app, argv, env={"COLUMNS": "200"})
    assert (
        "at most 60 teacher answers (1 a problem): the problems the split or --decontaminate keep out" in shown.stdout
    )

    missing = CliRunner().invoke(app, [*argv[:-1], str(tmp_path / "nowhere.jsonl")])
    assert missing.exit_code != 0 and "no such benchmark file" in str(missing.exception)
    assert not (tmp_path / "run").exists()


def test_message_batches_ask_only_the_admitted_problems(tmp_path, monkeypatch):
    import pytest

    pytest.importorskip("anthropic")
    from chukmath_testing.anthropic_server import AnthropicServer

    key = "sk-ant-test-0123456789abcdef"
    text = (
        RECIPE.replace("count = 60", "count = 12")
        .replace('kind = "batch"', 'kind = "anthropic_batch"')
        .replace('api_key_env = ""', "samples = 2")
    )
    monkeypatch.setenv("ANTHROPIC_API_KEY", key)
    with AnthropicServer(api_key=key, polls=1) as srv:
        recipe = write_echo_recipe(tmp_path, TEMPLATE, text, srv.base_url)
        requests = _requests(recipe)
        bench = _benchmark(tmp_path, [p for p, _ in requests], (3,))
        summary = build_json(recipe, tmp_path / "run", "--decontaminate", str(bench))
        assert summary["complete"] and summary["accepted"] == 22, summary
        sent = sorted(r["custom_id"] for batch in srv.batches.values() for r in batch["requests"])
    # Message Batches custom_ids are {request id}-{sample} (chukmath.teach.anthropic_batch.batch_custom_id).
    assert sent == sorted(f"{r}-{s}" for p, r in requests if p.index != 3 for s in (0, 1))
