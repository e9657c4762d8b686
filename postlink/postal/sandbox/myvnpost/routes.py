"""The MyVNPost endpoints of the sandbox (postal brief §1), over the sandbox post.

The faults that need to know the dialect live here: duplicate records across feed pages,
out-of-order history and the shape quirks. Transport faults are the server's, expired
tokens the token book's (accounts.py).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from postlink.postal.sandbox.accounts import Credentials
from postlink.postal.sandbox.dialect import Dialect, Reply
from postlink.postal.sandbox.faults import Faults
from postlink.postal.sandbox.myvnpost import records
from postlink.postal.sandbox.post import Post
from postlink.postal.sandbox.world import SimOrder

PREFIX = "/customer-partner/"
MAX_PAGE_SIZE = 500


def _error(status: int, message: str) -> Reply:
    return Reply(status, {"success": False, "errorMessage": message})


class MyVNPostRoutes(Dialect):
    prefix = PREFIX
    login_operation = "GetAccessToken"
    create_operation = "CreateOrder"

    def __init__(
        self, post: Post, faults: Faults, credentials: Credentials, variants: bool = True
    ) -> None:
        super().__init__(post, faults, credentials)
        self.variants = variants

    def wire(self, order: SimOrder) -> records.Wire:
        """How this order's records are written: its own seeded variant (or the documented
        shape when variants are off), with the ``quirks`` fault's shapes on top."""
        wire = records.wire_of(self.post.world.seed, order, self.variants)
        if self.faults.roll("quirks"):
            wire = records.quirky(wire, self.faults.choice(3))
        return wire

    def busy(self, message: str) -> dict[str, Any]:
        return {"success": False, "errorMessage": message}

    def handle(
        self, method: str, operation: str, query: dict[str, str], headers: Any, body: bytes
    ) -> Reply:
        if operation == self.login_operation and method == "POST":
            return self._login(body)
        if not self.tokens.admits(headers.get("token")):
            return Reply(401, {"message": "Token không hợp lệ hoặc đã hết hạn"})
        routes = {
            ("POST", self.create_operation): lambda: self._create(body),
            ("GET", "getOrder"): lambda: self._get_order(query),
            ("GET", "GetListOrder"): lambda: self._list(query),
            ("GET", "GetStatusHistoryOrder"): lambda: self._history(query),
            ("POST", "orderCancel"): lambda: self._cancel(body),
        }
        route = routes.get((method, operation))
        if route is None:
            return Reply(404, {"message": f"no route {method} {PREFIX}{operation}"})
        try:
            return route()
        except (ValueError, KeyError, TypeError) as exc:
            return Reply(400, {"message": f"bad request: {exc}"})

    # --- Auth ---------------------------------------------------------------------------------

    def _login(self, body: bytes) -> Reply:
        self.tokens.login_attempted()
        try:
            data = json.loads(body)
        except ValueError:
            return Reply(400, {"message": "body is not JSON"})
        given = (data.get("username"), data.get("password"), data.get("customerCode"))
        wanted = self.credentials
        if given != (wanted.username, wanted.password, wanted.customer_code):
            message = "Tên đăng nhập, mật khẩu hoặc mã khách hàng không đúng"
            return Reply(200, {"success": False, "token": None, "errorMessage": message})
        return Reply(200, {"success": True, "token": self.tokens.issue(), "errorMessage": None})

    # --- Orders -------------------------------------------------------------------------------

    def _record(self, order: SimOrder, now: int) -> dict[str, Any]:
        return records.order_record(self.post, order, now, self.wire(order))

    def _create(self, body: bytes) -> Reply:
        data = json.loads(body)
        information = data.get("informationOrder")
        if not isinstance(information, dict) or not information.get("saleOrderCode"):
            return _error(200, "Thiếu thông tin đơn hàng (informationOrder.saleOrderCode)")
        if data.get("customerCode") != self.credentials.customer_code:
            return _error(200, "Mã khách hàng không khớp với tài khoản")
        order = self.post.create(information)
        wire = self.wire(order)
        record = records.order_record(self.post, order, self.post.minute(), wire)
        return Reply(200, records.created_body(record, wire))

    def _get_order(self, query: dict[str, str]) -> Reply:
        kind, code = query["type"], query["code"]
        now = self.post.minute()
        if kind == "1":
            found = [o for o in [self.post.find_by_item(code)] if o is not None]
        elif kind == "2":
            found = self.post.find_by_reference(code)
        elif kind == "3":
            found = [o for o in [self.post.order_by_original_id(code)] if o is not None]
        else:
            raise ValueError(f"type={kind} (expected 1, 2 or 3)")
        visible = [self._record(o, now) for o in found if o.created <= now]
        return Reply(200, [{"results": visible}])

    def _list(self, query: dict[str, str]) -> Reply:
        feed = query["type"]
        size, page = int(query["size"]), int(query["page"])
        if feed not in ("GUI", "NHAN") or not 1 <= size <= MAX_PAGE_SIZE or page < 0:
            raise ValueError("expected type GUI|NHAN, 1 <= size <= 500, page >= 0")
        low = self.post.day_start(datetime.strptime(query["lastUpdateFrom"], "%d-%m-%Y").date())
        high = self.post.day_start(datetime.strptime(query["lastUpdateTo"], "%d-%m-%Y").date())
        high += 1440
        orders = self.post.page(feed, low, high, page, size)
        if page and self.faults.roll("duplicates"):
            before = self.post.page(feed, low, high, page - 1, size)
            orders = before[len(before) - min(3, size // 4, len(before)) :] + orders
        now = self.post.minute()
        return Reply(200, {"results": [self._record(o, now) for o in orders]})

    def _history(self, query: dict[str, str]) -> Reply:
        code = query["code"]
        order = self.post.find_by_item(code)
        now = self.post.minute()
        if order is None or order.created > now:
            return Reply(200, records.history_body(code, [], records.DOCUMENTED))
        wire = self.wire(order)
        entries = records.history_entries(self.post, order, now, wire)
        if self.faults.roll("out_of_order"):
            self.faults.shuffle(entries)
        return Reply(200, records.history_body(order.item_code, entries, wire))

    def _cancel(self, body: bytes) -> Reply:
        original_id = str(json.loads(body)["OriginalId"])
        kind, message = self.post.cancel(original_id)
        answer = {"Type": kind, "Message": message, "CaseId": None, "OriginalId": original_id}
        return Reply(200, [answer])
