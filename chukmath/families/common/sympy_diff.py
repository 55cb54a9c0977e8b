"""``diff(expr, x)`` for sums, products, constant powers, sin, cos, exp and log, without sympy's ``Derivative``.

``sympy.diff`` builds a ``Derivative`` and re-derives assumptions at every level, which costs about a
millisecond for the calculus family's functions. This module repeats the rules sympy's classes apply
(``Add._eval_derivative``, the Leibniz rule of ``Mul._eval_derivative_n_times`` for one derivative,
``Pow._eval_derivative``, the chain rule of ``Function._eval_derivative`` with each function's ``fdiff``)
with the same sympy constructors, so the result is the same canonical object. Anything else is handed to
``sympy.diff``. ``tests/test_generate_symstr.py`` compares it with ``sympy.diff``.
"""

from __future__ import annotations

from typing import Any


def fast_diff(expr: Any, x: Any) -> Any:
    """The derivative of ``expr`` with respect to the symbol ``x``; equal to ``sympy.diff(expr, x)``."""
    import sympy

    # Zero is tested by identity (canonical results are the singleton S.Zero): ``is_zero`` would run
    # sympy's assumption system, the very cost this module avoids.
    if expr == x:
        return sympy.S.One
    if not expr.has(x):
        return sympy.S.Zero
    if expr.is_Add:
        return sympy.Add(*[fast_diff(arg, x) for arg in expr.args])
    if expr.is_Mul:
        args = expr.args
        terms = []
        for i, arg in enumerate(args):
            derivative = fast_diff(arg, x)
            if derivative is sympy.S.Zero:
                continue
            terms.append(sympy.Mul(*args[:i], derivative, *args[i + 1 :]))
        return sympy.Add(*terms)
    if expr.is_Pow and not expr.exp.has(x):
        # Pow._eval_derivative: self * (dexp*log(base) + dbase*exp/base) with dexp = 0.
        return expr * (fast_diff(expr.base, x) * expr.exp / expr.base)
    if isinstance(expr, (sympy.sin, sympy.cos, sympy.exp, sympy.log)):
        inner = fast_diff(expr.args[0], x)
        if inner is sympy.S.Zero:
            return sympy.S.Zero
        return sympy.Add(expr.fdiff(1) * inner)
    return sympy.diff(expr, x)
