"""``postlink config``: what the program will run with."""

from __future__ import annotations

from postlink.cli.framework import WordedTyper
from postlink.cli.output import JsonOption, print_json, print_pairs
from postlink.settings import get_settings, masked
from postlink.words import say

app = WordedTyper(help=say("cli.help.config"), no_args_is_help=True)


@app.command("show", help=say("cli.help.config.show"))
def show(as_json: JsonOption = False) -> None:
    """Print the effective settings (environment over .env over defaults), secrets masked."""
    values = masked(get_settings())
    if as_json:
        print_json(values)
    else:
        print_pairs(say("cli.config.title"), values)
