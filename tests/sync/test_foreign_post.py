"""A MyVNPost-dialect server postlink's authors did not write, read through the real sync
into the database (issue 11, "Done when": all orders, all events, nothing quarantined).

The server below is a few lines of ``http.server`` serving bodies typed by hand from the
brief's examples (postal-api.md §1), in the ways its authors might write them: GUID and
numeric order ids, ``orderHdrId``/``originalId``, ``vasfee``, numbers as text
(``"26,000"``, ``"26000.0"``, ``"10"``), list pages bare or wrapped in ``data``, history as
an object, a list or under ``"statusHistory "``, ``createHour``, a token that lapses, an
HTML 500, a record sent twice, a result returned to the office after two invitations. It
shares nothing with the sandbox or the client: the expected legs are typed by hand too.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink import defaults
from postlink.catalog.resolve import Resolver
from postlink.legs.apply import SyncContext
from postlink.legs.deadlines import load_policy
from postlink.models import Dossier, Event, Leg, Quarantined
from postlink.postal.errors import PostalProtocolError
from postlink.postal.exchange_log import DatabaseRecorder
from postlink.postal.models import LegKind, OrderRequest, Party
from postlink.postal.myvnpost.adapter import MyVNPostAdapter
from postlink.settings import get_settings, load_settings
from postlink.sync.pull import pull
from tests.postal.fixtures import CLIENT_ENV

#: The foreign post's "now": after every event below (Vietnam time 9/1/2026 08:00).
NOW = datetime(2026, 1, 9, 1, 0, tzinfo=UTC)

GUI_ORDERS: list[dict[str, Any]] = [
    {
        "orderHdrID": "8a7f1c2e-5b0d-4c1e-9f3a-2d7e6b1c0a94",
        "originalID": "MYVNP260105000123",
        "itemCode": "EB123456785VN",
        "saleOrderCode": "000.00.12.H14-251229-0007-R1",
        "status": 14,
        "serviceCode": "CTN009",
        "mainFee": 26000,
        "vasFee": 0,
        "totalFee": 26000,
        "weight": "200",
        "contentNote": "TTHC 1.001193: Đăng ký khai sinh",
        "receiverName": "Hoàng Thị Mai",
        "receiverPhone": "0912000111",
    },
    {
        "orderHdrId": "3c9e0b7a-1d2f-4a5b-8c6d-7e8f9a0b1c2d",
        "originalId": "MYVNP260105000124",
        "itemCode": "RR004172332VN",
        "saleOrderCode": "000.00.03.H14-260105-0002-P1",
        "status": "10",
        "serviceCode": "CTN009",
        "mainFee": "26,000",
        "vasfee": "8,000",
        "totalFee": "34,000",
        "weight": "200",
        "contentNote": "TTHC 2.000815: Chứng thực bản sao từ bản chính",
        "senderName": "Lục Văn Hùng",
    },
    {
        "orderHdrId": "e5f6a7b8-c9d0-4e1f-9a2b-3c4d5e6f7a8b",
        "originalId": "MYVNP260105000125",
        "itemCode": "EB123456784VN",
        "saleOrderCode": "000.00.12.H14-251229-0008-R1",
        "status": 21,
        "mainFee": 26000.0,
        "vasfee": 0,
        "totalFee": "26000",
        "weight": 200,
        "contentNote": "TTHC 1.000656: Đăng ký khai tử",
    },
    {
        "orderHdrId": "f6a7b8c9-d0e1-4f2a-8b3c-4d5e6f7a8b9c",
        "originalId": "MYVNP260105000126",
        "itemCode": "EB100000003VN",
        "saleOrderCode": "000.00.12.H14-251229-0009-R1",
        "status": "19",
        "mainFee": "26000",
        "vasFee": "8000",
        "totalFee": "34000",
        "contentNote": "TTHC 1.001193: Đăng ký khai sinh",
    },
    {
        "orderHdrID": 1044,
        "originalID": "MYVNP260107000001",
        "itemCode": "",
        "saleOrderCode": "000.00.12.H14-260107-0001-R1",
        "status": 1,
        "mainFee": None,
        "contentNote": "TTHC 1.001193: Đăng ký khai sinh",
    },
]

NHAN_ORDERS: list[dict[str, Any]] = [
    {
        "orderHdrID": "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
        "originalID": "MYVNP260106000031",
        "itemCode": "CP388012450VN",
        "saleOrderCode": "",
        "status": 7,
        "mainFee": "26000.0",
        "weight": "350",
        "contentNote": "Hồ sơ 000.00.05.H14-260106-0011 - TTHC 1.001193 - Đăng ký khai sinh",
        "senderName": "<b>Nông Văn An</b>",
        "senderPhone": "0987000222",
    },
    {
        "orderHdrID": "d4e5f6a7-b8c9-4dae-8f01-23456789abcd",
        "originalID": "MYVNP260106000032",
        "itemCode": "EB999999995VN",
        "saleOrderCode": "000.00.07.H14-260106-0003",
        "status": 77,
        "statusName": "Trạng thái mới",
        "contentNote": "TTHC 2.000815.000.00.00.H14: Chứng thực bản sao",
    },
]


def _entry(
    day: str, hour: str, code: int | str, name: str, hour_key: str = "createdHour"
) -> dict[str, Any]:
    return {
        "createdDate": day,
        hour_key: hour,
        "statusCode": code,
        "statusName": name,
        "locateName": "Bưu cục Cao Bằng",
    }


HISTORIES: dict[str, dict[str, Any]] = {
    "EB123456785VN": {
        "data": {
            "itemCode": "EB123456785VN",
            "statusHistory": [
                _entry("05/01/2026", "08:00", 1, "Đã tạo"),
                _entry("05/01/2026", "15:20", 7, "Bưu cục đã nhận hàng"),
                _entry("06/01/2026", "07:45", 10, "Đang vận chuyển"),
                _entry("07/01/2026", "08:10", 12, "Đang giao hàng"),
                _entry("07/01/2026", "10:05", 14, "Đã giao hàng"),
            ],
        }
    },
    "RR004172332VN": {
        "data": [
            {
                "itemCode": "RR004172332VN",
                "statusHistory": [
                    _entry("05/01/2026", "09:00", "2", "Bưu tá nhận yêu cầu thu gom", "createHour"),
                    _entry("05/01/2026", "13:00", "4", "Đang lấy hàng", "createHour"),
                    _entry("05/01/2026", "14:10", "6", "Đã lấy hàng", "createHour"),
                    _entry("05/01/2026", "17:00", "7", "Bưu cục đã nhận hàng", "createHour"),
                    _entry("06/01/2026", "08:30", "10", "Đang vận chuyển", "createHour"),
                ],
            }
        ]
    },
    "EB123456784VN": {
        "data": [
            {
                "itemCode": "EB123456784VN",
                "statusHistory": [
                    _entry("08/01/2026", "09:00", 21, "Đã trả tiền thu hộ", "createHour"),
                    _entry("05/01/2026", "08:05", 1, "Đã tạo", "createHour"),
                    _entry("05/01/2026", "15:25", 7, "Bưu cục đã nhận hàng", "createHour"),
                    _entry("06/01/2026", "07:50", 10, "Đang vận chuyển", "createHour"),
                    _entry("07/01/2026", "08:15", 12, "Đang giao hàng", "createHour"),
                    _entry("07/01/2026", "11:40", 14, "Đã giao hàng", "createHour"),
                ],
            }
        ]
    },
    "EB100000003VN": {
        "data": {
            "itemCode": "EB100000003VN",
            "statusHistory": [
                _entry("05/01/2026", "08:10", 1, "Đã tạo"),
                _entry("05/01/2026", "15:30", 7, "Bưu cục đã nhận hàng"),
                _entry("06/01/2026", "07:55", 10, "Đang vận chuyển"),
                _entry("06/01/2026", "14:00", 12, "Đang giao hàng"),
                _entry("06/01/2026", "15:10", 15, "Giao không thành công"),
                _entry("08/01/2026", "09:00", 12, "Đang giao hàng"),
                _entry("08/01/2026", "10:20", 15, "Giao không thành công"),
                _entry("08/01/2026", "16:00", 16, "Chờ để chuyển hoàn"),
                _entry("08/01/2026", "17:30", 18, "Bắt đầu chuyển hoàn"),
                _entry("08/01/2026", "23:40", 19, "Trả hàng thành công"),
            ],
        }
    },
    "CP388012450VN": {
        "data": {
            "itemCode": "CP388012450VN",
            "statusHistory ": [
                _entry("06/01/2026", "07:30", 1, "Đã tạo"),
                _entry("06/01/2026", "09:45", 6, "Đã lấy hàng"),
                _entry("06/01/2026", "11:00", 7, "Bưu cục đã nhận hàng"),
            ],
        }
    },
    "EB999999995VN": {
        "data": {
            "itemCode": "EB999999995VN",
            "statusHistory": [
                _entry("06/01/2026", "08:00", 1, "Đã tạo"),
                _entry("06/01/2026", "12:00", 7, "Bưu cục đã nhận hàng"),
                _entry("07/01/2026", "09:00", 77, "Trạng thái mới"),
            ],
        }
    },
}

#: What the database must hold afterwards, typed by hand: reference → (order id, item code,
#: check digit ok, kind, status).
EXPECTED_LEGS = {
    "000.00.12.H14-251229-0007-R1": (
        "MYVNP260105000123",
        "EB123456785VN",
        True,
        "return",
        "delivered",
    ),
    "000.00.03.H14-260105-0002-P1": (
        "MYVNP260105000124",
        "RR004172332VN",
        True,
        "pickup",
        "in_transit",
    ),
    "000.00.12.H14-251229-0008-R1": (
        "MYVNP260105000125",
        "EB123456784VN",
        False,
        "return",
        "delivered",
    ),
    "000.00.12.H14-251229-0009-R1": (
        "MYVNP260105000126",
        "EB100000003VN",
        True,
        "return",
        "returned",
    ),
    "000.00.12.H14-260107-0001-R1": ("MYVNP260107000001", None, True, "return", "created"),
    "MYVNPOST-c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f": (
        "MYVNP260106000031",
        "CP388012450VN",
        True,
        "pickup",
        "accepted",
    ),
    "000.00.07.H14-260106-0003": ("MYVNP260106000032", "EB999999995VN", True, "pickup", "accepted"),
}
EXPECTED_EVENTS = 5 + 5 + 6 + 10 + 3 + 3
#: An order of ours whose id is longer than postlink stores (101 characters).
UNREADABLE = {
    "orderHdrID": "0123456789" * 10 + "X",
    "originalID": "MYVNP260108000001",
    "itemCode": "EB123456785VN",
    "saleOrderCode": "000.00.12.H14-260108-0099-R1",
    "status": 1,
}
#: The first token lapses after this many calls: the client must log in again and replay.
TOKEN_USES = 3


class ForeignPost(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    tokens: dict[str, int]
    failed: set[str]
    created = 0
    url: str
    lock = threading.Lock()

    def _reply(self, status: int, body: Any) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _first(self, what: str) -> bool:
        """True the first time ``what`` is asked for: the post's first answer fails."""
        with self.lock:
            first = what not in self.failed
            self.failed.add(what)
        return first

    def _html_error(self) -> None:
        payload = b"<html><body><h1>500 Internal Server Error</h1></body></html>"
        self.send_response(500)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if urlsplit(self.path).path == "/customer-partner/CreateOrder":
            with self.lock:
                type(self).created += 1
            self._reply(200, {"data": UNREADABLE})
            return
        if urlsplit(self.path).path != "/customer-partner/GetAccessToken":
            self._reply(404, {"message": "not found"})
            return
        with self.lock:
            token = f"token-{len(self.tokens) + 1}"
            self.tokens[token] = 0
        self._reply(200, {"success": True, "token": token, "errorMessage": None})

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = dict(parse_qsl(url.query))
        token = self.headers.get("token", "")
        with self.lock:
            uses = self.tokens.get(token)
            lapsed = uses is None or (token == "token-1" and uses >= TOKEN_USES)
            if not lapsed:
                self.tokens[token] = uses + 1
        if lapsed:
            self._reply(401, {"message": "Token hết hạn"})
        elif url.path == "/customer-partner/GetListOrder" and self._first("list"):
            self._html_error()
        elif url.path == "/customer-partner/GetListOrder":
            orders = GUI_ORDERS + GUI_ORDERS[:1] if query["type"] == "GUI" else NHAN_ORDERS
            page = orders if query["page"] == "0" else []
            self._reply(
                200, {"results": page} if query["type"] == "GUI" else {"data": {"results": page}}
            )
        elif url.path == "/customer-partner/getOrder":
            found = [UNREADABLE] if query["code"] == UNREADABLE["saleOrderCode"] else []
            self._reply(200, [{"results": found}])
        elif url.path == "/customer-partner/GetStatusHistoryOrder":
            self._reply(200, HISTORIES.get(query["code"], {"data": None}))
        else:
            self._reply(404, {"message": "not found"})

    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def foreign_post() -> Iterator[type[ForeignPost]]:
    """The server, serving on a free port; its class holds the ``url`` and the tokens."""
    handler = type("Handler", (ForeignPost,), {"tokens": {}, "failed": set()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    handler.url = f"http://{host!s}:{port}"
    yield handler
    server.shutdown()
    server.server_close()


def _adapter(url: str, engine: Engine | None = None) -> MyVNPostAdapter:
    settings = load_settings(
        {**CLIENT_ENV, "POSTLINK_POSTAL_BASE_URL": url}, Path("/nonexistent/.env")
    )
    recorder = DatabaseRecorder(engine) if engine is not None else (lambda record: None)
    return MyVNPostAdapter(settings, recorder, clock=lambda: NOW)


def test_an_unreadable_order_of_ours_is_never_created_twice(
    foreign_post: type[ForeignPost],
) -> None:
    """getOrder returns our reference in a record that cannot be read: postlink must not
    take it for "absent" and create a second order at the post."""
    adapter = _adapter(foreign_post.url)
    office = Party("Trung tâm PVHCC", "02063852000", "phường Thục Phán", "04", "01273")
    citizen = Party("Bế Thị Lan", "0912000111", "xã Hòa An", "04", "01654")
    request = OrderRequest(
        reference=str(UNREADABLE["saleOrderCode"]),
        leg=LegKind.RETURN,
        dossier_code="000.00.12.H14-260108-0099",
        procedure_code="1.001193",
        procedure_name="Đăng ký khai sinh",
        sender=office,
        receiver=citizen,
    )
    try:
        with pytest.raises(PostalProtocolError, match="101 characters"):
            adapter.create_order(request)
    finally:
        adapter.close()
    assert foreign_post.created == 0


def test_a_foreign_post_is_read_completely(
    engine: Engine, published_list: int, foreign_post: type[ForeignPost]
) -> None:
    adapter = _adapter(foreign_post.url, engine)
    ctx = SyncContext(
        engine=engine,
        adapter=adapter,
        resolver=Resolver(engine),
        policy=load_policy(defaults.DEADLINES_FILE),
        tz=get_settings().tz,
    )
    counts: Counter[str] = Counter()
    try:
        pull(ctx, counts)
    finally:
        adapter.close()
    with Session(engine) as session:
        assert session.exec(select(Quarantined)).all() == [], "a readable record was quarantined"
        legs = {leg.reference: leg for leg in session.exec(select(Leg)).all()}
        events = session.exec(select(Event)).all()
        dossier = session.exec(
            select(Dossier).where(Dossier.code == "000.00.05.H14-260106-0011")
        ).one()
    assert counts["quarantined"] == 0
    assert len(foreign_post.tokens) >= 2, "the first token lapsed and a new one was asked for"
    assert foreign_post.failed == {"list"}, "the HTML 500 was served and got over"
    assert legs["000.00.12.H14-251229-0009-R1"].invitations == 2
    assert {
        reference: (leg.order_id, leg.item_code, leg.item_check_ok, leg.kind, leg.status)
        for reference, leg in legs.items()
    } == EXPECTED_LEGS
    assert len(events) == EXPECTED_EVENTS
    assert (
        legs["000.00.03.H14-260105-0002-P1"].main_fee,
        legs["000.00.03.H14-260105-0002-P1"].total_fee,
    ) == (26000, 34000)
    assert legs["MYVNPOST-c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"].main_fee == 26000
    assert legs["000.00.12.H14-251229-0008-R1"].closed_at is not None, (
        "money after delivery keeps it closed"
    )
    assert dossier.citizen_name == "<b>Nông Văn An</b>", "kept as sent; pages escape it"
