"""Errors the engine raises for problems a user can fix.

Every error here carries a message meant to be shown to a person as it is: it names the
problem and, where possible, what to do about it. Pages and the command line catch
`GanExplorerError` and show its text; anything else is a bug.
"""


class GanExplorerError(Exception):
    """Base class: a problem with the user's input, data or environment.

    `message_id` and `values`, when given, name a translatable form of the message: the
    pages show the translation table's `engine.<message_id>` filled with `values` when the
    visitor's language has it, and the English text otherwise (`ui.i18n.error_text`).
    """

    def __init__(self, message: str = "", *, message_id: str | None = None, **values: object) -> None:
        super().__init__(message)
        self.message_id, self.values = message_id, values


class ConfigError(GanExplorerError):
    """An impossible or unknown training configuration (k = 0, unknown preset, ...)."""


class DataError(GanExplorerError):
    """A data file that is missing, truncated or not in the expected format."""


class RunError(GanExplorerError):
    """A run that cannot be launched, found, read or written."""


class QueueFullError(RunError):
    """The training queue is at its limit; the user should try again later."""
