"""The command-line framework's own words, from the message catalogue (issue 14 §1).

Typer vendors its click and writes its words in English: "Usage:", the ``--help`` option's
"Show this message and exit.", the panel titles, "Missing argument", "No such option",
"Invalid value for …". Its vendored click has no gettext hook, and Python's global gettext
reads only compiled ``.mo`` files, which postlink does not build (``postlink/words.py``).
So the words are set where Typer supports it and worded here otherwise, once per run:

- the help panels' titles and markers are module settings of ``typer.rich_utils``, set from
  the catalogue at start-up (``use_catalogue_words``);
- the usage line (its prefix and its placeholders) and the help option come from the
  command classes and settings below, which every postlink app and command uses
  (``WordedTyper``);
- a usage error is caught by ``postlink.cli.main`` and worded by ``usage_error_text`` from
  its type and fields; only the framework's detail of a bad value (a pydantic or Typer
  sentence) is matched by its shape, and kept as it is when the shape is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, get_args

import typer
from typer import rich_utils
from typer._click import exceptions as click_errors
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from postlink.words import say


def use_catalogue_words() -> None:
    """Set Typer's help panels' words from the catalogue, in the configured language."""
    rich_utils.ARGUMENTS_PANEL_TITLE = say("cli.framework.arguments")
    rich_utils.OPTIONS_PANEL_TITLE = say("cli.framework.options")
    rich_utils.COMMANDS_PANEL_TITLE = say("cli.framework.commands")
    rich_utils.ERRORS_PANEL_TITLE = say("cli.framework.error")
    rich_utils.ABORTED_TEXT = say("cli.framework.aborted")
    rich_utils.DEFAULT_STRING = "[" + say("cli.framework.default", value="{}") + "]"
    rich_utils.ENVVAR_STRING = "[" + say("cli.framework.envvar", name="{}") + "]"
    rich_utils.REQUIRED_LONG_STRING = "[" + say("cli.framework.required") + "]"
    rich_utils.DEPRECATED_STRING = "(" + say("cli.framework.deprecated") + ") "
    rich_utils.RICH_HELP = say(
        "cli.framework.try_help", command="[blue]'{command_path} {help_option}'[/]"
    )


#: The catalogue's word for the kind of value a parameter takes, by Typer's name for it
#: (``<str>``, ``<int>``, ``<path>``…); a date option's formats are its help text's to say.
_TYPE_WORDS = {
    "str": "cli.framework.type.text",
    "int": "cli.framework.type.integer",
    "float": "cli.framework.type.number",
    "bool": "cli.framework.type.boolean",
    "datetime": "cli.framework.type.date",
    "path": "cli.framework.type.path",
    "file": "cli.framework.type.file",
    "dir": "cli.framework.type.directory",
}


def type_word(param: Any, ctx: Any) -> str | None:
    """What a parameter's help shows as the kind of value it takes, in the catalogue's words:
    ``<văn bản>``, ``<số nguyên>...`` for a list. A choice shows its values, typed as they
    are; a flag takes no value and shows none (Typer would say ``<bool>``)."""
    if getattr(param, "is_flag", False):
        return None
    described = param.type_descriptor
    if described.is_choice:
        return str(param.display_type(ctx))
    annotation, many = described.annotation, described.is_list or param.nargs != 1
    if described.is_list:
        (annotation,) = get_args(annotation)
    if described.is_path:
        name = described.path_type
    else:
        name = getattr(annotation, "__name__", str(annotation))
    code = _TYPE_WORDS.get(name)
    if code is None:  # a kind of value postlink does not use yet: Typer's own marker
        return str(param.display_type(ctx))
    return f"<{say(code)}>" + ("..." if many else "")


class _Worded:
    """The usage line, the help option and the parameters' kinds of value of a command, in
    the catalogue's words."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # Typer asks each parameter for its marker while drawing the panels and has no
        # setting for it: each parameter of this command is given the worded one.
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            marker = type_word(param, ctx)
            setattr(param, "display_type_rich", lambda ctx, marker=marker: marker)  # noqa: B010
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = say("cli.framework.help_option")
        return option

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        prefix = say("cli.framework.usage") + " "
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=prefix)


class WordedCommand(_Worded, TyperCommand):
    """A command whose usage line and help option speak the catalogue's language."""


class WordedGroup(_Worded, TyperGroup):
    """A group of commands whose usage line and help option speak the catalogue's language."""


class WordedTyper(typer.Typer):
    """A Typer app whose group and commands are ``WordedGroup`` and ``WordedCommand``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", WordedGroup)
        kwargs.setdefault("rich_markup_mode", "rich")
        kwargs.setdefault("options_metavar", say("cli.framework.options_metavar"))
        kwargs.setdefault("subcommand_metavar", say("cli.framework.subcommand_metavar"))
        super().__init__(**kwargs)

    def command(
        self, name: str | None = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        kwargs.setdefault("cls", WordedCommand)
        kwargs.setdefault("options_metavar", say("cli.framework.options_metavar"))
        return super().command(name, **kwargs)


#: The framework's sentences, by shape: a pattern and the code wording it with the pattern's
#: named groups. Checked in order; a sentence of unknown shape is shown as it is.
_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), code)
    for pattern, code in (
        (
            r"(Value error, )?(?P<value>'.*') does not match the formats? (?P<formats>.*)\.$",
            "cli.framework.detail.formats",
        ),
        (
            r"(Value error, )?(?P<value>'.*') is not one of (?P<choices>.*)\.$",
            "cli.framework.detail.choice",
        ),
        (r"Input should be a valid integer.*", "cli.framework.detail.integer"),
        (r"Input should be a valid number.*", "cli.framework.detail.number"),
        (r"Input should be a valid boolean.*", "cli.framework.detail.boolean"),
        (
            r"Input should be greater than or equal to (?P<limit>\S+)$",
            "cli.framework.detail.at_least",
        ),
        (r"Input should be less than or equal to (?P<limit>\S+)$", "cli.framework.detail.at_most"),
        (r"\w+ (?P<path>'.*') does not exist\.$", "cli.framework.detail.no_file"),
        (r"\w+ (?P<path>'.*') is a directory\.$", "cli.framework.detail.directory"),
        (r"\w+ (?P<path>'.*') is a file\.$", "cli.framework.detail.file"),
        (r"No such command (?P<name>'.*')\.$", "cli.framework.no_such_command"),
        (r"Missing command\.$", "cli.framework.missing_command"),
        (r"Got unexpected extra arguments? \((?P<values>.*)\)$", "cli.framework.extra_arguments"),
        (r"Option (?P<name>'.*') requires .*$", "cli.framework.option_needs_value"),
    )
)


def _worded_shape(sentence: str) -> str:
    for pattern, code in _SHAPES:
        found = pattern.match(sentence)
        if found:
            return say(code, **{k: v for k, v in found.groupdict().items() if v is not None})
    return sentence


def _hint(exc: click_errors.BadParameter) -> str | None:
    """The parameter a bad-value error names, as the framework names it (``'--limit'``)."""
    if exc.param_hint is not None:
        hints = [exc.param_hint] if isinstance(exc.param_hint, str) else exc.param_hint
        return " / ".join(hints)
    return exc.param.get_error_hint() if exc.param is not None else None


def usage_error_text(exc: click_errors.UsageError) -> str:
    """What was wrong with the command line, in the catalogue's words."""
    if isinstance(exc, click_errors.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param else "parameter")
        code = (
            "cli.framework.missing_option" if kind == "option" else "cli.framework.missing_argument"
        )
        return say(code, name=_hint(exc) or "")
    if isinstance(exc, click_errors.BadParameter):
        hint = _hint(exc)
        detail = _worded_shape(exc.message)
        if hint is None:
            return say("cli.framework.invalid_value", detail=detail)
        return say("cli.framework.invalid_value_for", name=hint, detail=detail)
    if isinstance(exc, click_errors.NoSuchOption):
        text = say("cli.framework.no_such_option", name=exc.option_name)
        if exc.possibilities:
            options = ", ".join(sorted(exc.possibilities))
            text += " " + say("cli.framework.possible_options", options=options)
        return text
    return _worded_shape(exc.message)


def show_usage_error(exc: click_errors.UsageError) -> int:
    """Print a usage error as Typer does (usage line, hint, panel), in the catalogue's words;
    the help a command prints when called without arguments is printed as it is."""
    if not isinstance(exc, click_errors.NoArgsIsHelpError):
        exc = click_errors.UsageError(usage_error_text(exc), ctx=exc.ctx)
    rich_utils.rich_format_error(exc)
    return exc.exit_code
