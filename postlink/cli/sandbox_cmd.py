"""``postlink sandbox``: run the postal sandbox in the foreground (issue 4, brief §5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from postlink import defaults
from postlink.cli.output import console
from postlink.errors import PostlinkError
from postlink.postal.sandbox.accounts import Credentials
from postlink.postal.sandbox.faults import PROFILES, FaultSettings, profile
from postlink.postal.sandbox.server import Sandbox, SandboxConfig, SandboxHTTPServer
from postlink.settings import PostalAdapterName
from postlink.words import say


def sandbox(
    host: Annotated[str, typer.Option(help=say("cli.opt.sandbox.host"))] = defaults.SANDBOX_HOST,
    port: Annotated[int, typer.Option(help=say("cli.opt.sandbox.port"))] = defaults.SANDBOX_PORT,
    dialect: Annotated[
        PostalAdapterName, typer.Option(help=say("cli.opt.sandbox.dialect"))
    ] = PostalAdapterName.MYVNPOST,
    seed: Annotated[int, typer.Option(help=say("cli.opt.sandbox.seed"))] = defaults.SANDBOX_SEED,
    orders: Annotated[
        int, typer.Option(min=1, help=say("cli.opt.sandbox.orders"))
    ] = defaults.SANDBOX_ORDERS,
    days: Annotated[
        int, typer.Option(min=1, help=say("cli.opt.sandbox.days"))
    ] = defaults.SANDBOX_SPAN_DAYS,
    start: Annotated[str | None, typer.Option(help=say("cli.opt.sandbox.start"))] = None,
    faults: Annotated[
        str, typer.Option(help=say("cli.opt.sandbox.faults", profiles=", ".join(PROFILES)))
    ] = "none",
    frozen: Annotated[
        bool,
        typer.Option(help=say("cli.opt.sandbox.frozen")),
    ] = False,
    documented_wire: Annotated[
        bool,
        typer.Option(help=say("cli.opt.sandbox.documented_wire")),
    ] = False,
    username: Annotated[str, typer.Option(help=say("cli.opt.sandbox.username"))] = "sandbox",
    password: Annotated[str, typer.Option(help=say("cli.opt.sandbox.password"))] = "sandbox",
    customer_code: Annotated[
        str, typer.Option(help=say("cli.opt.sandbox.customer_code"))
    ] = "SANDBOX",
    client_id: Annotated[str, typer.Option(help=say("cli.opt.sandbox.client_id"))] = "sandbox",
    client_secret: Annotated[
        str, typer.Option(help=say("cli.opt.sandbox.client_secret"))
    ] = "sandbox",
    webhook_secret: Annotated[
        str, typer.Option(help=say("cli.opt.sandbox.webhook_secret"))
    ] = "sandbox",
    public_key_out: Annotated[
        Path | None, typer.Option(help=say("cli.opt.sandbox.public_key_out"))
    ] = None,
) -> None:
    """Serve a seeded postal world with fault injection until interrupted (Ctrl-C)."""
    try:
        config = SandboxConfig(
            seed=seed,
            orders=orders,
            span_days=days,
            start=date.fromisoformat(start) if start else None,
            speed=0.0 if frozen else 1.0,
            faults=FaultSettings(rates=profile(faults)),
            credentials=Credentials(username, password, customer_code, client_id, client_secret),
            webhook_secret=webhook_secret,
            dialect=dialect.value,
            wire_variants=not documented_wire,
        )
        app = Sandbox(config)
    except ValueError as exc:
        raise PostlinkError(code="cli.sandbox.bad_config", reason=exc) from None
    if public_key_out is not None:
        public_key_out.write_bytes(app.signer.public_pem())
    server = SandboxHTTPServer((host, port), app)
    base = f"http://{host}:{server.server_address[1]}"
    if dialect is PostalAdapterName.NGSP:
        base += "/ngsp"
    started = say(
        "cli.sandbox.started",
        dialect=dialect.value,
        base=base,
        orders=orders,
        start=f"{app.world.start:%d/%m/%Y}",
        days=days,
        seed=seed,
        faults=faults,
        wire=say("cli.sandbox.wire_documented" if documented_wire else "cli.sandbox.wire_varied"),
        clock=say("cli.sandbox.clock_frozen" if frozen else "cli.sandbox.clock_real"),
    )
    console.print(started, markup=False, highlight=False, soft_wrap=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        console.print(say("cli.sandbox.stopped"))
    finally:
        server.server_close()
