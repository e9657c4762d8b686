"""All tables. Importing this package registers every table on ``SQLModel.metadata``."""

from postlink.models.audit import ApiToken, AuditEntry, LoginAttempt, Role, User
from postlink.models.catalog import ListEntry, ListVersion
from postlink.models.exchange import Exchange, Quarantined
from postlink.models.handover import Direction, Handover, HandoverItem, ItemState
from postlink.models.scheduling import JobRun, Lease, SyncCursor
from postlink.models.tracking import (
    Dossier,
    Event,
    Leg,
    LegKind,
    MatchClass,
    OutboxCommand,
)
from postlink.models.webhooks import WebhookReceipt
from postlink.states import Level, OutboxState, VersionStatus

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Direction",
    "Dossier",
    "Event",
    "Exchange",
    "Handover",
    "HandoverItem",
    "ItemState",
    "JobRun",
    "Lease",
    "Leg",
    "LegKind",
    "Level",
    "ListEntry",
    "ListVersion",
    "LoginAttempt",
    "MatchClass",
    "OutboxCommand",
    "OutboxState",
    "Quarantined",
    "Role",
    "SyncCursor",
    "User",
    "VersionStatus",
    "WebhookReceipt",
]
