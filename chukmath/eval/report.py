"""What an evaluation says to a person (``report.md``, the terminal) and how two of them compare.

``compare(a, b)`` lines up two ``eval.json`` files (say a base model and its fine-tuned version) metric by metric,
overall and per family and difficulty, with B - A deltas.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from chukmath.errors import InputError
from chukmath.jsonl import AtomicWriter

KIND = "chukmath-eval"


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as indented JSON, atomically."""
    with AtomicWriter(path) as fh:
        fh.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")


def load_result(path: str | Path) -> dict[str, Any]:
    """An ``eval.json`` (or the folder holding one); InputError when it is not one."""
    path = Path(path)
    if path.is_dir():
        path = path / "eval.json"
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; give an eval.json or the --out folder of chukmath eval") from None
    except (OSError, orjson.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read it as JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise InputError(f"{path}: not a chukmath eval result (no \"kind\": \"{KIND}\")")
    return data


def _pct(value: Any) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _interval(bounds: Any) -> str:
    return "-" if not bounds else f"{100 * bounds[0]:.1f}-{100 * bounds[1]:.1f}%"


def _num(value: Any) -> str:
    return "-" if value is None else f"{value:.1f}"


def _columns(ks: list[int]) -> list[tuple[str, Any]]:
    cols: list[tuple[str, Any]] = [
        ("problems", lambda m: str(m["problems"])),
        ("accuracy", lambda m: _pct(m["accuracy"])),
        ("95% interval", lambda m: _interval(m.get("accuracy_ci95"))),
    ]
    for k in ks:
        if k > 1:
            cols.append((f"pass@{k}", lambda m, k=k: _pct(m["pass@k"].get(str(k)))))
            cols.append((f"maj@{k}", lambda m, k=k: _pct(m["maj@k"].get(str(k)))))
    cols += [
        ("format", lambda m: _pct(m["format_rate"])),
        ("verified", lambda m: _pct(m["verified_rate"])),
        ("false step", lambda m: _pct(m.get("false_step_rate"))),
        ("false claims", lambda m: _pct(m.get("false_claim_rate"))),
        ("reasoning words", lambda m: _num(m["mean_reasoning_words"])),
        ("completion tokens", lambda m: _num(m["mean_completion_tokens"])),
    ]
    return cols


def _table(title: str, rows: list[tuple[str, dict[str, Any]]], ks: list[int]) -> list[str]:
    cols = _columns(ks)
    lines = [f"### {title}", "", "| | " + " | ".join(c[0] for c in cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for label, metrics in rows:
        lines.append(f"| {label} | " + " | ".join(c[1](metrics) for c in cols) + " |")
    return [*lines, ""]


def markdown_report(data: dict[str, Any]) -> str:
    """The eval as Markdown: what was asked of whom, then the tables (overall, by family, by difficulty)."""
    ks = list(data["ks"])
    run = data["run"]
    lines = [
        f"# Evaluation of {data['model']}",
        "",
        f"- teacher: {data['teacher']}; samples per problem: {data['samples']}; sampling: "
        + (", ".join(f"{k} {v}" for k, v in data["sampling"].items()) or "the teacher's defaults"),
        f"- problems: {data['problems']['count']} from {data['problems']['source']}",
        f"- prompt: {data['prompt']['name']} ({data['prompt']['description']})",
        f"- correct: {data['rules']['correct']}",
        f"- format: {data['rules']['format_rate']}",
        f"- verified: {data['rules']['verified_rate']}",
        *([f"- false step: {data['rules']['false_step_rate']}"] if "false_step_rate" in data["rules"] else []),
        *([f"- false claims: {data['rules']['false_claim_rate']}"] if "false_claim_rate" in data["rules"] else []),
        *([f"- 95% interval: {data['rules']['accuracy_ci95']}"] if "accuracy_ci95" in data["rules"] else []),
        f"- reasoning length in {data['rules']['reasoning_length']}",
        f"- asked now: {run['asked']}, from the journal: {run['from_journal']}, no response: {run['no_response']}",
        "",
    ]
    lines += _table("Overall", [("all", data["overall"])], ks)
    lines += _table("By family", list(data["by_family"].items()), ks)
    lines += _table("By difficulty", [(f"difficulty {k}", v) for k, v in data["by_difficulty"].items()], ks)
    lines += _false_steps(data.get("false_steps"))
    return "\n".join(lines)


def _false_steps(found: dict[str, Any] | None) -> list[str]:
    """What the false claims are, when there are any (eval.json ``false_steps``)."""
    if not found or not found["examples"]:
        return []
    counts = found["counts"]

    def listed(name: str) -> str:
        return ", ".join(f"`{key}` {value}" for key, value in counts[name].items())

    return [
        "### False claims", "",
        f"- by operation: {listed('operation')}",
        f"- by the longest whole number in them (digits): {listed('longest_number_digits')}",
        f"- with a fraction: {counts['fraction'].get('yes', 0)}, without: {counts['fraction'].get('no', 0)}",
        "- first examples: " + "; ".join(f"`{example}`" for example in found["examples"][:10]),
        "",
    ]  # fmt: skip


def _metric_names(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    names = ["accuracy"]
    common = sorted(set(a["ks"]) & set(b["ks"]))
    names += [f"pass@{k}" for k in common if k > 1] + [f"maj@{k}" for k in common if k > 1]
    return [*names, "format_rate", "verified_rate", "false_step_rate", "false_claim_rate", "mean_reasoning_words"]


def _value(metrics: dict[str, Any] | None, name: str) -> float | None:
    if metrics is None:
        return None
    if name.startswith(("pass@", "maj@")):
        kind, k = name.split("@")
        return metrics[f"{kind}@k"].get(k)
    return metrics.get(name)


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Two eval results side by side: for each metric, A, B and B - A, overall and per family and difficulty
    (a group only one side has shows None on the other)."""
    names = _metric_names(a, b)

    def side(ma: dict[str, Any] | None, mb: dict[str, Any] | None) -> dict[str, Any]:
        counts = [None if m is None else m["problems"] for m in (ma, mb)]
        row: dict[str, Any] = {"problems": counts}
        for name in names:
            va, vb = _value(ma, name), _value(mb, name)
            delta = None if va is None or vb is None else round(vb - va, 6)
            row[name] = {"a": va, "b": vb, "delta": delta}
        row["accuracy"]["delta_ci95"] = _delta_interval(ma, mb)
        return row

    def groups(key: str) -> dict[str, Any]:
        keys = sorted(set(a[key]) | set(b[key]), key=lambda k: (len(k), k))
        return {k: side(a[key].get(k), b[key].get(k)) for k in keys}

    warnings = []
    if a["problems"]["source"] != b["problems"]["source"] or a["problems"]["count"] != b["problems"]["count"]:
        warnings.append("the two results were measured on different problem sets")
    if a["prompt"]["name"] != b["prompt"]["name"]:
        warnings.append(f"different prompts: {a['prompt']['name']} vs {b['prompt']['name']}")
    return {
        "kind": "chukmath-eval-compare",
        "a": {"model": a["model"], "prompt": a["prompt"]["name"], "problems": a["problems"], "samples": a["samples"]},
        "b": {"model": b["model"], "prompt": b["prompt"]["name"], "problems": b["problems"], "samples": b["samples"]},
        "metrics": names,
        "warnings": warnings,
        "overall": side(a["overall"], b["overall"]),
        "by_family": groups("by_family"),
        "by_difficulty": groups("by_difficulty"),
    }


def _delta_interval(ma: dict[str, Any] | None, mb: dict[str, Any] | None) -> float | None:
    """Half the width of a 95 % interval for B - A accuracy: 1.96 √(se_A² + se_B²), treating the two results as
    independent (conservative when both measured the same problems); None without both standard errors."""
    ses = [None if m is None else m.get("accuracy_se") for m in (ma, mb)]
    if ses[0] is None or ses[1] is None:
        return None
    return round(1.96 * (ses[0] ** 2 + ses[1] ** 2) ** 0.5, 6)


def _fmt(name: str, value: float | None, delta: bool = False) -> str:
    if value is None:
        return "-"
    if name == "mean_reasoning_words":
        return f"{value:+.1f}" if delta else f"{value:.1f}"
    return f"{100 * value:+.1f} pt" if delta else f"{100 * value:.1f}%"


def _plus_minus(cell: dict[str, Any]) -> str:
    half = cell.get("delta_ci95")
    return "" if half is None else f" ±{100 * half:.1f}"


def compare_text(result: dict[str, Any]) -> str:
    """The comparison as Markdown tables: one row per group, A / B / delta per metric."""
    names = result["metrics"]
    a, b = result["a"], result["b"]
    lines = [f"A: {a['model']} (prompt {a['prompt']})", f"B: {b['model']} (prompt {b['prompt']})"]
    lines += [f"warning: {w}" for w in result["warnings"]]
    lines.append("")
    header = "| | problems | " + " | ".join(f"{n} A | {n} B | Δ" for n in names) + " |"
    rule = "|---|---|" + "---|---|---|" * len(names)

    def row(label: str, r: dict[str, Any]) -> str:
        counts = "/".join("-" if c is None else str(c) for c in r["problems"])
        cells = [
            f"{_fmt(n, r[n]['a'])} | {_fmt(n, r[n]['b'])} | {_fmt(n, r[n]['delta'], delta=True)}{_plus_minus(r[n])}"
            for n in names
        ]
        return f"| {label} | {counts} | " + " | ".join(cells) + " |"

    lines += [header, rule, row("all", result["overall"])]
    lines += [row(name, r) for name, r in result["by_family"].items()]
    lines += [row(f"difficulty {k}", r) for k, r in result["by_difficulty"].items()]
    if result["overall"]["accuracy"].get("delta_ci95") is not None:
        lines += ["", "± after an accuracy Δ: half a 95 % interval, 1.96 √(se_A² + se_B²) over problems (a normal "
                  "approximation that treats the two results as independent)."]  # fmt: skip
    return "\n".join(lines) + "\n"


__all__ = ["compare", "compare_text", "load_result", "markdown_report", "write_json"]
