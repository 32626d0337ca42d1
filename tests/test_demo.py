"""The demo data: deterministic, shaped like real agency files, and loaded whole by the pipeline."""
from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from smartcity import demo
from smartcity.demo import (AS_OF_DATES, BAD_ROW, DEMO_DIR, EXPECTED_REJECTED_ROWS, SILENT_IN_LATEST, STYLES,
                            build_demo_db, demo_files, generate_demo_files, load_demo_files, plan_actions, progress)
from smartcity.domain import Status


def _cells(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's cell values (not the zip bytes, which may legitimately differ)."""
    if path.suffix == ".csv":
        return {"csv": [tuple(r) for r in csv.reader(io.StringIO(path.read_text("utf-8")), delimiter=";")]}
    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    return generate_demo_files(tmp_path_factory.mktemp("demo"))


def test_generation_is_deterministic(generated, tmp_path):
    again = generate_demo_files(tmp_path)

    assert [p.name for p in again] == [p.name for p in generated]
    for first, second in zip(generated, again):
        if first.suffix == ".csv":
            assert first.read_bytes() == second.read_bytes(), first.name
        else:
            assert _cells(first) == _cells(second), first.name


def test_committed_demo_files_are_what_the_generator_makes(generated):
    """data/demo/ is checked in: after editing the catalogue or the generator, run `python -m smartcity.demo`."""
    committed = [path for _, path in demo_files(DEMO_DIR)]

    assert [p.name for p in committed] == [p.name for p in generated]
    for ours, fresh in zip(committed, generated):
        assert _cells(ours) == _cells(fresh), f"{ours.name} is stale: run .venv/bin/python -m smartcity.demo"


def test_about_120_actions_from_12_agencies_in_all_three_pillars():
    actions = plan_actions()

    assert 110 <= len(actions) <= 130
    assert len({a.code for a in actions}) == len(actions), "action codes are unique"
    assert len({a.agency for a in actions}) == 12
    per_pillar = Counter(a.pillar for a in actions)
    assert set(per_pillar) == {"integrasi", "kolaborasi", "keberlanjutan"}
    assert min(per_pillar.values()) >= 30


def test_plans_lie_in_fiscal_year_2024_with_realistic_budgets():
    for a in plan_actions():
        assert date(2024, 1, 1) <= a.start < a.due <= date(2024, 12, 31), a.code
        assert 25_000_000 <= a.budget <= 3_000_000_000, a.code


def test_at_least_three_weekly_snapshots_and_silent_agencies_in_the_latest(generated):
    weeks = Counter(p.parent.name for p in generated)

    assert len(weeks) >= 3
    assert [date.fromisoformat(w) for w in sorted(weeks)] == list(AS_OF_DATES)
    for as_of in AS_OF_DATES[:-1]:
        assert weeks[as_of.isoformat()] == 12, "every agency reports in the earlier weeks"
    latest = {p.name.split("_")[1] for p in generated if p.parent.name == AS_OF_DATES[-1].isoformat()}
    assert latest == set(STYLES) - set(SILENT_IN_LATEST)


def test_progress_and_spending_never_go_backwards():
    for a in plan_actions():
        weeks = [progress(a, d) for d in AS_OF_DATES]
        for before, after in zip(weeks, weeks[1:]):
            assert after.actual >= before.actual, a.code
            assert after.spent >= before.spent, a.code
            assert after.spent <= a.budget, a.code


def test_between_weeks_some_actions_complete_and_some_slip_to_late():
    first, last = AS_OF_DATES[0], AS_OF_DATES[-1]
    moves = Counter((progress(a, first).status, progress(a, last).status) for a in plan_actions())

    assert sum(n for (was, now), n in moves.items() if now is Status.DONE and was is not Status.DONE) >= 5
    assert sum(n for (was, now), n in moves.items() if now is Status.LATE and was is not Status.LATE) >= 3
    assert sum(n for (was, now), n in moves.items() if now is Status.AT_RISK) >= 5


def _header_row(rows: list[tuple]) -> int:
    for i, row in enumerate(rows[:20]):
        texts = {str(c).strip().lower() for c in row if c is not None}
        if {"target"} <= texts and ({"kode"} <= texts or {"code"} <= texts):
            return i
    raise AssertionError("no header in the first 20 rows")


def test_files_have_title_rows_and_a_header_within_the_first_20_rows(generated):
    for path in generated:
        rows = next(iter(_cells(path).values()))
        assert 1 <= _header_row(rows) < 20, path.name
        assert "RENCANA AKSI SMART CITY" in str(rows[0][0]), path.name


def test_agencies_vary_the_way_real_ones_do(generated):
    week = AS_OF_DATES[2].isoformat()
    sheet = {p.name.split("_")[1]: next(iter(_cells(p).values())) for p in generated if p.parent.name == week}

    def header(agency):
        return [c for c in sheet[agency][_header_row(sheet[agency])] if c]

    assert "Activity" in header("DISKOMINFO") and "Budget Spent" in header("DISKOMINFO")
    assert "Realisasi TW IV" in header("RSUD") and "Realisasi" not in header("RSUD")
    dinkes_opd = header("DINKES").index("OPD")
    assert sheet["DINKES"][_header_row(sheet["DINKES"]) + 1][dinkes_opd] == "DINKES KOTIM"
    dpmd = sheet["DPMD"][_header_row(sheet["DPMD"]) + 1]
    budget = dpmd[header("DPMD").index("Pagu Anggaran")]
    assert budget.count(".") >= 2 and budget.replace(".", "").isdigit(), f"Indonesian number text, got {budget!r}"


def test_money_is_a_real_number_and_dates_are_real_dates(generated):
    path = next(p for p in generated if "_DISDUKCAPIL_" in p.name)
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[5]]
    first = ws[6]
    budget = first[header.index("Pagu Anggaran (Rp)")]
    assert isinstance(budget.value, (int, float)) and budget.number_format == "#,##0"
    assert first[header.index("Tanggal Mulai")].is_date


def test_the_demo_loads_every_file_through_the_pipeline(tmp_db):
    """Every file is loaded; the only rejected row is the one made bad on purpose."""
    from smartcity.store import open_store

    with open_store(tmp_db) as store:
        loads = load_demo_files(store)
        actions = store.query_one("SELECT count(*) FROM actions")[0]

    problems = {d.path.name: [p.located("en") for p in d.outcome.problems] for d in loads if d.outcome.problems}
    assert [d.outcome.status for d in loads] == ["loaded"] * len(loads), problems
    assert sum(d.outcome.rows_rejected for d in loads) == EXPECTED_REJECTED_ROWS, problems
    bad_file = demo.demo_file_name(BAD_ROW[0], BAD_ROW[1])
    assert [name for name in problems] == [bad_file]
    planned = plan_actions()
    per_agency = Counter(a.agency for a in planned)
    expected_rows = sum(per_agency[d.path.name.split("_")[1]] for d in loads)
    assert sum(d.outcome.rows_loaded for d in loads) == expected_rows
    assert actions == len(planned)


def test_build_demo_db_replaces_an_existing_database(demo_db_copy):
    # Over a database that already holds the demo, every file would be a "duplicate" (and
    # build_demo_db would raise) unless the build starts from an empty database.
    build_demo_db(demo_db_copy)

    assert demo_db_copy.exists()
