"""`python -m smartcity briefing --out FILE.pdf|FILE.pptx`: the same briefing files as the page, made from
the command line (so they can be produced on a schedule), on the small plan of tests/ui_fixtures.py.

A4 landscape is 297 x 210 mm = 841.9 x 595.3 pt.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from tests.ui_fixtures import plan_db

ROOT = Path(__file__).resolve().parent.parent


def briefing(db: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "smartcity", *extra, "briefing", "--out", str(out), "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return plan_db(tmp_path_factory.mktemp("cli_briefing") / "plan.duckdb")


@pytest.fixture(scope="module")
def pdf(db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    done = briefing(db, out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"briefing written to {out}"
    return out


def test_the_pdf_is_a4_landscape_on_every_page(pdf):
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 3                                      # summary, pillars, risks
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height
        assert (width, height) == (pytest.approx(841.9, abs=1), pytest.approx(595.3, abs=1))


def test_the_pdf_names_the_date_the_pillars_and_the_source(pdf):
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "7 Oktober 2024" in text
    for pillar in ("Integrasi", "Kolaborasi", "Keberlanjutan"):
        assert pillar in text
    assert "57,9%" in text                                             # the overall achievement
    assert all("Bapelitbangda Kotim" in page.extract_text() for page in PdfReader(pdf).pages)


def test_the_pptx_has_its_slides_with_titles(db, tmp_path):
    out = tmp_path / "briefing.pptx"
    done = briefing(db, out, "--lang", "en")
    assert done.returncode == 0, done.stderr
    deck = Presentation(str(out))
    assert deck.slide_width > deck.slide_height                        # landscape slides
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert len(deck.slides) >= 5 and len(titles) == len(deck.slides)
    assert any("Integration" in title for title in titles)


def test_an_unknown_format_is_a_message_not_a_traceback(db, tmp_path):
    done = briefing(db, tmp_path / "briefing.docx")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and not (tmp_path / "briefing.docx").exists()
