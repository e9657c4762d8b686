"""Citizens' personal data in what the post sends: which fields, and masking them in place.

The exchange log and the quarantine keep the post's bodies as text, and those bodies name
the sender and the receiver of every order: names, phones, e-mail and street addresses are
personal data (Law 91/2025/QH15 on personal data protection). They are kept whole for
``POSTLINK_RAW_BODY_RETENTION_DAYS`` (diagnosing a parser needs the real record), then
masked where they lie: each personal field's value becomes ``***`` and every other byte of
the body stays, so the record still shows what the post said about the item (codes,
statuses, times, fees, the parties' province and commune codes, which the deadline's route
needs) for audit.

The fields are the post's own names (``docs/postal-api.md``): MyVNPost ``senderName``,
``senderPhone``, ``senderEmail``, ``senderAddress`` and their ``receiver…`` twins; NGSP
``SenderName``, ``SenderTel``, ``SenderAddress`` and their ``Receiver…`` twins. No ID
number field is documented, but delivery checks the recipient's CCCD or passport (TT
17/2017 art. 5 cl. 2), so the names such a field would carry are masked too, should a post
ever send one. Keys are matched in any casing and padding (``"ReceiverPhone "``) and at any
depth, as ``postal.fields`` reads them; and, as in ``postal.redaction``, on the text rather
than a parse, because a stored body may be cut short (``…[truncated]``), malformed (that is
why it was quarantined) or written in the Python form older versions used.
"""

from __future__ import annotations

import re
from typing import Any

MASK = "***"

_PARTIES = ("sender", "receiver")
_DETAILS = (
    "name",
    "phone",
    "tel",
    "mobile",
    "email",
    "address",
    "idnumber",
    "identitynumber",
    "cccd",
    "cmnd",
    "passport",
)
#: Every personal field name, case-folded: ``sendername``, ``receivertel``, …
PERSONAL_FIELDS = frozenset(party + detail for party in _PARTIES for detail in _DETAILS)

_KEY = "|".join(sorted(PERSONAL_FIELDS, key=len, reverse=True))
#: Where ``postal.redaction`` cut a long body.
_CUT = re.escape("…[truncated]")
#: A personal key in quotes (double or single, padded, any casing), then its value: a
#: string, perhaps cut off at the end of a truncated body, or a bare scalar (a phone sent
#: as a number). A value that is null, None or empty has nothing to hide.
_FIELD = re.compile(
    rf"""(?P<key>(?P<q>["'])\s*(?:{_KEY})\s*(?P=q)\s*:\s*)"""
    rf"""(?P<value>"(?:[^"\\]|\\.)*?(?:"|(?={_CUT}$)|$)|'(?:[^'\\]|\\.)*?(?:'|(?={_CUT}$)|$)"""
    r"""|(?!null\b|None\b)[^\s,}\]"']+)""",
    re.IGNORECASE,
)
#: The same inside a JSON string holding JSON (a body kept as a string value): quotes
#: escaped as ``\"``.
_ESCAPED_FIELD = re.compile(
    rf"""(?P<key>\\"\s*(?:{_KEY})\s*\\"\s*:\s*)(?P<value>\\".*?\\"|[^\s,}}\]\\"]+)""",
    re.IGNORECASE,
)


def _masked(match: re.Match[str]) -> str:
    value = match.group("value")
    if value.strip("\\\"'") == "" or value in ("null", "None"):
        return match.group(0)
    quote = "'" if value.startswith("'") else '"'
    return f"{match.group('key')}{quote}{MASK}{quote}"


def _masked_escaped(match: re.Match[str]) -> str:
    if match.group("value").strip('\\"') == "":
        return match.group(0)
    return f'{match.group("key")}\\"{MASK}\\"'


def mask_personal(text: str) -> str:
    """``text`` with the value of every personal field replaced by ``***``."""
    return _FIELD.sub(_masked, _ESCAPED_FIELD.sub(_masked_escaped, text))


def forget_masked(record: Any) -> Any:
    """A decoded record without the personal fields a masking left as ``***``: read again
    (a quarantine replay), such a party has no name, phone or address rather than ``***``
    for one. Everything else is returned as it is."""
    if isinstance(record, dict):
        return {
            key: forget_masked(value)
            for key, value in record.items()
            if not (
                value == MASK and isinstance(key, str) and key.strip().casefold() in PERSONAL_FIELDS
            )
        }
    if isinstance(record, list):
        return [forget_masked(item) for item in record]
    return record
