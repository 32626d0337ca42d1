"""What an admin changes in the app besides users: KPI definitions and the agency registry.

KPI definitions are declared in kpi_definitions.yaml; an admin may change the fields that are
safe to change without touching a formula (target, thresholds, public flag, names). The changes
are kept in the database (kpi_overrides, holding only what differs from the file) and
`load_kpis(store=...)` lays them over the file. Every change recomputes the KPIs and is audited
with the values before and after.

The agency registry (data/agencies.yaml) is loaded into `agencies` on every start; an admin adds
an agency or edits its name, short name and aliases here, kept in `agency_edits` as well so
the store lays them over the file again when it loads it (Store._seed_agencies). Both kinds of change are admin only.
"""
from __future__ import annotations

import json
import math
import re
from datetime import datetime

import duckdb
import pandas as pd

from smartcity.agencies import Agency, AgencyRegistry
from smartcity.audit import record
from smartcity.auth import Actor, require_admin
from smartcity.errors import InvalidKpiDefinitions, SmartCityError
from smartcity.formatting import format_value
from smartcity.i18n import t
from smartcity.kpi import KpiDefinition, load_kpis, recompute_kpis
from smartcity.store import Store

# The fields of a KPI definition an admin may change in the app, flat (the thresholds as two numbers).
KPI_FIELDS = ("target", "green", "amber", "public", "name_id", "name_en")
MAX_NAME = 200
MAX_ALIASES = 20
AGENCY_CODE = re.compile(r"^[A-Z][A-Z0-9_-]{1,29}$")


class SettingsError(SmartCityError):
    """A KPI or agency change that cannot be made as asked; the message says why."""

    key = "set.error"


# -- KPI definitions ----------------------------------------------------------------------------

def kpi_fields(kpi: KpiDefinition) -> dict:
    """The changeable fields of `kpi`, flat: target, green, amber, public, name_id, name_en."""
    limits = kpi.thresholds
    return {"target": kpi.target, "green": limits.green if limits else None, "amber": limits.amber if limits else None,
            "public": kpi.public, "name_id": kpi.name.id, "name_en": kpi.name.en}


def _with_fields(kpi: KpiDefinition, fields: dict) -> KpiDefinition:
    """`kpi` with `fields` (a subset of KPI_FIELDS) in place; raises SettingsError when they do not fit."""
    merged = {**kpi_fields(kpi), **fields}
    green, amber = merged["green"], merged["amber"]
    if (green is None) != (amber is None):
        raise SettingsError("set.kpi_thresholds_both", kpi=kpi.id)
    if green is not None and kpi.direction == "higher" and green < amber:
        raise SettingsError("set.kpi_order_higher", kpi=kpi.id)
    if green is not None and kpi.direction == "lower" and green > amber:
        raise SettingsError("set.kpi_order_lower", kpi=kpi.id)
    data = kpi.model_dump()
    data.update(target=merged["target"], public=merged["public"],
                name={"id": merged["name_id"], "en": merged["name_en"]},
                thresholds=None if green is None else {"green": green, "amber": amber})
    return KpiDefinition.model_validate(data)


def kpi_overrides(store: Store) -> dict[str, dict]:
    """The changes admins made to each KPI, by KPI id ({} for a KPI as in the file)."""
    cur = store.cursor()
    try:
        rows = cur.execute("SELECT kpi_id, fields FROM kpi_overrides").fetchall()
    except duckdb.CatalogException:  # a read-only store opened before migration 5
        return {}
    finally:
        cur.close()
    return {kpi_id: json.loads(fields) for kpi_id, fields in rows}


def apply_kpi_overrides(kpis: list[KpiDefinition], overrides: dict[str, dict]) -> list[KpiDefinition]:
    """`kpis` with each one's stored changes laid over it (changes of KPIs no longer in the file are ignored)."""
    out = []
    for kpi in kpis:
        fields = {k: v for k, v in overrides.get(kpi.id, {}).items() if k in KPI_FIELDS}
        try:
            out.append(_with_fields(kpi, fields) if fields else kpi)
        except SettingsError as e:  # the file changed under a stored change (e.g. its direction)
            raise InvalidKpiDefinitions(problems=f"- KPI '{kpi.id}': {e.message('en')}") from e
    return out


def _number(value, field: str, kpi_id: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SettingsError("set.kpi_not_number", kpi=kpi_id, field=field, value=value) from None
    if not math.isfinite(number):
        raise SettingsError("set.kpi_not_number", kpi=kpi_id, field=field, value=value)
    return number


def _clean_kpi_changes(kpi_id: str, changes: dict) -> dict:
    unknown = sorted(set(changes) - set(KPI_FIELDS))
    if unknown:
        raise SettingsError("set.kpi_field_fixed", kpi=kpi_id, fields=", ".join(unknown), allowed=", ".join(KPI_FIELDS))
    clean = {}
    for field, value in changes.items():
        if field in ("target", "green", "amber"):
            clean[field] = _number(value, field, kpi_id)
        elif field == "public":
            clean[field] = bool(value)
        else:
            clean[field] = _name(value)
    return clean


def set_kpi_definition(store: Store, actor: Actor, kpi_id: str, **changes) -> KpiDefinition:
    """Change the safe fields of a KPI (admin only): target, green, amber, public, name_id, name_en.

    A threshold or target of None removes it (green and amber go together). The change is kept
    in the database, audited with the values before and after, and the KPIs are recomputed.
    Returns the KPI as it now is; a change to what it already is writes nothing.
    """
    require_admin(actor)
    changes = _clean_kpi_changes(kpi_id, changes)
    in_file = {k.id: k for k in load_kpis()}
    if kpi_id not in in_file:
        raise SettingsError("set.kpi_unknown", kpi=kpi_id)
    original = in_file[kpi_id]
    stored = kpi_overrides(store).get(kpi_id, {})
    current = apply_kpi_overrides([original], {kpi_id: stored})[0]
    file_values = kpi_fields(original)
    overlay = {k: v for k, v in {**stored, **changes}.items() if k in KPI_FIELDS and v != file_values[k]}
    updated = _with_fields(original, overlay)
    before, after = kpi_fields(current), kpi_fields(updated)
    changed = [k for k in KPI_FIELDS if before[k] != after[k]]
    if not changed:
        return updated
    with store.transaction() as cur:
        if overlay:
            cur.execute("INSERT OR REPLACE INTO kpi_overrides VALUES (?, ?, ?, ?)",
                        [kpi_id, json.dumps(overlay), actor.username, datetime.now()])
        else:  # back to the file's values: no change left to keep
            cur.execute("DELETE FROM kpi_overrides WHERE kpi_id = ?", [kpi_id])
        record(cur, actor, "kpi_change", "kpi", kpi_id, before={k: before[k] for k in changed},
               after={k: after[k] for k in changed})
        store.bump_version(cur)
    recompute_kpis(store, kpis=load_kpis(store=store))
    return updated


def kpi_settings(store: Store) -> list[KpiDefinition]:
    """The KPI definitions as now in force: the file with the admins' changes laid over it."""
    return load_kpis(store=store)


def threshold_words(kpi: KpiDefinition, lang: str = "id") -> str:
    """'Hijau bila ≥ 91%, kuning bila ≥ 76%, selain itu merah' (or that there are none)."""
    if kpi.thresholds is None:
        return t("set.rule_none", lang)
    return t(f"set.rule_{kpi.direction}", lang, green=format_value(kpi.thresholds.green, kpi.unit),
             amber=format_value(kpi.thresholds.amber, kpi.unit))


def kpi_definitions(store: Store, lang: str = "id") -> pd.DataFrame:
    """Every KPI as now defined, in words: name, formula, unit, direction, target, thresholds, public, changed."""
    changed = kpi_overrides(store)
    rows = []
    for k in load_kpis(store=store):
        rows.append({
            "kpi_id": k.id, "name": k.name.get(lang), "formula": k.describe(lang), "unit": t(f"unit.{k.unit}", lang),
            "direction": t(f"direction.{k.direction}", lang),
            "target": format_value(k.target, k.unit) if k.target is not None else "–",
            "thresholds": threshold_words(k, lang), "public": t(f"bool.{str(k.public).lower()}", lang),
            "changed": t("set.changed_yes" if changed.get(k.id) else "set.changed_no", lang),
        })
    return pd.DataFrame(rows, columns=["kpi_id", "name", "formula", "unit", "direction", "target", "thresholds",
                                       "public", "changed"])


# -- the agency registry ------------------------------------------------------------------------

def _name(value) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise SettingsError("set.name_empty")
    if len(text) > MAX_NAME:
        raise SettingsError("set.name_too_long", limit=MAX_NAME)
    return text


def _aliases(values) -> list[str]:
    if isinstance(values, str):  # typed in one box: one per line or comma-separated
        values = re.split(r"[\n,;]", values)
    out: list[str] = []
    for value in values or ():
        text = " ".join(str(value).split())
        if text and text not in out:
            out.append(_name(text))
    if len(out) > MAX_ALIASES:
        raise SettingsError("set.too_many_aliases", limit=MAX_ALIASES)
    return out


def _check_spellings(registry: AgencyRegistry, code: str, spellings: list[str]) -> None:
    """Refuse a name that is already another agency's own name, short name, code or alias."""
    for spelling in spellings:
        other = registry.builtin_code(spelling)
        if other and other != code:
            raise SettingsError("set.agency_spelling_taken", name=spelling, other=registry.name(other))


def _write_agency(cur, actor: Actor, agency: Agency) -> None:
    cur.execute("INSERT OR REPLACE INTO agencies VALUES (?, ?, ?, ?)",
                [agency.code, agency.name, agency.short, list(agency.aliases)])
    cur.execute("INSERT OR REPLACE INTO agency_edits VALUES (?, ?, ?, ?, ?, ?)",
                [agency.code, agency.name, agency.short, list(agency.aliases), actor.username, datetime.now()])


def _agency_fields(agency: Agency) -> dict:
    return {"name": agency.name, "short_name": agency.short, "aliases": list(agency.aliases)}


def add_agency(store: Store, actor: Actor, code: str, name: str, short_name: str | None = None,
               aliases: list[str] | str = ()) -> Agency:
    """Add an agency to the registry (admin only; audited). The code is upper case, e.g. BPBD."""
    require_admin(actor)
    code = str(code or "").strip().upper()
    if not AGENCY_CODE.match(code):
        raise SettingsError("set.agency_bad_code", code=code)
    name = _name(name)
    agency = Agency(code, name, _name(short_name) if short_name and str(short_name).strip() else name,
                    tuple(_aliases(aliases)))
    registry = store.registry()
    if code in registry.agencies:
        raise SettingsError("set.agency_exists", code=code, name=registry.name(code))
    _check_spellings(registry, code, [agency.name, agency.short, *agency.aliases])
    with store.transaction() as cur:
        _write_agency(cur, actor, agency)
        record(cur, actor, "agency_add", "agency", code, agency_code=code, after=_agency_fields(agency))
        store.bump_version(cur)
    return agency


def edit_agency(store: Store, actor: Actor, code: str, *, name: str | None = None, short_name: str | None = None,
                aliases: list[str] | str | None = None) -> Agency:
    """Change an agency's name, short name or aliases (admin only; audited with before and after).

    None leaves a field as it is; `aliases` replaces the whole list. The code never changes
    (actions and users refer to it).
    """
    require_admin(actor)
    registry = store.registry()
    if code not in registry.agencies:
        raise SettingsError("set.agency_unknown", code=code)
    current = registry.agencies[code]
    agency = Agency(code, current.name if name is None else _name(name),
                    current.short if short_name is None else _name(short_name),
                    current.aliases if aliases is None else tuple(_aliases(aliases)))
    before, after = _agency_fields(current), _agency_fields(agency)
    changed = [k for k in before if before[k] != after[k]]
    if not changed:
        return agency
    _check_spellings(registry, code, [agency.name, agency.short, *agency.aliases])
    with store.transaction() as cur:
        _write_agency(cur, actor, agency)
        record(cur, actor, "agency_change", "agency", code, agency_code=code,
               before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
        store.bump_version(cur)
    return agency


def agency_list(store: Store) -> pd.DataFrame:
    """The registry as stored: code, name, short_name, aliases (one text), edited (changed in the app), by name."""
    return store.query_df(
        """SELECT a.code, a.name, a.short_name, array_to_string(coalesce(a.aliases, []), ', ') AS aliases,
                  e.code IS NOT NULL AS edited, e.changed_by, e.changed_at
           FROM agencies a LEFT JOIN agency_edits e USING (code)
           ORDER BY lower(a.name)""")
