"""Agency names and pillars taught once by an admin and remembered for the next upload."""
from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity.auth import Actor
from smartcity.errors import PermissionDenied
from smartcity.mappings import (AgencyChoice, MappingError, agency_aliases, assign_pillar, map_agency_alias,
                                pillar_assignments, pillar_for, unknown_agencies)
from smartcity.pipeline import load_file

W1, W2 = date(2024, 9, 30), date(2024, 10, 7)
ADMIN = Actor("admin", "admin")
EDITOR = Actor("kominfo", "editor", frozenset({"DISKOMINFO"}))
HEADER = "Kode;Pilar;OPD;Kegiatan;Target;Realisasi"

# "Kominfo Sampit Baru" is nobody's name: no spelling of any agency, and "Kominfo" is too short
# to be taken as a known name inside it. (Note: "Dinas Kominfo Sampit Baru" already resolves to
# Diskominfo, because a known name - "Dinas Kominfo" - starts it.)
FILE = "\n".join([
    HEADER,
    "K-01;Integrasi;Diskominfo;Satu Data Kotim;100;40",
    "K-02;Integrasi;Kominfo Sampit Baru;Portal layanan terpadu;10;2",
    "K-03;Kolaborasi;KOMINFO SAMPIT BARU;Hackathon;4;1",
]).encode()


def test_an_unknown_agency_is_held_then_mapped_and_the_same_file_loads(store):
    first = load_file(store, FILE, "kominfo.csv", W1)
    assert (first.status, first.rows_loaded, first.rows_rejected) == ("loaded", 1, 2)

    unknown = unknown_agencies(first.result, store.registry())
    assert len(unknown) == 1      # both spellings are one name: one mapping covers them
    assert unknown[0].name_as_written == "Kominfo Sampit Baru"
    assert unknown[0].spellings == ["Kominfo Sampit Baru", "KOMINFO SAMPIT BARU"]
    assert unknown[0].rows == [("", 3), ("", 4)]              # a CSV has no sheet name
    assert unknown[0].suggestions[0] == AgencyChoice("DISKOMINFO", "Dinas Komunikasi dan Informatika")

    map_agency_alias(store, ADMIN, "Kominfo Sampit Baru", "DISKOMINFO")
    assert store.registry().resolve("kominfo sampit baru") == "DISKOMINFO"
    # The very same bytes again: not a duplicate, since a mapping was saved after the first load.
    again = load_file(store, FILE, "kominfo.csv", W1)
    assert (again.status, again.rows_loaded, again.rows_rejected) == ("loaded", 3, 0)
    assert load_file(store, FILE, "kominfo.csv", W2).status == "duplicate"   # and now it is one
    agencies = dict(store.query_df("SELECT action_code, agency_code FROM actions").itertuples(index=False))
    assert agencies == {"K-01": "DISKOMINFO", "K-02": "DISKOMINFO", "K-03": "DISKOMINFO"}


def test_unknown_agencies_lists_each_name_with_every_row():
    from tests.spreadsheets import ingest

    content = FILE.replace(b"KOMINFO SAMPIT BARU", b"Badan Riset Sampit Baru")
    result = ingest(content, "x.csv")
    names = [(u.name_as_written, [r for _, r in u.rows], u.suggestions) for u in unknown_agencies(result)]
    assert names == [("Kominfo Sampit Baru", [3], [AgencyChoice("DISKOMINFO", "Dinas Komunikasi dan Informatika")]),
                     ("Badan Riset Sampit Baru", [4], [])]       # nothing close: no suggestion


def test_mapping_an_alias_is_for_admins_and_audited(store):
    with pytest.raises(PermissionDenied):
        map_agency_alias(store, EDITOR, "Kominfo Sampit Baru", "DISKOMINFO")
    map_agency_alias(store, ADMIN, "Kominfo Sampit Baru", "DISKOMINFO")
    map_agency_alias(store, ADMIN, "Kominfo Sampit Baru", "DINKES")      # changed: replaced, both audited
    rows = store.query_df("SELECT actor, action, entity, entity_key, before, after FROM audit_log ORDER BY id")
    assert list(rows["action"]) == ["agency_mapping", "agency_mapping"]
    assert set(rows["entity"]) == {"agency_alias"} and set(rows["entity_key"]) == {"kominfo baru"}
    assert json.loads(rows["before"][1]) == {"alias": "Kominfo Sampit Baru", "agency_code": "DISKOMINFO"}
    assert json.loads(rows["after"][1]) == {"alias": "Kominfo Sampit Baru", "agency_code": "DINKES"}
    assert [a["agency_code"] for a in agency_aliases(store)] == ["DINKES"]


@pytest.mark.parametrize("name, code, key", [
    ("Kominfo Sampit Baru", "NOPE", "err.mapping.unknown_agency"),
    ("  ...  ", "DISKOMINFO", "err.mapping.empty_name"),
    ("Dinkes", "DISKOMINFO", "err.mapping.alias_conflict"),    # another agency's own name
])
def test_a_mapping_that_cannot_be_right_is_refused(store, name, code, key):
    with pytest.raises(MappingError) as caught:
        map_agency_alias(store, ADMIN, name, code)
    assert caught.value.key == key and caught.value.message("id")
    assert store.query_one("SELECT count(*) FROM agency_aliases")[0] == 0


def test_assigning_a_pillar_is_for_admins_audited_and_checked(store):
    with pytest.raises(PermissionDenied):
        assign_pillar(store, EDITOR, "2.16", "integration")
    with pytest.raises(MappingError):
        assign_pillar(store, ADMIN, "2.16", "ekonomi")
    with pytest.raises(MappingError):
        assign_pillar(store, ADMIN, " ", "integration")
    assign_pillar(store, ADMIN, "2.16", "Pilar Keberlanjutan")
    assert pillar_assignments(store) == {"2.16": "sustainability"}
    audit = store.query_one("SELECT action, entity, entity_key, after FROM audit_log")
    assert audit[:3] == ("pillar_assignment", "pillar_assignment", "2.16")


def test_many_codes_assigned_at_once_are_kept_and_audited_one_row_each(store):
    # A programme written without a code is assigned through the codes of its actions: thousands at once.
    assign_pillar(store, ADMIN, "SC-00002", "integration")
    chosen = {f"SC-{i:05d}": "Kolaborasi" for i in range(3000)}
    from smartcity.mappings import assign_pillars

    assign_pillars(store, ADMIN, chosen)
    assert pillar_assignments(store) == {code: "collaboration" for code in chosen}
    assert store.query_one("SELECT count(*) FROM audit_log")[0] == 1 + 3000   # the first choice, then one per code
    changed = store.cursor().execute("SELECT before, after FROM audit_log WHERE entity_key = 'SC-00002' ORDER BY id")
    assert [(json.loads(b) if b else None, json.loads(a)) for b, a in changed.fetchall()] == [
        (None, {"pillar": "integration"}), ({"pillar": "integration"}, {"pillar": "collaboration"})]


@pytest.mark.parametrize("codes, expected", [
    (["2.16.03.2.02.0027"], "sustainability"),     # the longest prefix, 2.16.03.2.02
    (["2.16.03.2.01.0004"], "integration"),        # 2.16.03
    (["2.160.01"], None),                          # 2.16 is not a prefix of the part 160
    (["SC-01"], "collaboration"),                  # SC matches SC-01 at the dash
    ([None, "2.16.03"], "integration"),            # the programme's code when the action's does not match
])
def test_a_prefix_matches_whole_code_parts_and_the_longest_wins(codes, expected):
    assignments = {"2.16.03": "integration", "2.16.03.2.02": "sustainability", "SC": "collaboration"}
    assert pillar_for(codes, assignments) == expected


def test_of_two_prefixes_as_long_the_first_code_s_wins():
    # An action's own code comes before its programme's: with "K-1" and "P-1" both assigned, K-1's pillar.
    assert pillar_for(["K-1.2", "P-1.2"], {"K-1": "integration", "P-1": "collaboration"}) == "integration"
    assert pillar_for(["K-1.2", "P-1.2"], {"K-1": "integration", "P-1.2": "collaboration"}) == "collaboration"


def _pillar_by_every_assignment(codes, assignments):
    """The definition, word for word: of every assigned prefix that ends where a part of a code does,
    the longest; of two as long, the one of the earlier code."""
    best, best_len = None, 0
    for code in codes:
        for prefix, pillar in assignments.items():
            whole_part = code and code.startswith(prefix) and (
                len(code) == len(prefix) or not prefix[-1].isalnum() or not code[len(prefix)].isalnum())
            if prefix and whole_part and len(prefix) > best_len:
                best, best_len = pillar, len(prefix)
    return best


_CODE = st.text(alphabet="12.-SCab", min_size=1, max_size=9)


@settings(max_examples=300, deadline=None)
@given(codes=st.lists(st.one_of(st.none(), _CODE), max_size=3),
       assignments=st.dictionaries(_CODE, st.sampled_from(["integration", "collaboration", "sustainability"]),
                                   max_size=6))
def test_the_pillar_found_is_the_one_the_definition_gives(codes, assignments):
    # pillar_for looks each code's own prefixes up (a pillar chosen per programme code made 3,841
    # assignments, and filling 3,841 rows compared every row with every one of them: seconds a preview).
    pillars = ("integration", "collaboration", "sustainability")
    for code in codes:   # and nested prefixes of the codes, each its own pillar, so that most examples match
        for i, end in enumerate((len(code or "") // 3 + 1, len(code or "") // 2 + 1, len(code or ""))):
            if code:
                assignments.setdefault(code[:end], pillars[i])
    assert pillar_for(codes, assignments) == _pillar_by_every_assignment(codes, assignments)


def test_a_pillar_written_in_the_file_is_never_overridden(store):
    assign_pillar(store, ADMIN, "K", "sustainability")
    load_file(store, FILE.replace(b"Kominfo Sampit Baru", b"Diskominfo").replace(b"KOMINFO SAMPIT BARU", b"Diskominfo"),
              "k.csv", W1)
    pillars = dict(store.query_df("SELECT action_code, pillar FROM action_state(?::DATE)", [W1]).itertuples(index=False))
    assert pillars == {"K-01": "integration", "K-02": "integration", "K-03": "collaboration"}
