"""The demo's plan: which actions exist, when they run, how fast they progress, what they cost.

Everything is drawn once from `random.Random(2024)` in catalogue order, and progress on a
date is a pure function of the plan and that date, so the files never depend on today.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from smartcity.domain import Status

ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = ROOT / "data" / "demo"
CATALOGUE = DEMO_DIR / "catalogue.yaml"
SEED = 2024
AS_OF_DATES = (date(2024, 9, 23), date(2024, 9, 30), date(2024, 10, 7), date(2024, 10, 14))
# Agencies that send nothing for the latest week, so the dashboard has someone to chase.
SILENT_IN_LATEST = ("DISDIK", "DISHUB")
# One row made bad on purpose, to show the rejected-rows feature: (agency, as-of, code).
BAD_ROW = ("DPUPR", AS_OF_DATES[-1], "DPUPR-11")
EXPECTED_REJECTED_ROWS = 1

NOTES = {
    Status.NOT_STARTED: ("Dijadwalkan mulai triwulan IV",),
    Status.ON_TRACK: ("", "Sesuai rencana", "", "Dalam pelaksanaan", "Koordinasi rutin dengan Diskominfo"),
    Status.AT_RISK: ("Proses pengadaan/tender", "Koordinasi lintas OPD belum tuntas", "Menunggu juknis kementerian",
                     "Kendala SDM operator"),
    Status.LATE: ("Menunggu proses pengadaan barang/jasa", "Kendala jaringan di lokasi", "Menunggu APBD Perubahan",
                  "Menunggu data dari OPD lain", "Penyedia jasa terlambat"),
    Status.DONE: ("Selesai dilaksanakan", "Telah beroperasi", "Selesai, menunggu serah terima"),
}

# Academic and professional titles around the names of each agency's staff ("|" = the name).
OWNER_TITLES = {
    "DISKOMINFO": ("S.Kom", "S.Kom., M.T.", "S.T."),
    "DINKES": ("dr. |", "S.KM., M.Kes", "dr. |, M.Kes"),
    "DPUPR": ("Ir. |, M.T.", "S.T.", "Ir. |"),
    "BPKAD": ("S.E., Ak.", "S.E., M.Si", "S.Ak."),
    "RSUD": ("dr. |, Sp.PD", "dr. |", "S.Kep., Ners"),
    "BAPELITBANGDA": ("S.E., M.Si", "Dr. |, M.Si", "S.P., M.Sc"),
    "DISDIK": ("S.Pd., M.Pd", "Drs. |", "S.Pd."),
}
DEFAULT_TITLES = ("", "S.Sos", "S.E., M.Si", "S.T.")
FIRST_NAMES = ("Ahmad", "Budi", "Siti", "Rina", "Dedy", "Hendra", "Yulianti", "Agus", "Rahmat", "Fitriani",
               "Muhammad", "Dewi", "Eko", "Nurul", "Joko", "Lestari", "Rudi", "Wahyu", "Maya", "Taufik",
               "Yusuf", "Indah", "Rizky", "Norhayati", "Gusti", "Herlina", "Saipul", "Junaidi")
LAST_NAMES = ("Santoso", "Rahman", "Hidayat", "Saputra", "Pratama", "Wibowo", "Kurniawan", "Susanto",
              "Nugroho", "Setiawan", "Handayani", "Fauzi", "Ramadhan", "Permana", "Utami", "Maulana",
              "Noor", "Arsyad", "Effendi", "Mahmud")


@dataclass(frozen=True)
class DemoAction:
    """One action of the catalogue with the plan the generator invented for it."""

    code: str
    agency: str
    pillar: str
    dimension: str
    program: str
    activity: str
    indicator: str
    unit: str
    baseline: float
    target: float
    start: date
    due: date
    budget: float
    speed: float            # physical progress relative to the time elapsed (1 = exactly on schedule)
    spend_factor: float     # budget spent relative to physical progress
    done_spend: float       # share of the budget spent once the action is complete
    owner: str
    note_pick: int


@dataclass(frozen=True)
class Progress:
    actual: float
    spent: float
    status: Status
    note: str


def plan_actions(rng: random.Random | None = None) -> list[DemoAction]:
    """Every catalogue action with dates, budget, owner and pace drawn from `rng` (seeded 2024)."""
    rng = rng or random.Random(SEED)
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    actions = []
    for agency, rows in catalogue.items():
        owners = [person(rng, OWNER_TITLES.get(agency, DEFAULT_TITLES)) for _ in range(3)]
        for n, (pillar, dimension, program, activity, indicator, unit, baseline, target) in enumerate(rows, 1):
            start = rng.choices([date(2024, 1, 2), date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1),
                                 date(2024, 5, 2), date(2024, 7, 1), date(2024, 10, 1)],
                                [45, 10, 12, 10, 8, 10, 5])[0]
            dues = [d for d in (date(2024, 6, 28), date(2024, 7, 31), date(2024, 8, 30), date(2024, 9, 30),
                                date(2024, 10, 11), date(2024, 10, 31), date(2024, 11, 29), date(2024, 12, 20),
                                date(2024, 12, 31)) if (d - start).days >= 75]
            due = rng.choices(dues, [5, 5, 7, 10, 8, 10, 12, 13, 30][-len(dues):])[0]
            pace = rng.choices(["fast", "steady", "lagging", "stalled"], [20, 52, 18, 10])[0]
            low, high = {"fast": (1.1, 1.5), "steady": (0.95, 1.08), "lagging": (0.6, 0.85), "stalled": (0.3, 0.5)}[pace]
            budget = math.exp(rng.uniform(math.log(25e6), math.log(3e9)))
            budget = round(budget / 5e5) * 5e5 if budget < 5e8 else round(budget / 5e6) * 5e6
            actions.append(DemoAction(
                code=f"{agency}-{n:02d}", agency=agency, pillar=pillar, dimension=dimension, program=program,
                activity=activity, indicator=indicator, unit=unit, baseline=float(baseline), target=float(target),
                start=start, due=due, budget=budget, speed=rng.uniform(low, high),
                spend_factor=rng.uniform(0.6, 1.0), done_spend=rng.uniform(0.88, 0.99),
                owner=rng.choice(owners), note_pick=rng.randrange(1000)))
    return actions


def person(rng: random.Random, titles: tuple) -> str:
    """A fictional name with one of `titles` ("Ir. |, M.T." puts the name at "|")."""
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    title = rng.choice(titles)
    if "|" in title:
        return title.replace("|", name)
    return f"{name}, {title}" if title else name


def _share(action: DemoAction, day: date) -> float:
    """Share of the way from baseline to target reached on `day`."""
    if day < action.start:
        return 0.0
    elapsed = (day - action.start).days / (action.due - action.start).days
    if elapsed >= 1 and action.speed >= 1:
        return 1.0  # an action on pace is finished on its due date, not a day later
    return min(1.0, action.speed * elapsed)


def value_at(action: DemoAction, day: date) -> float:
    """The realisation on `day`, rounded the way the unit is counted."""
    share = _share(action, day)
    if share >= 1:
        return action.target
    raw = action.baseline + share * (action.target - action.baseline)
    decimals = {"%": 1, "km": 1, "indeks": 2}.get(action.unit, 0)
    return round(math.floor(raw * 10**decimals) / 10**decimals, decimals) if decimals else float(math.floor(raw))


def progress(action: DemoAction, as_of: date) -> Progress:
    """Realisation, spending, reported status and note of `action` on `as_of`."""
    share = _share(action, as_of)
    elapsed = (as_of - action.start).days / (action.due - action.start).days
    if share >= 1:
        status, spent = Status.DONE, action.budget * max(action.spend_factor, action.done_spend)
    else:
        spent = action.budget * action.spend_factor * share
        if as_of < action.start:
            status = Status.NOT_STARTED
        elif as_of > action.due:
            status = Status.LATE
        elif elapsed - share > 0.15:
            status = Status.AT_RISK
        else:
            status = Status.ON_TRACK
    notes = NOTES[status]
    return Progress(value_at(action, as_of), round(spent, -2), status, notes[action.note_pick % len(notes)])
