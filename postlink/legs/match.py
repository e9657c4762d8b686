"""Judge a leg against the procedure list in force at its J date.

QĐ 45/2016/QĐ-TTg art. 1 cl. 2 excludes from postal handling the procedures that need the
person in person, and art. 18 has the province publish which procedures may go through the
post, for submission (pickup leg) and for return (result leg) separately. A leg is judged
against the list in force on its J date (TT 17/2017 art. 7), and keeps that judgement when a
later list is published: re-judging is the explicit ``postlink rematch`` command.

The reason is stored worded from the catalogue (Vietnamese by default), like a list's own
reason, because staff read it on the dossier page and in the exclusions report (issue 14).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from postlink.catalog.resolve import Outcome, Resolver
from postlink.identifiers import IdentifierError
from postlink.models import Dossier, Leg, LegKind, MatchClass
from postlink.timeutil import local_date
from postlink.words import say


@dataclass(frozen=True, slots=True)
class Match:
    match_class: MatchClass
    version_id: int | None
    reason: str
    legal_basis: str


def judge(
    resolver: Resolver,
    *,
    leg: LegKind,
    procedure_code: str | None,
    registered_procedure: str | None,
    agency_code: str,
    on: date,
    tz: ZoneInfo,
) -> Match:
    """Classify one leg; ``registered_procedure`` is what the office registered, if known."""
    if procedure_code and registered_procedure and procedure_code != registered_procedure:
        return Match(
            MatchClass.INVALID,
            None,
            say(
                "match.reason.wrong_procedure",
                found=procedure_code,
                registered=registered_procedure,
            ),
            "",
        )
    code = procedure_code or registered_procedure
    if not code:
        return Match(
            MatchClass.UNKNOWN_PROCEDURE,
            None,
            say("match.reason.no_procedure"),
            "",
        )
    at = datetime.combine(on, time(12), tzinfo=tz)
    try:
        resolution = resolver.resolve(code, at, agency_code or None)
    except IdentifierError:
        return Match(MatchClass.INVALID, None, say("match.reason.bad_code", code=code), "")
    version_id = resolution.version.id if resolution.version else None
    if resolution.outcome is Outcome.NO_LIST_IN_FORCE:
        return Match(
            MatchClass.NO_LIST_IN_FORCE, None, say("match.reason.no_list", day=f"{on:%d/%m/%Y}"), ""
        )
    if resolution.outcome is Outcome.NOT_ON_LIST or resolution.entry is None:
        decision = resolution.version.decision if resolution.version else ""
        return Match(
            MatchClass.UNKNOWN_PROCEDURE,
            version_id,
            say("match.reason.not_on_list", code=code, decision=decision),
            "",
        )
    entry = resolution.entry
    allowed = entry.postal_submission if leg == LegKind.PICKUP else entry.postal_return
    if allowed:
        return Match(MatchClass.ELIGIBLE, version_id, "", "")
    reason = entry.reason or (
        say("match.reason.no_postal_pickup", code=code)
        if leg == LegKind.PICKUP
        else say("match.reason.no_postal_return", code=code)
    )
    return Match(MatchClass.EXCLUDED, version_id, reason, entry.legal_basis)


def match_date(leg: Leg, tz: ZoneInfo) -> date:
    """The leg's J date, or while it is not known yet, the day of its latest status."""
    return leg.j_date or local_date(leg.status_at or leg.created_at, tz)


def judge_leg(resolver: Resolver, leg: Leg, dossier: Dossier | None, tz: ZoneInfo) -> Match:
    """Judge a stored leg and write the result on it."""
    on = match_date(leg, tz)
    result = judge(
        resolver,
        leg=LegKind(leg.kind),
        procedure_code=leg.procedure_code,
        registered_procedure=dossier.procedure_code if dossier else None,
        agency_code=leg.agency_code,
        on=on,
        tz=tz,
    )
    leg.match_class, leg.match_version_id = result.match_class, result.version_id
    leg.match_reason, leg.match_legal_basis = result.reason, result.legal_basis
    leg.matched_on = on
    return result
