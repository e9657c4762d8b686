"""Who may call the sandbox: the accepted credentials and the tokens handed out.

Both dialects share the token book and its "expired token" fault: a token is refused at
random once it has been used, never on its first call, so a client that logs in again and
replays once always gets through (postal brief §1: replay once).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from threading import Lock

from postlink.postal.sandbox.faults import Faults


@dataclass(frozen=True)
class Credentials:
    """MyVNPost user, password and customer code; NGSP client key and secret."""

    username: str = "sandbox"
    password: str = "sandbox"
    customer_code: str = "SANDBOX"
    client_id: str = "sandbox"
    client_secret: str = "sandbox"


class TokenBook:
    def __init__(self, faults: Faults) -> None:
        self._faults = faults
        self._tokens: dict[str, int] = {}
        self._lock = Lock()
        self.logins = 0

    def login_attempted(self) -> None:
        with self._lock:
            self.logins += 1

    def issue(self) -> str:
        token = secrets.token_hex(16)
        with self._lock:
            self._tokens[token] = 0
        return token

    def admits(self, token: str | None) -> bool:
        """Whether ``token`` is (still) good; the expired-token fault may revoke it now."""
        key = token or ""
        with self._lock:
            uses = self._tokens.get(key)
            if uses is None:
                return False
            self._tokens[key] = uses + 1
        if uses and self._faults.roll("expired_token"):
            with self._lock:
                self._tokens.pop(key, None)
            return False
        return True
