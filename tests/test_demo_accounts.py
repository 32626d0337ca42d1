"""The demo accounts in README.md ("Akun demo") are the ones the demo database gets."""
import re
from pathlib import Path

from smartcity.demo.accounts import DEMO_ACCOUNTS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_readme_lists_every_demo_account_with_its_password():
    section = README.split("## Akun demo", 1)[1].split("\n## ", 1)[0]
    listed = dict(re.findall(r"\| `([a-z]+)` \| `([^`]+)` \|", section))
    assert listed == {a.username: a.password for a in DEMO_ACCOUNTS}


def test_the_demo_database_has_the_demo_accounts_and_is_marked(demo_db):
    from smartcity.demo.accounts import demo_accounts
    from smartcity.store import open_store

    store = open_store(demo_db, read_only=True)
    try:
        assert [a.username for a in demo_accounts(store)] == ["admin", "dinkes", "diskominfo", "viewer"]
        dinkes = next(a for a in DEMO_ACCOUNTS if a.username == "dinkes")
        # read-only: check the hash without recording the login
        hashed = store.query_one("SELECT password_hash FROM users WHERE username = 'dinkes'")[0]
        import bcrypt

        assert bcrypt.checkpw(dinkes.password.encode(), hashed.encode())
        assert store.query_one("SELECT role, agencies FROM users WHERE username = 'dinkes'") == ("editor", ["DINKES"])
    finally:
        store.close()


def test_a_database_not_built_as_the_demo_shows_no_demo_accounts(tmp_db):
    from smartcity.demo.accounts import demo_accounts
    from smartcity.store import open_store

    store = open_store(tmp_db)
    assert demo_accounts(store) == []
    store.close()
