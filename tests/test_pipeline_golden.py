"""The built-in templates, ``chukmath build`` and the stage commands make the same bytes as the pinned goldens."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import orjson
import pytest

GOLDEN_DIR = Path(__file__).parent / "golden"


def _maker():
    spec = importlib.util.spec_from_file_location("make_pipeline_golden", GOLDEN_DIR / "make_pipeline_golden.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


MAKER = _maker()
REGENERATE = "regenerate only for a deliberate change: .venv/bin/python tests/golden/make_pipeline_golden.py"


def test_templates_match_golden_bytes() -> None:
    expected = MAKER.TEMPLATES_GOLDEN.read_bytes().splitlines(keepends=True)
    actual = list(MAKER.template_lines())
    for n, (want, got) in enumerate(zip(expected, actual, strict=False), start=1):
        if want != got:
            raise AssertionError(
                f"tests/golden/templates.jsonl:{n} differs\n want: {orjson.loads(want)}\n  got: {orjson.loads(got)}"
            )
    assert len(actual) == len(expected), REGENERATE


@pytest.mark.parametrize("name", sorted(MAKER.RUNS))
def test_run_files_match_golden_bytes(name: str, tmp_path: Path) -> None:
    golden = GOLDEN_DIR / name
    expected = {str(p.relative_to(golden)): p.read_bytes() for p in sorted(golden.rglob("*")) if p.is_file()}
    actual = MAKER.RUNS[name](tmp_path)
    assert sorted(actual) == sorted(expected), f"{name}: other files than the golden's; {REGENERATE}"
    for relative, data in expected.items():
        assert actual[relative] == data, f"tests/golden/{name}/{relative} differs from what the run wrote; {REGENERATE}"


def test_normalize_keeps_answers_and_hides_clocks(tmp_path: Path) -> None:
    line = b'{"id": "a", "created": 1764115200, "latency_s": 0.25, "content": "x = 2"}\n'
    out = MAKER.normalize("responses.jsonl", line, tmp_path)
    assert orjson.loads(out) == {"id": "a", "created": "<volatile>", "latency_s": "<volatile>", "content": "x = 2"}
    card = f"made at 2026-12-06T23:50:00Z in {tmp_path} by chukmath 0.1.0 from http://127.0.0.1:8123/v1\n".encode()
    assert MAKER.normalize("README.md", card, tmp_path) == (
        b"made at <volatile> in <work> by <volatile> from http://127.0.0.1:<port>/v1\n"
    )
    journal = b'{"request_id": "b"}\n{"request_id": "a"}\n'
    assert MAKER.normalize("responses.jsonl", journal, tmp_path, arrival_order=True).startswith(b'{"request_id":"a"}')
    assert MAKER.normalize("responses.jsonl", journal, tmp_path).startswith(b'{"request_id":"b"}')
