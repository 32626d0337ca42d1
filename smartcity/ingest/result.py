"""What ingesting one file returns: loaded action rows, rejected rows with reasons, file errors.

The ingester never writes; `smartcity.store.record_upload` stores an IngestResult in one
transaction. Every message is kept as a key + params so it can be shown in either language.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smartcity.i18n import t


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    `row` is the 1-based row number as the user sees it in the spreadsheet program;
    `column` is the column's header text as written in the file (or its letter when it
    has no header). `key` names a message in smartcity.i18n.
    """

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def message(self, lang: str = "id") -> str:
        """The message alone, in `lang`."""
        return t(self.key, lang, **self.params)

    def located(self, lang: str = "id") -> str:
        """The message prefixed with file, sheet, row and column."""
        parts = []
        labels = {"id": ("Berkas", "Lembar", "Baris", "Kolom"), "en": ("File", "Sheet", "Row", "Column")}
        lf, ls, lr, lc = labels["en" if lang == "en" else "id"]
        if self.file:
            parts.append(f"{lf} {self.file}")
        if self.sheet:
            parts.append(f"{ls} {self.sheet}")
        if self.row is not None:
            parts.append(f"{lr} {self.row}")
        if self.column:
            parts.append(f"{lc} {self.column}")
        where = ", ".join(parts)
        return f"{where}: {self.message(lang)}" if where else self.message(lang)


@dataclass
class ActionRow:
    """One action read from a file, with its values parsed into canonical fields.

    `values` maps each field name from smartcity.domain.FIELDS that the file has to a parsed
    value (str, float, datetime.date or None; codes always str), plus, always:
    "agency_code" (a registry code), "pillar" (a Pillar value or None), "status" (a Status
    value or None: the agency's reported status), "direction" ("higher"/"lower"),
    "quarter_rule" ("sum"/"latest"), "actual" (derived from the quarters when the row has
    none) and "actual_source" ("column", "quarters" or None); and, when the file has
    quarterly targets, "target_q1".."target_q4" and "target_source".
    """

    sheet: str
    row: int
    values: dict[str, Any]


@dataclass
class RejectedRow:
    """A row that could not be loaded: its raw cells (header -> text) and every reason."""

    sheet: str
    row: int
    raw: dict[str, str]
    problems: list[Problem]


@dataclass
class IngestResult:
    """The outcome of reading one file. `file_problems` non-empty means rejected whole."""

    file_name: str
    sha256: str
    size: int
    actions: list[ActionRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    format: str | None = None  # what the content was sniffed as: xlsx, xlsm, xls, ods, csv

    @property
    def rejected_whole(self) -> bool:
        return bool(self.file_problems)

    def all_problems(self) -> list[Problem]:
        """File problems first, then each rejected row's problems in row order."""
        out = list(self.file_problems)
        for r in self.rejected:
            out.extend(r.problems)
        return out


class ActionTable:
    """The action rows of a file read in bulk (smartcity.ingest.bulk): a list of ActionRow to
    every reader (len, iteration, indexing give ActionRow objects made on demand), held as Arrow
    tables so that loading 100,000 rows never makes 100,000 Python objects.

    `tables` are (Arrow table, value names, optional names) per bulk-read sheet: one column per
    value name plus "sheet" and "row"; an optional name is left out of a row's values where it is
    empty, as the row reader does. `rows` are the ActionRow objects read one by one (other sheets,
    and the rows of a bulk sheet the column rules could not settle); every row without a pillar is
    among them, so code that fills or holds pillars changes `rows` only (see `loose_rows`).
    """

    def __init__(self, tables: list | None = None, rows: list | None = None):
        self.tables = list(tables or [])
        self.rows = list(rows or [])

    def __len__(self) -> int:
        return sum(t.num_rows for t, _k, _o in self.tables) + len(self.rows)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self):
        for table, keys, optional in self.tables:
            for batch in table.to_batches(max_chunksize=4096):
                for record in batch.to_pylist():
                    values = {k: record[k] for k in keys if k not in optional or record[k] is not None}
                    yield ActionRow(record["sheet"], record["row"], values)
        yield from self.rows

    def __getitem__(self, index: int) -> ActionRow:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += len(self)
        for table, keys, optional in self.tables:
            if index < table.num_rows:
                record = table.slice(index, 1).to_pylist()[0]
                values = {k: record[k] for k in keys if k not in optional or record[k] is not None}
                return ActionRow(record["sheet"], record["row"], values)
            index -= table.num_rows
        return self.rows[index]

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def column(self, name: str) -> set:
        """The distinct values of one value name over every row (e.g. "agency_code")."""
        found = set()
        for table, _keys, _optional in self.tables:
            found.update(table.column(name).unique().to_pylist())
        found.update(row.values.get(name) for row in self.rows)
        return found


def loose_rows(actions) -> list:
    """The rows whose values may be changed in place: every row of a list, the one-by-one rows of
    an ActionTable (its Arrow rows all have their pillar and agency)."""
    return actions.rows if isinstance(actions, ActionTable) else actions
