"""Local accounts of the web console and bearer tokens of the inbound API.

Passwords are hashed with Argon2id (argon2-cffi's defaults follow RFC 9106's recommended
parameters), and a hash made with older parameters is upgraded at the next login. API tokens
are random 256-bit values shown once; only their SHA-256 is stored, which is enough for a
secret of that strength (no salt or slow hash is needed against guessing). Every change to
an account or a token leaves an audit row naming the admin who made it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import update
from sqlmodel import Session, col, select

from postlink import audit
from postlink.errors import PostlinkError
from postlink.models import ApiToken, Role, User
from postlink.timeutil import utcnow

_HASHER = PasswordHasher()
#: Shortest password accepted; passphrases are encouraged, so there is no composition rule
#: (NIST SP 800-63B §5.1.1.2).
MIN_PASSWORD_LENGTH = 8
_USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")


@cache
def _dummy_hash() -> str:
    """A hash of a random password, verified when the user does not exist, so that a wrong
    user name takes as long as a wrong password (no user enumeration by timing). Made at
    the first login rather than at import: ``postlink user add`` should not pay for it."""
    return _HASHER.hash(secrets.token_urlsafe(16))


class AccountError(PostlinkError):
    """A refused account or token change, under a catalogue code (``postlink.words``)."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(code="account.short_password", value=MIN_PASSWORD_LENGTH)
    return _HASHER.hash(password)


def _check_username(username: str) -> str:
    name = username.strip().lower()
    if not name or len(name) > 100 or not set(name) <= _USERNAME_CHARS:
        raise AccountError(code="account.bad_username", value=username[:100])
    return name


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise AccountError(code="account.bad_role", value=role) from None


def find_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username.strip().lower())).first()


def _user_state(user: User) -> dict[str, object]:
    return {"username": user.username, "role": user.role, "active": user.active}


def end_sessions(session: Session, user: User) -> None:
    """End every session of ``user``: cookies carry the old generation from now on. One
    UPDATE, so two logouts at once cannot both read the same number and write it back."""
    session.execute(
        update(User)
        .where(col(User.id) == user.id)
        .values(session_generation=col(User.session_generation) + 1)
    )


def add_user(
    session: Session, username: str, password: str, *, role: str, actor: str, full_name: str = ""
) -> User:
    """Create an account (audited); a taken user name is refused."""
    name = _check_username(username)
    if find_user(session, name) is not None:
        raise AccountError(code="account.exists", value=name)
    user = User(
        username=name,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        role=_role(role),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.create",
        entity_type="user",
        entity_id=name,
        after=_user_state(user),
    )
    return user


def set_password(session: Session, username: str, password: str, *, actor: str) -> User:
    """Reset a password (audited without the password, of course)."""
    user = find_user(session, username)
    if user is None:
        raise AccountError(code="account.no_user", value=username)
    user.password_hash = hash_password(password)
    session.add(user)
    end_sessions(session, user)
    audit.record(
        session, actor=actor, action="user.password", entity_type="user", entity_id=user.username
    )
    return user


def update_user(
    session: Session, user: User, *, role: str, active: bool, full_name: str, actor: str
) -> User:
    """Change role, activity or name; an admin cannot demote or disable themself, so that
    the console always keeps an admin who can undo a mistake."""
    if user.username == actor and (role != Role.ADMIN or not active):
        raise AccountError(code="account.self_demote")
    before = _user_state(user)
    user.role, user.active, user.full_name = _role(role), active, full_name.strip()
    session.add(user)
    if before["active"] and not active:
        end_sessions(session, user)
    audit.record(
        session,
        actor=actor,
        action="user.update",
        entity_type="user",
        entity_id=user.username,
        before=before,
        after=_user_state(user),
    )
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this password, or None; upgrades an outdated hash."""
    user = find_user(session, username)
    try:
        _HASHER.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    user.last_login_at = utcnow()
    session.add(user)
    return user


# --- API tokens ---------------------------------------------------------------------------


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: ``secret`` is shown once and never stored."""

    token: ApiToken
    secret: str


def create_token(session: Session, name: str, *, actor: str) -> IssuedToken:
    label = name.strip()
    if not label or len(label) > 100:
        raise AccountError(code="token.bad_name")
    secret = "plk_" + secrets.token_urlsafe(32)
    token = ApiToken(name=label, token_hash=token_digest(secret), created_by=actor)
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="token.create",
        entity_type="api_token",
        entity_id=token.id or "",
        after={"name": label},
    )
    return IssuedToken(token, secret)


def revoke_token(session: Session, token_id: int, *, actor: str) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.revoked_at is not None:
        raise AccountError(code="token.not_active", value=token_id)
    token.revoked_at = utcnow()
    session.add(token)
    audit.record(
        session,
        actor=actor,
        action="token.revoke",
        entity_type="api_token",
        entity_id=token_id,
        before={"name": token.name},
    )
    return token


def token_for(session: Session, secret: str) -> ApiToken | None:
    """The active token with this secret, or None."""
    return session.exec(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(secret), col(ApiToken.revoked_at).is_(None)
        )
    ).first()
