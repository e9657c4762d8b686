"""The floor of a backfill, measured beside it by ``sync_bench.py`` (issue 15).

Two floors, each with no postlink code in the timed part:

- HTTP: the very calls the backfill made (read back from its exchange log: every feed page
  and one tracking history per order), sent with plain ``requests`` and decoded with
  ``json.loads``, at the backfill's concurrency: the feed read page after page by one thread
  while ``HISTORY_FETCHERS`` threads fetch histories. Histories need not wait for their page
  here, so this is a lower bound on the network part of a backfill.
- Insert: the rows the backfill wrote (every table that was empty before it), inserted in
  bulk (``executemany`` in chunks of 10,000, one transaction) into a fresh database of the
  same kind, prepared as the backfill's was; only the inserts and the commit are timed.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests
from sqlalchemy import Engine, func, insert, select
from sqlmodel import SQLModel

from postlink.legs.apply import HISTORY_FETCHERS
from postlink.models import Exchange

FEED = "GetListOrder"


@dataclass(frozen=True)
class Floor:
    seconds: float
    requests: int
    #: CPU time of this process (all its threads) meanwhile: on a shared machine the wall
    #: time follows the load, the client's own work much less.
    cpu_seconds: float = 0.0


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def last_exchange_id(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.coalesce(func.max(Exchange.id), 0))).scalar_one()


def calls_made(engine: Engine, after_id: int, until_id: int) -> tuple[list[str], list[str]]:
    """The GET URLs of the backfill's successful calls, in order: feed pages, histories."""
    table = Exchange.__table__  # type: ignore[attr-defined]
    query = (
        select(table.c.operation, table.c.url)
        .where(table.c.id > after_id, table.c.id <= until_id)
        .where(table.c.method == "GET", table.c.status_code == 200)
        .order_by(table.c.id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    feed = [url for operation, url in rows if operation == FEED]
    return feed, [url for operation, url in rows if operation != FEED]


def http_floor(feed: list[str], histories: list[str], headers: Mapping[str, str]) -> Floor:
    session = requests.Session()
    session.headers.update(headers)

    def fetch(url: str) -> Any:
        response = session.get(url, timeout=300)
        response.raise_for_status()
        return json.loads(response.content)

    def read_feed() -> None:
        for url in feed:
            fetch(url)

    started, cpu = time.perf_counter(), time.process_time()
    reader = threading.Thread(target=read_feed, name="floor-feed")
    reader.start()
    with ThreadPoolExecutor(max_workers=HISTORY_FETCHERS) as pool:
        for _ in pool.map(fetch, histories):
            pass
    reader.join()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    session.close()
    return Floor(seconds, len(feed) + len(histories), cpu)


def insert_floor(source: Engine, target: Engine, empty_before: set[str]) -> Floor:
    """Copy the rows of the tables the backfill filled, timing only the inserts."""
    seconds, count = 0.0, 0
    with source.connect() as reading, target.begin() as writing:
        for table in SQLModel.metadata.sorted_tables:  # foreign-key order
            if table.name not in empty_before:
                continue
            result = reading.execution_options(yield_per=10_000).execute(select(table))
            for chunk in result.partitions():
                rows = [dict(row._mapping) for row in chunk]
                started = time.perf_counter()
                writing.execute(insert(table), rows)
                seconds += time.perf_counter() - started
                count += len(rows)
        started = time.perf_counter()
    return Floor(seconds + time.perf_counter() - started, count)  # the commit counts too
