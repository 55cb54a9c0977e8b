"""``statistics``: descriptive statistics of a small list of whole numbers, computed exactly.

The trace sorts the data when order matters, adds with one claim per line, and divides once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, num, step
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.rng import Rng
from chukmath.records import Problem

KINDS = ("mean", "median", "mode", "range", "variance", "missing")
_CONTEXTS = (
    ("quiz scores", "scores"), ("daily high temperatures in °F", "temperatures"),
    ("heights of plants in cm", "heights"),
    ("numbers of goals scored per game", "numbers"), ("ages of the people in a group", "ages"),
    ("weekly hours worked", "hours"), ("prices of books in dollars", "prices"), ("test marks", "marks"),
)  # fmt: skip


@dataclass(frozen=True)
class StatisticsConfig:
    """Knobs of statistics (defaults are difficulty 3)."""

    kinds: str = param(",".join(KINDS), "comma-separated question kinds: " + ", ".join(KINDS))
    max_size: int = param(8, "largest number of data values", min=4, max=30)
    max_value: int = param(100, "largest data value", min=10, max=10**5)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "mean,median,mode,range", "max_size": 5, "max_value": 20},
    2: {"kinds": "mean,median,mode,range,missing", "max_size": 7, "max_value": 50},
    3: {},
    4: {"max_size": 12, "max_value": 500},
    5: {"max_size": 20, "max_value": 5000},
}

_ASK = {
    "mean": ("What is the mean of these {what}: {data}?", "Find the average of the {what}: {data}.",
             "The {what} are {data}. What is their arithmetic mean?"),
    "median": ("What is the median of these {what}: {data}?", "Find the median of the {what}: {data}.",
               "The {what} are {data}. What is the middle value (the median)?"),
    "mode": ("What is the mode of these {what}: {data}?", "Which value occurs most often among the {what}: {data}?",
             "The {what} are {data}. Find the mode."),
    "range": ("What is the range of these {what}: {data}?", "Find the range of the {what}: {data}.",
              "The {what} are {data}. What is the difference between the largest and the smallest?"),
    "variance": ("What is the population variance of these {what}: {data}?",
                 "Find the population variance (divide by n) of the {what}: {data}.",
                 "The {what} are {data}. Compute their variance, treating them as the whole population."),
}  # fmt: skip


def _kinds(cfg: StatisticsConfig) -> list[str]:
    return kind_names(cfg.kinds)


def draw(cfg: StatisticsConfig, rng: Rng) -> tuple[str, Any] | None:
    """One statistics question."""
    kind = rng.choice(_kinds(cfg))
    n = rng.randint(4, cfg.max_size)
    top = cfg.max_value
    low = rng.randint(0, top // 2)
    data = [rng.randint(low, top) for _ in range(n)]
    context, plural = rng.choice(_CONTEXTS)
    if kind == "mode":
        # one value strictly more frequent than any other
        data[1] = data[0]
        data[2] = data[0]
        counts = Counter(data).most_common()
        if len(counts) > 1 and counts[1][1] == counts[0][1]:
            return None
        order = [rng.below(1000) for _ in data]
        data = [x for _, x in sorted(zip(order, data, strict=True))]
    if kind == "variance":
        data = data[: min(n, 8)]
    shown = ", ".join(map(str, data))
    if kind == "missing":
        n = len(data)
        missing = data[-1]
        known = data[:-1]
        mean = Fraction(sum(data), n)
        if mean.denominator != 1:
            return None
        question = rng.choice(
            (
                f"The mean of {n} {plural} is {mean}. {n - 1} of them are {', '.join(map(str, known))}. What is the "
                "last one?",
                f"A list of {n} {context} has an average of {mean}. If the first {n - 1} are "
                f"{', '.join(map(str, known))}, what is the remaining value?",
            )
        )
        meta = {"kind": kind, "known": known, "mean": int(mean)}
        return question, (f"{n}*{mean} - ({' + '.join(map(str, known))})", str(missing), meta)
    question = rng.choice(_ASK[kind]).format(what=context, data=shown)
    if kind == "mean":
        value = Fraction(sum(data), len(data))
        expr = f"({' + '.join(map(str, data))})/{len(data)}"
    elif kind == "median":
        s = sorted(data)
        k = len(s)
        value = Fraction(s[k // 2]) if k % 2 else Fraction(s[k // 2 - 1] + s[k // 2], 2)
        expr = str(s[k // 2]) if k % 2 else f"({s[k // 2 - 1]} + {s[k // 2]})/2"
    elif kind == "mode":
        value = Fraction(Counter(data).most_common(1)[0][0])
        expr = str(value)
    elif kind == "range":
        value = Fraction(max(data) - min(data))
        expr = f"{max(data)} - {min(data)}"
    else:
        mean = Fraction(sum(data), len(data))
        value = sum(((x - mean) ** 2 for x in data), Fraction(0)) / len(data)
        expr = f"({' + '.join(f'({x} - {num(mean)})**2' for x in data)})/{len(data)}"
    return question, (expr, str(value), {"kind": kind, "data": data})


def _sum(values: list[Any], lines: list[str]) -> Any:
    total = values[0]
    for v in values[1:]:
        line, total = step(total, OP_ADD, v)
        lines.append(line)
    return total


def trace(problem: Problem) -> str:
    """The definition of the statistic, worked out one claim per line."""
    m = problem.meta
    kind = m["kind"]
    lines: list[str] = []
    if kind == "missing":
        known, mean = m["known"], m["mean"]
        n = len(known) + 1
        lines.append(f"A mean of {mean} over {n} values means the values add up to {n} times {mean}:")
        line, total = step(n, OP_MUL, mean)
        lines.append(line)
        lines.append(f"The {n - 1} known values add up to:")
        part = _sum(known, lines)
        lines.append("The missing value is what is left:")
        line, value = step(total, OP_SUB, part)
        lines.append(line)
        lines.append(f"So the missing value is {value}.")
        return assemble(lines, f"The answer is {value}.", str(value))
    data = m["data"]
    s = sorted(data)
    if kind == "mean":
        lines.append(f"Add the {len(data)} values, then divide by {len(data)}.")
        total = _sum(data, lines)
        line, value = step(total, OP_DIV, len(data))
        lines.append(line)
    elif kind == "median":
        lines.append(f"Sort the values: {', '.join(map(str, s))}.")
        k = len(s)
        if k % 2:
            value = s[k // 2]
            lines.append(f"There are {k} values, an odd count, so the median is value number {k // 2 + 1}: {value}.")
        else:
            a, b = s[k // 2 - 1], s[k // 2]
            lines.append(
                f"There are {k} values, an even count, so the median is the average of values number "
                f"{k // 2} and {k // 2 + 1}, {a} and {b}."
            )
            line, total = step(a, OP_ADD, b)
            lines.append(line)
            line, value = step(total, OP_DIV, 2)
            lines.append(line)
    elif kind == "mode":
        counts = Counter(data)
        top, freq = counts.most_common(1)[0]
        lines.append(f"Sort the values to see repeats: {', '.join(map(str, s))}.")
        others = [c for v, c in counts.items() if v != top]
        lines.append(
            f"{top} appears {freq} times; every other value appears at most {max(others, default=0)} "
            f"time{'s' if max(others, default=0) != 1 else ''}."
        )
        value = top
    elif kind == "range":
        lines.append(f"The largest value is {s[-1]} and the smallest is {s[0]}.")
        line, value = step(s[-1], OP_SUB, s[0])
        lines.append(line)
    else:
        n = len(data)
        lines.append("First the mean:")
        total = _sum(data, lines)
        line, mean = step(total, OP_DIV, n)
        lines.append(line)
        lines.append("Then the squared distance of each value from the mean:")
        squares = []
        for x in data:
            line, d = step(x, OP_SUB, mean)
            lines.append(line)
            line, sq = step(d, OP_MUL, d)
            lines.append(line)
            squares.append(sq)
        lines.append(f"Add the squares and divide by {n}:")
        total = _sum(squares, lines)
        line, value = step(total, OP_DIV, n)
        lines.append(line)
    value = Fraction(value)
    lines.append(f"So the {kind} is {num(value)}.")
    return assemble(lines, f"The answer is {num(value)}.", num(value))
