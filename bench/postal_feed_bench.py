"""How fast postlink's MyVNPost client reads the change feed, next to the floor.

Starts ``postlink sandbox`` (frozen clock, N orders) in a subprocess, then reads the whole
change feed twice, each in a fresh process so that its peak memory is its own:

- floor: plain ``requests.get`` + ``json.loads`` over the same pages, nothing else;
- client: ``MyVNPostAdapter.changes(None)``: retries, redacted exchange records (built and
  dropped here, or stored in SQLite with ``--exchange-log``), parsing and validation into
  models.

A warm-up pass first fills the sandbox's window cache, so both runs pay the same server
cost; then floor and client alternate for ``--rounds`` rounds and the best run of each
counts, which keeps a busy machine's noise out of the ratio. Prints records per second,
peak RSS and the client/floor ratio (issue 4: >= 80%).

    .venv/bin/python bench/postal_feed_bench.py --orders 100000
    .venv/bin/python bench/postal_feed_bench.py --orders 1000000   # a few minutes
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

START = date(2026, 1, 1)
USER = {"username": "sandbox", "password": "sandbox", "customerCode": "SANDBOX"}


def _window(days: int) -> tuple[str, str]:
    """The window the client computes: lookback ``days + 1`` from the end, to the day after."""
    end = START + timedelta(days=days)
    return f"{end - timedelta(days=days + 1):%d-%m-%Y}", f"{end + timedelta(days=1):%d-%m-%Y}"


def floor(url: str, days: int, size: int) -> Callable[[], int]:
    """The floor's read of the whole feed, ready to run."""

    def read() -> int:
        session = requests.Session()
        token = session.post(f"{url}/customer-partner/GetAccessToken", json=USER, timeout=30)
        headers = {"token": token.json()["token"]}
        low, high = _window(days)
        records = 0
        for feed in ("GUI", "NHAN"):
            page = 0
            while True:
                params: dict[str, str | int] = {
                    "lastUpdateFrom": low,
                    "lastUpdateTo": high,
                    "type": feed,
                    "size": size,
                    "page": page,
                    "isInternational": "false",
                }
                response = session.get(
                    f"{url}/customer-partner/GetListOrder",
                    params=params,
                    headers=headers,
                    timeout=300,
                )
                found = len(json.loads(response.content)["results"])
                records += found
                page += 1
                if found < size:
                    break
        return records

    return read


def client(url: str, days: int, size: int, exchange_log: bool) -> Callable[[], int]:
    """The client's read of the whole feed, ready to run: importing postlink, loading its
    settings and migrating the log's database are start-up costs, not the feed's."""
    from postlink.postal.exchange_log import DatabaseRecorder
    from postlink.postal.http import ExchangeRecord
    from postlink.postal.myvnpost.adapter import MyVNPostAdapter
    from postlink.postal.myvnpost.mapping import VIETNAM
    from postlink.settings import load_settings

    env = {
        "POSTLINK_POSTAL_BASE_URL": url,
        "POSTLINK_POSTAL_READ_TIMEOUT": "300",
        "POSTLINK_POSTAL_FEED_LOOKBACK_DAYS": str(days + 1),
        "POSTLINK_POSTAL_FEED_PAGE_SIZE": str(size),
        "POSTLINK_DATA_DIR": os.environ.get("BENCH_DATA_DIR", "var/bench"),
    }
    settings = load_settings(env, Path("/nonexistent/.env"))
    statuses: list[int | None] = []
    if exchange_log:
        from postlink import migrate
        from postlink.db import make_engine

        engine = make_engine(settings.effective_database_url)
        migrate.upgrade(engine)
        recorder: Any = DatabaseRecorder(engine)
    else:

        def recorder(record: ExchangeRecord) -> None:
            statuses.append(record.status_code)

    end = datetime.combine(START + timedelta(days=days), datetime.min.time(), tzinfo=VIETNAM)

    def read() -> int:
        adapter = MyVNPostAdapter(settings, recorder, clock=lambda: end)
        return sum(len(page.orders) + len(page.quarantined) for page in adapter.changes(None))

    return read


def _phase(args: argparse.Namespace) -> None:
    if args.phase == "floor":
        read = floor(args.url, args.days, args.page_size)
    else:
        read = client(args.url, args.days, args.page_size, args.exchange_log)
    started = time.perf_counter()
    records = read()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"records": records, "seconds": seconds, "peak_mb": peak_mb}))


def _run_phase(name: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", name, "--url", url]
    command += ["--days", str(args.days), "--page-size", str(args.page_size)]
    if args.exchange_log:
        command.append("--exchange-log")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def _peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory (Linux ``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of each")
    parser.add_argument("--exchange-log", action="store_true", help="log to SQLite")
    parser.add_argument("--phase", choices=["floor", "client"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _phase(args)
        return
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    world = ["--orders", str(args.orders), "--days", str(args.days), "--start", START.isoformat()]
    sandbox = subprocess.Popen(
        [sys.executable, "-m", "postlink", "sandbox", "--port", str(port), "--frozen", *world],
        stdout=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if not k.startswith("POSTLINK_")},
    )
    try:
        for _ in range(200):
            try:
                requests.post(f"{url}/customer-partner/GetAccessToken", json=USER, timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        warm = _run_phase("floor", url, args)
        print(f"warm-up: {warm['records']} records in {warm['seconds']:.1f} s")
        runs: dict[str, list[dict[str, Any]]] = {"floor": [], "client": []}
        for _ in range(args.rounds):
            for name, kept in runs.items():
                kept.append(_run_phase(name, url, args))
        results = {name: min(kept, key=lambda r: r["seconds"]) for name, kept in runs.items()}
        sandbox_peak = _peak_rss_mb(sandbox.pid)
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=30)
    rates = {name: r["records"] / r["seconds"] for name, r in results.items()}
    for name, result in results.items():
        print(
            f"{name:>6}: {result['records']} records in {result['seconds']:.2f} s = "
            f"{rates[name]:,.0f} records/s, peak RSS {result['peak_mb']:.0f} MB"
        )
    print(f"sandbox: {args.orders} orders served with a peak RSS of {sandbox_peak:.0f} MB")
    print(
        f" ratio: client reaches {rates['client'] / rates['floor']:.0%} of the floor (goal 80%), "
        f"best of {args.rounds} runs each"
    )


if __name__ == "__main__":
    main()
