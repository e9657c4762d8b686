"""``postlink leg explain``: how a leg's deadline was reached (TT 17/2017 art. 7).

Staff disputing a late item with the post need each step, in Vietnamese, with dates as
dd/mm/yyyy in Vietnam time; ``--json`` gives the same with stable keys for scripts.
"""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlmodel import Session

from postlink.cli.framework import WordedTyper
from postlink.cli.output import JsonOption, console, print_json
from postlink.db import get_engine
from postlink.errors import PostlinkError
from postlink.legs.calendar import CountedDay
from postlink.legs.deadlines import load_policy
from postlink.legs.explain import Explanation, Moment, explain, find_leg
from postlink.reports.formatting import day
from postlink.settings import get_settings
from postlink.timeutil import format_local
from postlink.words import say

app = WordedTyper(help=say("cli.help.leg"), no_args_is_help=True)

#: Vietnamese day-of-week abbreviations, Monday first (date.weekday).
WEEKDAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


@app.command("explain", help=say("cli.help.leg.explain"))
def explain_command(
    reference: Annotated[str, typer.Argument(help=say("cli.arg.leg.reference"))],
    as_json: JsonOption = False,
) -> None:
    """Show the J date and the event that set it, the route and why, n, each day skipped
    or counted, the deadline and the delivery invitations so far."""
    settings = get_settings()
    policy = load_policy(settings.deadlines_file, settings.routes_file)
    with Session(get_engine()) as session:
        leg = find_leg(session, reference)
        if leg is None:
            raise PostlinkError(code="routes.explain.no_leg", reference=reference)
        shown = explain(session, leg, policy, settings.tz)
    if as_json:
        print_json(shown.as_json())
        return
    for line in explanation_lines(shown):
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def explanation_lines(shown: Explanation) -> list[str]:
    """The explanation as staff read it, one fact a line."""
    tz = get_settings().tz
    lines = [
        say(
            "routes.explain.leg",
            reference=shown.reference,
            leg=say(f"routes.explain.kind.{shown.kind}"),
            item=shown.item_code or "—",
        ),
        say("routes.explain.j", j=day(shown.j_date) or "—", event=_moment(shown.j_event, tz)),
        say(
            "routes.explain.route",
            label=shown.route_label or "—",
            why=shown.route_why or "—",
            slip=say("routes.explain.yes" if shown.appointment_slip else "routes.explain.no"),
        ),
        say("routes.explain.n", n="—" if shown.n is None else shown.n),
        *(f"  {_day_line(d)}" for d in shown.days),
        say("routes.explain.deadline", deadline=day(shown.deadline) or "—"),
        say("routes.explain.invitations", count=len(shown.invitations)),
        *(f"  {_moment(m, tz)}" for m in shown.invitations),
        *(f"  {reason}" for reason in shown.invitation_reasons),
    ]
    if shown.overdue:
        lines.append(say("routes.explain.overdue"))
    return lines


def _moment(moment: Moment | None, tz: ZoneInfo) -> str:
    if moment is None:
        return say("routes.explain.no_event")
    return say(
        "routes.explain.event",
        at=format_local(moment.at, tz),
        label=moment.label or moment.status,
        code=moment.code,
    )


def _day_line(counted: CountedDay) -> str:
    when = f"{WEEKDAYS[counted.day.weekday()]} {day(counted.day)}"
    kind = say(f"routes.day.{counted.kind}", holiday=counted.holiday or "", number=counted.number)
    return f"{when}  {kind}"
