"""``number_theory``: gcd, lcm, remainders and modular powers, divisor counts and sums, p-adic valuations.

All answers are integers computed with Python ints; the expression names the sympy function that gives the
same value (``gcd``, ``lcm``, ``Mod``, ``divisor_count``, ``divisor_sigma``, ``multiplicity``).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd, lcm
from typing import Any

from chukmath.families.config import param
from chukmath.families.rng import Rng

KINDS = ("gcd", "lcm", "mod", "powmod", "divisors", "sigma", "valuation")
_PRIMES = (2, 3, 5, 7, 11, 13)


def _divisors(n: int) -> tuple[int, int]:
    """(number of divisors, sum of divisors) of n >= 1 by trial division (n is at most 10**8 here)."""
    count, total, d = 0, 0, 1
    while d * d <= n:
        if n % d == 0:
            e = n // d
            count += 1 if e == d else 2
            total += d if e == d else d + e
        d += 1
    return count, total


@dataclass(frozen=True)
class NumberTheoryConfig:
    """Knobs of number_theory (defaults are difficulty 3)."""

    kinds: str = param("gcd,lcm,mod,powmod,divisors,valuation", "comma-separated question kinds: " + ", ".join(KINDS))
    max_value: int = param(500, "largest number in a question", min=10, max=10**8)
    max_exponent: int = param(20, "largest exponent in a modular power", min=2, max=10**6)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        names = [k.strip() for k in self.kinds.split(",")]
        bad = [k for k in names if k not in KINDS]
        if bad or not any(names):
            return f"invalid kinds={self.kinds!r} (allowed: a comma-separated subset of {', '.join(KINDS)})"
        return None


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "gcd,lcm,mod", "max_value": 60, "max_exponent": 5},
    2: {"kinds": "gcd,lcm,mod,divisors", "max_value": 150, "max_exponent": 10},
    3: {},
    4: {"kinds": ",".join(KINDS), "max_value": 5000, "max_exponent": 100},
    5: {"kinds": ",".join(KINDS), "max_value": 10**6, "max_exponent": 1000},
}

_Q = {
    "gcd": ("What is the greatest common divisor of {a} and {b}?", "Find gcd({a}, {b}).",
            "What is the largest whole number that divides both {a} and {b}?"),
    "lcm": ("What is the least common multiple of {a} and {b}?", "Find lcm({a}, {b}).",
            "What is the smallest positive number that is a multiple of both {a} and {b}?"),
    "mod": ("What is the remainder when {a} is divided by {b}?", "Compute {a} mod {b}.",
            "Find the remainder of {a} ÷ {b}."),
    "powmod": ("What is the remainder when {a}^{e} is divided by {b}?", "Compute {a}^{e} mod {b}.",
               "Find {a}^{e} modulo {b}."),
    "divisors": ("How many positive divisors does {a} have?", "Count the positive divisors of {a}.",
                 "What is the number of positive integers that divide {a}?"),
    "sigma": ("What is the sum of all positive divisors of {a}?", "Find the sum of the divisors of {a}.",
              "Add up every positive divisor of {a}. What is the total?"),
    "valuation": ("What is the largest k such that {p}^k divides {a}?",
                  "How many times does the prime {p} divide {a}? Give the exponent of {p} in {a}.",
                  "Find the exponent of the highest power of {p} that divides {a}."),
}


def draw(cfg: NumberTheoryConfig, rng: Rng) -> tuple[str, Any] | None:
    """One number theory candidate."""
    kinds = [k.strip() for k in cfg.kinds.split(",") if k.strip()]
    kind = rng.choice(kinds)
    top = cfg.max_value
    phrase = rng.choice(_Q[kind])
    if kind in ("gcd", "lcm"):
        # Build both numbers from a shared factor so that the gcd is usually more than 1.
        g = rng.randint(1, max(1, int(top**0.5)))
        a, b = g * rng.randint(1, max(1, top // g)), g * rng.randint(1, max(1, top // g))
        if a == b:
            return None
        value = gcd(a, b) if kind == "gcd" else lcm(a, b)
        return phrase.format(a=a, b=b), (f"{kind}({a}, {b})", str(value), {"kind": kind})
    if kind == "mod":
        a, b = rng.randint(top // 4 + 1, top * 4), rng.randint(2, max(2, min(top // 2, 97)))
        return phrase.format(a=a, b=b), (f"Mod({a}, {b})", str(a % b), {"kind": kind})
    if kind == "powmod":
        a, e, m = rng.randint(2, 30), rng.randint(2, cfg.max_exponent), rng.randint(3, max(3, min(top, 101)))
        return phrase.format(a=a, e=e, b=m), (f"Mod({a}**{e}, {m})", str(pow(a, e, m)), {"kind": kind})
    if kind in ("divisors", "sigma"):
        a = rng.randint(2, top)
        count, total = _divisors(a)
        fn, value = ("divisor_count", count) if kind == "divisors" else ("divisor_sigma", total)
        return phrase.format(a=a), (f"{fn}({a})", str(value), {"kind": kind})
    p = rng.choice(_PRIMES[: 3 if top < 1000 else 6])
    k = 0
    limit = top
    while p ** (k + 1) <= limit:
        k += 1
    e = rng.randint(1, max(1, k))
    cof = rng.randint(1, max(1, limit // p**e))
    a = p**e * cof
    v = 0
    n = a
    while n % p == 0:
        n //= p
        v += 1
    return phrase.format(a=a, p=p), (f"multiplicity({p}, {a})", str(v), {"kind": kind})
