"""`make demo` installs only the runtime dependencies: the demo build must not need anything from the dev extra."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Import names of packages that only the dev (or train) extra installs.
DEV_ONLY = (
    "platformdirs", "pyarrow", "datasets", "torch", "transformers", "trl", "accelerate", "pytest",
    "hypothesis", "psutil", "math_verify", "reasoning_gym", "llama_cpp", "chukmath_testing",
    "anthropic",  # the anthropic extra: only --teacher anthropic imports it
)

_BLOCKER = """
import sys, importlib.abc
BLOCKED = {blocked!r}
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if any(name == b or name.startswith(b + ".") for b in BLOCKED):
            raise ImportError(f"dev-only module imported by the runtime: {{name}}")
        return None
sys.meta_path.insert(0, Block())
sys.argv = ["chukmath", *{argv!r}]
from chukmath.cli.main import run
run()
"""


def test_runtime_dependencies_exclude_dev_tools():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = " ".join(project["dependencies"]).lower()
    for name in ("platformdirs", "pytest", "datasets", "torch", "trl", "llama-cpp-python"):
        assert name not in runtime, f"{name} is a runtime dependency but only tests use it"


def test_demo_target_installs_runtime_only():
    makefile = (ROOT / "Makefile").read_text()
    demo_line = next(line for line in makefile.splitlines() if line.startswith("demo:"))
    assert "RUNTIME_STAMP" in demo_line and "$(STAMP)" not in demo_line


def test_demo_build_runs_without_dev_only_modules(tmp_path):
    out = tmp_path / "demo"
    argv = ["build", "--recipe", str(ROOT / "datasets" / "demo.toml"), "--out", str(out), "--count", "60", "--quiet"]
    code = _BLOCKER.format(blocked=DEV_ONLY, argv=argv)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "dev-only module" not in done.stderr
    assert sum(1 for _ in (out / "train.jsonl").open()) > 0
