"""``postlink demo``: sandbox, catalog and worker together on the embedded default."""

from __future__ import annotations

import threading
from typing import Annotated

import typer

from postlink import demo, logs
from postlink.cli.output import console, print_table
from postlink.db import get_engine
from postlink.settings import get_settings
from postlink.sync.scheduler import run_worker
from postlink.worker import JOBS


def _show(snapshot: dict[str, dict[str, int]]) -> None:
    for title, counts in snapshot.items():
        rows = sorted(counts.items(), key=lambda kv: -kv[1])
        print_table(f"legs by {title}" if title != "outbox" else "outbox", ("", "count"), rows)


def demo_command(
    orders: Annotated[int, typer.Option(help="Orders in the sandbox's world.")] = 1500,
    duration: Annotated[
        float, typer.Option(help="Stop after this many seconds (0: run until Ctrl-C).")
    ] = 0,
) -> None:
    """Run postlink end to end with no credentials: sandbox, sample lists, worker, web."""
    settings = demo.demo_settings(get_settings())
    logs.configure(settings)
    engine = get_engine()
    sandbox, ctx = demo.start(settings, engine, demo.DemoOptions(orders=orders))
    console.print(f"Database: {engine.url.render_as_string(hide_password=True)}")
    console.print(f"Postal sandbox: {sandbox.url} ({orders} orders, clock x120)")
    for published in demo.publish_samples(engine):
        console.print(f"Published sample list {published}")
    for command in demo.register_results(ctx, settings):
        note = f" — refused: {command.refusal_reason}" if command.refusal_reason else ""
        console.print(f"Outbox: {command.reference} {command.state}{note}")
    web = demo.start_web(settings, engine, ctx)
    login = demo.demo_login(engine)
    who = f"user {login[0]}, password {login[1]}" if login else "an existing account"
    console.print(f"Web console: {web.url}/ (log in as {who})", highlight=False, soft_wrap=True)
    console.print("Worker running; counts every 10 s. Ctrl-C stops it.")
    watching = threading.Event()
    threading.Thread(
        target=demo.watch, args=(engine, _show, watching), daemon=True, name="demo-watch"
    ).start()
    try:
        run_worker(ctx, settings, JOBS, duration)
    finally:
        watching.set()
        _show(demo.snapshot(engine))
        web.stop()
        ctx.adapter.close()
        sandbox.stop()
