"""Step-by-step trace writers of the built-in teacher, one module per family group.

``arithmetic`` (arithmetic, fractions, word problems; sympy-free), ``equations`` (linear equations and
systems), ``quadratic``, ``number_theory``, ``calculus``; ``format`` writes numbers and claims, ``linear``
and ``polynomial`` read and write linear forms. The entry point is :func:`chukmath.teach.builtin.builtin_trace`.
"""
