"""Public helpers that more than one family uses (a family never reaches into another family's package).

- ``exprtree``: random arithmetic expression trees with exact values (the arithmetic and fractions drawers).
- ``arithmetic_steps``: an expression evaluated one true claim per line, and the trace of a plain expression.
- ``format``: numbers and ``a op b = c`` claims as the verifier reads them; ``assemble`` writes the three tags.
- ``linear``, ``polynomial``, ``brackets``: reading and writing linear and polynomial forms exactly.
- ``present``: the written forms of rational, symbolic and mapping answers.
- ``numfmt``, ``symstr``, ``sympy_diff``: exact numbers and sympy-compatible text without sympy's cost.
"""
