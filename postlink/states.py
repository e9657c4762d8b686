"""The values some columns hold, as enumerations importable without the ORM.

Apart from ``postlink.models`` (which re-exports them) so that the quick commands, which
read through ``postlink.tables``, compare with the same names the models use (issue 15 §2).
"""

from __future__ import annotations

from enum import StrEnum


class VersionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class Level(StrEnum):
    """Cấp thực hiện. Districts were abolished on 1/7/2025; ``huyen`` is kept for history."""

    TINH = "tinh"
    HUYEN = "huyen"
    XA = "xa"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    REFUSED = "refused"
    FAILED = "failed"
