"""The words of the briefing (PDF, slides and the page), as plain text: dates, percentages, changes,
risks, the ranking and the footer. Kept apart from smartcity.charts_static so that the briefing page,
which needs only the words, does not import matplotlib (~0.2 s of a cold page run, issue 7)."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from smartcity.domain import FIELDS_BY_NAME, STATUS_COLORS, Status
from smartcity.formatting import MISSING, format_date, format_number, format_rupiah, format_value, is_missing
from smartcity.i18n import t

if TYPE_CHECKING:
    from smartcity.briefing import Briefing, KpiBrief


# -- words every page repeats ----------------------------------------------------------------

def long_date(day: date, lang: str = "id") -> str:
    """date(2024, 10, 7) -> "7 Oktober 2024" ("7 October 2024" in English), as a briefing writes it."""
    return f"{day.day} {t(f'brief.month_{day.month}', lang)} {day.year}"


def filters_text(briefing: Briefing) -> str:
    """The filters applied, in words: "Filter: semua pilar, semua OPD"."""
    lang, f = briefing.lang, briefing.filters
    pillar = t("brief.filter_pillar", lang, pillar=t(f"pillar.{f.pillar}", lang)) if f.pillar \
        else t("brief.all_pillars", lang)
    if f.agency:
        agency = t("brief.filter_agency", lang, agency=_agency_name(briefing, f.agency))
    else:
        agency = t("brief.all_agencies", lang)
    return t("brief.filters", lang, filters=f"{pillar}, {agency}")


def _agency_name(briefing: Briefing, code: str) -> str:
    found = briefing.total.agencies.loc[briefing.total.agencies["agency_code"] == code, "agency_short"]
    return str(found.iloc[0]) if len(found) else code


# Dot colours of the change kinds: slipping in the status colours, good news in green and blue.
CHANGE_COLORS = {
    "slipped_late": STATUS_COLORS[Status.LATE], "slipped_at_risk": STATUS_COLORS[Status.AT_RISK],
    "removed": "#5f6368", "stalled": STATUS_COLORS[Status.NOT_STARTED], "new": "#7b3fa0",
    "completed": STATUS_COLORS[Status.DONE], "improved": STATUS_COLORS[Status.ON_TRACK], "moved": "#81c995",
}


def plain(value: object, limit: int = 300) -> str:
    """User text as one plain line: control characters and line breaks become spaces, cut at `limit`."""
    if is_missing(value):
        return ""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def pct(value: float | None) -> str:
    """A percentage with one decimal always, so a column of figures lines up: 75 -> "75,0%"."""
    return MISSING if is_missing(value) else f"{format_number(float(value), 1)}%"


def status_name(status: str, lang: str) -> str:
    return t(f"status.{status}", lang)


def kpi_value(k: KpiBrief) -> str:
    return pct(k.value) if k.unit == "percent" else format_value(k.value, k.unit)


def kpi_target(k: KpiBrief) -> str:
    return format_value(k.target, k.unit)


def kpi_change(k: KpiBrief, lang: str) -> str:
    """The change since the previous briefing: "+1,4 poin" for a percentage, "+2" for a count."""
    change = k.change
    if change is None:
        return MISSING
    sign = "+" if change > 0.0005 else ""
    if k.unit == "percent":
        return t("brief.points", lang, value=sign + format_number(round(change, 1), 1))
    if k.unit == "rupiah":
        return sign + format_rupiah(change)
    return sign + format_number(change)


def change_text(row, lang: str) -> str:
    """One change as a line: "Menjadi terlambat: RSUD-04 Pendaftaran pasien (Sesuai jadwal → Terlambat)"."""
    text = f"{t(f'brief.kind.{row.kind}', lang)}: {plain(row.action_code)} {plain(row.activity)}"
    before, after = row.status_before, row.status_after
    if isinstance(before, str) and isinstance(after, str) and before != after:
        text += f" ({status_name(before, lang)} → {status_name(after, lang)})"
    return text


def risk_cells(row, rank: int, lang: str) -> list[str]:
    """A risk as table cells: rank, status, agency, activity, progress, due date, obstacle, follow-up, owner."""
    return [str(rank), status_name(row.status, lang), plain(row.agency_short),
            f"{plain(row.activity)} ({plain(row.action_code)})", pct(row.progress),
            format_date(row.due_date, lang), reason_text(row, lang), plain(row.follow_up) or MISSING,
            plain(row.owner) or MISSING]


def reason_text(row, lang: str) -> str:
    """Why an action is behind: its obstacle (kendala), else its notes marked as such, else "–"."""
    if plain(row.obstacle):
        return plain(row.obstacle)
    if plain(row.notes):
        notes = FIELDS_BY_NAME["notes"]
        return f"{notes.label_en if lang == 'en' else notes.label_id}: {plain(row.notes)}"
    return MISSING


def ranking_rows(briefing: Briefing, max_rows: int) -> list[list[str]]:
    """The agency ranking as table rows (rank, agency, achievement, absorption with its rank).

    When there are more agencies than `max_rows`, the top and the bottom are kept with a "..."
    row between them: leadership asks who leads and who lags.
    """
    ranked = briefing.agencies_by_achievement
    rows = [[str(int(r.rank_achievement)), plain(r.agency_short), pct(r.achievement),
             f"{pct(r.absorption)} (#{int(r.rank_absorption)})"] for r in ranked.itertuples()]
    if len(rows) <= max_rows:
        return rows
    bottom = (max_rows - 1) // 2
    return [*rows[: max_rows - 1 - bottom], ["", "...", "", ""], *rows[len(rows) - bottom:]]


def footer_text(briefing: Briefing) -> str:
    """The line on every page: as-of date, filters, source."""
    return "  |  ".join([t("brief.as_of", briefing.lang, date=long_date(briefing.as_of, briefing.lang)),
                         filters_text(briefing), t("brief.source", briefing.lang)])
