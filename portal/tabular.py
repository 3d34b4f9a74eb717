"""Excel and CSV writing for every export (DOMAIN §8), following Chinese financial report
conventions: a title row centred across the columns, the unit line (单位：元), a frozen
header row with auto-filter, a 序号 column, amounts as `#,##0.00`, a 合计 row and a footer
with 制表人 / 审核人 / 负责人 and 制表单位 / 制表时间. Workbooks are written by XlsxWriter in
constant_memory mode (rows stream to a temporary file per sheet, memory stays flat; formats
are built once per kind of cell; a plain data row goes in as XlsxWriter's own XML, written
by portal.sheet_rows); openpyxl is kept for reading (imports, templates). A sheet
still hands over as is (`SheetWriter`): the title merged and centred, printed landscape on A4
fitted to the page width with the title and header rows repeated on every page, column widths
fitted to the content (a CJK character counts as two; measured on the header and the first
SAMPLE_ROWS rows), 年度 written as a number (kind "year"), amounts in 元 or 万元
(portal.formatting). Every export file is named by `export_filename`.

Formula injection: a text cell beginning with = + - @ (or a tab / carriage return) is
written as text, never as a formula — for .xlsx every string goes through write_string and
formula-like text carries Excel's quote prefix ('=…, kept if the user edits the cell); for
.csv through `csv_text`. Every export of the portal writes its cells through this module.

Characters XML 1.0 forbids (control characters such as \x0b or \x01, which a stored name, a
failed-login username or a logged path may hold) cannot be written to .xlsx: `xml_safe` writes
each as its visible escape (`\x0b`), so one such value never fails a whole export.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from operator import itemgetter

import xlsxwriter
from django.utils import timezone

from portal.formatting import YUAN, Unit, in_unit
from portal.sheet_layout import (
    SAMPLE_ROWS,
    SHOWN_WIDTH,
    align,
    as_year,
    display_width,
    fitted_width,
    page_setup,
    shown_width,
    signature_line,
    unit_line,
)
from portal.sheet_rows import RowWriter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
AMOUNT_FORMAT = "#,##0.00"
YEAR_FORMAT = "0"
FORMATS = {"money": AMOUNT_FORMAT, "int": "#,##0", "date": "yyyy-mm-dd", "rate": "0.0%", "year": YEAR_FORMAT}
WAN_FORMAT = "#,##0.0000"  # 万元 keeps the amount exact to the 元
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"

BORDER = {"border": 1, "border_color": "#999999"}  # thin, grey, on every side of a table cell
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # what XML 1.0 forbids
INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def xml_safe(value: str) -> str:
    """`value` with every character XML 1.0 forbids written as its escape (\x0b)."""
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def decimal_text(value: Decimal) -> str:
    """An amount in a CSV field: plain digits, never an exponent (Decimal("1E+2") → "100")."""
    return format(value, "f")


def csv_text(value) -> str:
    """A CSV field that a spreadsheet will not evaluate: formula-like text gets a leading '.
    (`_csv_safe` skips only the columns this leaves unchanged: keep the two in step.)"""
    kind = type(value)
    if kind is str:  # the common case first (exports write millions of fields)
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if kind is Decimal:
        return decimal_text(value)
    if value is None:
        return ""
    if kind is date:
        return value.isoformat()
    if kind is int:
        return str(value) if value >= 0 else "'" + str(value)  # "-5" would be read as a formula
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else \
            value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return decimal_text(value)
    text = str(value)
    return "'" + text if is_formula_like(text) else text


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text | money | int | date | datetime | rate | year (a number, no separator)
    width: int = 14  # unused by SheetWriter, which fits widths to the content
    total: bool = False  # summed in the 合计 row
    ratio: tuple[int, int] | None = None  # 合计 row: column[a] / column[b] (indexes in the row)


class SheetWriter:
    """One sheet: title, unit line, header, rows (序号 added), 合计 row, footer. Rows go straight
    to XlsxWriter's per-sheet temporary file (constant_memory: each row is final once the next
    one starts), so a sheet is written top to bottom; its column widths, filter and print
    setup are stored apart and may come later."""

    def __init__(self, book: ReportWorkbook, name: str, title: str, columns: list[Column]):
        self.book, self.ws = book, book.workbook.add_worksheet(name)
        self.money_unit = book.money_unit
        self.columns = [Column("序号", "int", 6), *(in_money_unit(c, book.money_unit) for c in columns)]
        self.count, self.row = 0, 0
        self.totals = [Decimal(0) if c.total else None for c in columns]
        self._widths: list[int] | None = [display_width(c.header) for c in self.columns]  # None: fitted
        self._measured = [(i, c, SHOWN_WIDTH.get(c.kind)) for i, c in enumerate(self.columns) if i]  # see _measure
        self._formats = [FORMATS.get(c.kind) for c in self.columns]  # the number format of each column
        self._plain = [book.data_format(f, False, False) for f in self._formats]
        self._quoted = [book.data_format(f, False, True) for f in self._formats]
        numeric = ("int", "rate") if book.money_unit is not YUAN else ("int", "rate", "money")
        self._numbers = {i for i, c in enumerate(self.columns) if c.kind in numeric}  # numbers as they are
        self._dates = {i for i, c in enumerate(self.columns) if c.kind in ("date", "year")}  # see add
        self._summed = [i for i, c in enumerate(columns) if c.total]
        years = {i for i, c in enumerate(self.columns) if c.kind == "year"}
        self._rows = RowWriter(self.ws, self._plain, self._quoted, self._numbers, self._dates, years,
                               FORMULA_PREFIXES, book.date_text)
        last = len(self.columns) - 1
        ws = self.ws
        ws.freeze_panes(3, 0)
        page_setup(ws)
        ws.merge_range(0, 0, 0, last, "", book.format(bold=True, font_size=16, **align("center")))
        self._text(0, 0, title, bold=True, font_size=16, **align("center"))
        self._text(1, last, unit_line(book.unit, book.money_unit), **align("right"))
        for col, column in enumerate(self.columns):
            self._text(2, col, column.header, bold=True, bg_color="#DDEBF7", pattern=1, **BORDER,
                       **align("center"))
        self.row = 3

    def _text(self, row: int, col: int, value, **style) -> None:
        """A text cell of the title, header and footer lines (formula-like text stays text)."""
        value = xml_safe(value)
        if value.startswith(FORMULA_PREFIXES):
            style["quote_prefix"] = True
        self.ws.write_string(row, col, value, self.book.format(**style) if style else None)

    def _value(self, row: int, col: int, value, bold: bool = False) -> None:
        """A bordered data cell in its column's number format (formats are built once per
        (format, bold, formula-like), by the workbook)."""
        kind, ws, number_format = type(value), self.ws, self._formats[col]
        if kind is str and number_format is YEAR_FORMAT:
            value = as_year(value)  # a year as a number; other text stays text
            kind = type(value)
        if kind is str:
            if ILLEGAL_CHARACTERS_RE.search(value):
                value = xml_safe(value)
            fmt = self.book.data_format(number_format, bold, value.startswith(FORMULA_PREFIXES))
            ws.write_string(row, col, value, fmt)
            return
        if value is None:
            ws.write_blank(row, col, None, self.book.data_format(number_format, bold, False))
            return
        column = self.columns[col]
        if isinstance(value, datetime):
            value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
            ws.write_datetime(row, col, value, self.book.data_format("yyyy-mm-dd hh:mm", bold, False))
            return
        if column.kind == "text":
            self._value(row, col, str(value), bold)
            return
        if column.kind == "money" and self.money_unit is not YUAN:
            value, number_format = in_unit(value, self.money_unit), WAN_FORMAT
        fmt = self.book.data_format(number_format, bold, False)
        if isinstance(value, date):
            ws.write_datetime(row, col, value, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        else:
            ws.write_number(row, col, value, fmt)

    def add(self, values: list) -> None:
        """A data row. A plain row (portal.sheet_rows) is written as XML directly; otherwise
        text, blanks, amounts and dates of their own columns are written here through XlsxWriter
        with their column's format; anything else through `_value`."""
        if len(values) != len(self.columns) - 1:
            raise ValueError(f"{len(values)} values for {len(self.columns) - 1} columns")
        self.count += 1
        totals = self.totals
        for index in self._summed:
            if totals[index] is not None and values[index] is not None:
                totals[index] += values[index]
        if self._widths is not None:
            self._measure(values)
        row = self.row
        self.row += 1
        if self._rows.write(row, self.count, values):  # a plain row: its XML written directly
            return
        ws, plain, quoted, numbers, dates = self.ws, self._plain, self._quoted, self._numbers, self._dates
        ws.write_number(row, 0, self.count, plain[0])
        for col, value in enumerate(values, start=1):
            kind = type(value)
            if kind is str and col not in dates:  # dates: the year column reads its text too
                if ILLEGAL_CHARACTERS_RE.search(value):
                    value = xml_safe(value)
                ws.write_string(row, col, value, quoted[col] if value.startswith(FORMULA_PREFIXES) else plain[col])
            elif value is None:
                ws.write_blank(row, col, None, plain[col])
            elif (kind is Decimal or kind is int) and col in numbers:
                ws.write_number(row, col, value, plain[col])
            elif kind is date and col in dates:
                ws.write_datetime(row, col, value, plain[col])
            else:
                self._value(row, col, value)

    def _measure(self, values: list) -> None:
        """Widen the columns to the row's values (序号 included); the widths are set once
        SAMPLE_ROWS rows were seen. A column of a fixed shown width (dates, rates, 年度) is
        measured until it reaches that width, which no later value changes."""
        widths = self._widths
        widths[0] = max(widths[0], len(str(self.count)))
        reached = False
        for index, column, fixed in self._measured:
            value = values[index - 1]
            if value is None:  # shown as nothing
                continue
            shown = fixed if fixed is not None else shown_width(column, value)
            if shown > widths[index]:
                widths[index] = shown
            reached = reached or fixed is not None
        if reached:
            self._measured = [m for m in self._measured if m[2] is None or widths[m[0]] < m[2]]
        if self.count >= SAMPLE_ROWS:
            self._fit()

    def _fit(self) -> None:
        if self._widths is None:
            return
        for col, measured in enumerate(self._widths):
            # XlsxWriter stores width w as Excel shows it (w + 5/7 with its padding); this
            # stores fitted_width itself, as a column's width always was
            self.ws.set_column(col, col, fitted_width(measured) - 5 / 7)
        self._widths = None

    def close(self, totals: list | None = None, note: str = "") -> None:
        """合计 row (the running sums unless `totals` is given), then `note` (e.g. the basis) and
        the footer."""
        sums = totals if totals is not None else self.totals
        row, width = self.row, len(self.columns)
        self._value(row, 0, "合计", bold=True)
        for index, column in enumerate(self.columns[1:]):
            value = sums[index] if column.total else None
            if column.ratio:
                numerator, denominator = (sums[i] for i in column.ratio)
                value = (Decimal(numerator) / Decimal(denominator)) if denominator else None
            self._value(row, index + 1, value, bold=True)
            if self._widths is not None:  # the 合计 is often the widest figure of its column
                self._widths[index + 1] = max(self._widths[index + 1], shown_width(column, value))
        self.ws.autofilter(2, 0, 2 + self.count, width - 1)
        self._fit()
        row += 2  # a blank line
        if note:
            self._text(row, 0, note)
            row += 1
        for col, text in enumerate(signature_line(self.book.maker, width)):
            if text is not None:
                self._text(row, col, text)
        made_at = timezone.localtime(self.book.made_at).strftime("%Y-%m-%d %H:%M")
        self._text(row + 1, 0, f"制表单位：{self.book.org}")
        self._text(row + 1, max(1, width - 2), f"制表时间：{made_at}")
        self.row = row + 2
        if self.book.workbook.constant_memory:
            # the sheet is complete: close its temporary file (XlsxWriter reopens it to pack the
            # workbook), so a workbook of many sheets holds one open file, not one per sheet
            self.ws._opt_close()


class ReportWorkbook:
    """A workbook written by XlsxWriter in constant_memory mode (every row goes to a temporary
    file as written; memory stays flat): a summary sheet first, then one sheet per district.
    Sheets may be written one after another or interleaved, each top to bottom."""

    def __init__(self, *, unit: str = "单位：元", org: str = "", made_at: datetime | None = None,
                 maker: str = "", money_unit: Unit = YUAN):
        self._target = _Target()
        self.workbook = xlsxwriter.Workbook(self._target, {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False})
        self.unit, self.org, self.maker, self.money_unit = unit, org, maker, money_unit
        self.made_at = made_at or timezone.now()
        self._names: set[str] = set()
        self._formats: dict[tuple, object] = {}
        self.date_text: dict = {}  # portal.sheet_rows: each date's Excel serial number, as text

    def sheet(self, name: str, title: str, columns: list[Column]) -> SheetWriter:
        return SheetWriter(self, self._unique(name), title, columns)

    def format(self, **style):
        """The workbook's one Format of `style` (XlsxWriter format properties)."""
        key = tuple(sorted(style.items()))
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self.workbook.add_format(style)
        return fmt

    def data_format(self, number_format: str | None, bold: bool, quoted: bool):
        key = (number_format, bold, quoted)
        fmt = self._formats.get(key)
        if fmt is None:
            style = dict(BORDER, bold=bold, quote_prefix=quoted)
            if number_format:
                style["num_format"] = number_format
            fmt = self._formats[key] = self.format(**style)
        return fmt

    def _unique(self, name: str) -> str:
        base = xml_safe(name or "未分区").translate(INVALID_SHEET_CHARS).strip("'")[:28] or "未分区"
        candidate, n = base, 2
        while candidate.lower() in self._names or candidate.lower() == "history":  # as Excel: any case
            candidate, n = f"{base}{n}", n + 1
        self._names.add(candidate.lower())
        return candidate

    def save(self, target) -> None:
        self._target.file = target
        self.workbook.close()


class _Target:
    """The file XlsxWriter packs the workbook into, given only at save(); a workbook dropped
    unsaved (an export that failed) is packed into nothing, which removes its temporary files."""

    file = None

    def write(self, data):
        return self.file.write(data) if self.file is not None else len(data)

    def tell(self):
        return self.file.tell() if self.file is not None else 0

    def seek(self, *args):
        return self.file.seek(*args) if self.file is not None else 0

    def flush(self):
        if self.file is not None:
            self.file.flush()

def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """UTF-8 CSV text with a BOM (so Excel reads the Chinese), formula-like fields as text."""
    writer = csv.writer(_Echo())  # writerow returns the line (what _Echo.write was given)
    yield BOM + writer.writerow([csv_text(v) for v in header])
    guard, prefixes = csv_text, FORMULA_PREFIXES
    for row in rows:  # text inline: the common field of millions
        yield writer.writerow([(v if not v.startswith(prefixes) else "'" + v) if type(v) is str else guard(v)
                               for v in row])


class _Echo:
    """A file whose write() hands the text back, so csv.writer.writerow returns its line."""

    def write(self, text: str) -> str:
        return text


def csv_blocks(header: list[str], rows: Iterable[list], size: int = 500) -> Iterator[tuple[str, int]]:
    """The text of `csv_lines` (the same characters) in blocks of up to `size` rows, as
    (text, rows in it); the header comes first, as a block of 0 rows. For files of many rows
    (the ledger: 300,000): each block is checked and formatted a column at a time, so a
    column of dates, blanks or plain text goes to the csv module as it is."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_text(v) for v in header])
    yield BOM + out.getvalue(), 0
    rows = iter(rows)
    while block := list(islice(rows, size)):
        out.seek(0)
        out.truncate()
        writer.writerows(_csv_safe(block))
        yield out.getvalue(), len(block)


NONE = type(None)
AS_IS = frozenset({NONE, date})  # the csv module writes None as "" and a date as isoformat(), as csv_text
FORMULA_FIRST = frozenset(FORMULA_PREFIXES)  # each prefix is one character: formula-like text starts with one
assert all(len(prefix) == 1 for prefix in FORMULA_PREFIXES)


def _csv_safe(block: list[list]) -> Iterable:
    """The rows of `block` with every value as csv_text would write it (values the csv module
    writes the same way left as they are), a column at a time."""
    widths = set(map(len, block))
    if len(widths) != 1 or 0 in widths:  # ragged (e.g. a note line at the end): row by row
        return ([csv_text(v) for v in row] for row in block)
    columns = list(zip(*block, strict=True))
    for index, column in enumerate(columns):
        kinds = set(map(type, column))
        if kinds <= AS_IS:
            continue
        if kinds <= {str, NONE}:
            if FORMULA_FIRST.isdisjoint(map(itemgetter(0), filter(None, column))):
                continue  # no formula-like text: as it is
        elif kinds == {int} and min(column) >= 0:  # negative numbers get the ' (csv_text)
            continue
        elif kinds <= {Decimal, NONE}:  # None as it is (AS_IS)
            columns[index] = [v if v is None else decimal_text(v) for v in column]
            continue
        columns[index] = list(map(csv_text, column))
    return zip(*columns, strict=True)


def in_money_unit(column: Column, unit: Unit) -> Column:
    """The column with its header in `unit` ("金额（元）" → "金额（万元）") for money columns."""
    if column.kind != "money" or unit is YUAN:
        return column
    header = column.header.replace("（元）", f"（{unit.label}）")
    return Column(header, column.kind, column.width, column.total, column.ratio)


def maker_of(user) -> str:
    """制表人 of a user's export: the real name (姓 then 名, no space) or the login name."""
    name = f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}".strip()
    return name or user.get_username()


def export_filename(title: str, scope: str, file_format: str, when=None) -> str:
    """The one name of every export file: `<title>_<scope>_<YYYYMMDD>.<format>` (local date;
    scope 全部 for users who see everything). Path separators and the like are replaced."""
    day = timezone.localtime(when or timezone.now()).strftime("%Y%m%d")
    parts = [part.translate(FILENAME_UNSAFE).strip() or "-" for part in (title, scope or "全部")]
    return f"{parts[0]}_{parts[1]}_{day}.{file_format}"


FILENAME_UNSAFE = str.maketrans({c: "_" for c in '\\/:*?"<>|\r\n\t'})
