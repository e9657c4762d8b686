"""One log line per event, ``key=value`` style, on stderr (journald keeps it on a server)."""

from __future__ import annotations

import logging

from postlink.settings import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level.value, format=FORMAT, force=True)
    # APScheduler logs every run and every skipped overlap; our own job lines say more, once.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("alembic").setLevel(logging.WARNING)
