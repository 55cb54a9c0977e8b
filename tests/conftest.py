"""Shared fixtures: free loopback ports, the Batch API server, and the real llama.cpp server (session-wide)."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from chukmath_testing.batch_server import BatchApiServer
from chukmath_testing.llama_server import LlamaServer, free_port, missing_dependencies, model_path

IN_CI = os.environ.get("CI", "").lower() == "true"

# Ray puts its local cluster on the machine's network address unless told not to (it does on macOS and Windows);
# tests contact only 127.0.0.1, so every Ray process they start, and each build process that joins one, stays on
# loopback. Read when ray is first imported, so it is set before any test module imports it.
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"


BENCH = Path(__file__).resolve().parent.parent / "bench"


def bench_module(name: str) -> ModuleType:
    """``bench/<name>.py`` as the module ``name`` (the bench scripts import each other by these names), loaded once,
    with bench/ on the path only at its end while it loads: its build.py or verify.py never shadow a package."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # before running it: dataclasses with slots look their module up
    sys.path.append(str(BENCH))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


def require(missing: list[str], what: str) -> None:
    """Skip when optional test dependencies are missing, but fail under CI=true (nothing may skip there)."""
    if not missing:
        return
    message = f"{what} needs {', '.join(missing)}; install the dev extra: pip install -e '.[dev]'"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def port() -> int:
    """A free TCP port on 127.0.0.1."""
    return free_port()


@pytest.fixture
def batch_api() -> Iterator[BatchApiServer]:
    """A fresh loopback Batch API (files + batches) that requires the key ``sk-test-batch-key``."""
    with BatchApiServer(api_key="sk-test-batch-key") as server:
        yield server


@pytest.fixture(scope="session")
def llama_model() -> Path:
    """The Gemma 3 270M GGUF (assembled into the user cache on first use); skips or fails like llama_server."""
    require(missing_dependencies(), "the llama.cpp server test")
    return model_path()


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """llama.cpp's OpenAI-compatible server with Gemma 3 270M on a free port, for the whole session."""
    require(missing_dependencies(), "the llama.cpp server test")
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with LlamaServer(model_path(), log_path=log) as server:
        yield server


OFFLINE_HUB_VARIABLES = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")


@pytest.fixture
def offline_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in the test may reach a hub; set per test, so later tests (``push`` to a loopback Hub) stay online."""
    for name in OFFLINE_HUB_VARIABLES:
        monkeypatch.setenv(name, "1")
