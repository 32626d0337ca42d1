"""Settings declared once as data: name, default, help. Read from the environment where noted."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "smartcity.duckdb"
KPI_FILE = ROOT / "kpi_definitions.yaml"
AGENCY_FILE = DATA_DIR / "agencies.yaml"


@dataclass(frozen=True)
class Setting:
    name: str
    default: float | int | str
    help: str


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("max_upload_mb", 50, "Largest spreadsheet accepted, in megabytes (also server.maxUploadSize)."),
    Setting("at_risk_gap", 0.10, "Progress this far (as a share of the target) behind the time elapsed makes an action 'perlu perhatian'."),
    Setting("late_gap", 0.25, "Progress this far behind the time elapsed makes an action 'terlambat'."),
    Setting("review_cycle_days", 7, "An agency that sent nothing in this many days counts as not reported."),
    Setting("parse_timeout_s", 60.0, "Longest time reading one uploaded file may take, in seconds; 0 reads "
            "in the app's own process, without a time or memory limit."),
    Setting("parse_memory_mb", 2048, "Most memory (address space) the worker reading one file may use, in MB; "
            "0 for no limit."),
    Setting("busy_wait_s", 20.0, "How long `python -m smartcity ingest` waits for a database the dashboard holds "
            "open before it leaves the files in the inbox for the dashboard to load."),
    Setting("session_timeout_minutes", 60, "A signed-in session ends after this many minutes without any action."),
)}


def setting(name: str):
    """The value of a setting: SMARTCITY_<NAME> in the environment overrides the default."""
    s = SETTINGS[name]
    raw = os.environ.get(f"SMARTCITY_{name.upper()}")
    if raw is None:
        return s.default
    return type(s.default)(raw)


def db_path(explicit: str | Path | None = None) -> Path:
    """The DuckDB file: an explicit path, else SMARTCITY_DB, else data/smartcity.duckdb."""
    return Path(explicit or os.environ.get("SMARTCITY_DB") or DEFAULT_DB)
