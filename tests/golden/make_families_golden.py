"""Write tests/golden/families.jsonl: a fixed-seed sample of every built-in family at difficulty 1-5 with the
built-in teacher's trace of each, each family's ``describe()`` (config fields and presets), and the first
problems of each bundled mix recipe.

The file pins today's output: tests/test_families_golden.py checks that the code still makes these bytes.
Regenerate it only for a deliberate change of output: ``.venv/bin/python tests/golden/make_families_golden.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

GOLDEN = Path(__file__).with_name("families.jsonl")
FAMILIES = ("arithmetic", "calculus", "fractions", "linear_equation", "linear_system", "number_theory", "quadratic",
            "word_problem",
            # issue 17 (breadth), appended after the first eight so their rows keep their place
            "permutations_combinations", "probability", "expected_value", "statistics", "percent_ratio",
            "geometry_area", "pythagorean", "sequences", "vectors_matrices", "functions", "logarithms",
            "complex_numbers", "trig_values", "coordinate_geometry", "polynomial_roots", "unit_conversion",
            "multi_step_word", "inequalities")  # fmt: skip
MIXES = ("algebra", "gsm8k_style", "mixed_difficulty")
PER_LEVEL = 20
PER_MIX = 40
SEED = 17


def golden_rows() -> Iterator[dict[str, Any]]:
    """The golden records, in file order: per family its description, then its problems with their traces."""
    from chukmath.generate import generate, generate_mix, get_family, load_mix_recipe
    from chukmath.records import Problem
    from chukmath.teach.builtin import builtin_trace

    for name in FAMILIES:
        yield {"describe": get_family(name).describe()}
        for level in (1, 2, 3, 4, 5):
            for row in generate(name, seed=SEED, count=PER_LEVEL, difficulty=level).rows():
                yield {"problem": row, "trace": builtin_trace(Problem(**row))}
    for mix in MIXES:
        for row in generate_mix(load_mix_recipe(mix), seed=SEED, count=PER_MIX).rows():
            yield {"mix": mix, "problem": row}


def golden_lines() -> Iterator[bytes]:
    for row in golden_rows():
        yield orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE)


if __name__ == "__main__":
    GOLDEN.write_bytes(b"".join(golden_lines()))
    print(GOLDEN)
