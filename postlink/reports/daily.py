"""The daily set: the reports staff open each morning, rendered by the worker.

Into ``<report dir>/<YYYY-MM-DD>/``: the delivery status and exclusions reports over the
last ``defaults.DAILY_REPORT_DAYS`` days (so a leg stays visible until long after its J + n
deadline), every handover record signed that day, and an index page linking them. Earlier
days' folders are kept; the top-level index lists them all, newest first.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from postlink import defaults
from postlink.models import Handover
from postlink.reports.files import write_atomically, write_report
from postlink.reports.filters import ReportFilter, between
from postlink.reports.registry import ReportName
from postlink.reports.render import Format, environment
from postlink.reports.strings import text
from postlink.settings import Settings

INDEX = "index.html"


def _handovers_on(engine: Engine, settings: Settings, day: date) -> list[Handover]:
    first = datetime.combine(day, time(0), tzinfo=settings.tz).astimezone(UTC)
    with Session(engine) as session:
        return list(
            session.scalars(
                select(Handover)
                .where(
                    col(Handover.signed_at) >= first,
                    col(Handover.signed_at) < first + timedelta(days=1),
                )
                .order_by(col(Handover.signed_at), col(Handover.id))
            )
        )


def _write_index(path: Path, template: str, **context: object) -> None:
    page = environment().get_template(template).render(**context)
    write_atomically(path, page.encode("utf-8"))


def render_daily(engine: Engine, settings: Settings, today: date) -> Path:
    """Render the set for ``today`` and refresh the indexes; returns the day's folder."""
    root = settings.effective_report_dir
    folder = root / today.isoformat()
    flt = ReportFilter(
        period=between(today - timedelta(days=defaults.DAILY_REPORT_DAYS - 1), today), as_of=today
    )
    links: list[tuple[str, str]] = []
    for name in (ReportName.DELIVERY, ReportName.EXCLUSIONS):
        file_name = f"{name.value}.html"
        write_report(engine, name, flt, settings, folder / file_name, Format.HTML)
        links.append((file_name, text(f"title.{name.value}")))
    handovers: list[tuple[str, str]] = []
    for handover in _handovers_on(engine, settings, today):
        file_name = f"handover-{handover.id}.html"
        one = ReportFilter(period=flt.period, as_of=today, handover_id=handover.id)
        write_report(engine, ReportName.HANDOVER, one, settings, folder / file_name, Format.HTML)
        caption = f"{text('handover.direction.' + handover.direction)} · " + text(
            "handover.record_no"
        ).format(number=handover.id)
        handovers.append((file_name, caption))
    _write_index(
        folder / INDEX,
        "reports/daily_index.html",
        day=f"{today:%d/%m/%Y}",
        office=settings.office_name,
        links=links,
        handovers=handovers,
    )
    days = sorted((p.name for p in root.iterdir() if p.is_dir() and _is_day(p.name)), reverse=True)
    _write_index(root / INDEX, "reports/archive_index.html", office=settings.office_name, days=days)
    return folder


def _is_day(name: str) -> bool:
    try:
        date.fromisoformat(name)
    except ValueError:
        return False
    return True
