"""``percent_ratio``: percents, ratios and rates with exact answers (a percent answer is the number of percent).

The trace turns a percent into a fraction of 100 and works with exact fractions, one claim per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, num, step
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.rng import Rng
from chukmath.records import Problem

KINDS = ("percent_of", "what_percent", "change", "reverse", "share", "rate")
_ITEMS = ("jacket", "bicycle", "laptop", "concert ticket", "pair of shoes", "tablet", "lamp", "backpack")
_SHARERS = (("Ana", "Ben", "Cleo"), ("Raj", "Mia", "Tom"), ("Lena", "Omar", "Sara"), ("Kai", "Zoe", "Ivan"))
_RATES = (  # (what, unit of amount, unit of time or count)
    ("A car travels {a} km in {t} hours", "km", "hours", "How far does it travel in {t2} hours at the same speed?"),
    ("A printer prints {a} pages in {t} minutes", "pages", "minutes", "How many pages does it print in {t2} minutes?"),
    ("{t} notebooks cost ${a}", "dollars", "notebooks", "How many dollars do {t2} notebooks cost?"),
    ("A pump fills {a} litres in {t} minutes", "litres", "minutes", "How many litres does it fill in {t2} minutes?"),
    ("A baker uses {a} cups of flour for {t} loaves", "cups", "loaves", "How many cups are needed for {t2} loaves?"),
)  # fmt: skip


@dataclass(frozen=True)
class PercentRatioConfig:
    """Knobs of percent_ratio (defaults are difficulty 3)."""

    kinds: str = param(",".join(KINDS), "comma-separated question kinds: " + ", ".join(KINDS))
    max_value: int = param(500, "largest amount", min=20, max=10**7)
    round_percents: bool = param(False, "percents only in steps of 5")

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "percent_of,share,rate", "max_value": 200, "round_percents": True},
    2: {"kinds": "percent_of,what_percent,share,rate", "max_value": 400, "round_percents": True},
    3: {},
    4: {"max_value": 10**4},
    5: {"max_value": 10**6},
}


_PERCENT_ANSWERS = frozenset({"what_percent", "change"})


def _a(n: int) -> str:
    """The article before a number read aloud: an 8, an 11, an 18, an 80; a 5."""
    return "an" if str(n).startswith("8") or n in (11, 18) else "a"


def _percent(cfg: PercentRatioConfig, rng: Rng) -> int:
    return rng.randint(1, 19) * 5 if cfg.round_percents else rng.randint(1, 99)


def draw(cfg: PercentRatioConfig, rng: Rng) -> tuple[str, Any] | None:
    """One percent, ratio or rate question."""
    kind = rng.choice(kind_names(cfg.kinds))
    top = cfg.max_value
    if kind == "percent_of":
        p, n = _percent(cfg, rng), rng.randint(2, top)
        value = Fraction(p, 100) * n
        phrases = [f"What is {p}% of {n}?", f"Find {p} percent of {n}.", f"Compute {p}% of {n}."]
        if value.denominator == 1:
            phrases.append(f"A school has {n} students and {p}% of them walk to school. How many students walk?")
        question = rng.choice(phrases)
        return question, (f"{p}/100 * {n}", str(value), {"kind": kind, "p": p, "n": n})
    if kind == "what_percent":
        whole = rng.randint(2, top)
        part = rng.randint(1, whole)
        value = Fraction(part, whole) * 100
        question = rng.choice(
            (
                f"What percent of {whole} is {part}?",
                f"{part} is what percent of {whole}?",
                f"A team won {part} of its {whole} games. What percent of its games did it win?",
            )
        )
        return question, (f"{part}/{whole} * 100", str(value), {"kind": kind, "part": part, "whole": whole})
    if kind == "change":
        old = rng.randint(10, top)
        p = _percent(cfg, rng)
        up = rng.chance(0.5)
        new = Fraction(old) * (100 + p if up else 100 - p) / 100
        if new.denominator != 1 and not rng.chance(0.3):
            return None
        item = rng.choice(_ITEMS)
        word = "increase" if up else "decrease"
        question = rng.choice(
            (
                f"The price of a {item} went from ${old} to ${num(new, 'decimal')}. What was the percent {word}?",
                f"A {item} cost ${old} last year and costs ${num(new, 'decimal')} now. By what percent did the price "
                f"{word}?",
            )
        )
        meta = {"kind": kind, "old": old, "new": num(new), "up": up}
        return question, (f"Abs({num(new)} - {old})/{old} * 100", str(Fraction(p)), meta)
    if kind == "reverse":
        p = _percent(cfg, rng)
        up = rng.chance(0.5)
        original = rng.randint(4, top // 2) * 4
        final = Fraction(original) * (100 + p if up else 100 - p) / 100
        item = rng.choice(_ITEMS)
        how = f"after {_a(p)} {p}% {'increase' if up else 'discount'}"
        question = rng.choice(
            (
                f"A {item} costs ${num(final, 'decimal')} {how}. What was the price before?",
                f"{how.capitalize()}, the price of a {item} is ${num(final, 'decimal')}. Find the original price.",
            )
        )
        meta = {"kind": kind, "p": p, "up": up, "final": num(final)}
        factor = f"(100 {'+' if up else '-'} {p})/100"
        return question, (f"{num(final)} / ({factor})", str(original), meta)
    if kind == "share":
        three = top >= 300 and rng.chance(0.4)
        parts = [rng.randint(1, 9) for _ in range(3 if three else 2)]
        unit = rng.randint(1, max(1, top // sum(parts)))
        total = unit * sum(parts)
        names = rng.choice(_SHARERS)[: len(parts)]
        who = rng.below(len(parts))
        ratio = ":".join(map(str, parts))
        people = ", ".join(names[:-1]) + f" and {names[-1]}"
        question = rng.choice(
            (
                f"{people} share ${total} in the ratio {ratio}. How many dollars does {names[who]} get?",
                f"${total} is divided among {people} in the ratio {ratio}. What is {names[who]}'s share in dollars?",
            )
        )
        meta = {"kind": kind, "parts": parts, "total": total, "who": who, "names": list(names)}
        return question, (f"{total} * {parts[who]}/{sum(parts)}", str(unit * parts[who]), meta)
    template, unit_a, unit_t, ask = rng.choice(_RATES)
    t = rng.randint(2, 12)
    a = rng.randint(2, max(2, top // 4))
    t2 = rng.randint(2, 30)
    if t2 == t:
        return None
    value = Fraction(a, t) * t2
    question = template.format(a=a, t=t) + ". " + ask.format(t2=t2)
    meta = {"kind": kind, "a": a, "t": t, "t2": t2, "units": [unit_a, unit_t]}
    return question, (f"{a}/{t} * {t2}", str(value), meta)


def trace(problem: Problem) -> str:
    """Percents as fractions of 100; ratios as parts of the whole; rates per one unit."""
    m = problem.meta
    kind = m["kind"]
    lines: list[str] = []
    if kind == "percent_of":
        p, n = m["p"], m["n"]
        lines.append(f"{p}% means {p} hundredths:")
        line, frac = step(p, OP_DIV, 100)
        lines.append(line)
        line, value = step(frac, OP_MUL, n)
        lines.append(line)
    elif kind == "what_percent":
        part, whole = m["part"], m["whole"]
        lines.append("Divide the part by the whole, then multiply by 100 to get percent:")
        line, frac = step(part, OP_DIV, whole)
        lines.append(line)
        line, value = step(frac, OP_MUL, 100)
        lines.append(line)
    elif kind == "change":
        old, new, up = m["old"], Fraction(m["new"]), m["up"]
        lines.append(f"The change is the {'new price minus the old' if up else 'old price minus the new'}:")
        line, diff = step(new, OP_SUB, old, "decimal") if up else step(old, OP_SUB, new, "decimal")
        lines.append(line)
        lines.append("Divide by the old price and multiply by 100:")
        line, frac = step(diff, OP_DIV, old)
        lines.append(line)
        line, value = step(frac, OP_MUL, 100)
        lines.append(line)
    elif kind == "reverse":
        p, up, final = m["p"], m["up"], Fraction(m["final"])
        lines.append(f"The new price is {100 + p if up else 100 - p}% of the original price:")
        line, pct = step(100, OP_ADD, p) if up else step(100, OP_SUB, p)
        lines.append(line)
        line, factor = step(pct, OP_DIV, 100)
        lines.append(line)
        lines.append("So divide the new price by that factor:")
        line, value = step(final, OP_DIV, factor, "decimal")
        lines.append(line)
    elif kind == "share":
        parts, total, who, names = m["parts"], m["total"], m["who"], m["names"]
        lines.append("Add the parts of the ratio:")
        whole = parts[0]
        for x in parts[1:]:
            line, whole = step(whole, OP_ADD, x)
            lines.append(line)
        lines.append("One part is worth:")
        line, unit = step(total, OP_DIV, whole)
        lines.append(line)
        lines.append(f"{names[who]} gets {parts[who]} part{'s' if parts[who] != 1 else ''}:")
        line, value = step(unit, OP_MUL, parts[who])
        lines.append(line)
    else:
        a, t, t2 = m["a"], m["t"], m["t2"]
        unit_a, unit_t = m["units"]
        lines.append(f"First the {unit_a} for one of the {unit_t}:")
        line, rate = step(a, OP_DIV, t)
        lines.append(line)
        lines.append(f"Then multiply by {t2}:")
        line, value = step(rate, OP_MUL, t2)
        lines.append(line)
    value = Fraction(value)
    # a percentage is written as one (25%, 12.5%) where it has an exact decimal; a repeating one stays a fraction
    # (a rounded 62.83% would not be exact). <verifier_answer> keeps the bare number the answer field holds.
    decimal = num(value, "decimal")
    shown = f"{decimal}%" if kind in _PERCENT_ANSWERS and "/" not in decimal else num(value)
    lines.append(f"So the answer is {shown}.")
    return assemble(lines, f"The answer is {shown}.", num(value))
