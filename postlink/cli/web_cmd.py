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
from postlink.cli.output import console, err_console
from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.models import Role
from postlink.settings import get_settings
from postlink.web import accounts
from postlink.words import say

users = typer.Typer(help="Accounts of the web console.", no_args_is_help=True)
tokens = typer.Typer(help="Bearer tokens of the inbound API.", no_args_is_help=True)

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
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
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat the password: "):
        raise PostlinkError("the two passwords differ; nothing was changed")
    return first


def serve(
    host: Annotated[str | None, typer.Option(help="Address [default: POSTLINK_WEB_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [default: POSTLINK_WEB_PORT].")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="Processes [default: POSTLINK_WEB_WORKERS].")
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


@users.command("add")
def add_user(
    name: Annotated[str, typer.Argument(help="User name (lower-case letters, digits, . _ -).")],
    role: Annotated[Role, typer.Option(help="staff or admin.")] = Role.STAFF,
    full_name: Annotated[str, typer.Option(help="Full name shown on handover records.")] = "",
    password_stdin: PasswordStdin = False,
) -> None:
    """Create an account; the password is prompted for (or read with --password-stdin)."""
    password = _password(password_stdin)
    with session_scope() as session:
        user = accounts.add_user(
            session, name, password, role=role.value, full_name=full_name, actor=_actor()
        )
        console.print(say("cli.user.created", user=user.username, role=user.role), highlight=False)


@users.command("passwd")
def passwd(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Reset a password; the user's other sessions end."""
    password = _password(password_stdin)
    with session_scope() as session:
        user = accounts.set_password(session, name, password, actor=_actor())
        console.print(say("cli.user.password", user=user.username), highlight=False)


@tokens.command("create")
def create_token(
    name: Annotated[str, typer.Argument(help="Who uses the token, e.g. 'one-stop system'.")],
) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    with session_scope() as session:
        issued = accounts.create_token(session, name, actor=_actor())
        token_id = issued.token.id
    sys.stdout.write(issued.secret + "\n")
    err_console.print(say("cli.token.created", id=token_id, name=name), highlight=False)
