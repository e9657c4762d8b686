"""The reports by name, as ``postlink report NAME`` and the daily render call them."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from sqlalchemy import Engine
from sqlmodel import Session

from postlink.reports import delivery, exclusions, handover_record, period
from postlink.reports.document import Report
from postlink.reports.filters import ReportFilter
from postlink.settings import Settings


class ReportName(StrEnum):
    EXCLUSIONS = "exclusions"
    DELIVERY = "delivery"
    HANDOVER = "handover"
    PERIOD = "period"


Builder = Callable[[Session, ReportFilter, Settings], Report]

BUILDERS: dict[ReportName, Builder] = {
    ReportName.EXCLUSIONS: exclusions.build,
    ReportName.DELIVERY: delivery.build,
    ReportName.HANDOVER: handover_record.build,
    ReportName.PERIOD: period.build,
}


def build_report(engine: Engine, name: ReportName, flt: ReportFilter, settings: Settings) -> Report:
    """Run one report's queries in a single read-only session (one consistent snapshot)."""
    with Session(engine) as session:
        return BUILDERS[name](session, flt, settings)
