"""``polynomial_roots``: all roots of a cubic (or quartic) with integer roots, as a set."""

from chukmath.families.common.present import number_forms
from chukmath.families.contract import Family
from chukmath.families.polynomial_roots.generator import PRESETS, PolynomialRootsConfig, draw, trace
from chukmath.families.polynomial_roots.routes import ROUTES


def present(answer: str) -> list[str]:
    """``{-2, 1, 3}`` -> ``["{-2, 1, 3}", "x = -2, 1, 3"]``."""
    text = answer.strip()
    inner = text[1:-1] if text.startswith("{") else text
    return [text, f"x = {inner}"] if inner != text else number_forms(text)


FAMILY = Family(
    name="polynomial_roots",
    description="All roots of a cubic or quartic with integer roots (rational root test, synthetic division); a set.",
    config_cls=PolynomialRootsConfig,
    presets=PRESETS,
    draw=draw,
    trace=trace,
    present=present,
    routes=ROUTES,
)
