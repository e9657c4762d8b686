"""Benchmark the four reports on 1,000,000 legs with their events, on SQLite and PostgreSQL.

Issue 6: every report must build and render in under 2 seconds on a database of a million
legs. This script seeds such a database quickly (executemany on SQLite, COPY on
PostgreSQL), then times each report (build + HTML render) and measures its peak Python
memory in a second run under tracemalloc, so the timing is not slowed by tracing.

    .venv/bin/python bench/reports_bench.py                       # SQLite only
    .venv/bin/python bench/reports_bench.py --postgresql postgresql+psycopg://postgres@127.0.0.1:5432/test

The data: two years of J dates (2025-2026), 60 agencies, 200 procedures, half a million
dossiers each with a pickup and a return leg, three events per leg; legs close within a few
days of J, a small share stays stuck (overdue), fails, returns or is cancelled, and 0.5% is
judged ``excluded``. Reports run as of 05/01/2027: the delivery and exclusions reports over
2026Q4, the period report over the whole of 2026, and one 50-item handover record.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from postlink import migrate
from postlink.db import make_engine
from postlink.defaults import DEADLINES_FILE
from postlink.legs.deadlines import load_policy
from postlink.reports.filters import ReportFilter, quarter, year
from postlink.reports.registry import ReportName, build_report
from postlink.reports.render import Format, render
from postlink.settings import load_settings

AS_OF = date(2027, 1, 5)
FIRST_DAY = date(2025, 1, 1)
DAYS = 730
AGENCIES = [f"000.00.{n:02d}.H14" for n in range(1, 61)]
PROCEDURES = [f"1.{n:06d}" for n in range(1000, 1200)]
EXCLUDED_PROCEDURES = set(PROCEDURES[:20])
CHUNK = 50_000

LEG_COLUMNS = (
    "id", "dossier_id", "kind", "adapter", "reference", "order_id", "item_code", "item_check_ok",
    "agency_code", "procedure_code", "status", "raw_status", "raw_label", "route", "j_date",
    "deadline", "overdue", "invitations", "last_event_at", "closed_at", "match_class",
    "match_version_id", "match_reason", "match_legal_basis", "main_fee", "total_fee",
    "created_at", "updated_at",
)  # fmt: skip
DOSSIER_COLUMNS = (
    "id", "code", "procedure_code", "procedure_code_raw", "procedure_name", "agency_code",
    "citizen_name", "citizen_phone", "citizen_address", "commune_code", "channel", "created_at",
    "updated_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "leg_id", "item_code", "raw_code", "raw_label", "status", "occurred_at", "location",
    "source", "received_at",
)  # fmt: skip


class Generator:
    """Deterministic rows for the tables the reports read."""

    def __init__(self, legs: int) -> None:
        self.dossiers = legs // 2
        self.random = random.Random(1)
        policy = load_policy(DEADLINES_FILE)
        self.deadlines = {
            (FIRST_DAY + timedelta(days=d), n): policy.calendar.add_working_days(
                FIRST_DAY + timedelta(days=d), n
            )
            for d in range(DAYS)
            for n in (1, 2, 3, 4)
        }

    def _moment(self, day: date, hour: float) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hour - 7)

    def _outcome(self, kind: str, j: date) -> tuple[str, date | None, int, int | None]:
        """(status, J or None, invitations, days to close or None when open)."""
        roll = self.random.random()
        recent = (AS_OF - j).days < 6
        if kind == "pickup" and roll < 0.01:
            return "pickup_failed", None, 0, 1
        if roll < 0.02:
            return "cancelled", j, 0, 1
        if kind == "return" and roll < 0.035:
            return "returned", j, 2, 9
        if recent or roll < 0.038:
            status = "delivery_failed_attempt" if kind == "return" and roll < 0.1 else "in_transit"
            return status, j, int(status == "delivery_failed_attempt"), None
        return "delivered", j, 0, self.random.choice((0, 1, 1, 2, 2, 3, 4, 6))

    def rows(self) -> Iterator[tuple[str, tuple[Any, ...]]]:
        rnd = self.random
        now = datetime(2027, 1, 5, tzinfo=UTC)
        leg_id = event_id = 0
        for dossier_id in range(1, self.dossiers + 1):
            j0 = FIRST_DAY + timedelta(days=rnd.randrange(DAYS - 8))
            agency, procedure = rnd.choice(AGENCIES), rnd.choice(PROCEDURES)
            code = f"{agency}-{j0:%y%m%d}-{dossier_id % 10000:04d}.{dossier_id}"
            created = self._moment(j0, 8 + rnd.random() * 8)
            yield "dossier", (
                dossier_id, code, procedure, procedure, f"Thủ tục {procedure}", agency,
                f"Công dân {dossier_id}", f"09{dossier_id:08d}", "Cao Bằng", "01273", "post",
                created, created,
            )  # fmt: skip
            for kind, j in (("pickup", j0), ("return", j0 + timedelta(days=rnd.randrange(3, 8)))):
                leg_id += 1
                status, j_date, invitations, close_days = self._outcome(kind, j)
                n = rnd.choice((1, 2, 2, 2, 3, 4))
                deadline = self.deadlines.get((j_date, n)) if j_date else None
                closed = (
                    self._moment(j + timedelta(days=close_days), 9 + rnd.random() * 12)
                    if close_days is not None
                    else None
                )
                started = self._moment(j, 7 + rnd.random() * 2)
                excluded = procedure in EXCLUDED_PROCEDURES and rnd.random() < 0.05
                fee = rnd.choice((26000, 30000, 30500, None))
                item = f"EB{leg_id:08d}{kind[0].upper()}VN"
                yield "leg", (
                    leg_id, dossier_id, kind, "myvnpost", f"{code}-{kind[0].upper()}1", "", item,
                    True, agency, procedure, status, "", "", "intra_province", j_date, deadline,
                    bool(closed is None and deadline and deadline < AS_OF), invitations,
                    closed or started, closed, "excluded" if excluded else "eligible",
                    None, "Người yêu cầu phải có mặt" if excluded else "",
                    "Luật Hộ tịch 2014" if excluded else "", fee, fee, started, now,
                )  # fmt: skip
                last = closed or started + timedelta(hours=3)
                for raw, step, at in (
                    ("1", "created", started - timedelta(hours=2)),
                    ("6", "picked_up", started),
                    ("14" if status == "delivered" else "10", status, last),
                ):
                    event_id += 1
                    yield "event", (
                        event_id, leg_id, item, raw, "", step, at, "Cao Bằng", "poll", at,
                    )  # fmt: skip


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _tables() -> dict[str, tuple[str, ...]]:
    return {"dossier": DOSSIER_COLUMNS, "leg": LEG_COLUMNS, "event": EVENT_COLUMNS}


def seed_sqlite(engine: Engine, legs: int) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        batches: dict[str, list[tuple[Any, ...]]] = {name: [] for name in _tables()}
        statements = {
            name: f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            for name, cols in _tables().items()
        }

        def flush(name: str) -> None:
            cursor.executemany(statements[name], batches[name])
            batches[name].clear()

        for name, row in Generator(legs).rows():
            batches[name].append(tuple(_sqlite_value(v) for v in row))
            if len(batches[name]) >= CHUNK:
                flush(name)
        for name in batches:
            flush(name)
        raw.commit()
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def seed_postgresql(engine: Engine, legs: int) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        copies = {
            name: cursor.copy(f"COPY {name} ({', '.join(cols)}) FROM STDIN")  # type: ignore[attr-defined]
            for name, cols in _tables().items()
        }
        # One COPY at a time per connection: buffer per table, then stream each in turn.
        buffers: dict[str, list[tuple[Any, ...]]] = {name: [] for name in copies}
        for name, row in Generator(legs).rows():
            buffers[name].append(row)
        for name, rows in buffers.items():
            with copies[name] as copy:
                for row in rows:
                    copy.write_row(row)
            rows.clear()
        raw.commit()
    finally:
        raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))


def seed_catalog_and_handover(engine: Engine) -> int:
    """A published list with 20 excluded procedures, refused commands and one handover."""
    with engine.begin() as connection:
        now = datetime(2026, 1, 1, tzinfo=UTC)
        version_id = connection.execute(
            text(
                "INSERT INTO list_version (decision, effective_from, status, source_name, "
                "source_sha256, entry_count, imported_by, imported_at, note) VALUES "
                "('1/QĐ-UBND', '2024-01-01', 'published', '', '', 200, 'bench', :now, '') "
                "RETURNING id"
            ),
            {"now": now},
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO list_entry (version_id, procedure_code, procedure_code_raw, name, "
                "field, level, agency, agency_code, postal_submission, postal_return, reason, "
                "legal_basis, note) VALUES (:v, :code, :code, :name, :field, 'xa', '', '', "
                ":ok, :ok, :reason, '', '')"
            ),
            [
                {
                    "v": version_id,
                    "code": code,
                    "name": f"Thủ tục {code}",
                    "field": f"Lĩnh vực {int(code[-3:]) % 12}",
                    "ok": code not in EXCLUDED_PROCEDURES,
                    "reason": "Phải có mặt" if code in EXCLUDED_PROCEDURES else "",
                }
                for code in PROCEDURES
            ],
        )
        connection.execute(
            text(
                "INSERT INTO outbox (kind, leg_kind, dossier_code, reference, payload, state, "
                "attempts, next_attempt_at, last_error, refusal_reason, created_by, created_at, "
                "updated_at) SELECT 'create', 'return', code, code || '-R9', '{}', 'refused', 0, "
                ":at, '', 'excluded procedure', 'bench', :at, :at FROM dossier "
                "WHERE id % 1000 = 0"
            ),
            {"at": datetime(2026, 11, 15, 3, tzinfo=UTC)},
        )
        handover_id = connection.execute(
            text(
                "INSERT INTO handover (direction, office, officer, postal_worker, signed_at, "
                "note, created_by, created_at) VALUES ('in', 'Bench', 'Cán bộ', 'Bưu tá', :at, "
                "'', 'bench', :at) RETURNING id"
            ),
            {"at": datetime(2026, 12, 1, 2, tzinfo=UTC)},
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO handover_item (handover_id, leg_id, state, note) "
                "SELECT :h, id, 'complete', '' FROM leg WHERE kind = 'pickup' AND id <= 100"
            ),
            {"h": handover_id},
        )
    return int(handover_id)


def measure(engine: Engine, label: str, handover_id: int) -> None:
    settings = load_settings({"POSTLINK_DATA_DIR": tempfile.mkdtemp()})
    cases = {
        ReportName.EXCLUSIONS: ReportFilter(period=quarter("2026Q4"), as_of=AS_OF),
        ReportName.DELIVERY: ReportFilter(period=quarter("2026Q4"), as_of=AS_OF),
        ReportName.HANDOVER: ReportFilter(
            period=quarter("2026Q4"), as_of=AS_OF, handover_id=handover_id
        ),
        ReportName.PERIOD: ReportFilter(period=year(2026), as_of=AS_OF),
    }
    print(f"\n{label}: report, seconds (build + HTML), peak MiB, HTML KiB")
    for name, flt in cases.items():
        build_report(engine, name, flt, settings)  # warm the caches, as a daily run would
        started = time.perf_counter()
        page = render(build_report(engine, name, flt, settings), Format.HTML, settings)
        seconds = time.perf_counter() - started
        tracemalloc.start()
        render(build_report(engine, name, flt, settings), Format.HTML, settings)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        verdict = "ok" if seconds < 2 else "SLOW"
        print(
            f"  {name.value:<11} {seconds:6.2f} s  {peak / 2**20:7.1f} MiB  "
            f"{len(page) / 1024:8.0f} KiB  {verdict}"
        )


def seeded(engine: Engine, legs: int, backend: str) -> int:
    migrate.upgrade(engine)
    started = time.perf_counter()
    if backend == "sqlite":
        seed_sqlite(engine, legs)
    else:
        seed_postgresql(engine, legs)
    handover_id = seed_catalog_and_handover(engine)
    with engine.connect() as connection:
        counts = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("dossier", "leg", "event")
        }
    print(f"{backend}: seeded {counts} in {time.perf_counter() - started:.0f} s")
    return handover_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legs", type=int, default=1_000_000)
    parser.add_argument("--postgresql", metavar="URL", help="also run on this PostgreSQL server")
    parser.add_argument(
        "--sqlite-file", type=Path, help="keep the SQLite database here; reuse it if present"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.sqlite_file or Path(folder) / "bench.db"
        engine = make_engine(f"sqlite:///{path}")
        if path.exists() and path.stat().st_size > 0:
            measure(engine, "SQLite (reused)", 1)
        else:
            measure(engine, "SQLite", seeded(engine, args.legs, "sqlite"))
        engine.dispose()
    if args.postgresql:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(args.postgresql)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(args.postgresql).update_query_dict({"options": f"-csearch_path={schema}"})
        engine = make_engine(url.render_as_string(hide_password=False))
        try:
            measure(engine, "PostgreSQL", seeded(engine, args.legs, "postgresql"))
        finally:
            engine.dispose()
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
