"""What the report shows, gathered from a run directory in one streaming pass per file.

Memory does not grow with the dataset: lengths go into histograms of exact values (bounded by the longest
reasoning, not by the row count), the journal's timeline into buckets whose width doubles when there are too many,
and the samples are the first ones of each family in file order (problem-index order), so the same files always
give the same report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from chukmath.errors import InputError
from chukmath.jsonl import read_jsonl
from chukmath.parse import parse_response

SAMPLES_PER_FAMILY = 10
MAX_TIME_BUCKETS = 2048  # the timeline's width doubles past this, so a week-long run stays a few KB
MAX_SAMPLE_CHARS = 20_000  # a sample's text beyond this is cut in the report (the files keep it whole)


def reasoning_words(text: str) -> int:
    """Whitespace-separated words: the unit of the report's length histograms."""
    return len(text.split())


@dataclass
class Sample:
    """One row shown in the report."""

    family: str
    difficulty: int | None
    accepted: bool
    problem_id: str
    question: str | None
    expected: str | None
    text: str
    reasons: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    verifier_answer: str | None = None


@dataclass
class Bucket:
    """One slice of the journal's timeline."""

    ok: int = 0
    errors: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    with_usage: int = 0
    latency_sum: float = 0.0
    latency_n: int = 0

    def merge(self, other: Bucket) -> None:
        self.ok += other.ok
        self.errors += other.errors
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.with_usage += other.with_usage
        self.latency_sum += other.latency_sum
        self.latency_n += other.latency_n


class Timeline:
    """Journal lines in time buckets keyed by ``floor(created / width)``; the width doubles to stay bounded."""

    def __init__(self, width_s: float = 1.0, max_buckets: int = MAX_TIME_BUCKETS) -> None:
        self.width_s = width_s
        self.max_buckets = max_buckets
        self.buckets: dict[int, Bucket] = {}
        self.lines = 0
        self.undated = 0

    def bucket(self, created: float) -> Bucket:
        key = int(created // self.width_s)
        found = self.buckets.get(key)
        if found is None:
            if len(self.buckets) >= self.max_buckets:
                self._coarsen()
                return self.bucket(created)
            found = self.buckets[key] = Bucket()
        return found

    def _coarsen(self) -> None:
        self.width_s *= 2
        merged: dict[int, Bucket] = {}
        for key in sorted(self.buckets):
            into = merged.get(key // 2)
            if into is None:
                merged[key // 2] = self.buckets[key]
            else:
                into.merge(self.buckets[key])
        self.buckets = merged


def _usage_int(usage: object, key: str) -> int:
    value = usage.get(key) if isinstance(usage, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


@dataclass
class ReportData:
    """Everything the page is drawn from."""

    root: Path
    name: str = ""
    teacher: str = ""
    model: str = ""
    stats: dict[str, Any] = field(default_factory=dict)
    price_in: float = 0.0
    price_out: float = 0.0
    # family -> difficulty -> (accepted, responses)
    cells: dict[str, dict[int, tuple[int, int]]] = field(default_factory=dict)
    cells_source: str = ""
    reject_reasons: Counter[str] = field(default_factory=Counter)
    words_accepted: Counter[int] = field(default_factory=Counter)
    words_rejected: Counter[int] = field(default_factory=Counter)
    timeline: Timeline = field(default_factory=Timeline)
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    files_missing: list[str] = field(default_factory=list)
    samples_per_family: int = SAMPLES_PER_FAMILY


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    return data if isinstance(data, dict) else {}


def _difficulty(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


def _cells_from_stats(stats: dict[str, Any]) -> dict[str, dict[int, tuple[int, int]]]:
    cells: dict[str, dict[int, tuple[int, int]]] = {}
    table = stats.get("by_generator_difficulty")
    if not isinstance(table, dict):
        return cells
    for family, row in table.items():
        if not isinstance(row, dict):
            continue
        for level, group in row.items():
            d = _difficulty(level)
            if d is None or not isinstance(group, dict):
                continue
            cells.setdefault(str(family), {})[d] = (int(group.get("accepted") or 0), int(group.get("responses") or 0))
    return cells


def _assistant_text(row: dict[str, Any]) -> str:
    messages = row.get("messages")
    if isinstance(messages, list):
        for message in reversed(messages):
            if isinstance(message, dict) and message.get("role") == "assistant":
                return str(message.get("content") or "")
    return ""


def _user_text(row: dict[str, Any]) -> str | None:
    messages = row.get("messages")
    if isinstance(messages, list):
        for message in reversed(messages):
            if isinstance(message, dict) and message.get("role") == "user":
                return str(message.get("content") or "")
    return None


def _think_of_row(text: str) -> str:
    # A train row's assistant turn is chukmath's own normal form ("<think>\n…\n</think>\n<answer>…"): two finds,
    # no parser, no regex.
    start, end = text.find("<think>"), text.find("</think>")
    return text[start + len("<think>") : end] if 0 <= start < end else text


def _clip(text: str) -> str:
    if len(text) <= MAX_SAMPLE_CHARS:
        return text
    return text[:MAX_SAMPLE_CHARS] + f"\n… ({len(text) - MAX_SAMPLE_CHARS:,} more characters in the run's files)"


class _Picker:
    """The first accepted and the first rejected rows of each family; half of each is shown, topped up to ten."""

    def __init__(self, per_family: int) -> None:
        self.per_family = per_family
        self.accepted: dict[str, list[Sample]] = {}
        self.rejected: dict[str, list[Sample]] = {}

    def wants(self, family: str, accepted: bool) -> bool:
        return len((self.accepted if accepted else self.rejected).get(family, ())) < self.per_family

    def add(self, sample: Sample) -> None:
        (self.accepted if sample.accepted else self.rejected).setdefault(sample.family, []).append(sample)

    def chosen(self) -> dict[str, list[Sample]]:
        out: dict[str, list[Sample]] = {}
        for family in sorted(set(self.accepted) | set(self.rejected)):
            good, bad = self.accepted.get(family, []), self.rejected.get(family, [])
            half = self.per_family // 2
            take_bad = min(len(bad), max(half, self.per_family - len(good)))
            take_good = min(len(good), self.per_family - take_bad)
            out[family] = bad[:take_bad] + good[:take_good]
        return out


def _scan_accepted(path: Path, data: ReportData, picker: _Picker, count_cells: bool) -> None:
    for _, row in read_jsonl(path, allow_torn_tail=True):
        family = str(row.get("generator") or "?")
        text = _assistant_text(row)
        data.words_accepted[reasoning_words(_think_of_row(text))] += 1
        difficulty = _difficulty(row.get("difficulty"))
        if count_cells and difficulty is not None:
            good, total = data.cells.setdefault(family, {}).get(difficulty, (0, 0))
            data.cells[family][difficulty] = (good + 1, total + 1)
        if picker.wants(family, True):
            picker.add(
                Sample(
                    family=family,
                    difficulty=difficulty,
                    accepted=True,
                    problem_id=str(row.get("problem_id") or ""),
                    question=_user_text(row),
                    expected=str(row["answer"]) if row.get("answer") is not None else None,
                    text=_clip(text),
                )
            )


def _scan_rejects(path: Path, data: ReportData, picker: _Picker, count_cells: bool) -> None:
    for _, row in read_jsonl(path, allow_torn_tail=True):
        family = str(row.get("generator") or "?")
        content = row.get("content") if isinstance(row.get("content"), str) else ""
        think = parse_response(content).think
        data.words_rejected[reasoning_words(think if think is not None else content)] += 1
        reasons = [str(r) for r in row.get("reasons") or []]
        data.reject_reasons.update(reasons or ["rejected"])
        difficulty = _difficulty(row.get("difficulty"))
        if count_cells and difficulty is not None:
            good, total = data.cells.setdefault(family, {}).get(difficulty, (0, 0))
            data.cells[family][difficulty] = (good, total + 1)
        if picker.wants(family, False):
            picker.add(
                Sample(
                    family=family,
                    difficulty=difficulty,
                    accepted=False,
                    problem_id=str(row.get("problem_id") or ""),
                    question=None,
                    expected=str(row["expected"]) if row.get("expected") is not None else None,
                    text=_clip(content),
                    reasons=reasons,
                    details=[str(d) for d in row.get("details") or []],
                    verifier_answer=row.get("verifier_answer") if isinstance(row.get("verifier_answer"), str) else None,
                )
            )


def _scan_journal(path: Path, timeline: Timeline) -> None:
    for _, line in read_jsonl(path, allow_torn_tail=True):
        timeline.lines += 1
        created = line.get("created")
        if not isinstance(created, int | float) or isinstance(created, bool) or created <= 0:
            timeline.undated += 1
            continue
        bucket = timeline.bucket(float(created))
        if line.get("error") is None:
            bucket.ok += 1
        else:
            bucket.errors += 1
        usage = line.get("usage")
        if isinstance(usage, dict):
            bucket.with_usage += 1
            bucket.prompt_tokens += _usage_int(usage, "prompt_tokens")
            bucket.completion_tokens += _usage_int(usage, "completion_tokens")
        latency = line.get("latency_s")
        if isinstance(latency, int | float) and not isinstance(latency, bool) and latency > 0:
            bucket.latency_sum += float(latency)
            bucket.latency_n += 1


def _fill_questions(path: Path, samples: list[Sample]) -> None:
    """Rejects rows carry no question: look the shown ones up in problems.jsonl (one pass, a set of ids)."""
    wanted: dict[str, list[Sample]] = {}
    for sample in samples:
        if sample.question is None and sample.problem_id:
            wanted.setdefault(sample.problem_id, []).append(sample)
    if not wanted or not path.exists():
        return
    for _, problem in read_jsonl(path, allow_torn_tail=True):
        for sample in wanted.pop(str(problem.get("id")), ()):
            sample.question = str(problem.get("question") or "")
        if not wanted:
            return


def collect(run_dir: str | Path, samples_per_family: int = SAMPLES_PER_FAMILY) -> ReportData:
    """Read a run directory (train/test/rejects, the journal, stats.json, manifest.json) into a ReportData."""
    root = Path(run_dir)
    if not root.is_dir():
        raise InputError(f"{root}: not a directory; pass the --out of a `chukmath build`")
    data = ReportData(root=root, samples_per_family=samples_per_family)
    manifest = _read_json(root / "manifest.json")
    data.stats = _read_json(root / "stats.json")
    recipe = manifest.get("recipe") if isinstance(manifest.get("recipe"), dict) else {}
    teacher = recipe.get("teacher") if isinstance(recipe.get("teacher"), dict) else {}
    data.name = str(manifest.get("name") or recipe.get("name") or root.name)
    data.teacher = str(manifest.get("teacher") or teacher.get("kind") or "")
    data.model = str(manifest.get("model") or teacher.get("model") or "")
    cost = data.stats.get("cost") if isinstance(data.stats.get("cost"), dict) else {}
    data.price_in = float(cost.get("price_in") or teacher.get("price_in") or 0.0)
    data.price_out = float(cost.get("price_out") or teacher.get("price_out") or 0.0)
    data.cells = _cells_from_stats(data.stats)
    count_cells = not data.cells
    # Older stats.json has no cross table: count rows instead (accepted = rows written, so duplicates and rows
    # over the keep cap are not in it), and say so on the page.
    data.cells_source = "stats.json" if not count_cells else "rows of train/test/rejects"
    picker = _Picker(samples_per_family)
    found = False
    for name in ("train.jsonl", "test.jsonl"):
        if (root / name).exists():
            found = True
            _scan_accepted(root / name, data, picker, count_cells)
    if (root / "rejects.jsonl").exists():
        found = True
        _scan_rejects(root / "rejects.jsonl", data, picker, count_cells)
    if not found and not data.stats:
        raise InputError(f"{root}: no train.jsonl, rejects.jsonl or stats.json; is it a finished `chukmath build`?")
    if not (root / "rejects.jsonl").exists():
        data.files_missing.append("rejects.jsonl")
    if (root / "responses.jsonl").exists():
        _scan_journal(root / "responses.jsonl", data.timeline)
    else:
        data.files_missing.append("responses.jsonl")
    data.samples = picker.chosen()
    _fill_questions(root / "problems.jsonl", [s for group in data.samples.values() for s in group])
    return data
