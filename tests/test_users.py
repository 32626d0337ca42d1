"""Accounts: hashed passwords, admin-only changes, slowed-down failed logins."""
from datetime import datetime, timedelta

import pytest

from smartcity.auth import SYSTEM_ACTOR, Actor
from smartcity.errors import PermissionDenied
from smartcity.store import open_store
from smartcity.users import UserError, add_user, authenticate, ensure_first_admin, set_active, set_password

ADMIN = SYSTEM_ACTOR
EDITOR = Actor("dinkes", "editor", frozenset({"DINKES"}))


@pytest.fixture
def store():
    s = open_store(":memory:")
    add_user(s, ADMIN, "dinkes", "rahasia-123", "editor", ["DINKES"])
    yield s
    s.close()


def test_password_is_stored_hashed_and_login_gives_the_scoped_actor(store):
    stored = store.query_one("SELECT password_hash FROM users WHERE username = 'dinkes'")[0]
    assert "rahasia" not in stored and stored.startswith("$2b$")
    result = authenticate(store, "dinkes", "rahasia-123")
    assert result.actor == Actor("dinkes", "editor", frozenset({"DINKES"}))


def test_wrong_password_and_unknown_user_get_the_same_answer(store):
    assert authenticate(store, "dinkes", "salah-salah").key == "login.bad"
    assert authenticate(store, "nobody", "salah-salah").key == "login.bad"


def test_failed_logins_are_slowed_down(store):
    t0 = datetime(2024, 10, 7, 9, 0, 0)
    for _ in range(3):                               # three free failures
        assert authenticate(store, "dinkes", "salah", now=t0).key == "login.bad"
    # after 3 failures the next try waits 2^(3-3) = 1 s, even with the right password
    assert authenticate(store, "dinkes", "rahasia-123", now=t0 + timedelta(seconds=0.5)).key == "login.wait"
    assert authenticate(store, "dinkes", "salah", now=t0 + timedelta(seconds=2)).key == "login.bad"
    # 4 failures, the last at t0+2 s: wait 2^(4-3) = 2 s, until t0+4 s
    assert authenticate(store, "dinkes", "rahasia-123", now=t0 + timedelta(seconds=3)).key == "login.wait"
    assert authenticate(store, "dinkes", "rahasia-123", now=t0 + timedelta(seconds=5)).actor is not None


def test_disabled_user_cannot_log_in(store):
    set_active(store, ADMIN, "dinkes", False)
    assert authenticate(store, "dinkes", "rahasia-123").key == "login.disabled"


def test_only_an_admin_changes_users(store):
    with pytest.raises(PermissionDenied):
        add_user(store, EDITOR, "mallory", "password-1", "admin")
    with pytest.raises(PermissionDenied):
        set_active(store, EDITOR, "dinkes", False)
    with pytest.raises(PermissionDenied):
        set_password(store, EDITOR, "admin", "password-1")
    set_password(store, EDITOR, "dinkes", "baru-12345")   # a user may change their own
    assert authenticate(store, "dinkes", "baru-12345").actor is not None


def test_user_changes_are_audited(store):
    set_active(store, ADMIN, "dinkes", False)
    actions = [r[0] for r in store.cursor().execute("SELECT action FROM audit_log ORDER BY id").fetchall()]
    assert actions == ["user_add", "user_disable"]


def test_an_editor_needs_a_known_agency(store):
    with pytest.raises(UserError):
        add_user(store, ADMIN, "x", "password-1", "editor", [])
    with pytest.raises(UserError):
        add_user(store, ADMIN, "x", "password-1", "editor", ["NOPE"])


def test_first_admin_is_created_once_with_a_printed_password():
    s = open_store(":memory:")
    password = ensure_first_admin(s)
    assert password and authenticate(s, "admin", password).actor.role == "admin"
    assert ensure_first_admin(s) is None


# -- a signed-in session and the admin's account changes ------------------------------------------

def test_a_session_sees_role_changes_and_disabling_at_once(store):
    from smartcity.users import active_actor, set_role

    assert active_actor(store, "dinkes") == EDITOR
    set_role(store, ADMIN, "dinkes", "editor", ["DINKES", "DISKOMINFO"])
    assert active_actor(store, "dinkes").agencies == frozenset({"DINKES", "DISKOMINFO"})
    set_active(store, ADMIN, "dinkes", False)
    assert active_actor(store, "dinkes") is None
    assert active_actor(store, "nobody") is None


def test_a_reset_password_works_once_handed_over_and_is_audited(store):
    from smartcity.users import reset_password

    new = reset_password(store, ADMIN, "dinkes")
    assert len(new) >= 8 and authenticate(store, "dinkes", new).actor is not None
    assert authenticate(store, "dinkes", "rahasia-123").actor is None
    assert store.query_one("SELECT count(*) FROM audit_log WHERE action = 'user_password'")[0] == 1
    with pytest.raises(PermissionDenied):
        reset_password(store, EDITOR, "dinkes")


def test_an_admin_cannot_disable_themself(store):
    add_user(store, ADMIN, "kepala", "rahasia-123", "admin")
    with pytest.raises(UserError) as refused:
        set_active(store, Actor("kepala", "admin"), "kepala", False)
    assert "sendiri" in refused.value.message("id")


def test_an_editor_can_be_given_any_known_agency(store):
    from smartcity.users import assignable_agencies

    agencies = assignable_agencies(store)
    assert agencies["DINKES"] == "Dinkes" and "DISKOMINFO" in agencies
