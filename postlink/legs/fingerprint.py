"""What a leg was last written from, in one short digest (issue 15 §3).

An overlapping poll re-reads a day and more of orders that did not move. Deciding that such
a record changes nothing by re-deriving every column it touches (fold, route, deadline,
invitations, match) and comparing them with the stored leg cost several times reading the
pages. Instead the sync's full path stores on each leg it writes a digest of all it was
written from, besides the leg's own events:

- the record as the post sent it (its JSON with sorted keys, ``Order.record``), which
  every column the record sets is read from;
- the rules in force (``rules_digest``: the carrier's status table, the route table, the
  deadline and invitation policy with its calendar, the time zone);
- the registered dossier's inputs (``dossier_inputs``): the dossier itself, its procedure
  and unit, and, while the leg's deadline is not counted yet, its commune and appointment
  slip (the route's inputs; a counted deadline keeps its route).

A record whose digest, computed the same way from the leg's stored dossier and deadline,
equals the stored one changes nothing and is skipped. Any other write to the leg through
SQLAlchemy clears the digest (``Leg.record_digest``'s ``onupdate``), so a leg changed by
anything else (a re-fold, a rematch, a hand edit) has its record applied in full once more.
Events are not in the digest: new ones come with a fetched history, which is never skipped,
or through another path's re-fold, which the stored state already holds.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

from postlink.legs.deadlines import DeadlinePolicy
from postlink.models import LegKind
from postlink.postal.statuses import StatusTable

#: Bytes of the digest; stored as hex in ``leg.record_digest`` (String(32)).
DIGEST_BYTES = 16


def _canonical(value: Any) -> Any:
    """``value`` as nested tuples whose repr is the same in every process: dataclasses by
    field, mappings and sets sorted (a frozenset's own order follows the string hash seed)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (
            type(value).__name__,
            *((f.name, _canonical(getattr(value, f.name))) for f in fields),
        )
    if isinstance(value, dict):
        return tuple(sorted((repr(k), _canonical(v)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return tuple(sorted(repr(_canonical(v)) for v in value))
    if isinstance(value, list | tuple):
        return tuple(_canonical(v) for v in value)
    return repr(value)


def rules_digest(table: StatusTable, policy: DeadlinePolicy, tz: ZoneInfo) -> bytes:
    """The rules a record is applied with; a change of any of them applies every record in
    full once more."""
    rules = (_canonical(table.statuses), _canonical(table.labels), _canonical(policy), tz.key)
    return hashlib.blake2b(repr(rules).encode(), digest_size=DIGEST_BYTES).digest()


def dossier_inputs(
    dossier_id: int | None,
    procedure_code: str | None,
    agency_code: str | None,
    commune_code: str | None,
    appointment_slip: bool | None,
    dated: bool,
    kind: str,
) -> tuple[Any, ...]:
    """What a record's columns read from the registered dossier (``apply._record_values``):
    the route's inputs only while the leg's deadline is not counted (``dated``), and the appointment
    slip only for the dossier (pickup) leg, the only one that carries it (``leg_ends``)."""
    if dated:
        return (dossier_id, procedure_code, agency_code)
    slip = bool(appointment_slip) and kind == LegKind.PICKUP
    return (dossier_id, procedure_code, agency_code, commune_code, slip)


def leg_digest(record: bytes, rules: bytes, dossier: tuple[Any, ...]) -> str:
    """The digest stored on a leg written from ``record`` under ``rules`` with ``dossier``."""
    digest = hashlib.blake2b(rules, digest_size=DIGEST_BYTES)
    digest.update(record)
    digest.update(repr(dossier).encode())
    return digest.hexdigest()
