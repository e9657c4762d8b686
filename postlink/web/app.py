"""The application factory: one ASGI app for the console, the API and the webhook.

Middleware, outermost first: a body size limit (uploads are the largest legitimate body),
protective headers, signed sessions. Routers are split by audience, and each router states
its role once (``dependencies=``), so no page can be added without a role check; a test
walks every route to hold that line. Swagger UI is off: it would load scripts from the
internet; the schema itself is at ``/openapi.json``.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI
from sqlalchemy import Engine
from starlette.staticfiles import StaticFiles

from postlink import __version__, logs
from postlink.db import get_engine
from postlink.legs.apply import SyncContext
from postlink.reports.render import TEMPLATES_DIR
from postlink.settings import Settings, get_settings
from postlink.sync.jobs import build_context
from postlink.web import errors
from postlink.web.inputs import refuse_nul
from postlink.web.limits import BodyLimit
from postlink.web.routes import (
    admin_accounts,
    admin_audit,
    admin_catalog,
    admin_quarantine,
    api,
    auth,
    desk,
    pages,
    reports,
    webhook,
)
from postlink.web.secret import session_key
from postlink.web.security import SchemeAwareSessions, SecurityHeaders
from postlink.web.state import WebState
from postlink.web.templating import build_templates
from postlink.web.throttle import LoginThrottle

STATIC_DIR = TEMPLATES_DIR / "web" / "static"
#: Room for the form fields around the largest upload, in bytes.
_FORM_OVERHEAD = 64 * 1024

API_DESCRIPTION = """Inbound API of postlink for the province's one-stop system.

Authenticate with `Authorization: Bearer <token>` (created with `postlink token create`).
Registrations are idempotent on the dossier code and the leg: repeating one returns the
same answer. Errors are JSON with a machine-readable `code` and a Vietnamese `message`.
"""


def create_served_app() -> FastAPI:
    """The app as each ``postlink serve`` process builds it: settings from the environment
    and logging configured, since worker processes start afresh (uvicorn ``--factory``)."""
    settings = get_settings()
    logs.configure(settings)
    return create_app(settings)


def create_app(
    settings: Settings | None = None,
    engine: Engine | None = None,
    ctx: SyncContext | None = None,
) -> FastAPI:
    """Build the app; ``ctx`` defaults to the worker's context (adapter, resolver, rules)."""
    settings = settings or get_settings()
    engine = engine or get_engine()
    app = FastAPI(
        title="postlink",
        version=__version__,
        description=API_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_nul)],
    )
    app.state.web = WebState(
        settings=settings,
        engine=engine,
        reader=engine.execution_options(isolation_level="AUTOCOMMIT"),
        ctx=ctx or build_context(settings, engine),
        templates=build_templates(settings),
        throttle=LoginThrottle(engine),
    )
    errors.install(app)
    for module in (auth, pages, reports, desk, admin_catalog, admin_audit, admin_accounts):
        app.include_router(module.router)
    app.include_router(admin_quarantine.router)
    app.include_router(api.router)
    app.include_router(webhook.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(
        SchemeAwareSessions,
        secret_key=session_key(settings),
        max_age=settings.web_session_hours * 3600,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=settings.web_upload_max_bytes + _FORM_OVERHEAD)
    return app
