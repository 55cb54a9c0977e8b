"""``unit_conversion``: a quantity in one unit, asked in another; every factor is exact (1 in = 2.54 cm).

Units of one kind are listed with their size in a base unit; a conversion multiplies by the size of the
source unit and divides by the size of the target, one claim each. Speeds convert distance and time in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_DIV, OP_MUL, assemble, num, step
from chukmath.families.config import param
from chukmath.families.rng import Rng
from chukmath.records import Problem

# kind -> unit -> (plural name, size in the kind's base unit)
UNITS: dict[str, dict[str, tuple[str, Fraction]]] = {
    "length": {"mm": ("millimetres", Fraction(1, 1000)), "cm": ("centimetres", Fraction(1, 100)),
               "m": ("metres", Fraction(1)), "km": ("kilometres", Fraction(1000)),
               "in": ("inches", Fraction(254, 10000)), "ft": ("feet", Fraction(3048, 10000)),
               "yd": ("yards", Fraction(9144, 10000)), "mi": ("miles", Fraction(1609344, 1000))},
    "mass": {"mg": ("milligrams", Fraction(1, 1000)), "g": ("grams", Fraction(1)), "kg": ("kilograms", Fraction(1000)),
             "t": ("tonnes", Fraction(10**6)), "oz": ("ounces", Fraction(45359237, 1600000000) * 1000),
             "lb": ("pounds", Fraction(45359237, 100000))},
    "volume": {"mL": ("millilitres", Fraction(1, 1000)), "L": ("litres", Fraction(1)),
               "cm³": ("cubic centimetres", Fraction(1, 1000)), "m³": ("cubic metres", Fraction(1000))},
    "time": {"s": ("seconds", Fraction(1)), "min": ("minutes", Fraction(60)), "h": ("hours", Fraction(3600)),
             "d": ("days", Fraction(86400)), "wk": ("weeks", Fraction(604800))},
    "area": {"cm²": ("square centimetres", Fraction(1, 10000)), "m²": ("square metres", Fraction(1)),
             "ha": ("hectares", Fraction(10000)), "km²": ("square kilometres", Fraction(10**6))},
}  # fmt: skip
EASY = {"length": ("mm", "cm", "m", "km"), "mass": ("g", "kg", "mg"), "volume": ("mL", "L"),
        "time": ("s", "min", "h", "d")}  # fmt: skip
SPEEDS = {"km/h": ("kilometres per hour", "km", "h"), "m/s": ("metres per second", "m", "s"),
          "m/min": ("metres per minute", "m", "min"), "mi/h": ("miles per hour", "mi", "h")}  # fmt: skip


@dataclass(frozen=True)
class UnitConversionConfig:
    """Knobs of unit_conversion (defaults are difficulty 3)."""

    us_units: bool = param(True, "inches, feet, yards, miles, ounces, pounds")
    speeds: bool = param(True, "speed conversions (km/h to m/s and the like)")
    max_value: int = param(500, "largest quantity", min=5, max=10**7)
    decimals: bool = param(False, "quantities with one decimal place")


PRESETS: dict[int, dict[str, Any]] = {
    1: {"us_units": False, "speeds": False, "max_value": 100},
    2: {"us_units": False, "speeds": False, "max_value": 500},
    3: {},
    4: {"max_value": 5000, "decimals": True},
    5: {"max_value": 10**6, "decimals": True},
}


def draw(cfg: UnitConversionConfig, rng: Rng) -> tuple[str, Any] | None:
    """One conversion question."""
    amount = Fraction(rng.randint(2, cfg.max_value * (10 if cfg.decimals else 1)), 10 if cfg.decimals else 1)
    shown = num(amount, "decimal")
    if cfg.speeds and rng.chance(0.2):
        src, dst = rng.choice(list(SPEEDS)), rng.choice(list(SPEEDS))
        if src == dst:
            return None
        (_, sd, st), (dname, dd, dt) = SPEEDS[src], SPEEDS[dst]
        value = amount * UNITS["length"][sd][1] / UNITS["length"][dd][1] / (UNITS["time"][st][1] / UNITS["time"][dt][1])
        question = rng.choice((f"Convert {shown} {src} to {dst}.", f"Express a speed of {shown} {src} in {dst}.",
                               f"A car moves at {shown} {src}. What is that in {dname}?"))  # fmt: skip
        meta = {"kind": "speed", "amount": num(amount), "from": src, "to": dst}
        return question, (f"{num(amount)} * {num(UNITS['length'][sd][1] / UNITS['length'][dd][1])} / "
                          f"({num(UNITS['time'][st][1] / UNITS['time'][dt][1])})", num(value), meta)  # fmt: skip
    kinds = list(UNITS) if cfg.us_units else list(EASY)
    kind = rng.choice(kinds)
    units = list(UNITS[kind]) if cfg.us_units else list(EASY.get(kind, UNITS[kind]))
    src, dst = rng.choice(units), rng.choice(units)
    if src == dst:
        return None
    (sname, ssize), (dname, dsize) = UNITS[kind][src], UNITS[kind][dst]
    value = amount * ssize / dsize
    question = rng.choice(
        (
            f"Convert {shown} {sname} to {dname}.",
            f"How many {dname} are in {shown} {sname}?",
            f"A measurement reads {shown} {src}. What is it in {dst}? Give the exact value.",
            f"Express {shown} {sname} in {dname}, exactly.",
        )
    )
    meta = {"kind": kind, "amount": num(amount), "from": src, "to": dst}
    return question, (f"{num(amount)} * {num(ssize)} / ({num(dsize)})", num(value), meta)


def _base(kind: str) -> str:
    return {"length": "m", "mass": "g", "volume": "L", "time": "s", "area": "m²"}[kind]


def _convert(amount: Fraction, kind: str, src: str, dst: str, lines: list[str], style: str) -> Fraction:
    """``amount src`` in ``dst`` through the kind's base unit, one claim per step."""
    (_, ssize), (_, dsize) = UNITS[kind][src], UNITS[kind][dst]
    base = _base(kind)
    ratio = ssize / dsize
    if ratio.denominator == 1 or ratio.numerator == 1:
        if ratio.denominator == 1:
            lines.append(f"1 {src} is {num(ratio)} {dst}, so multiply by {num(ratio)}:")
            line, value = step(amount, OP_MUL, ratio.numerator, style)  # type: ignore[arg-type]
        else:
            lines.append(f"1 {dst} is {ratio.denominator} {src}, so divide by {ratio.denominator}:")
            line, value = step(amount, OP_DIV, ratio.denominator, style)  # type: ignore[arg-type]
        lines.append(line)
        return Fraction(value)
    lines.append(
        f"Go through {base}: 1 {src} is {num(ssize, 'decimal')} {base} and 1 {dst} is {num(dsize, 'decimal')} {base}."
    )
    line, value = step(amount, OP_MUL, ssize, style)  # type: ignore[arg-type]
    lines.append(line)
    line, value = step(value, OP_DIV, dsize, style)  # type: ignore[arg-type]
    lines.append(line)
    return Fraction(value)


def trace(problem: Problem) -> str:
    """Multiply by the source unit's size, divide by the target's; speeds do distance, then time."""
    m = problem.meta
    amount = Fraction(m["amount"])
    style = "decimal"
    lines: list[str] = []
    if m["kind"] == "speed":
        (_, sd, st), (_, dd, dt) = SPEEDS[m["from"]], SPEEDS[m["to"]]
        lines.append(f"Convert the distance unit first ({sd} to {dd}), then the time unit ({st} to {dt}).")
        value = amount if sd == dd else _convert(amount, "length", sd, dd, lines, style)
        if st != dt:
            lines.append(f"Per {st} becomes per {dt}: multiply by the number of {st} in one {dt}.")
            value = _convert(value, "time", dt, st, lines, style)
    else:
        value = _convert(amount, m["kind"], m["from"], m["to"], lines, style)
    text = num(value, "decimal")
    lines.append(f"So the answer is {text} {m['to']}.")
    # the unit stays out of <answer>: a one-letter unit ("61/24 d") would read as a variable
    return assemble(lines, f"The answer is {text}.", num(value))
