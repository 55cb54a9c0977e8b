"""Static checks on a parsed template section, shared by compile (first error fails) and lint (all reported).

Checking statically matters: a misspelt variable inside ``{% if difficulty > 3 %}`` would otherwise fail
only on the first hard problem, possibly after a paid run has started.
"""

from __future__ import annotations

import difflib

from jinja2 import TemplateAssertionError, nodes
from jinja2.meta import find_undeclared_variables

from chukmath.records import Problem
from chukmath.render.environment import NONDETERMINISTIC_FILTERS, TEMPLATE_VARIABLES


def used_variables(ast: nodes.Template) -> dict[str, int]:
    """Every free variable the section reads, with the first line it is read on.

    Empty when the section uses a filter or test that does not exist (the analysis needs to compile it);
    static_errors reports that filter or test instead.
    """
    first_line: dict[str, int] = {}
    for node in ast.find_all(nodes.Name):
        if node.ctx == "load":
            first_line[node.name] = min(first_line.get(node.name, node.lineno), node.lineno)
    try:
        undeclared = find_undeclared_variables(ast)
    except TemplateAssertionError:
        return {}
    return {name: first_line.get(name, 0) for name in undeclared}


def static_errors(ast: nodes.Template) -> list[tuple[int, str]]:
    """``(line, message)`` for unknown variables, underscore attributes and include/import/extends."""
    errors: list[tuple[int, str]] = []
    for name, line in used_variables(ast).items():
        if name not in TEMPLATE_VARIABLES:
            hint = difflib.get_close_matches(name, TEMPLATE_VARIABLES, n=1)
            suggestion = f"did you mean {hint[0]!r}?" if hint else f"known: {', '.join(TEMPLATE_VARIABLES)}"
            errors.append((line, f"unknown variable {name!r} ({suggestion})"))
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        attr = node.attr if isinstance(node, nodes.Getattr) else const_str(node.arg)
        if attr is not None and attr.startswith("_"):
            errors.append((node.lineno, f"access to {attr!r} is refused: templates cannot reach Python internals"))
    for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        errors.append((node.lineno, "include/import/extends are not available: a template is one self-contained file"))
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        field = node.attr if isinstance(node, nodes.Getattr) else const_str(node.arg)
        base = node.node
        # ``problem`` is a dict: its methods (``items``, ``get``; the sandbox refuses ``clear``...) are not fields.
        if field and isinstance(base, nodes.Name) and base.name == "problem" and field not in Problem.FIELDS:
            if not hasattr(dict, field):
                hint = difflib.get_close_matches(field, Problem.FIELDS, n=1)
                suggestion = f"did you mean {hint[0]!r}?" if hint else f"fields: {', '.join(Problem.FIELDS)}"
                errors.append((node.lineno, f"problem has no field {field!r} ({suggestion})"))
    for loop in ast.find_all(nodes.For):
        if loop.recursive:
            errors.append((loop.lineno, "recursive loops are not available: a prompt loops over flat lists"))
    errors.extend(_unknown_filters_and_tests(ast))
    return sorted(errors)


def _unknown_filters_and_tests(ast: nodes.Template) -> list[tuple[int, str]]:
    """Filters and tests the environment lacks, found now rather than on the first problem that reaches them."""
    env = ast.environment
    errors: list[tuple[int, str]] = []
    for node in ast.find_all((nodes.Filter, nodes.Test)):
        kind, known = ("filter", env.filters) if isinstance(node, nodes.Filter) else ("test", env.tests)
        if node.name in known:
            continue
        if node.name in NONDETERMINISTIC_FILTERS:
            errors.append((node.lineno, f"the {node.name!r} filter is not available: a prompt must render the same "
                                        "on every run (its hash is the request id)"))  # fmt: skip
            continue
        hint = difflib.get_close_matches(node.name, list(known), n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        errors.append((node.lineno, f"unknown {kind} {node.name!r}{suggestion}"))
    return errors


def answer_lines(ast: nodes.Template) -> list[int]:
    """Lines that put the answer in front of the teacher: ``answer``, ``problem.answer``, ``meta.answer_*``."""
    lines = [n.lineno for n in ast.find_all(nodes.Name) if n.name == "answer" and n.ctx == "load"]
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        key = node.attr if isinstance(node, nodes.Getattr) else const_str(node.arg)
        if key and is_answer_key(key) and _root_name(node) in ("problem", "meta"):
            lines.append(node.lineno)
    return sorted(lines)


def _root_name(node: nodes.Node) -> str | None:
    """The variable an attribute/item chain starts from (``problem`` for ``problem.meta.answer_decimal``)."""
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        node = node.node
    return node.name if isinstance(node, nodes.Name) else None


def is_answer_key(key: str) -> bool:
    """Whether a problem or meta key carries the answer (``answer``, ``answer_decimal``, ...)."""
    return key.startswith("answer")


def const_str(node: nodes.Node) -> str | None:
    """The value of a string constant node, else None."""
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None
