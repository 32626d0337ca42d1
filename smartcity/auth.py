"""Who is acting, and what they may write. Every write in the package takes an Actor.

Roles: admin (everything), editor (its own agencies only), viewer (read only).
The check happens where data is written, not in the UI.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from smartcity.errors import PermissionDenied

ROLES = ("admin", "editor", "viewer")


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a write happens."""

    username: str
    role: str
    agencies: frozenset[str] = field(default_factory=frozenset)

    def can_write_agency(self, agency_code: str) -> bool:
        if self.role == "admin":
            return True
        return self.role == "editor" and agency_code in self.agencies


SYSTEM_ACTOR = Actor("system", "admin")


def require_agency_write(actor: Actor, agency_codes: set[str] | frozenset[str]) -> None:
    """Raise PermissionDenied unless `actor` may write every agency in `agency_codes`."""
    denied = sorted(code for code in agency_codes if not actor.can_write_agency(code))
    if denied:
        raise PermissionDenied(user=actor.username, agencies=", ".join(denied))


def require_admin(actor: Actor) -> None:
    if actor.role != "admin":
        raise PermissionDenied("err.permission_admin", user=actor.username)
