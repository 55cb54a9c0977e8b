"""``multi_step_word``: everyday stories whose answer takes several dependent operations (3-8).

Each scenario draws its numbers so every intermediate result is a whole number, records the steps as
``[label, left, op, right]`` (a ``left`` or ``right`` of the form ``"#k"`` names step k's result) and its own
parameters; the trace replays the steps, one true claim each. Distractors are sentences with numbers the answer
does not use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, num, step
from chukmath.families.config import param
from chukmath.families.rng import Rng
from chukmath.records import Problem

SCENARIOS = ("bakery", "savings", "road_trip", "garden", "supplies", "reading")
_NAMES = ("Maya", "Liam", "Aisha", "Noah", "Sofia", "Mateo", "Chloe", "Ravi", "Emma", "Kenji", "Zara", "Owen")
_DISTRACTORS = (
    "{name}'s cousin is {n} years old.", "The shop opened {n} years ago.", "It was {n} degrees outside that day.",
    "{name} lives {n} blocks from the library.", "The street has {n} houses.", "{name}'s bus number is {n}.",
    "There are {n} windows in the building.",
)  # fmt: skip
_OPS = {"+": OP_ADD, "-": OP_SUB, "*": OP_MUL, "/": OP_DIV}


@dataclass(frozen=True)
class MultiStepConfig:
    """Knobs of multi_step_word (defaults are difficulty 3)."""

    scenarios: str = param(",".join(SCENARIOS), "comma-separated scenarios: " + ", ".join(SCENARIOS))
    scale: int = param(3, "size of the numbers (1 small .. 5 large)", min=1, max=5)
    max_steps: int = param(6, "most steps of the underlying computation (a scenario's base has 3-5; later steps are "
                           "added up to this)", min=3, max=8)  # fmt: skip
    distractors: int = param(0, "facts with quantities the answer does not use, added to the story", min=0, max=3)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        names = [k.strip() for k in self.scenarios.split(",")]
        if not any(names) or any(k not in SCENARIOS for k in names):
            return f"invalid scenarios={self.scenarios!r} (allowed: a comma-separated subset of {', '.join(SCENARIOS)})"
        return None


PRESETS: dict[int, dict[str, Any]] = {
    1: {"scale": 1, "max_steps": 3},
    2: {"scale": 2, "max_steps": 4},
    3: {},
    4: {"scale": 4, "max_steps": 7, "distractors": 1},
    5: {"scale": 5, "max_steps": 8, "distractors": 2},
}

Built = tuple[list[str], str, list[list[Any]], dict[str, int]]


def _n(rng: Rng, low: int, high: int, scale: int) -> int:
    return rng.randint(low, high * scale)


def _bakery(rng: Rng, s: int, room: int, name: str) -> Built:
    trays, per, box = _n(rng, 2, 4, s), _n(rng, 6, 6, s), rng.randint(3, 8)
    boxes = rng.randint(2, trays * per // box - 1) if trays * per // box > 2 else 1
    sold = trays * per - boxes * box
    story = [f"{name} bakes {trays} trays of cookies with {per} cookies on each tray.",
             f"{name} sells {sold} cookies at the market.",
             f"The rest are packed into boxes of {box}."]  # fmt: skip
    steps: list[list[Any]] = [["Cookies baked", trays, "*", per], ["Cookies left after the market", "#1", "-", sold],
                              ["Boxes filled", "#2", "/", box]]  # fmt: skip
    p = {"trays": trays, "per": per, "sold": sold, "box": box}
    ask = "How many boxes are filled?"
    if room >= 1:
        price = rng.randint(3, 12)
        story.append(f"Each box sells for ${price}.")
        steps.append(["Money from the boxes", "#3", "*", price])
        p["price"] = price
        ask = "How many dollars does the bakery get for all the boxes?"
        money = boxes * price
        if room >= 3 and money > 4:
            partners = rng.randint(2, 4)
            profit = partners * rng.randint(1, (money - 1) // partners)
            story += [f"The ingredients cost ${money - profit}.",
                      f"The profit is shared equally by {partners} partners."]  # fmt: skip
            steps += [["Profit", "#4", "-", money - profit], ["Each partner's share", "#5", "/", partners]]
            p |= {"cost": money - profit, "partners": partners}
            ask = "How many dollars does each partner get?"
    return story, ask, steps, p


def _savings(rng: Rng, s: int, room: int, name: str) -> Built:
    wage, weeks = _n(rng, 5, 15, s), rng.randint(3, 4 + 2 * s)
    game, book = rng.randint(5, wage * weeks // 3), rng.randint(2, wage * weeks // 4)
    left = wage * weeks - game - book
    if left <= 0:
        game, left = 1, wage * weeks - 1 - book
    story = [f"{name} earns ${wage} a week walking dogs and saves all of it for {weeks} weeks.",
             f"Then {name} spends ${game} on a game and ${book} on a book."]  # fmt: skip
    steps: list[list[Any]] = [["Money saved", wage, "*", weeks], ["After the game", "#1", "-", game],
                              ["After the book", "#2", "-", book]]  # fmt: skip
    p = {"wage": wage, "weeks": weeks, "game": game, "book": book}
    ask = f"How many dollars does {name} have left?"
    if room >= 2:
        jars = rng.randint(2, 5) if room >= 5 else 1
        more_wage, more_weeks = (rng.randint(3, 5 * s), rng.randint(2, 6)) if room >= 4 else (0, 0)
        gift = rng.randint(2, 20)
        gift += (2 * left + more_wage * more_weeks - gift) % jars  # what is left splits evenly into the jars
        if gift >= 2 * left:
            return [], "", [], {}
        story.append(f"{name} then doubles the money left by winning a prize equal to it, and gives ${gift} to a "
                     "friend.")  # fmt: skip
        steps += [["After the prize", "#3", "*", 2], ["After the gift", "#4", "-", gift]]
        p |= {"extra": 1, "gift": gift}
        ask = f"How many dollars does {name} have at the end?"
        if more_wage:
            story.append(f"Next {name} earns ${more_wage} a week for {more_weeks} more weeks.")
            steps += [["Money earned later", more_wage, "*", more_weeks], ["Money in all", "#5", "+", "#6"]]
            p |= {"more_wage": more_wage, "more_weeks": more_weeks}
        if jars > 1:
            story.append(f"{name} splits all of it equally into {jars} jars.")
            steps.append(["Money in each jar", "#7", "/", jars])
            p["jars"] = jars
            ask = "How many dollars go into each jar?"
    return story, ask, steps, p


def _road_trip(rng: Rng, s: int, room: int, name: str) -> Built:
    v1, h1, v2, h2 = _n(rng, 30, 20, s) // 5 * 5 or 30, rng.randint(1, 4), _n(rng, 30, 20, s) // 5 * 5 or 40, \
        rng.randint(1, 4)  # fmt: skip
    mpg = rng.choice([m for m in (5, 10, 15, 20, 25, 30) if (v1 * h1 + v2 * h2) % m == 0] or [5])
    if (v1 * h1 + v2 * h2) % mpg:
        return [], "", [], {}
    story = [f"{name} drives {h1} hours at {v1} miles per hour, then {h2} hours at {v2} miles per hour.",
             f"The car goes {mpg} miles on one gallon of fuel."]  # fmt: skip
    steps: list[list[Any]] = [["First part of the trip", v1, "*", h1], ["Second part", v2, "*", h2],
                              ["Total distance", "#1", "+", "#2"], ["Gallons used", "#3", "/", mpg]]  # fmt: skip
    p = {"v1": v1, "h1": h1, "v2": v2, "h2": h2, "mpg": mpg}
    ask = "How many gallons of fuel does the trip use?"
    if room >= 1:
        price = rng.randint(3, 6)
        story.append(f"Fuel costs ${price} per gallon.")
        steps.append(["Cost of the fuel", "#4", "*", price])
        p["price"] = price
        ask = "How many dollars does the fuel for the trip cost?"
        if room >= 3:
            people = rng.randint(2, 4)
            fuel = (v1 * h1 + v2 * h2) // mpg * price
            toll = (-fuel) % people + people * rng.randint(1, 3)
            story += [f"The tolls on the way cost ${toll}.",
                      f"The {people} people in the car share the fuel and the tolls equally."]  # fmt: skip
            steps += [["Fuel and tolls", "#5", "+", toll], ["Each person's share", "#6", "/", people]]
            p |= {"toll": toll, "people": people}
            ask = "How many dollars does each person pay?"
            if room >= 4:
                snack = rng.randint(2, 9)
                story.append(f"Each of them also spends ${snack} on snacks.")
                steps.append(["Each person's spending", "#7", "+", snack])
                p["snack"] = snack
                ask = "How many dollars does each person spend on the trip in all?"
    return story, ask, steps, p


def _garden(rng: Rng, s: int, room: int, name: str) -> Built:
    rows, per, k = _n(rng, 3, 5, s), _n(rng, 4, 4, s), rng.choice((2, 3, 4, 5))
    total = rows * per
    if total % k:
        return [], "", [], {}
    story = [f"{name} plants {rows} rows of lettuce with {per} plants in each row.",
             f"Rabbits eat 1/{k} of the plants."]  # fmt: skip
    steps: list[list[Any]] = [["Plants at first", rows, "*", per], ["Plants eaten", "#1", "/", k],
                              ["Plants left", "#1", "-", "#2"]]  # fmt: skip
    p = {"rows": rows, "per": per, "k": k}
    ask = "How many lettuce plants are left?"
    if room >= 2:
        kept = total - total // k
        more = rng.randint(1, 5 * s) * 2 + kept % 2  # an even total, so half of it is whole
        story.append(f"{name} then plants {more} more and gives away half of all the plants to neighbours.")
        steps += [["After planting more", "#3", "+", more], ["Half given away leaves", "#4", "/", 2]]
        p["more"] = more
        ask = f"How many lettuce plants does {name} keep?"
        if room >= 4:
            bag = rng.choice((2, 3))
            heads = bag * rng.randint(1, 3)
            story.append(f"Each plant {name} keeps grows {heads} heads of lettuce, packed in bags of {bag}.")
            steps += [["Heads of lettuce", "#5", "*", heads], ["Bags packed", "#6", "/", bag]]
            p |= {"heads": heads, "bag": bag}
            ask = "How many bags of lettuce are packed?"
            if room >= 5:
                price = rng.randint(2, 7)
                story.append(f"Each bag sells for ${price}.")
                steps.append(["Money from the bags", "#7", "*", price])
                p["price"] = price
                ask = f"How many dollars does {name} get for the bags?"
    return story, ask, steps, p


def _supplies(rng: Rng, s: int, room: int, name: str) -> Built:
    kids, nb, pens = _n(rng, 10, 10, s), rng.randint(2, 5), rng.randint(1, 4)
    nb_cost, pen_cost = rng.randint(2, 6), rng.randint(2, 4)
    story = [f"A teacher, {name}, buys supplies for {kids} students.",
             f"Each student gets {nb} notebooks and {pens} pens.",
             f"A notebook costs ${nb_cost} and a pen costs ${pen_cost}."]  # fmt: skip
    steps: list[list[Any]] = [["Notebooks needed", kids, "*", nb], ["Pens needed", kids, "*", pens],
                              ["Cost of the notebooks", "#1", "*", nb_cost], ["Cost of the pens", "#2", "*", pen_cost],
                              ["Total cost", "#3", "+", "#4"]]  # fmt: skip
    p = {"kids": kids, "nb": nb, "pens": pens, "nb_cost": nb_cost, "pen_cost": pen_cost}
    ask = "How many dollars does everything cost?"
    if room >= 1:
        boxes, box_cost = (rng.randint(2, 6), rng.randint(3, 9)) if room >= 3 else (0, 0)
        budget = kids * (nb * nb_cost + pens * pen_cost) + boxes * box_cost + rng.randint(5, 200)
        story.append(f"The school gives {name} a budget of ${budget}.")
        steps.append(["Money left from the budget", budget, "-", "#5"])
        p["budget"] = budget
        ask = "How many dollars of the budget are left?"
        if boxes:
            story.append(f"From what is left, {name} also buys {boxes} boxes of crayons at ${box_cost} a box.")
            steps += [["Cost of the crayons", boxes, "*", box_cost], ["Money left at the end", "#6", "-", "#7"]]
            p |= {"boxes": boxes, "box_cost": box_cost}
            ask = "How many dollars of the budget are left at the end?"
    return story, ask, steps, p


def _reading(rng: Rng, s: int, room: int, name: str) -> Built:
    per, d1, d2 = _n(rng, 5, 10, s), rng.randint(2, 6), rng.randint(1, 5)
    rate = rng.randint(2, 4) * 5 if room >= 1 else 0
    rest = rate * rng.randint(2, 6) if rate else rng.randint(10, 100 * s)
    pages = per * d1 + 2 * per * d2 + rest
    story = [
        f"{name}'s book has {pages} pages.",
        f"{name} reads {per} pages a day for {d1} days, then twice as many pages a day for the next {d2} days.",
    ]
    steps: list[list[Any]] = [["Pages in the first days", per, "*", d1], ["Pages a day after that", per, "*", 2],
                              ["Pages in the next days", "#2", "*", d2], ["Pages read", "#1", "+", "#3"],
                              ["Pages left", pages, "-", "#4"]]  # fmt: skip
    p = {"pages": pages, "per": per, "d1": d1, "d2": d2}
    if rate:
        story.append(f"After that {name} reads {rate} pages a day.")
        steps.append(["Days to finish", "#5", "/", rate])
        p["rate"] = rate
        return story, f"How many more days does {name} need to finish the book?", steps, p
    return story, f"How many pages does {name} still have to read?", steps, p


_BUILD = {"bakery": _bakery, "savings": _savings, "road_trip": _road_trip, "garden": _garden,
          "supplies": _supplies, "reading": _reading}  # fmt: skip
_BASE = {"bakery": 3, "savings": 3, "road_trip": 4, "garden": 3, "supplies": 5, "reading": 5}
# Quantities of the story's own kind that the answer does not use (harder to skip than an unrelated fact).
_NEAR = {
    "bakery": ("{name} also bakes {n} muffins, which are not for sale.", "Each cookie weighs {n} grams."),
    "savings": ("{name}'s sister saves ${n} a week.", "The game had been priced at ${n} the year before."),
    "road_trip": ("{name} stops for {n} minutes for lunch.", "The car has {n} liters of space in the trunk."),
    "garden": ("{name} also grows {n} tomato plants.", "The garden is {n} meters long."),
    "supplies": ("The school has {n} classrooms.", "A backpack costs ${n}, but nobody buys one."),
    "reading": ("The book has {n} chapters.", "{name}'s friend reads {n} pages a day."),
}


def run_steps(steps: list[list[Any]], lines: list[str] | None = None) -> list[Fraction]:
    """Each step's exact result (claims appended to ``lines`` when given)."""
    results: list[Fraction] = []
    for label, left, op, right in steps:
        a = results[int(left[1:]) - 1] if isinstance(left, str) else Fraction(left)
        b = results[int(right[1:]) - 1] if isinstance(right, str) else Fraction(right)
        line, value = step(a, _OPS[op], b)
        if lines is not None:
            lines.append(f"{label}:")
            lines.append(line)
        results.append(Fraction(value))
    return results


def draw(cfg: MultiStepConfig, rng: Rng) -> tuple[str, Any] | None:
    """One multi-step story."""
    scenario = rng.choice([k.strip() for k in cfg.scenarios.split(",") if k.strip()])
    name = rng.choice(_NAMES)
    story, ask, steps, p = _BUILD[scenario](rng, cfg.scale, cfg.max_steps - _BASE[scenario], name)
    if not steps:
        return None
    results = run_steps(steps)
    if any(r < 0 or r.denominator != 1 for r in results):
        return None
    for _ in range(cfg.distractors):
        fact = rng.choice(_NEAR[scenario] + _DISTRACTORS).format(name=name, n=rng.randint(2, 60))
        story.insert(rng.randint(1, len(story)), fact)
    question = " ".join([*story, ask])
    meta = {"scenario": scenario, "steps": steps, "params": p}
    expression = step_expression(steps)
    return question, (expression, num(results[-1]), meta)


def step_expression(steps: list[list[Any]], symbols: Mapping[str, str] | None = None) -> str:
    """The steps as one expression (each ``#k`` replaced by step k's expression), with the Python operators, or
    each written as ``symbols`` says (``{"*": "×", ...}``)."""
    exprs: list[str] = []
    for _, left, op, right in steps:
        a = f"({exprs[int(left[1:]) - 1]})" if isinstance(left, str) else str(left)
        b = f"({exprs[int(right[1:]) - 1]})" if isinstance(right, str) else str(right)
        exprs.append(f"{a} {symbols[op] if symbols else op} {b}")
    return exprs[-1]


def trace(problem: Problem) -> str:
    """One labelled claim per step, in order."""
    steps = problem.meta["steps"]
    lines = ["Work through the story one quantity at a time."]
    if problem.difficulty >= 4:
        lines.append("Some facts in the story are not needed; use only the quantities the question depends on.")
    results = run_steps(steps, lines)
    value = results[-1]
    lines.append(f"So the answer is {num(value)}.")
    return assemble(lines, f"The answer is {num(value)}.", num(value))
