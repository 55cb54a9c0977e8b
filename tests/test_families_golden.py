"""The built-in families make the same bytes as the pinned golden sample (problems, traces, presets, mixes)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import orjson

GOLDEN_DIR = Path(__file__).parent / "golden"


def _maker():
    spec = importlib.util.spec_from_file_location("make_families_golden", GOLDEN_DIR / "make_families_golden.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_families_match_golden_bytes() -> None:
    maker = _maker()
    expected = (GOLDEN_DIR / "families.jsonl").read_bytes().splitlines(keepends=True)
    actual = list(maker.golden_lines())
    for n, (want, got) in enumerate(zip(expected, actual, strict=False), start=1):
        if want != got:
            raise AssertionError(
                f"tests/golden/families.jsonl:{n} differs\n want: {orjson.loads(want)}\n  got: {orjson.loads(got)}"
            )
    assert len(actual) == len(expected)
