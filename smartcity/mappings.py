"""What people teach the ingester, remembered for the next upload: agency aliases, pillars of
programme codes, and column mappings. Each write is checked, audited and kept in the store.

Agencies (an unknown agency name is never created silently):

    for unknown in unknown_agencies(outcome.result, store.registry()):
        unknown.name_as_written, unknown.rows, unknown.suggestions   # [(sheet, row)], [AgencyChoice]
    map_agency_alias(store, admin, "Kominfo Sampit Baru", "DISKOMINFO")
    # store.registry() now resolves the name; upload the file again.

Pillars (the Renja form names none):

    assign_pillar(store, admin, "2.16.03", "integration")   # every action coded 2.16.03...
    # the pipeline fills a missing pillar from the longest prefix of the action's code (or its
    # programme's code); a prefix matches whole code parts: "2.16" matches 2.16.03 and 2.16-01,
    # not 2.160.

Column profiles (smartcity.ingest.columns for the mapping step):

    save_profile(store, actor, "Format Dinas X", {"code": "No. Urut", ...}, sheets[0].signature)
    find_profile(store, signature) / get_profile(store, "Format Dinas X") -> ColumnProfile | None

Re-uploading after a mapping: the pipeline treats identical bytes as a duplicate only when they
were loaded after the last mapping change (`mappings_changed_at`), so the same file can be sent
again once an alias, a pillar assignment or a column profile has been saved.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from smartcity.agencies import AgencyRegistry, normalize_name
from smartcity.audit import record, record_many
from smartcity.auth import Actor, require_admin
from smartcity.domain import Pillar
from smartcity.errors import PermissionDenied, SmartCityError
from smartcity.ingest.columns import MAPPABLE_FIELDS
from smartcity.ingest.result import IngestResult, loose_rows
from smartcity.ingest.sections import pillar_in_cell

UNKNOWN_AGENCY_KEYS = ("err.row.agency_unknown", "err.row.agency_unknown_nosuggest")
_LEADING_CODE = re.compile(r"^\s*(\d+(?:\.\d+)+)\b")


class MappingError(SmartCityError):
    """A mapping that cannot be saved (unknown agency, empty name, unknown pillar or field)."""

    key = "err.mapping.empty_name"


@dataclass(frozen=True)
class AgencyChoice:
    code: str
    name: str


@dataclass
class UnknownAgency:
    """An agency name a file used that the registry does not know, where, and what it may mean."""

    name_as_written: str                  # as first written (pass this to map_agency_alias)
    rows: list[tuple[str, int]]           # (sheet, 1-based row) of each rejected row naming it
    suggestions: list[AgencyChoice]       # closest known agencies, best first
    spellings: list[str] = field(default_factory=list)  # every way the file wrote it ("KOMINFO SAMPIT BARU")


@dataclass
class ColumnProfile:
    name: str
    header_signature: str
    mapping: dict[str, str]               # field -> header text as written
    created_by: str
    created_at: datetime


# ---------------------------------------------------------------- agencies

def unknown_agencies(result: IngestResult, registry: AgencyRegistry | None = None,
                     suggest: int | None = None) -> list[UnknownAgency]:
    """The unknown agency names among a result's rejected rows, those on most rows first (then in
    order of first appearance); names that differ only in case, punctuation or a "Kotim" suffix are
    one (one mapping covers them all). `registry` (use store.registry()) gives the suggestions; the
    project's registry file by default. Only the first `suggest` names get suggestions (all when
    None): a column mapped to the wrong field can name thousands of "agencies", and each name's
    suggestions take ~5 ms."""
    registry = registry or AgencyRegistry.load()
    found: dict[str, UnknownAgency] = {}
    spellings: dict[str, dict[str, None]] = {}
    for rejected in result.rejected:
        for problem in rejected.problems:
            if problem.key not in UNKNOWN_AGENCY_KEYS:
                continue
            name = str(problem.params.get("value", ""))
            key = normalize_name(name)
            if key not in found:
                found[key], spellings[key] = UnknownAgency(name, [], []), {}
            found[key].rows.append((rejected.sheet, rejected.row))
            spellings[key][name] = None
    ordered = sorted(found, key=lambda k: -len(found[k].rows))   # stable: ties keep their first appearance
    for i, key in enumerate(ordered):
        unknown = found[key]
        unknown.spellings = list(spellings[key])
        if suggest is None or i < suggest:
            unknown.suggestions = [AgencyChoice(code, registry.name(code))
                                   for code in registry.suggest_codes(unknown.name_as_written)]
    return [found[key] for key in ordered]


def map_agency_alias(store, actor: Actor, name_as_written: str, agency_code: str) -> None:
    """Remember that `name_as_written` means agency `agency_code` (admin only; audited). Mapping a
    name again replaces the earlier mapping; a name that is already another agency's own is refused."""
    require_admin(actor)
    key = normalize_name(name_as_written)
    if not key:
        raise MappingError("err.mapping.empty_name")
    registry = store.registry()
    if agency_code not in registry.agencies:
        raise MappingError("err.mapping.unknown_agency", code=agency_code)
    own = registry.builtin_code(name_as_written)
    if own and own != agency_code:
        raise MappingError("err.mapping.alias_conflict", name=name_as_written, other=registry.name(own))
    with store.transaction() as cur:
        before = cur.execute("SELECT alias_as_written, agency_code FROM agency_aliases WHERE alias_normalized = ?",
                             [key]).fetchone()
        cur.execute("INSERT OR REPLACE INTO agency_aliases VALUES (?, ?, ?, ?, ?)",
                    [key, name_as_written.strip(), agency_code, actor.username, datetime.now()])
        record(cur, actor, "agency_mapping", "agency_alias", key, agency_code=agency_code,
               before={"alias": before[0], "agency_code": before[1]} if before else None,
               after={"alias": name_as_written.strip(), "agency_code": agency_code})
        store.bump_version(cur)


def agency_aliases(store) -> list[dict]:
    """Every remembered alias: alias_as_written, agency_code, created_by, created_at (newest first)."""
    return store.query_df("SELECT alias_as_written, agency_code, created_by, created_at FROM agency_aliases "
                          "ORDER BY created_at DESC").to_dict("records")


# ---------------------------------------------------------------- pillars

def assign_pillar(store, actor: Actor, code_prefix: str, pillar: str) -> None:
    """Give every action whose code (or programme code) starts with `code_prefix` the pillar
    `pillar` (a Pillar value, or a pillar word such as "Kolaborasi") when its file names none.
    Admin only; audited; assigning a prefix again replaces the earlier pillar."""
    assign_pillars(store, actor, {code_prefix: pillar})


def assign_pillars(store, actor: Actor, chosen: dict[str, str]) -> None:
    """`assign_pillar` for each {code prefix: pillar} of `chosen`, in one transaction (a programme
    written without a code is assigned through the codes of its actions: hundreds at once)."""
    require_admin(actor)
    values = {}
    for code_prefix, pillar in chosen.items():
        prefix = str(code_prefix or "").strip()
        if not prefix:
            raise MappingError("err.mapping.empty_prefix")
        values[prefix] = _pillar(pillar)
    if not values:
        return
    prefixes = list(values)
    with store.transaction() as cur:
        # In whole lists (a programme without a code is assigned through each of its actions' codes: a
        # 14,000-row file asked for 3,841 at once, and three statements each took 20 s).
        before = dict(cur.execute("SELECT code_prefix, pillar FROM pillar_assignments WHERE code_prefix IN "
                                  "(SELECT unnest(?::VARCHAR[]))", [prefixes]).fetchall())
        cur.execute("INSERT OR REPLACE INTO pillar_assignments SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), ?, ?",
                    [prefixes, [values[p] for p in prefixes], actor.username, datetime.now()])
        record_many(cur, actor, "pillar_assignment", "pillar_assignment",
                    [(p, {"pillar": before[p]} if p in before else None, {"pillar": values[p]}) for p in prefixes])
        store.bump_version(cur)


def pillar_assignments(store) -> dict[str, str]:
    """code prefix -> pillar value, as assigned."""
    return dict(store.query_df("SELECT code_prefix, pillar FROM pillar_assignments").itertuples(index=False))


def pillar_for(codes: list[str | None], assignments: dict[str, str]) -> str | None:
    """The pillar of the longest assigned prefix of any of `codes` (whole code parts only; of two as
    long, the earlier code's). Each code's own prefixes are looked up, longest first: a pillar chosen
    per programme code can make thousands of assignments, and a file thousands of rows to fill."""
    best, best_len = None, 0
    for code in codes:
        if not code:
            continue
        for end in range(len(code), best_len, -1):
            if _part_end(code, end) and code[:end] in assignments:
                best, best_len = assignments[code[:end]], end
                break
    return best


def apply_pillar_assignments(result: IngestResult, assignments: dict[str, str]) -> int:
    """Fill the pillar of each action that has none from `assignments`; returns how many were filled.
    The candidates are the action's code, its programme's code (Renja form) and a code written
    before the programme's name ("2.16.03 Program Pengelolaan ...")."""
    if not assignments:
        return 0
    filled = 0
    for row in loose_rows(result.actions):  # an ActionTable's Arrow rows all have a pillar
        values = row.values
        if values.get("pillar"):
            continue
        program = _LEADING_CODE.match(str(values.get("program") or ""))
        pillar = pillar_for([values.get("code"), values.get("program_code"), program.group(1) if program else None],
                            assignments)
        if pillar:
            values["pillar"], values["pillar_source"] = pillar, "assignment"
            filled += 1
    return filled


def _part_end(code: str, end: int) -> bool:
    """Whether code[:end] ends where a part of the code does ("2.16" of "2.16.03", not "2.1")."""
    return end == len(code) or not code[end - 1].isalnum() or not code[end].isalnum()


def _pillar(text: str) -> str:
    if text in Pillar._value2member_map_:
        return text
    found = pillar_in_cell(str(text or ""))
    if found is None:
        raise MappingError("err.mapping.pillar", value=text)
    return found.value


# ---------------------------------------------------------------- column profiles

def save_profile(store, actor: Actor, name: str, mapping: dict[str, str], header_signature: str) -> None:
    """Save a column mapping ({field: header text}) under `name` for files whose header has
    `header_signature` (smartcity.ingest.columns.SheetColumns.signature). Editors and admins;
    audited; saving a name again replaces it."""
    if actor.role not in ("admin", "editor"):
        raise PermissionDenied("err.profile.permission", user=actor.username)
    name = str(name or "").strip()
    if not name:
        raise MappingError("err.profile.empty_name")
    clean = {str(k): str(v).strip() for k, v in (mapping or {}).items() if v and str(v).strip()}
    if not clean:
        raise MappingError("err.profile.empty_mapping")
    unknown = [k for k in clean if k not in MAPPABLE_FIELDS]
    if unknown:
        raise MappingError("err.profile.unknown_field", field=unknown[0], expected=", ".join(MAPPABLE_FIELDS))
    with store.transaction() as cur:
        before = cur.execute("SELECT header_signature, mapping FROM column_profiles WHERE name = ?", [name]).fetchone()
        cur.execute("INSERT OR REPLACE INTO column_profiles VALUES (?, ?, ?, ?, ?)",
                    [name, header_signature, json.dumps(clean, ensure_ascii=False), actor.username, datetime.now()])
        record(cur, actor, "profile_save", "column_profile", name,
               before={"signature": before[0], "mapping": json.loads(before[1])} if before else None,
               after={"signature": header_signature, "mapping": clean})
        store.bump_version(cur)


def find_profile(store, header_signature: str) -> ColumnProfile | None:
    """The profile saved for a header signature (the latest, when several were)."""
    return _profile(store, "header_signature = ?", header_signature)


def get_profile(store, name: str) -> ColumnProfile | None:
    """The profile called `name`."""
    return _profile(store, "name = ?", name)


def column_profiles(store) -> list[ColumnProfile]:
    """Every saved profile, by name."""
    rows = store.query_df("SELECT * FROM column_profiles ORDER BY name").itertuples(index=False)
    return [_as_profile(r) for r in rows]


def saved_profiles(store) -> dict[str, dict]:
    """What ingest_bytes takes as profile["saved_profiles"]: {signature: {"name", "columns"}}."""
    out: dict[str, dict] = {}
    for p in sorted(column_profiles(store), key=lambda p: p.created_at):
        out[p.header_signature] = {"name": p.name, "columns": p.mapping}
    return out


def _profile(store, where: str, value: str) -> ColumnProfile | None:
    df = store.query_df(f"SELECT * FROM column_profiles WHERE {where} ORDER BY created_at DESC LIMIT 1", [value])
    return _as_profile(next(df.itertuples(index=False))) if len(df) else None


def _as_profile(row) -> ColumnProfile:
    mapping = row.mapping if isinstance(row.mapping, dict) else json.loads(row.mapping)
    return ColumnProfile(row.name, row.header_signature, mapping, row.created_by, row.created_at.to_pydatetime()
                         if hasattr(row.created_at, "to_pydatetime") else row.created_at)


# ---------------------------------------------------------------- re-uploads

def mappings_changed_at(store) -> datetime | None:
    """When an alias, a pillar assignment or a column profile was last saved (None: never)."""
    row = store.query_one("""SELECT max(t) FROM (SELECT max(created_at) AS t FROM agency_aliases
                             UNION ALL SELECT max(created_at) FROM pillar_assignments
                             UNION ALL SELECT max(created_at) FROM column_profiles)""")
    return row[0] if row else None
