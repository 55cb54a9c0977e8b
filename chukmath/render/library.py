"""Find templates: user directories first (``--templates DIR``, in order), then the built-ins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import chukmath
from chukmath.errors import ConfigError, TemplateError
from chukmath.render.template import PromptTemplate

TEMPLATE_SUFFIX = ".jinja"
BUILTIN_ORIGIN = "built-in"


def builtin_template_dir(package_dir: Path | None = None) -> Path:
    """Where the built-in templates live.

    A wheel ships them inside the package (``chukmath/builtin_templates``); a source checkout or editable
    install has them in ``<repo>/templates`` next to the package.
    """
    package_dir = package_dir or Path(chukmath.__file__).resolve().parent
    candidates = (package_dir / "builtin_templates", package_dir.parent / "templates")
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob(f"*{TEMPLATE_SUFFIX}")):
            return candidate
    raise TemplateError(
        f"built-in templates not found (looked in {candidates[0]} and {candidates[1]}); reinstall chukmath"
    )


@dataclass(frozen=True, slots=True)
class TemplateEntry:
    """Where a template name resolves to, and which files of the same name it hides."""

    name: str
    path: Path
    origin: str
    shadows: tuple[Path, ...] = ()


class TemplateLibrary:
    """The templates visible from a search path; ``get`` compiles each one once."""

    def __init__(self, extra_dirs: Sequence[Path | str] = (), *, builtin_dir: Path | None = None) -> None:
        dirs: list[tuple[Path, str]] = []
        for d in extra_dirs:
            path = Path(d)
            if not path.is_dir():
                raise ConfigError(f"--templates {path}: not a directory; pass a folder holding *.jinja files")
            if not any(p.is_file() for p in path.glob(f"*{TEMPLATE_SUFFIX}")):
                # Almost always a wrong path: quietly falling back to the built-ins would hide it.
                raise ConfigError(f"--templates {path}: no *{TEMPLATE_SUFFIX} templates in this folder")
            dirs.append((path, str(path)))
        dirs.append((builtin_dir or builtin_template_dir(), BUILTIN_ORIGIN))
        self.search_path: tuple[tuple[Path, str], ...] = tuple(dirs)
        self._entries = self._index()
        self._cache: dict[str, PromptTemplate] = {}

    def _index(self) -> dict[str, TemplateEntry]:
        found: dict[str, list[tuple[Path, str]]] = {}
        for directory, origin in self.search_path:
            for path in sorted(directory.glob(f"*{TEMPLATE_SUFFIX}")):
                if path.is_file():
                    found.setdefault(path.stem, []).append((path, origin))
        return {
            name: TemplateEntry(name, hits[0][0], hits[0][1], tuple(p for p, _ in hits[1:]))
            for name, hits in sorted(found.items())
        }

    def list(self) -> list[TemplateEntry]:
        """Every visible template name, sorted, with the file it resolves to."""
        return list(self._entries.values())

    def names(self) -> list[str]:
        """The visible template names, sorted."""
        return list(self._entries)

    def entry(self, name: str) -> TemplateEntry:
        """The entry for ``name``; TemplateError listing the known names if there is none."""
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(self._entries) or "(none)"
            raise TemplateError(
                f"no template named {name!r}; known templates: {known}. Add a directory with --templates DIR "
                f"or pass a path to a {TEMPLATE_SUFFIX} file"
            ) from None

    def get(self, name: str) -> PromptTemplate:
        """The compiled template ``name`` (or a path to a ``.jinja`` file); errors name file and line."""
        if name not in self._cache:
            as_path = Path(name)
            if name not in self._entries and as_path.suffix == TEMPLATE_SUFFIX and as_path.is_file():
                self._cache[name] = PromptTemplate.from_file(as_path, origin=str(as_path.parent))
            else:
                entry = self.entry(name)
                self._cache[name] = PromptTemplate.from_file(entry.path, origin=entry.origin)
        return self._cache[name]
