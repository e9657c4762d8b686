"""Typed configuration read from the environment and a ``.env`` file.

Every setting is a ``POSTLINK_*`` variable. Province IT sets them in the service's
environment or in ``.env`` (python-dotenv); the process environment wins over the file so
that a one-off ``POSTLINK_X=... postlink ...`` behaves as expected. Values are validated once
at start-up: a bad value stops the program with one line naming the variable, the value and
what is expected, because a daemon that starts half-configured fails later and less clearly.
"""

from __future__ import annotations

import os
import re
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from postlink import defaults
from postlink.errors import ConfigError
from postlink.words import catalogue, language, say

PREFIX = "POSTLINK_"
ENV_FILE_VARIABLE = "POSTLINK_ENV_FILE"
#: ``POSTLINK_*`` variables that are not settings: the .env location and the test suite's
#: PostgreSQL URL. Any other unknown ``POSTLINK_*`` name is a typo and stops start-up.
NOT_SETTINGS = frozenset({ENV_FILE_VARIABLE, "POSTLINK_TEST_DATABASE_URL"})
#: A database URL as SQLAlchemy writes it, ``driver://user:password@host:port/db?query``,
#: read here only as far as its driver and password, without importing SQLAlchemy: that
#: import was a third of ``postlink status``'s start-up (issue 15 §2), and the engine still
#: says what else is wrong with a URL when it first connects.
DATABASE_URL = re.compile(
    r"(?P<driver>[\w+]+)://(?:(?P<user>[^:/]*)(?::(?P<password>[^@]*))?@)?.*", re.DOTALL
)


class PostalAdapterName(StrEnum):
    """Which dialect the province's postal contract speaks (see docs/postal-api)."""

    MYVNPOST = "myvnpost"
    NGSP = "ngsp"


class WebhookVerification(StrEnum):
    """How a postal webhook's signature is checked (postal brief §1: the scheme is unclear)."""

    RSA = "rsa"
    HMAC = "hmac"
    OFF = "off"


class Language(StrEnum):
    """The language postlink speaks to people (``postlink.words``): Vietnamese first."""

    VI = "vi"
    EN = "en"


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class Settings(BaseModel):
    """The effective configuration. Field ``x`` is read from ``POSTLINK_X``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    data_dir: Path = Field(
        default=Path(defaults.DATA_DIR),
        description="Folder for the default SQLite database, reports and other local state.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means a SQLite file under POSTLINK_DATA_DIR. "
        "PostgreSQL: postgresql+psycopg://user@host:5432/dbname",
    )
    database_pool_size: int = Field(
        default=defaults.DATABASE_POOL_SIZE,
        ge=1,
        le=200,
        description="Database connections each postlink process keeps open for reuse.",
    )
    timezone: str = Field(
        default=defaults.TIMEZONE,
        description="IANA time zone used to show times and to decide local calendar dates.",
    )
    log_level: LogLevel = Field(default=LogLevel.INFO, description="Logging threshold.")
    language: Language = Field(
        default=Language.VI,
        description="Language of messages on the console and the command line: vi or en.",
    )
    report_dir: Path | None = Field(
        default=None,
        description="Where rendered reports are written; empty means POSTLINK_DATA_DIR/reports.",
    )
    deadlines_file: Path = Field(
        default=defaults.DEADLINES_FILE,
        description="TOML route table and working-day calendar for J + n deadlines.",
    )
    routes_file: Path = Field(
        default=defaults.ROUTES_FILE,
        description="TOML route table of the province: commune → route area, offices, n.",
    )
    postal_adapter: PostalAdapterName = Field(
        default=PostalAdapterName.MYVNPOST,
        description="Postal API dialect: myvnpost or ngsp.",
    )
    postal_base_url: str = Field(
        default=defaults.SANDBOX_URL,
        description="Base URL of the postal API; the default is the built-in sandbox.",
    )
    postal_username: str = Field(default="sandbox", description="MyVNPost login user name.")
    postal_password: SecretStr = Field(
        default=SecretStr("sandbox"), description="MyVNPost login password."
    )
    postal_customer_code: str = Field(
        default="SANDBOX", description="MyVNPost customer code of the province's contract."
    )
    postal_client_id: str = Field(default="sandbox", description="NGSP OAuth2 client key.")
    postal_client_secret: SecretStr = Field(
        default=SecretStr("sandbox"), description="NGSP OAuth2 client secret."
    )
    postal_connect_timeout: float = Field(
        default=defaults.POSTAL_CONNECT_TIMEOUT,
        gt=0,
        le=120,
        description="Seconds to wait for a TCP/TLS connection to the postal API.",
    )
    postal_read_timeout: float = Field(
        default=defaults.POSTAL_READ_TIMEOUT,
        gt=0,
        le=600,
        description="Seconds to wait for the postal API to answer once connected.",
    )
    postal_retry_budget: float = Field(
        default=defaults.POSTAL_RETRY_BUDGET,
        ge=0,
        le=3600,
        description="Total seconds an idempotent call may spend retrying before it fails.",
    )
    postal_max_rps: float = Field(
        default=defaults.POSTAL_MAX_RPS,
        ge=0,
        le=10_000,
        description="Requests a second postlink may send to the post (all calls); 0 = no cap.",
    )
    postal_ca_bundle: Path | None = Field(
        default=None,
        description="PEM bundle to verify the postal API's TLS certificate; empty = system CAs.",
    )
    postal_feed_lookback_days: int = Field(
        default=defaults.POSTAL_FEED_LOOKBACK_DAYS,
        ge=1,
        le=366,
        description="Days of order updates the first change-feed pass reads (no cursor yet).",
    )
    postal_feed_overlap_days: int = Field(
        default=defaults.POSTAL_FEED_OVERLAP_DAYS,
        ge=1,
        le=31,
        description="Days each change-feed pass re-reads before the previous pass's start.",
    )
    postal_feed_page_size: int = Field(
        default=defaults.POSTAL_FEED_PAGE_SIZE,
        ge=1,
        le=500,
        description="Orders per change-feed page (MyVNPost accepts at most 500).",
    )
    postal_webhook_verification: WebhookVerification = Field(
        default=WebhookVerification.RSA,
        description="Webhook signature check: rsa (public key), hmac (shared secret) or off.",
    )
    postal_webhook_public_key: Path | None = Field(
        default=None,
        description="PEM file with the post's RSA public key for webhook signatures.",
    )
    postal_webhook_secret: SecretStr = Field(
        default=SecretStr(""), description="Shared secret for HMAC-SHA256 webhook signatures."
    )
    postal_webhook_max_age_minutes: int = Field(
        default=defaults.POSTAL_WEBHOOK_MAX_AGE_MINUTES,
        ge=1,
        le=1440,
        description="Minutes a webhook's sendDate may lie in the past before it is refused.",
    )
    postal_webhook_max_ahead_minutes: int = Field(
        default=defaults.POSTAL_WEBHOOK_MAX_AHEAD_MINUTES,
        ge=0,
        le=60,
        description="Minutes a webhook's sendDate may lie in the future (clock skew).",
    )
    exchange_log_retention_days: int = Field(
        default=defaults.EXCHANGE_LOG_RETENTION_DAYS,
        ge=1,
        le=3650,
        description="Days the redacted postal exchange log is kept.",
    )
    raw_body_retention_days: int = Field(
        default=defaults.RAW_BODY_RETENTION_DAYS,
        ge=0,
        le=3650,
        description="Days the post's bodies in the exchange log and the quarantine keep "
        "citizens' names, phones and addresses before housekeeping masks them in place.",
    )
    record_retention_years: int = Field(
        default=defaults.RECORD_RETENTION_YEARS,
        le=100,
        description="Years the legal records (legs, events, handovers, audit) are kept; at "
        "least 5 (TT 17/2017 art. 14). postlink deletes and masks none of them.",
    )

    office_name: str = Field(
        default="Trung tâm Phục vụ hành chính công tỉnh Cao Bằng",
        description="The one-stop office: receiver of dossiers, sender of results.",
    )
    office_phone: str = Field(default="02063852000", description="The office's phone number.")
    office_address: str = Field(
        default="Số 011 Hoàng Đình Giong, phường Thục Phán, tỉnh Cao Bằng",
        description="The office's postal address.",
    )
    office_province_code: str = Field(default="04", description="Province code of the office.")
    office_commune_code: str = Field(default="01273", description="GSO commune code (5 digits).")
    worker_instance: str = Field(
        default="",
        description="Name of this worker in job runs and leases; empty = host name and PID.",
    )
    pull_interval: int = Field(
        default=defaults.PULL_INTERVAL,
        ge=1,
        le=86_400,
        description="Seconds between reads of the post's change feed.",
    )
    push_interval: int = Field(
        default=defaults.PUSH_INTERVAL,
        ge=1,
        le=86_400,
        description="Seconds between sends of pending outbox commands.",
    )
    deadlines_interval: int = Field(
        default=defaults.DEADLINES_INTERVAL,
        ge=1,
        le=86_400,
        description="Seconds between overdue checks.",
    )
    housekeeping_interval: int = Field(
        default=defaults.HOUSEKEEPING_INTERVAL,
        ge=60,
        le=7 * 86_400,
        description="Seconds between housekeeping runs (exchange-log retention, masking).",
    )
    reports_interval: int = Field(
        default=defaults.REPORTS_INTERVAL,
        ge=60,
        le=86_400,
        description="Seconds between renders of the daily report set into the report folder.",
    )
    lease_ttl: int = Field(
        default=defaults.LEASE_TTL,
        ge=2,
        le=3600,
        description="Seconds a job lease lives without a heartbeat before another worker may "
        "take over.",
    )
    outbox_max_attempts: int = Field(
        default=defaults.OUTBOX_MAX_ATTEMPTS,
        ge=1,
        le=100,
        description="Attempts before an outbox command is marked failed.",
    )
    outbox_backoff: float = Field(
        default=defaults.OUTBOX_BACKOFF,
        ge=0,
        le=86_400,
        description="Seconds before the first outbox retry; doubles each time, capped at an hour.",
    )

    secret_key: SecretStr = Field(
        default=SecretStr(""),
        description="Key signing the web console's session cookies; empty: generated once "
        "into POSTLINK_DATA_DIR/secret_key (mode 0600).",
    )
    web_host: str = Field(
        default=defaults.WEB_HOST, description="Address `postlink serve` listens on."
    )
    web_port: int = Field(
        default=defaults.WEB_PORT, ge=1, le=65_535, description="Port `postlink serve` listens on."
    )
    web_workers: int = Field(
        default=defaults.WEB_WORKERS,
        ge=1,
        le=64,
        description="Server processes `postlink serve` runs; about one per CPU core.",
    )
    web_forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Reverse proxies whose X-Forwarded-Proto/For headers are trusted "
        "(comma-separated addresses); HTTPS seen through them makes session cookies Secure.",
    )
    web_session_hours: int = Field(
        default=defaults.WEB_SESSION_HOURS,
        ge=1,
        le=24 * 30,
        description="Hours a web console login lasts.",
    )
    web_upload_max_bytes: int = Field(
        default=defaults.WEB_UPLOAD_MAX_BYTES,
        ge=1024,
        le=512 * 1024 * 1024,
        description="Largest list file (XLSX/CSV) an admin may upload, in bytes.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("config.timezone") from exc
        return value

    @field_validator("record_retention_years")
    @classmethod
    def _legal_floor(cls, value: int) -> int:
        """TT 17/2017 art. 14: electronic records are kept at least five years; a shorter
        retention for the parsed legal records is refused, whatever would apply it."""
        if value < defaults.RECORD_RETENTION_YEARS:
            raise ValueError("privacy.record_retention_floor")
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value:
            return value
        url = DATABASE_URL.fullmatch(value)
        if url is None:
            raise ValueError("config.database_url")
        driver = url["driver"]
        backend = driver.partition("+")[0]
        if backend not in ("sqlite", "postgresql"):
            raise ValueError("config.database_backend")
        if driver == "postgresql":
            return "postgresql+psycopg" + value[len(driver) :]
        if backend == "postgresql" and driver != "postgresql+psycopg":
            raise ValueError("config.psycopg")
        return value

    @field_validator("postal_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("config.http_url")
        return value.rstrip("/")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def effective_database_url(self) -> str:
        """The URL actually used: the configured one or the embedded SQLite default."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'postlink.db').as_posix()}"

    @property
    def effective_report_dir(self) -> Path:
        return self.report_dir if self.report_dir is not None else self.data_dir / "reports"


def env_name(field: str) -> str:
    return PREFIX + field.upper()


def _raw_values(environ: dict[str, str], env_file: Path | None) -> dict[str, Any]:
    """Merge ``.env`` and the environment (environment wins), keyed by field name."""
    merged: dict[str, str | None] = {}
    if env_file is not None and env_file.is_file():
        merged.update(dotenv_values(env_file))
    merged.update({k: v for k, v in environ.items() if k.startswith(PREFIX)})
    values: dict[str, Any] = {}
    for key, value in merged.items():
        if key in NOT_SETTINGS or value is None:
            continue
        field = key[len(PREFIX) :].lower()
        if field not in Settings.model_fields:
            raise ConfigError(code="config.unknown", variable=key)
        if value.strip() == "":
            continue  # an empty value means the default, as the example file says
        values[field] = value.strip()
    return values


def _describe(error: ValidationError, values: dict[str, Any]) -> ConfigError:
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else "?"
    shown = values.get(field, "")
    if isinstance(Settings.model_fields[field].default, SecretStr):
        shown = "***"
    code = str(first["msg"]).removeprefix("Value error, ")
    # Our validators raise a code; pydantic's own words (ranges, choices) stay as written.
    reason = say(code) if code in catalogue(language()) else code
    return ConfigError(code="config.invalid", variable=env_name(field), value=shown, reason=reason)


def load_settings(environ: dict[str, str] | None = None, env_file: Path | None = None) -> Settings:
    """Read and validate the configuration; raise ConfigError with one readable line."""
    env = dict(os.environ) if environ is None else environ
    if env_file is None:
        env_file = Path(env.get(ENV_FILE_VARIABLE, ".env"))
    values = _raw_values(env, env_file)
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise _describe(exc, values) from None


@cache
def get_settings() -> Settings:
    """The process-wide settings, loaded once."""
    return load_settings()


def masked(settings: Settings) -> dict[str, str]:
    """Every setting as its variable name and a printable value, secrets masked."""
    shown: dict[str, str] = {}
    for field in Settings.model_fields:
        value = getattr(settings, field)
        if isinstance(value, SecretStr):
            text = "********" if value.get_secret_value() else ""
        elif field == "report_dir":
            text = str(settings.effective_report_dir)
        elif field == "database_url":
            text = without_password(settings.effective_database_url)
        elif value is None:
            text = ""
        else:
            text = str(value)
        shown[env_name(field)] = text
    return shown


def without_password(url: str) -> str:
    """A database URL fit to print: its password, if it has one, shown as ``***``."""
    parsed = DATABASE_URL.fullmatch(url)
    if parsed is None or parsed["password"] is None:
        return url
    return url[: parsed.start("password")] + "***" + url[parsed.end("password") :]
