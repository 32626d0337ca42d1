"""The fast paths of a large upload give exactly what the plain ones gave: the action rows sent
back by the reading worker (smartcity.ingest.isolate), and the rows written to the store from an
Arrow table (smartcity.pipeline._insert_actions), with the general path kept for odd values."""
import copy
import pickle
from datetime import date, datetime

import pytest

import smartcity.pipeline as pipeline
from smartcity.auth import SYSTEM_ACTOR
from smartcity.ingest import isolate
from smartcity.ingest.result import ActionRow, IngestResult, Problem
from smartcity.store import open_store

AS_OF = date(2024, 10, 7)


def _result(*rows: ActionRow) -> IngestResult:
    result = IngestResult("renaksi.xlsx", "0" * 64, 10, actions=list(rows))
    result.warnings.append(Problem("warn.file.no_rows", {}, "renaksi.xlsx"))
    return result


def _row(code: str, row: int, **values) -> ActionRow:
    base = {"code": code, "pillar": "integration", "activity": f"Kegiatan {code}", "agency": "Diskominfo",
            "agency_code": "DISKOMINFO", "target": 10.0, "actual": 4.0, "start_date": date(2024, 1, 1),
            "due_date": None, "status": "on_track", "direction": "higher", "quarter_rule": "sum"}
    return ActionRow("Rencana Aksi", row, {**base, **values})


def test_worker_rows_come_back_equal_with_types_and_key_order():
    # A date in a date field travels as a day number; a date elsewhere and a datetime stay as they are.
    rows = [_row("K-01", 4), _row("K-02", 5, due_date=date(2024, 12, 31), program_code="2.16.03"),
            _row("K-03", 6, start_date=None, notes=date(2024, 3, 1), obstacle=datetime(2024, 3, 1, 8, 0))]
    expected = copy.deepcopy(rows)
    outcome = ("ok-actions", *isolate._pack_actions(_result(*rows)))
    sent = pickle.loads(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    back = isolate._unpack_actions(sent[1], sent[2])
    assert back.actions == expected
    for got, want in zip(back.actions, expected):
        assert list(got.values) == list(want.values)
        assert [type(v) for v in got.values.values()] == [type(v) for v in want.values.values()]
    assert [p.key for p in back.warnings] == ["warn.file.no_rows"]


def _stored(tmp_db, result: IngestResult) -> list[tuple]:
    store = open_store(tmp_db)
    try:
        with store.transaction() as cur:
            pipeline._insert_actions(cur, 1, AS_OF, SYSTEM_ACTOR, result)
        return [list(row) for row in store.cursor().execute(
            """SELECT a.agency_code, a.action_code, p.pillar, p.activity, p.target, p.actual, p.start_date,
                      p.due_date, p.reported_status, p.direction, p.sheet, p.source_row
               FROM progress p JOIN actions a ON a.id = p.action_id ORDER BY p.source_row""").fetchall()]
    finally:
        store.close()


@pytest.mark.parametrize("fast", [True, False])
def test_arrow_and_frame_paths_store_the_same_rows(tmp_db, monkeypatch, fast):
    if not fast:  # force the general (pandas) path
        monkeypatch.setattr(pipeline, "_incoming_arrow", lambda actions: (_ for _ in ()).throw(TypeError("x")))
    rows = _stored(tmp_db, _result(_row("K-01", 4), _row("K-02", 5, direction=None, target=7, due_date=date(2024, 6, 30))))
    assert rows == [
        ["DISKOMINFO", "K-01", "integration", "Kegiatan K-01", 10.0, 4.0, date(2024, 1, 1), None, "on_track", "higher",
         "Rencana Aksi", 4],
        ["DISKOMINFO", "K-02", "integration", "Kegiatan K-02", 7.0, 4.0, date(2024, 1, 1), date(2024, 6, 30),
         "on_track", "higher", "Rencana Aksi", 5],
    ]


def test_a_value_of_an_unexpected_type_takes_the_general_path(tmp_db):
    # A datetime in a date column is not a date for Arrow's date column: the frame path stores its day.
    rows = _stored(tmp_db, _result(_row("K-01", 4, start_date=datetime(2024, 2, 3, 10, 30))))
    assert rows[0][6] == date(2024, 2, 3)
