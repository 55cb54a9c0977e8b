"""``arithmetic``: + - × ÷ with precedence, parentheses, unary minus, integers, decimals and small powers.

Values are exact rationals kept as ``(numerator, denominator)`` int pairs (cheaper than Fraction in the hot
path); the answer is formatted exactly as sympy's ``str()`` of the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd
from typing import Any

from chukmath.families.common.exprtree import Node, flat, tree
from chukmath.families.common.numfmt import decimal_str
from chukmath.families.config import param
from chukmath.families.rng import Rng

_PHRASES = (
    "What is {e}?",
    "What's {e}?",
    "Calculate {e}.",
    "Compute {e}.",
    "Evaluate {e}.",
    "Work out {e}.",
    "Find the value of {e}.",
    "What does {e} equal?",
    "Simplify {e}.",
    "{e} = ?",
    "Can you work out {e}?",
    "Determine the value of {e}.",
)
_EXACT = (" Give the exact value.", " Give the answer as an exact fraction or whole number.", "")
_STYLES = ({"+": "+", "-": "-", "*": "×", "/": "÷"}, {"+": "+", "-": "-", "*": "*", "/": "/"})


@dataclass(frozen=True)
class ArithmeticConfig:
    """Knobs of the arithmetic family (defaults are difficulty 3)."""

    min_terms: int = param(3, "fewest operands in an expression", min=2, max=12)
    max_terms: int = param(4, "most operands in an expression", min=2, max=12)
    max_value: int = param(100, "largest absolute value of an integer operand", min=1, max=10**9)
    operations: str = param("+-*/", "operators that may appear", chars="+-*/")
    parentheses: float = param(0.3, "chance that an expression is a random tree (with parentheses)", min=0, max=1)
    negatives: float = param(0.1, "chance that an operand is negative", min=0, max=1)
    unary_minus: float = param(0.0, "chance that a parenthesized group is negated, as in -(3 + 4)", min=0, max=1)
    decimals: float = param(0.0, "chance that an operand is a decimal such as 2.5", min=0, max=1)
    decimal_places: int = param(1, "most digits after the point in a decimal operand", min=1, max=4)
    powers: float = param(0.05, "chance that an operand is a small power such as 3**2", min=0, max=1)
    max_exponent: int = param(3, "largest exponent of a power operand", min=2, max=6)
    integer_only: bool = param(False, "make every division exact so that the answer is an integer")

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        if self.min_terms > self.max_terms:
            return f"min_terms={self.min_terms} is larger than max_terms={self.max_terms}"
        if self.integer_only and self.decimals > 0:
            return f"integer_only=true cannot be combined with decimals={self.decimals}; also set decimals=0"
        return None


PRESETS: dict[int, dict[str, Any]] = {
    1: {"min_terms": 2, "max_terms": 2, "max_value": 20, "operations": "+-", "parentheses": 0.0,
        "negatives": 0.0, "powers": 0.0},
    2: {"min_terms": 2, "max_terms": 3, "max_value": 100, "operations": "+-*", "parentheses": 0.15,
        "negatives": 0.05, "powers": 0.0},
    3: {},
    4: {"min_terms": 3, "max_terms": 5, "max_value": 1000, "parentheses": 0.5, "negatives": 0.15,
        "unary_minus": 0.05, "decimals": 0.15, "powers": 0.1},
    5: {"min_terms": 4, "max_terms": 7, "max_value": 10000, "parentheses": 0.7, "negatives": 0.2,
        "unary_minus": 0.1, "decimals": 0.25, "decimal_places": 2, "powers": 0.15, "max_exponent": 4},
}


_P32 = 1 << 32


_PREPARED: dict[int, tuple[ArithmeticConfig, tuple[int, int, int, int]]] = {}
_LAST: list[Any] = [None, (0, 0, 0, 0)]  # the config of the previous draw and its thresholds


def _thresholds(cfg: ArithmeticConfig) -> tuple[int, int, int, int]:
    """Chances as 32-bit integer thresholds (power, decimal, negative, parentheses), computed once per config.

    Keyed by identity: hashing a frozen dataclass on every draw would cost more than the draw's arithmetic.
    A run draws from one config over and over, so the previous config is checked first.
    """
    if _LAST[0] is cfg:
        return _LAST[1]  # type: ignore[no-any-return]
    entry = _PREPARED.get(id(cfg))
    if entry is None or entry[0] is not cfg:
        t_pow = int(cfg.powers * _P32)
        t_dec = t_pow + int((1 - cfg.powers) * cfg.decimals * _P32)
        entry = (cfg, (t_pow, t_dec, int(cfg.negatives * _P32), int(cfg.parentheses * _P32)))
        if len(_PREPARED) > 256:
            _PREPARED.clear()
        _PREPARED[id(cfg)] = entry
    _LAST[0], _LAST[1] = cfg, entry[1]
    return entry[1]


def _leaf(cfg: ArithmeticConfig, rng: Rng, u: int, t_pow: int, t_neg: int) -> Node:
    # A power or a decimal operand: ``u`` is the operand's first draw (see build_expression), the rest follow.
    neg = ((u >> 32) & 0xFFFFFFFF) < t_neg
    if (u & 0xFFFFFFFF) < t_pow:
        base = rng.randint(2, max(2, min(12, cfg.max_value)))
        exp = rng.randint(2, cfg.max_exponent)
        if neg:
            return (f"(-{base})**{exp}", f"(-{base})^{exp}", 4, False, (-base) ** exp, 1)
        return (f"{base}**{exp}", f"{base}^{exp}", 4, False, base**exp, 1)
    places = rng.randint(1, cfg.decimal_places)
    scale = 10**places
    units = rng.randint(1, cfg.max_value * scale)
    if units % 10 == 0:
        units += 1  # "2.50" reads oddly; keep the last digit significant
    g = gcd(units, scale)
    num, den = units // g, scale // g
    text = decimal_str(units, places)
    if neg:
        return ("-" + text, "-" + text, 5, True, -num, den)
    return (text, text, 5, False, num, den)


def build_expression(cfg: ArithmeticConfig, rng: Rng, sym: dict[str, str]) -> tuple[Node | None, list[str]]:
    """A random expression node under ``cfg`` (None when it divides by zero) and the operators drawn."""
    below = rng.below
    n = cfg.min_terms + below(cfg.max_terms - cfg.min_terms + 1)
    t_pow, t_dec, t_neg, t_par = _thresholds(cfg)
    # One draw per operand decides its kind (low 32 bits), its sign (next 32) and an integer value (the rest);
    # the common plain integer is built right here, powers and decimals draw more in _leaf.
    span = cfg.max_value << 64
    leaves: list[Node] = []
    for _ in range(n):
        u = below(span)
        if (u & 0xFFFFFFFF) < t_dec:
            leaves.append(_leaf(cfg, rng, u, t_pow, t_neg))
        elif ((u >> 32) & 0xFFFFFFFF) < t_neg:
            text = str((u >> 64) + 1)
            leaves.append(("-" + text, "-" + text, 5, True, -(u >> 64) - 1, 1))
        else:
            text = str((u >> 64) + 1)
            leaves.append((text, text, 5, False, (u >> 64) + 1, 1))
    opchars = cfg.operations
    k = len(opchars)
    ops = [opchars[below(k)] for _ in range(n - 1)]
    if t_par and below(1 << 32) < t_par:
        return tree(leaves, ops, 0, n, cfg, rng, sym), ops
    return flat(leaves, ops, cfg, rng, sym), ops


# Each phrase split around its one ``{e}``: concatenation is cheaper than str.format and gives the same text.
_PHRASE_PARTS = tuple(tuple(p.split("{e}")) for p in _PHRASES)
_OPERATION_NAMES: dict[str, str] = {}  # operators in drawing order -> the sorted set, as in meta["operations"]


def _operation_names(ops: list[str]) -> str:
    drawn = "".join(ops)
    names = _OPERATION_NAMES.get(drawn)
    if names is None:
        names = "".join(sorted(set(ops)))
        if len(_OPERATION_NAMES) > 4096:
            _OPERATION_NAMES.clear()
        _OPERATION_NAMES[drawn] = names
    return names


def draw(cfg: ArithmeticConfig, rng: Rng) -> tuple[str, Any] | None:
    """One arithmetic candidate: ``(question, (expression, answer, meta))``."""
    below = rng.below
    sym = _STYLES[below(2)]
    node, ops = build_expression(cfg, rng, sym)
    if node is None:
        return None
    expr, q, _, _, num, den = node
    head, tail = _PHRASE_PARTS[below(len(_PHRASE_PARTS))]
    question = head + q + tail
    if den != 1:
        question += _EXACT[below(len(_EXACT))]
    answer = str(num) if den == 1 else f"{num}/{den}"
    return question, (expr, answer, {"operations": _operation_names(ops)})
