"""Errors the engine raises for problems a user can fix.

Every error here carries a message meant to be shown to a person as it is: it names the
problem and, where possible, what to do about it. Pages and the command line catch
`GanExplorerError` and show its text; anything else is a bug.
"""


class GanExplorerError(Exception):
    """Base class: a problem with the user's input, data or environment."""


class ConfigError(GanExplorerError):
    """An impossible or unknown training configuration (k = 0, unknown preset, ...)."""


class DataError(GanExplorerError):
    """A data file that is missing, truncated or not in the expected format."""


class RunError(GanExplorerError):
    """A run that cannot be launched, found, read or written."""


class QueueFullError(RunError):
    """The training queue is at its limit; the user should try again later."""
