"""The leadership briefing: its figures worked out by hand, and the PDF / PPTX read back."""
import io
from datetime import date

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from smartcity.briefing import BriefingError, briefing_data, export_pdf, export_pptx, render_briefing
from smartcity.charts_static import kpi_change, long_date, plain
from smartcity.kpi import recompute_kpis
from smartcity.report import summary_report
from smartcity.store import open_store
from smartcity.views import Filters
from tests.storefix import add_snapshot

BEFORE, D = date(2024, 9, 30), date(2024, 10, 7)
YEAR = {"start_date": date(2024, 1, 1), "due_date": date(2024, 12, 31)}
SCRIPT = "<script>alert(1)</script> Bank sampah digital"
FORMULA = '=HYPERLINK("http://contoh.invalid","klik") Portal Satu Data'


def _set(store, code: str, as_of: date, **values) -> None:
    """Fill progress columns that storefix.add_snapshot does not take (obstacle, follow-up)."""
    sets = ", ".join(f"{k} = ?" for k in values)
    with store.transaction() as cur:
        cur.execute(f"""UPDATE progress SET {sets} WHERE as_of = ? AND action_id =
                        (SELECT id FROM actions WHERE action_code = ?)""", [*values.values(), as_of, code])


@pytest.fixture(scope="module")
def store():
    """Five actions; the briefing is on 7 Oct 2024 (elapsed 280/365 = 0,767), the previous one 30 Sep (0,748).

    On 7 Oct:
    DINKES/A1     integration     target 100, actual 100         -> achievement 1,0  done      budget 1 Jt, spent 800 Rb
    DINKES/A2     integration     target 100, actual 150         -> capped 1,0       done      budget 1 Jt, spent 1 Jt
    DLH/B1        sustainability  target 10, actual 2            -> 0,2, progress 0,2: late    budget 2 Jt, spent 200 Rb
    DLH/B2        collaboration   target 50, actual 40           -> 0,8, on track              no budget
    DISKOMINFO/C1 collaboration   baseline 40, target 100, actual 75 -> achievement 0,75,
                  progress 35/60 = 0,583; 0,767 - 0,583 = 0,18 behind: at risk                 budget 1 Jt, spent 950 Rb
    On 30 Sep: A1 actual 80 (on track), A2 as above, B1 as above (late), B2 actual 30 (0,6: at risk); no C1.
    """
    s = open_store(":memory:")
    add_snapshot(s, "DINKES", "A1", BEFORE, target=100, actual=80, budget=1_000_000, budget_spent=500_000, **YEAR)
    add_snapshot(s, "DINKES", "A2", BEFORE, target=100, actual=150, budget=1_000_000, budget_spent=1_000_000, **YEAR)
    add_snapshot(s, "DLH", "B1", BEFORE, pillar="sustainability", target=10, actual=2, budget=2_000_000,
                 budget_spent=200_000, **YEAR)
    add_snapshot(s, "DLH", "B2", BEFORE, pillar="collaboration", target=50, actual=30, **YEAR)

    add_snapshot(s, "DINKES", "A1", D, target=100, actual=100, budget=1_000_000, budget_spent=800_000, **YEAR)
    add_snapshot(s, "DLH", "B1", D, pillar="sustainability", activity=SCRIPT, target=10, actual=2,
                 budget=2_000_000, budget_spent=200_000, owner="Ir. Hendra", **YEAR)
    _set(s, "B1", D, obstacle="Lahan TPS belum tersedia", follow_up="Koordinasi dengan BPN dan camat")
    add_snapshot(s, "DLH", "B2", D, pillar="collaboration", target=50, actual=40, **YEAR)
    add_snapshot(s, "DISKOMINFO", "C1", D, pillar="collaboration", activity=FORMULA, baseline=40, target=100,
                 actual=75, budget=1_000_000, budget_spent=950_000, notes="Menunggu server baru", **YEAR)
    recompute_kpis(s)
    yield s
    s.close()


@pytest.fixture(scope="module")
def brief(store):
    return briefing_data(store, D)


@pytest.fixture(scope="module")
def pdf_text(brief):
    buffer = io.BytesIO()
    export_pdf(brief, buffer)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def deck(brief):
    buffer = io.BytesIO()
    export_pptx(brief, buffer)
    return Presentation(io.BytesIO(buffer.getvalue()))


def _slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


# -- the figures -------------------------------------------------------------------------------

def test_previous_briefing_is_the_snapshot_before(brief):
    assert brief.as_of == D and brief.since == BEFORE


def test_pillars_against_their_kpi_targets(brief):
    integration, collaboration, sustainability = brief.pillars
    # integration: A1 1,0 and A2 capped 1,0 -> 100%; spent 1,8 Jt of 2 Jt -> 90%
    assert integration.achievement.value == pytest.approx(100.0)
    assert integration.absorption.value == pytest.approx(90.0)
    # its achievement target is its own KPI (integration_achievement, 90; green from 91) ...
    assert (integration.achievement.target, integration.achievement.status) == (90.0, "green")
    # ... its absorption target the overall budget_absorption KPI (80; green from 75)
    assert (integration.absorption.target, integration.absorption.status) == (80.0, "green")
    # collaboration: (0,8 + 0,75) / 2 = 77,5% (amber: >= 76, < 91); absorption only C1: 950 Rb / 1 Jt = 95%
    assert collaboration.achievement.value == pytest.approx(77.5)
    assert collaboration.achievement.status == "amber"
    assert collaboration.absorption.value == pytest.approx(95.0)
    assert collaboration.status_counts == {"not_started": 0, "on_track": 1, "at_risk": 1, "late": 0, "done": 0}
    # sustainability: B1 0,2 -> 20%; absorption 10% against sustainability_absorption (target 80, red < 50)
    assert sustainability.achievement.value == pytest.approx(20.0)
    assert (sustainability.absorption.value, sustainability.absorption.target,
            sustainability.absorption.status) == (pytest.approx(10.0), 80.0, "red")
    assert sustainability.predikat == "very_low"


def test_pillar_figures_agree_with_the_summary_report(store, brief):
    report = summary_report(store, D)
    for p in brief.pillars:
        assert p.achievement.value == pytest.approx(report["pillars"][p.key]["achievement"])
        assert p.status_counts == report["pillars"][p.key]["status"]


def test_headline_kpis_with_change_since_previous_briefing(brief):
    kpis = {k.id: k for k in brief.kpis}
    # achievement: (1 + 1 + 0,2 + 0,8 + 0,75) / 5 = 75%; on 30 Sep (0,8 + 1 + 0,2 + 0,6) / 4 = 65% -> +10 points
    assert kpis["achievement"].value == pytest.approx(75.0)
    assert kpis["achievement"].previous == pytest.approx(65.0)
    assert kpis["achievement"].status == "red"                      # 75 < amber 76
    # budget absorption: (0,8 + 1 + 0,2 + 0,95) / 5 Jt = 59%
    assert kpis["budget_absorption"].value == pytest.approx(59.0)
    # late or at risk: B1 and C1 now, B1 and B2 before -> 2, no change
    assert (kpis["late_or_at_risk"].value, kpis["late_or_at_risk"].change) == (2, 0)
    assert kpi_change(kpis["achievement"], "id") == "+10,0 poin"
    assert kpi_change(kpis["achievement"], "en") == "+10,0 pts"


def test_top_risks_late_first_then_least_progress(brief):
    risks = brief.risks
    assert list(risks["action_code"]) == ["B1", "C1"]
    assert list(risks["status"]) == ["late", "at_risk"]
    b1, c1 = risks.iloc[0], risks.iloc[1]
    assert (b1["agency_code"], b1["obstacle"], b1["follow_up"]) == ("DLH", "Lahan TPS belum tersedia",
                                                                   "Koordinasi dengan BPN dan camat")
    assert pd.isna(c1["obstacle"]) and c1["notes"] == "Menunggu server baru"
    assert c1["progress"] == pytest.approx(35 / 60 * 100)


def test_each_pillar_lists_its_worst_even_when_another_pillar_fills_the_top(monkeypatch):
    """Red actions of integration (actual 1-5 of 100) are all worse than collaboration's (20-35) and
    sustainability's (40-50): on 7 Oct (elapsed 0,767) each is late, ordered by progress = actual/100.
    With 3 top risks and 2 per pillar, the top three are all integration's, and each pillar still
    shows its own two worst, with the owner and kendala of each."""
    import smartcity.briefing as briefing

    monkeypatch.setattr(briefing, "TOP_RISKS", 3)
    monkeypatch.setattr(briefing, "PILLAR_RISKS", 2)
    s = open_store(":memory:")
    actuals = {"integration": [1, 2, 3, 4, 5], "collaboration": [35, 20, 30, 25], "sustainability": [50, 40, 45]}
    for pillar, values in actuals.items():
        for i, actual in enumerate(values, 1):
            code = f"{pillar[0].upper()}{i}"
            add_snapshot(s, "DLH", code, D, pillar=pillar, target=100, actual=actual, owner=f"Pemilik {code}", **YEAR)
            _set(s, code, D, obstacle=f"Kendala {code}")
    b = briefing.briefing_data(s, D)
    assert list(b.risks["action_code"]) == ["I1", "I2", "I3"]
    assert list(b.risks["status"]) == ["late"] * 3
    worst = {p.key: list(p.risks["action_code"]) for p in b.pillars}
    assert worst == {"integration": ["I1", "I2"], "collaboration": ["C2", "C4"], "sustainability": ["S2", "S3"]}
    c2 = b.pillars[[p.key for p in b.pillars].index("collaboration")].risks.iloc[0]
    assert (c2["owner"], c2["obstacle"], c2["progress"]) == ("Pemilik C2", "Kendala C2", pytest.approx(20.0))
    s.close()


def test_agencies_ranked_by_achievement_and_by_absorption(brief):
    # achievement: DINKES 100%, DISKOMINFO 75%, DLH (0,2 + 0,8) / 2 = 50%
    assert list(brief.agencies_by_achievement["agency_code"]) == ["DINKES", "DISKOMINFO", "DLH"]
    # absorption: DISKOMINFO 95%, DINKES 1,8 / 2 = 90%, DLH 0,2 / 2 = 10%
    assert list(brief.agencies_by_absorption["agency_code"]) == ["DISKOMINFO", "DINKES", "DLH"]
    assert list(brief.agencies_by_absorption["absorption"]) == pytest.approx([95.0, 90.0, 10.0])


def test_what_changed_since_previous_briefing(brief):
    # A1 reached its target, B1 did not move and is still late, B2 went from at risk to on track, C1 is new;
    # A2 has no new snapshot and was done already: unchanged, not listed
    assert brief.changes.counts == {"stalled": 1, "new": 1, "completed": 1, "improved": 1}
    assert list(brief.changes.top["action_code"]) == ["B1", "C1", "A1", "B2"]


def test_filters_narrow_every_figure(store):
    b = briefing_data(store, D, filters=Filters(pillar="collaboration"))
    assert [p.key for p in b.pillars] == ["collaboration"]
    assert list(b.risks["action_code"]) == ["C1"]
    ids = {k.id for k in b.kpis}
    assert "integration_achievement" not in ids and "collaboration_started" in ids
    assert next(k for k in b.kpis if k.id == "achievement").value == pytest.approx(77.5)
    assert b.changes.counts == {"new": 1, "improved": 1}

    dlh = briefing_data(store, D, filters=Filters(agency="DLH"))
    assert dlh.total.achievement.value == pytest.approx(50.0)
    assert list(dlh.risks["action_code"]) == ["B1"]


def test_since_can_be_given(store):
    # compared with itself nothing moved: the three actions not done (B1, B2, C1) count as stalled
    b = briefing_data(store, D, since=D)
    assert b.since == D and b.changes.counts == {"stalled": 3}
    assert next(k for k in b.kpis if k.id == "achievement").change == pytest.approx(0.0)


def test_an_empty_store_has_nothing_to_brief():
    with open_store(":memory:") as empty, pytest.raises(BriefingError):
        briefing_data(empty)


def test_user_text_is_one_plain_line_cut_to_length():
    assert plain("Rapat\nkoordinasi\t\x07 OPD") == "Rapat koordinasi OPD"
    assert plain("x" * 500, limit=20) == "x" * 19 + "…"
    assert plain(None) == "" and plain(float("nan")) == ""


def test_dates_are_written_in_full():
    assert long_date(D) == "7 Oktober 2024"
    assert long_date(D, "en") == "7 October 2024"


# -- the PDF -----------------------------------------------------------------------------------

def test_pdf_has_summary_pillars_and_risks_pages(pdf_text):
    assert len(pdf_text) == 5
    assert "Ringkasan" in pdf_text[0]
    for page, pillar in zip(pdf_text[1:4], ("Integrasi", "Kolaborasi", "Keberlanjutan")):
        assert f"Pilar {pillar}" in page
    assert "Risiko utama" in pdf_text[4]


def test_every_pdf_page_shows_date_filters_and_source(pdf_text):
    for page in pdf_text:
        assert "7 Oktober 2024" in page
        assert "sumber: Bapelitbangda Kotim" in page
        assert "Filter: semua pilar, semua OPD" in page


def test_pdf_numbers_are_written_the_indonesian_way(pdf_text):
    summary = pdf_text[0]
    assert "75,0%" in summary                 # achievement KPI
    assert "77,5%" in summary                 # collaboration card
    assert "+10,0 poin" in summary
    assert "Pagu Rp 2 Jt, realisasi Rp 1,8 Jt" in summary      # integration: A1 + A2


def test_pdf_shows_user_text_verbatim_as_plain_text(pdf_text):
    risks = pdf_text[4]
    assert "<script>alert(1)</script>" in risks
    # a word longer than its column is broken inside the cell: read the lines joined up again
    assert '=HYPERLINK("http://contoh.invalid","klik")' in risks.replace("\n", "")
    assert "Lahan TPS belum tersedia" in risks
    assert "Koordinasi dengan BPN dan camat" in " ".join(risks.split())
    # no obstacle given for C1: its notes stand in, marked as notes
    assert "Keterangan: Menunggu server baru" in " ".join(risks.split())


def test_pdf_embeds_its_own_font_and_chart_images(brief):
    buffer = io.BytesIO()
    export_pdf(brief, buffer)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("DejaVu" in f for f in fonts)
    assert all(len(reader.pages[i].images) == 2 for i in (1, 2, 3))    # two charts per pillar page


def test_long_text_is_cut_so_nothing_overflows(store):
    b = briefing_data(store, D)
    b.risks.loc[0, "obstacle"] = "Kendala pengadaan " * 200
    buffer = io.BytesIO()
    export_pdf(b, buffer)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    assert len(reader.pages) == 5
    assert reader.pages[4].extract_text().count("Kendala pengadaan") < 20


# -- the PPTX ----------------------------------------------------------------------------------

def test_pptx_has_five_slides_with_titles(deck):
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles == ["Ringkasan Rencana Aksi Smart City", "Pilar Integrasi", "Pilar Kolaborasi",
                      "Pilar Keberlanjutan", "Risiko utama"]
    assert deck.slide_width * 9 == deck.slide_height * 16


def test_every_slide_shows_date_filters_and_source(deck):
    for slide in deck.slides:
        text = _slide_text(slide)
        assert "7 Oktober 2024" in text and "sumber: Bapelitbangda Kotim" in text
        assert "semua pilar, semua OPD" in text


def test_pptx_charts_and_user_text(deck):
    slides = list(deck.slides)
    assert all(sum(s.shape_type == 13 for s in slide.shapes) == 2 for slide in slides[1:4])   # 13 = picture
    risks = _slide_text(slides[4])
    assert "<script>alert(1)</script>" in risks
    assert '=HYPERLINK("http://contoh.invalid","klik")' in risks
    assert "75,0%" in _slide_text(slides[0])


def test_english_briefing_has_english_titles(store):
    b = briefing_data(store, D, lang="en")
    buffer = io.BytesIO()
    export_pptx(b, buffer)
    titles = [s.shapes.title.text for s in Presentation(io.BytesIO(buffer.getvalue())).slides]
    assert titles == ["Smart City action plan: summary", "Integration pillar", "Collaboration pillar",
                      "Sustainability pillar", "Top risks"]
    pdf = io.BytesIO()
    export_pdf(b, pdf)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf.getvalue())).pages]
    assert "Integration pillar" in pages[1] and "7 October 2024" in pages[0] and "Top risks" in pages[4]


# -- the file ----------------------------------------------------------------------------------

def test_render_briefing_picks_the_format_by_suffix(store, tmp_path):
    pdf = render_briefing(store, tmp_path / "briefing.pdf", as_of=D)
    assert pdf.read_bytes().startswith(b"%PDF")
    pptx = render_briefing(store, tmp_path / "out" / "briefing.PPTX", as_of=D, lang="en")
    assert len(Presentation(str(pptx)).slides) == 5
    with pytest.raises(BriefingError) as e:
        render_briefing(store, tmp_path / "briefing.docx", as_of=D)
    assert ".docx" in e.value.message("en")


def test_export_bytes_for_a_download_button(brief):
    from smartcity.briefing import export_bytes

    assert export_bytes(brief, ".pdf").startswith(b"%PDF")
    assert len(Presentation(io.BytesIO(export_bytes(brief, ".PPTX"))).slides) == 5
    with pytest.raises(BriefingError):
        export_bytes(brief, ".docx")


def test_earlier_dates_are_the_briefings_to_compare_with(store):
    from smartcity.briefing import earlier_dates

    assert earlier_dates(store, D) == [BEFORE]
    assert earlier_dates(store, BEFORE) == []


def test_the_risks_as_excel_hold_no_formula(brief):
    # C1's activity came from an agency's file as '=HYPERLINK(...)': in the workbook it is text.
    import openpyxl

    from smartcity.export import Column, table_workbook

    columns = [Column("rank", "count"), Column("status", "status"), Column("activity"), Column("progress", "percent"),
               Column("due_date", "date"), Column("obstacle"), Column("notes"), Column("follow_up"), Column("owner")]
    ws = openpyxl.load_workbook(io.BytesIO(table_workbook(brief.risks, columns))).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert "'" + FORMULA in [c.value for c in cells]
    assert [c.value for c in ws["B"][1:]] == ["Terlambat", "Perlu perhatian"]


def test_an_agency_filter_still_gives_every_page(store):
    # DINKES has integration actions only: the other pillar pages say there is nothing to show
    b = briefing_data(store, D, filters=Filters(agency="DINKES"))
    buffer = io.BytesIO()
    export_pdf(b, buffer)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(buffer.getvalue())).pages]
    assert len(pages) == 5
    assert all("Filter: semua pilar, OPD Dinkes" in page for page in pages)
    assert "Tidak ada aksi terlambat atau perlu perhatian." in pages[2]
    deck = io.BytesIO()
    export_pptx(b, deck)
    assert len(Presentation(io.BytesIO(deck.getvalue())).slides) == 5


def test_chart_labels_are_plain_text():
    # a "$" would start matplotlib's mathtext; labels from data must be drawn as they are
    from smartcity.charts_static import agency_chart, status_chart

    agencies = pd.DataFrame({"agency_short": ["$x^2$ Dinas", "UPT_{a}"], "achievement": [80.0, None],
                             "absorption": [50.0, 20.0], "done": [1, 0], "on_track": [0, 1], "not_started": [0, 0],
                             "at_risk": [0, 0], "late": [0, 0]})
    assert agency_chart(agencies, "integration", 90.0).startswith(b"\x89PNG")
    assert status_chart(agencies).startswith(b"\x89PNG")
