"""Errors a user is meant to read.

Anything raised as ``PostlinkError`` is shown by the CLI as one line without a traceback;
its message must say what was wrong and, where possible, what to do about it.
"""


class PostlinkError(Exception):
    """A failure the user can act on (bad input, bad configuration, refused operation)."""


class ConfigError(PostlinkError):
    """A setting is missing or invalid; raised at start-up."""
