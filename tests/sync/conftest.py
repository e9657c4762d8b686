"""Sync fixtures: the sandbox over real HTTP, a published sample list, a sync context."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from postlink import defaults
from postlink.catalog.importer import import_list
from postlink.catalog.resolve import Resolver
from postlink.db import session_scope
from postlink.legs.apply import SyncContext
from postlink.legs.deadlines import load_policy
from postlink.postal.exchange_log import DatabaseRecorder
from postlink.settings import get_settings
from tests.postal.fixtures import SandboxHandle, sandbox_factory, sandbox_server
from tests.sync.daemons import daemons

__all__ = ["daemons", "sandbox_factory", "sandbox_server"]

SAMPLE_LIST = defaults.CONFIG_DIR / "catalog" / "cao-bang-2026-01.csv"


@pytest.fixture
def published_list(engine: Engine) -> int:
    """The January 2026 sample list of Cao Bằng, published from 01/01/2026."""
    with session_scope(engine) as session:
        outcome = import_list(
            session,
            SAMPLE_LIST,
            decision="125/QĐ-UBND",
            effective_from=date(2026, 1, 1),
            actor="test",
            publish_now=True,
        )
        assert outcome.version.id is not None
        return outcome.version.id


MakeContext = Callable[[SandboxHandle], SyncContext]


@pytest.fixture
def make_context(engine: Engine, published_list: int) -> Iterator[MakeContext]:
    """Build the sync context the worker builds, but on a test sandbox's adapter."""
    contexts: list[SyncContext] = []

    def make(sandbox: SandboxHandle) -> SyncContext:
        ctx = SyncContext(
            engine=engine,
            adapter=sandbox.adapter(DatabaseRecorder(engine)),
            resolver=Resolver(engine),
            policy=load_policy(defaults.DEADLINES_FILE),
            tz=get_settings().tz,
        )
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.adapter.close()


def sample_path(name: str) -> Path:
    return defaults.CONFIG_DIR / "catalog" / name
