"""Settings: defaults, .env and environment precedence, one-line errors, masking."""

from __future__ import annotations

from pathlib import Path

import pytest

from postlink.errors import ConfigError
from postlink.settings import load_settings, masked


def test_defaults_give_embedded_sqlite_and_sandbox(tmp_path: Path) -> None:
    settings = load_settings({}, tmp_path / "none.env")
    assert settings.effective_database_url == "sqlite:///var/postlink.db"
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.postal_base_url == "http://127.0.0.1:8765"
    assert settings.effective_report_dir == Path("var/reports")


def test_environment_wins_over_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("POSTLINK_TIMEZONE=Asia/Bangkok\nPOSTLINK_LOG_LEVEL=DEBUG\n")
    settings = load_settings({"POSTLINK_TIMEZONE": "UTC"}, env_file)
    assert settings.timezone == "UTC"
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("POSTLINK_TIMEZONE", "Mars/Olympus", "cần một múi giờ IANA"),
        ("POSTLINK_DATABASE_URL", "not a url", "cần một URL cơ sở dữ liệu"),
        ("POSTLINK_DATABASE_URL", "mysql://root@localhost/x", "sqlite:// hoặc postgresql"),
        ("POSTLINK_DATABASE_URL", "postgresql+psycopg2://u@h/d", "trình điều khiển psycopg"),
        ("POSTLINK_POSTAL_ADAPTER", "dhl", "myvnpost"),
        ("POSTLINK_POSTAL_READ_TIMEOUT", "-1", "greater than 0"),
        ("POSTLINK_POSTAL_BASE_URL", "ftp://post", "http"),
    ],
)
def test_bad_value_names_variable_value_and_expectation(
    tmp_path: Path, variable: str, value: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings({variable: value}, tmp_path / "none.env")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{variable}={value!r}")
    assert expected in message


def test_unknown_variable_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="POSTLINK_TIMEZON không phải một thiết lập của postlink"):
        load_settings({"POSTLINK_TIMEZON": "UTC"}, tmp_path / "none.env")


def test_plain_postgresql_url_gets_the_psycopg_driver(tmp_path: Path) -> None:
    settings = load_settings(
        {"POSTLINK_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test"},
        tmp_path / "none.env",
    )
    assert settings.database_url == "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_masked_hides_secrets_and_database_password(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "POSTLINK_POSTAL_PASSWORD": "hunter2-secret",
            "POSTLINK_POSTAL_CLIENT_SECRET": "oauth-secret",
            "POSTLINK_DATABASE_URL": "postgresql+psycopg://app:dbpass@db:5432/postlink",
        },
        tmp_path / "none.env",
    )
    shown = masked(settings)
    text = repr(shown)
    for secret in ("hunter2-secret", "oauth-secret", "dbpass"):
        assert secret not in text
    assert shown["POSTLINK_POSTAL_PASSWORD"] == "********"
    assert shown["POSTLINK_DATABASE_URL"] == "postgresql+psycopg://app:***@db:5432/postlink"


def test_example_env_documents_every_setting() -> None:
    from postlink.settings import Settings, env_name

    example = (Path(__file__).parent.parent / "config" / "postlink.example.env").read_text()
    for field in Settings.model_fields:
        assert f"{env_name(field)}=" in example, f"{env_name(field)} missing from example env"
    documented = load_settings({}, Path(__file__).parent.parent / "config/postlink.example.env")
    assert documented.timezone == "Asia/Ho_Chi_Minh"


def test_production_sample_is_valid_settings() -> None:
    sample = Path(__file__).parent.parent / "config" / "postlink.production.env"
    settings = load_settings({}, sample)
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert settings.pull_interval == 300
