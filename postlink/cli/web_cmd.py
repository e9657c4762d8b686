"""``postlink serve``, ``postlink user`` and ``postlink token``: run and provision the web app.

Passwords are typed at a hidden prompt (twice) or read from standard input with
``--password-stdin`` for scripts, never given as an option (it would show in ``ps`` and in
the shell history). An API token is printed once; only its hash is kept.
"""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from postlink import logs
from postlink.cli.framework import WordedTyper
from postlink.cli.output import console, err_console
from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.models import Role
from postlink.settings import get_settings
from postlink.web import accounts
from postlink.words import say

users = WordedTyper(help=say("cli.help.user"), no_args_is_help=True)
tokens = WordedTyper(help=say("cli.help.token"), no_args_is_help=True)

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help=say("cli.opt.user.password_stdin"))
]


def _actor() -> str:
    """CLI changes are audited as ``cli:<login name>`` (the shell user who made them)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(say("cli.user.password_prompt") + " ")
    if first != getpass.getpass(say("cli.user.repeat_prompt") + " "):
        raise PostlinkError(code="cli.user.passwords_differ")
    return first


def serve(
    host: Annotated[str | None, typer.Option(help=say("cli.opt.serve.host"))] = None,
    port: Annotated[int | None, typer.Option(help=say("cli.opt.serve.port"))] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help=say("cli.opt.serve.workers"))
    ] = None,
) -> None:
    """Run the web console, the inbound API and the webhook receiver (uvicorn)."""
    import uvicorn

    from postlink.web.secret import session_key

    settings = get_settings()
    logs.configure(settings)
    session_key(settings)  # made here, once, if it must be generated: not raced by workers
    uvicorn.run(
        "postlink.web.app:create_served_app",
        factory=True,
        workers=workers or settings.web_workers,
        host=host or settings.web_host,
        port=port or settings.web_port,
        proxy_headers=True,
        forwarded_allow_ips=settings.web_forwarded_allow_ips,
        log_level=settings.log_level.value.lower(),
        log_config=logs.uvicorn_config(),
    )


@users.command("add", help=say("cli.help.user.add"))
def add_user(
    name: Annotated[str, typer.Argument(help=say("cli.opt.user.new_name"))],
    role: Annotated[Role, typer.Option(help=say("cli.opt.user.role"))] = Role.STAFF,
    full_name: Annotated[str, typer.Option(help=say("cli.opt.user.full_name"))] = "",
    password_stdin: PasswordStdin = False,
) -> None:
    """Create an account; the password is prompted for (or read with --password-stdin)."""
    password = _password(password_stdin)
    with session_scope() as session:
        user = accounts.add_user(
            session, name, password, role=role.value, full_name=full_name, actor=_actor()
        )
        console.print(say("cli.user.created", user=user.username, role=user.role), highlight=False)


@users.command("passwd", help=say("cli.help.user.passwd"))
def passwd(
    name: Annotated[str, typer.Argument(help=say("cli.opt.user.name"))],
    password_stdin: PasswordStdin = False,
) -> None:
    """Reset a password; the user's other sessions end."""
    password = _password(password_stdin)
    with session_scope() as session:
        user = accounts.set_password(session, name, password, actor=_actor())
        console.print(say("cli.user.password", user=user.username), highlight=False)


@tokens.command("create", help=say("cli.help.token.create"))
def create_token(
    name: Annotated[str, typer.Argument(help=say("cli.opt.token.name"))],
) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    with session_scope() as session:
        issued = accounts.create_token(session, name, actor=_actor())
        token_id = issued.token.id
    sys.stdout.write(issued.secret + "\n")
    err_console.print(say("cli.token.created", id=token_id, name=name), highlight=False)
