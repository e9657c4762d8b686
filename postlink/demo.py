"""``postlink demo``: the whole system on the embedded default, with no credentials.

It prepares the SQLite database, publishes the sample Cao Bằng lists (January and July
2026), starts the postal sandbox in this process with a seeded world whose clock runs
faster than real time, registers a few results for postal return (one of them for an
excluded procedure, which is refused), and runs the real worker against it with short
intervals, printing what has flowed in every few seconds. The web console runs beside
them on ``POSTLINK_WEB_PORT`` (or a free port when that one is taken), with a demo admin
account created only in a database that has no account yet.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Engine, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from postlink import defaults, migrate
from postlink.catalog.importer import import_list
from postlink.catalog.resolve import Resolver
from postlink.db import session_scope
from postlink.legs.apply import SyncContext
from postlink.legs.deadlines import load_policy
from postlink.models import Leg, ListVersion, OutboxCommand, User
from postlink.postal.adapter import get_adapter
from postlink.postal.exchange_log import DatabaseRecorder
from postlink.postal.models import LegKind, Party
from postlink.postal.sandbox.server import RunningSandbox, SandboxConfig, start_in_thread
from postlink.settings import Settings
from postlink.sync.outbox import Registration, register
from postlink.web.accounts import add_user, find_user
from postlink.web.app import create_app
from postlink.web.server import BackgroundServer, free_port, port_is_free

SAMPLE_LISTS = (
    ("cao-bang-2026-01.csv", "125/QĐ-UBND", date(2026, 1, 1)),
    ("cao-bang-2026-07.csv", "1450/QĐ-UBND", date(2026, 7, 1)),
)

#: Results the demo office hands to the post; the marriage registration (1.000894) is
#: excluded from postal handling and is refused with the list's reason.
DEMO_RESULTS = (
    ("000.00.12.H14-261125-0001", "1.001193", "Đăng ký khai sinh", "Nông Văn Dũng"),
    ("000.00.12.H14-261125-0002", "1.000656", "Đăng ký khai tử", "Hoàng Thị Mai"),
    ("000.00.12.H14-261126-0003", "2.000815", "Chứng thực bản sao từ bản chính", "Lục Văn Hòa"),
    ("000.00.12.H14-261126-0004", "1.000894", "Đăng ký kết hôn", "Đàm Thị Hạnh"),
)


#: The demo's web login: an admin, created only where no account exists (never beside real
#: accounts), so that a demo never opens a known password on a real deployment.
DEMO_LOGIN = ("demo", "postlink-demo")


@dataclasses.dataclass(frozen=True)
class DemoOptions:
    orders: int = 1500
    span_days: int = 30
    speed: float = 120.0  # simulated seconds per real second


def demo_settings(settings: Settings) -> Settings:
    """Short intervals so that a newcomer sees records move within a minute."""
    return settings.model_copy(
        update={"pull_interval": 5, "push_interval": 5, "deadlines_interval": 30, "lease_ttl": 30}
    )


def publish_samples(engine: Engine) -> list[str]:
    """Publish the sample lists unless some list is already published."""
    with session_scope(engine) as session:
        if session.exec(select(func.count()).select_from(ListVersion)).one():
            return []
        done = []
        for name, decision, effective in SAMPLE_LISTS:
            import_list(
                session,
                defaults.CONFIG_DIR / "catalog" / name,
                decision=decision,
                effective_from=effective,
                actor="demo",
                publish_now=True,
                confirm=True,  # the sample history: the July list cuts January's window
            )
            done.append(f"{decision} from {effective:%d/%m/%Y}")
        return done


def start(
    settings: Settings, engine: Engine, options: DemoOptions
) -> tuple[RunningSandbox, SyncContext]:
    """Migrate, publish samples, start the sandbox and build the worker's context on it."""
    migrate.upgrade(engine)
    sandbox = start_in_thread(
        SandboxConfig(orders=options.orders, span_days=options.span_days, speed=options.speed)
    )
    postal = settings.model_copy(update={"postal_base_url": sandbox.url})
    ctx = SyncContext(
        engine=engine,
        adapter=get_adapter(postal, DatabaseRecorder(engine), clock=sandbox.sandbox.clock.now),
        resolver=Resolver(engine),
        policy=load_policy(settings.deadlines_file),
        tz=settings.tz,
    )
    return sandbox, ctx


def register_results(ctx: SyncContext, settings: Settings) -> list[OutboxCommand]:
    with session_scope(ctx.engine) as session:
        return [
            register(
                session,
                ctx,
                settings,
                Registration(
                    LegKind.RETURN,
                    dossier,
                    procedure,
                    name,
                    Party(
                        citizen,
                        "0912345678",
                        "Tổ 5, phường Tân Giang, tỉnh Cao Bằng",
                        "04",
                        "01288",
                    ),
                ),
                actor="demo",
            )
            for dossier, procedure, name, citizen in DEMO_RESULTS
        ]


def _count_by(session: Session, column: Any) -> dict[str, int]:
    rows = session.execute(sa_select(column, func.count()).group_by(column)).all()
    return {str(key): int(n) for key, n in rows}


def snapshot(engine: Engine) -> dict[str, dict[str, int]]:
    """Counts of legs by match class and by status, and of outbox commands by state."""
    with Session(engine) as session:
        return {
            "match": _count_by(session, Leg.match_class),
            "status": _count_by(session, Leg.status),
            "outbox": _count_by(session, OutboxCommand.state),
        }


def watch(
    engine: Engine,
    show: Callable[[dict[str, dict[str, int]]], None],
    stop: threading.Event,
    every: float = 10.0,
) -> None:
    """Call ``show`` with a snapshot every ``every`` seconds until ``stop`` is set."""
    while not stop.wait(every):
        show(snapshot(engine))


def demo_login(engine: Engine) -> tuple[str, str] | None:
    """The demo admin's name and password, creating the account in an empty user table;
    None when the database already has other accounts."""
    with session_scope(engine) as session:
        if find_user(session, DEMO_LOGIN[0]) is not None:
            return DEMO_LOGIN
        if session.exec(select(func.count()).select_from(User)).one():
            return None
        add_user(session, *DEMO_LOGIN, role="admin", full_name="Quản trị (demo)", actor="demo")
        return DEMO_LOGIN


def start_web(settings: Settings, engine: Engine, ctx: SyncContext) -> BackgroundServer:
    """The web app on the worker's context, on its configured port or a free one."""
    host, port = settings.web_host, settings.web_port
    if not port_is_free(host, port):
        port = free_port(host)
    return BackgroundServer(create_app(settings, engine, ctx), host, port).start()
