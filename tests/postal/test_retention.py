"""The post's raw bodies lose their personal data after POSTLINK_RAW_BODY_RETENTION_DAYS,
in place, on both databases; the legal records never do (issue 13 §5; Law 91/2025/QH15;
TT 17/2017 art. 14). Bodies are hand-typed as the post writes them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink import audit
from postlink.db import session_scope
from postlink.errors import ConfigError
from postlink.models import AuditEntry, Dossier, Exchange, JobRun, Quarantined
from postlink.postal.retention import mask_old_bodies
from postlink.settings import get_settings, load_settings
from postlink.sync.jobs import build_context, run_job
from postlink.timeutil import utcnow
from postlink.worker import JOBS
from tests.conftest import CliResult

NAME = "Nguyễn Thị Mai Phương"
PHONE = "0912345678"
ADDRESS = "Số 7 ngõ 12 đường Kim Đồng, phường Thục Phán"
RESPONSE = (
    f'{{"results": [{{"orderHdrID": "8a7f", "itemCode": "EL123456785VN", "status": 14, '
    f'"receiverName": "{NAME}", "receiverPhone": "{PHONE}", "receiverAddress": "{ADDRESS}", '
    f'"receiverCommuneCode": "01273"}}]}}'
)
RESPONSE_MASKED = (
    '{"results": [{"orderHdrID": "8a7f", "itemCode": "EL123456785VN", "status": 14, '
    '"receiverName": "***", "receiverPhone": "***", "receiverAddress": "***", '
    '"receiverCommuneCode": "01273"}]}'
)
REQUEST = f'{{"informationOrder": {{"senderName": "{NAME}", "senderPhone": "{PHONE}"}}}}'
REQUEST_MASKED = '{"informationOrder": {"senderName": "***", "senderPhone": "***"}}'
RAW = f'{{"orderHdrID": "9b1d", "status": "x", "senderName": "{NAME}", "senderPhone": {PHONE}}}'
RAW_MASKED = '{"orderHdrID": "9b1d", "status": "x", "senderName": "***", "senderPhone": "***"}'


def _store(engine: Engine, days_ago: int) -> tuple[int, int]:
    at = utcnow() - timedelta(days=days_ago)
    exchange = Exchange(
        at=at,
        adapter="myvnpost",
        operation="getOrder",
        method="POST",
        url="http://post/customer-partner/getOrder?type=1&code=EL123456785VN",
        status_code=200,
        request_body=REQUEST,
        response_body=RESPONSE,
    )
    quarantined = Quarantined(at=at, adapter="myvnpost", source="feed NHAN", reason="r", raw=RAW)
    with session_scope(engine) as session:
        session.add(exchange)
        session.add(quarantined)
    assert exchange.id is not None
    assert quarantined.id is not None
    return exchange.id, quarantined.id


def _bodies(engine: Engine, ids: tuple[int, int]) -> tuple[Exchange, Quarantined]:
    with Session(engine) as session:
        exchange, quarantined = session.get(Exchange, ids[0]), session.get(Quarantined, ids[1])
    assert exchange is not None
    assert quarantined is not None
    return exchange, quarantined


def test_bodies_older_than_the_retention_are_masked_in_place(engine: Engine) -> None:
    old, recent = _store(engine, days_ago=31), _store(engine, days_ago=29)
    counts = mask_old_bodies(timedelta(days=30), engine)
    assert counts.as_dict() == {"exchanges_masked": 1, "quarantined_masked": 1}
    exchange, quarantined = _bodies(engine, old)
    assert (exchange.request_body, exchange.response_body) == (REQUEST_MASKED, RESPONSE_MASKED)
    assert quarantined.raw == RAW_MASKED
    assert exchange.masked_at is not None
    assert quarantined.masked_at is not None
    assert (quarantined.reason, quarantined.source) == ("r", "feed NHAN")
    exchange, quarantined = _bodies(engine, recent)  # still within its 30 days: raw
    assert (exchange.response_body, quarantined.raw) == (RESPONSE, RAW)
    assert exchange.masked_at is None
    assert quarantined.masked_at is None
    again = mask_old_bodies(timedelta(days=30), engine)  # nothing read twice
    assert again.as_dict() == {"exchanges_masked": 0, "quarantined_masked": 0}


def test_housekeeping_masks_bodies_and_keeps_the_legal_records(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The daemon's job, with the retention configured; a dossier and an audit row older
    than the retention keep every word (TT 17/2017 art. 14: five years)."""
    monkeypatch.setenv("POSTLINK_RAW_BODY_RETENTION_DAYS", "7")
    get_settings.cache_clear()
    settings = get_settings()
    old = _store(engine, days_ago=8)
    long_ago = utcnow() - timedelta(days=4 * 365)
    with session_scope(engine) as session:
        session.add(
            Dossier(
                code="000.00.12.H14-220105-0007",
                citizen_name=NAME,
                citizen_phone=PHONE,
                citizen_address=ADDRESS,
                created_at=long_ago,
                updated_at=long_ago,
            )
        )
        audit.record(
            session,
            actor="staff",
            action="handover.sign",
            entity_type="dossier",
            entity_id="000.00.12.H14-220105-0007",
            after={"citizen": NAME},
        )
    (housekeeping,) = [job for job in JOBS if job.name == "housekeeping"]
    assert run_job(housekeeping, build_context(settings, engine), settings)
    exchange, quarantined = _bodies(engine, old)
    assert (exchange.response_body, quarantined.raw) == (RESPONSE_MASKED, RAW_MASKED)
    with Session(engine) as session:
        run = session.exec(select(JobRun).where(JobRun.job == "housekeeping")).one()
        dossier = session.exec(select(Dossier)).one()
        entry = session.exec(select(AuditEntry)).one()
    assert run.counts["exchanges_masked"] == 1
    assert run.counts["quarantined_masked"] == 1
    assert (dossier.citizen_name, dossier.citizen_phone) == (NAME, PHONE)
    assert entry.after == {"citizen": NAME}


def test_the_command_masks_by_hand(
    engine: Engine, cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _store(engine, days_ago=31)
    result = cli("postal", "mask-bodies", "--json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "exchanges_masked": 1,
        "quarantined_masked": 1,
        "raw_body_retention_days": 30,
    }
    assert _bodies(engine, old)[1].raw == RAW_MASKED
    monkeypatch.setenv("POSTLINK_RAW_BODY_RETENTION_DAYS", "0")
    get_settings.cache_clear()
    _store(engine, days_ago=0)
    text = cli("postal", "mask-bodies")
    assert text.code == 0, text.stderr
    assert " ".join(text.stdout.split()) == (
        "Đã che dữ liệu cá nhân (tên, điện thoại, địa chỉ) trong 1 bản ghi trao đổi và 1 bản "
        "ghi cách ly cũ hơn 0 ngày."
    )


@pytest.mark.parametrize("years", ["0", "3", "4"])
def test_settings_refuse_keeping_legal_records_under_five_years(years: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings({"POSTLINK_RECORD_RETENTION_YEARS": years})
    assert str(refused.value).startswith(
        f"POSTLINK_RECORD_RETENTION_YEARS='{years}' không hợp lệ: không được ít hơn 5 năm"
    )
    assert "Điều 14 Thông tư 17/2017/TT-BTTTT" in str(refused.value)


def test_settings_accept_five_years_or_more_and_a_raw_retention_of_zero() -> None:
    settings = load_settings(
        {"POSTLINK_RECORD_RETENTION_YEARS": "5", "POSTLINK_RAW_BODY_RETENTION_DAYS": "0"}
    )
    assert (settings.record_retention_years, settings.raw_body_retention_days) == (5, 0)
    assert load_settings({}).raw_body_retention_days == 30
