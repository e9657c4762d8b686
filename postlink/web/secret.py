"""The key that signs session cookies.

Province IT sets ``POSTLINK_SECRET_KEY``; when it is empty (a fresh install, the demo) a
random key is generated once into ``POSTLINK_DATA_DIR/secret_key``, readable by the service
user only (mode 0600), so that logins survive a restart without anyone handling a secret.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from postlink.errors import ConfigError
from postlink.settings import Settings

KEY_FILE = "secret_key"
_MIN_LENGTH = 32


def _generate(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key + "\n")
    return key


def session_key(settings: Settings) -> str:
    """The configured key, else the generated one (made on first use)."""
    configured = settings.secret_key.get_secret_value()
    if configured:
        if len(configured) < _MIN_LENGTH:
            raise ConfigError(
                f"POSTLINK_SECRET_KEY is too short: use at least {_MIN_LENGTH} random characters"
            )
        return configured
    path = settings.data_dir / KEY_FILE
    if path.is_file():
        key = path.read_text().strip()
        if len(key) >= _MIN_LENGTH:
            return key
        raise ConfigError(f"{path} holds a key shorter than {_MIN_LENGTH} characters; delete it")
    return _generate(path)
