"""The handover record as printed and signed (QĐ 45/2016/QĐ-TTg art. 7; arts. 8-9 mirror).

A formal document: the national heading, the office, the date and time of signing (which
is the legal filing time for dossiers coming in, art. 7 cl. 4), a numbered list of items
with dossier code, procedure, citizen, waybill number as Code 128 and completeness, and
signature blocks for both parties.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from postlink.errors import PostlinkError
from postlink.models import Direction, Dossier, Handover, HandoverItem, ItemState, Leg
from postlink.reports.document import Cell, Column, Kind, Report, Table
from postlink.reports.filters import ReportFilter
from postlink.reports.strings import text
from postlink.settings import Settings

_COLUMNS = (
    Column("col.dossier"),
    Column("col.procedure"),
    Column("col.citizen"),
    Column("col.item", Kind.BARCODE),
    Column("col.complete"),
    Column("col.note"),
)


def _items(session: Session, handover: Handover) -> tuple[list[tuple[Cell, ...]], int]:
    """The record's items, and how many of them changed hands (a missing one did not); on a
    supplement record each item's completeness says "bổ sung"."""
    query = (
        select(HandoverItem, Leg, Dossier)
        .join(Leg, col(Leg.id) == col(HandoverItem.leg_id))
        .outerjoin(Dossier, col(Dossier.id) == col(Leg.dossier_id))
        .where(col(HandoverItem.handover_id) == handover.id)
        .order_by(col(HandoverItem.id))
    )
    mark = f" ({text('handover.supplement_mark')})" if handover.supplement else ""
    rows: list[tuple[Cell, ...]] = []
    received = 0
    for item, leg, dossier in session.execute(query).all():
        received += item.state != ItemState.MISSING
        code = leg.procedure_code or (dossier.procedure_code if dossier else "") or ""
        name = dossier.procedure_name if dossier else ""
        rows.append(
            (
                dossier.code if dossier else leg.reference,
                f"{code} - {name}" if name else code,
                dossier.citizen_name if dossier else "",
                leg.item_code or leg.reference,
                text(f"state.{item.state}") + mark,
                item.note,
            )
        )
    return rows, received


def build(session: Session, flt: ReportFilter, settings: Settings) -> Report:
    if flt.handover_id is None:
        raise PostlinkError(code="report.handover_needed")
    handover = session.get(Handover, flt.handover_id)
    if handover is None:
        raise PostlinkError(code="report.no_handover", id=flt.handover_id)
    rows, received = _items(session, handover)
    local = handover.signed_at.astimezone(settings.tz)
    direction = Direction(handover.direction)
    # The record's kind: "in", "out", or "in_supplement" (QĐ 45/2016 art. 7 cl. 4).
    kind = direction.value + ("_supplement" if handover.supplement else "")
    office = handover.office or settings.office_name
    return Report(
        name="handover",
        title_key=f"title.handover.{kind}",
        basis_key="basis.handover",
        filter=flt,
        tables=[Table("section.handover_items", _COLUMNS, rows)],
        meta={
            "direction": direction.value,
            "number": str(handover.id),
            "office": office,
            "officer": handover.officer,
            "postal_worker": handover.postal_worker,
            "opening": text("handover.opening").format(
                hour=f"{local:%H}",
                minute=f"{local:%M}",
                day=f"{local:%d}",
                month=f"{local:%m}",
                year=f"{local:%Y}",
                office=office,
            ),
            "agreed": text(f"handover.agreed_{kind}").format(count=received),
            "place_date": f"{local:%d/%m/%Y %H:%M}",
        },
    )
