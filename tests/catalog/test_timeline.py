"""The timeline tells the truth (issue 12 §3): back-dated publishing is confirmed after
saying what it changes, withdrawing into a gap names the dates, drafts are not piled up.

The lists are the samples (January: 1.012784 "Tách thửa" returns only; July: both legs);
the legs are stored as the sync stores them and judged by its own ``judge_leg``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from postlink.catalog.publish import ConfirmationNeeded, GapError, publish, withdraw
from postlink.catalog.resolve import Resolver
from postlink.db import session_scope
from postlink.legs.match import judge_leg
from postlink.models import AuditEntry, Leg, ListVersion
from postlink.settings import get_settings
from tests.catalog.conftest import JANUARY_CSV, JULY_CSV, ImportFn, table, write_csv
from tests.catalog.helpers import published_windows
from tests.catalog.test_catalog_cmd import JANUARY, JULY, Cli, ok

JAN, JUL = date(2026, 1, 1), date(2026, 7, 1)
#: (reference, kind, procedure, J date) typed by hand: only the August pickup of 1.012784
#: is judged differently under July's list (excluded → eligible).
LEGS = [
    ("000.00.12.H14-260810-0001-P1", "pickup", "1.012784", date(2026, 8, 10)),
    ("000.00.12.H14-260610-0002-P1", "pickup", "1.012784", date(2026, 6, 10)),
    ("000.00.12.H14-260811-0003-P1", "pickup", "1.001193", date(2026, 8, 11)),
    ("000.00.12.H14-260812-0004-R1", "return", "1.012784", date(2026, 8, 12)),
]


def record_legs(engine: Engine) -> None:
    """The legs as the sync records them: judged against the list in force at their J date."""
    resolver, tz = Resolver(engine), get_settings().tz
    with session_scope(engine) as session:
        for reference, kind, code, day in LEGS:
            leg = Leg(
                kind=kind, adapter="myvnpost", reference=reference, procedure_code=code, j_date=day
            )
            judge_leg(resolver, leg, None, tz)
            session.add(leg)


def classes(engine: Engine) -> dict[str, str | None]:
    with Session(engine) as session:
        return {leg.reference: leg.match_class for leg in session.exec(select(Leg)).all()}


@pytest.fixture
def january_and_legs(engine: Engine, do_import: ImportFn) -> int:
    """January published, four legs recorded, July imported as a draft (its id returned)."""
    do_import(JANUARY_CSV, publish_now=True)
    record_legs(engine)
    draft = do_import(JULY_CSV, decision="1234/QĐ-UBND", effective=JUL)
    assert draft.version.id is not None
    return draft.version.id


def test_back_dated_publishing_says_what_it_changes_and_changes_nothing_unconfirmed(
    engine: Engine, january_and_legs: int
) -> None:
    before = classes(engine)
    assert before["000.00.12.H14-260810-0001-P1"] == "excluded"
    with session_scope() as session:
        draft = session.get(ListVersion, january_and_legs)
        assert draft is not None
        with pytest.raises(ConfirmationNeeded) as caught:
            publish(session, draft, actor="admin", today=date(2026, 12, 3))
    plan = caught.value.plan
    assert [(v.decision, v.effective_from, v.effective_to, end) for v, end in plan.shortened] == [
        ("125/QĐ-UBND", JAN, None, JUL)
    ]
    assert plan.superseded == ()
    assert (plan.legs_checked, plan.legs_changed) == (3, 1)
    said = [str(line) for line in plan.lines()]
    assert said == [
        f"phiên bản {january_and_legs} (1234/QĐ-UBND) sẽ áp dụng từ 01/07/2026 (ngày đã qua)",
        "phiên bản 1 (125/QĐ-UBND), áp dụng 01/01/2026 → chưa hết, sẽ kết thúc ngày 01/07/2026",
        "1 trong 3 lượt đã ghi nhận từ 01/07/2026 sẽ được xét khác đi (giữ kết quả cũ cho đến "
        "khi đối chiếu lại)",
    ]
    with session_scope() as session:
        assert [(start, end) for _, start, end in published_windows(session)] == [(JAN, None)]
    assert classes(engine) == before


def test_the_plan_is_worded_in_the_configured_language_with_stable_codes(
    cli: Cli, engine: Engine, january_and_legs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refusal and the plan are typed (codes and parameters, dates dd/mm/yyyy) and each
    surface words them: the JSON keeps the codes beside the sentences of its language."""
    with session_scope() as session:
        draft = session.get(ListVersion, january_and_legs)
        assert draft is not None
        with pytest.raises(ConfirmationNeeded) as caught:
            publish(session, draft, actor="admin", today=date(2026, 12, 3))
    assert caught.value.code == "catalog.needs_confirmation"
    assert str(caught.value).startswith(
        f"Cần xác nhận: công bố phiên bản {january_and_legs} (1234/QĐ-UBND) thay đổi các ngày "
        "đã qua; chưa thay đổi gì."
    )
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    get_settings.cache_clear()
    refused = cli("catalog", "publish", str(january_and_legs), "--actor", "admin", "--json")
    assert refused.code == 1
    said = json.loads(refused.stdout)
    assert said["code"] == "catalog.needs_confirmation"
    plan = said["confirmation_needed"]
    assert plan["lines"] == [
        f"version {january_and_legs} (1234/QĐ-UBND) would be in force from 01/07/2026 (a date "
        "in the past)",
        "version 1 (125/QĐ-UBND), in force 01/01/2026 → open, would end on 01/07/2026",
        "1 of 3 recorded legs from 01/07/2026 on would be judged differently (they keep their "
        "judgement until re-matched)",
    ]
    assert [line["code"] for line in plan["line_codes"]] == [
        "catalog.plan.in_force_past",
        "catalog.plan.shortened_open",
        "catalog.plan.legs",
    ]
    assert plan["line_codes"][2] | {} == {
        "code": "catalog.plan.legs",
        "changed": 1,
        "checked": 3,
        "start": "01/07/2026",
    }


def test_only_a_draft_is_published_said_with_its_status_worded(
    cli: Cli, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("catalog", "import", str(JANUARY_CSV), *JANUARY, "--publish"))
    again = cli("catalog", "publish", "1", "--actor", "admin")
    assert again.code == 1
    assert (
        "Phiên bản 1 (125/QĐ-UBND) đang ở trạng thái «Đang áp dụng»; chỉ công bố được bản nháp"
        in " ".join(again.stderr.split())
    )
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    get_settings.cache_clear()
    again = cli("catalog", "publish", "1", "--actor", "admin")
    assert "Version 1 (125/QĐ-UBND) is «In force»; only a draft can be published" in " ".join(
        again.stderr.split()
    )


def test_a_future_date_needs_no_confirmation(engine: Engine, january_and_legs: int) -> None:
    with session_scope() as session:
        draft = session.get(ListVersion, january_and_legs)
        assert draft is not None
        outcome = publish(session, draft, actor="admin", today=date(2026, 6, 20))
    assert not outcome.plan.rewrites_history
    assert outcome.plan.legs_changed == 1  # none lived yet: told, not asked


def test_cli_asks_for_force_then_publishes_and_rematches_audited(
    cli: Cli, engine: Engine, january_and_legs: int
) -> None:
    refused = cli("catalog", "publish", str(january_and_legs), "--actor", "admin")
    assert refused.code == 1
    assert "Cần xác nhận" in refused.stderr
    assert "sẽ kết thúc ngày 01/07/2026" in refused.stderr
    assert "1 trong 3 lượt" in refused.stderr
    assert "--force" in refused.stderr
    assert classes(engine)["000.00.12.H14-260810-0001-P1"] == "excluded"
    done = ok(
        cli(
            "catalog",
            "publish",
            str(january_and_legs),
            "--actor",
            "admin",
            "--force",
            "--rematch",
        )
    )
    assert "Phiên bản 1 (125/QĐ-UBND) nay áp dụng: 01/01/2026 → 01/07/2026." in done.stdout
    assert "Đối chiếu lại" in done.stdout
    after = classes(engine)
    assert after["000.00.12.H14-260810-0001-P1"] == "eligible"
    assert after["000.00.12.H14-260610-0002-P1"] == "excluded"  # before July: unchanged
    with Session(engine) as session:
        rematch = session.exec(select(AuditEntry).where(AuditEntry.action == "rematch")).one()
    assert rematch.actor == "admin"
    assert "1234/QĐ-UBND" in rematch.reason


def test_superseding_a_list_in_force_for_months_says_so_with_its_dates(
    cli: Cli, engine: Engine, do_import: ImportFn, tmp_path: Path
) -> None:
    ok(cli("catalog", "import", str(JANUARY_CSV), *JANUARY, "--publish"))
    ok(cli("catalog", "import", str(JULY_CSV), *JULY, "--publish", "--force"))
    march = write_csv(
        tmp_path / "march.csv", table(["1", "1.001193", "Đăng ký khai sinh", "X", "X"])
    )
    ok(
        cli(
            "catalog",
            "import",
            str(march),
            "--decision",
            "300/QĐ-UBND",
            "--effective",
            "2026-03-01",
        )
    )
    asked = cli("catalog", "publish", "300/QĐ-UBND", "--actor", "admin")
    assert asked.code == 1
    assert (
        "phiên bản 2 (1234/QĐ-UBND), đang áp dụng từ 01/07/2026, sẽ bị thay thế: các ngày đó sẽ "
        "xét theo danh mục mới" in asked.stderr
    )
    done = ok(cli("catalog", "publish", "300/QĐ-UBND", "--actor", "admin", "--force"))
    assert (
        "Phiên bản 2 (1234/QĐ-UBND) bị thay thế: đã áp dụng từ 01/07/2026, nay các ngày đó xét "
        "theo phiên bản 3." in done.stdout
    )
    assert "trước ngày hiệu lực" not in done.stdout
    listed = ok(cli("catalog", "list"))  # a superseded version has its word too
    assert "đã được" in listed.stdout  # "đã được thay thế", wrapped in its column


def test_withdrawing_into_a_gap_names_the_dates_and_needs_confirmation(
    cli: Cli, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("catalog", "import", str(JANUARY_CSV), *JANUARY, "--publish"))
    with session_scope() as session:
        version = session.get(ListVersion, 1)
        assert version is not None
        with pytest.raises(GapError) as caught:
            withdraw(session, version, actor="admin", reason="Quyết định bị hủy")
    assert (caught.value.code, caught.value.params["start"]) == ("catalog.gap_open", "01/01/2026")
    assert str(caught.value) == (
        "Thu hồi phiên bản 1 (125/QĐ-UBND) để lại các ngày từ 01/01/2026 trở đi không có danh "
        "mục nào áp dụng; hãy xác nhận nếu đúng ý."
    )
    refused = cli("catalog", "withdraw", "1", "--reason", "Quyết định bị hủy", "--actor", "a")
    assert refused.code == 1
    assert (
        "để lại các ngày từ 01/01/2026 trở đi không có danh mục nào áp dụng; chạy lại với "
        "--force nếu đúng ý." in " ".join(refused.stderr.split())
    )
    monkeypatch.setenv("POSTLINK_LANGUAGE", "en")
    get_settings.cache_clear()
    refused = cli("catalog", "withdraw", "1", "--reason", "Quyết định bị hủy", "--actor", "a")
    assert "leaves 01/01/2026 onwards with no list in force; run again with --force" in " ".join(
        refused.stderr.split()
    )
    assert "trở đi" not in refused.stderr
    ok(cli("catalog", "withdraw", "1", "--reason", "Quyết định bị hủy", "--actor", "a", "--force"))
    with Session(engine) as session:
        assert session.get(ListVersion, 1).status == "withdrawn"  # type: ignore[union-attr]


def test_importing_the_same_file_twice_reuses_the_draft(
    cli: Cli, engine: Engine, do_import: ImportFn
) -> None:
    first = do_import(JULY_CSV, decision="1234/QĐ-UBND", effective=JUL)
    again = do_import(JULY_CSV, decision="1234/QĐ-UBND", effective=JUL)
    assert (again.version.id, again.reused, first.reused) == (first.version.id, True, False)
    told = ok(cli("catalog", "import", str(JULY_CSV), *JULY))
    assert "dùng lại bản nháp đó, không tạo bản mới" in told.stdout
    other_day = do_import(JULY_CSV, decision="1234/QĐ-UBND", effective=date(2026, 8, 1))
    assert not other_day.reused
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(ListVersion)).one() == 2


def test_the_preview_shows_the_first_changes_and_all_on_demand(
    cli: Cli, engine: Engine, tmp_path: Path
) -> None:
    rows = [[str(n), f"1.9{n:05d}", f"Thủ tục thử {n}", "X", "X"] for n in range(1, 16)]
    path = write_csv(tmp_path / "many.csv", table(*rows))
    short = ok(cli("catalog", "import", str(path), *JANUARY))
    assert "Thủ tục thử 10" in short.stdout
    assert "Thủ tục thử 11" not in short.stdout
    assert "… và 5 thủ tục nữa (--all để xem tất cả)" in short.stdout
    full = ok(cli("catalog", "import", str(path), *JANUARY, "--all"))
    assert "Thủ tục thử 15" in full.stdout
    assert "thủ tục nữa" not in full.stdout
