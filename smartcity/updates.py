"""Read model and save handler of the Perbarui Progres page (progress typed in the browser).

`update_table` lists the actions an actor may see for updating, each with the snapshot it shows
(`progress_id`, the base of an edit); `update_page` reads one page of them (an admin may see
100,000: the page reads 200), `find_actions` the few whose code or activity holds a typed text;
`edits_from_table` turns the table as edited into one ProgressEdit per changed row, carrying only
the changed fields; `save_table` saves them through smartcity.progress.save_edits, where
permissions and conflicts are checked.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from smartcity.auth import Actor
from smartcity.kpi import snapshot_dates
from smartcity.progress import EDITABLE, EditOutcome, ProgressEdit, save_edits
from smartcity.store import Store, scope_where

# Shown beside the editable fields, never changed here; the computed status is the one on the edit date.
READ_ONLY = ("action_code", "agency_short", "activity", "target", "unit", "budget", "status")
COLUMNS = (*READ_ONLY, *EDITABLE)


@dataclass(frozen=True)
class EditDates:
    """The data dates a browser edit may be saved for, and the one offered first.

    Never before the latest snapshot (`earliest`), so that an edit is always its action's latest
    state; at most today (or that latest date, when data is dated ahead). The default is today,
    except on the demo database, whose default is its own latest date so the demo stays in its weeks.
    """

    earliest: date
    latest: date
    default: date


def edit_dates(store: Store, today: date | None = None) -> EditDates:
    from smartcity.demo.accounts import is_demo

    today = today or date.today()
    dates = snapshot_dates(store)
    earliest = dates[-1] if dates else today
    latest = max(today, earliest)
    return EditDates(earliest, latest, earliest if is_demo(store) else latest)


def _scope(actor: Actor, pillar: str | None, agency: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause over action_state of the actions `actor` may see, narrowed by the filters (never widened)."""
    where, params = scope_where(pillar, agency)
    if actor.role == "editor":
        return "WHERE list_contains(?, agency_code)" + where, [sorted(actor.agencies), *params]
    return "WHERE true" + where, params


_ORDER = "ORDER BY agency_short, action_code, action_id"


def update_table(store: Store, actor: Actor, as_of: date, pillar: str | None = None,
                 agency: str | None = None, *, action_ids: Iterable[int] | None = None) -> pd.DataFrame:
    """The actions `actor` may update (an editor: its agencies; admin and viewer: all), on `as_of`.

    Indexed by action_id, with COLUMNS and `progress_id` (the snapshot shown), by agency and code.
    `action_ids` keeps only those actions (the ones typed on other pages of the editor).
    A viewer sees every action but may save none (save_edits refuses).
    """
    where, params = _scope(actor, pillar, agency)
    if action_ids is not None:
        where += " AND list_contains(?, action_id)"
        params.append(sorted(int(a) for a in action_ids))
    df = store.query_df(f"SELECT action_id, progress_id, {', '.join(COLUMNS)} FROM {store.state_sql(as_of)} {where} "
                        f"{_ORDER}", params)
    return df.set_index("action_id")


@dataclass(frozen=True)
class UpdatePage:
    """One page of update_table, and how many actions the whole table has."""

    rows: pd.DataFrame             # as update_table
    total: int
    page: int                      # 1-based
    pages: int
    several_agencies: bool         # the whole table holds more than one agency


def update_page(store: Store, actor: Actor, as_of: date, pillar: str | None = None, agency: str | None = None, *,
                page: int = 1, page_size: int = 200) -> UpdatePage:
    """Page `page` (1-based; past the last is the last) of update_table, `page_size` actions, read in one query."""
    where, params = _scope(actor, pillar, agency)
    state = store.state_sql(as_of)
    sql = f"""SELECT action_id, progress_id, {', '.join(COLUMNS)}, count(*) OVER () AS total,
                     min(agency_code) OVER () IS DISTINCT FROM max(agency_code) OVER () AS several
              FROM {state} {where} {_ORDER} LIMIT ? OFFSET ?"""
    page = max(1, int(page))
    df = store.query_df(sql, [*params, page_size, (page - 1) * page_size])
    if df.empty and page > 1:     # fewer actions than when the page was chosen: show the last page
        total = int(store.query_one(f"SELECT count(*) FROM {state} {where}", params)[0])
        page = max(1, -(-total // page_size))
        df = store.query_df(sql, [*params, page_size, (page - 1) * page_size])
    total = int(df["total"].iloc[0]) if len(df) else 0
    several = bool(df["several"].iloc[0]) if len(df) else False
    rows = df.drop(columns=["total", "several"]).set_index("action_id")
    return UpdatePage(rows, total, page, max(1, -(-total // page_size)), several)


def find_actions(store: Store, actor: Actor, as_of: date, text: str, pillar: str | None = None,
                 agency: str | None = None, limit: int = 50) -> pd.DataFrame:
    """Up to `limit` actions of update_table whose code or activity holds `text` (case ignored; empty: none).

    Columns action_id and label ("code · activity"), by agency and code.
    """
    text = (text or "").strip().lower()
    if not text:
        return pd.DataFrame({"action_id": pd.Series(dtype="int64"), "label": pd.Series(dtype="str")})
    where, params = _scope(actor, pillar, agency)
    return store.query_df(
        f"""SELECT action_id, action_code || ' · ' || coalesce(activity, '') AS label FROM {store.state_sql(as_of)}
            {where} AND (contains(lower(action_code), ?) OR contains(lower(coalesce(activity, '')), ?))
            {_ORDER} LIMIT ?""", [*params, text, text, int(limit)])


def _value(value: Any) -> Any:
    """A cell as handed to save_edits: NaN and NA are None, numpy scalars plain Python."""
    if value is None or isinstance(value, str):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value.item() if hasattr(value, "item") else value


def _cell(value: Any) -> Any:
    """A cell as compared: empty text is None, text is stripped, numbers are floats."""
    value = _value(value)
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def edits_from_table(table: pd.DataFrame, edited: pd.DataFrame,
                     bases: dict[int, int] | None = None) -> list[ProgressEdit]:
    """One ProgressEdit per row of `edited` whose editable fields differ from `table`, with only those fields.

    `table` is update_table's result (its `progress_id` is each edit's base unless `bases` names
    another: the snapshot the editor saw when they started typing); rows of `edited` not in
    `table` are ignored.
    """
    bases = bases or {}
    edits = []
    for action_id, row in edited.loc[_maybe_changed(table, edited)].iterrows():
        shown = table.loc[action_id]
        changed = {f: _value(row[f]) for f in EDITABLE if f in row.index and _cell(row[f]) != _cell(shown[f])}
        if changed:
            edits.append(ProgressEdit(int(action_id), int(bases.get(action_id, shown["progress_id"])), changed))
    return edits


def _maybe_changed(table: pd.DataFrame, edited: pd.DataFrame) -> pd.Index:
    """The rows of `edited` (those in `table`) with an editable cell that is not the very value shown.

    A superset of the changed rows (a value typed again with spaces is still compared by _cell),
    found column by column: an editor's table may hold 100,000 actions (issue 7).
    """
    rows = edited.index[edited.index.isin(table.index)]
    ours, theirs = edited.loc[rows], table.loc[rows]
    differ = np.zeros(len(rows), dtype=bool)
    for name in EDITABLE:
        if name not in ours.columns:
            continue
        mine, shown = ours[name].to_numpy(dtype=object), theirs[name].to_numpy(dtype=object)
        mine_na, shown_na = pd.isna(mine), pd.isna(shown)
        both = ~mine_na & ~shown_na
        same = mine_na & shown_na
        same[both] = (mine[both] == shown[both]).astype(bool)
        differ |= ~same
    return rows[differ]


def save_table(store: Store, actor: Actor, table: pd.DataFrame, edited: pd.DataFrame, as_of: date, *,
               bases: dict[int, int] | None = None,
               evidence: tuple[int, str, bytes] | None = None) -> list[EditOutcome]:
    """Save the changed rows of `edited` as of `as_of`; `evidence` (action_id, file name, bytes) goes with one action.

    The evidence's action may be one `table` does not hold (the editor shows a page of the actions).
    Raises PermissionDenied (nothing written) when a changed action belongs to an agency `actor`
    may not write. Returns one outcome per saved, conflicting, invalid or unchanged action.
    """
    edits = edits_from_table(table, edited, bases)
    if evidence is not None:
        action_id, name, content = evidence
        edit = next((e for e in edits if e.action_id == action_id), None)
        if edit is None and action_id not in table.index:   # found by a search, not on the page: its row as shown
            table = update_table(store, actor, as_of, action_ids=[action_id])
        if edit is None and action_id in table.index:
            edit = ProgressEdit(int(action_id), int((bases or {}).get(action_id, table.loc[action_id, "progress_id"])), {})
            edits.append(edit)
        if edit is not None:
            edit.evidence = (name, content)
    return save_edits(store, actor, edits, as_of)
