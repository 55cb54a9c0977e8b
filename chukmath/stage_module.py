"""Why ``chukmath.generate(...)`` works while ``chukmath.generate`` is a package.

The seven stages (``generate``, ``render``, ``teach``, ``parse``, ``verify``, ``write``, ``build``) are
packages (or, for ``parse``, a module) whose names the README also promises as top-level functions. Python binds
a package to its parent's attribute whenever it is imported, so a function of the same name in ``chukmath``
would be replaced by the package the first time anything imports it. Instead each stage module declares itself
a :class:`StageModule`: a real module in every way (``import chukmath.generate.engine``,
``from chukmath.verify import answers_match``, ``chukmath.verify.answers_match``, pickling and patching by dotted
path all work as before) that, called, runs the stage's function in :mod:`chukmath.api`. Setting a module's
``__class__`` to a ``ModuleType`` subclass is the mechanism Python documents for customising a module
("Customizing module attribute access" in the language reference).
"""

from __future__ import annotations

import sys
import types
from typing import Any


class StageModule(types.ModuleType):
    """A stage package that can be called: ``chukmath.X(...)`` is ``chukmath.api.X(...)``."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from chukmath import api

        return getattr(api, self.__name__.rpartition(".")[2])(*args, **kwargs)


def make_callable(module_name: str) -> None:
    """Make the (already imported) module ``module_name`` callable as its stage function."""
    module = sys.modules[module_name]
    if not isinstance(module, StageModule):
        module.__class__ = StageModule
