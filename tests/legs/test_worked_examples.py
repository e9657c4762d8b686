"""Worked examples of TT 17/2017/TT-BTTTT art. 7, counted by hand on a paper calendar.

The office is the one-stop centre in phường Thục Phán (01273, route area "Thành phố Cao
Bằng (cũ)" in the shipped sample table). The table below is the shipped sample plus, typed
here, Hà Nội (01) and Cao Bằng (04) listed as special/class-I cities and xã Bảo Lạc (01321)
as a special-geography commune with the post's own n of 3 (5 with a slip). Holidays are
those of the project's holiday data (the ``holidays`` package, checked): Tết 2026 Mon
16/02 – Fri 20/02, Giỗ Tổ Sun 26/04/2026 with its day off Mon 27/04, 30/04 and 01/05, the
day off Mon 31/08/2026 for the make-up working Saturday 22/08/2026, 01/09 and 02/09, and the
make-up working Saturday 26/04/2025 (for Fri 02/05/2025). J is the day the post took the
item (a pickup's "Đã lấy hàng", a return's "Bưu cục đã nhận hàng"), at 09:30 Vietnam time.

Each example: leg, citizen's end, appointment slip, J; route and n; then the days after J
(skipped, or counted 1, 2, …) and the deadline.

1. pickup, p. Tân Giang 01288, no slip, J Fri 13/02/2026: local (same area), n = 1.
   14–15 weekend; 16–20 Tết; 21–22 weekend; Mon 23 → 1. Deadline 23/02/2026.
2. pickup, p. Tân Giang 01288, slip, J Fri 13/02/2026: local, n = 2.
   As 1, then Tue 24 → 2. Deadline 24/02/2026.
3. return, xã Hòa An 01654, J Wed 29/04/2026: intra_province (other area), n = 2.
   30/04 and 01/05 holidays; 02–03 weekend; Mon 04 → 1, Tue 05 → 2. Deadline 05/05/2026.
4. pickup, xã Hòa An 01654, slip, J Fri 24/04/2026: intra_province, n = 4.
   25 weekend; Sun 26 Giỗ Tổ; Mon 27 its day off; 28 → 1, 29 → 2; 30/04, 01/05 holidays;
   02–03 weekend; 04 → 3, 05 → 4. Deadline 05/05/2026.
5. return, Thái Nguyên (19), J Thu 20/08/2026: inter_province, n = 4.
   Fri 21 → 1; Sat 22 make-up working day → 2; 23 weekend; 24 → 3, 25 → 4. Deadline 25/08/2026.
6. pickup, Thái Nguyên (19), slip, J Fri 28/08/2026: inter_province, n = 8.
   29–30 weekend; Mon 31/08 day off (for 22/08); 01–02/09 Quốc khánh; 03 → 1, 04 → 2;
   05–06 weekend; 07–11 → 3–7; 12–13 weekend; 14 → 8. Deadline 14/09/2026.
7. return, Hà Nội (01), J Thu 12/02/2026: inter_province_major, n = 3.
   Fri 13 → 1; 14–22 as in 1; 23 → 2, 24 → 3. Deadline 24/02/2026.
8. pickup, Hà Nội (01), slip, J Thu 12/02/2026: inter_province_major, n = 6.
   As 7, then 25 → 4, 26 → 5, 27 → 6. Deadline 27/02/2026.
9. pickup, commune not given (province 04), J Fri 24/04/2026: intra_province as the
   fallback, marked commune unknown, n = 2.
   25 weekend; 26 Giỗ Tổ; 27 its day off; 28 → 1, 29 → 2. Deadline 29/04/2026.
10. return, xã Bảo Lạc 01321 (special), J Wed 29/04/2026: special_area, the post's n = 3.
    30/04, 01/05 holidays; 02–03 weekend; 04 → 1, 05 → 2, 06 → 3. Deadline 06/05/2026.
11. return, p. Tân Giang 01288, J Fri 25/04/2025: local, n = 1.
    Sat 26/04/2025 make-up working day → 1. Deadline 26/04/2025.

Example 3's result could not be delivered on Mon 04/05 and Wed 06/05/2026 (15:00): two
invitations, which ``leg explain`` lists with their dates.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink import defaults
from postlink.legs.apply import apply_orders
from postlink.legs.deadlines import load_policy
from postlink.legs.routes import LegEnds, choose_route
from postlink.legs.status import LegStatus
from postlink.models import Leg, LegKind
from postlink.postal.models import Event, Order, Party
from postlink.settings import get_settings
from postlink.sync.outbox import Registration, register
from tests.conftest import CliResult
from tests.postal.fixtures import SandboxHandle
from tests.sync.conftest import MakeContext

VN = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE = Party(
    "Trung tâm Phục vụ hành chính công tỉnh Cao Bằng",
    "02063852000",
    "Số 011 Hoàng Đình Giong, phường Thục Phán, tỉnh Cao Bằng",
    "04",
    "01273",
)


@dataclasses.dataclass(frozen=True)
class Example:
    number: int
    kind: LegKind
    commune: str
    province: str
    slip: bool
    j: date
    route: str
    n: int
    deadline: date


P, R = LegKind.PICKUP, LegKind.RETURN
EXAMPLES = [
    Example(1, P, "01288", "04", False, date(2026, 2, 13), "local", 1, date(2026, 2, 23)),
    Example(2, P, "01288", "04", True, date(2026, 2, 13), "local", 2, date(2026, 2, 24)),
    Example(3, R, "01654", "04", False, date(2026, 4, 29), "intra_province", 2, date(2026, 5, 5)),
    Example(4, P, "01654", "04", True, date(2026, 4, 24), "intra_province", 4, date(2026, 5, 5)),
    Example(5, R, "", "19", False, date(2026, 8, 20), "inter_province", 4, date(2026, 8, 25)),
    Example(6, P, "", "19", True, date(2026, 8, 28), "inter_province", 8, date(2026, 9, 14)),
    Example(7, R, "", "01", False, date(2026, 2, 12), "inter_province_major", 3, date(2026, 2, 24)),
    Example(8, P, "", "01", True, date(2026, 2, 12), "inter_province_major", 6, date(2026, 2, 27)),
    Example(9, P, "", "04", False, date(2026, 4, 24), "intra_province", 2, date(2026, 4, 29)),
    Example(10, R, "01321", "04", False, date(2026, 4, 29), "special_area", 3, date(2026, 5, 6)),
    Example(11, R, "01288", "04", False, date(2025, 4, 25), "local", 1, date(2025, 4, 26)),
]  # fmt: skip

#: UPU S10 numbers, check digits computed by hand (weights 8,6,4,2,3,5,9,7).
ITEMS = [
    "EB000000014VN", "EB000000028VN", "EB000000031VN", "EB000000045VN",
    "EB000000059VN", "EB000000062VN", "EB000000076VN", "EB000000080VN",
    "EB000000093VN", "EB000000102VN", "EB000000116VN",
]  # fmt: skip

#: Example 4's days after J, as counted by hand in the table above.
EXAMPLE_4_DAYS = [
    {"date": "2026-04-25", "kind": "weekend", "counted": False, "number": None, "holiday": None},
    {
        "date": "2026-04-26",
        "kind": "holiday",
        "counted": False,
        "number": None,
        "holiday": "Ngày Giỗ Tổ Hùng Vương",
    },
    {
        "date": "2026-04-27",
        "kind": "holiday",
        "counted": False,
        "number": None,
        "holiday": "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)",
    },
    {"date": "2026-04-28", "kind": "working", "counted": True, "number": 1, "holiday": None},
    {"date": "2026-04-29", "kind": "working", "counted": True, "number": 2, "holiday": None},
    {
        "date": "2026-04-30",
        "kind": "holiday",
        "counted": False,
        "number": None,
        "holiday": "Ngày Chiến thắng",
    },
    {
        "date": "2026-05-01",
        "kind": "holiday",
        "counted": False,
        "number": None,
        "holiday": "Ngày Quốc tế Lao động",
    },
    {"date": "2026-05-02", "kind": "weekend", "counted": False, "number": None, "holiday": None},
    {"date": "2026-05-03", "kind": "weekend", "counted": False, "number": None, "holiday": None},
    {"date": "2026-05-04", "kind": "working", "counted": True, "number": 3, "holiday": None},
    {"date": "2026-05-05", "kind": "working", "counted": True, "number": 4, "holiday": None},
]


@pytest.fixture
def routes_file(tmp_path: Path) -> Path:
    """The shipped sample, with two special/class-I cities and one special commune added."""
    text = defaults.ROUTES_FILE.read_text(encoding="utf-8")
    assert "provinces = []" in text
    text = text.replace("provinces = []", 'provinces = ["01", "04"]')
    text += '\n[[special]]\ncommune = "01321"\ndays = 3\nwith_slip = 5\n'
    path = tmp_path / "routes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _ends(example: Example) -> LegEnds:
    return LegEnds("01273", example.commune, example.province, example.slip)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"example-{e.number}")
def test_each_worked_example_by_the_rules(routes_file: Path, example: Example) -> None:
    policy = load_policy(defaults.DEADLINES_FILE, routes_file)
    choice = choose_route(policy.route_table, _ends(example))
    assert (choice.route, choice.days) == (example.route, example.n)
    assert choice.commune_unknown == (example.number == 9)
    assert policy.deadline(example.j, choice.days) == example.deadline
    counted = policy.calendar.count_days(example.j, example.n)
    assert counted[-1].day == example.deadline
    assert [d.number for d in counted if d.counted] == list(range(1, example.n + 1))


def test_tet_and_the_make_up_days_are_named_in_the_count(routes_file: Path) -> None:
    calendar = load_policy(defaults.DEADLINES_FILE, routes_file).calendar
    tet = calendar.count_days(date(2026, 2, 13), 1)
    assert [(d.day.day, d.kind.value, d.holiday) for d in tet] == [
        (14, "weekend", None),
        (15, "weekend", None),
        (16, "holiday", "Giao thừa Tết Nguyên Đán"),
        (17, "holiday", "Tết Nguyên Đán"),
        (18, "holiday", "Mùng hai Tết Nguyên Đán"),
        (19, "holiday", "Mùng ba Tết Nguyên Đán"),
        (20, "holiday", "Mùng bốn Tết Nguyên Đán"),
        (21, "weekend", None),
        (22, "weekend", None),
        (23, "working", None),
    ]
    make_up = calendar.count_days(date(2026, 8, 20), 4)
    assert [(d.day.day, d.kind.value, d.number) for d in make_up] == [
        (21, "working", 1),
        (22, "make_up", 2),
        (23, "weekend", None),
        (24, "working", 3),
        (25, "working", 4),
    ]
    assert calendar.count_days(date(2025, 4, 25), 1)[0].kind == "make_up"


def _at(day: date, hour: int = 9, minute: int = 30) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN).astimezone(UTC)


def _dossier_code(example: Example) -> str:
    return f"000.00.12.H14-{example.j:%y%m%d}-{example.number:04d}"


def _order_and_events(example: Example, item: str) -> tuple[Order, list[Event]]:
    """The post's order and history as its adapter gives them."""
    citizen = Party(
        "Nông Văn Dũng", "0912345678", "Tổ 5, tỉnh Cao Bằng", example.province, example.commune
    )
    pickup = example.kind == LegKind.PICKUP
    taken = (
        Event(item, "6", "Đã lấy hàng", LegStatus.PICKED_UP, _at(example.j), "")
        if pickup
        else Event(item, "7", "Bưu cục đã nhận hàng", LegStatus.ACCEPTED, _at(example.j), "")
    )
    events = [taken]
    if example.number == 3:
        events += [
            Event(item, "15", "Giao không thành công", LegStatus.DELIVERY_FAILED_ATTEMPT,
                  _at(date(2026, 5, 4), 15, 0), ""),
            Event(item, "15", "Giao không thành công", LegStatus.DELIVERY_FAILED_ATTEMPT,
                  _at(date(2026, 5, 6), 15, 0), ""),
        ]  # fmt: skip
    last = events[-1]
    code = _dossier_code(example)
    order = Order(
        reference=f"{code}-{'P' if pickup else 'R'}1",
        order_id=f"MYVNP{example.number:06d}",
        item_code=item,
        item_check_ok=True,
        leg=example.kind,
        raw_status=last.raw_code,
        raw_label=last.raw_label,
        status=last.status,
        updated_at=last.occurred_at,
        dossier_code=code,
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        sender=citizen if pickup else OFFICE,
        receiver=OFFICE if pickup else citizen,
        main_fee=26000,
        total_fee=26000,
        raw={},
    )
    return order, events


def test_worked_examples_through_the_ingest_and_leg_explain(
    engine: Engine,
    sandbox_server: SandboxHandle,
    make_context: MakeContext,
    routes_file: Path,
    cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POSTLINK_ROUTES_FILE", str(routes_file))
    get_settings.cache_clear()
    settings = get_settings()
    ctx = dataclasses.replace(
        make_context(sandbox_server),
        policy=load_policy(settings.deadlines_file, settings.routes_file),
    )
    orders, histories = [], {}
    with Session(engine) as session:
        for example, item in zip(EXAMPLES, ITEMS, strict=True):
            if example.kind == LegKind.PICKUP:  # the one-stop system registers the pickup
                citizen = Party("Nông Văn Dũng", "0912345678", "Tổ 5", "", example.commune)
                registration = Registration(
                    LegKind.PICKUP,
                    _dossier_code(example),
                    "1.001193",
                    "Đăng ký khai sinh",
                    citizen,
                    appointment_slip=example.slip,
                )
                register(session, ctx, settings, registration, actor="một cửa")
            order, events = _order_and_events(example, item)
            orders.append(order)
            histories[item] = events
        apply_orders(session, ctx, orders, histories, [], source="poll")
        session.commit()
        legs = {leg.item_code: leg for leg in session.exec(select(Leg)).all()}
    for example, item in zip(EXAMPLES, ITEMS, strict=True):
        leg = legs[item]
        assert (leg.j_date, leg.route, leg.route_days, leg.deadline) == (
            example.j,
            example.route,
            example.n,
            example.deadline,
        ), f"example {example.number}"
        assert leg.route_commune_unknown == (example.number == 9)

    shown: dict[str, Any] = json.loads(cli("leg", "explain", ITEMS[3], "--json").stdout)
    assert shown["reference"] == "000.00.12.H14-260424-0004-P1"
    assert shown["j_date"] == "2026-04-24"
    assert shown["j_event"] == {
        "at": "2026-04-24T02:30:00+00:00",
        "status": "picked_up",
        "code": "6",
        "label": "Đã lấy hàng",
    }
    assert shown["route"] == {
        "name": "intra_province",
        "label": "Khác khu vực trong tỉnh",
        "why": "khác khu vực trong tỉnh (Thành phố Cao Bằng (cũ) – Hòa An)",
        "commune_unknown": False,
        "appointment_slip": True,
    }
    assert shown["n"] == 4
    assert shown["days"] == EXAMPLE_4_DAYS
    assert shown["deadline"] == "2026-05-05"
    assert shown["invitations"] == {"count": 0, "attempts": [], "verdict": None, "reasons": []}

    returned = json.loads(cli("leg", "explain", "000.00.12.H14-260429-0003-R1", "--json").stdout)
    assert returned["route"]["appointment_slip"] is False
    assert returned["deadline"] == "2026-05-05"
    assert returned["invitations"]["count"] == 2
    assert [a["at"] for a in returned["invitations"]["attempts"]] == [
        "2026-05-04T08:00:00+00:00",
        "2026-05-06T08:00:00+00:00",
    ]
    unknown = json.loads(cli("leg", "explain", ITEMS[8], "--json").stdout)
    assert unknown["route"]["commune_unknown"] is True
    assert unknown["route"]["why"].endswith("— tính theo tuyến nội tỉnh")

    told = cli("leg", "explain", ITEMS[0])
    assert told.code == 0
    lines = told.stdout.splitlines()
    assert "Ngày J: 13/02/2026 — sự kiện: 13/02/2026 09:30 «Đã lấy hàng» (mã 6)" in lines
    assert "  T2 16/02/2026  bỏ qua: ngày lễ, Giao thừa Tết Nguyên Đán" in lines
    assert "  T2 23/02/2026  ngày làm việc thứ 1" in lines
    assert "Hạn: 23/02/2026" in lines
    typed = json.loads(cli("leg", "explain", f" {ITEMS[0].lower()} ", "--json").stdout)
    assert typed["deadline"] == "2026-02-23", "a waybill number typed in lower case"
    missing = cli("leg", "explain", "EB999999995VN")
    assert missing.code != 0
    assert "Không tìm thấy bưu gửi EB999999995VN" in missing.stderr
