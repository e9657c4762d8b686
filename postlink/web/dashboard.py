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
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from time import monotonic
from typing import Any

from sqlalchemy import Engine, Select, bindparam, func, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from postlink.legs.status import LegStatus
from postlink.models import Dossier, Leg, LegKind, MatchClass, OutboxCommand, OutboxState
from postlink.settings import Settings
from postlink.sync.status import assess
from postlink.timeutil import local_date, utcnow

#: Statuses of a pickup leg that mean the dossier is at (or handed to) the office.
ARRIVED = (
    LegStatus.AT_DELIVERY_OFFICE,
    LegStatus.OUT_FOR_DELIVERY,
    LegStatus.DELIVERED,
    LegStatus.PARTIALLY_DELIVERED,
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
    #: ``sync.status.assess``: the state, its problems and the unknown status codes.
    sync: dict[str, Any] = field(default_factory=dict)


def legs_with_dossiers() -> Select[Leg, Dossier]:
    """Legs with their dossier (a leg the post created without our code has none)."""
    return sa_select(Leg, Dossier).outerjoin(Dossier, col(Dossier.id) == col(Leg.dossier_id))


#: What a panel row shows (templates/web/_macros.html ``leg_table``), as plain columns: rows
#: of a Core select cost a fraction of ORM objects, which dominated a dashboard view.
LEG_LINE: AnySelect = (
    sa_select(
        col(Leg.id),
        col(Leg.kind),
        col(Leg.reference),
        col(Leg.procedure_code),
        col(Leg.item_code),
        col(Leg.status),
        col(Leg.j_date),
        col(Leg.deadline),
        col(Leg.overdue),
        col(Dossier.code).label("dossier_code"),
        col(Dossier.citizen_name),
        col(Dossier.citizen_phone),
    )
    .select_from(Leg)
    .outerjoin(Dossier, col(Dossier.id) == col(Leg.dossier_id))
)


@dataclass(frozen=True)
class PanelQuery:
    """A panel's rows and its count, built once: the parameters (today's start, the
    excluded panel's first day) are bound per view. ``listing`` is every row in order, for
    the panel's full list (``full_list``); ``rows`` its first ``PANEL_ROWS``."""

    listing: AnySelect
    table: type[Any]
    where: tuple[Any, ...]

    @classmethod
    def of(
        cls, rows: AnySelect, table: type[Any], *where: Any, order: tuple[Any, ...]
    ) -> PanelQuery:
        return cls(rows.where(*where).order_by(*order), table, where)

    @property
    def rows(self) -> AnySelect:
        return self.listing.limit(PANEL_ROWS)

    @property
    def count(self) -> AnySelect:
        return sa_select(func.count()).select_from(self.table).where(*self.where)


ARRIVALS = PanelQuery.of(
    LEG_LINE,
    Leg,
    col(Leg.kind) == LegKind.PICKUP,
    col(Leg.status_at) >= bindparam("today_start"),
    col(Leg.status).in_(list(ARRIVED)),
    order=(col(Leg.status_at).desc(),),
)
PENDING_RESULTS = PanelQuery.of(
    sa_select(
        col(OutboxCommand.dossier_code),
        col(OutboxCommand.reference),
        col(OutboxCommand.state),
        col(OutboxCommand.attempts),
        col(OutboxCommand.last_error),
    ),
    OutboxCommand,
    col(OutboxCommand.state) == OutboxState.PENDING,
    col(OutboxCommand.leg_kind) == LegKind.RETURN,
    order=(col(OutboxCommand.id),),
)
OVERDUE = PanelQuery.of(
    LEG_LINE,
    Leg,
    # "= true", not "IS TRUE": PostgreSQL can only seek an index with the former.
    col(Leg.overdue) == true(),
    col(Leg.closed_at).is_(None),
    order=(col(Leg.deadline), col(Leg.id)),
)
EXCLUDED = PanelQuery.of(
    LEG_LINE,
    Leg,
    col(Leg.match_class) == MatchClass.EXCLUDED,
    col(Leg.j_date) >= bindparam("excluded_since"),
    order=(col(Leg.j_date).desc(),),
)


class JobHealth:
    """``sync.status.assess``: the sync's state, problems and per-job health, re-read at
    most every ``ttl`` seconds.

    Jobs run every 30 seconds or more, so a few seconds of staleness changes nothing a
    person sees, while every dashboard view would otherwise run a dozen more queries.
    """

    def __init__(self, ttl: float = JOB_HEALTH_TTL, clock: Callable[[], float] = monotonic):
        self.ttl, self.clock = ttl, clock
        self._lock = threading.Lock()
        self._read_at = -ttl
        self._report: dict[str, Any] = {}

    def report(self, engine: Engine, settings: Settings) -> dict[str, Any]:
        with self._lock:
            if self.clock() - self._read_at >= self.ttl:
                with Session(engine) as session:
                    self._report = assess(session, settings, utcnow())
                self._read_at = self.clock()
            return self._report


PANELS = (ARRIVALS, PENDING_RESULTS, OVERDUE, EXCLUDED)
#: The four counts in one statement: one round trip to PostgreSQL instead of four.
COUNTS: AnySelect = sa_select(*(query.count.scalar_subquery() for query in PANELS))
PANEL_ROWS_SELECTS = tuple(query.rows for query in PANELS)


def _params(settings: Settings) -> dict[str, Any]:
    today = local_date(utcnow(), settings.tz)
    return {
        "today_start": datetime.combine(today, time(0), tzinfo=settings.tz),
        "excluded_since": today - timedelta(days=EXCLUDED_DAYS),
    }


def build(engine: Engine, settings: Settings, health: JobHealth) -> Dashboard:
    """The panels from one connection, then the job health (which opens its own), so a
    request never holds two pooled connections at once (20 such requests could exhaust the
    pool while each waits for its second)."""
    params = _params(settings)
    with engine.connect() as connection:
        counts = connection.execute(COUNTS, params).one()
        arrivals, pending, overdue, excluded = (  # an empty panel has no rows to read
            Panel(int(count), list(connection.execute(rows, params).all()) if count else [])
            for rows, count in zip(PANEL_ROWS_SELECTS, counts, strict=True)
        )
    sync = health.report(engine, settings)
    return Dashboard(arrivals, pending, overdue, excluded, jobs=sync["jobs"], sync=sync)


# --- A panel's full list ----------------------------------------------------------------

#: Rows per page of a panel's full list.
LIST_ROWS = 50


@dataclass(frozen=True)
class ListSpec:
    """A panel as a full list: its query, its title and the column its filter box matches
    (exactly for a procedure code, by prefix for a dossier code)."""

    query: PanelQuery
    title: str
    filter_label: str
    filter_column: Any
    prefix: bool = False


LISTS: dict[str, ListSpec] = {
    "arrivals": ListSpec(
        ARRIVALS, "Hồ sơ bưu điện chuyển đến hôm nay", "Mã thủ tục", col(Leg.procedure_code)
    ),
    "pending-results": ListSpec(
        PENDING_RESULTS,
        "Kết quả chờ giao cho bưu điện",
        "Mã hồ sơ (hoặc phần đầu)",
        col(OutboxCommand.dossier_code),
        prefix=True,
    ),
    "overdue": ListSpec(
        OVERDUE, "Bưu gửi quá hạn chưa hoàn thành", "Mã thủ tục", col(Leg.procedure_code)
    ),
    "excluded": ListSpec(
        EXCLUDED,
        "Thủ tục không thực hiện qua BCCI đã đến bưu chính (30 ngày)",
        "Mã thủ tục",
        col(Leg.procedure_code),
    ),
}


@dataclass(frozen=True)
class ListPage:
    """One page of a full list: its rows, where they sit among all ``count`` rows."""

    count: int
    rows: list[Any]
    page: int
    pages: int
    first: int


def full_list(
    engine: Engine, settings: Settings, spec: ListSpec, page: int, wanted: str
) -> ListPage:
    """Page ``page`` (from 1) of the panel's rows matching the filter box (empty: all)."""
    query = spec.query
    extra: tuple[Any, ...] = ()
    if wanted:
        column = spec.filter_column
        extra = (column.startswith(wanted, autoescape=True) if spec.prefix else column == wanted,)
    params = _params(settings)
    with engine.connect() as connection:
        count = int(connection.execute(query.count.where(*extra), params).scalar_one())
        pages = max(1, -(-count // LIST_ROWS))
        page = min(page, pages)
        offset = (page - 1) * LIST_ROWS
        rows = list(
            connection.execute(
                query.listing.where(*extra).offset(offset).limit(LIST_ROWS), params
            ).all()
        )
    return ListPage(count, rows, page, pages, offset + 1)
