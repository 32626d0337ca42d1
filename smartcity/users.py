"""Accounts: users stored in the database with bcrypt password hashes, roles and agency scopes.

Only an admin changes users; every change is audited. Failed logins are slowed down: after
three failures in a row, each further attempt must wait 2^(failures-3) seconds (at most 5 minutes).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import bcrypt

from smartcity.audit import record
from smartcity.auth import ROLES, SYSTEM_ACTOR, Actor, require_admin
from smartcity.errors import SmartCityError
from smartcity.store import Store

FREE_FAILURES = 3
MAX_WAIT_SECONDS = 300


class UserError(SmartCityError):
    key = "user.error"


@dataclass(frozen=True)
class LoginResult:
    actor: Actor | None
    key: str                      # message key: login.ok | login.bad | login.wait | login.disabled
    wait_seconds: int = 0


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8")[:72], bcrypt.gensalt(rounds=12)).decode("ascii")


def _check(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8")[:72], hashed.encode("ascii"))
    except ValueError:
        return False


def _validate(username: str, role: str, agencies: list[str], store: Store, password: str | None) -> None:
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise UserError("user.bad_name", name=username)
    if role not in ROLES:
        raise UserError("user.bad_role", role=role, roles=", ".join(ROLES))
    if role == "editor" and not agencies:
        raise UserError("user.editor_needs_agency")
    unknown = [a for a in agencies if a not in store.registry().agencies]
    if unknown:
        raise UserError("user.unknown_agency", agencies=", ".join(unknown))
    if password is not None and len(password) < 8:
        raise UserError("user.short_password")


def add_user(store: Store, actor: Actor, username: str, password: str, role: str, agencies: list[str] = (),
             display_name: str | None = None) -> None:
    """Create a user (admin only)."""
    require_admin(actor)
    agencies = sorted(set(agencies))
    _validate(username, role, agencies, store, password)
    with store.transaction() as cur:
        if cur.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
            raise UserError("user.exists", name=username)
        cur.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, true, ?, 0, NULL)",
                    [username, display_name or username, hash_password(password), role, agencies, datetime.now()])
        record(cur, actor, "user_add", "user", username, after={"role": role, "agencies": agencies})


def list_users(store: Store) -> list[dict]:
    df = store.query_df("SELECT username, display_name, role, agencies, active, created_at FROM users ORDER BY username")
    return df.to_dict("records")


def set_active(store: Store, actor: Actor, username: str, active: bool) -> None:
    """Disable (or enable) a user (admin only). An admin cannot disable themself (no lock-out)."""
    require_admin(actor)
    if not active and username == actor.username:
        raise UserError("user.self_disable")
    _change(store, actor, username, "active", active, "user_disable" if not active else "user_enable")


def set_role(store: Store, actor: Actor, username: str, role: str, agencies: list[str]) -> None:
    require_admin(actor)
    agencies = sorted(set(agencies))
    _validate(username, role, agencies, store, None)
    with store.transaction() as cur:
        before = _get(cur, username)
        cur.execute("UPDATE users SET role = ?, agencies = ? WHERE username = ?", [role, agencies, username])
        record(cur, actor, "user_change", "user", username, before={"role": before["role"], "agencies": before["agencies"]},
               after={"role": role, "agencies": agencies})


def set_password(store: Store, actor: Actor, username: str, password: str) -> None:
    """Set a password: an admin for anyone, a user for themself."""
    if actor.username != username:
        require_admin(actor)
    if len(password) < 8:
        raise UserError("user.short_password")
    with store.transaction() as cur:
        _get(cur, username)
        cur.execute("UPDATE users SET password_hash = ?, failed_logins = 0 WHERE username = ?",
                    [hash_password(password), username])
        record(cur, actor, "user_password", "user", username)


def reset_password(store: Store, actor: Actor, username: str) -> str:
    """Give `username` a new random password (admin only) and return it, to be handed over once."""
    require_admin(actor)
    password = secrets.token_urlsafe(9)
    set_password(store, actor, username, password)
    return password


def assignable_agencies(store: Store) -> dict[str, str]:
    """Every known agency an editor can be given: code -> short name, by short name."""
    agencies = store.registry().agencies.values()
    return {a.code: a.short for a in sorted(agencies, key=lambda a: a.short.lower())}


def active_actor(store: Store, username: str) -> Actor | None:
    """The Actor of an active user as stored now (role and agencies current); None if unknown or disabled.

    A signed-in session asks again on every page view, so that disabling a user or changing
    their role takes effect at once.
    """
    row = store.query_one("SELECT role, agencies FROM users WHERE username = ? AND active", [username])
    return None if row is None else Actor(username, row[0], frozenset(row[1]))


def _get(cur, username: str) -> dict:
    row = cur.execute("SELECT username, role, agencies, active FROM users WHERE username = ?", [username]).fetchone()
    if not row:
        raise UserError("user.unknown", name=username)
    return {"username": row[0], "role": row[1], "agencies": list(row[2]), "active": row[3]}


def _change(store: Store, actor: Actor, username: str, column: str, value, action: str) -> None:
    with store.transaction() as cur:
        before = _get(cur, username)
        cur.execute(f"UPDATE users SET {column} = ? WHERE username = ?", [value, username])
        record(cur, actor, action, "user", username, before={column: before[column]}, after={column: value})


def authenticate(store: Store, username: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check a login. Unknown users and wrong passwords get the same answer."""
    now = now or datetime.now()
    row = store.query_one(
        "SELECT password_hash, role, agencies, active, failed_logins, last_failed_at FROM users WHERE username = ?",
        [username])
    if row is None:
        _check(password, hash_password("timing-equaliser"))  # same cost as a real check
        return LoginResult(None, "login.bad")
    hashed, role, agencies, active, failures, last_failed = row
    if failures >= FREE_FAILURES and last_failed is not None:
        wait = min(2 ** (failures - FREE_FAILURES), MAX_WAIT_SECONDS)
        left = (last_failed + timedelta(seconds=wait) - now).total_seconds()
        if left > 0:
            return LoginResult(None, "login.wait", int(left) + 1)
    with store.transaction() as cur:
        if not _check(password, hashed):
            cur.execute("UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = ? WHERE username = ?",
                        [now, username])
            return LoginResult(None, "login.bad")
        cur.execute("UPDATE users SET failed_logins = 0 WHERE username = ?", [username])
    if not active:
        return LoginResult(None, "login.disabled")
    return LoginResult(Actor(username, role, frozenset(agencies)), "login.ok")


def ensure_first_admin(store: Store) -> str | None:
    """Create user 'admin' with a random password when there is no user yet; return the password once."""
    if store.query_one("SELECT count(*) FROM users")[0]:
        return None
    password = secrets.token_urlsafe(12)
    add_user(store, SYSTEM_ACTOR, "admin", password, "admin", display_name="Administrator")
    return password
