"""Errors named after the condition. Each carries a message key so pages can show it in either language."""
from __future__ import annotations

from smartcity.i18n import t


class SmartCityError(Exception):
    """Base error: `key` + `params` name a message in smartcity.i18n."""

    key = "err.generic"

    def __init__(self, key: str | None = None, **params: object):
        self.key = key or self.key
        self.params = params
        super().__init__(t(self.key, "en", **params) if params or key else self.key)

    def message(self, lang: str = "id") -> str:
        return t(self.key, lang, **self.params)


class StoreError(SmartCityError):
    """The database could not do what was asked (locked, corrupt, disk full)."""

    key = "err.store"


class PermissionDenied(SmartCityError):
    """The acting user's role or agency scope does not allow this write."""

    key = "err.permission"


class InvalidKpiDefinitions(SmartCityError):
    """kpi_definitions.yaml does not validate; `problems` lists 'KPI id: field: reason' lines."""

    key = "err.kpi_invalid"
