"""MyVNPost over HTTP: the endpoints and the token login, nothing else (postal brief §1).

Thin by design (the Karrio split): each method is one call of the shared HTTP layer and
returns the decoded body; mapping.py makes models of it.
"""

from __future__ import annotations

from typing import Any

from postlink.postal.http import HttpClient
from postlink.postal.myvnpost import mapping
from postlink.postal.tokens import SharedToken

PREFIX = "/customer-partner"


class TokenLogin(SharedToken):
    """The ``token`` header, from GetAccessToken, cached until the post refuses it.

    The token's lifetime is unpublished, so it is kept until a 401/403; the HTTP layer then
    calls ``invalidate`` and replays the call with a fresh login, one login for all the
    threads refused together (``tokens.py``, brief §1). A refused login raises
    PostalAuthError at once: bad credentials are not retried.
    """

    header = "token"

    def __init__(self, http: HttpClient, username: str, password: str, customer_code: str):
        super().__init__()
        self._http = http
        self._username = username
        self._password = password
        self._customer_code = customer_code

    def headers(self) -> dict[str, str]:
        with self._lock:
            return self._headers() if self._token is not None else self._keep(self._login())

    def _login(self) -> str:
        body = mapping.login_request(self._username, self._password, self._customer_code)
        payload = self._http.call("GetAccessToken", "POST", f"{PREFIX}/GetAccessToken", body=body)
        return mapping.parse_login_response(payload, self._username, self._customer_code)


class MyVNPostProxy:
    def __init__(self, http: HttpClient, login: TokenLogin) -> None:
        self.http = http
        self.login = login

    def create_order(self, body: dict[str, Any]) -> Any:
        """Never retried here: an ambiguous failure raises OutcomeUnknown (brief §4)."""
        return self.http.call(
            "CreateOrder",
            "POST",
            f"{PREFIX}/CreateOrder",
            body=body,
            auth=self.login,
            idempotent=False,
            error_in_body=mapping.error_in_body,
        )

    def get_order(self, params: dict[str, str | int]) -> Any:
        return self._get("getOrder", params)

    def get_list_order(self, params: dict[str, str | int]) -> Any:
        return self._get("GetListOrder", params)

    def get_status_history(self, params: dict[str, str | int]) -> Any:
        return self._get("GetStatusHistoryOrder", params)

    def cancel_order(self, body: dict[str, str]) -> Any:
        """Retried like a read: cancelling twice changes nothing at the post."""
        return self.http.call(
            "orderCancel",
            "POST",
            f"{PREFIX}/orderCancel",
            body=body,
            auth=self.login,
            error_in_body=mapping.error_in_body,
        )

    def _get(self, operation: str, params: dict[str, str | int]) -> Any:
        return self.http.call(
            operation,
            "GET",
            f"{PREFIX}/{operation}",
            params=params,
            auth=self.login,
            error_in_body=mapping.error_in_body,
        )
