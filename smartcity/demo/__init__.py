"""Demo data: weekly action-plan spreadsheets from twelve Kotim agencies, and a demo database.

`generate_demo_files` writes one spreadsheet per agency per as-of date, shaped the way
agencies really send them (see `sheets`), from data/demo/catalogue.yaml and the plan drawn
from `random.Random(2024)` (see `plan`); nothing depends on today's date.

`build_demo_db` loads the committed files in data/demo/ week by week through
`smartcity.pipeline`, exactly as an official uploading them would.

Regenerate the committed files with `python -m smartcity.demo`.
"""
from __future__ import annotations

import random
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .accounts import DEMO_ACCOUNTS, add_demo_accounts
from .plan import (AS_OF_DATES, BAD_ROW, CATALOGUE, DEMO_DIR, EXPECTED_REJECTED_ROWS, SEED, SILENT_IN_LATEST,
                   DemoAction, Progress, plan_actions, progress, value_at)
from .sheets import STYLES, AgencyStyle, demo_file_name, write_agency_file

__all__ = ["AS_OF_DATES", "BAD_ROW", "CATALOGUE", "DEMO_ACCOUNTS", "DEMO_DIR", "EXPECTED_REJECTED_ROWS", "SILENT_IN_LATEST",
           "STYLES", "AgencyStyle", "DemoAction", "DemoDataError", "DemoLoad", "Progress", "build_demo_db",
           "demo_file_name", "demo_files", "generate_demo_files", "load_demo_files", "plan_actions", "progress",
           "regenerate", "value_at"]


def generate_demo_files(out_dir: Path) -> list[Path]:
    """Write every agency's weekly spreadsheet to out_dir/<as-of>/ and return their paths in load order."""
    out_dir = Path(out_dir)
    by_agency: dict[str, list[DemoAction]] = {}
    for a in plan_actions(random.Random(SEED)):
        by_agency.setdefault(a.agency, []).append(a)
    written = []
    for as_of in AS_OF_DATES:
        week_dir = out_dir / as_of.isoformat()
        week_dir.mkdir(parents=True, exist_ok=True)
        for agency, actions in by_agency.items():
            if as_of == AS_OF_DATES[-1] and agency in SILENT_IN_LATEST:
                continue
            path = week_dir / demo_file_name(agency, as_of)
            write_agency_file(path, agency, actions, as_of)
            written.append(path)
    return sorted(written)  # the order build_demo_db loads them: week by week, then by name


_WEEK_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def demo_files(source_dir: Path = DEMO_DIR) -> list[tuple[date, Path]]:
    """(as-of date, file) for every spreadsheet under source_dir/<YYYY-MM-DD>/, oldest week first."""
    found = []
    for week in sorted(p for p in Path(source_dir).iterdir() if p.is_dir() and _WEEK_DIR.match(p.name)):
        as_of = date.fromisoformat(week.name)
        found.extend((as_of, f) for f in sorted(week.iterdir()) if f.suffix in (".xlsx", ".csv"))
    return found


@dataclass
class DemoLoad:
    as_of: date
    path: Path
    outcome: object  # smartcity.pipeline.UploadOutcome


class DemoDataError(RuntimeError):
    """A demo spreadsheet was not loaded: the demo files and the ingester disagree."""


def load_demo_files(store, source_dir: Path = DEMO_DIR) -> list[DemoLoad]:
    """Load every demo file into `store` through the pipeline, week by week, as the system actor.

    KPIs are recomputed once at the end rather than after each of the ~46 files (the same
    result, a fraction of the time).
    """
    from smartcity.kpi import recompute_kpis
    from smartcity.pipeline import SYSTEM_ACTOR, load_file

    loads = [DemoLoad(as_of, path, load_file(store, path.read_bytes(), path.name, as_of, SYSTEM_ACTOR,
                                             recompute=False))
             for as_of, path in demo_files(source_dir)]
    recompute_kpis(store)
    return loads


def build_demo_db(db_path: Path) -> None:
    """Create a fresh database at db_path holding every demo week and the demo accounts (README "Akun demo").

    Raises DemoDataError if a file is rejected.
    """
    from smartcity.store import open_store

    db_path = Path(db_path)
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = DEMO_DIR
        if not (DEMO_DIR.is_dir() and demo_files(DEMO_DIR)):
            generate_demo_files(Path(tmp))
            source = Path(tmp)
        store = open_store(db_path)
        try:
            loads = load_demo_files(store, source)
            add_demo_accounts(store)
        finally:
            store.close()
    failed = [d for d in loads if d.outcome.status != "loaded"]
    if failed:
        lines = [f"{d.path.name}: {d.outcome.status}: " + "; ".join(p.located("en") for p in d.outcome.problems[:3])
                 for d in failed]
        raise DemoDataError("demo files not loaded:\n" + "\n".join(lines))


def regenerate(out_dir: Path = DEMO_DIR) -> list[Path]:
    """Replace the weekly folders under out_dir with freshly generated ones (the catalogue stays)."""
    for week in Path(out_dir).glob("????-??-??"):
        if week.is_dir() and _WEEK_DIR.match(week.name):
            shutil.rmtree(week)
    return generate_demo_files(out_dir)

