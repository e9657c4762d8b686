"""``postlink catalog``: import, review, publish and query the lists of procedures.

This module only parses options and renders results; the rules live in ``postlink.catalog``.
Dates are read as ISO (2026-01-01) or Vietnamese (01/01/2026) and shown as dd/mm/yyyy; a
time without an offset is the province's local time (``POSTLINK_TIMEZONE``).
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.markup import escape
from rich.table import Table

from postlink.catalog.diff import CatalogDiff, Change, ChangeKind, diff_versions
from postlink.catalog.problems import CatalogValidationError, Problem
from postlink.catalog.resolve import Outcome, Resolution, resolve_code
from postlink.catalog.snapshots import EntrySnapshot, VersionSnapshot, eligibility
from postlink.cli.framework import WordedTyper
from postlink.cli.output import (
    JsonOption,
    console,
    err_console,
    print_json,
    print_pairs,
    print_table,
)
from postlink.db import get_engine, session_scope
from postlink.errors import PostlinkError
from postlink.identifiers import parse_agency_code, parse_procedure_code
from postlink.settings import get_settings
from postlink.timeutil import format_local, utcnow
from postlink.words import language, say

# Importing, exporting and editing read spreadsheets: openpyxl on demand. The ORM models, and
# the modules that query them, are imported by the commands that use them too: `catalog
# resolve` reads through SQLAlchemy Core alone (issue 15 §2).
if TYPE_CHECKING:
    from postlink.catalog.importer import ImportOutcome
    from postlink.catalog.publish import ConfirmationNeeded, PublishOutcome, PublishPlan
    from postlink.models import ListVersion

app = WordedTyper(help=say("cli.help.catalog"), no_args_is_help=True)

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
VersionArg = Annotated[str, typer.Argument(help=say("cli.opt.catalog.version"))]
ActorOption = Annotated[str | None, typer.Option("--actor", help=say("cli.opt.catalog.actor"))]


def _say(text: str) -> None:
    """A sentence on stdout, never re-wrapped (scripts grep these) nor read as markup."""
    console.print(escape(text), highlight=False, soft_wrap=True)


def _actor(given: str | None) -> str:
    if given and given.strip():
        return given.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        raise PostlinkError(code="cli.catalog.no_actor") from None


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _window(version: VersionSnapshot | ListVersion) -> str:
    until = _day(version.effective_to) if version.effective_to else say("cli.catalog.open_end")
    return f"{_day(version.effective_from)} → {until}"


def _when(value: datetime | None) -> str:
    return format_local(value, get_settings().tz)


def _mark(flag: bool) -> str:
    return "X" if flag else "-"


def _yes(flag: bool) -> str:
    return say("cli.catalog.yes") if flag else say("cli.catalog.no")


#: The service forms of ``eligibility`` (stable values, kept in JSON) as people read them.
_ELIGIBILITY = {
    "submission and return": "cli.catalog.eligibility.both",
    "submission only": "cli.catalog.eligibility.submission",
    "return only": "cli.catalog.eligibility.return",
    "excluded": "cli.catalog.eligibility.excluded",
}


def _eligible(entry: EntrySnapshot) -> str:
    """Which legs of ``entry`` may go by post, in the catalogue's words."""
    return _form(eligibility(entry))


def _form(value: object) -> str:
    """A service form named by a change (``before``/``after``) in the catalogue's words."""
    code = _ELIGIBILITY.get(str(value))
    return say(code) if code else str(value)


def _status(value: str) -> str:
    """A version's status (draft, published, withdrawn) in the catalogue's words."""
    return say(f"cli.catalog.status.{value}")


def _instant(text: str | None) -> datetime:
    """``--at``: ISO or dd/mm/yyyy [HH:MM]; without an offset it is local time."""
    if text is None:
        return utcnow()
    parsers: tuple[Callable[[str], datetime], ...] = (
        datetime.fromisoformat,
        lambda t: datetime.strptime(t, "%d/%m/%Y %H:%M"),
        lambda t: datetime.strptime(t, "%d/%m/%Y"),
    )
    for parse in parsers:
        try:
            value = parse(text.strip())
        except ValueError:
            continue
        return value if value.tzinfo else value.replace(tzinfo=get_settings().tz)
    raise PostlinkError(code="cli.catalog.bad_at", value=text)


# --- problems and diffs -------------------------------------------------------------------------


def _problem_line(problem: Problem) -> str:
    """Where, what and why: in Vietnamese (the reason written in Vietnamese where the
    problem was found), or in English with ``POSTLINK_LANGUAGE=en``."""
    if language() == "en" or not problem.reason_vi:
        return str(problem)
    parts = [problem.where_vi]
    if problem.column:
        parts.append(say("cli.problem.column", column=problem.column))
    if problem.value:
        shown = problem.value if len(problem.value) <= 80 else problem.value[:77] + "..."
        parts.append(say("cli.problem.value", value=shown))
    return f"{', '.join(parts)}: {problem.reason_vi}"


def _print_problems(problems: list[Problem], omitted: int = 0) -> None:
    """Each problem on one line, naming its row, column, value and reason."""
    for problem in problems:
        colour = "red" if problem.severity == "error" else "yellow"
        label = say("cli.error") if problem.severity == "error" else say("cli.warning")
        err_console.print(
            f"[{colour}]{label}[/{colour}] {escape(_problem_line(problem))}",
            highlight=False,
            soft_wrap=True,
        )
    if omitted:
        err_console.print(say("catalog.omitted", count=omitted), highlight=False)


def _fail_validation(exc: CatalogValidationError, as_json: bool) -> NoReturn:
    """Every problem of the file, then one summary line; nothing was stored."""
    if as_json:
        print_json(
            {
                "code": exc.code,
                "error": str(exc),
                "errors": exc.errors,
                "warnings": exc.warnings,
                "omitted": exc.omitted,
                "problems": [problem.as_dict() for problem in exc.problems],
            }
        )
    else:
        _print_problems(exc.problems, exc.omitted)
        label = say("cli.error")
        err_console.print(f"[red]{label}[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


_HEADINGS = {
    ChangeKind.ADDED: "cli.catalog.kind.added",
    ChangeKind.REMOVED: "cli.catalog.kind.removed",
    ChangeKind.ELIGIBILITY: "cli.catalog.kind.eligibility",
    ChangeKind.RENAMED: "cli.catalog.kind.renamed",
    ChangeKind.REASON: "cli.catalog.kind.reason",
    ChangeKind.DETAILS: "cli.catalog.kind.details",
}


def _change_line(change: Change) -> str:
    who = f"{change.code}" + (f" [{change.agency_code}]" if change.agency_code else "")
    if change.kind is ChangeKind.ADDED:
        return f"{who}  {change.name}: {_form(change.after)}"
    if change.kind is ChangeKind.REMOVED:
        return f"{who}  " + say("cli.catalog.was", name=change.name, before=_form(change.before))
    if change.kind is ChangeKind.ELIGIBILITY:
        return f"{who}  {change.name}: {_form(change.before)} → {_form(change.after)}"
    what = f"{change.attribute}: " if change.kind is ChangeKind.DETAILS else ""
    return f"{who}  {what}{change.before!r} → {change.after!r}"


#: Changes shown per kind in a preview; ``--all`` shows every one.
PREVIEW_CHANGES = 10


def _print_diff(diff: CatalogDiff, title: str, *, show_all: bool = True) -> None:
    """Counts, then each change on one line under its kind (long names wrap badly in tables);
    without ``show_all`` only the first ``PREVIEW_CHANGES`` of each kind."""
    if diff.base is None:
        _say(say("cli.catalog.diff.all_new", title=title, count=len(diff.changes)))
        changes = diff.of_kind(ChangeKind.ADDED)
        shown = changes if show_all else changes[:PREVIEW_CHANGES]
        for change in shown:
            _say("  " + _change_line(change))
        if len(shown) < len(changes):
            _say("  " + say("cli.catalog.diff.more_procedures", count=len(changes) - len(shown)))
        return
    if diff.is_empty:
        _say(say("cli.catalog.diff.none", title=title))
        return
    counts = ", ".join(
        f"{say(_HEADINGS[kind])} {count}" for kind, count in diff.counts.items() if count
    )
    _say(f"{title}: {counts}.")
    for kind, heading in _HEADINGS.items():
        changes = diff.of_kind(kind)
        if changes:
            _say(f"{say(heading)} ({len(changes)}):")
        shown = changes if show_all else changes[:PREVIEW_CHANGES]
        for change in shown:
            _say("  " + _change_line(change))
        if len(shown) < len(changes):
            _say("  " + say("cli.catalog.diff.more_changes", count=len(changes) - len(shown)))


def _base_label(diff: CatalogDiff) -> str:
    if diff.base is None:
        return say("cli.catalog.diff.title")
    return say("cli.catalog.diff.against", id=diff.base.id, decision=diff.base.decision)


def _publish_json(outcome: PublishOutcome) -> dict[str, Any]:
    return {
        "version": outcome.version.as_dict(),
        "shortened": [v.as_dict() for v in outcome.shortened],
        "superseded": [v.as_dict() for v in outcome.superseded],
        "diff": outcome.diff.as_dict(),
        "plan": _plan_json(outcome.plan),
    }


def _print_plan(plan: PublishPlan, *, err: bool = False) -> None:
    """What publishing does (or would do), one line per consequence."""
    out = err_console if err else console
    for line in plan.lines():
        out.print(escape(f"  {line}"), highlight=False, soft_wrap=True)


def _print_publish(outcome: PublishOutcome) -> None:
    """What publishing did, with the real dates of every version it cut or superseded."""
    version, plan = outcome.version, outcome.plan
    _say(
        say(
            "cli.catalog.published",
            id=version.id,
            decision=version.decision,
            start=_day(version.effective_from),
        )
    )
    for other in outcome.shortened:
        _say(
            say(
                "cli.catalog.shortened", id=other.id, decision=other.decision, window=_window(other)
            )
        )
    for before in plan.superseded:
        code = (
            "cli.catalog.superseded"
            if before.effective_from <= plan.today
            else "cli.catalog.superseded_early"
        )
        start = _day(before.effective_from)
        _say(say(code, id=before.id, decision=before.decision, start=start, by=version.id))
    _say(f"{plan.lines()[-1]}.")
    if plan.legs_changed:
        _say(say("cli.catalog.rematch_hint", start=f"{version.effective_from:%Y-%m-%d}"))


def _refuse_unconfirmed(exc: ConfirmationNeeded, as_json: bool) -> NoReturn:
    """Nothing changed: say what publishing would do and how to confirm it."""
    if as_json:
        said = f"{say('cli.catalog.confirm_label')} {say('cli.catalog.confirm_needed')}"
        print_json({"code": exc.code, "error": said, "confirmation_needed": _plan_json(exc.plan)})
    else:
        label = escape(say("cli.catalog.confirm_label"))
        sentence = escape(say("cli.catalog.confirm_needed"))
        err_console.print(f"[red]{label}[/red] {sentence}", highlight=False, soft_wrap=True)
        _print_plan(exc.plan, err=True)
        err_console.print(escape(say("cli.catalog.confirm_how")), highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _plan_json(plan: PublishPlan) -> dict[str, Any]:
    return {
        "version": plan.version.as_dict(),
        "today": plan.today.isoformat(),
        "rewrites_history": plan.rewrites_history,
        "shortened": [
            {"version": before.as_dict(), "new_effective_to": end.isoformat()}
            for before, end in plan.shortened
        ],
        "superseded": [v.as_dict() for v in plan.superseded],
        "legs_checked": plan.legs_checked,
        "legs_changed": plan.legs_changed,
        "lines": [str(line) for line in plan.lines()],
        "line_codes": [{"code": line.code, **line.params} for line in plan.lines()],
    }


def _rematch_after(outcome: PublishOutcome, actor: str) -> dict[str, int]:
    """Re-judge the legs from the new list's date on (audited), after it is committed."""
    from postlink.sync.jobs import build_context  # the sync layer only when asked
    from postlink.sync.rematch import rematch

    ctx = build_context(get_settings())
    version = outcome.version
    with session_scope(ctx.engine) as session:
        return rematch(
            session,
            ctx,
            actor=actor,
            reason=say(
                "cli.catalog.rematch_reason",
                id=version.id,
                decision=version.decision,
                start=_day(version.effective_from),
            ),
            since=version.effective_from,
        )


# --- commands -----------------------------------------------------------------------------------


ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help=say("cli.opt.catalog.force"),
    ),
]
RematchOption = Annotated[
    bool,
    typer.Option(
        "--rematch",
        help=say("cli.opt.catalog.rematch"),
    ),
]
AllOption = Annotated[bool, typer.Option("--all", help=say("cli.opt.catalog.all"))]


@app.command("import", help=say("cli.help.catalog.import"))
def import_command(
    file: Annotated[Path, typer.Argument(help=say("cli.opt.catalog.file"))],
    effective: Annotated[
        datetime, typer.Option(formats=DATE_FORMATS, help=say("cli.opt.catalog.effective"))
    ],
    decision: Annotated[str | None, typer.Option(help=say("cli.opt.catalog.decision"))] = None,
    signed: Annotated[
        datetime | None, typer.Option(formats=DATE_FORMATS, help=say("cli.opt.catalog.signed"))
    ] = None,
    actor: ActorOption = None,
    note: Annotated[str, typer.Option(help=say("cli.opt.catalog.note"))] = "",
    encoding: Annotated[str | None, typer.Option(help=say("cli.opt.catalog.encoding"))] = None,
    sheet: Annotated[str | None, typer.Option(help=say("cli.opt.catalog.sheet"))] = None,
    publish_now: Annotated[
        bool, typer.Option("--publish", help=say("cli.opt.catalog.publish"))
    ] = False,
    force: ForceOption = False,
    rematch: RematchOption = False,
    show_all: AllOption = False,
    as_json: JsonOption = False,
) -> None:
    """Import a list as a draft and show what it changes; --publish also publishes it.

    The whole file is checked first: any error is reported with its row, column and value,
    and nothing is stored.
    """
    from postlink.catalog.importer import import_list
    from postlink.catalog.publish import ConfirmationNeeded

    who = _actor(actor)
    try:
        with session_scope() as session:
            outcome = import_list(
                session,
                file,
                decision=decision,
                effective_from=effective.date(),
                signed_on=signed.date() if signed else None,
                actor=who,
                note=note,
                encoding=encoding,
                sheet=sheet,
                publish_now=publish_now,
                force=force,
                confirm=force,
            )
    except CatalogValidationError as exc:
        _fail_validation(exc, as_json)
    except ConfirmationNeeded as exc:
        _refuse_unconfirmed(exc, as_json)
    rematched = _rematch_after(outcome.published, who) if rematch and outcome.published else None
    if as_json:
        print_json(_import_json(outcome) | {"rematch": rematched})
        return
    # Procedures that leave the list are warnings too, but the diff below lists them.
    _print_problems(outcome.parsed.problems.warnings_kept, outcome.parsed.problems.omitted)
    parsed, version = outcome.parsed, outcome.version
    _say(
        say(
            "cli.catalog.read",
            count=len(parsed.entries),
            source=parsed.source_name,
            how=parsed.description,
        )
    )
    if decision is None or outcome.reused:
        _say(
            say("cli.catalog.decision", decision=version.decision)
            + (" " + say("cli.catalog.decision_from_title") if decision is None else "")
            + (
                say("cli.catalog.signed_on", day=_day(version.signed_on))
                if version.signed_on
                else ""
            )
        )
    if outcome.reused:
        _say(say("cli.catalog.reused", id=version.id))
    _print_diff(outcome.diff, _base_label(outcome.diff), show_all=show_all)
    if outcome.published is not None:
        _print_publish(outcome.published)
        if rematched is not None:
            _print_rematched(rematched)
    else:
        _say(
            say(
                "cli.catalog.stored",
                id=version.id,
                decision=version.decision,
                start=_day(version.effective_from),
            )
        )


def _print_rematched(counts: dict[str, int]) -> None:
    """What re-judging the legs changed, one count per outcome."""
    print_pairs(say("cli.rematch.title"), counts)


def _import_json(outcome: ImportOutcome) -> dict[str, Any]:
    return {
        "version": outcome.version.as_dict() | {"status": outcome.status},
        "source": {
            "name": outcome.parsed.source_name,
            "sha256": outcome.parsed.sha256,
            "read_as": str(outcome.parsed.description),
            "read_as_code": outcome.parsed.description.code,
            "entries": len(outcome.parsed.entries),
        },
        "warnings": [problem.as_dict() for problem in outcome.warnings],
        "diff": outcome.diff.as_dict(),
        "published": _publish_json(outcome.published) if outcome.published else None,
        "reused_draft": outcome.reused,
    }


@app.command("publish", help=say("cli.help.catalog.publish"))
def publish_command(
    version: VersionArg,
    actor: ActorOption = None,
    force: ForceOption = False,
    rematch: RematchOption = False,
    show_all: AllOption = False,
    as_json: JsonOption = False,
) -> None:
    """Publish a draft: from its effective date it is the list in force.

    A date in the past that changes what is already recorded asks for --force, after
    saying which versions are cut or superseded and how many legs would be judged
    differently.
    """
    from postlink.catalog.publish import ConfirmationNeeded, publish
    from postlink.catalog.versions import find_version

    who = _actor(actor)
    try:
        with session_scope() as session:
            outcome = publish(
                session, find_version(session, version), actor=who, force=force, confirm=force
            )
    except ConfirmationNeeded as exc:
        _refuse_unconfirmed(exc, as_json)
    rematched = _rematch_after(outcome, who) if rematch else None
    if as_json:
        print_json(_publish_json(outcome) | {"rematch": rematched})
        return
    _print_diff(outcome.diff, _base_label(outcome.diff), show_all=show_all)
    _print_publish(outcome)
    if rematched is not None:
        _print_rematched(rematched)


@app.command("withdraw", help=say("cli.help.catalog.withdraw"))
def withdraw_command(
    version: VersionArg,
    reason: Annotated[str, typer.Option(help=say("cli.opt.catalog.withdraw_reason"))],
    actor: ActorOption = None,
    force: Annotated[
        bool, typer.Option("--force", help=say("cli.opt.catalog.withdraw_force"))
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Withdraw a draft or a published version; its window goes back to the one before.

    Leaving dates with no list in force asks for --force, after saying which dates.
    """
    from postlink.catalog.publish import withdraw
    from postlink.catalog.versions import find_version

    with session_scope() as session:
        outcome = withdraw(
            session,
            find_version(session, version),
            actor=_actor(actor),
            reason=reason,
            confirm=force,
        )
    if as_json:
        print_json(
            {
                "version": outcome.version.as_dict(),
                "extended": outcome.extended.as_dict() if outcome.extended else None,
            }
        )
        return
    _say(say("cli.catalog.withdrawn", id=outcome.version.id, decision=outcome.version.decision))
    if outcome.extended is not None:
        extended = outcome.extended
        window = _window(extended)
        _say(say("cli.catalog.extended", id=extended.id, decision=extended.decision, window=window))


def _version_json(version: ListVersion) -> dict[str, Any]:
    return version.model_dump(mode="json")


@app.command("list", help=say("cli.help.catalog.list"))
def list_command(as_json: JsonOption = False) -> None:
    """All list versions, newest first; * marks the one in force today."""
    from postlink.catalog.versions import all_versions, in_force_on

    today = utcnow().astimezone(get_settings().tz).date()
    with session_scope() as session:
        versions = all_versions(session)
        current = in_force_on(session, today)
    current_id = current.id if current else None
    if as_json:
        print_json([_version_json(v) | {"in_force_today": v.id == current_id} for v in versions])
        return
    columns = ("id", "decision", "from", "until", "status", "count", "by")
    print_table(
        say("cli.catalog.versions", today=_day(today)),
        [say(f"cli.col.{column}") for column in columns],
        (
            (
                f"{v.id}*" if v.id == current_id else v.id,
                v.decision,
                _day(v.effective_from),
                _day(v.effective_to),
                _status(v.status),
                v.entry_count,
                v.published_by or v.imported_by,
            )
            for v in versions
        ),
    )


def _print_entries(entries: list[EntrySnapshot]) -> None:
    """Entries with the code and marks never wrapped: a cut code is a wrong code."""
    table = Table(title=say("cli.catalog.entries"), title_justify="left")
    table.add_column(say("cli.col.code"), no_wrap=True)
    table.add_column(say("cli.col.name"))
    table.add_column(say("cli.col.field"))
    table.add_column(say("cli.col.level"), no_wrap=True)
    table.add_column(say("cli.col.submission"), no_wrap=True)
    table.add_column(say("cli.col.return"), no_wrap=True)
    table.add_column(say("cli.col.reason"))
    for entry in entries:
        code = entry.code_raw or entry.code
        table.add_row(
            code + (f"\n@{entry.agency_code}" if entry.agency_code else ""),
            entry.name,
            entry.field,
            _level(entry),
            _mark(entry.postal_submission),
            _mark(entry.postal_return),
            entry.reason,
        )
    console.print(table)


def _level(entry: EntrySnapshot) -> str:
    """The level of government handling a procedure, as the reports name it."""
    return say(f"report.level.{entry.level.value}") if entry.level else ""


@app.command("show", help=say("cli.help.catalog.show"))
def show_command(version: VersionArg, as_json: JsonOption = False) -> None:
    """One version: its decision, window, status and every entry."""
    from postlink.catalog.versions import entries_of, find_version

    with session_scope() as session:
        found = find_version(session, version)
        entries = entries_of(session, found)
    if as_json:
        print_json({"version": _version_json(found), "entries": [e.as_dict() for e in entries]})
        return
    excluded = sum(1 for e in entries if eligibility(e) == "excluded")
    fields = {
        "decision": found.decision,
        "signed_on": _day(found.signed_on),
        "in_force": _window(found),
        "status": _status(found.status),
        "procedures": say("cli.catalog.procedures", count=len(entries), excluded=excluded),
        "source": f"{found.source_name} (sha256 {found.source_sha256[:12]}…)",
        "imported": f"{found.imported_by} {_when(found.imported_at)}",
        "published": f"{found.published_by or ''} {_when(found.published_at)}".strip(),
        "withdrawn": f"{found.withdrawn_by or ''} {_when(found.withdrawn_at)} "
        f"{found.withdraw_reason or ''}".strip(),
        "note": found.note,
    }
    print_pairs(
        say("cli.catalog.version", id=found.id),
        {say(f"cli.catalog.field.{name}"): value for name, value in fields.items()},
    )
    _print_entries(entries)


@app.command("diff", help=say("cli.help.catalog.diff"))
def diff_command(
    old: Annotated[str, typer.Argument(help=say("cli.opt.catalog.old"))],
    new: Annotated[str, typer.Argument(help=say("cli.opt.catalog.new"))],
    as_json: JsonOption = False,
) -> None:
    """What changed from version OLD to version NEW."""
    from postlink.catalog.versions import find_version

    with session_scope() as session:
        before, after = find_version(session, old), find_version(session, new)
        diff = diff_versions(session, before, after)
    if as_json:
        print_json(diff.as_dict() | {"from": before.id, "to": after.id})
        return
    _print_diff(
        diff,
        say(
            "cli.catalog.diff.between",
            old=before.id,
            old_decision=before.decision,
            new=after.id,
            new_decision=after.decision,
        ),
    )


def _resolution_json(
    code: str, at: datetime, agency: str | None, answer: Resolution
) -> dict[str, Any]:
    """The entry's fields at the top level (null when not found), the version nested."""
    if answer.entry is not None:
        entry = answer.entry.as_dict()
    else:
        entry = dict.fromkeys(EntrySnapshot.__dataclass_fields__)
        entry["code"] = parse_procedure_code(code).base
    return {
        "outcome": answer.outcome.value,
        "query": {"code": code, "at": at.isoformat(), "agency": agency},
        **entry,
        "version": answer.version.as_dict() if answer.version else None,
    }


@app.command("resolve", help=say("cli.help.catalog.resolve"))
def resolve_command(
    code: Annotated[str, typer.Argument(help=say("cli.opt.catalog.code"))],
    at: Annotated[str | None, typer.Option(help=say("cli.opt.catalog.at"))] = None,
    agency: Annotated[str | None, typer.Option(help=say("cli.opt.catalog.agency"))] = None,
    as_json: JsonOption = False,
) -> None:
    """Whether a procedure could go through the post at a time, under the list then in force."""
    instant = _instant(at)
    try:
        if agency:
            parse_agency_code(agency)  # a typo here should be said, not answered generally
        with get_engine().connect() as connection:
            answer = resolve_code(connection, code, instant, agency)
    except ValueError as exc:
        raise PostlinkError(str(exc)) from None
    if as_json:
        print_json(_resolution_json(code, instant, agency, answer))
        return
    local = instant.astimezone(get_settings().tz)
    when = f"{local:%d/%m/%Y %H:%M} ({get_settings().timezone})"
    if answer.outcome is Outcome.NO_LIST_IN_FORCE:
        _say(say("cli.catalog.no_list", when=when))
        return
    version = answer.version
    assert version is not None  # FOUND and NOT_ON_LIST always name the version in force
    in_force = say(
        "cli.catalog.in_force", id=version.id, decision=version.decision, window=_window(version)
    )
    if answer.entry is None:
        _say(say("cli.catalog.not_on_list", code=code, when=when, version=in_force))
        return
    entry = answer.entry
    fields = {
        "name": entry.name,
        "field_level": f"{entry.field} / {_level(entry)}",
        "agency": f"{entry.agency} {entry.agency_code}".strip(),
        "submission": _yes(entry.postal_submission),
        "return": _yes(entry.postal_return),
        "eligibility": _eligible(entry),
        "reason": entry.reason,
        "legal_basis": entry.legal_basis,
        "list": in_force,
    }
    print_pairs(
        say("cli.catalog.on", code=entry.code, when=when),
        {say(f"cli.catalog.field.{name}"): value for name, value in fields.items()},
    )


@app.command("export", help=say("cli.help.catalog.export"))
def export_command(
    version: VersionArg,
    output: Annotated[Path, typer.Option("--output", "-o", help=say("cli.opt.catalog.output"))],
) -> None:
    """Write a version as .xlsx or .csv (it re-imports to the same list)."""
    from postlink.catalog.export import export_version
    from postlink.catalog.versions import find_version

    with session_scope() as session:
        found = find_version(session, version)
        count = export_version(session, found, output)
    _say(say("cli.catalog.wrote", count=count, id=found.id, decision=found.decision, path=output))


@app.command("history", help=say("cli.help.catalog.history"))
def history_command(
    code: Annotated[str, typer.Argument(help=say("cli.opt.catalog.code"))],
    as_json: JsonOption = False,
) -> None:
    """How one procedure's eligibility changed across list versions."""
    from postlink.catalog.history import procedure_history

    try:
        with session_scope() as session:
            base, steps = procedure_history(session, code)
    except ValueError as exc:
        raise PostlinkError(str(exc)) from None
    if as_json:
        print_json(
            {
                "code": base,
                "versions": [
                    {
                        "version": step.version.as_dict(),
                        "status": step.status,
                        "entries": [entry.as_dict() for entry in step.entries],
                        "changes": [change.as_dict() for change in step.changes],
                    }
                    for step in steps
                ],
            }
        )
        return
    _say(say("cli.catalog.history", code=base, count=len(steps)))
    for step in steps:
        version = step.version
        kinds = sorted({change.kind for change in step.changes})
        changed = ", ".join(say(_HEADINGS[kind]) for kind in kinds)
        line = say(
            "cli.catalog.history_step",
            id=version.id,
            decision=version.decision,
            window=_window(version),
            status=_status(step.status),
        )
        _say(line + ("; " + say("cli.catalog.changed", kinds=changed) if kinds else ""))
        for entry in step.entries:
            agency = f"[{entry.agency_code}] " if entry.agency_code else ""
            reason = f": {entry.reason}" if entry.reason else ""
            _say(f"  {agency}{_eligible(entry)}{reason}")
        if not step.entries:
            _say("  " + say("cli.catalog.not_listed"))


@app.command("edit", help=say("cli.help.catalog.edit"))
def edit_command(
    version: VersionArg,
    code: Annotated[str, typer.Argument(help=say("cli.opt.catalog.entry_code"))],
    why: Annotated[str, typer.Option(help=say("cli.opt.catalog.why"))],
    agency: Annotated[str, typer.Option(help=say("cli.opt.catalog.entry_agency"))] = "",
    name: Annotated[str | None, typer.Option(help=say("cli.opt.catalog.name"))] = None,
    submission: Annotated[
        bool | None,
        typer.Option("--submission/--no-submission", help=say("cli.opt.catalog.submission")),
    ] = None,
    result: Annotated[
        bool | None, typer.Option("--return/--no-return", help=say("cli.opt.catalog.return"))
    ] = None,
    reason: Annotated[str | None, typer.Option(help=say("cli.opt.catalog.reason"))] = None,
    legal_basis: Annotated[
        str | None, typer.Option(help=say("cli.opt.catalog.legal_basis"))
    ] = None,
    note: Annotated[str | None, typer.Option(help=say("cli.opt.catalog.entry_note"))] = None,
    actor: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """Correct one entry of a draft before publishing it (published lists are never edited)."""
    from postlink.catalog.edit import edit_entry
    from postlink.catalog.versions import find_version

    given: dict[str, str | bool | None] = {
        "name": name,
        "postal_submission": submission,
        "postal_return": result,
        "reason": reason,
        "legal_basis": legal_basis,
        "note": note,
    }
    changes = {attribute: value for attribute, value in given.items() if value is not None}
    with session_scope() as session:
        before, after = edit_entry(
            session,
            find_version(session, version),
            code,
            changes,
            actor=_actor(actor),
            why=why,
            agency=agency,
        )
    if as_json:
        print_json({"before": before.as_dict(), "after": after.as_dict()})
        return
    print_table(
        say("cli.catalog.edited", code=after.code, version=version),
        (say("cli.col.attribute"), say("cli.col.before"), say("cli.col.after")),
        (
            (attribute, getattr(before, attribute), getattr(after, attribute))
            for attribute in changes
        ),
    )
