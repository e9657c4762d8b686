"""Errors a user is meant to read.

Anything raised as ``PostlinkError`` is shown by the CLI as one line without a traceback;
its message must say what was wrong and, where possible, what to do about it.

Issue 14 §1: an error raised below the presenters is typed, a ``code`` of the message
catalogue (``postlink.words``) and its ``params``, and never names a command-line flag; each
surface words it (the console in its own frame, the CLI adding its ``cli.<code>`` hint that
may name a flag). An error still raised with a written message keeps it as its text.
"""

from __future__ import annotations


class PostlinkError(Exception):
    """A failure the user can act on (bad input, bad configuration, refused operation).

    ``PostlinkError(code="period.reversed", start=…, end=…)`` carries a catalogue code;
    its text is worded when shown, in the configured language."""

    def __init__(self, message: str = "", /, *, code: str | None = None, **params: object):
        super().__init__(message or code or "")
        self.code = code
        self.params = params

    def __str__(self) -> str:
        if self.code is None:
            return super().__str__()
        from postlink.words import language

        return self.said_in(language())

    def said_in(self, language: str) -> str:
        """The text in ``language``, whatever is configured: for a surface that keeps both
        (the catalog import's bilingual ``Reason``)."""
        if self.code is None:
            return super().__str__()
        from postlink.words import say_in

        return say_in(language, self.code, **self.params)


class ConfigError(PostlinkError):
    """A setting is missing or invalid; raised at start-up."""
