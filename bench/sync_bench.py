"""How fast the sync backfills from the post, and what an empty poll costs.

Starts ``postlink sandbox`` (frozen clock, a world ending today) in a subprocess, then for
each backend runs, in a fresh child process so that its peak memory is its own:

- a backfill: the pull job (``sync.pull.pull`` on the context ``postlink worker`` builds:
  MyVNPost adapter, exchange log in the database, sample catalog published) from no cursor
  to the end of the feed, every order with its tracking history;
- an incremental poll with nothing new: the same job again, from the stored cursor, as a
  worker does every minute: one poll scans the window at the sandbox (as ``_warm_up`` does
  for the backfill) and is left out, then ``POLL_RUNS`` polls, each followed by its floor.

It prints orders/s, events/s and peak RSS for the backfill, and requests made (counted by
the sandbox) and milliseconds for the empty poll. Beside the backfill it prints its floor,
measured in the same run (``sync_floor.py``): the same HTTP calls with plain ``requests``
and ``json.loads`` at the same concurrency, and a bulk insert of the same rows; the
backfill's speed is given as a ratio to the HTTP floor (issue 15: goal ≥ 0.7×). Beside the
empty poll, its floor: the same feed pages read with ``requests`` + ``json.loads`` (goal
≤ 2×). Each also shows the client process's CPU time beside its floor's: on a shared
machine wall times follow the others' load, CPU times much less. Two world sizes at the
same daily volume show how the cost grows: the backfill is linear in the orders, while the
empty poll only re-reads the overlap window (orders updated in the last ``overlap + 1``
days, as MyVNPost's feed has date granularity), so it depends on the daily volume, not on
the total.

    .venv/bin/python bench/sync_bench.py                       # 10,000 and 100,000 orders
    .venv/bin/python bench/sync_bench.py --orders 10000 --backends sqlite

PostgreSQL runs when ``--postgres-url`` or ``POSTLINK_TEST_DATABASE_URL`` is set; each run
gets a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import requests
import sync_floor

#: Orders the world's post handles per day (the days of each world follow from it).
ORDERS_PER_DAY = 500


def _requests(url: str) -> int:
    from postlink.postal.sandbox.control import SandboxControl

    control = SandboxControl(url)
    made = sum(n for name, n in control.stats()["requests"].items() if "/_sandbox/" not in name)
    control.close()
    return made


def _prepare(database_url: str) -> None:
    """A migrated database with the sample list published, as a province starts."""
    from postlink import defaults, migrate
    from postlink.catalog.importer import import_list
    from postlink.db import make_engine, session_scope

    engine = make_engine(database_url)
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        import_list(
            session,
            defaults.CONFIG_DIR / "catalog" / "cao-bang-2026-01.csv",
            decision="125/QĐ-UBND",
            effective_from=date(2026, 1, 1),
            actor="bench",
            publish_now=True,
        )
    engine.dispose()


def _sync_phase(url: str, database_url: str, floor_url: str, days: int) -> dict[str, Any]:
    """Backfill, its floors, then poll again; run in a child process (see ``_run_phase``)."""
    os.environ.update(
        {
            "POSTLINK_DATABASE_URL": database_url,
            "POSTLINK_POSTAL_BASE_URL": url,
            "POSTLINK_POSTAL_READ_TIMEOUT": "120",
            "POSTLINK_POSTAL_FEED_LOOKBACK_DAYS": str(days + 1),
            "POSTLINK_LOG_LEVEL": "WARNING",
        }
    )
    from sqlalchemy import func
    from sqlmodel import Session, select

    from postlink.db import make_engine
    from postlink.models import Event, Leg
    from postlink.settings import get_settings
    from postlink.sync.jobs import build_context
    from postlink.sync.pull import pull

    _prepare(database_url)
    _prepare(floor_url)
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ctx = build_context(get_settings())
    empty = {name for name, count in sync_floor.row_counts(ctx.engine).items() if count == 0}
    first_call = sync_floor.last_exchange_id(ctx.engine)
    before = _requests(url)
    started, cpu = time.perf_counter(), time.process_time()
    backfill: Counter[str] = Counter()
    pull(ctx, backfill)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    backfill_requests = _requests(url) - before
    with Session(ctx.engine) as session:
        legs = session.exec(select(func.count()).select_from(Leg)).one()
        events = session.exec(select(func.count()).select_from(Event)).one()

    feed, histories = sync_floor.calls_made(
        ctx.engine, first_call, sync_floor.last_exchange_id(ctx.engine)
    )
    http = sync_floor.http_floor(feed, histories, ctx.adapter.login.headers())
    floor_engine = make_engine(floor_url)
    inserted = sync_floor.insert_floor(ctx.engine, floor_engine, empty)
    floor_engine.dispose()

    polls = [_empty_poll(ctx, url) for _ in range(POLL_RUNS + 1)][1:]  # the first warms up
    # the poll of median ratio to its own floor, measured right after it
    poll = sorted(polls, key=lambda p: p["ms"] / p["floor_ms"])[len(polls) // 2]
    ctx.adapter.close()
    return {
        "orders": legs,
        "events": events,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "http_floor_cpu_seconds": http.cpu_seconds,
        "poll_cpu_ms": poll["cpu_ms"],
        "poll_floor_cpu_ms": poll["floor_cpu_ms"],
        "poll_unchanged": poll["unchanged"],
        "backfill_requests": backfill_requests,
        "peak_mb": peak_mb,
        "baseline_mb": baseline_mb,
        "poll_ms": poll["ms"],
        "poll_floor_ms": poll["floor_ms"],
        "poll_all_ms": [p["ms"] for p in polls],
        "poll_all_floor_ms": [p["floor_ms"] for p in polls],
        "poll_requests": poll["requests"],
        "poll_orders": poll["orders"],
        "poll_histories": poll["histories"],
        "poll_events_new": poll["events_new"],
        "http_floor_seconds": http.seconds,
        "http_floor_requests": http.requests,
        "insert_floor_seconds": inserted.seconds,
        "insert_floor_rows": inserted.requests,
    }


#: Empty polls measured after the one that warms the sandbox's window; the median is shown.
POLL_RUNS = 3


def _empty_poll(ctx: Any, url: str) -> dict[str, Any]:
    """One poll with nothing new, then its floor: the same feed pages read again with
    ``requests`` + ``json.loads``. A worker polls every minute, so the sandbox has scanned
    the overlap window before (as ``_warm_up`` does for the backfill); the first poll after
    the backfill is the one that scans it, and is left out."""
    from postlink.sync.pull import pull

    before, first_call = _requests(url), sync_floor.last_exchange_id(ctx.engine)
    started, cpu = time.perf_counter(), time.process_time()
    counts: Counter[str] = Counter()
    pull(ctx, counts)
    ms, cpu_ms = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    requests_made = _requests(url) - before
    feed, _ = sync_floor.calls_made(ctx.engine, first_call, sync_floor.last_exchange_id(ctx.engine))
    floor = sync_floor.http_floor(feed, [], ctx.adapter.login.headers())
    return {
        **{key: counts[key] for key in ("orders", "unchanged", "histories", "events_new")},
        "ms": ms,
        "cpu_ms": cpu_ms,
        "requests": requests_made,
        "floor_ms": floor.seconds * 1000,
        "floor_cpu_ms": floor.cpu_seconds * 1000,
    }


def _run_phase(url: str, database_url: str, floor_url: str, days: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", "sync", "--url", url]
    command += ["--database-url", database_url, "--floor-database-url", floor_url]
    command += ["--days", str(days)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTLINK_")}
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _warm_up(url: str, days: int) -> None:
    """Read the whole feed once, so that every backend finds the sandbox's scan cached."""
    from postlink.postal.myvnpost.adapter import MyVNPostAdapter
    from postlink.settings import load_settings

    env = {
        "POSTLINK_POSTAL_BASE_URL": url,
        "POSTLINK_POSTAL_READ_TIMEOUT": "300",
        "POSTLINK_POSTAL_FEED_LOOKBACK_DAYS": str(days + 1),
    }
    adapter = MyVNPostAdapter(load_settings(env, Path("/nonexistent/.env")), lambda _r: None)
    for _ in adapter.changes(None):
        pass
    adapter.close()


class _Postgres:
    """A fresh schema on the server for one run, dropped afterwards."""

    def __init__(self, base_url: str) -> None:
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        from postlink.db import make_engine

        self.schema = f"plbench_{uuid.uuid4().hex[:12]}"
        self.admin = make_engine(base_url)
        with self.admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={self.schema}"})
        self.url = url.render_as_string(hide_password=False)

    def drop(self) -> None:
        from sqlalchemy import text

        with self.admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
        self.admin.dispose()


def _bench_world(orders: int, backends: list[str], postgres_url: str | None) -> None:
    days = max(1, orders // ORDERS_PER_DAY)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    world = ["--orders", str(orders), "--days", str(days), "--frozen"]
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "postlink", "sandbox", "--port", str(port), *world],
        stdout=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if not k.startswith("POSTLINK_")},
    )
    try:
        for _ in range(200):
            try:
                requests.get(f"{url}/_sandbox/clock", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        _warm_up(url, days)
        for backend in backends:
            if backend == "sqlite":
                with tempfile.TemporaryDirectory() as folder:
                    base = f"sqlite:///{folder}"
                    result = _run_phase(url, f"{base}/bench.db", f"{base}/floor.db", days)
            else:
                assert postgres_url is not None
                schema, floor = _Postgres(postgres_url), _Postgres(postgres_url)
                try:
                    result = _run_phase(url, schema.url, floor.url, days)
                finally:
                    schema.drop()
                    floor.drop()
            _report(orders, days, backend, result)
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=30)


def _report(orders: int, days: int, backend: str, r: dict[str, Any]) -> None:
    print(
        f"{orders:>7,} orders / {days} days, {backend:<10} backfill: {r['orders']:,} orders, "
        f"{r['events']:,} events in {r['seconds']:.1f} s = {r['orders'] / r['seconds']:,.0f} "
        f"orders/s, {r['events'] / r['seconds']:,.0f} events/s, {r['backfill_requests']:,} "
        f"requests, peak RSS {r['peak_mb']:.0f} MB ({r['baseline_mb']:.0f} MB before)",
        flush=True,
    )
    http_rate = r["orders"] / r["http_floor_seconds"]
    print(
        f"{'':>7}{'':>18}{'':<10} floor: the same {r['http_floor_requests']:,} calls with "
        f"requests + json.loads in {r['http_floor_seconds']:.1f} s = {http_rate:,.0f} orders/s; "
        f"bulk insert of the same {r['insert_floor_rows']:,} rows in "
        f"{r['insert_floor_seconds']:.1f} s; backfill = "
        f"{r['http_floor_seconds'] / r['seconds']:.2f}× the HTTP floor (goal ≥ 0.7×), "
        f"{(r['http_floor_seconds'] + r['insert_floor_seconds']) / r['seconds']:.2f}× "
        f"HTTP + insert; client CPU {r['cpu_seconds']:.1f} s, floor's "
        f"{r['http_floor_cpu_seconds']:.1f} s",
        flush=True,
    )
    pairs = zip(r["poll_all_ms"], r["poll_all_floor_ms"], strict=True)
    each = ", ".join(f"{poll:,.0f}/{floor:,.0f}" for poll, floor in pairs)
    print(
        f"{'':>7}{'':>18}{'':<10} empty poll: {r['poll_requests']} requests, "
        f"{r['poll_ms']:,.0f} ms ({r['poll_orders']:,} orders re-read, "
        f"{r['poll_unchanged']:,} unchanged, {r['poll_histories']} histories, "
        f"{r['poll_events_new']} new events); floor: the same pages with requests + "
        f"json.loads in {r['poll_floor_ms']:,.0f} ms, poll = "
        f"{r['poll_ms'] / r['poll_floor_ms']:.1f}× it (goal ≤ 2×); client CPU "
        f"{r['poll_cpu_ms']:,.0f} ms, floor's {r['poll_floor_cpu_ms']:,.0f} ms (median of "
        f"{len(r['poll_all_ms'])} polls after a first one, each beside its floor: {each} ms)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--postgres-url", default=os.environ.get("POSTLINK_TEST_DATABASE_URL"))
    parser.add_argument("--phase", choices=["sync"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--floor-database-url", help=argparse.SUPPRESS)
    parser.add_argument("--days", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = _sync_phase(args.url, args.database_url, args.floor_database_url, args.days)
        print(json.dumps(result))
        return
    backends = list(args.backends)
    if "postgresql" in backends and not args.postgres_url:
        print("PostgreSQL skipped: set --postgres-url or POSTLINK_TEST_DATABASE_URL")
        backends.remove("postgresql")
    for orders in args.orders:
        _bench_world(orders, backends, args.postgres_url)


if __name__ == "__main__":
    main()
