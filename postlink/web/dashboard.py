"""What the staff dashboard shows: what needs a person today.

Each panel is one count and the first rows of one indexed query, so the page stays fast on
millions of legs (bench/web_bench.py): today's arrivals from the post (pickup legs that
reached the office's delivery point today), results waiting to be handed to the post
(pending return commands in the outbox), overdue open legs (TT 17/2017 art. 7 deadlines),
legs of procedures excluded from postal handling (QĐ 45/2016 art. 1 cl. 2), and the last
successful run of each sync job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, Select, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from postlink.models import Dossier, Leg, LegKind, MatchClass, OutboxCommand, OutboxState
from postlink.postal.models import NormalizedStatus
from postlink.settings import Settings
from postlink.sync.status import collect
from postlink.timeutil import local_date, utcnow

#: Statuses of a pickup leg that mean the dossier is at (or handed to) the office.
ARRIVED = (
    NormalizedStatus.AT_DELIVERY_OFFICE,
    NormalizedStatus.OUT_FOR_DELIVERY,
    NormalizedStatus.DELIVERED,
    NormalizedStatus.PARTIALLY_DELIVERED,
)
#: Rows shown per panel; the count above it says how many there are in all.
PANEL_ROWS = 20
#: Days back the excluded-procedure panel looks (by J date).
EXCLUDED_DAYS = 30

LegRow = tuple[Leg, Dossier | None]
AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class Panel:
    count: int
    rows: list[Any]


@dataclass(frozen=True)
class Dashboard:
    arrivals: Panel
    pending_results: Panel
    overdue: Panel
    excluded: Panel
    jobs: list[dict[str, Any]]


def legs_with_dossiers() -> Select[Leg, Dossier]:
    """Legs with their dossier (a leg the post created without our code has none)."""
    return sa_select(Leg, Dossier).outerjoin(Dossier, col(Dossier.id) == col(Leg.dossier_id))


def _panel(session: Session, rows: AnySelect, count: AnySelect) -> Panel:
    found = list(session.execute(rows.limit(PANEL_ROWS)).all())
    return Panel(int(session.execute(count).scalar_one()), [tuple(row) for row in found])


def build(engine: Engine, settings: Settings) -> Dashboard:
    """The panels from one session, then the job health (which opens its own), so a request
    never holds two pooled connections at once (20 such requests could exhaust the pool
    while each waits for its second)."""
    with Session(engine) as session:
        panels = _panels(session, settings)
    return Dashboard(*panels, jobs=collect(engine, settings)["jobs"])


def _panels(session: Session, settings: Settings) -> tuple[Panel, Panel, Panel, Panel]:
    now = utcnow()
    today = local_date(now, settings.tz)
    since = datetime.combine(today, time(0), tzinfo=settings.tz)
    arrived = (
        col(Leg.kind) == LegKind.PICKUP,
        col(Leg.status_at) >= since,
        col(Leg.status).in_(list(ARRIVED)),
    )
    pending = (
        col(OutboxCommand.state) == OutboxState.PENDING,
        col(OutboxCommand.leg_kind) == LegKind.RETURN,
    )
    overdue = (col(Leg.overdue).is_(True), col(Leg.closed_at).is_(None))
    excluded = (
        col(Leg.match_class) == MatchClass.EXCLUDED,
        col(Leg.j_date) >= today - timedelta(days=EXCLUDED_DAYS),
    )
    count = select(func.count()).select_from(Leg)
    return (
        _panel(
            session,
            legs_with_dossiers().where(*arrived).order_by(col(Leg.status_at).desc()),
            count.where(*arrived),
        ),
        _panel(
            session,
            select(OutboxCommand).where(*pending).order_by(col(OutboxCommand.id)),
            select(func.count()).select_from(OutboxCommand).where(*pending),
        ),
        _panel(
            session,
            legs_with_dossiers().where(*overdue).order_by(col(Leg.deadline), col(Leg.id)),
            count.where(*overdue),
        ),
        _panel(
            session,
            legs_with_dossiers().where(*excluded).order_by(col(Leg.j_date).desc()),
            count.where(*excluded),
        ),
    )
