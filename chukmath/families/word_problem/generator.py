"""``word_problem``: multi-step everyday narratives over an exact underlying expression.

Each scenario draws its numbers, writes one of several phrasings with varied names, items and units, and
returns the expression it describes; the answer is the exact value of that expression (Fractions, no floats).
Prices are drawn so that every amount of money asked for is a whole number of cents: the trace writes it with two
places (``9235.80 dollars``), as a person would, and that is still the exact answer.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from math import gcd
from typing import Any

from chukmath.families.common.numfmt import decimal_str, frac_str, terminating_decimal
from chukmath.families.config import param
from chukmath.families.rng import Rng

NAMES = (
    "Ana", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kofi", "Lena", "Mateo",
    "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe",
    "Aisha", "Bruno", "Carmen", "Diego", "Emma", "Felix", "Hana", "Ivan", "Julia", "Kai", "Liam", "Maya", "Noah",
    "Olga", "Pablo", "Sofia", "Theo", "Yara",
)
# (singular, plural, lowest price in cents, highest price in cents)
ITEMS = (
    ("notebook", "notebooks", 150, 600), ("pen", "pens", 50, 300), ("apple", "apples", 30, 120),
    ("sandwich", "sandwiches", 300, 900), ("ticket", "tickets", 500, 2500), ("book", "books", 600, 3000),
    ("mug", "mugs", 400, 1500), ("plant", "plants", 250, 2000), ("cupcake", "cupcakes", 100, 450),
    ("T-shirt", "T-shirts", 800, 2500), ("bag of rice", "bags of rice", 200, 1200), ("candle", "candles", 150, 900),
)
CURRENCIES = (("$", "dollars"), ("€", "euros"), ("£", "pounds"))
SCENARIOS = ("shopping", "discount", "travel", "ages", "sharing", "production", "recipe", "savings", "fence",
             "fuel")


@dataclass(frozen=True)
class WordProblemConfig:
    """Knobs of word_problem (defaults are difficulty 3)."""

    scenarios: str = param(",".join(SCENARIOS), "comma-separated scenarios: " + ", ".join(SCENARIOS))
    min_steps: int = param(2, "fewest steps (operations) in the underlying expression", min=1, max=6)
    max_steps: int = param(3, "most steps in the underlying expression", min=1, max=6)
    max_value: int = param(50, "largest count, speed or amount in a story", min=5, max=10**6)
    decimals: float = param(0.3, "chance of prices with cents and other non-integer amounts", min=0, max=1)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        names = [s.strip() for s in self.scenarios.split(",")]
        bad = [s for s in names if s not in SCENARIOS]
        if bad or not any(names):
            return f"invalid scenarios={self.scenarios!r} (allowed: a comma-separated subset of {', '.join(SCENARIOS)})"
        if self.min_steps > self.max_steps:
            return f"min_steps={self.min_steps} is larger than max_steps={self.max_steps}"
        return None


PRESETS: dict[int, dict[str, Any]] = {
    1: {"min_steps": 1, "max_steps": 2, "max_value": 12, "decimals": 0.0},
    2: {"min_steps": 1, "max_steps": 3, "max_value": 20, "decimals": 0.1},
    3: {},
    4: {"min_steps": 3, "max_steps": 4, "max_value": 200, "decimals": 0.5},
    5: {"min_steps": 4, "max_steps": 6, "max_value": 1000, "decimals": 0.7},
}

Story = tuple[str, str, Fraction, str]  # question, expression, exact value, unit


def _money(cents: int) -> tuple[str, str, Fraction]:
    """(question text without symbol, expression literal, value) for an amount in cents."""
    value = Fraction(cents, 100)
    return f"{cents // 100}.{cents % 100:02d}" if cents % 100 else str(cents // 100), decimal_str(cents, 2).rstrip(
        "0").rstrip(".") if cents % 100 else str(cents // 100), value


def _whole_cents(cents: int, times: int, per: int) -> int:
    """``cents`` raised to the nearest price for which ``cents * times / per`` is a whole number of cents, so the
    answer is an amount a person pays (``$12.75``, never ``$12.7245``)."""
    step = per // gcd(times, per)
    return -(-cents // step) * step


def _names(rng: Rng, n: int) -> list[str]:
    picked: list[str] = []
    while len(picked) < n:
        name = rng.choice(NAMES)
        if name not in picked:
            picked.append(name)
    return picked


def _shopping(cfg: WordProblemConfig, rng: Rng, steps: int) -> Story:
    sym, unit = rng.choice(CURRENCIES)
    kinds = max(1, min(4, (steps + 1) // 2))
    who = _names(rng, 1)[0]
    chosen: list[tuple[str, str, int, int]] = []
    while len(chosen) < kinds:
        item = rng.choice(ITEMS)
        if item not in chosen:
            chosen.append(item)
    parts_q, parts_e = [], []
    total = Fraction(0)
    for _singular, plural, lo, hi in chosen:
        n = rng.randint(2, max(2, min(cfg.max_value, 30)))
        cents = rng.randint(lo, hi) if rng.chance(cfg.decimals) else rng.randint(max(1, lo // 100), hi // 100) * 100
        shown, lit, value = _money(cents)
        parts_q.append(f"{n} {plural} at {sym}{shown} each")
        parts_e.append(f"{n} * {lit}")
        total += n * value
    listing = parts_q[0] if len(parts_q) == 1 else ", ".join(parts_q[:-1]) + " and " + parts_q[-1]
    expr = " + ".join(parts_e)
    if steps >= 2 and rng.below(2):
        bill = next(b for b in (10, 20, 50, 100, 200, 500, 1000, 5000, 10**9) if b >= total)
        q = rng.choice((
            f"{who} buys {listing} and pays with a {sym}{bill} note. How much change does {who} get, in {unit}?",
            f"At the market, {who} picks up {listing}. {who} hands over {sym}{bill}. What change is due, in {unit}?",
        ))
        return q, f"{bill} - ({expr})", bill - total, unit
    q = rng.choice((
        f"{who} buys {listing}. How much does {who} spend in total, in {unit}?",
        f"What is the total cost, in {unit}, of {listing}?",
        f"{who} goes shopping and gets {listing}. What is the bill in {unit}?",
    ))
    return q, expr, total, unit


def _discount(cfg: WordProblemConfig, rng: Rng, steps: int) -> Story:
    sym, unit = rng.choice(CURRENCIES)
    who = _names(rng, 1)[0]
    singular, plural, lo, hi = rng.choice(ITEMS)
    cents = rng.randint(lo, hi) if rng.chance(cfg.decimals) else rng.randint(max(1, lo // 100), hi // 100) * 100
    pct = rng.choice((5, 10, 15, 20, 25, 30, 40, 50))
    n = rng.randint(2, max(2, min(cfg.max_value, 20)))
    shown, lit, price = _money(_whole_cents(cents, n * (100 - pct), 100))
    q = rng.choice((
        f"A {singular} costs {sym}{shown}. During a sale everything is {pct}% off. {who} buys {n} {plural}. "
        f"How much does {who} pay, in {unit}?",
        f"{who} wants {n} {plural} priced at {sym}{shown} each, and gets a {pct}% discount on the whole order. "
        f"What is the final cost in {unit}?",
    ))
    return q, f"{n} * {lit} * (100 - {pct}) / 100", n * price * (100 - pct) / 100, unit


def _travel(cfg: WordProblemConfig, rng: Rng, steps: int) -> Story:
    who = _names(rng, 1)[0]
    unit, per = rng.choice((("kilometers", "km/h"), ("miles", "mph")))
    legs = max(1, min(4, (steps + 1) // 2))
    parts_q, parts_e, total = [], [], Fraction(0)
    for i in range(legs):
        v = rng.randint(3, max(4, min(cfg.max_value * 2, 130)))
        if rng.chance(cfg.decimals):
            t = Fraction(rng.randint(1, 16), 4)
            t_text = terminating_decimal(t) or frac_str(t)
        else:
            t = Fraction(rng.randint(1, 6))
            t_text = str(t)
        hours = "hour" if t == 1 else "hours"
        lead = "" if legs == 1 else "first " if i == 0 else "then "
        parts_q.append(f"{lead}drives at {v} {per} for {t_text} {hours}")
        parts_e.append(f"{v} * {t_text}")
        total += v * t
    q = rng.choice((
        f"{who} " + ", ".join(parts_q) + f". How many {unit} does {who} travel in total?",
        f"On a road trip, {who} " + ", ".join(parts_q) + f". What total distance is covered, in {unit}?",
    ))
    return q, " + ".join(parts_e), total, unit


def years_text(n: int) -> str:
    """``1 year`` or ``n years``, as the ages stories say it."""
    return "1 year" if n == 1 else f"{n} years"


def _ages(cfg: WordProblemConfig, rng: Rng, steps: int) -> Story:
    people = _names(rng, min(5, steps + 1))
    age = rng.randint(3, max(4, min(cfg.max_value, 40)))
    expr, value = str(age), Fraction(age)
    lines = [f"{people[0]} is {age} years old."]
    for prev, cur in itertools.pairwise(people):
        if rng.below(3) == 0 and value < 40:
            k = rng.randint(2, 3)
            lines.append(f"{cur} is {k} times as old as {prev}.")
            expr, value = (f"{k} * ({expr})" if " " in expr else f"{k} * {expr}"), value * k
        else:
            d = rng.randint(1, 15)
            if rng.below(2) and value - d > 0:
                lines.append(f"{cur} is {years_text(d)} younger than {prev}.")
                expr, value = f"{expr} - {d}", value - d
            else:
                lines.append(f"{cur} is {years_text(d)} older than {prev}.")
                expr, value = f"{expr} + {d}", value + d
    later = rng.randint(1, 10)
    last = people[-1]
    q = " ".join(lines) + rng.choice((f" How old will {last} be in {years_text(later)}?",
                                      f" What age will {last} be {years_text(later)} from now?"))
    return q, f"{expr} + {later}", value + later, "years"


def _sharing(cfg: WordProblemConfig, rng: Rng, steps: int) -> Story:
    who = _names(rng, 1)[0]
    thing, unit = rng.choice((("pizzas", "pizzas"), ("liters of juice", "liters"), ("kilograms of cherries",
                              "kilograms"), ("meters of ribbon", "meters"), ("cookies", "cookies")))
    people = rng.randint(2, 12)
    total = rng.randint(people, max(people + 1, cfg.max_value * 2))
    if not rng.chance(cfg.decimals):
        total -= total % people
    keep = rng.randint(1, max(1, total // 4)) if steps >= 2 and total > 4 else 0
    if keep and not rng.chance(cfg.decimals):
        total += (people - (total - keep) % people) % people
    if keep:
        q = rng.choice((
            f"{who} has {total} {thing}, keeps {keep} and shares the rest equally among {people} friends. "
            f"How many {unit} does each friend get?",
            f"There are {total} {thing}. After setting aside {keep}, {who} splits the remainder evenly between "
            f"{people} people. How much does each person receive, in {unit}?",
        ))
        return q, f"({total} - {keep}) / {people}", Fraction(total - keep, people), unit
    q = rng.choice((
        f"{who} shares {total} {thing} equally among {people} friends. How many {unit} does each friend get?",
        f"{total} {thing} are divided evenly between {people} people. How much does each get, in {unit}?",
    ))
    return q, f"{total} / {people}", Fraction(total, people), unit


def _production(cfg: WordProblemConfig, rng: Rng, steps: int) -> Story:
    thing = rng.choice(("bottles", "toys", "chairs", "loaves of bread", "shirts", "phone cases"))
    rate = rng.randint(5, max(6, cfg.max_value * 3))
    hours = rng.randint(2, 12)
    days = rng.randint(2, 7)
    expr, value = f"{rate} * {hours} * {days}", Fraction(rate * hours * days)
    extra = ""
    if steps >= 3:
        bad = rng.randint(1, max(1, int(value) // 10))
        expr, value = f"{expr} - {bad}", value - bad
        extra = f" {bad} of them fail inspection."
    q = rng.choice((
        f"A machine makes {rate} {thing} per hour and runs {hours} hours a day for {days} days.{extra} "
        f"How many good {thing} are made?" if extra else
        f"A machine makes {rate} {thing} per hour and runs {hours} hours a day for {days} days. "
        f"How many {thing} does it make?",
        f"A workshop produces {rate} {thing} an hour, {hours} hours a day, for {days} days.{extra} "
        f"How many {'usable ' if extra else ''}{thing} are there at the end?",
    ))
    return q, expr, value, thing


def _recipe(cfg: WordProblemConfig, rng: Rng, steps: int) -> Story:
    ingredient, unit = rng.choice((("flour", "cups"), ("sugar", "cups"), ("milk", "liters"), ("butter", "grams"),
                                   ("rice", "cups")))
    serves = rng.randint(2, 8)
    amount = rng.randint(1, max(2, min(cfg.max_value, 500 if unit == "grams" else 6)))
    want = rng.randint(2, max(3, min(cfg.max_value, 40)))
    amount_unit = unit if amount != 1 else unit[:-1]  # "1 cup", "2 cups"
    q = rng.choice((
        f"A recipe uses {amount} {amount_unit} of {ingredient} for {serves} servings. How many {unit} of {ingredient} "
        f"are needed for {want} servings?",
        f"To make {serves} portions you need {amount} {amount_unit} of {ingredient}. How much {ingredient} do you need "
        f"for {want} portions, in {unit}?",
    ))
    return q, f"{amount} * {want} / {serves}", Fraction(amount * want, serves), unit


def _savings(cfg: WordProblemConfig, rng: Rng, steps: int) -> Story:
    sym, unit = rng.choice(CURRENCIES)
    who = _names(rng, 1)[0]
    start = rng.randint(0, cfg.max_value * 4)
    weekly = rng.randint(2, max(3, cfg.max_value))
    weeks = rng.randint(2, 20)
    spend = rng.randint(1, start + weekly * weeks) if steps >= 3 else 0
    q = (f"{who} has {sym}{start} saved and adds {sym}{weekly} every week for {weeks} weeks."
         + (f" Then {who} spends {sym}{spend} on a present." if spend else "")
         + rng.choice((f" How much money does {who} have now, in {unit}?", f" How many {unit} are left?"
                       if spend else f" How many {unit} does {who} have in the end?")))
    expr = f"{start} + {weekly} * {weeks}" + (f" - {spend}" if spend else "")
    return q, expr, Fraction(start + weekly * weeks - spend), unit


def _fence(cfg: WordProblemConfig, rng: Rng, steps: int) -> Story:
    sym, money = rng.choice(CURRENCIES)
    length = rng.randint(3, max(4, cfg.max_value))
    width = rng.randint(2, max(3, cfg.max_value))
    if steps >= 3:
        cents = rng.randint(150, 2500) if rng.chance(cfg.decimals) else rng.randint(2, 25) * 100
        shown, lit, price = _money(cents)
        q = (f"A rectangular garden is {length} m long and {width} m wide. Fencing costs {sym}{shown} per meter. "
             f"How much does it cost, in {money}, to fence the whole garden?")
        return q, f"2 * ({length} + {width}) * {lit}", 2 * (length + width) * price, money
    if rng.below(2):
        q = f"A rectangular field measures {length} m by {width} m. What is its perimeter in meters?"
        return q, f"2 * ({length} + {width})", Fraction(2 * (length + width)), "meters"
    q = f"A rectangular room is {length} m long and {width} m wide. What is its floor area in square meters?"
    return q, f"{length} * {width}", Fraction(length * width), "square meters"


def _fuel(cfg: WordProblemConfig, rng: Rng, steps: int) -> Story:
    who = _names(rng, 1)[0]
    per100 = rng.randint(40, 120)
    per100_text = decimal_str(per100, 1) if per100 % 10 else str(per100 // 10)
    km = rng.randint(2, max(3, cfg.max_value)) * 10
    expr, value = f"{per100_text} * {km} / 100", Fraction(per100, 10) * km / 100
    q = f"{who}'s car uses {per100_text} liters of fuel per 100 km. How many liters does a {km} km trip take?"
    if steps >= 3:
        cents = rng.randint(120, 250)
        shown, lit, price = _money(_whole_cents(cents, per100 * km // 10, 100))
        sym, money = rng.choice(CURRENCIES)
        q = (f"{who}'s car uses {per100_text} liters of fuel per 100 km and fuel costs {sym}{shown} per liter. "
             f"What does the fuel for a {km} km trip cost, in {money}?")
        return q, f"{expr} * {lit}", value * price, money
    return q, expr, value, "liters"


_BUILDERS: dict[str, Callable[[WordProblemConfig, Rng, int], Story]] = {
    "shopping": _shopping, "discount": _discount, "travel": _travel, "ages": _ages, "sharing": _sharing,
    "production": _production, "recipe": _recipe, "savings": _savings, "fence": _fence, "fuel": _fuel,
}


def draw(cfg: WordProblemConfig, rng: Rng) -> tuple[str, Any] | None:
    """One word problem: ``(question, (expression, answer, meta))``."""
    names = [s.strip() for s in cfg.scenarios.split(",") if s.strip()]
    scenario = rng.choice(names)
    steps = rng.randint(cfg.min_steps, cfg.max_steps)
    question, expr, value, unit = _BUILDERS[scenario](cfg, rng, steps)
    if value < 0:
        return None
    meta: dict[str, Any] = {"scenario": scenario, "unit": unit}
    if value.denominator != 1:
        dec = terminating_decimal(value)
        if dec is not None:
            meta["answer_decimal"] = dec
    return question, (expr, frac_str(value), meta)
