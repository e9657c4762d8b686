"""docs/deploy.md, run: the commands of the deployment guide that need no real server.

Each test names the guide's step it runs. Commands that need a real server (systemctl,
journalctl, certificates, cron) are marked so in the guide; everything else is here, with
the test's PostgreSQL superuser (``-h 127.0.0.1 -U postgres``) standing in for
``sudo -u postgres``, and scratch names for the role and the databases.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from postlink import defaults
from postlink.settings import Settings

NGINX_SITE = defaults.CONFIG_DIR / "nginx" / "postlink.conf"
UNITS = sorted((defaults.CONFIG_DIR / "systemd").glob("*.service"))
GUIDE = Path(__file__).resolve().parents[1] / "docs" / "deploy.md"
POSTLINK = str(Path(sys.executable).with_name("postlink"))
INSTALLED = "/srv/postlink/.venv/bin/postlink"


def _mebibytes(size: str) -> int:
    match = re.fullmatch(r"(\d+)([km]?)", size)
    assert match, f"unexpected nginx size {size!r}"
    return int(match[1]) * {"": 1, "k": 1024, "m": 1024 * 1024}[match[2]]


def test_nginx_site_matches_the_web_settings() -> None:
    site = NGINX_SITE.read_text("utf-8")
    upstream = re.search(r"upstream postlink_web \{\s*server ([\d.]+):(\d+);", site)
    assert upstream is not None
    assert (upstream[1], int(upstream[2])) == (defaults.WEB_HOST, defaults.WEB_PORT)
    body = _mebibytes(re.findall(r"client_max_body_size (\w+);", site)[0])
    room = 1024 * 1024  # the rest of the upload form: CSRF field, boundaries, headers
    assert defaults.WEB_UPLOAD_MAX_BYTES < body <= defaults.WEB_UPLOAD_MAX_BYTES + room
    for header in ("X-Forwarded-Proto $scheme", "X-Forwarded-For $proxy_add_x_forwarded_for"):
        assert f"proxy_set_header {header};" in site
    trusted = Settings.model_fields["web_forwarded_allow_ips"].default
    assert trusted == upstream[1], "nginx on the same host is the trusted forwarder"


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "postlink.example.gov.vn")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    chain, private = folder / "fullchain.pem", folder / "privkey.pem"
    chain.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return chain, private


@pytest.mark.skipif(shutil.which("nginx") is None, reason="no nginx (.ci/run installs it)")
def test_nginx_accepts_the_site_file(tmp_path: Path) -> None:
    """Guide step 7: ``nginx -t``. Only the certificate and log paths are moved into a
    scratch folder; the site is otherwise the shipped file."""
    chain, private = _self_signed(tmp_path)
    site = NGINX_SITE.read_text("utf-8")
    site = site.replace("/etc/ssl/postlink/fullchain.pem", str(chain))
    site = site.replace("/etc/ssl/postlink/privkey.pem", str(private))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "postlink.conf").write_text(site, "utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/postlink.conf;\n}}\n",
        "utf-8",
    )
    checked = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_units_verify(tmp_path: Path) -> None:
    """Guide step 6: ``systemd-analyze verify``, with the units' postlink path pointed at
    this installation's (the one thing that differs from a province server)."""
    assert [unit.name for unit in UNITS] == ["postlink-web.service", "postlink-worker.service"]
    for unit in UNITS:
        text = unit.read_text("utf-8")
        assert f"ExecStartPre={INSTALLED} db upgrade" in text
        (tmp_path / unit.name).write_text(text.replace(INSTALLED, POSTLINK), "utf-8")
    verified = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / unit.name) for unit in UNITS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr.strip() == ""


def test_every_command_of_the_guide_is_run_here_or_marked() -> None:
    """Each shell block of the guide is either run by this module or a CI script (its first
    line says which) or starts with ``# needs a real server``."""
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text("utf-8"), re.DOTALL)
    assert blocks
    source = Path(__file__).read_text("utf-8")
    for block in blocks:
        first = block.splitlines()[0]
        if first == "# needs a real server":
            continue
        match = re.fullmatch(r"# tested: (\S+)", first)
        assert match, f"a block of deploy.md is neither tested nor marked: {first!r}"
        if match[1].startswith("test_"):
            assert f"def {match[1]}(" in source, f"{match[1]} does not exist"
        else:  # a CI script
            assert (GUIDE.parents[1] / match[1]).is_file(), f"{match[1]} does not exist"


# --- PostgreSQL: role, database, .env, db upgrade, status, backup and restore -----------


@pytest.fixture
def server() -> Iterator[dict[str, str]]:
    """Connection flags of the test's PostgreSQL superuser, and scratch names dropped after."""
    url = os.environ.get("POSTLINK_TEST_DATABASE_URL")
    if not url:
        pytest.skip("needs PostgreSQL (POSTLINK_TEST_DATABASE_URL)")
    parsed = make_url(url)
    suffix = uuid.uuid4().hex[:8]
    names = {
        "host": parsed.host or "127.0.0.1",
        "port": str(parsed.port or 5432),
        "superuser": parsed.username or "postgres",
        "role": f"postlink_{suffix}",
        "password": f"pw-{uuid.uuid4().hex}",
        "database": f"postlink_{suffix}",
        "restored": f"postlink_restore_{suffix}",
    }
    yield names
    for database in (names["database"], names["restored"]):
        _pg(names, "dropdb", "--if-exists", database)
    _pg(names, "psql", "-c", f"DROP ROLE IF EXISTS {names['role']}")


def _pg(names: dict[str, str], tool: str, *args: str) -> str:
    """A PostgreSQL client tool as the guide runs it after ``sudo -u postgres``."""
    done = subprocess.run(
        [tool, "-h", names["host"], "-p", names["port"], "-U", names["superuser"], *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"{tool} {args}: {done.stderr}"
    return done.stdout


def _postlink(env_file: Path, *args: str, database: str | None = None) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTLINK_")}
    env["POSTLINK_ENV_FILE"] = str(env_file)
    if database is not None:
        env["POSTLINK_DATABASE_URL"] = database
    done = subprocess.run(
        [POSTLINK, *args], capture_output=True, text=True, env=env, cwd=env_file.parent
    )
    assert done.returncode in (0, 1, 2), done.stderr
    return done.returncode, done.stdout


def _url(names: dict[str, str], database: str) -> str:
    return (
        f"postgresql+psycopg://{names['role']}:{names['password']}"
        f"@{names['host']}:{names['port']}/{database}"
    )


def _install(names: dict[str, str], tmp_path: Path) -> Path:
    """Guide steps 3 to 5: role and database, the .env, ``postlink db upgrade``."""
    _pg(names, "psql", "-c", f"CREATE ROLE {names['role']} LOGIN PASSWORD '{names['password']}'")
    _pg(names, "createdb", f"--owner={names['role']}", "--encoding=UTF8", names["database"])
    env_file = tmp_path / "postlink.env"
    example = (defaults.CONFIG_DIR / "postlink.production.env").read_text("utf-8")
    assert "POSTLINK_DATABASE_URL=postgresql+psycopg://postlink:CHANGE-ME@" in example
    env_file.write_text(
        f"POSTLINK_DATA_DIR={tmp_path / 'var'}\n"
        f"POSTLINK_DATABASE_URL={_url(names, names['database'])}\n",
        "utf-8",
    )
    code, _ = _postlink(env_file, "db", "upgrade")
    assert code == 0
    return env_file


def test_new_server_role_database_env_and_upgrade(server: dict[str, str], tmp_path: Path) -> None:
    env_file = _install(server, tmp_path)
    code, shown = _postlink(env_file, "db", "current", "--json")
    assert code == 0
    assert json.loads(shown)["up_to_date"] is True
    code, shown = _postlink(env_file, "status", "--json")
    assert code == 2, "no job has run yet: monitoring must see that as stale"
    assert json.loads(shown)["state"] == "stale"


def test_backup_and_restore(server: dict[str, str], tmp_path: Path) -> None:
    env_file = _install(server, tmp_path)
    sample = defaults.CONFIG_DIR / "catalog" / "cao-bang-2026-01.xlsx"
    code, _ = _postlink(
        env_file,
        *("catalog", "import", str(sample), "--decision", "125/QĐ-UBND"),
        *("--effective", "2026-01-01", "--publish"),
    )
    assert code == 0
    dump = tmp_path / "postlink-2026-12-03.dump"
    _pg(server, "pg_dump", "--format=custom", f"--file={dump}", server["database"])
    _pg(server, "createdb", f"--owner={server['role']}", "--encoding=UTF8", server["restored"])
    _pg(
        server,
        "pg_restore",
        "--no-owner",
        f"--role={server['role']}",
        "--exit-on-error",
        f"--dbname={server['restored']}",
        str(dump),
    )
    restored = _url(server, server["restored"])
    code, shown = _postlink(env_file, "db", "current", "--json", database=restored)
    assert json.loads(shown)["up_to_date"] is True
    before = _postlink(env_file, "catalog", "show", "1", "--json")[1]
    after = _postlink(env_file, "catalog", "show", "1", "--json", database=restored)[1]
    assert json.loads(after) == json.loads(before)
    assert "1.000894" in after, "the restored list holds the sample's procedures"
