"""What a sandbox dialect is: endpoints under one path prefix, over the shared post.

The server asks a dialect which operation logs in and which creates an order (for the
faults that depend on it) and how it writes an error inside HTTP 200.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from postlink.postal.sandbox.accounts import Credentials, TokenBook
from postlink.postal.sandbox.faults import Faults
from postlink.postal.sandbox.post import Post


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class Dialect:
    prefix: str
    login_operation: str
    create_operation: str

    def __init__(self, post: Post, faults: Faults, credentials: Credentials) -> None:
        self.post = post
        self.faults = faults
        self.credentials = credentials
        self.tokens = TokenBook(faults)

    def handles(self, path: str) -> bool:
        return path.startswith(self.prefix)

    def operation(self, path: str) -> str:
        return path.removeprefix(self.prefix)

    def busy(self, message: str) -> Any:
        """An error reported inside HTTP 200, as this dialect writes it."""
        raise NotImplementedError

    def handle(
        self, method: str, operation: str, query: dict[str, str], headers: Any, body: bytes
    ) -> Reply:
        raise NotImplementedError
