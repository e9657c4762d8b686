"""A postal round at the office's door, as the post reports it: many pickup legs arrived
today, for the lists and the receiving desk at scale (issue 14 §2)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import Engine

from postlink.db import session_scope
from postlink.models import Dossier, Leg
from postlink.settings import get_settings
from postlink.timeutil import local_date, utcnow

#: The weights of UPU S10's check digit (S10 §6.4).
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10(serial: int, prefix: str = "EB") -> str:
    """A well-formed S10 waybill number, as printed under the barcode on the Phiếu gửi."""
    digits = f"{serial:08d}"
    check = 11 - sum(int(d) * w for d, w in zip(digits, _S10_WEIGHTS, strict=True)) % 11
    return f"{prefix}{digits}{ {10: 0, 11: 5}.get(check, check) }VN"


def arrivals(
    engine: Engine,
    count: int,
    *,
    procedures: tuple[str, ...] = ("1.001193",),
    now: datetime | None = None,
) -> list[str]:
    """``count`` dossiers whose pickup reached the office's delivery point today (the local
    day of ``now``), the procedures taken in turn and every third one overdue; their waybill
    numbers, newest status first (the receiving desk's order)."""
    now = now or utcnow()
    tz = get_settings().tz
    today = local_date(now, tz)
    # A second apart, but all since the local midnight: a round seeded just after midnight
    # must not spill into yesterday, as it did in a suite run at 00:02 (issue 15 §5).
    since_midnight = now - datetime.combine(today, time(0), tzinfo=tz)
    step = min(timedelta(seconds=1), since_midnight / (count + 1))
    codes = []
    with session_scope(engine) as session:
        for n in range(count):
            dossier = Dossier(
                code=f"000.00.12.H14-{today:%y%m%d}-{n + 1:04d}",
                procedure_code=procedures[n % len(procedures)],
                citizen_name=f"Nông Văn Thử {n + 1}",
                citizen_phone="0912345678",
                citizen_address="Tổ 5, phường Tân Giang",
            )
            session.add(dossier)
            session.flush()
            item = s10(10_000_000 + n)
            session.add(
                Leg(
                    dossier_id=dossier.id,
                    kind="pickup",
                    adapter="myvnpost",
                    reference=f"{dossier.code}-P1",
                    item_code=item,
                    procedure_code=dossier.procedure_code,
                    status="at_delivery_office",
                    status_at=now - step * n,
                    j_date=today,
                    deadline=today,
                    overdue=n % 3 == 0,
                    match_class="eligible",
                )
            )
            codes.append(item)
    return codes
