"""Make the small example run in this folder: 10 problems, the built-in teacher's answers with 7 of them damaged
on purpose (one per reject reason), and what `chukmath verify` makes of them.

    .venv/bin/python datasets/examples/make_examples.py [OUT_DIR]     # default: this folder

Every file is made by the CLI; the only hand-made step is the damage below, so rejects.jsonl shows real verdicts.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import orjson

CHUKMATH = [sys.executable, "-c", "from chukmath.cli.main import run; run()"]
_CLAIM = re.compile(r"^(.+ = )(-?\d+)$", re.MULTILINE)


def _wrong_answer(text: str) -> str:
    verifier = re.search(r"<verifier_answer>(.*?)</verifier_answer>", text)
    assert verifier is not None
    wrong = verifier.group(1) + "1"
    text = re.sub(r"<answer>.*?</answer>", f"<answer>The answer is {wrong}.</answer>", text, flags=re.S)
    return text.replace(verifier.group(0), f"<verifier_answer>{wrong}</verifier_answer>")


def _false_step(text: str) -> str:
    claim = _CLAIM.search(text)
    assert claim is not None
    return text[: claim.start(2)] + str(int(claim.group(2)) + 1) + text[claim.end(2):]


def _no_verifier_answer(text: str) -> str:
    return re.sub(r"\n?<verifier_answer>.*?</verifier_answer>", "", text, flags=re.S)


def _answer_mismatch(text: str) -> str:
    verifier = re.search(r"<verifier_answer>(.*?)</verifier_answer>", text)
    assert verifier is not None
    other = verifier.group(1) + "0"
    return re.sub(r"<answer>.*?</answer>", f"<answer>The answer is {other}.</answer>", text, flags=re.S)


def _truncated(text: str) -> str:
    return text[: text.index("</think>") // 2]


def _format(text: str) -> str:
    return text.replace("<think>", "Sure! Here is my reasoning.\n<think>", 1)


def _language(text: str) -> str:
    return text.replace("\n", "\n我们先算括号里面的部分。\n", 1)


# Line of responses.jsonl -> the damage done to it (the other lines stay as the built-in teacher wrote them).
DAMAGE: dict[int, Callable[[str], str]] = {
    1: _wrong_answer,
    2: _false_step,
    3: _no_verifier_answer,
    4: _answer_mismatch,
    5: _truncated,
    6: _format,
    7: _language,
}


def cli(*args: str, cwd: Path) -> None:
    subprocess.run([*CHUKMATH, *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    out.mkdir(parents=True, exist_ok=True)
    for name in ("problems.jsonl", "requests.jsonl", "responses.jsonl"):
        (out / name).unlink(missing_ok=True)
    cli("generate", "--recipe", "mixed_difficulty", "-n", "10", "--seed", "7", "-o", "problems.jsonl", cwd=out)
    cli("prompts", "--problems", "problems.jsonl", "--template", "step_by_step", "--out", "requests.jsonl", cwd=out)
    cli("teach", "--requests", "requests.jsonl", "--problems", "problems.jsonl", "--out", "responses.jsonl",
        "--quiet", cwd=out)
    lines = []
    for number, line in enumerate((out / "responses.jsonl").read_bytes().splitlines()):
        response = orjson.loads(line)
        # Timing fields vary run to run; fixed here so the example files are the same bytes every time.
        response["created"], response["latency_s"] = 1_764_115_200, 0.0
        if number in DAMAGE:
            response["content"] = DAMAGE[number](response["content"])
            if DAMAGE[number] is _truncated:
                response["finish_reason"] = "length"
        lines.append(orjson.dumps(response, option=orjson.OPT_APPEND_NEWLINE))
    (out / "responses.jsonl").write_bytes(b"".join(lines))
    cli("verify", "--problems", "problems.jsonl", "--responses", "responses.jsonl", "--out-dir", ".", cwd=out)
    for side_file in ("responses.jsonl.lock", "responses.jsonl.model.json"):  # the journal's lock and model pin
        (out / side_file).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
