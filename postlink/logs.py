"""One log line per event, ``key=value`` style, on stderr (journald keeps it on a server).

No line may carry a citizen's personal data (Law 91/2025/QH15; issue 13 §5): database
errors lose their row values where the engine is made (``postlink.db``), parties and
dossiers leave them out of their repr, and the web server's access lines lose their query
string, where a search by phone (``/search?q=0912…``) would put the number.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from postlink.settings import Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level.value, format=FORMAT, force=True)
    # APScheduler logs every run and every skipped overlap; our own job lines say more, once.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("alembic").setLevel(logging.WARNING)


class WithoutQuery(logging.Filter):
    """uvicorn's access line with the request's path only, never its query string.

    uvicorn logs ``(client, method, path with query, HTTP version, status)``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], args[2].split("?", 1)[0], args[3], args[4])
        return True


def uvicorn_config() -> dict[str, Any]:
    """uvicorn's own logging configuration with ``WithoutQuery`` on its access lines. Given
    to uvicorn by name so that each server process it starts installs it."""
    from uvicorn.config import LOGGING_CONFIG  # here: only the web server needs uvicorn

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["without_query"] = {"()": f"{__name__}.WithoutQuery"}
    config["handlers"]["access"]["filters"] = ["without_query"]
    return config
