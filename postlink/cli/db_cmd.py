"""``postlink db``: create, upgrade and inspect the schema."""

from __future__ import annotations

from typing import Annotated

import typer

from postlink import migrate
from postlink.cli.framework import WordedTyper
from postlink.cli.output import JsonOption, console, print_json, print_pairs
from postlink.db import get_engine
from postlink.words import say

app = WordedTyper(help=say("cli.help.db"), no_args_is_help=True)


@app.command("upgrade", help=say("cli.help.db.upgrade"))
def upgrade(
    revision: Annotated[str, typer.Option(help=say("cli.opt.db.revision"))] = "head",
) -> None:
    """Create the schema or upgrade it to the newest revision (safe to run repeatedly)."""
    engine = get_engine()
    before = migrate.current_revision(engine)
    migrate.upgrade(engine, revision)
    after = migrate.current_revision(engine)
    if before == after:
        console.print(say("cli.db.current", after=after))
    elif before is None:
        console.print(say("cli.db.created", after=after))
    else:
        console.print(say("cli.db.upgraded", before=before, after=after))


@app.command("current", help=say("cli.help.db.current"))
def show_current(as_json: JsonOption = False) -> None:
    """Show the schema revision of the database and the newest one this version ships."""
    engine = get_engine()
    current, head = migrate.current_revision(engine), migrate.head_revision()
    state = {
        "database": engine.url.render_as_string(hide_password=True),
        "current": current,
        "head": head,
        "up_to_date": current == head,
    }
    if as_json:
        print_json(state)
    else:
        shown = state | {
            "up_to_date": say("cli.catalog.yes" if current == head else "cli.catalog.no")
        }
        print_pairs(say("cli.db.schema"), {say(f"cli.db.field.{k}"): v for k, v in shown.items()})
