"""No citizen's personal data in logs, tracebacks or stored errors (issue 13 §5; Law
91/2025/QH15 on personal data protection).

Each test provokes a real failure on each database with a record holding a known name and
phone, captures what postlink's logging writes (``postlink.logs.configure``'s handler on
stderr, pytest's ``caplog``, uvicorn's own handlers) and greps it: the failure must be
there, the name and the phone must not.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from postlink import logs
from postlink.db import session_scope
from postlink.models import Dossier, JobRun
from postlink.postal.exchange_log import DatabaseRecorder
from postlink.postal.http import ExchangeRecord
from postlink.postal.models import Party
from postlink.settings import get_settings
from postlink.sync import scheduler
from postlink.sync.jobs import Job

NAME = "Nguyễn Thị Mai Phương"
PHONE = "0912345678"
ADDRESS = "Số 7 ngõ 12 đường Kim Đồng, phường Thục Phán"


@pytest.fixture
def postlink_logging(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """postlink's own logging as the daemon installs it, with caplog listening too."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    logs.configure(get_settings())
    root.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    yield caplog
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


def _everything(caplog: pytest.LogCaptureFixture, err: str) -> str:
    """Every message, every formatted traceback and stderr, as one text to grep."""
    formatter = logging.Formatter(logs.FORMAT)
    lines = [formatter.format(record) for record in caplog.records]
    return "\n".join([*lines, caplog.text, err])


def _assert_no_personal_data(text: str) -> None:
    for value in (NAME, PHONE, ADDRESS, "Nguy"):
        assert value not in text


def _failing_dossier(session: Session) -> None:
    """A dossier the database refuses (a NOT NULL column left empty); PostgreSQL's error
    would quote the whole row, name and phone included."""
    row = {
        "code": "000.00.12.H14-260105-0007",
        "citizen_name": NAME,
        "citizen_phone": PHONE,
        "citizen_address": ADDRESS,
        "channel": None,
    }
    session.execute(insert(Dossier.__table__), [row])  # type: ignore[attr-defined]


def test_a_crashing_job_logs_and_stores_no_personal_data(
    engine: Engine, postlink_logging: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    def body(ctx: Any, settings: Any, counts: Counter[str], lease: Any) -> None:
        with session_scope(ctx.engine) as session:
            _failing_dossier(session)

    job = Job("deadlines", lambda s: 60, body)
    scheduler._guarded(job, SimpleNamespace(engine=engine), get_settings())  # type: ignore[arg-type]
    text = _everything(postlink_logging, capsys.readouterr().err)
    assert "Công việc lỗi; lượt sau sẽ chạy lại job=deadlines" in text
    assert re.search(r"NOT NULL|not-null", text), text  # the failure itself is logged
    _assert_no_personal_data(text)
    with Session(engine) as session:
        (run,) = session.exec(select(JobRun)).all()
    assert run.outcome == "error"
    assert "channel" in run.error
    _assert_no_personal_data(run.error)


def test_a_failed_exchange_log_write_logs_no_personal_data(
    engine: Engine, postlink_logging: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    body = f'{{"receiverName": "{NAME}", "receiverPhone": "{PHONE}"}}'
    record = ExchangeRecord(
        "myvnpost",
        None,
        "POST",
        "http://post/CreateOrder",
        200,
        5,
        1,
        body,
        body,
        "",  # type: ignore[arg-type]
    )
    DatabaseRecorder(engine)(record)
    text = _everything(postlink_logging, capsys.readouterr().err)
    assert "Không ghi được nhật ký trao đổi với bưu điện rows=1 " in text
    assert re.search(r"NOT NULL|not-null", text), text
    _assert_no_personal_data(text)


def test_database_errors_lose_the_row_postgresql_quotes(engine: Engine) -> None:
    """The error as code catching it sees it: still an IntegrityError naming the column,
    its text (and its driver's) without the row."""
    with pytest.raises(IntegrityError) as caught, session_scope(engine) as session:
        _failing_dossier(session)
    assert "channel" in str(caught.value)
    _assert_no_personal_data(str(caught.value))
    _assert_no_personal_data(str(caught.value.orig))


def test_parties_and_dossiers_print_without_personal_data() -> None:
    """An order or a dossier row shown in a log line or an assertion carries none."""
    party = Party(NAME, PHONE, ADDRESS, province_code="04", commune_code="01273")
    dossier = Dossier(code="000.00.12.H14-260105-0007", citizen_name=NAME, citizen_phone=PHONE)
    for text in (repr(party), str(party), repr(dossier), str(dossier)):
        _assert_no_personal_data(text)
    assert "01273" in repr(party)
