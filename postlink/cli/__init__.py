"""The ``postlink`` command: one entry point with grouped subcommands.

Errors meant for users (``PostlinkError``) print as one line and exit non-zero; anything
else prints its type and message as one line too, and ``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys
import traceback
from typing import Annotated, NoReturn

import typer
from rich.markup import escape

from postlink import __version__
from postlink.cli import (
    catalog_cmd,
    config_cmd,
    db_cmd,
    demo_cmd,
    handover_cmd,
    outbox_cmd,
    postal_cmd,
    quarantine_cmd,
    report_cmd,
    sandbox_cmd,
    sync_cmd,
    web_cmd,
)
from postlink.cli.output import err_console
from postlink.errors import ConfigError, PostlinkError

app = typer.Typer(
    help="postlink: dossiers and results through the public postal service (BCCI).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    add_completion=False,
)
app.add_typer(catalog_cmd.app, name="catalog")
app.add_typer(config_cmd.app, name="config")
app.add_typer(db_cmd.app, name="db")
app.add_typer(postal_cmd.app, name="postal")
app.command("sandbox")(sandbox_cmd.sandbox)
app.add_typer(handover_cmd.app, name="handover")
app.command("report")(report_cmd.report)
app.add_typer(outbox_cmd.app, name="outbox")
app.add_typer(quarantine_cmd.app, name="quarantine")
sync_cmd.register(app)
app.command("demo")(demo_cmd.demo_command)
app.command("serve")(web_cmd.serve)
app.add_typer(web_cmd.users, name="user")
app.add_typer(web_cmd.tokens, name="token")

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        print(f"postlink {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    _state["debug"] = debug


def _fail(message: str, code: int) -> NoReturn:
    if _state["debug"]:
        traceback.print_exc()
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> NoReturn:
    """Console-script entry point; exits 2 on bad configuration, 1 on other errors."""
    _state["debug"] = False
    try:
        app(args=argv, prog_name="postlink")
    except PostlinkError as exc:
        _fail(str(exc), 2 if isinstance(exc, ConfigError) else 1)
    except Exception as exc:
        _fail(f"{type(exc).__name__}: {exc} (run with --debug for details)", 1)
    sys.exit(0)
