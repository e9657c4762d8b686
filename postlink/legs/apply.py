"""Apply what the post reports (a feed page or a webhook) to dossiers, legs and events.

One call is one transaction: quarantined records, dossiers, legs, events, matches and,
for a feed page, the feed cursor commit together or not at all. A worker killed at any
instant therefore resumes from the last committed cursor and re-reads at most one page,
which is harmless because every write here is an idempotent upsert:

* a leg is keyed by (adapter, reference), an event by (item, raw code, occurred-at);
* a leg's status is re-folded from all its stored events plus its previous state
  (``lifecycle.fold``), so replays and out-of-order records cannot move it backwards.

Network calls (tracking history) happen before the transaction opens, so a slow post
never holds database locks.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Container, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, bindparam
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select as sa_select
from sqlalchemy.orm.base import NO_VALUE
from sqlalchemy.types import UserDefinedType
from sqlmodel import Session, col, select

from postlink.catalog.resolve import Resolver
from postlink.identifiers import IdentifierError, canonical_procedure_code, parse_dossier_code
from postlink.legs import invitations
from postlink.legs.deadlines import DeadlinePolicy
from postlink.legs.fingerprint import dossier_inputs, leg_digest, rules_digest
from postlink.legs.lifecycle import Step, fold
from postlink.legs.match import judge_leg
from postlink.legs.route_table import INTRA_PROVINCE
from postlink.legs.routes import choose_route, leg_ends
from postlink.legs.status import LegStatus
from postlink.models import Dossier, Event, Leg, LegKind, Quarantined, SyncCursor
from postlink.postal import exchange_log
from postlink.postal.adapter import PostalAdapter
from postlink.postal.models import Event as PostalEvent
from postlink.postal.models import Order, Party
from postlink.postal.models import Quarantined as PostalQuarantined
from postlink.timeutil import local_date, require_aware, utcnow
from postlink.upsert import insert_for

EVENTS = Event.__table__  # type: ignore[attr-defined]
LEGS = Leg.__table__  # type: ignore[attr-defined]
DOSSIERS = Dossier.__table__  # type: ignore[attr-defined]
CURSORS = SyncCursor.__table__  # type: ignore[attr-defined]


def _field_defaults() -> dict[str, Any]:
    """Each leg column's default as ``Leg(...)`` sets it; a column whose default is made
    per leg (a factory) must be given by ``_new_leg``'s caller, so it is left out here."""
    defaults: dict[str, Any] = {}
    for name, field in Leg.model_fields.items():
        if name != "id" and field.default_factory is None and not field.is_required():
            defaults[name] = field.get_default()
    return defaults


_LEG_DEFAULTS = _field_defaults()


class _NewLeg:
    """A leg about to be inserted, its columns as plain attributes.

    ``_create_legs`` fills in every column of each new leg through the same functions that
    update a stored ``Leg`` (they only read and set attributes), then inserts the rows in one
    executemany. Built as a SQLModel ``Leg``, each of the thirty-odd attributes set went
    through pydantic and the ORM's instrumentation: 224,000 ``__setattr__`` calls for 3,000
    orders, a third of a backfill's page writes (issue 15 §3 profile, backfill15).
    """

    id: int | None

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(_LEG_DEFAULTS, **values)

    def row(self) -> dict[str, Any]:
        """The columns to insert, as ``Leg.model_dump(exclude={"id"})`` gives them."""
        return {name: value for name, value in self.__dict__.items() if name != "id"}


def _new_leg(**values: Any) -> Leg:
    """A ``_NewLeg`` seen as the ``Leg`` it will be stored as (see ``_NewLeg``)."""
    return cast(Leg, _NewLeg(values))


#: Tracking-history calls in flight at once during a pull (one HTTP call per item).
HISTORY_FETCHERS = 4


@dataclass(frozen=True)
class SyncContext:
    """What applying needs besides the data: where, which adapter, which rules."""

    engine: Engine
    adapter: PostalAdapter
    resolver: Resolver
    policy: DeadlinePolicy
    tz: ZoneInfo

    @cached_property
    def rules(self) -> bytes:
        """The rules records are applied with, once per context (``legs/fingerprint.py``)."""
        return rules_digest(self.adapter.table, self.policy, self.tz)


def legless_reason(reference: str) -> str:
    """Why an order that names no leg is quarantined (the pull's and the replay's word)."""
    return (
        f"đơn {reference}: không rõ là chiều nhận hồ sơ hay trả kết quả"
        f" (order {reference}: cannot tell pickup from return)"
    )


def newest_per_reference(orders: Iterable[Order]) -> list[Order]:
    """One order per reference: the most recently updated (feeds repeat and reorder)."""
    newest: dict[str, Order] = {}
    oldest = datetime.min.replace(tzinfo=ZoneInfo("UTC"))
    for order in orders:
        kept = newest.get(order.reference)
        if kept is None or (order.updated_at or oldest) >= (kept.updated_at or oldest):
            newest[order.reference] = order
    return list(newest.values())


def orders_needing_history(session: Session, adapter: str, orders: Sequence[Order]) -> list[Order]:
    """Orders whose tracking may hold events we lack: new to us, or updated at the post after
    the newest event we store.

    The update time, not the status, is the signal: a fee paid after pickup or a
    cancellation fee after a cancellation adds an event but leaves the status as it was, and
    an order first seen in the answer to our own CreateOrder has its status but none of its
    events yet. The feed's date window is built on that same update time. Tracking events
    carry whole minutes, so the update time is compared to the minute. Without an update
    time only a status we have not seen tells.
    """
    query = sa_select(LEGS.c.reference, LEGS.c.raw_status, LEGS.c.last_event_at).where(
        LEGS.c.adapter == adapter, LEGS.c.reference.in_([o.reference for o in orders])
    )  # Core: an ORM select of the same columns cost a third more for an empty poll's page
    known = {
        reference: (raw_status, last_event_at)
        for reference, raw_status, last_event_at in session.connection().execute(query)
    }
    seen = _unknown_codes_stored(session, adapter, orders)
    return [
        o
        for o in orders
        if o.item_code
        and (o.reference, o.raw_status) not in seen
        and _may_have_moved(o, known.get(o.reference))
    ]


def _unknown_codes_stored(
    session: Session, adapter: str, orders: Sequence[Order]
) -> set[tuple[str, str]]:
    """(reference, code) of undated records showing an unmapped code already stored as an
    event of their leg. An unknown code never becomes the leg's status (the fold skips it),
    so without this such a record would differ from the leg, and be fetched, every pass."""
    unsure = [o for o in orders if o.updated_at is None and o.status == "unknown"]
    if not unsure:
        return set()
    query = (
        select(Leg.reference, Event.raw_code)
        .join(Event, col(Event.leg_id) == col(Leg.id))
        .where(
            col(Leg.adapter) == adapter,
            col(Leg.reference).in_([o.reference for o in unsure]),
            col(Event.status) == "unknown",
            col(Event.raw_code).in_({o.raw_status for o in unsure}),
        )
    )
    return {(reference, code) for reference, code in session.exec(query).all()}


def _may_have_moved(order: Order, known: tuple[str, datetime | None] | None) -> bool:
    if known is None:
        return True
    raw_status, last_event_at = known
    if order.updated_at is None:
        return order.raw_status != raw_status
    updated = order.updated_at.replace(second=0, microsecond=0)
    return last_event_at is None or updated > last_event_at


def fetch_histories(
    adapter: PostalAdapter, orders: Sequence[Order]
) -> tuple[dict[str, list[PostalEvent]], list[PostalQuarantined]]:
    """Tracking events of each changed order's item: one call per item, a few at a time.

    The post answers one item per call, so a backfill is thousands of round trips; run one
    after the other, the sync waited on the network and the post in turn. A small pool
    overlaps them while staying polite to the post (``HISTORY_FETCHERS`` calls in flight).
    The first failure cancels the calls not yet started and is raised: the page is then
    not applied and is read again on the next run. The calls' exchange-log rows are written
    together at the end (``exchange_log.batched``), not one transaction each.
    """
    codes = list(dict.fromkeys(o.item_code for o in orders if o.item_code))
    events: dict[str, list[PostalEvent]] = {}
    quarantined: list[PostalQuarantined] = []
    if not codes:
        return events, quarantined
    workers = min(HISTORY_FETCHERS, len(codes))
    with (
        exchange_log.batched(),
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="postal-history") as pool,
    ):
        try:
            for code, (found, bad) in zip(codes, pool.map(adapter.history, codes), strict=True):
                events[code] = found
                quarantined.extend(bad)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    return events, quarantined


def _citizen(order: Order) -> Party:
    """The citizen is the sender of a dossier and the receiver of a result."""
    return order.receiver if order.leg == LegKind.RETURN else order.sender


def _agency_of(dossier_code: str) -> str:
    try:
        return parse_dossier_code(dossier_code).unit.text
    except IdentifierError:
        return ""


@lru_cache(maxsize=4096)
def _canonical(code: str | None) -> str | None:
    """Procedure codes repeat across a page's orders: each is made canonical once."""
    return canonical_procedure_code(code) if code else None


def _upsert_dossiers(session: Session, orders: Sequence[Order]) -> dict[str, Dossier]:
    """Create dossiers first seen in these orders; return all of them by code."""
    codes = sorted({o.dossier_code for o in orders if o.dossier_code})
    if not codes:
        return {}
    rows: list[dict[str, Any]] = []
    for order in {o.dossier_code: o for o in orders if o.dossier_code}.values():
        assert order.dossier_code is not None
        citizen = _citizen(order)
        rows.append(
            {
                "code": order.dossier_code,
                "procedure_code": _canonical(order.procedure_code),
                "procedure_code_raw": order.procedure_code or "",
                "procedure_name": order.procedure_name,
                "agency_code": _agency_of(order.dossier_code),
                "citizen_name": citizen.name,
                "citizen_phone": citizen.phone,
                "citizen_address": citizen.address,
                "commune_code": citizen.commune_code,
                "channel": "post",
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
        )
    connection = session.connection()
    connection.execute(
        insert_for(connection, DOSSIERS).on_conflict_do_nothing(index_elements=[DOSSIERS.c.code]),
        rows,
    )
    found = session.exec(select(Dossier).where(col(Dossier.code).in_(codes))).all()
    return {d.code: d for d in found}


def _legs(session: Session, adapter: str, orders: Sequence[Order]) -> dict[str, Leg]:
    references = [o.reference for o in orders]
    query = select(Leg).where(col(Leg.adapter) == adapter, col(Leg.reference).in_(references))
    return {leg.reference: leg for leg in session.exec(query).all()}


def _create_legs(
    session: Session,
    ctx: SyncContext,
    orders: Sequence[Order],
    dossiers: dict[str, Dossier],
    histories: dict[str, list[PostalEvent]],
    now: datetime,
) -> tuple[dict[str, Leg], int]:
    """Insert the legs of orders first seen here, each already refreshed from its record,
    folded from its fetched history, dated and judged; return them by reference (with
    their ids, outside the session: nothing is left to write) and how many were judged.

    One complete row per leg: inserting a blank leg, loading it and updating it with its
    fold wrote and indexed each new leg twice and built an ORM object for it, the larger
    part of a backfill's page write (issue 15 §3 profile). ``ON CONFLICT DO NOTHING``
    because the push job records the orders it creates through this same path, possibly
    at the same moment as the pull reads them in the feed: a leg whose row another
    transaction wrote first (its ``updated_at`` is not ``now``) is left out of the answer,
    for the caller to treat as stored. The insert has no RETURNING: with it, psycopg
    re-parses each many-row statement, which cost more than the insert itself.
    """
    if not orders:
        return {}, 0
    fresh: dict[str, Leg] = {}
    matched = 0
    for order in orders:
        assert order.leg is not None
        leg = _new_leg(
            id=None,
            kind=order.leg,
            adapter=ctx.adapter.name,
            reference=order.reference,
            created_at=now,
            updated_at=now,
        )
        dossier = dossiers.get(order.dossier_code or "")
        _refresh_leg(leg, order, dossier, ctx)
        events = {
            (e.item_code, e.raw_code, e.occurred_at): Step(
                e.occurred_at, e.status, e.raw_code, e.raw_label
            )
            for e in histories.get(order.item_code or "", [])
        }
        steps = list(events.values())
        _fold_leg(leg, order, steps, ctx.tz)
        invitations.record_leg(ctx.policy.invitation_rule, leg, steps, ctx.tz)
        _apply_deadline(leg, ctx.policy, ctx.tz)
        matched += _match_leg(leg, dossier, ctx)
        _vouch(leg, order, dossier, ctx)
        fresh[order.reference] = leg
    connection = session.connection()
    connection.execute(
        insert_for(connection, LEGS).on_conflict_do_nothing(
            index_elements=[LEGS.c.adapter, LEGS.c.reference]
        ),
        [cast(_NewLeg, leg).row() for leg in fresh.values()],
    )
    written = sa_select(LEGS.c.reference, LEGS.c.id, LEGS.c.updated_at).where(
        LEGS.c.adapter == ctx.adapter.name, LEGS.c.reference.in_(list(fresh))
    )
    created: dict[str, Leg] = {}
    for reference, leg_id, updated_at in connection.execute(written):
        if updated_at == now:
            created[reference] = fresh[reference]
            created[reference].id = leg_id
    return created, matched


def _stored_time(dialect: str) -> Callable[[datetime], Any]:
    """An aware datetime as ``UTCDateTime`` hands it to the driver: UTC, and on SQLite the
    naive text SQLAlchemy's ``DATETIME`` writes (``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    if dialect == "sqlite":
        return lambda value: (
            require_aware(value).astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        )
    return lambda value: require_aware(value).astimezone(UTC)


class _Stored(UserDefinedType[Any]):
    """A bound value handed to the driver as given: no bind processor, no cast (a bind of
    ``NullType`` would take the column's type, processors and all)."""

    cache_ok = True


#: The event columns bound as they are; ``_event_insert`` binds the other three converted.
_EVENT_PLAIN = ("leg_id", "item_code", "raw_code", "raw_label", "location", "source")


def _event_insert(connection: Connection) -> Any:
    """The events' ``INSERT … ON CONFLICT DO NOTHING`` taking both times and the status
    already converted by ``_stored_time``: SQLAlchemy's per-value bind processing of the
    two datetimes of ~91,000 events (our ``UTCDateTime`` step, then SQLite's formatting)
    was the largest cost of storing a backfill's events (issue 15 §3 profile,
    backfill15). ``tests/legs/test_event_insert.py`` holds the stored values byte for byte
    equal to what the typed columns write, on both databases."""
    return (
        insert_for(connection, EVENTS)
        .values(
            occurred_at=bindparam("occurred_at_stored", type_=_Stored()),
            received_at=bindparam("received_at_stored", type_=_Stored()),
            status=bindparam("status_stored", type_=_Stored()),
        )
        .on_conflict_do_nothing(
            index_elements=[EVENTS.c.item_code, EVENTS.c.raw_code, EVENTS.c.occurred_at]
        )
    )


def _store_events(
    session: Session, leg_ids: list[int], rows: list[dict[str, Any]]
) -> tuple[dict[int, list[Step]], int]:
    """Insert the events not stored yet; return every event of the legs ``leg_ids`` as
    lifecycle steps by leg, and how many were new.

    Reading the legs' events first tells which rows are new without RETURNING (see
    ``_create_legs``), and the same read feeds the fold. ``ON CONFLICT DO NOTHING`` still
    guards against a webhook storing the same event meanwhile. One executemany rather than
    a multi-row VALUES: SQLAlchemy compiles one small statement instead of one with a bound
    parameter per cell, which made that compilation the sync's largest cost.
    """
    columns = (EVENTS.c.occurred_at, EVENTS.c.status, EVENTS.c.raw_code, EVENTS.c.raw_label)
    query = sa_select(EVENTS.c.leg_id, EVENTS.c.item_code, *columns).where(
        EVENTS.c.leg_id.in_(leg_ids)
    )
    steps: dict[int, list[Step]] = {}
    known: set[tuple[str, str, datetime]] = set()
    connection = session.connection()
    for leg_id, item_code, occurred_at, status, raw_code, raw_label in connection.execute(query):
        steps.setdefault(leg_id, []).append(
            Step(occurred_at, LegStatus(status), raw_code, raw_label)
        )
        known.add((item_code, raw_code, occurred_at))
    new = {
        key: row
        for row in rows
        if (key := (row["item_code"], row["raw_code"], row["occurred_at"])) not in known
    }
    if new:
        stored = _stored_time(connection.dialect.name)
        received: dict[datetime, Any] = {}
        connection.execute(
            _event_insert(connection),
            [
                {
                    **{key: row[key] for key in _EVENT_PLAIN},
                    "status_stored": str(row["status"]),
                    "occurred_at_stored": stored(row["occurred_at"]),
                    "received_at_stored": received.get(row["received_at"])
                    or received.setdefault(row["received_at"], stored(row["received_at"])),
                }
                for row in new.values()
            ],
        )
    for row in new.values():
        step = Step(row["occurred_at"], LegStatus(row["status"]), row["raw_code"], row["raw_label"])
        steps.setdefault(row["leg_id"], []).append(step)
    return steps, len(new)


def _route_values(
    kind: LegKind,
    unit: str,
    order: Order,
    dossier: Dossier | None,
    policy: DeadlinePolicy,
) -> dict[str, Any]:
    """TT 17/2017 art. 7: the route and its n, from the leg's two ends as known now."""
    ends = leg_ends(
        policy.route_table,
        kind,
        order.sender,
        order.receiver,
        unit=unit,
        registered_commune=dossier.commune_code if dossier else "",
        appointment_slip=bool(dossier and dossier.appointment_slip),
    )
    choice = choose_route(policy.route_table, ends)
    return {
        "route": choice.route,
        "route_days": choice.days,
        "route_why": choice.why,
        "route_commune_unknown": choice.commune_unknown,
    }


def _record_values(
    leg: Leg, order: Order, dossier: Dossier | None, ctx: SyncContext
) -> dict[str, Any]:
    """The columns an order's record sets on its leg, from the leg's current values (a
    loaded ``Leg`` or a row of ``_LEG_STATE``) and its registered dossier. The route is
    chosen again until the deadline is counted, then kept, so a later change of table or
    address moves no deadline."""
    registered = dossier.procedure_code if dossier else None
    values: dict[str, Any] = {
        "dossier_id": dossier.id if dossier else leg.dossier_id,
        "order_id": order.order_id or leg.order_id,
        "item_code": order.item_code or leg.item_code,
        "item_check_ok": order.item_check_ok,
        "procedure_code": _canonical(order.procedure_code) or leg.procedure_code or registered,
        "procedure_code_raw": order.procedure_code or leg.procedure_code_raw,
        "agency_code": dossier.agency_code if dossier else leg.agency_code,
        "main_fee": order.main_fee if order.main_fee is not None else leg.main_fee,
        "total_fee": order.total_fee if order.total_fee is not None else leg.total_fee,
    }
    if leg.deadline is None:
        kind = LegKind(leg.kind)
        unit = values["agency_code"]
        values.update(_route_values(kind, unit, order, dossier, ctx.policy))
    return values


def _refresh_leg(leg: Leg, order: Order, dossier: Dossier | None, ctx: SyncContext) -> None:
    for name, value in _record_values(leg, order, dossier, ctx).items():
        setattr(leg, name, value)


def _fold_leg(leg: Leg, order: Order | None, events: Sequence[Step], tz: ZoneInfo) -> None:
    """The leg's state from its stored events, its previous state and the order's record.

    The previous state and the record carry a status when no event does (an order seen
    only in the feed or in our CreateOrder answer), but they repeat an event when one does,
    so delivery attempts (TT 17/2017 art. 5 cl. 2 point h invitations) are counted on the
    events alone.
    """
    steps = list(events)
    if leg.status_at is not None:
        steps.append(Step(leg.status_at, leg.status, leg.raw_status, leg.raw_label))
    if order is not None and order.updated_at is not None:
        steps.append(Step(order.updated_at, order.status, order.raw_status, order.raw_label))
    state = fold(steps)
    if state.status is not None and state.status_step is not None:
        leg.status = state.status
        leg.status_at = state.status_step.occurred_at
        leg.raw_status = state.status_step.raw_code
        leg.raw_label = state.status_step.raw_label
    elif order is not None and leg.status_at is None:
        leg.status, leg.raw_status, leg.raw_label = order.status, order.raw_status, order.raw_label
    leg.invitations = sum(1 for e in events if e.status.failed_delivery)
    leg.closed_at = state.closed_at
    leg.last_event_at = max((e.occurred_at for e in events), default=leg.last_event_at)
    if state.taken_at is not None and leg.j_date is None:
        leg.j_date = local_date(state.taken_at, tz)


def _deadline_values(leg: Leg, policy: DeadlinePolicy, tz: ZoneInfo) -> dict[str, Any]:
    """TT 17/2017 art. 7: deadline J + n; a leg closed after it stays flagged overdue.
    The leg's n, deadline and overdue flag from its J date, route and closing time."""
    days = leg.route_days
    if days is None:  # recorded before routes were chosen (migration 0009)
        table = policy.route_table
        days = table.rows.get(leg.route, table.rows[INTRA_PROVINCE]).days
    deadline, overdue = leg.deadline, leg.overdue
    if leg.j_date is not None and deadline is None:
        deadline = policy.deadline(leg.j_date, days)
    if deadline is not None and leg.closed_at is not None:
        overdue = local_date(leg.closed_at, tz) > deadline
    return {"route_days": days, "deadline": deadline, "overdue": overdue}


def _apply_deadline(leg: Leg, policy: DeadlinePolicy, tz: ZoneInfo) -> None:
    for name, value in _deadline_values(leg, policy, tz).items():
        setattr(leg, name, value)


def _match_due(leg: Leg) -> bool:
    """A leg is judged once provisionally and once more when its J date becomes known."""
    return leg.match_class is None or (leg.j_date is not None and leg.matched_on != leg.j_date)


def _match_leg(leg: Leg, dossier: Dossier | None, ctx: SyncContext) -> bool:
    if not _match_due(leg):
        return False
    judge_leg(ctx.resolver, leg, dossier, ctx.tz)
    return True


def _quarantine(session: Session, adapter: str, source: str, reason: str, raw: str) -> int:
    """Keep an unreadable record for review once: overlapping polls and webhook replays
    bring the same record back, and staff should see it once until they resolve it."""
    seen = session.exec(
        select(Quarantined.id).where(
            Quarantined.adapter == adapter,
            Quarantined.reason == reason,
            Quarantined.raw == raw,
            col(Quarantined.resolved_at).is_(None),
        )
    ).first()
    if seen is not None:
        return 0
    session.add(Quarantined(adapter=adapter, source=source, reason=reason, raw=raw))
    return 1


def _event_row(leg: Leg, event: PostalEvent, source: str, received: datetime) -> dict[str, Any]:
    return {
        "leg_id": leg.id,
        "item_code": event.item_code,
        "raw_code": event.raw_code,
        "raw_label": event.raw_label,
        "status": event.status,
        "occurred_at": event.occurred_at,
        "location": event.location,
        "source": source,
        "received_at": received,
    }


def _unchanged(
    session: Session, ctx: SyncContext, orders: Sequence[Order], fetched: Container[str]
) -> set[str]:
    """References of the orders whose record would change nothing on their stored leg.

    An overlapping poll re-reads a day and more of orders that did not move (issue 15 §3:
    1,664 of them for 500 a day). A record changes nothing when its history was not
    fetched, its leg holds the same dossier, and the digest of the record, the rules and
    the leg's dossier inputs equals the one the full path stored on the leg
    (``legs/fingerprint.py``; cleared by any other write to the leg). One SELECT of four
    of the leg's columns and five of its dossier's per page; anything else goes the whole
    way, which stores the digest for the next pass.
    """
    candidates: dict[str, tuple[Order, bytes]] = {}
    for order in orders:
        if order.item_code in fetched or order.leg is None:
            continue
        record = order.record_bytes()
        if record is not None:
            candidates[order.reference] = (order, record)
    if not candidates:
        return set()
    query = (
        sa_select(
            LEGS.c.reference,
            LEGS.c.record_digest,
            LEGS.c.deadline.is_not(None).label("dated"),
            LEGS.c.kind,
            LEGS.c.dossier_id,
            DOSSIERS.c.code,
            DOSSIERS.c.procedure_code,
            DOSSIERS.c.agency_code,
            DOSSIERS.c.commune_code,
            DOSSIERS.c.appointment_slip,
        )
        .select_from(LEGS.outerjoin(DOSSIERS, DOSSIERS.c.id == LEGS.c.dossier_id))
        .where(
            LEGS.c.adapter == ctx.adapter.name,
            LEGS.c.reference.in_(list(candidates)),
            LEGS.c.record_digest.is_not(None),
        )
    )
    same: set[str] = set()
    rules = ctx.rules
    for row in session.connection().execute(query):
        reference, stored, dated, kind, dossier_id, code, procedure, agency, commune, slip = row
        order, record = candidates[reference]
        if code == order.dossier_code:
            inputs = dossier_inputs(dossier_id, procedure, agency, commune, slip, dated, kind)
            if leg_digest(record, rules, inputs) == stored:
                same.add(reference)
    return same


def _vouch(leg: Leg, order: Order, dossier: Dossier | None, ctx: SyncContext) -> None:
    """Store on ``leg``, written in full from ``order``, the digest ``_unchanged`` checks."""
    record = order.record_bytes()
    if record is None:
        leg.record_digest = None
        return
    inputs = dossier_inputs(
        leg.dossier_id,
        dossier.procedure_code if dossier else None,
        dossier.agency_code if dossier else None,
        dossier.commune_code if dossier else None,
        dossier.appointment_slip if dossier else None,
        leg.deadline is not None,
        leg.kind,
    )
    leg.record_digest = leg_digest(record, ctx.rules, inputs)


def apply_orders(
    session: Session,
    ctx: SyncContext,
    orders: Sequence[Order],
    histories: dict[str, list[PostalEvent]],
    quarantined: Sequence[PostalQuarantined],
    *,
    source: str,
) -> Counter[str]:
    """Write one batch of orders, their new events and their matches into ``session``;
    records that change nothing (``_unchanged``) cost their comparison only."""
    counts: Counter[str] = Counter()
    adapter = ctx.adapter.name
    for bad in quarantined:
        counts["quarantined"] += _quarantine(session, adapter, bad.source, bad.reason, bad.raw)
    read = newest_per_reference(orders)
    same = _unchanged(session, ctx, read, histories)
    counts["orders"] += len(read)
    counts["unchanged"] += len(same)
    batch = [o for o in read if o.reference not in same]
    if not batch:
        return counts
    dossiers = _upsert_dossiers(session, batch)
    received = utcnow()
    legs = _legs(session, adapter, batch)
    first_seen = [o for o in batch if o.reference not in legs and o.leg is not None]
    created, counts["matched"] = _create_legs(
        session, ctx, first_seen, dossiers, histories, received
    )
    counts["legs_new"] = len(created)
    written_meanwhile = [o for o in first_seen if o.reference not in created]
    if written_meanwhile:
        legs.update(_legs(session, adapter, written_meanwhile))
    for order in batch:
        if order.reference in created:
            continue
        if order.reference not in legs:
            reason = legless_reason(order.reference)
            raw = json.dumps(order.raw, ensure_ascii=False, default=str)
            counts["quarantined"] += _quarantine(session, adapter, source, reason, raw)
            continue
        _refresh_leg(legs[order.reference], order, dossiers.get(order.dossier_code or ""), ctx)
    every = {**legs, **created}
    event_rows = [
        _event_row(every[o.reference], e, source, received)
        for o in batch
        if o.reference in every and o.item_code in histories
        for e in histories[o.item_code]
    ]
    leg_ids = [leg.id for leg in legs.values() if leg.id is not None]
    stored, counts["events_new"] = _store_events(session, leg_ids, event_rows)
    by_reference = {o.reference: o for o in batch}
    with session.no_autoflush:  # the legs are written below, not one by one on a lookup
        counts["matched"] += _refold(session, ctx, legs.values(), by_reference, stored, received)
    _write_legs(session, legs.values())
    return counts


def _write_legs(session: Session, legs: Iterable[Leg]) -> None:
    """Write the columns the batch changed with one Core executemany per set of changed
    columns (usually one), then take the legs out of the ORM's care.

    The ORM's flush of a page's legs, set off by ``save_cursor``'s lookup, was 23% of the
    pull's main thread (issue 15 §3 profile); it writes the same thing, an UPDATE of the
    changed columns of each changed leg, one statement built per leg. Unchanged legs write
    nothing; a changed one always writes its ``record_digest``, which an UPDATE without it
    would clear (``Leg.record_digest``'s ``onupdate``).
    """
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for leg in legs:
        # The values as loaded, of the attributes set since: cheaper than every attribute's
        # history, and a value set back to what it was is no change.
        loaded = sa_inspect(leg).committed_state
        changed = tuple(
            sorted(k for k, old in loaded.items() if old is NO_VALUE or getattr(leg, k) != old)
        )
        if changed:
            changed = tuple(sorted({*changed, "record_digest"}))
            row = {name: getattr(leg, name) for name in changed}
            groups.setdefault(changed, []).append({**row, "leg_id": leg.id})
        session.expunge(leg)
    connection = session.connection()
    for columns, rows in groups.items():
        statement = (
            LEGS.update()
            .where(LEGS.c.id == bindparam("leg_id"))
            .values({name: bindparam(name) for name in columns})
        )
        connection.execute(statement, rows)


def _dossiers_of(session: Session, legs: Sequence[Leg]) -> dict[int, Dossier]:
    """The legs' dossiers by id, read in one query for the page: a re-fold or a replay read
    them one by one. Those the session holds already (a pull's page upserted them) are not
    read again."""
    wanted = {leg.dossier_id for leg in legs if leg.dossier_id is not None}
    held: dict[int, Dossier] = {}
    for dossier_id in wanted:
        found = session.identity_map.get(Session.identity_key(Dossier, dossier_id))
        if isinstance(found, Dossier):
            held[dossier_id] = found
    missing = sorted(wanted - held.keys())
    if missing:
        read = session.exec(select(Dossier).where(col(Dossier.id).in_(missing))).all()
        held.update((dossier.id, dossier) for dossier in read if dossier.id is not None)
    return held


def _refold(
    session: Session,
    ctx: SyncContext,
    legs: Iterable[Leg],
    orders: dict[str, Order],
    stored: dict[int, list[Step]],
    now: datetime,
) -> int:
    """Fold, date and judge each leg from its stored events; how many were (re)judged."""
    legs = list(legs)
    dossiers = _dossiers_of(session, legs)
    matched = 0
    for leg in legs:
        assert leg.id is not None
        dossier = dossiers.get(leg.dossier_id) if leg.dossier_id else None
        events = stored.get(leg.id, [])
        order = orders.get(leg.reference)
        _fold_leg(leg, order, events, ctx.tz)
        invitations.record_leg(ctx.policy.invitation_rule, leg, events, ctx.tz)
        _apply_deadline(leg, ctx.policy, ctx.tz)
        matched += _match_leg(leg, dossier, ctx)
        if order is not None:
            _vouch(leg, order, dossier, ctx)
        if session.is_modified(leg):
            leg.updated_at = now
    return matched


def apply_events(
    session: Session, ctx: SyncContext, events: Sequence[PostalEvent], *, source: str
) -> tuple[Counter[str], list[PostalEvent]]:
    """Store tracking events of items whose legs we know, and re-fold those legs.

    The path of a replayed history entry (issue 16). Returns the counts and the events
    whose item no leg carries yet (the caller keeps those in quarantine).
    """
    counts: Counter[str] = Counter()
    items = sorted({e.item_code for e in events})
    legs = session.exec(
        select(Leg).where(col(Leg.adapter) == ctx.adapter.name, col(Leg.item_code).in_(items))
    ).all()
    by_item = {leg.item_code: leg for leg in legs}
    received = utcnow()
    rows = [
        _event_row(by_item[e.item_code], e, source, received)
        for e in events
        if e.item_code in by_item
    ]
    leg_ids = [leg.id for leg in legs if leg.id is not None]
    stored, counts["events_new"] = _store_events(session, leg_ids, rows)
    counts["legs"] = len(legs)
    counts["matched"] += _refold(session, ctx, legs, {}, stored, received)
    return counts, [e for e in events if e.item_code not in by_item]


def refold_legs(session: Session, ctx: SyncContext, legs: Sequence[Leg]) -> Counter[str]:
    """Re-fold legs from the events already stored (after their statuses were re-read)."""
    counts: Counter[str] = Counter()
    leg_ids = [leg.id for leg in legs if leg.id is not None]
    stored, _ = _store_events(session, leg_ids, [])
    counts["legs"] = len(legs)
    counts["matched"] += _refold(session, ctx, legs, {}, stored, utcnow())
    return counts


def save_cursor(session: Session, feed: str, position: str) -> None:
    """Persist the feed position in the caller's transaction (with the data it covers):
    one upsert, where looking the row up and flushing it through the ORM was a quarter of
    an empty poll's CPU (issue 15 §3)."""
    connection = session.connection()
    values = {"position": position, "updated_at": utcnow()}
    connection.execute(
        insert_for(connection, CURSORS)
        .values(feed=feed, **values)
        .on_conflict_do_update(index_elements=[CURSORS.c.feed], set_=values)
    )


def load_cursor(engine: Engine, feed: str) -> str | None:
    with Session(engine) as session:
        cursor = session.get(SyncCursor, feed)
        return cursor.position if cursor and cursor.position else None
