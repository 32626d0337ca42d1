"""The Briefing Bupati and Publik pages under AppTest, and the Excel download helper of every table.

The briefing shows the hand-worked plan of tests/ui_fixtures.py on 7 Oct 2024, compared with the
previous snapshot (30 Sep 2024). The public page shows the same plan plus C-03, a completed
Dinkes action whose activity is markup and whose owner, notes, obstacle and follow-up are filled
(tests/test_public.py): none of those may reach the page.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from smartcity.store import open_store
from tests.test_public import PRIVATE_TEXTS, SCRIPT, plan_with_private_text
from tests.ui_fixtures import plan_db, signed_in

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory) -> Path:
    return plan_db(tmp_path_factory.mktemp("briefing_page") / "plan.duckdb")


@pytest.fixture
def plan(plan_path, monkeypatch) -> Path:
    monkeypatch.setenv("SMARTCITY_DB", str(plan_path))
    return plan_path


@pytest.fixture(scope="module")
def public_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("public_page") / "plan.duckdb"
    plan_with_private_text(open_store(path)).close()
    return path


@pytest.fixture
def public_plan(public_path, monkeypatch) -> Path:
    monkeypatch.setenv("SMARTCITY_DB", str(public_path))
    return public_path


def page(name: str, user: str | None = "admin") -> AppTest:
    """A page on its own, signed in as `user` (default 'admin', the first admin the app creates; None: signed out)."""
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
    return signed_in(at, user) if user else at


def metrics(at: AppTest) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in at.metric:
        out.setdefault(m.label, []).append(m.value)
    return out


def badges(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(":") and "-badge[" in m.value]


def everything_shown(at: AppTest) -> str:
    """Every text of the page: markdown, captions, titles, metrics, tables, widget labels."""
    parts = [e.value for e in (*at.markdown, *at.caption, *at.title, *at.subheader, *at.info, *at.error)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [t.label for t in at.tabs]
    return "\n".join(str(p) for p in parts)


# -- Briefing Bupati ------------------------------------------------------------------------------

def test_briefing_needs_a_login(plan):
    at = page("briefing.py", user=None).run()
    assert not at.exception
    assert at.title[0].value == "Briefing Bupati"
    assert not at.metric                                   # the login form, not the figures


def colour(metric) -> str:
    """The named colour of a metric's delta (RED, ORANGE, GREEN, GRAY, ...)."""
    from streamlit.proto.Metric_pb2 import Metric

    return Metric.DESCRIPTOR.fields_by_name["color"].enum_type.values_by_number[metric.proto.color].name


def pillar_metrics(at: AppTest) -> list:
    """The pillar cards' metrics (achievement, absorption per pillar), before the KPI tiles."""
    return at.metric[:2 * len([s for s in at.markdown if s.value.startswith("##### ")])]


def test_briefing_shows_the_pillars_against_their_targets(plan):
    at = page("briefing.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Briefing Bupati"
    shown = pillar_metrics(at)
    assert [m.label for m in shown] == ["Capaian", "Serapan anggaran"] * 3
    # Integrasi 66,7% and 65,7%, Kolaborasi 87,5% and 50%, Keberlanjutan 15% and 10%.
    assert [m.value for m in shown] == ["66,7%", "65,7%", "87,5%", "50%", "15%", "10%"]
    assert [m.delta for m in shown] == ["target 90%", "target 80%"] * 3
    # The target line takes the traffic light of the KPI that sets it: achievement green >= 91, amber >= 76;
    # absorption green >= 75, amber >= 50 (the sustainability pillar's own KPI: 10% is red).
    assert [colour(m) for m in shown] == ["RED", "ORANGE", "ORANGE", "ORANGE", "RED", "RED"]


def test_briefing_kpis_with_their_change_since_the_previous_snapshot(plan):
    at = page("briefing.py").run()
    kpis = {m.label: (m.value, m.delta) for m in at.metric[len(pillar_metrics(at)):]}
    # 30 Sep: I-01 40%, S-01 0%, S-02 30% -> 23,3%; 7 Oct: 57,9%: +34,5 points.
    assert kpis["Capaian rencana aksi"] == ("57,9%", "+34,5 poin")
    assert kpis["Aksi terlambat atau perlu perhatian"] == ("3", "+1")         # I-03, S-02 late; I-01 at risk
    assert kpis["Serapan anggaran keberlanjutan"] == ("10%", "0,0 poin")      # DLH sent nothing new
    assert kpis["Aksi kolaborasi berjalan"][1] == ""                          # no collaboration action before


def test_briefing_lists_the_top_risks_late_first(plan):
    at = page("briefing.py").run()
    shown = everything_shown(at)
    # Late first, least progress first: S-02 (30%), I-03 (40%), then I-01 at risk.
    risk_badges = [b for b in badges(at) if b.split("[", 1)[1][:2] in ("1.", "2.", "3.")]
    assert risk_badges == [":red-badge[1. Terlambat]", ":red-badge[2. Terlambat]",
                           ":orange-badge[3. Perlu perhatian]"]
    assert shown.index("Taman kota") < shown.index("Aplikasi layanan terpadu") < shown.index("Satu Data Kotim")
    assert "Kabid Statistik" in shown                                         # internal page: the owner is named


def test_briefing_ranks_the_agencies(plan):
    at = page("briefing.py").run()
    by_achievement, by_absorption = [df.value for df in at.dataframe][:2]
    assert list(by_achievement["agency_short"]) == ["Disdukcapil", "Dinkes", "Diskominfo", "DLH"]
    assert list(by_achievement["rank_achievement"]) == [1, 2, 3, 4]
    # Disdukcapil 500/500 = 100%, Diskominfo 650/1.250 = 52%, Dinkes 100/200 = 50%, DLH 30/300 = 10%.
    assert list(by_absorption["agency_short"]) == ["Disdukcapil", "Diskominfo", "Dinkes", "DLH"]


def test_briefing_says_what_changed_since_the_previous_snapshot(plan):
    at = page("briefing.py").run()
    assert "Perubahan sejak 30 Sep 2024" in [s.value for s in at.subheader]
    assert ":yellow-badge[Tidak bergerak: 2]" in badges(at)                  # DLH's two actions
    assert ":blue-badge[Aksi baru: 4]" in badges(at)
    assert ":green-badge[Membaik: 1]" in badges(at)                           # I-01: late -> at risk
    assert "Membaik\\: I\\-01 Satu Data Kotim" in everything_shown(at)


def test_briefing_can_compare_with_an_earlier_snapshot(plan):
    at = page("briefing.py").run()
    at.selectbox(key="br_since_2024-10-07").select_index(1).run()            # 30 Sep, 20 Sep
    assert "Perubahan sejak 20 Sep 2024" in [s.value for s in at.subheader]


def test_briefing_offers_pdf_and_pptx_and_excel_downloads(plan):
    at = page("briefing.py").run()
    labels = [b.label for b in at.get("download_button")]
    assert labels[:2] == ["Unduh PDF", "Unduh PPTX"]
    assert labels.count("Unduh Excel") == 2                                   # risks, ranking


def test_briefing_in_english(plan):
    at = page("briefing.py")
    at.session_state["lang"] = "en"
    at.run()
    assert at.title[0].value == "Regent's Briefing"
    assert "Top risks" in [s.value for s in at.subheader]
    assert [m.value for m in pillar_metrics(at) if m.label == "Achievement"] == ["66,7%", "87,5%", "15%"]


def test_briefing_for_one_pillar(plan):
    at = page("briefing.py")
    at.session_state["filter_pillar"] = "sustainability"
    at.run()
    assert [m.value for m in pillar_metrics(at)] == ["15%", "10%"]


# -- Publik --------------------------------------------------------------------------------------

def test_public_page_needs_no_login_and_shows_no_internal_filters(public_plan):
    at = page("publik.py", user=None).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Publik"
    assert at.caption[1].value == "Data per 7 Okt 2024"
    assert not at.sidebar.selectbox and not at.text_input                     # no filters, no login form
    assert not at.get("file_uploader")
    assert [b.label for b in at.get("download_button")] == ["Unduh Excel"]   # the agency table only


def test_public_page_shows_progress_per_pillar_and_agency(public_plan):
    at = page("publik.py", user=None).run()
    shown = [m.value for m in pillar_metrics(at)]
    # With C-03 (done, no budget): Kolaborasi (1 + 0,75 + 1) / 3 = 91,7%.
    assert shown == ["66,7%", "65,7%", "91,7%", "50%", "15%", "10%"]
    agencies = at.dataframe[0].value
    assert list(agencies.columns) == ["agency_short", "actions", "achievement", "absorption", "done"]
    assert list(agencies["agency_short"]) == ["Disdukcapil", "Dinkes", "Diskominfo", "DLH"]


def test_public_page_shows_only_public_kpis(public_plan):
    at = page("publik.py", user=None).run()
    names = [m.label for m in at.metric[len(pillar_metrics(at)):]]
    assert "Capaian rencana aksi" in names and "Aksi selesai" in names
    assert "Aksi terlambat atau perlu perhatian" not in names                 # public: false


def test_public_page_names_no_one_and_shows_no_note(public_plan):
    shown = everything_shown(page("publik.py", user=None).run())
    assert [text for text in PRIVATE_TEXTS if text in shown] == []


def test_an_activity_written_as_markup_is_shown_as_text(public_plan):
    at = page("publik.py", user=None).run()
    shown = everything_shown(at)
    assert re.findall(r"(?<!\\)<", shown) == []                                  # no "<" that Markdown could read
    assert "\\<script\\>alert\\(" in shown                                    # escaped: shown as its own text
    assert "Kolaborasi (2)" in [t.label for t in at.tabs]                     # C-01 and C-03 done


def test_public_page_in_english(public_plan):
    at = page("publik.py", user=None)
    at.session_state["lang"] = "en"
    at.run()
    assert at.title[0].value == "Public" and "Achievement" in metrics(at)


def test_public_page_on_an_empty_database(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTCITY_DB", str(tmp_path / "empty.duckdb"))
    at = page("publik.py", user=None).run()
    assert not at.exception
    assert at.info[0].value == "Belum ada data yang dapat ditampilkan."


# -- the Excel download of a table ---------------------------------------------------------------

def test_a_tables_excel_download_is_the_table_as_shown(monkeypatch):
    import streamlit as st

    from ui.widgets import Col, excel_download

    pressed = {}
    monkeypatch.setattr(st, "download_button", lambda label, data, **kw: pressed.update(label=label, data=data, **kw))
    df = pd.DataFrame({"agency_short": ["=DLH"], "achievement": [15.0], "status": ["late"], "level": ["row"],
                       "hidden": ["not exported"]})
    cols = [Col("agency_short", label="col.agency"), Col("achievement", "progress"), Col("status", "status"),
            Col("level", "level")]
    excel_download(df, cols, "id", "opd.xlsx", key="xl_test")
    assert pressed["label"] == "Unduh Excel" and pressed["file_name"] == "opd.xlsx"
    assert callable(pressed["data"])                                          # built only when clicked
    ws = openpyxl.load_workbook(io.BytesIO(pressed["data"]())).active
    assert [c.value for c in ws[1]] == ["OPD", "Capaian", "Status", "Jenis"]
    assert [c.value for c in ws[2]] == ["'=DLH", pytest.approx(0.15), "Terlambat", "baris"]
    assert ws["B2"].number_format == "0.0%"
