"""Benchmark the staff dashboard and the dossier search with 1,000,000 legs (issue 7).

Goal: p95 under 200 ms at 20 concurrent users on this machine. The database is seeded by
the reports benchmark's bulk seeder (``bench/reports_bench.py``: executemany on SQLite,
COPY on PostgreSQL), then ``postlink serve`` runs in its own process on a free loopback
port, as in production, and 20 threads, each logged in with its own session, alternate
between the dashboard and a search (by dossier code, by phone number, by waybill number).
The run is bounded in time and in requests, and talks to 127.0.0.1 only.

    .venv/bin/python bench/web_bench.py                        # SQLite, 1,000,000 legs
    .venv/bin/python bench/web_bench.py --sqlite-file /tmp/web.db   # keep and reuse the data
    .venv/bin/python bench/web_bench.py --postgresql postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlsplit

import requests
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reports_bench

from postlink import defaults
from postlink.db import make_engine, session_scope
from postlink.web import accounts
from postlink.web.security import SESSION_COOKIE
from postlink.web.server import free_port

USER = ("bench", "bench-password")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def prepare(engine: Engine, legs: int, backend: str, reuse: bool) -> list[str]:
    """Seed (unless reusing), add the bench user, and pick search terms from the data."""
    if not reuse:
        reports_bench.seeded(engine, legs, backend)
    with session_scope(engine) as session:
        if accounts.find_user(session, USER[0]) is None:
            accounts.add_user(session, *USER, role="staff", actor="bench")
    with engine.connect() as connection:
        top = connection.execute(text("SELECT max(id) FROM dossier")).scalar_one()
        ids = random.Random(7).sample(range(1, top + 1), 300)
        rows = connection.execute(
            text(
                "SELECT d.code, d.citizen_phone, l.item_code FROM dossier d "
                "JOIN leg l ON l.dossier_id = d.id WHERE d.id IN "
                f"({', '.join(str(i) for i in ids)})"
            )
        ).all()
    return [term for row in rows for term in row if term]


def serve(url: str, folder: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "POSTLINK_DATABASE_URL": url,
        "POSTLINK_DATA_DIR": str(folder),
        "POSTLINK_LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable,
        "-m",
        "postlink",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    process = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/login", timeout=1)
            return process, base
        except requests.ConnectionError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("postlink serve did not start")


def logged_in(base: str) -> str:
    """Log the bench user in; the session cookie a browser would then send."""
    session = requests.Session()
    token = _CSRF.search(session.get(f"{base}/login", timeout=10).text)
    assert token is not None
    answer = session.post(
        f"{base}/login",
        data={"username": USER[0], "password": USER[1], "csrf_token": token.group(1)},
        timeout=10,
    )
    answer.raise_for_status()
    return f"{SESSION_COOKIE}={session.cookies[SESSION_COOKIE]}"


def drive(base: str, terms: list[str], users: int, seconds: float, limit: int) -> None:
    """Each user keeps one connection open, as a browser does, and sends its cookie. Plain
    ``http.client`` keeps the load generator's own CPU small: it shares the machine's cores
    with the server, and ``requests`` spent about a third of a core at this rate."""
    cookies = [logged_in(base) for _ in range(users)]
    address = urlsplit(base)
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    done = 0
    stop_at = time.monotonic() + seconds

    def user(number: int) -> None:
        nonlocal done
        pick = random.Random(number)
        connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
        headers = {"Cookie": cookies[number]}
        while time.monotonic() < stop_at:
            with lock:
                if done >= limit:
                    break
                done += 1
            kind = "dashboard" if pick.random() < 0.5 else "search"
            path = "/" if kind == "dashboard" else f"/search?q={quote(pick.choice(terms))}"
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            answer.read()
            elapsed = time.perf_counter() - started
            with lock:
                timings[kind].append(elapsed)
                if answer.status != 200:
                    errors.append(f"{path}: {answer.status}")
        connection.close()

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    total = sum(len(v) for v in timings.values())
    print(f"  {users} users, {total} requests in {wall:.1f} s: {total / wall:.0f} requests/s")
    for kind, values in sorted(timings.items()):
        p50 = statistics.median(values) * 1000
        p95 = statistics.quantiles(values, n=20)[-1] * 1000
        verdict = "ok" if p95 < 200 else "SLOW"
        print(f"  {kind:<10} n={len(values):<6} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {verdict}")
    if errors:
        print(f"  {len(errors)} errors, e.g. {errors[:3]}")


def run(url: str, label: str, args: argparse.Namespace, backend: str, reuse: bool) -> None:
    engine = make_engine(url)
    started = time.perf_counter()
    terms = prepare(engine, args.legs, backend, reuse)
    engine.dispose()
    print(f"{label}: ready in {time.perf_counter() - started:.0f} s")
    with tempfile.TemporaryDirectory() as folder:
        process, base = serve(url, Path(folder), args.workers)
        try:
            drive(base, terms, args.users, args.seconds, args.requests)
        finally:
            process.terminate()
            process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legs", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--workers", type=int, default=defaults.WEB_WORKERS, help="postlink serve processes"
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="at most this long")
    parser.add_argument("--requests", type=int, default=5_000, help="at most this many")
    parser.add_argument("--postgresql", metavar="URL", help="also run on this PostgreSQL")
    parser.add_argument("--sqlite-file", type=Path, help="keep the SQLite data here; reuse it")
    parser.add_argument("--pg-schema", help="keep the PostgreSQL data in this schema; reuse it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.sqlite_file or Path(folder) / "web.db"
        reuse = path.exists() and path.stat().st_size > 0
        run(f"sqlite:///{path}", "SQLite", args, "sqlite", reuse)
    if args.postgresql:
        schema = args.pg_schema or f"webbench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(args.postgresql)
        with admin.begin() as connection:
            reuse = connection.execute(
                text("SELECT to_regclass(:table) IS NOT NULL"), {"table": f'"{schema}".leg'}
            ).scalar_one()
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        url = make_url(args.postgresql).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            run(url.render_as_string(hide_password=False), "PostgreSQL", args, "postgresql", reuse)
        finally:
            if not args.pg_schema:
                with admin.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
