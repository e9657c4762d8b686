"""``postlink demo``: sandbox, catalog and worker together on the embedded default."""

from __future__ import annotations

import threading
from typing import Annotated

import typer

from postlink import demo, logs
from postlink.cli.output import console, field_label, print_table
from postlink.db import get_engine
from postlink.settings import get_settings
from postlink.sync.scheduler import run_worker
from postlink.words import say
from postlink.worker import JOBS


def _line(text: str) -> None:
    """One line of the demo's story, printed as it is (a URL is not markup)."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


#: The catalogue family labelling the values each demo table counts (a value the family
#: lacks, such as a status added since, is shown as it is).
_LABELS = {"match": "cli.match", "status": "report.status", "outbox": "cli.outbox.state"}


def _show(snapshot: dict[str, dict[str, int]]) -> None:
    for title, counts in snapshot.items():
        rows = sorted(counts.items(), key=lambda kv: -kv[1])
        shown = [(field_label(_LABELS[title], value), count) for value, count in rows]
        print_table(say(f"cli.demo.by.{title}"), ("", say("cli.col.count")), shown)


def demo_command(
    orders: Annotated[int, typer.Option(help=say("cli.opt.demo.orders"))] = 1500,
    duration: Annotated[float, typer.Option(help=say("cli.opt.demo.duration"))] = 0,
) -> None:
    """Run postlink end to end with no credentials: sandbox, sample lists, worker, web."""
    settings = demo.demo_settings(get_settings())
    logs.configure(settings)
    engine = get_engine()
    sandbox, ctx = demo.start(settings, engine, demo.DemoOptions(orders=orders))
    _line(say("cli.demo.database", url=engine.url.render_as_string(hide_password=True)))
    _line(say("cli.demo.sandbox", url=sandbox.url, orders=orders))
    for decision, effective in demo.publish_samples(engine):
        _line(say("cli.demo.published", decision=decision, start=f"{effective:%d/%m/%Y}"))
    for command in demo.register_results(ctx, settings):
        if command.refusal_reason:
            _line(
                say("cli.demo.refused", reference=command.reference, reason=command.refusal_reason)
            )
        else:
            state = say(f"cli.outbox.state.{command.state}")
            _line(say("cli.demo.registered", reference=command.reference, state=state))
    web = demo.start_web(settings, engine, ctx)
    login = demo.demo_login(engine)
    if login:
        _line(say("cli.demo.web_login", url=web.url, user=login[0], password=login[1]))
    else:
        _line(say("cli.demo.web", url=web.url))
    _line(say("cli.demo.running"))
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
