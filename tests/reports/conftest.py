"""A small province in February 2026, seeded straight into the tables.

The sync that fills these tables is tested elsewhere; report tests seed legs as the sync
would leave them (status, J date, stored J + n deadline, close time, match result) and
check the reports against counts computed here or with plain SQL, never by report code.
Tết 2026 falls on 16-20/02 (plus the weekends around it), inside the period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.defaults import DEADLINES_FILE
from postlink.legs.deadlines import load_policy
from postlink.models import (
    Dossier,
    Event,
    Leg,
    ListEntry,
    ListVersion,
    OutboxCommand,
    VersionStatus,
)
from postlink.reports.document import Report
from postlink.reports.filters import ReportFilter, between
from postlink.reports.registry import ReportName, build_report
from postlink.settings import Settings, get_settings

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AGENCY_A = "000.00.12.H14"
AGENCY_B = "000.00.13.H14"
AS_OF = date(2026, 2, 25)
FEBRUARY = between(date(2026, 2, 1), date(2026, 2, 28))
XSS_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("x")'
POLICY = load_policy(DEADLINES_FILE)


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """An instant at local wall-clock time in Cao Bằng, as the sync stores it (UTC)."""
    return datetime.combine(day, time(hour, minute), tzinfo=TZ).astimezone(UTC)


@dataclass
class Seeder:
    """Adds rows the way the sync leaves them; keeps every leg for independent counting."""

    session: Session
    legs: list[Leg] = field(default_factory=list)
    _item: int = 0

    def version(
        self,
        decision: str,
        start: date,
        end: date | None,
        entries: list[dict[str, object]],
    ) -> ListVersion:
        version = ListVersion(
            decision=decision,
            effective_from=start,
            effective_to=end,
            status=VersionStatus.PUBLISHED,
            signed_on=start - timedelta(days=10),
            entry_count=len(entries),
        )
        self.session.add(version)
        self.session.flush()
        for row, spec in enumerate(entries, start=1):
            self.session.add(ListEntry(version_id=version.id, source_row=row, **spec))  # type: ignore[arg-type]
        self.session.flush()
        return version

    def dossier(
        self,
        code: str,
        procedure: str = "1.001193",
        agency: str = AGENCY_A,
        name: str = "Nguyễn Thị Hoa",
        phone: str = "0912345678",
    ) -> Dossier:
        dossier = Dossier(
            code=code,
            procedure_code=procedure,
            procedure_name=f"Thủ tục {procedure}",
            agency_code=agency,
            citizen_name=name,
            citizen_phone=phone,
            citizen_address="Số 1 <b>Hoàng Đình Giong</b>",
        )
        self.session.add(dossier)
        self.session.flush()
        return dossier

    def leg(
        self,
        dossier: Dossier,
        kind: str,
        status: str,
        j_date: date | None,
        *,
        route: str = "intra_province",
        closed_at: datetime | None = None,
        created_at: datetime | None = None,
        **extra: object,
    ) -> Leg:
        self._item += 1
        created = created_at or local(j_date or AS_OF, 8)
        deadline = POLICY.deadline(j_date, route) if j_date else None
        leg = Leg(
            dossier_id=dossier.id,
            kind=kind,
            adapter="myvnpost",
            reference=f"{dossier.code}-{kind[0].upper()}{self._item}",
            item_code=f"EB{self._item:08d}0VN",
            agency_code=dossier.agency_code,
            procedure_code=dossier.procedure_code,
            status=status,
            route=route,
            j_date=j_date,
            deadline=deadline,
            closed_at=closed_at,
            status_at=closed_at or created,
            last_event_at=closed_at or created,
            created_at=created,
            match_class=extra.pop("match_class", "eligible"),
            **extra,  # type: ignore[arg-type]
        )
        self.session.add(leg)
        self.session.flush()
        assert leg.id is not None
        assert leg.item_code is not None
        self.session.add(
            Event(
                leg_id=leg.id,
                item_code=leg.item_code,
                raw_code="1",
                status="created",
                occurred_at=created,
            )
        )
        self.session.add(
            Event(
                leg_id=leg.id,
                item_code=leg.item_code,
                raw_code="x",
                status=status,
                occurred_at=closed_at or created + timedelta(hours=1),
            )
        )
        self.legs.append(leg)
        return leg


@dataclass
class Scenario:
    settings: Settings
    legs: list[Leg]
    codes: dict[str, str]

    def filter(self, **overrides: object) -> ReportFilter:
        values: dict[str, object] = {"period": FEBRUARY, "as_of": AS_OF}
        values.update(overrides)
        return ReportFilter(**values)  # type: ignore[arg-type]


def _entries(*specs: tuple[str, str, str, bool, bool, str]) -> list[dict[str, object]]:
    return [
        {
            "procedure_code": code,
            "name": name,
            "field": field_name,
            "level": "xa",
            "postal_submission": submission,
            "postal_return": returned,
            "reason": "Người yêu cầu phải có mặt" if not (submission and returned) else "",
            "legal_basis": basis,
        }
        for code, name, field_name, submission, returned, basis in specs
    ]


MARRIAGE = ("1.000894", "Đăng ký kết hôn", "Hộ tịch", False, False, "Luật Hộ tịch 2014, Điều 18")
SIGNATURE = (
    "2.000884",
    "Chứng thực chữ ký",
    "Chứng thực",
    False,
    False,
    "Nghị định 23/2015, Điều 24",
)
BIRTH = ("1.001193", "Đăng ký khai sinh", "Hộ tịch", True, True, "")
COPY_OLD = ("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", False, True, "QĐ cũ")
COPY_NEW = ("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", True, True, "")


def seed(session: Session) -> dict[str, str]:
    """The February scenario; returns dossier codes by role."""
    s = Seeder(session)
    s.version(
        "10/QĐ-UBND",
        date(2025, 1, 1),
        date(2026, 2, 15),
        _entries(MARRIAGE, SIGNATURE, BIRTH, COPY_OLD),
    )
    v2 = s.version(
        "25/QĐ-UBND", date(2026, 2, 15), None, _entries(MARRIAGE, SIGNATURE, BIRTH, COPY_NEW)
    )
    b_copy = _entries(
        (
            "2.000815",
            "Chứng thực bản sao (cơ quan B)",
            "Chứng thực",
            True,
            False,
            "QĐ 25, phụ lục II",
        )
    )[0]
    session.add(ListEntry(version_id=v2.id, agency_code=AGENCY_B, agency="UBND xã B", **b_copy))  # type: ignore[arg-type]
    codes = {}

    def dossier(role: str, **kw: object) -> Dossier:
        code = f"000.00.12.H14-2602{len(codes) + 1:02d}-{len(codes) + 1:04d}"
        codes[role] = code
        return s.dossier(code, **kw)  # type: ignore[arg-type]

    d1 = dossier("d1")
    s.leg(
        d1,
        "pickup",
        "delivered",
        date(2026, 2, 2),
        closed_at=local(date(2026, 2, 3)),
        total_fee=26000,
    )
    s.leg(
        d1,
        "return",
        "delivered",
        date(2026, 2, 9),
        closed_at=local(date(2026, 2, 12)),
        total_fee=26000,
    )
    # Tết: J 12/02 + 2 working days is 23/02, not 14/02.
    d2 = dossier("tet_on_time")
    s.leg(
        d2,
        "pickup",
        "delivered",
        date(2026, 2, 12),
        closed_at=local(date(2026, 2, 23)),
        total_fee=30500,
    )
    d3 = dossier("tet_overdue", agency=AGENCY_B, name=XSS_NAME)
    s.leg(d3, "pickup", "in_transit", date(2026, 2, 12), route="local")
    d4 = dossier("failed_delivery", agency=AGENCY_B, name=FORMULA_NAME, phone="0987654321")
    s.leg(d4, "return", "delivery_failed_attempt", date(2026, 2, 5), invitations=1)
    d5 = dossier("returned")
    s.leg(
        d5,
        "return",
        "returned",
        date(2026, 2, 3),
        invitations=2,
        closed_at=local(date(2026, 2, 10)),
    )
    d6 = dossier("failed_pickup", agency=AGENCY_B)
    s.leg(
        d6,
        "pickup",
        "pickup_failed",
        None,
        created_at=local(date(2026, 2, 6)),
        closed_at=local(date(2026, 2, 7)),
    )
    d7 = dossier("not_due")
    s.leg(d7, "pickup", "in_transit", date(2026, 2, 24))
    d8 = dossier("january")
    s.leg(
        d8,
        "pickup",
        "delivered",
        date(2026, 1, 20),
        closed_at=local(date(2026, 1, 21)),
        total_fee=26000,
    )
    d9 = dossier("cancelled", agency=AGENCY_B)
    s.leg(d9, "return", "cancelled", date(2026, 2, 10), closed_at=local(date(2026, 2, 11)))
    # The deadline day ends at local midnight, 17:00 UTC the day before.
    d10 = dossier("last_minute", agency=AGENCY_B)
    s.leg(d10, "pickup", "delivered", date(2026, 2, 2), closed_at=local(date(2026, 2, 4), 23, 30))
    d11 = dossier("just_late", agency=AGENCY_B)
    s.leg(d11, "pickup", "delivered", date(2026, 2, 2), closed_at=local(date(2026, 2, 5), 0, 30))
    # Excluded procedures that reached the post (QĐ 45/2016 art. 1 cl. 2).
    e1 = dossier("excluded_pickup", procedure="1.000894")
    s.leg(
        e1,
        "pickup",
        "delivered",
        date(2026, 2, 3),
        closed_at=local(date(2026, 2, 4)),
        match_class="excluded",
        match_reason="Người yêu cầu phải có mặt",
        match_legal_basis="Luật Hộ tịch 2014, Điều 18",
    )
    e2 = dossier("excluded_return", procedure="2.000884", agency=AGENCY_B)
    s.leg(
        e2,
        "return",
        "in_transit",
        date(2026, 2, 18),
        match_class="excluded",
        match_reason="Người ký phải ký trước mặt người chứng thực",
        match_legal_basis="Nghị định 23/2015, Điều 24",
    )
    r1 = dossier("refused", procedure="2.000884", agency=AGENCY_B)
    for dossier_code, suffix, state, reason, day in (
        (r1.code, "R1", "refused", "2.000884 không trả kết quả qua BCCI", date(2026, 2, 19)),
        (r1.code, "R2", "refused", "tháng 3", date(2026, 3, 5)),
        (d1.code, "R9", "pending", "", date(2026, 2, 19)),
    ):
        session.add(
            OutboxCommand(
                kind="create",
                leg_kind="return",
                dossier_code=dossier_code,
                reference=f"{dossier_code}-{suffix}",
                state=state,
                refusal_reason=reason,
                created_at=local(day),
            )
        )
    session.commit()
    return codes


@pytest.fixture
def scenario(engine: Engine) -> Scenario:
    with Session(engine, expire_on_commit=False) as session:
        codes = seed(session)
        legs = list(session.exec(select(Leg)).all())
    return Scenario(get_settings(), legs, codes)


@pytest.fixture
def report_of(engine: Engine) -> Callable[[str, ReportFilter], Report]:
    """Build a report by name for a filter, as the CLI does."""

    def build(name: str, flt: ReportFilter) -> Report:
        return build_report(engine, ReportName(name), flt, get_settings())

    return build
