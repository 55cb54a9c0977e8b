"""The exception hierarchy. The CLI turns any ChukmathError into a one-line message and exit code 2."""


class ChukmathError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(ChukmathError):
    """A user file (problems, requests, journal, recipe) is malformed; the message names file and line."""


class ConfigError(ChukmathError):
    """An option or config value is invalid; the message names the key, the value and what is allowed."""


class TemplateError(ChukmathError):
    """A prompt template is missing, broken or unsafe; the message names the template and line."""


class TeacherError(ChukmathError):
    """A teacher cannot run at all (no key, bad base URL); per-request failures go into the journal."""


class OutputError(ChukmathError):
    """An output location cannot be used (it holds a different run, it is not writable)."""
