"""The rows of a large sheet, validated column by column (see smartcity.ingest.bulk).

`read_bulk` applies the rules of smartcity.ingest.rows.RowReader to whole Arrow columns: the
same parsers run once per distinct text (a column of 100,000 rows holds few distinct agency,
pillar, unit or status texts), numbers and dates are taken as typed, and every rule (required
values, negatives, pillar and agency known, the quarter rule, duplicate codes) is a mask. A row
is settled here only when nothing about it needs a message: every row that would be rejected,
give a warning, or is not an ordinary action row (sections, totals, notes, signatures) is read
by the ordinary row reader, in its place in the sheet, so that section rows still set the
pillar or agency of the rows below and messages are word for word those of the ordinary path.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smartcity.domain import QUARTER_FIELDS, SPENT_QUARTER_FIELDS

from .bulk import NotBulk
from .layout import TARGET_QUARTERS, field_kind
from .numbers import BadCell, parse_date, parse_number
from .rows import MAX_TEXT, NON_NEGATIVE, TEXT_BLANKS, match_direction, match_status, quarter_rule
from .sections import _outline_or_total, pillar_in_cell

_TEXT_BAD = r"[\x00\x1c-\x1f]"   # NUL, and separators Python strips but Arrow does not
_BAD_CHAR = re.compile(rb"[\x00\x1c-\x1f]")
# What str.split() splits on (str.isspace); Arrow's trim knows all of them but \x1c-\x1f.
_SPACE = "[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# Every character utf8_trim_whitespace removes (Unicode White_Space), and the old U+180E besides.
_EDGE_SPACE = "^[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u180e\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]|" \
              "[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u180e\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]$"
_SAMPLE_ROWS = 2_000
COLUMN_THREADS = 2
_DERIVED = ("pillar", "agency", "agency_code", "status", "direction", "quarter_rule", "actual_source", "actual")


def read_bulk(sheet, table, reader, state, step) -> pa.Table | None:
    """Read the sheet's rows below the header; returns the settled action rows as an Arrow table
    (one column per value name, plus "sheet" and "row"), or None when there are none. `step(r, row)`
    reads one row (0-based number, list of cells) the ordinary way; `state` carries the sheet's
    context (`ctx`), the seen codes (`reader.seen`) and the totals. Raises NotBulk before reading
    any row when the sheet must be read the ordinary way."""
    data = sheet.bulk.load(*load_arguments(sheet, table))
    if data.num_rows == 0:
        return None
    uncached = _uncached_rows(sheet, table)
    columns = _Columns(data, table, reader, sheet)
    if uncached:
        columns.bad[np.fromiter((r - table.data_start for r in uncached if r >= table.data_start), dtype=np.int64)] = True
    return _walk(sheet, table, reader, state, step, columns)


def load_arguments(sheet, table) -> tuple[int, dict[int, str], int]:
    """(first data row, our columns' kinds, the header's width): what BulkSource.load reads."""
    kinds = {c.index: _kind(c.field) for c in table.columns if c.field}
    width = max([len(r) for r in sheet.rows[:table.data_start]] + [c.index + 1 for c in table.columns])
    return table.data_start, kinds, width


def _kind(field: str) -> str:
    kind = field_kind(field)
    return "number" if kind in ("number", "money", "percent") else "date" if kind == "date" else "text"


def _uncached_rows(sheet, table) -> set[int]:
    """Rows holding a formula saved without a value in one of our columns."""
    if not getattr(sheet, "has_formula", True) or not sheet.formula_cells:
        return set()
    ours = {c.index for c in table.columns if c.field}
    return {r for r, c in sheet.formula_cells() if c in ours}


class _Columns:
    """Every field of the table as an Arrow array of canonical values, and the rows to read one by one."""

    def __init__(self, data: pa.Table, table, reader, sheet):
        self.n = data.num_rows
        self.data, self.table, self.reader = data, table, reader
        self.bad = np.zeros(self.n, dtype=bool)
        self._bad_lock = threading.Lock()
        percent = sheet.percent_cells() if sheet.percent_cells else set()
        fields = [column for column in table.columns if column.field]
        # Each column on its own, two at a time: Arrow's compute functions let go of the interpreter, so
        # the columns share the machine's cores (the rules of a 100,000-row sheet: ~0.13 -> ~0.08 s).
        # Beside them, the rows whose code cell alone makes them data rows (_simple, for _walk).
        code = table.fields["code"]
        with ThreadPoolExecutor(COLUMN_THREADS) as pool:
            simple = pool.submit(_simple, self._raw(code.index), code.header.split(" / ")[-1].strip().lower())
            values = list(pool.map(lambda column: self._column(column, percent), fields))
            self.simple: np.ndarray = simple.result()
        self.values: dict[str, pa.Array] = {column.field: value for column, value in zip(fields, values)}
        self._derive()

    def _column(self, column, percent) -> pa.Array:
        raw = self._raw(column.index)
        kind = field_kind(column.field)
        if kind in ("number", "money", "percent"):
            return self._number(raw, column, kind, percent)
        if kind == "date":
            return self._date(raw, column.field == "due_date")
        text = self._text(raw)
        if kind in ("pillar", "status") or column.field == "direction":
            na = pc.equal(pc.utf8_lower(text), "na")
            if pc.any(na).as_py():
                text = pc.if_else(na, pa.scalar(None, pa.string()), text)
        return text

    def _raw(self, index: int) -> pa.Array:
        name = str(index)
        if name not in self.data.column_names:
            return pa.nulls(self.n, pa.string())
        return self.data.column(name).combine_chunks()

    def _mark(self, mask) -> None:
        mask = np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)
        with self._bad_lock:  # columns are read on several threads
            self.bad |= mask

    def _map(self, raw: pa.Array, parse, out_type) -> pa.Array:
        """parse() once per distinct value; a BadCell marks the rows holding that value."""
        distinct = pc.unique(raw).drop_null()
        parsed, failed = [], []
        for value in distinct.to_pylist():
            try:
                parsed.append(parse(value))
            except (BadCell, ValueError, OverflowError, TypeError):
                parsed.append(None)
                failed.append(value)
        index = pc.index_in(raw, value_set=distinct)
        if failed:
            self._mark(pc.is_in(raw, value_set=pa.array(failed, raw.type)))
        return pc.take(pa.array(parsed, out_type), index)

    def _number(self, raw, column, kind, percent) -> pa.Array:
        t = raw.type
        if pa.types.is_null(t):
            return pa.nulls(self.n, pa.float64())
        if pa.types.is_integer(t) or pa.types.is_floating(t):
            values = pc.cast(raw, pa.float64())
        elif pa.types.is_string(t) or pa.types.is_large_string(t):
            decimal = self.reader.decimal
            values = self._map(pc.if_else(pc.equal(raw, ""), pa.scalar(None, t), raw),
                               lambda v: parse_number(v, decimal=decimal), pa.float64())
        else:  # booleans, dates or times in a number column: the row reader says what is wrong
            self._mark(pc.is_valid(raw))
            return pa.nulls(self.n, pa.float64())
        scale = column.scale if kind == "money" else 1.0
        if scale != 1.0:
            return pc.multiply(values, scale)
        rows = [r - self.table.data_start for r, c in percent if c == column.index and r >= self.table.data_start]
        rows = [r for r in rows if r < self.n]
        if rows:
            factor = np.ones(self.n)
            factor[rows] = 100.0
            values = pc.multiply(values, pa.array(factor))
        return values

    def _date(self, raw, end: bool) -> pa.Array:
        t = raw.type
        if pa.types.is_null(t):
            return pa.nulls(self.n, pa.date32())
        if pa.types.is_timestamp(t) or pa.types.is_date(t):
            return pc.cast(pc.floor_temporal(raw, unit="day") if pa.types.is_timestamp(t) else raw, pa.date32())
        if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_floating(t) or pa.types.is_integer(t):
            if pa.types.is_string(t) or pa.types.is_large_string(t):
                raw = pc.if_else(pc.equal(raw, ""), pa.scalar(None, t), raw)
            return self._map(raw, lambda v: parse_date(v, end=end), pa.date32())
        self._mark(pc.is_valid(raw))
        return pa.nulls(self.n, pa.date32())

    def _text(self, raw) -> pa.Array:
        t = raw.type
        if pa.types.is_null(t):
            return pa.nulls(self.n, pa.string())
        if pa.types.is_floating(t) or pa.types.is_integer(t):
            return self._map(raw, _number_text, pa.string())
        if not (pa.types.is_string(t) or pa.types.is_large_string(t)):
            self._mark(pc.is_valid(raw))
            return pa.nulls(self.n, pa.string())
        raw = pc.cast(raw, pa.string())
        # Most columns hold few distinct texts (agency, pillar, unit, status, owner...): the rules then
        # run once per distinct text, and their results are spread over the rows (the same values).
        # A column whose first rows are mostly distinct (activity, indicator, notes) is not encoded: its
        # dictionary would be a second copy of the column, let go at once.
        sample = raw.slice(0, _SAMPLE_ROWS)
        if pc.count_distinct(sample).as_py() * 4 <= max(len(sample), 1):
            encoded = pc.dictionary_encode(raw)
            if len(encoded.dictionary) * 4 <= self.n:
                text, bad = _text_rules(encoded.dictionary)
                if bad.any():
                    self._mark(pc.take(pa.array(bad), encoded.indices))
                return raw if _same(text, encoded.dictionary) else pc.take(text, encoded.indices)
            del encoded
        text, bad = _text_rules(raw)
        if bad.any():
            self._mark(pa.array(bad))
        # The texts as written, where the rules changed none of them (the usual case): the column read
        # is kept once, not twice (a 100,000-row sheet's text columns are ~20 MB).
        return raw if _same(text, raw) else text

    def _derive(self) -> None:
        """The row reader's derived values and rules (RowReader._pillar .. _warnings), as masks."""
        v, n, reader = self.values, self.n, self.reader
        nulls = {"s": pa.nulls(n, pa.string()), "f": pa.nulls(n, pa.float64())}
        agency = v.get("agency", nulls["s"])

        def rule_by_row():
            if reader.quarter_rule:
                return pa.array([reader.quarter_rule] * n, pa.string())
            unit = pc.fill_null(v.get("unit", nulls["s"]), "")
            indicator = pc.fill_null(v.get("indicator", nulls["s"]), "")
            pairs = pc.binary_join_element_wise(unit, indicator, "\x00")
            return self._map(pairs, lambda x: quarter_rule(*x.split("\x00", 1)), pa.string())

        with ThreadPoolExecutor(COLUMN_THREADS) as pool:  # five independent lookups, two at a time
            pillar = pool.submit(self._map, v.get("pillar", nulls["s"]), lambda x: _known(pillar_in_cell(x)).value,
                                 pa.string())
            code = pool.submit(self._map, agency, lambda x: _known(reader._resolve(x)), pa.string())
            status = pool.submit(self._map, v.get("status", nulls["s"]), lambda x: _known(match_status(x)).value,
                                 pa.string())
            direction = pool.submit(self._map, v.get("direction", nulls["s"]), lambda x: _known(match_direction(x)),
                                    pa.string())
            rule = pool.submit(rule_by_row)
            v["agency_code"], v["agency"], v["pillar"] = code.result(), agency, pillar.result()
            v["status"], v["direction"] = status.result(), pc.fill_null(direction.result(), "higher")
            rule = v["quarter_rule"] = rule.result()
        latest = pc.equal(rule, "latest")
        actual = v.get("actual", nulls["f"])
        v["actual_source"] = pc.if_else(pc.is_valid(actual), "column", pa.scalar(None, pa.string()))
        if "actual" not in v:
            v["actual"] = actual
        quarters = [v[q] for q in QUARTER_FIELDS if q in v]
        if quarters:
            derived, any_reported = _by_rule(quarters, latest)
            v["actual_source"] = pc.if_else(pc.is_valid(actual), "column",
                                            pc.if_else(any_reported, "quarters", pa.scalar(None, pa.string())))
            v["actual"] = pc.coalesce(actual, derived)
        spent = [v[q] for q in SPENT_QUARTER_FIELDS if q in v]
        if spent:
            total, _ = _by_rule(spent, pa.array([False] * n))
            v["budget_spent"] = pc.coalesce(v.get("budget_spent", nulls["f"]), total)
        if reader.target_quarters:
            target = v.get("target", nulls["f"])
            planned = [v[q] for q in TARGET_QUARTERS if q in v]
            derived, any_planned = _by_rule(planned, latest)
            v["target_source"] = pc.if_else(pc.is_valid(target), "column",
                                            pc.if_else(any_planned, "quarters", pa.scalar(None, pa.string())))
            v["target"] = pc.coalesce(target, derived)
        for name in ("code", "activity", "target"):
            self._mark(pc.is_null(v.get(name, nulls["s"])))
        for name in NON_NEGATIVE:
            if name in v:
                self._mark(pc.less(v[name], 0))
        if "budget" in v and "budget_spent" in v:
            self._mark(pc.greater(v["budget_spent"], v["budget"]))
        target = v["target"]
        self._mark(pc.and_(pc.greater(target, 0), pc.greater(v["actual"], pc.multiply(target, 2))))


def _same(text: pa.Array, raw: pa.Array) -> bool:
    """Whether the rules' texts are the texts as written (none trimmed or made blank)."""
    return text.null_count == raw.null_count and pc.all(pc.equal(text, raw)).as_py() is not False


def _text_rules(raw: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """(each text trimmed, None for a blank; the texts the row reader must judge: control characters,
    a leading apostrophe, longer than MAX_TEXT), value by value, as RowReader reads a text cell."""
    bad = np.zeros(len(raw), dtype=bool)
    data = raw.buffers()[2]
    # Searched where Arrow holds it (a copy of a column's texts as one bytes object was ~10 MB)
    if data is not None and _BAD_CHAR.search(memoryview(data)):  # rare: then a regex per row
        bad |= _bools(pc.match_substring_regex(raw, _TEXT_BAD))
    # Trimmed (a new copy of every text) only when some text begins or ends with a space: the usual
    # column has none. _EDGE_SPACE's set holds every character Arrow's trim removes, and more.
    text = pc.utf8_trim_whitespace(raw) if pc.any(pc.match_substring_regex(raw, _EDGE_SPACE)).as_py() else raw
    bad |= _bools(pc.starts_with(text, "'"))
    length = pc.utf8_length(text)
    if (pc.max(length).as_py() or 0) > MAX_TEXT:
        bad |= _bools(pc.greater(length, MAX_TEXT))
    # "-", "n/a", "null" ... (TEXT_BLANKS) in any case: lower-cased only where the text is that short
    short = np.flatnonzero(_bools(pc.less_equal(length, 14)))
    blank = _bools(pc.equal(text, ""))
    if len(short):
        lowered = pc.utf8_lower(pc.take(text, pa.array(short)))
        blank[short] |= _bools(pc.is_in(lowered, value_set=pa.array(sorted(TEXT_BLANKS))))
    return (pc.if_else(pa.array(blank), pa.scalar(None, pa.string()), text) if blank.any() else text), bad


def _known(value):
    if value is None:
        raise ValueError("unknown")
    return value


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _by_rule(arrays: list[pa.Array], latest: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(the year's figure from its quarters, whether any quarter is reported), row by row:
    the latest reported quarter where `latest`, else the sum of those reported."""
    stacked = np.vstack([a.to_numpy(zero_copy_only=False).astype(float) for a in arrays])
    reported = ~np.isnan(stacked)
    any_reported = reported.any(axis=0)
    total = np.where(reported, stacked, 0.0).sum(axis=0)
    last_index = len(arrays) - 1 - np.argmax(reported[::-1], axis=0)
    last = stacked[last_index, np.arange(stacked.shape[1])]
    use_latest = np.asarray(latest.to_numpy(zero_copy_only=False), dtype=bool)
    figure = np.where(use_latest, last, total)
    return pa.array(figure, pa.float64(), mask=~any_reported), pa.array(any_reported)


def _simple(raw: pa.Array, code_header: str) -> np.ndarray:
    """Rows that smartcity.ingest.sections.classify takes for data by their code cell alone (and
    that are not the header repeated): the only rows settled here."""
    t = raw.type
    if pa.types.is_floating(t) or pa.types.is_integer(t):
        return np.asarray(pc.is_valid(raw).to_numpy(zero_copy_only=False), dtype=bool)
    if not (pa.types.is_string(t) or pa.types.is_large_string(t)):
        return np.zeros(len(raw), dtype=bool)
    text = pc.utf8_trim_whitespace(raw)
    ok = pc.and_(pc.greater(pc.utf8_length(text), 0), pc.invert(pc.match_substring_regex(text, _SPACE)))
    ok = pc.and_(ok, pc.invert(pc.match_substring_regex(raw, "[\x1c-\x1f]")))
    if code_header:
        ok = pc.and_(ok, pc.not_equal(pc.utf8_lower(text), code_header))
    mask = np.asarray(pc.fill_null(ok, False).to_numpy(zero_copy_only=False), dtype=bool)
    # The costly checks (numbering like "IV", totals like "JUMLAH") only for the few codes that may be one.
    short = pc.less_equal(pc.utf8_length(text), 6)
    total_like = pc.match_substring_regex(pc.utf8_lower(text), r"^(jum|tot|sub|jml|gra)")
    suspects = np.flatnonzero(mask & np.asarray(pc.fill_null(pc.or_(short, total_like), False)
                                                .to_numpy(zero_copy_only=False), dtype=bool))
    if len(suspects):
        texts = pc.take(text, pa.array(suspects)).to_pylist()
        for i, code in zip(suspects, texts):
            if _outline_or_total(code):
                mask[i] = False
    return mask


def _walk(sheet, table, reader, state, step, columns: _Columns) -> pa.Table | None:
    """The rows in sheet order: the rows the masks settle in stretches (their codes registered, their
    budgets added to the running totals), every other row through `step` in its place."""
    start, n = table.data_start, columns.n
    seen, sheet_name, totals = reader.seen, reader.sheet, state.totals
    codes = columns.values["code"]
    fast = columns.simple & ~columns.bad
    # A code seen before (in an earlier sheet, or on any row above) is settled by the row reader,
    # which says duplicate or not; marking too many only costs time.
    repeated = pc.is_in(codes, value_set=seen.code_array()) if seen else pa.array([False] * n)
    fast &= ~(_bools(repeated) | _repeated_below(codes))
    agency_missing, pillar_missing = _bools(pc.is_null(columns.values["agency_code"])), _bools(pc.is_null(columns.values["pillar"]))
    budget = columns.values.get("budget")
    budgets = np.nan_to_num(budget.to_numpy(zero_copy_only=False).astype(float)) if budget is not None else np.zeros(n)
    materialise = _Rows(columns.data, start)
    settled, contexts, ctx_list = [], [], [state.ctx]

    def settle(first: int, end: int) -> None:
        """Rows first..end-1 (0-based below the header) settled."""
        if end <= first:
            return
        seen.add_block(codes.slice(first, end - first), sheet_name, start + first + 1)  # code -> (sheet, row number)
        if state.ctx is not ctx_list[-1]:
            ctx_list.append(state.ctx)
        rows = np.arange(first, end)
        settled.append(rows)
        contexts.append(np.full(len(rows), len(ctx_list) - 1))
        total = float(budgets[first:end].sum())
        totals.rows_since += len(rows)
        totals.since += total
        totals.sheet_sum += total

    position = 0
    for k in [*np.flatnonzero(~fast).tolist(), n]:
        if k > position:
            stretch = np.arange(position, k)
            ctx = state.ctx  # data rows never change it: constant over the stretch
            lacking = np.zeros(len(stretch), dtype=bool)
            if ctx.agency_code is None:
                lacking |= agency_missing[position:k]
            if ctx.pillar is None:
                lacking |= pillar_missing[position:k]
            cut = position
            for i in (stretch[lacking].tolist() if lacking.any() else []):
                settle(cut, i)
                step(start + i, materialise(i))
                cut = i + 1
            settle(cut, k)
        if k < n:
            step(start + k, materialise(k))
        position = k + 1
    if not settled:
        return None
    return _settled_table(columns, np.concatenate(settled), np.concatenate(contexts), ctx_list, sheet_name, start)


def _repeated_below(codes: pa.Array) -> np.ndarray:
    """Rows whose code is on a row above too."""
    distinct = pc.unique(codes).drop_null()
    if len(distinct) == len(codes) - codes.null_count:  # every code once (the usual case)
        return np.zeros(len(codes), dtype=bool)
    ids = pc.index_in(codes, value_set=distinct).to_numpy(zero_copy_only=False)
    valid = ~np.isnan(ids.astype(float))
    repeated = valid.copy()
    _values, first = np.unique(ids[valid].astype(np.int64), return_index=True)
    repeated[np.flatnonzero(valid)[first]] = False
    return repeated


def _bools(array) -> np.ndarray:
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _settled_table(columns: _Columns, settled, contexts, ctx_list, sheet_name, start) -> pa.Table:
    take = pa.array(settled, pa.int64())
    if len(settled) == columns.n:  # every row, in order (settled rows only grow): the columns as they are
        v = dict(columns.values)
    else:
        v = {name: pc.take(array, take) for name, array in columns.values.items()}
    ctx_index = pa.array(contexts, pa.int64())
    if len(ctx_list) == 1:
        ctx = ctx_list[0]
        ctx_pillar = pa.scalar(ctx.pillar.value if ctx.pillar else None, pa.string())
        ctx_name, ctx_code = pa.scalar(ctx.agency_name, pa.string()), pa.scalar(ctx.agency_code, pa.string())
    else:
        ctx_pillar = pc.take(pa.array([c.pillar.value if c.pillar else None for c in ctx_list], pa.string()), ctx_index)
        ctx_name = pc.take(pa.array([c.agency_name for c in ctx_list], pa.string()), ctx_index)
        ctx_code = pc.take(pa.array([c.agency_code for c in ctx_list], pa.string()), ctx_index)
    written = pc.is_valid(v["agency_code"])
    v["pillar"] = pc.coalesce(v["pillar"], ctx_pillar)
    v["agency"] = pc.if_else(written, v["agency"], ctx_name)
    v["agency_code"] = pc.if_else(written, v["agency_code"], ctx_code)
    v["sheet"] = pa.array([sheet_name] * len(settled), pa.string())
    v["row"] = pc.add(take, start + 1)
    return pa.table(v)


class _Rows:
    """Row i of the Arrow data as the list of cells calamine gives (empty cells as "")."""

    # Rows asked for one by one before the columns are turned into Python lists once: a cell at a time
    # costs ~3 us, a whole column ~0.1 us a cell (a file with 10,000 rows to read one by one: 0.7 s).
    LISTS_AFTER = 200

    def __init__(self, data: pa.Table, start: int):
        self.start = start
        self.width = max(int(name) for name in data.column_names) + 1
        self.columns = [(int(name), data.column(name)) for name in data.column_names]
        self.asked = 0
        self.lists = None

    def __call__(self, i: int) -> list:
        self.asked += 1
        if self.lists is None and self.asked > self.LISTS_AFTER:
            self.lists = [(index, column.to_pylist()) for index, column in self.columns]
        row = [""] * self.width
        for index, column in self.lists or self.columns:
            value = column[i] if self.lists else column[i].as_py()
            if value is None:
                continue
            if isinstance(value, dt.datetime) and value.time() == dt.time(0):
                value = value.date()
            elif isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            row[index] = value
        return row
