"""Merge the results.json of several sft_proof runs (arms run as parallel processes) into one results.json and one
table, in the order given::

    python bench/sft_proof_table.py OUT/classic/results.json OUT/mix/results.json --out OUT/all

A run's labels are prefixed with ``--prefix NAME=PREFIX`` where two runs use the same labels (e.g. the same
arms trained on classic and on mixed traces): ``--prefix mix="mix traces: "`` with a path ``mix=OUT/...``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def merge(runs: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """One summary: the first run's header fields, every run's results (labels prefixed), per-run extras kept."""
    if not runs:
        raise SystemExit("sft_proof_table: give at least one results.json")
    merged: dict[str, Any] = {k: v for k, v in runs[0][1].items() if k not in {"results", "stages"}}
    merged["results"] = {}
    merged["runs"] = []
    for prefix, summary in runs:
        merged["runs"].append({"prefix": prefix, "stages": summary.get("stages"),
                               "systematic_error_rows": summary.get("systematic_error_rows"),
                               "build_s": summary.get("build_s"), "load_s": summary.get("load_s"),
                               "gpu": summary.get("gpu")})
        for label, data in summary["results"].items():
            key = f"train:{prefix}{label[6:]}" if label.startswith("train:") else f"{prefix}{label}"
            if key in merged["results"]:
                raise SystemExit(f"sft_proof_table: label {key!r} appears in two runs; give one a prefix")
            merged["results"][key] = data
    return merged


def main() -> None:
    from sft_proof import markdown

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", help="results.json files, each optionally NAME=PATH")
    parser.add_argument("--prefix", action="append", default=[], help="NAME=PREFIX for the run given as NAME=PATH")
    parser.add_argument("--out", required=True, help="folder for the merged results.json and results.md")
    args = parser.parse_args()
    prefixes = dict(item.split("=", 1) for item in args.prefix)
    runs = []
    for item in args.results:
        name, _, path = item.rpartition("=") if "=" in item else ("", "", item)
        runs.append((prefixes.get(name, ""), json.loads(Path(path).read_text())))
    merged = merge(runs)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(merged, indent=1, default=str))
    table = markdown(merged)
    (out / "results.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
