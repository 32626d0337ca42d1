"""A small hand-built plan for the view and page tests, with every figure worked out below.

Data date D = 7 Oct 2024. Unless said, an action runs 1 Jan 2024 - 31 Dec 2024 (365 days), so
on D 280 days have passed: elapsed = 280/365 = 0.767. Status rules (store.ACTION_STATE_SQL):
gap = elapsed - progress; <= 0.10 on track, <= 0.25 at risk, else late; progress >= 1 done.

Integration (3 actions)
  I-01 DISKOMINFO  target 100, actual 60 (40 on 30 Sep)  ach 0.60  progress 0.60 gap 0.167 -> at risk
                   budget 1.000.000.000, spent 600.000.000
  I-02 DISDUKCAPIL target 10, actual 12                  ach 1.20 (capped 1.00)      -> done
                   budget 500.000.000, spent 500.000.000
  I-03 DISKOMINFO  target 50, actual 20                   ach 0.40  gap 0.367         -> late
                   budget 250.000.000, spent 50.000.000
  achievement = (0.60 + 1.00 + 0.40) / 3 = 66,7% (predikat sedang)
  absorption  = 1.150.000.000 / 1.750.000.000 = 65,7%
Collaboration (2 actions)
  C-01 DINKES      target 4, actual 4                    ach 1.00                    -> done
                   budget 200.000.000, spent 100.000.000; notes and owner look like formulas
  C-02 DINKES      lower is better: baseline 40, target 20, actual 25
                   ach (2*20 - 25)/20 = 0.75; progress (25-40)/(20-40) = 0.75 gap 0.017 -> on track
  achievement = (1.00 + 0.75) / 2 = 87,5% (tinggi); absorption = 100/200 = 50%
Sustainability (2 actions, reported 20 Sep 2024: 17 days before D, so DLH has not reported)
  S-01 DLH         starts 1 Nov 2024, actual 0           ach 0.00                    -> not started
  S-02 DLH         target 100, actual 30, due 30 Jun 2024  ach 0.30                  -> late
                   budget 300.000.000, spent 30.000.000
  achievement = (0 + 0.30) / 2 = 15% (sangat rendah); absorption = 30/300 = 10%
All: 7 actions, achievement (0.6+1+0.4+1+0.75+0+0.3)/7 = 4.05/7 = 57,9%,
     absorption 1.280.000.000 / 2.250.000.000 = 56,9%
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from smartcity.store import Store, open_store

D = date(2024, 10, 7)
D_EARLIER = date(2024, 9, 30)
D_DLH = date(2024, 9, 20)
START, DUE = date(2024, 1, 1), date(2024, 12, 31)


def add(store: Store, agency: str, code: str, as_of: date, **values) -> None:
    """One snapshot of an action (identity created when new); any progress column may be given."""
    row = {"pillar": "integration", "activity": f"Aksi {code}", "target": 100.0, "direction": "higher",
           "start_date": START, "due_date": DUE, "source": "upload", "recorded_at": datetime(2024, 10, 7, 9, 0),
           "recorded_by": "test"}
    row.update(values)
    with store.transaction() as cur:
        found = cur.execute("SELECT id FROM actions WHERE agency_code = ? AND action_code = ?", [agency, code]).fetchone()
        if found:
            action_id = found[0]
        else:
            action_id = cur.execute("SELECT nextval('action_id_seq')").fetchone()[0]
            cur.execute("INSERT INTO actions VALUES (?, ?, ?, NULL)", [action_id, agency, code])
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur.execute(f"INSERT INTO progress (id, action_id, as_of, {names}) VALUES (nextval('progress_id_seq'), ?, ?, {marks})",
                    [action_id, as_of, *row.values()])
        store.bump_version(cur)


def build_plan(store: Store) -> Store:
    """The plan described above, plus its KPI values."""
    gov = "Smart Governance"
    add(store, "DISKOMINFO", "I-01", D_EARLIER, activity="Satu Data Kotim", actual=40, dimension=gov,
        budget=1_000_000_000, budget_spent=400_000_000)
    add(store, "DISKOMINFO", "I-01", D, activity="Satu Data Kotim", indicator="Dataset terbuka", unit="dataset",
        actual=60, dimension=gov, budget=1_000_000_000, budget_spent=600_000_000, owner="Kabid Statistik")
    add(store, "DISDUKCAPIL", "I-02", D, activity="Integrasi data kependudukan", target=10, actual=12, dimension=gov,
        budget=500_000_000, budget_spent=500_000_000)
    add(store, "DISKOMINFO", "I-03", D, activity="Aplikasi layanan terpadu", target=50, actual=20,
        dimension="Smart Society", budget=250_000_000, budget_spent=50_000_000)
    add(store, "DINKES", "C-01", D, pillar="collaboration", activity="Kemitraan posyandu digital", target=4, actual=4,
        budget=200_000_000, budget_spent=100_000_000, notes='=HYPERLINK("http://contoh.invalid","klik")',
        owner="@Budi")
    add(store, "DINKES", "C-02", D, pillar="collaboration", activity="Turunkan angka stunting", direction="lower",
        baseline=40, target=20, actual=25)
    add(store, "DLH", "S-01", D_DLH, pillar="sustainability", activity="Bank sampah kelurahan",
        actual=0, start_date=date(2024, 11, 1))
    add(store, "DLH", "S-02", D_DLH, pillar="sustainability", activity="Taman kota", actual=30,
        due_date=date(2024, 6, 30), budget=300_000_000, budget_spent=30_000_000)
    from smartcity.kpi import recompute_kpis

    recompute_kpis(store)
    return store


def plan_db(path: Path) -> Path:
    """Write the plan to a DuckDB file at `path` and close it."""
    store = build_plan(open_store(path))
    store.close()
    return path


# Accounts of the page tests: an admin, an editor of each of two agencies and a viewer (password: rahasia-123).
# (Without accounts, the app creates the first admin, 'admin', when it opens the database.)
ACCOUNTS = (("admin", "admin", []), ("dinkes", "editor", ["DINKES"]), ("diskominfo", "editor", ["DISKOMINFO"]),
            ("viewer", "viewer", []))


def add_accounts(path: Path) -> Path:
    """Add ACCOUNTS to the database at `path` (closed again)."""
    from smartcity.auth import SYSTEM_ACTOR
    from smartcity.users import add_user

    store = open_store(path)
    for username, role, agencies in ACCOUNTS:
        add_user(store, SYSTEM_ACTOR, username, "rahasia-123", role, agencies)
    store.close()
    return path


def signed_in(at, username: str = "admin"):
    """An AppTest with `username` signed in before its first run (ui.session keeps only the username)."""
    from ui.session import AUTH_USER

    at.session_state[AUTH_USER] = username
    return at
