"""The ``postlink`` command: one entry point with grouped subcommands.

Errors meant for users (``PostlinkError``) print as one line and exit non-zero; anything
else prints its type and message as one line too, and ``--debug`` shows the traceback.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import traceback
from typing import Annotated, Any, NoReturn

import typer
import typer.main
from rich.markup import escape
from typer import rich_utils
from typer._click.exceptions import ClickException, UsageError

from postlink import __version__
from postlink.cli.framework import (
    WordedCommand,
    WordedGroup,
    WordedTyper,
    show_usage_error,
    use_catalogue_words,
)
from postlink.cli.output import err_console
from postlink.errors import ConfigError, PostlinkError
from postlink.words import language, say, say_on

#: Every command: the module under ``postlink.cli`` holding it, the attribute (a Typer app of
#: subcommands, or one command function) and the line ``postlink --help`` shows, worded by
#: the message catalogue (issue 14 §1) and used as the command's own help too. The module
#: is imported only when its command runs, so a command pays only for what it uses and
#: ``--help`` for nothing (issue 15: a monitoring check runs ``postlink status`` every
#: minute). A new command is one line here; tests check each line against the command.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "sandbox": ("sandbox_cmd", "sandbox", say("cli.help.sandbox")),
    "report": ("report_cmd", "report", say("cli.help.report")),
    "worker": ("sync_cmd", "worker", say("cli.help.worker")),
    "sync": ("sync_cmd", "sync_app", say("cli.help.sync")),
    "status": ("sync_cmd", "status", say("cli.help.status")),
    "rematch": ("sync_cmd", "rematch", say("cli.help.rematch")),
    "refold": ("sync_cmd", "refold", say("cli.help.refold")),
    "demo": ("demo_cmd", "demo_command", say("cli.help.demo")),
    "serve": ("web_cmd", "serve", say("cli.help.serve")),
    "catalog": ("catalog_cmd", "app", say("cli.help.catalog")),
    "config": ("config_cmd", "app", say("cli.help.config")),
    "db": ("db_cmd", "app", say("cli.help.db")),
    "postal": ("postal_cmd", "app", say("cli.help.postal")),
    "handover": ("handover_cmd", "app", say("cli.help.handover")),
    "outbox": ("outbox_cmd", "app", say("cli.help.outbox")),
    "quarantine": ("quarantine_cmd", "app", say("cli.help.quarantine")),
    "user": ("web_cmd", "users", say("cli.help.user")),
    "token": ("web_cmd", "tokens", say("cli.help.token")),
    "leg": ("leg_cmd", "app", say("cli.help.leg")),
}


def load_command(name: str) -> Any:
    """Import the module of command ``name`` and build its (Typer's own) click command."""
    module, attribute, _ = COMMANDS[name]
    target = getattr(importlib.import_module(f"postlink.cli.{module}"), attribute)
    holder = WordedTyper(add_completion=False)
    summary = COMMANDS[name][2]
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name, help=summary)
    else:
        holder.command(name, help=_help(target, summary))(target)
        holder.callback()(lambda: None)  # keeps the holder a group, as for a Typer app
    return typer.main.get_command(holder).commands[name]  # type: ignore[attr-defined]


def _help(function: Any, summary: str) -> str:
    """A command's help: its catalogue summary, then (in English) its docstring's details,
    which are written in English for developers and operators."""
    details = (inspect.getdoc(function) or "").split("\n\n", 1)[1:]
    return "\n\n".join([summary, *details]) if language() == "en" else summary


class LazyGroup(WordedGroup):
    """The root group: lists ``COMMANDS`` from their summaries, loads one when it runs."""

    summaries_only = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if self.summaries_only:
            return WordedCommand(cmd_name, help=COMMANDS[cmd_name][2])
        if cmd_name not in self.commands:
            self.commands[cmd_name] = load_command(cmd_name)
        return self.commands[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.summaries_only = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.summaries_only = False


app = WordedTyper(
    cls=LazyGroup,
    help=say("cli.help.app"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        print(f"postlink {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help=say("cli.help.debug"))] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=say("cli.help.version")),
    ] = False,
) -> None:
    _state["debug"] = debug


def _fail(message: str, code: int) -> NoReturn:
    if _state["debug"]:
        traceback.print_exc()
    label = say("cli.error")
    err_console.print(f"[red]{label}[/red] {escape(message)}", highlight=False, soft_wrap=True)
    sys.exit(code)


def worded(exc: PostlinkError) -> str:
    """An error as the command line says it: a typed error in the catalogue's ``cli.`` words
    where they differ (they may name a flag), else its shared sentence or its own text."""
    if exc.code is None:
        return str(exc)
    return say_on("cli", exc.code, **exc.params)


def main(argv: list[str] | None = None) -> NoReturn:
    """Console-script entry point; exits 2 on bad configuration or a bad command line, 1 on
    other errors. The framework's words are set from the catalogue first, and its errors
    are caught here to be worded (``postlink.cli.framework``)."""
    _state["debug"] = False
    use_catalogue_words()
    try:
        outcome = app(args=argv, prog_name="postlink", standalone_mode=False)
    except UsageError as exc:
        sys.exit(show_usage_error(exc))
    except ClickException as exc:  # a file the framework could not open
        rich_utils.rich_format_error(exc)
        sys.exit(exc.exit_code)
    except typer.Abort:
        rich_utils.rich_abort_error()
        sys.exit(1)
    except PostlinkError as exc:
        _fail(worded(exc), 2 if isinstance(exc, ConfigError) else 1)
    except Exception as exc:
        _fail(say("cli.crash", kind=type(exc).__name__, message=exc), 1)
    sys.exit(outcome if isinstance(outcome, int) else 0)
