"""The demo database's accounts: one per role, with passwords documented in README.md ("Akun demo").

`build_demo_db` adds them and marks the database as a demo (meta key 'demo' = 'true'); the login
page lists them only for a database so marked, never for a real one.
"""
from __future__ import annotations

from dataclasses import dataclass

from smartcity.auth import SYSTEM_ACTOR
from smartcity.store import Store

DEMO_FLAG = "demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    agencies: tuple[str, ...]
    display_name: str


DEMO_ACCOUNTS = (
    DemoAccount("admin", "demo-admin", "admin", (), "Admin Bapelitbangda (demo)"),
    DemoAccount("dinkes", "demo-dinkes", "editor", ("DINKES",), "Editor Dinas Kesehatan (demo)"),
    DemoAccount("diskominfo", "demo-diskominfo", "editor", ("DISKOMINFO",), "Editor Diskominfo (demo)"),
    DemoAccount("viewer", "demo-viewer", "viewer", (), "Pembaca (demo)"),
)


def add_demo_accounts(store: Store) -> None:
    """Create the demo accounts and mark the database as a demo (for a database with no users yet)."""
    from smartcity.users import add_user

    for a in DEMO_ACCOUNTS:
        add_user(store, SYSTEM_ACTOR, a.username, a.password, a.role, list(a.agencies), a.display_name)
    with store.transaction() as cur:
        cur.execute("INSERT OR REPLACE INTO meta VALUES (?, 'true')", [DEMO_FLAG])


def is_demo(store: Store) -> bool:
    """Whether build_demo_db made this database."""
    row = store.query_one("SELECT value FROM meta WHERE key = ?", [DEMO_FLAG])
    return row is not None and row[0] == "true"


def demo_accounts(store: Store) -> list[DemoAccount]:
    """The accounts to show on the login page: the demo accounts on the demo database, else none."""
    return list(DEMO_ACCOUNTS) if is_demo(store) else []
