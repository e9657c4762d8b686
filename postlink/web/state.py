"""What every request of the console, the API and the webhook shares, built once per app."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from postlink.legs.apply import SyncContext
from postlink.settings import Settings
from postlink.web.dashboard import JobHealth
from postlink.web.throttle import LoginThrottle


@dataclass
class WebState:
    """``ctx`` is the sync context (adapter, resolver, deadline policy) the API registers
    through and the webhook applies through, exactly as the worker does."""

    settings: Settings
    engine: Engine
    #: For the views that only read (the dashboard, the search, the dossier page, the user
    #: behind a cookie): autocommit, so each statement is its own snapshot and PostgreSQL
    #: gets no BEGIN and ROLLBACK round trips around them, a third of a dashboard view's.
    reader: Engine
    ctx: SyncContext
    templates: Jinja2Templates
    throttle: LoginThrottle
    job_health: JobHealth = field(default_factory=JobHealth)
    #: One webhook batch is applied at a time: the adapter's HTTP session is not shared
    #: between threads, and SQLite has one writer anyway.
    webhook_lock: threading.Lock = field(default_factory=threading.Lock)


def state_of(request: Request) -> WebState:
    web: WebState = request.app.state.web
    return web
