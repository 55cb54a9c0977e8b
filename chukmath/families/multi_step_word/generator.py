"""``multi_step_word``: everyday stories whose answer takes several dependent operations.

Each scenario draws its numbers so every intermediate result is a whole number, records the steps as
``[label, left, op, right]`` (a ``left`` or ``right`` of the form ``"#k"`` names step k's result) and its own
parameters; the trace replays the steps, one true claim each. Distractors are sentences with numbers the answer
does not use.
"""

from __future__ import annotations

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
    extra_steps: bool = param(True, "scenarios add their optional later steps")
    distractors: int = param(0, "irrelevant facts added to the story", min=0, max=3)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        names = [k.strip() for k in self.scenarios.split(",")]
        if not any(names) or any(k not in SCENARIOS for k in names):
            return f"invalid scenarios={self.scenarios!r} (allowed: a comma-separated subset of {', '.join(SCENARIOS)})"
        return None


PRESETS: dict[int, dict[str, Any]] = {
    1: {"scale": 1, "extra_steps": False},
    2: {"scale": 2, "extra_steps": False},
    3: {},
    4: {"scale": 4, "distractors": 1},
    5: {"scale": 5, "distractors": 2},
}


def _n(rng: Rng, low: int, high: int, scale: int) -> int:
    return rng.randint(low, high * scale)


def _bakery(rng: Rng, s: int, extra: bool, name: str) -> tuple[list[str], str, list[list[Any]], dict[str, int]]:
    trays, per, box = _n(rng, 2, 4, s), _n(rng, 6, 6, s), rng.randint(3, 8)
    boxes = rng.randint(2, trays * per // box - 1) if trays * per // box > 2 else 1
    sold = trays * per - boxes * box
    story = [f"{name} bakes {trays} trays of cookies with {per} cookies on each tray.",
             f"{name} sells {sold} cookies at the market.",
             f"The rest are packed into boxes of {box}."]  # fmt: skip
    steps: list[list[Any]] = [["Cookies baked", trays, "*", per], ["Cookies left after the market", "#1", "-", sold],
                              ["Boxes filled", "#2", "/", box]]  # fmt: skip
    p = {"trays": trays, "per": per, "sold": sold, "box": box}
    if extra:
        price = rng.randint(3, 12)
        story.append(f"Each box sells for ${price}.")
        steps.append(["Money from the boxes", "#3", "*", price])
        p["price"] = price
        return story, "How many dollars does the bakery get for all the boxes?", steps, p
    return story, "How many boxes are filled?", steps, p


def _savings(rng: Rng, s: int, extra: bool, name: str) -> tuple[list[str], str, list[list[Any]], dict[str, int]]:
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
    if extra:
        story.append(f"{name} then doubles the money left by winning a prize equal to it, and gives $10 to a friend.")
        steps += [["After the prize", "#3", "*", 2], ["After the gift", "#4", "-", 10]]
        p["extra"] = 1
        return story, f"How many dollars does {name} have at the end?", steps, p
    return story, f"How many dollars does {name} have left?", steps, p


def _road_trip(rng: Rng, s: int, extra: bool, name: str) -> tuple[list[str], str, list[list[Any]], dict[str, int]]:
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
    if extra:
        price = rng.randint(3, 6)
        story.append(f"Fuel costs ${price} per gallon.")
        steps.append(["Cost of the fuel", "#4", "*", price])
        p["price"] = price
        return story, "How many dollars does the fuel for the trip cost?", steps, p
    return story, "How many gallons of fuel does the trip use?", steps, p


def _garden(rng: Rng, s: int, extra: bool, name: str) -> tuple[list[str], str, list[list[Any]], dict[str, int]]:
    rows, per, k = _n(rng, 3, 5, s), _n(rng, 4, 4, s), rng.choice((2, 3, 4, 5))
    total = rows * per
    if total % k:
        return [], "", [], {}
    story = [f"{name} plants {rows} rows of lettuce with {per} plants in each row.",
             f"Rabbits eat 1/{k} of the plants."]  # fmt: skip
    steps: list[list[Any]] = [["Plants at first", rows, "*", per], ["Plants eaten", "#1", "/", k],
                              ["Plants left", "#1", "-", "#2"]]  # fmt: skip
    p = {"rows": rows, "per": per, "k": k}
    if extra:
        more = rng.randint(2, 10 * s)
        story.append(f"{name} then plants {more} more and gives away half of all the plants to neighbours.")
        steps += [["After planting more", "#3", "+", more]]
        after = total - total // k + more
        if after % 2:
            return [], "", [], {}
        steps += [["Half given away leaves", "#4", "/", 2]]
        p["more"] = more
        return story, f"How many lettuce plants does {name} keep?", steps, p
    return story, "How many lettuce plants are left?", steps, p


def _supplies(rng: Rng, s: int, extra: bool, name: str) -> tuple[list[str], str, list[list[Any]], dict[str, int]]:
    kids, nb, pens = _n(rng, 10, 10, s), rng.randint(2, 5), rng.randint(1, 4)
    nb_cost, pen_cost = rng.randint(2, 6), rng.randint(2, 4)
    story = [f"A teacher, {name}, buys supplies for {kids} students.",
             f"Each student gets {nb} notebooks and {pens} pens.",
             f"A notebook costs ${nb_cost} and a pen costs ${pen_cost}."]  # fmt: skip
    steps: list[list[Any]] = [["Notebooks needed", kids, "*", nb], ["Pens needed", kids, "*", pens],
                              ["Cost of the notebooks", "#1", "*", nb_cost], ["Cost of the pens", "#2", "*", pen_cost],
                              ["Total cost", "#3", "+", "#4"]]  # fmt: skip
    p = {"kids": kids, "nb": nb, "pens": pens, "nb_cost": nb_cost, "pen_cost": pen_cost}
    if extra:
        budget = (kids * (nb * nb_cost + pens * pen_cost)) + rng.randint(5, 200)
        story.append(f"The school gives {name} a budget of ${budget}.")
        steps.append(["Money left from the budget", budget, "-", "#5"])
        p["budget"] = budget
        return story, "How many dollars of the budget are left?", steps, p
    return story, "How many dollars does everything cost?", steps, p


def _reading(rng: Rng, s: int, extra: bool, name: str) -> tuple[list[str], str, list[list[Any]], dict[str, int]]:
    per, d1, d2 = _n(rng, 5, 10, s), rng.randint(2, 6), rng.randint(1, 5)
    pages = per * d1 + 2 * per * d2 + rng.randint(10, 100 * s)
    story = [f"{name}'s book has {pages} pages.", f"{name} reads {per} pages a day for {d1} days,",
             f"then twice as many pages a day for the next {d2} days."]  # fmt: skip
    story = [story[0], story[1] + " " + story[2]]
    steps: list[list[Any]] = [["Pages in the first days", per, "*", d1], ["Pages a day after that", per, "*", 2],
                              ["Pages in the next days", "#2", "*", d2], ["Pages read", "#1", "+", "#3"],
                              ["Pages left", pages, "-", "#4"]]  # fmt: skip
    p = {"pages": pages, "per": per, "d1": d1, "d2": d2}
    return story, f"How many pages does {name} still have to read?", steps, p


_BUILD = {"bakery": _bakery, "savings": _savings, "road_trip": _road_trip, "garden": _garden,
          "supplies": _supplies, "reading": _reading}  # fmt: skip


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
    story, ask, steps, p = _BUILD[scenario](rng, cfg.scale, cfg.extra_steps, name)
    if not steps:
        return None
    results = run_steps(steps)
    if any(r < 0 or r.denominator != 1 for r in results):
        return None
    for _ in range(cfg.distractors):
        fact = rng.choice(_DISTRACTORS).format(name=name, n=rng.randint(2, 60))
        story.insert(rng.randint(1, len(story)), fact)
    question = " ".join([*story, ask])
    meta = {"scenario": scenario, "steps": steps, "params": p}
    expression = _expression(steps)
    return question, (expression, num(results[-1]), meta)


def _expression(steps: list[list[Any]]) -> str:
    """The steps as one Python expression (each ``#k`` replaced by step k's expression)."""
    exprs: list[str] = []
    for _, left, op, right in steps:
        a = f"({exprs[int(left[1:]) - 1]})" if isinstance(left, str) else str(left)
        b = f"({exprs[int(right[1:]) - 1]})" if isinstance(right, str) else str(right)
        exprs.append(f"{a} {op} {b}")
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
