"""The national gateway's endpoints in the sandbox, under ``/ngsp`` (postal brief §2).

``POST /ngsp/oauth/token`` (client credentials, Basic auth), ``POST /ngsp/orders``
(PascalCase, answered ``{"Status", "Message"}``) and ``GET /ngsp/tracking`` (a RESTHeart
collection of events: ``pagesize``, ``lastId``, ``filter`` on OrderNumber, ItemCode or
EventTime ``$gte``). Dialect faults: duplicates re-send the two events before the cursor,
out-of-order shuffles a page, quirks write EventTime as ``{"$date": …}`` and StatusCode as
text.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import parse_qsl

from postlink.postal.sandbox.accounts import Credentials
from postlink.postal.sandbox.dialect import Dialect, Reply
from postlink.postal.sandbox.event_feed import EventFeed, FeedEvent
from postlink.postal.sandbox.faults import Faults
from postlink.postal.sandbox.myvnpost import records
from postlink.postal.sandbox.post import Post
from postlink.postal.sandbox.terms import status_label

PREFIX = "/ngsp/"
MAX_PAGE_SIZE = 1000
TOKEN_LIFETIME = 3600


class NgspRoutes(Dialect):
    prefix = PREFIX
    login_operation = "oauth/token"
    create_operation = "orders"

    def __init__(self, post: Post, faults: Faults, credentials: Credentials) -> None:
        super().__init__(post, faults, credentials)
        self.feed = EventFeed(post)

    def busy(self, message: str) -> dict[str, Any]:
        return {"Status": 503, "Message": message}

    def handle(
        self, method: str, operation: str, query: dict[str, str], headers: Any, body: bytes
    ) -> Reply:
        if (method, operation) == ("POST", self.login_operation):
            return self._token(headers.get("Authorization", ""), body)
        bearer = str(headers.get("Authorization", "")).removeprefix("Bearer ")
        if not self.tokens.admits(bearer):
            return Reply(401, {"error": "invalid_token"})
        try:
            if (method, operation) == ("POST", self.create_operation):
                return self._create(json.loads(body))
            if (method, operation) == ("GET", "tracking"):
                return self._tracking(query)
        except (ValueError, KeyError, TypeError) as exc:
            return Reply(400, {"message": f"bad request: {exc}"})
        return Reply(404, {"message": f"no route {method} {PREFIX}{operation}"})

    def _token(self, authorization: str, body: bytes) -> Reply:
        self.tokens.login_attempted()
        try:
            pair = base64.b64decode(authorization.removeprefix("Basic "), validate=True).decode()
        except (binascii.Error, ValueError):
            pair = ""
        wanted = f"{self.credentials.client_id}:{self.credentials.client_secret}"
        grant = dict(parse_qsl(body.decode(errors="replace"))).get("grant_type")
        if pair != wanted or grant != "client_credentials":
            return Reply(401, {"error": "invalid_client"})
        token = self.tokens.issue()
        answer = {"access_token": token, "token_type": "bearer", "expires_in": TOKEN_LIFETIME}
        return Reply(200, answer)

    def _create(self, order: dict[str, Any]) -> Reply:
        if not order.get("OrderNumber"):
            return Reply(200, {"Status": 400, "Message": "Thiếu OrderNumber"})
        information = {
            "saleOrderCode": order["OrderNumber"],
            "contentNote": order.get("Description", ""),
            **{
                f"{side}{ours}": order.get(f"{side.capitalize()}{theirs}", "")
                for side in ("sender", "receiver")
                for ours, theirs in (
                    ("Name", "Name"),
                    ("Phone", "Tel"),
                    ("Address", "Address"),
                    ("ProvinceCode", "Province"),
                    ("CommuneCode", "District"),
                )
            },
        }
        self.post.create(information)
        return Reply(200, {"Status": 200, "Message": "Thành công"})

    def _tracking(self, query: dict[str, str]) -> Reply:
        size = int(query.get("pagesize", "100"))
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise ValueError(f"pagesize must lie between 1 and {MAX_PAGE_SIZE}")
        where = json.loads(query.get("filter") or "{}")
        last_id = query.get("lastId")
        now = self.post.minute()
        if "OrderNumber" in where or "ItemCode" in where:
            orders = (
                self.post.find_by_reference(str(where["OrderNumber"]))
                if "OrderNumber" in where
                else [o for o in [self.post.find_by_item(str(where["ItemCode"]))] if o]
            )
            events = sorted(
                (e for o in orders for e in self.feed.of_order(o.order_id, now)),
                key=lambda e: e.oid,
            )
            events = [e for e in events if not last_id or e.oid > last_id][:size]
        else:
            since_ms = int(dict(where.get("EventTime") or {}).get("$gte", 0))
            since = (since_ms // 1000 - int(self.post.origin.timestamp())) // 60
            events = self.feed.after(last_id, since, now, size)
            if last_id and self.faults.roll("duplicates"):
                before = self.feed.after(None, minute_before(last_id), now, size)
                events = [e for e in before if e.oid <= last_id][-2:] + events
        docs = [self._document(event) for event in events]
        if self.faults.roll("out_of_order"):
            self.faults.shuffle(docs)
        return Reply(200, {"_returned": len(docs), "_embedded": {"rh:doc": docs}})

    def _document(self, event: FeedEvent) -> dict[str, Any]:
        order = self.post.order(event.order_id)
        assert order is not None
        procedure, _, name = order.content_note.removeprefix("TTHC ").partition(": ")
        ours = order.content_note.startswith("TTHC ")
        at = int(self.post.instant(event.minute).timestamp() * 1000)
        quirky = self.faults.roll("quirks")
        return {
            "_id": {"$oid": event.oid},
            "CustomerCode": self.credentials.customer_code,
            "OrderNumber": order.reference,
            "EventTime": {"$date": at} if quirky else at,
            "POSID": "270000",
            "ItemCode": order.item_code,
            "StatusCode": str(event.code) if quirky else event.code,
            "StatusMessage": status_label(event.code),
            "Notes": records.location(order, event.code),
            "ProcedureCode": procedure if ours else "",
            "ProcedureName": name if ours else "",
        }


def minute_before(oid: str) -> int:
    """A minute early enough to find the events just before ``oid`` (for duplicates)."""
    return max(0, int(oid[:8], 16) - 1440)
