"""The outbox: idempotent registration, refusal of excluded legs, exactly one postal order
per command even when the post drops answers or the worker dies mid-call."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.db import session_scope
from postlink.errors import PostlinkError
from postlink.models import Leg, LegKind, OutboxCommand, OutboxState
from postlink.postal.models import Party
from postlink.settings import Settings, get_settings
from postlink.sync.outbox import Registration, order_request, push, register
from postlink.sync.registrations import RegistrationFileError, read_registrations
from tests.postal.fixtures import SandboxHandle
from tests.sync.conftest import MakeContext

CITIZEN = Party("Bế Thị Lan", "0912000111", "Tổ 3, xã Hòa An, tỉnh Cao Bằng", "04", "01654")


def result(number: int, procedure: str = "1.001193") -> Registration:
    return Registration(
        LegKind.RETURN, f"000.00.12.H14-260119-{number:04d}", procedure, "Thủ tục", CITIZEN
    )


def settings_for_tests() -> Settings:
    return get_settings().model_copy(update={"outbox_backoff": 0.0, "outbox_max_attempts": 5})


def commands(engine: Engine) -> list[OutboxCommand]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxCommand).order_by(OutboxCommand.id)).all())


def test_excluded_procedure_is_refused_with_the_list_reason(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    ctx = make_context(sandbox_server)
    with session_scope(engine) as session:
        refused = register(session, ctx, get_settings(), result(1, "1.000894"), actor="t")
        eligible = register(session, ctx, get_settings(), result(2), actor="t")
    assert refused.state == OutboxState.REFUSED
    assert "có mặt" in refused.refusal_reason
    assert "60/2014" in refused.refusal_reason
    assert eligible.state == OutboxState.PENDING
    push(ctx, settings_for_tests(), Counter())
    assert sandbox_server.control.stats()["created"] == {eligible.reference: 1}


def test_registering_twice_is_a_no_op_but_different_details_are_refused(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    ctx = make_context(sandbox_server)
    with session_scope(engine) as session:
        first = register(session, ctx, get_settings(), result(3), actor="t")
        again = register(session, ctx, get_settings(), result(3), actor="t")
        assert first.id == again.id
        changed = Registration(LegKind.RETURN, result(3).dossier_code, "1.001193", "Khác", CITIZEN)
        with pytest.raises(PostlinkError) as caught:
            register(session, ctx, get_settings(), changed, actor="t")
    assert caught.value.code == "registration.conflict"
    assert str(caught.value) == (
        f"{result(3).dossier_code}-R1 đã được đăng ký với thông tin khác (lệnh số {first.id}, "
        "«Chờ gửi bưu điện»); không đăng ký lại với thông tin khác."
    )


def test_bad_registration_names_the_field(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    ctx = make_context(sandbox_server)
    bad = Registration(LegKind.RETURN, "000.00.12.H14-261332-0001", "1.001193", "x", CITIZEN)
    with session_scope(engine) as session, pytest.raises(PostlinkError) as caught:
        register(session, ctx, get_settings(), bad, actor="t")
    assert (caught.value.code, caught.value.params) == (
        "api.dossier_code",
        {"value": "000.00.12.H14-261332-0001"},
    )
    nameless = Registration(
        LegKind.RETURN, result(4).dossier_code, "1.001193", "x", Party(" ", "", "Tổ 3", "", "")
    )
    with session_scope(engine) as session, pytest.raises(PostlinkError) as caught:
        register(session, ctx, get_settings(), nameless, actor="t")
    assert str(caught.value) == f"Hồ sơ {result(4).dossier_code}: thiếu họ tên công dân."


@pytest.mark.parametrize("fault", ["dropped_create", "read_timeout", "server_error"])
def test_one_postal_order_per_command_when_answers_are_lost(
    engine: Engine,
    sandbox_factory: Callable[..., SandboxHandle],
    make_context: MakeContext,
    fault: str,
) -> None:
    sandbox = sandbox_factory()
    ctx = make_context(sandbox)
    with session_scope(engine) as session:
        registered = [
            register(session, ctx, get_settings(), result(n), actor="t") for n in range(1, 5)
        ]
    sandbox.control.faults(rates={fault: 0.3})
    for _ in range(6):
        push(ctx, settings_for_tests(), Counter())
    assert {c.state for c in commands(engine)} == {OutboxState.SENT}
    assert sandbox.control.stats()["faults"].get(fault, 0) > 0
    assert sandbox.control.stats()["created"] == {c.reference: 1 for c in registered}
    with Session(engine) as session:
        legs = session.exec(select(Leg)).all()
    assert {leg.reference for leg in legs} == {c.reference for c in registered}


def test_a_crash_between_call_and_commit_does_not_duplicate(
    engine: Engine, sandbox_server: SandboxHandle, make_context: MakeContext
) -> None:
    """The post created the order, then the worker died before recording it: the attempt
    counter was committed first, so the next attempt finds the order instead of creating."""
    ctx = make_context(sandbox_server)
    with session_scope(engine) as session:
        command = register(session, ctx, get_settings(), result(4), actor="t")
        command.attempts = 1  # as committed by the dead worker's claim
    ctx.adapter.create_order(order_request(command))
    push(ctx, settings_for_tests(), Counter())
    assert sandbox_server.control.stats()["created"] == {command.reference: 1}
    assert commands(engine)[0].state == OutboxState.SENT


def test_registration_file_reports_every_bad_row_and_registers_nothing(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    path.write_text(
        "leg,dossier_code,procedure_code,procedure_name,citizen_name,citizen_phone,"
        "citizen_address,commune_code\n"
        "return,000.00.12.H14-260119-0001,1.001193,Khai sinh,Bế Thị Lan,0912,Hòa An,01654\n"
        "send,000.00.12.H14-260119-0002,1.001193,Khai sinh,Bế Văn A,0912,Hòa An,01654\n"
        "return,000.00.12.H14-260119-0003,1.0011,Khai sinh,,0912,Hòa An,01654\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(RegistrationFileError) as info:
        read_registrations(path)
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(3, "leg"), (4, "procedure_code"), (4, "citizen_name")}


def test_registration_file_problems_name_row_field_and_reason_in_vietnamese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 §1.4: each problem says row, column and why from the catalogue, Vietnamese
    by default and English on request, and never quotes a citizen's cell back."""
    path = tmp_path / "results.csv"
    path.write_text(
        "leg,dossier_code,procedure_code,procedure_name,citizen_name,citizen_phone,"
        "citizen_address,commune_code\n"
        "send,000.00.12.H14-260119-0002,1.001193,Khai sinh,Bế Văn A,0912345678,Hòa An,01654\n"
        "return,000.00.12.H14-260119-0003,1.0011,Khai sinh,,0912345678,Hòa An,01654\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(RegistrationFileError) as info:
        read_registrations(path)
    assert str(info.value) == (
        "results.csv: không đăng ký hồ sơ nào vì tệp có 3 lỗi:\n"
        "dòng 2, cột leg, giá trị «send»: chiều phải là pickup (nhận hồ sơ) hoặc return "
        "(trả kết quả).\n"
        "dòng 3, cột citizen_name: bắt buộc phải có giá trị.\n"
        "dòng 3, cột procedure_code, giá trị «1.0011»: "
        "Mã thủ tục «1.0011» không hợp lệ: dạng đúng như 1.001193."
    )
    assert "Bế Văn A" not in str(info.value)
    assert "0912345678" not in str(info.value)
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    assert str(info.value).startswith(
        "results.csv: nothing registered, the file has 3 problems:\n"
        "row 2, column leg, value «send»: the leg must be pickup or return.\n"
    )


def test_registration_file_marks_pickups_carrying_an_appointment_slip(tmp_path: Path) -> None:
    """TT 17/2017 art. 7: the second n applies when the dossier leg carries a giấy hẹn."""
    header = (
        "leg,dossier_code,procedure_code,procedure_name,citizen_name,citizen_phone,"
        "citizen_address,commune_code,appointment_slip\n"
    )
    path = tmp_path / "pickups.csv"
    path.write_text(
        header + "pickup,000.00.12.H14-260119-0001,1.001193,Khai sinh,Bế Thị Lan,0912,"
        "Hòa An,01654,x\n"
        "pickup,000.00.12.H14-260119-0002,1.001193,Khai sinh,Bế Văn A,0912,Hòa An,01654,\n",
        encoding="utf-8-sig",
    )
    assert [r.appointment_slip for r in read_registrations(path)] == [True, False]
    path.write_text(
        header + "return,000.00.12.H14-260119-0003,1.001193,Khai sinh,Bế Thị Lan,0912,"
        "Hòa An,01654,x\n"
        "pickup,000.00.12.H14-260119-0004,1.001193,Khai sinh,Bế Văn A,0912,Hòa An,01654,maybe\n",
        encoding="utf-8-sig",
    )
    with pytest.raises(RegistrationFileError) as info:
        read_registrations(path)
    assert {(p.row, p.column) for p in info.value.problems} == {
        (2, "appointment_slip"),
        (3, "appointment_slip"),
    }
