"""The benchmark's data sets, built by code and deterministic (same size, same bytes).

    build_xlsx(path, rows)                      an agency file in the canonical template
    build_history_db(path, actions, snapshots)  a database of weekly snapshots, in the real schema

The spreadsheet is written the way the template (smartcity.templates) lays it out: a title
row, the header on row 3, money and date cells with number formats, agencies named the ways
officers write them (data/agencies.yaml). The database is filled with DuckDB INSERT ... SELECT
from range() into the schema that open_store creates, with values that move from week to week
as a real plan does (some actions finish, some slip), so action_state sees realistic statuses.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

from smartcity.agencies import AgencyRegistry
from smartcity.settings import AGENCY_FILE

HEADERS = ("Kode", "Pilar", "Dimensi", "OPD", "Program", "Kegiatan", "Indikator", "Satuan", "Baseline", "Target",
           "Realisasi", "Pagu Anggaran", "Realisasi Anggaran", "Tanggal Mulai", "Tanggal Selesai", "Status",
           "Keterangan", "Penanggung Jawab")
PILLARS = ("Integrasi", "Kolaborasi", "Keberlanjutan")
PILLAR_IDS = ("integration", "collaboration", "sustainability")
DIMENSIONS = ("Smart Governance", "Smart Branding", "Smart Economy", "Smart Living", "Smart Society",
              "Smart Environment")
UNITS = ("dokumen", "aplikasi", "%", "unit", "kegiatan", "desa", "orang", "layanan")
STATUSES = ("Belum mulai", "Sesuai jadwal", "Perlu perhatian", "Terlambat", "Selesai")
STATUS_IDS = ("not_started", "on_track", "at_risk", "late", "done")
PROGRAMS = tuple(f"Program {p}" for p in (
    "Penyelenggaraan Statistik Sektoral", "Aplikasi Informatika", "Pelayanan Kesehatan Masyarakat",
    "Pengelolaan Persampahan", "Penataan Ruang", "Pelayanan Penanaman Modal", "Pengelolaan Keuangan Daerah",
    "Pendaftaran Penduduk", "Pengelolaan Pendidikan", "Penyelenggaraan Lalu Lintas", "Perlindungan Sosial",
    "Pengembangan Pariwisata", "Penanggulangan Bencana", "Pemberdayaan Masyarakat Desa"))
VERBS = ("Pembangunan", "Integrasi", "Pengembangan", "Sosialisasi", "Pelatihan", "Digitalisasi", "Penyusunan",
         "Pemeliharaan", "Pendataan", "Pengadaan")
OBJECTS = ("aplikasi layanan publik", "data kependudukan", "sistem informasi", "ruang terbuka hijau",
           "jaringan internet desa", "posyandu digital", "bank sampah", "dashboard kinerja", "satu data",
           "pelayanan perizinan", "CCTV kota", "e-puskesmas", "sekolah digital", "pasar rakyat")
INDICATORS = ("Jumlah aplikasi terintegrasi", "Persentase layanan daring", "Jumlah dokumen tersusun",
              "Jumlah desa terhubung", "Angka stunting", "Jumlah peserta pelatihan", "Indeks kepuasan layanan")
PEOPLE = ("Budi Santoso", "Siti Rahmah", "Ahmad Fauzi", "Dewi Lestari", "Rudi Hartono", "Nur Aini",
          "Yusuf Maulana", "Rina Wati", "Hendra Gunawan", "Fitri Handayani")
NOTES = ("Menunggu pencairan anggaran", "Koordinasi dengan OPD terkait", "Sedang proses lelang",
         "Data belum lengkap", "Sesuai rencana")
YEAR = 2024
FIRST_SNAPSHOT = date(YEAR, 1, 5)   # a Friday; snapshots are weekly from here


def agency_codes() -> list[str]:
    return sorted(AgencyRegistry.load(AGENCY_FILE).agencies)


def _agency_spellings() -> list[tuple[str, list[str]]]:
    """Each agency's code and the ways an officer writes its name in the OPD column."""
    registry = AgencyRegistry.load(AGENCY_FILE)
    return [(a.code, [a.name, a.short, a.short.upper() + " KOTIM", *a.aliases[:2]])
            for a in sorted(registry.agencies.values(), key=lambda a: a.code)]


def build_xlsx(path: str | Path, rows: int, seed: int = 7) -> Path:
    """An .xlsx of `rows` actions in the canonical template, across every agency of the registry.

    Every row is valid, so all `rows` load. Written with XlsxWriter's constant_memory mode
    (row by row, flushed to disk), which keeps building 100,000 rows fast and small.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    agencies = _agency_spellings()
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": datetime(YEAR, 1, 1)})  # else today's time: the same rows, other bytes
    title = wb.add_format({"bold": True, "font_size": 13})
    head = wb.add_format({"bold": True, "bg_color": "#dbe5f1", "border": 1, "text_wrap": True})
    money = wb.add_format({"num_format": "#,##0"})
    number = wb.add_format({"num_format": "#,##0.##"})
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Rencana Aksi")
    ws.write_string(0, 0, f"RENCANA AKSI SMART CITY KABUPATEN KOTAWARINGIN TIMUR TAHUN {YEAR}", title)
    for j, name in enumerate(HEADERS):
        ws.write_string(2, j, name, head)
    for i in range(rows):
        code, spellings = agencies[i % len(agencies)]
        r = 3 + i
        baseline = float(rng.randrange(0, 50))
        target = baseline + rng.randrange(1, 100)
        actual = round(rng.uniform(baseline, target * 1.1), 1)
        budget = float(rng.randrange(10, 2000) * 1_000_000)
        start = datetime(YEAR, 1, 1) + timedelta(days=rng.randrange(0, 180))
        ws.write_string(r, 0, f"{code}-{i + 1:06d}")
        ws.write_string(r, 1, PILLARS[i % 3])
        ws.write_string(r, 2, DIMENSIONS[rng.randrange(6)])
        ws.write_string(r, 3, spellings[rng.randrange(len(spellings))])
        ws.write_string(r, 4, PROGRAMS[rng.randrange(len(PROGRAMS))])
        ws.write_string(r, 5, f"{VERBS[rng.randrange(len(VERBS))]} {OBJECTS[rng.randrange(len(OBJECTS))]} {i + 1}")
        ws.write_string(r, 6, INDICATORS[rng.randrange(len(INDICATORS))])
        ws.write_string(r, 7, UNITS[rng.randrange(len(UNITS))])
        ws.write_number(r, 8, baseline, number)
        ws.write_number(r, 9, target, number)
        if rng.random() < 0.95:  # a few actions have no realisation reported yet
            ws.write_number(r, 10, actual, number)
        ws.write_number(r, 11, budget, money)
        ws.write_number(r, 12, float(round(budget * rng.random(), -3)), money)
        ws.write_datetime(r, 13, start, day)
        ws.write_datetime(r, 14, start + timedelta(days=rng.randrange(60, 330)), day)
        ws.write_string(r, 15, STATUSES[rng.randrange(len(STATUSES))])
        if rng.random() < 0.3:
            ws.write_string(r, 16, NOTES[rng.randrange(len(NOTES))])
        ws.write_string(r, 17, PEOPLE[rng.randrange(len(PEOPLE))])
    wb.close()
    return path


def snapshot_dates(snapshots: int) -> list[date]:
    return [FIRST_SNAPSHOT + timedelta(weeks=w) for w in range(snapshots)]


def _lit(values: tuple[str, ...]) -> str:
    """A DuckDB list literal of strings, to index with [n % len + 1]."""
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(values: tuple[str, ...], key: str) -> str:
    return f"{_lit(values)}[({key}) % {len(values)} + 1]"


# u(i, k): a deterministic pseudo-random number in [0, 1) for action i and salt k (no RNG state).
def _u(i: str, k: int) -> str:
    return f"((({i}) * {2654435761 + 2 * k} + {97 * k + 13}) % 1000003) / 1000003.0"


def build_history_db(path: str | Path, actions: int, snapshots: int) -> Path:
    """A database of `actions` actions x `snapshots` weekly snapshots (one progress row each).

    Every agency uploads every week (one upload per agency per week, as the pipeline records
    it). Actions move toward their targets at their own speed, so by the last week some are
    done, some on track and some late; 3% are lower-is-better indicators, 5% never report a
    realisation. No KPI values are stored: the KPI benchmark computes them (recompute_kpis for
    the latest date, as after the last weekly upload) and `fill_kpi_trend` adds earlier weeks.
    """
    from smartcity.store import open_store

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    store = open_store(path)
    try:
        with store.transaction() as cur:
            _fill(cur, agency_codes(), actions, snapshots)
        store.cursor().execute("CHECKPOINT")
    finally:
        store.close()
    return path


def fill_kpi_trend(path: str | Path) -> int:
    """Give every earlier snapshot date KPI values, as 52 weekly recomputes would have left them.

    The values are the latest date's, scaled by how far through the history the date is: a
    plausible trend for the KPI page's charts (their shape, not their numbers, is what costs).
    Returns the rows added (0 when earlier dates already have values or none are stored).
    """
    from smartcity.history import history_grid
    from smartcity.store import open_store

    store = open_store(path)
    try:
        # Those recomputes would have kept the history's figures of every date too (smartcity.history):
        # keep them now (once; a read when kept), or a page's first cold run would pay for it.
        latest = store.query_one("SELECT max(as_of) FROM progress")[0]
        if latest is not None:
            history_grid(store, latest)
        with store.transaction() as cur:
            dates = [r[0] for r in cur.execute("SELECT DISTINCT as_of FROM progress ORDER BY 1").fetchall()]
            stored = {r[0] for r in cur.execute("SELECT DISTINCT as_of FROM kpi_values").fetchall()}
            if len(dates) < 2 or stored != {dates[-1]}:
                return 0
            latest = dates[-1]
            for w, day in enumerate(dates[:-1]):
                cur.execute(
                    """INSERT INTO kpi_values SELECT kpi_id, scope_type, scope_key, ?, value * ?, target, status, n,
                           computed_at FROM kpi_values WHERE as_of = ?""", [day, (w + 1) / len(dates), latest])
            added = cur.execute("SELECT count(*) FROM kpi_values WHERE as_of < ?", [latest]).fetchone()[0]
            store.bump_version(cur)
        return int(added)
    finally:
        store.close()


def _fill(cur, codes: list[str], actions: int, snapshots: int) -> None:
    n_ag = len(codes)
    first = FIRST_SNAPSHOT.isoformat()
    cur.execute(f"CREATE TEMP TABLE bench_ag AS SELECT unnest({_lit(tuple(codes))}) AS code, "
                f"generate_subscripts({_lit(tuple(codes))}, 1) - 1 AS k")
    # Identities: action i belongs to agency i % n_ag; its code is e.g. DINKES-000042.
    cur.execute(f"""
        INSERT INTO actions
        SELECT i + 1, g.code, g.code || '-' || lpad(CAST(i + 1 AS VARCHAR), 6, '0'), NULL
        FROM range({actions}) r(i) JOIN bench_ag g ON g.k = i % {n_ag}""")
    # One upload per agency per week, recorded on the Monday after the as-of date.
    cur.execute(f"""
        INSERT INTO uploads
        SELECT w * {n_ag} + g.k + 1, 'renaksi_' || lower(g.code) || '_w' || (w + 1) || '.xlsx',
               md5(g.code || w), 250000, 'bench', DATE '{first}' + INTERVAL (7 * w + 3) DAY + INTERVAL 9 HOUR,
               DATE '{first}' + INTERVAL (7 * w) DAY, ({actions} + {n_ag} - 1 - g.k) // {n_ag}, 0, 'loaded'
        FROM range({snapshots}) s(w), bench_ag g""")
    cur.execute(f"""
        INSERT INTO upload_agencies
        SELECT w * {n_ag} + g.k + 1, g.code, DATE '{first}' + INTERVAL (7 * w) DAY
        FROM range({snapshots}) s(w), bench_ag g""")
    # Per action: baseline 0-49, target above it, a speed (share of the way done per share of
    # the year) between 0.4 and 1.6, a budget and a spending pace; progress grows week by week.
    cur.execute(f"""
        CREATE TEMP TABLE bench_plan AS
        SELECT i, i % {n_ag} AS k,
               floor({_u('i', 1)} * 50) AS baseline,
               floor({_u('i', 1)} * 50) + 1 + floor({_u('i', 2)} * 99) AS target,
               0.4 + {_u('i', 3)} * 1.2 AS speed,
               (10 + floor({_u('i', 4)} * 1990)) * 1000000 AS budget,
               0.3 + {_u('i', 5)} * 0.9 AS pace,
               {_u('i', 6)} < 0.03 AS lower_better,
               {_u('i', 7)} < 0.05 AS silent,
               DATE '{YEAR}-01-01' + CAST(floor({_u('i', 8)} * 180) AS INTEGER) AS start_date,
               {_pick(PILLAR_IDS, 'i')} AS pillar,
               {_pick(DIMENSIONS, f'CAST(floor({_u("i", 9)} * 6) AS BIGINT)')} AS dimension,
               {_pick(PROGRAMS, 'i // 7')} AS program,
               {_pick(VERBS, 'i // 3')} || ' ' || {_pick(OBJECTS, 'i // 11')} || ' ' || (i + 1) AS activity,
               {_pick(INDICATORS, 'i // 5')} AS indicator,
               {_pick(UNITS, 'i // 13')} AS unit,
               {_pick(PEOPLE, 'i // 17')} AS owner,
               {_pick(STATUS_IDS, 'i // 19')} AS reported_status
        FROM range({actions}) r(i)""")
    cur.execute(f"""
        INSERT INTO progress (id, action_id, as_of, upload_id, source, recorded_at, recorded_by,
            pillar, dimension, program, activity, indicator, unit, baseline, target, actual,
            direction, budget, budget_spent, start_date, due_date, reported_status, notes, owner,
            sheet, source_row)
        SELECT w * {actions} + p.i + 1, p.i + 1, DATE '{first}' + INTERVAL (7 * w) DAY, w * {n_ag} + p.k + 1,
               'upload', DATE '{first}' + INTERVAL (7 * w + 3) DAY + INTERVAL 9 HOUR, 'bench',
               p.pillar, p.dimension, p.program, p.activity, p.indicator, p.unit,
               CASE WHEN p.lower_better THEN p.target ELSE p.baseline END,
               CASE WHEN p.lower_better THEN p.baseline ELSE p.target END,
               CASE WHEN p.silent THEN NULL
                    WHEN p.lower_better THEN round(p.target - (p.target - p.baseline) * least(1.0, p.speed * (w + 1) / 52.0), 1)
                    ELSE round(p.baseline + (p.target - p.baseline) * least(1.05, p.speed * (w + 1) / 52.0), 1) END,
               CASE WHEN p.lower_better THEN 'lower' ELSE 'higher' END,
               p.budget, round(p.budget * least(1.0, p.pace * (w + 1) / 52.0), -3),
               p.start_date, p.start_date + 120 + CAST(floor({_u('p.i', 10)} * 200) AS INTEGER),
               p.reported_status,
               CASE WHEN (p.i + w) % 10 < 3 THEN {_pick(NOTES, 'p.i + w')} END,
               p.owner, 'Rencana Aksi', p.i // {n_ag} + 4
        FROM bench_plan p, range({snapshots}) s(w)
        ORDER BY w, p.i""")
    # Keep the sequences ahead of the ids used, so a later upload or edit gets fresh ids.
    for seq, count in (("action_id_seq", actions), ("progress_id_seq", actions * snapshots),
                       ("upload_id_seq", snapshots * n_ag)):
        if count:
            cur.execute(f"SELECT max(nextval('{seq}')) FROM range({count})")
    cur.execute("DROP TABLE bench_plan")
    cur.execute("DROP TABLE bench_ag")
    cur.execute("UPDATE meta SET value = '1' WHERE key = 'data_version'")


if __name__ == "__main__":
    # python -m bench.datasets xlsx PATH ROWS | db PATH ACTIONS SNAPSHOTS  (bench.run builds in parallel)
    import sys

    kind, target, *sizes = sys.argv[1:]
    if kind == "xlsx":
        build_xlsx(target, int(sizes[0]))
    else:
        build_history_db(target, int(sizes[0]), int(sizes[1]))
