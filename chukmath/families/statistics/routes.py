"""``statistics`` solution routes: straight from the definition, from a guessed centre (deviations, a shifted data
set, the computational variance formula), or from a sorted and grouped list (a frequency table, descending order,
a stop at a round number). Each is checked another way: a sum in reverse order against n × mean, the other
variance formula, the range added back to the minimum, the median from the other end."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, num
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.records import Problem


def _value(problem: Problem) -> Fraction:
    m = problem.meta
    kind = m["kind"]
    if kind == "missing":
        return Fraction(m["mean"] * (len(m["known"]) + 1) - sum(m["known"]))
    data = m["data"]
    s, n = sorted(data), len(data)
    if kind == "mean":
        return Fraction(sum(data), n)
    if kind == "median":
        return Fraction(s[n // 2]) if n % 2 else Fraction(s[n // 2 - 1] + s[n // 2], 2)
    if kind == "mode":
        return Fraction(Counter(data).most_common(1)[0][0])
    if kind == "range":
        return Fraction(s[-1] - s[0])
    mean = Fraction(sum(data), n)
    return sum(((x - mean) ** 2 for x in data), Fraction(0)) / n


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The statistic."""
    return (_value(problem),)


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Recompute by another route and compare with the claimed value."""
    m = problem.meta
    kind = m["kind"]
    work = Check(problem.difficulty)
    value = claimed[0]
    if kind == "missing":
        known, mean = m["known"], m["mean"]
        n = len(known) + 1
        work.say(f"Check: the known values added in reverse order, plus the value found, must make {n} × {mean}.")
        work.expect(work.total(list(reversed(known))), OP_ADD, value, n * mean)
        return work
    data = m["data"]
    s, n = sorted(data), len(data)
    if kind == "mean":
        work.say(
            pick(
                problem.id,
                "check",
                (
                    f"Check: add the values in reverse order; the total must be {n} times the mean.",
                    f"Check: the mean times {n} must give back the total, added the other way round.",
                ),
            )
        )
        work.expect(value, OP_MUL, n, work.total(list(reversed(data))))
    elif kind == "median":
        down = sorted(data, reverse=True)
        if n % 2:
            work.say(
                f"Check from the other end: in descending order {', '.join(map(str, down))}, the middle "
                f"position is ({n} + 1) ÷ 2:"
            )
            work.op(n + 1, OP_DIV, 2)
            work.say(
                f"Value number {n // 2 + 1} from the top is {down[n // 2]}; its difference from the median found "
                "must be 0."
            )
            work.expect(value, OP_SUB, down[n // 2], 0)
        else:
            a, b = down[n // 2], down[n // 2 - 1]
            work.say(
                f"Check: twice the median must be the sum of the two middle values, read from the top: {b} and {a}."
            )
            work.expect(value, OP_MUL, 2, work.op(b, OP_ADD, a))
    elif kind == "mode":
        top, freq = Counter(data).most_common(1)[0]
        work.say(f"Check: the {freq} copies of the mode add up to the mode times {freq}.")
        work.expect(value, OP_MUL, freq, work.total([top] * freq))
    elif kind == "range":
        work.say(f"Check: the smallest value plus the range must reach the largest, {s[-1]}.")
        work.expect(s[0], OP_ADD, value, s[-1])
    else:
        work.say("Check with the other formula: variance = (mean of the squares) - (square of the mean).")
        squares = work.total([work.op(x, OP_MUL, x) for x in data])
        mean_sq = work.op(squares, OP_DIV, n)
        mean = work.op(work.total(data), OP_DIV, n)
        work.expect(value, OP_ADD, work.op(mean, OP_MUL, mean), mean_sq)
    return work


def _close(problem: Problem, work: Work, value: Number) -> str:
    value = Fraction(value)
    kind = problem.meta["kind"]
    what = "missing value" if kind == "missing" else kind
    closing = pick(problem.id, "close", (f"So the {what} is {num(value)}.", f"The {what} is {num(value)}."))
    return finish(work, check(problem, (value,)), closing, f"The answer is {num(value)}.", num(value))


def definition(problem: Problem) -> str:
    """Each statistic from its definition: sum ÷ count, the middle of the sorted list, the most frequent value,
    largest minus smallest, the mean of squared deviations."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    if kind == "missing":
        known, mean = m["known"], m["mean"]
        n = len(known) + 1
        work.say(f"A mean of {mean} over {n} values means a total of {n} × {mean}:")
        total = work.op(n, OP_MUL, mean)
        work.say(f"The {n - 1} known values add up to:")
        return _close(problem, work, work.op(total, OP_SUB, work.total(known)))
    data = m["data"]
    s, n = sorted(data), len(data)
    if kind == "mean":
        work.say(f"Add the {n} values and divide by {n}:")
        return _close(problem, work, work.op(work.total(data), OP_DIV, n))
    if kind in ("median", "mode"):
        work.say(f"Sort the values: {', '.join(map(str, s))}.")
    if kind == "median":
        if n % 2:
            work.say(f"{n} values, an odd count: the median is the value at position ({n} + 1) ÷ 2:")
            work.op(work.op(n, OP_ADD, 1), OP_DIV, 2)
            work.say(f"Value number {n // 2 + 1} is {s[n // 2]}.")
            return _close(problem, work, s[n // 2])
        a, b = s[n // 2 - 1], s[n // 2]
        work.say(f"{n} values, an even count: the median is the average of values {n // 2} and {n // 2 + 1}.")
        return _close(problem, work, work.op(work.op(a, OP_ADD, b), OP_DIV, 2))
    if kind == "mode":
        counts = Counter(data)
        top, freq = counts.most_common(1)[0]
        runner = max((c for v, c in counts.items() if v != top), default=0)
        work.say(
            f"{top} appears {freq} times; no other value appears more than {runner} time{'s' if runner != 1 else ''}."
        )
        work.op(freq, OP_SUB, runner)
        return _close(problem, work, top)
    if kind == "range":
        work.say(f"Largest {s[-1]}, smallest {s[0]}; the range is their difference:")
        return _close(problem, work, work.op(s[-1], OP_SUB, s[0]))
    work.say("First the mean:")
    mean = work.op(work.total(data), OP_DIV, n)
    work.say("Then each value's squared distance from the mean:")
    squares = []
    for x in data:
        d = work.op(x, OP_SUB, mean)
        squares.append(work.op(d, OP_MUL, d))
    work.say(f"Average the squares (divide by {n}):")
    return _close(problem, work, work.op(work.total(squares), OP_DIV, n))


def centred(problem: Problem) -> str:
    """Work from a guessed centre: deviations from a guess for means and missing values, the variance of the data
    shifted by a round number, the median by crossing off pairs, the range through a round number."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    if kind == "missing":
        known, mean = m["known"], m["mean"]
        work.say(f"Every value's distance from the mean {mean} must cancel out. The known values' distances:")
        gaps = [work.op(x, OP_SUB, mean) for x in known]
        total = work.total(gaps)
        work.say(f"The missing value must make up for {num(total)}: it is the mean minus that.")
        return _close(problem, work, work.op(mean, OP_SUB, total))
    data = m["data"]
    s, n = sorted(data), len(data)
    if kind in ("mean", "variance"):
        guess = (data[0] // 10) * 10
        work.say(
            pick(
                problem.id,
                "guess",
                (
                    f"Shift everything by a round number near the data, {guess}: subtract it from each value.",
                    f"Work with distances from {guess}, a round guess for the centre.",
                ),
            )
        )
        shifted = [work.op(x, OP_SUB, guess) for x in data]
        if kind == "mean":
            work.say(f"The mean of the distances, then add {guess} back:")
            offset = work.op(work.total(shifted), OP_DIV, n)
            return _close(problem, work, work.op(guess, OP_ADD, offset))
        work.say(
            "Shifting does not change the variance: use mean of squares minus square of mean on the shifted values."
        )
        mean_sq = work.op(work.total([work.op(y, OP_MUL, y) for y in shifted]), OP_DIV, n)
        mean = work.op(work.total(shifted), OP_DIV, n)
        return _close(problem, work, work.op(mean_sq, OP_SUB, work.op(mean, OP_MUL, mean)))
    if kind == "median":
        work.say(
            f"Sorted: {', '.join(map(str, s))}. Cross off the smallest and the largest together until the "
            "middle is left."
        )
        left = s
        while len(left) > 2:
            left = left[1:-1]
            work.say(f"Left: {', '.join(map(str, left))}.")
        if len(left) == 1:
            return _close(problem, work, left[0])
        work.say("Two values remain; the median is halfway between them:")
        gap = work.op(left[1], OP_SUB, left[0])
        return _close(problem, work, work.op(left[0], OP_ADD, work.op(gap, OP_DIV, 2)))
    if kind == "mode":
        counts = Counter(data)
        work.say("Tally each value that appears more than once:")
        for v in sorted(counts):
            if counts[v] > 1:
                work.say(f"{v}: " + " + ".join(["1"] * counts[v]) + f" = {counts[v]}")
        top, freq = counts.most_common(1)[0]
        work.say(f"The largest tally is {freq}, for {top}.")
        return _close(problem, work, top)
    low, high = s[0], s[-1]
    stop = (low // 10 + 1) * 10
    if stop >= high:
        work.say(f"Count up from the smallest, {low}, to the largest, {high}:")
        return _close(problem, work, work.op(high, OP_SUB, low))
    work.say(f"Count up from the smallest, {low}, to the round number {stop}, then on to the largest, {high}:")
    return _close(problem, work, work.op(work.op(stop, OP_SUB, low), OP_ADD, work.op(high, OP_SUB, stop)))


def grouped(problem: Problem) -> str:
    """From a sorted, grouped list: equal values multiplied by their count, the median by position (n + 1) ÷ 2
    in descending order, a deviation table of squared gaps, the missing value by taking known values away."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    if kind == "missing":
        known, mean = m["known"], m["mean"]
        n = len(known) + 1
        work.say(f"The {n} values must total {n} × {mean}; take the known values away one at a time.")
        left = work.op(n, OP_MUL, mean)
        for x in known:
            left = work.op(left, OP_SUB, x)
        return _close(problem, work, left)
    data = m["data"]
    n = len(data)
    counts = Counter(data)
    if kind in ("mean", "variance"):
        work.say("Group equal values: value × count for each, then add.")
        groups = [work.op(v, OP_MUL, counts[v]) if counts[v] > 1 else v for v in sorted(counts)]
        total = work.total(groups)
        mean = work.op(total, OP_DIV, n)
        if kind == "mean":
            return _close(problem, work, mean)
        work.say(f"Deviation table: each distinct value's gap from {num(Fraction(mean))}, squared, times its count.")
        rows = []
        for v in sorted(counts):
            gap = work.op(v, OP_SUB, mean)
            sq = work.op(gap, OP_MUL, gap)
            rows.append(work.op(sq, OP_MUL, counts[v]) if counts[v] > 1 else sq)
        return _close(problem, work, work.op(work.total(rows), OP_DIV, n))
    down = sorted(data, reverse=True)
    if kind == "median":
        work.say(f"In descending order: {', '.join(map(str, down))}. The median sits at position (n + 1) ÷ 2:")
        position = work.op(work.op(n, OP_ADD, 1), OP_DIV, 2)
        if n % 2:
            work.say(f"Position {num(position)} holds {down[n // 2]}.")
            return _close(problem, work, down[n // 2])
        a, b = down[n // 2 - 1], down[n // 2]
        work.say(f"Position {num(Fraction(position), 'decimal')} is halfway between {a} and {b}:")
        return _close(problem, work, work.op(work.op(a, OP_ADD, b), OP_DIV, 2))
    if kind == "mode":
        work.say("Frequency table: " + ", ".join(f"{v} ({counts[v]})" for v in sorted(counts)) + ".")
        top, freq = counts.most_common(1)[0]
        work.say(f"The highest frequency is {freq}, for {top}.")
        return _close(problem, work, top)
    work.say(f"In descending order: {', '.join(map(str, down))}. First minus last:")
    return _close(problem, work, work.op(down[0], OP_SUB, down[-1]))


ROUTES: dict[str, Trace] = {"definition": definition, "centred": centred, "grouped": grouped}
