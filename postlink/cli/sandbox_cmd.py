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


def sandbox(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = defaults.SANDBOX_HOST,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = defaults.SANDBOX_PORT,
    dialect: Annotated[
        PostalAdapterName, typer.Option(help="API dialect to speak.")
    ] = PostalAdapterName.MYVNPOST,
    seed: Annotated[int, typer.Option(help="Seed of the world.")] = defaults.SANDBOX_SEED,
    orders: Annotated[
        int, typer.Option(min=1, help="Orders in the world (a million is fine).")
    ] = defaults.SANDBOX_ORDERS,
    days: Annotated[
        int, typer.Option(min=1, help="Days over which the orders were created.")
    ] = defaults.SANDBOX_SPAN_DAYS,
    start: Annotated[
        str | None, typer.Option(help="First day of the world, YYYY-MM-DD; default: DAYS ago.")
    ] = None,
    faults: Annotated[str, typer.Option(help=f"Fault profile: {', '.join(PROFILES)}.")] = "none",
    frozen: Annotated[
        bool,
        typer.Option(
            help="Freeze the clock at the end of the world (move it with POST /_sandbox/clock)."
        ),
    ] = False,
    documented_wire: Annotated[
        bool,
        typer.Option(
            help="Write every record in the documented shape instead of varying key casing, "
            "number forms and envelopes per order as the real API does."
        ),
    ] = False,
    username: Annotated[str, typer.Option(help="Accepted user name.")] = "sandbox",
    password: Annotated[str, typer.Option(help="Accepted password.")] = "sandbox",
    customer_code: Annotated[str, typer.Option(help="Accepted customer code.")] = "SANDBOX",
    client_id: Annotated[str, typer.Option(help="Accepted NGSP client key.")] = "sandbox",
    client_secret: Annotated[str, typer.Option(help="Accepted NGSP client secret.")] = "sandbox",
    webhook_secret: Annotated[str, typer.Option(help="HMAC secret of webhooks.")] = "sandbox",
    public_key_out: Annotated[
        Path | None, typer.Option(help="Write the webhook RSA public key (PEM) to this file.")
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
        raise PostlinkError(f"cannot start the sandbox: {exc}") from None
    if public_key_out is not None:
        public_key_out.write_bytes(app.signer.public_pem())
    server = SandboxHTTPServer((host, port), app)
    base = f"http://{host}:{server.server_address[1]}"
    if dialect is PostalAdapterName.NGSP:
        base += "/ngsp"
    console.print(
        f"Postal sandbox ({dialect.value}), POSTLINK_POSTAL_BASE_URL={base}: "
        f"{orders} orders from {app.world.start} over {days} days, seed {seed}, "
        f"faults {faults}, wire {'documented' if documented_wire else 'varied'}, "
        f"clock {'frozen' if frozen else 'real time'}. Ctrl-C stops it."
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        console.print("Sandbox stopped.")
    finally:
        server.server_close()
