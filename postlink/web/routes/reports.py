"""The reports of ``postlink.reports`` on the web: the same filter, the same renderers.

The filter form becomes one ``ReportFilter``, exactly as ``postlink report`` builds it, so a
page and its CSV, XLSX or PDF export always agree. Phone numbers stay masked: a report may
leave the office (Law 91/2025/QH15 on personal data protection); full contact is on the
dossier page only.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from postlink.errors import PostlinkError
from postlink.models import LegKind, User
from postlink.reports.filters import ReportFilter, choose_period
from postlink.reports.registry import ReportName, build_report
from postlink.reports.render import Format, render
from postlink.timeutil import local_date, utcnow
from postlink.web.forms import FIRST_YEAR, LAST_YEAR, parse_day, shown_day
from postlink.web.inputs import BadInput
from postlink.web.security import csrf_protect, require_staff
from postlink.web.state import state_of
from postlink.web.templating import page
from postlink.words import say

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_staff), Depends(csrf_protect)]
)

#: Reports with a page; the handover record is reached from its handover.
PAGES = (ReportName.DELIVERY, ReportName.EXCLUSIONS, ReportName.PERIOD)
TITLES = {
    ReportName.DELIVERY: "Tình trạng tiếp nhận và trả kết quả",
    ReportName.EXCLUSIONS: "Thủ tục không thực hiện qua BCCI",
    ReportName.PERIOD: "Báo cáo định kỳ (Điều 13 TT 17/2017)",
}
MEDIA = {
    Format.HTML: "text/html; charset=utf-8",
    Format.CSV: "text/csv; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.PDF: "application/pdf",
}


class ReportForm:
    """The filter fields of every report page, as query parameters. Every field is read as
    text: a browser sends the form's empty fields too (``year=&leg=``), which typed query
    parameters would refuse."""

    def __init__(
        self,
        start: Annotated[str | None, Query(alias="from", max_length=10)] = None,
        end: Annotated[str | None, Query(alias="to", max_length=10)] = None,
        quarter: Annotated[str | None, Query(max_length=6)] = None,
        half: Annotated[str | None, Query(max_length=6)] = None,
        year: Annotated[str | None, Query(max_length=4)] = None,
        agency: Annotated[str | None, Query(max_length=40)] = None,
        leg: Annotated[str | None, Query(max_length=8)] = None,
        as_of: Annotated[str | None, Query(max_length=10)] = None,
        compensation: Annotated[str | None, Query(max_length=6)] = None,
        safety: Annotated[str | None, Query(max_length=200)] = None,
    ) -> None:
        self.values = {
            "from": shown_day(start or ""),
            "to": shown_day(end or ""),
            "quarter": quarter or "",
            "half": half or "",
            "year": year or "",
            "agency": agency or "",
            "leg": leg or "",
            "as_of": shown_day(as_of or ""),
            "compensation": compensation or "",
            "safety": safety or "",
        }
        self.start, self.end, self.quarter, self.half = start, end, quarter, half
        self.year_text, self.leg_text, self.agency, self.as_of = year, leg, agency, as_of
        self.compensation_text, self.safety = compensation, (safety or "").strip()

    @property
    def year(self) -> int | None:
        text = (self.year_text or "").strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR):
            raise BadInput(say("period.year", value=text, first=FIRST_YEAR, last=LAST_YEAR))
        return int(text)

    @property
    def compensation_cases(self) -> int | None:
        """The period report's count of compensation cases, as the office typed it."""
        text = (self.compensation_text or "").strip()
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            raise BadInput(say("invite.report.compensation_cases", value=text))
        return int(text)

    @property
    def leg(self) -> LegKind | None:
        """Either leg, or both when the field is empty (or holds no leg's name)."""
        try:
            return LegKind(self.leg_text or "")
        except ValueError:
            return None

    def to_filter(self, today: date) -> ReportFilter:
        """The filter, or ``BadInput`` in the console's words: the period rules are checked
        here first, since ``choose_period`` words its refusals for the command line."""
        start, end = (
            parse_day(self.start, say("form.day.from")),
            parse_day(self.end, say("form.day.to")),
        )
        if sum(1 for given in (start or end, self.quarter, self.half, self.year) if given) > 1:
            raise BadInput(say("period.several"))
        if start and start > (end or today):
            last = end or today
            raise BadInput(
                say("period.reversed", start=f"{start:%d/%m/%Y}", end=f"{last:%d/%m/%Y}")
            )
        try:
            period = choose_period(
                start=start,
                end=end,
                quarter_spec=self.quarter or None,
                half_spec=self.half or None,
                year_value=self.year,
                today=today,
            )
        except PostlinkError:  # what is left to refuse is a quarter or a half-year
            code = "period.quarter" if self.quarter else "period.half"
            raise BadInput(say(code, value=self.quarter or self.half)) from None
        return ReportFilter(
            period=period,
            as_of=parse_day(self.as_of, say("form.day.as_of")) or today,
            agency=(self.agency or "").strip() or None,
            leg=self.leg,
            compensation_cases=self.compensation_cases,
            safety_level=self.safety,
        )

    @property
    def query(self) -> str:
        return urlencode({k: v for k, v in self.values.items() if v})


Form = Annotated[ReportForm, Depends()]


@router.get("/reports")
def index(request: Request, user: Annotated[User, Depends(require_staff)]) -> Response:
    return page(
        request, "reports.html", {"pages": PAGES, "titles": TITLES, "chosen": None}, user=user
    )


@router.get("/reports/{name}")
def report_page(
    request: Request, user: Annotated[User, Depends(require_staff)], name: ReportName, form: Form
) -> Response:
    if name not in PAGES:
        return index(request, user)
    context = {"pages": PAGES, "titles": TITLES, "chosen": name, "form": form, "error": ""}
    try:
        form.to_filter(local_date(utcnow(), state_of(request).settings.tz))
    except BadInput as exc:
        context["error"] = exc.message
    return page(request, "reports.html", context, user=user)


@router.get("/reports/{name}/file.{fmt}")
def report_file(request: Request, name: ReportName, fmt: Format, form: Form) -> Response:
    """The report itself: HTML for the page's frame and for printing, or an export."""
    web = state_of(request)
    flt = form.to_filter(local_date(utcnow(), web.settings.tz))
    data = render(build_report(web.engine, name, flt, web.settings), fmt, web.settings)
    headers = {}
    if fmt is not Format.HTML:
        stamp = f"{flt.period.start:%Y%m%d}-{flt.period.end:%Y%m%d}"
        headers["Content-Disposition"] = f'attachment; filename="{name.value}-{stamp}.{fmt.value}"'
    return Response(data, media_type=MEDIA[fmt], headers=headers)
