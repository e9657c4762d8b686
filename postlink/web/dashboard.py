"""What the staff dashboard shows: what needs a person today.

Each panel is one count and the first rows of one indexed query, so the page stays fast on
millions of legs (bench/web_bench.py): today's arrivals from the post (pickup legs that
reached the office's delivery point today), results waiting to be handed to the post
(pending return commands in the outbox), overdue open legs (TT 17/2017 art. 7 deadlines),
legs of procedures excluded from postal handling (QĐ 45/2016 art. 1 cl. 2), and the last
successful run of each sync job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from time import monotonic
from typing import Any

from sqlalchemy import Engine, Select, func, true
from sqlalchemy import select as sa_select
from sqlalchemy.orm import load_only
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
#: Seconds the job health shown on the dashboard may be old.
JOB_HEALTH_TTL = 5.0

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


#: What a panel row shows (templates/web/_macros.html): loading only these columns keeps a
#: dashboard view cheap under load.
_LEG_SHOWN = (
    "id",
    "kind",
    "reference",
    "procedure_code",
    "item_code",
    "status",
    "j_date",
    "deadline",
    "overdue",
)
_DOSSIER_SHOWN = ("code", "citizen_name", "citizen_phone")


def _only(model: type[Any], names: tuple[str, ...]) -> Any:
    return load_only(*(getattr(model, name) for name in names))


def panel_rows() -> Select[Leg, Dossier]:
    return legs_with_dossiers().options(_only(Leg, _LEG_SHOWN), _only(Dossier, _DOSSIER_SHOWN))


def _panel(session: Session, rows: AnySelect, count: AnySelect) -> Panel:
    found = list(session.execute(rows.limit(PANEL_ROWS)).all())
    return Panel(int(session.execute(count).scalar_one()), [tuple(row) for row in found])


class JobHealth:
    """``sync.status.collect``'s per-job health, re-read at most every ``ttl`` seconds.

    Jobs run every 30 seconds or more, so a few seconds of staleness changes nothing a
    person sees, while every dashboard view would otherwise run a dozen more queries.
    """

    def __init__(self, ttl: float = JOB_HEALTH_TTL, clock: Callable[[], float] = monotonic):
        self.ttl, self.clock = ttl, clock
        self._lock = threading.Lock()
        self._read_at = -ttl
        self._jobs: list[dict[str, Any]] = []

    def jobs(self, engine: Engine, settings: Settings) -> list[dict[str, Any]]:
        with self._lock:
            if self.clock() - self._read_at >= self.ttl:
                self._jobs = collect(engine, settings)["jobs"]
                self._read_at = self.clock()
            return self._jobs


def build(engine: Engine, settings: Settings, health: JobHealth) -> Dashboard:
    """The panels from one session, then the job health (which opens its own), so a request
    never holds two pooled connections at once (20 such requests could exhaust the pool
    while each waits for its second)."""
    with Session(engine) as session:
        panels = _panels(session, settings)
    return Dashboard(*panels, jobs=health.jobs(engine, settings))


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
    # "= true", not "IS TRUE": PostgreSQL can only seek an index with the former.
    overdue = (col(Leg.overdue) == true(), col(Leg.closed_at).is_(None))
    excluded = (
        col(Leg.match_class) == MatchClass.EXCLUDED,
        col(Leg.j_date) >= today - timedelta(days=EXCLUDED_DAYS),
    )
    count = select(func.count()).select_from(Leg)
    return (
        _panel(
            session,
            panel_rows().where(*arrived).order_by(col(Leg.status_at).desc()),
            count.where(*arrived),
        ),
        _panel(
            session,
            select(OutboxCommand).where(*pending).order_by(col(OutboxCommand.id)),
            select(func.count()).select_from(OutboxCommand).where(*pending),
        ),
        _panel(
            session,
            panel_rows().where(*overdue).order_by(col(Leg.deadline), col(Leg.id)),
            count.where(*overdue),
        ),
        _panel(
            session,
            panel_rows().where(*excluded).order_by(col(Leg.j_date).desc()),
            count.where(*excluded),
        ),
    )
