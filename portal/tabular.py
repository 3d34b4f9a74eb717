"""Excel and CSV writing for every export (DOMAIN §8), following Chinese financial report
conventions: a title row centred across the columns, the unit line (单位：元), a frozen
header row with auto-filter, a 序号 column, amounts as `#,##0.00`, a 合计 row and a footer
with 制表人 / 审核人 / 负责人 and 制表单位 / 制表时间. Workbooks are openpyxl write-only (rows
stream to disk, memory stays flat); a sheet still hands over as is (`SheetWriter`): the title
merged and centred, printed landscape on A4 fitted to the page width with the title and
header rows repeated on every page, column widths fitted to the content (a CJK character
counts as two; measured on the header and the first SAMPLE_ROWS rows, which are held back
until then), 年度 written as a number (kind "year"), amounts in 元 or 万元
(portal.formatting). Every export file is named by `export_filename`.

Formula injection: a text cell beginning with = + - @ (or a tab / carriage return) is
written as text, never as a formula — `text_cell` for .xlsx, `csv_text` for .csv. Every
export of the portal should write its text through these two helpers.

Characters XML 1.0 forbids (control characters such as \x0b or \x01, which a stored name, a
failed-login username or a logged path may hold) cannot be written to .xlsx: `text_cell` writes
each as its visible escape (`\x0b`), so one such value never fails a whole export.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.properties import PageSetupProperties

from portal.formatting import YUAN, Unit, in_unit
from portal.validators import ascii_int

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
AMOUNT_FORMAT = "#,##0.00"
FORMATS = {"money": AMOUNT_FORMAT, "int": "#,##0", "date": "yyyy-mm-dd", "rate": "0.0%", "year": "0"}
WAN_FORMAT = "#,##0.0000"  # 万元 keeps the amount exact to the 元
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"

_thin = Side(style="thin", color="999999")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def xml_safe(value: str) -> str:
    """`value` with every character XML 1.0 forbids written as its escape (\x0b)."""
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def text_cell(ws, value: str) -> WriteOnlyCell:
    """A cell that is text whatever it begins with (=, +, -, @ never become a formula) and
    whatever characters it holds (see `xml_safe`)."""
    try:
        cell = WriteOnlyCell(ws, value=value)
    except IllegalCharacterError:  # rare: checked by openpyxl anyway, so the common case pays nothing
        value = xml_safe(value)
        cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    if is_formula_like(value):
        cell.quotePrefix = True  # Excel's own "text" marker ('=…), kept if the user edits it
    return cell


def csv_text(value) -> str:
    """A CSV field that a spreadsheet will not evaluate: formula-like text gets a leading '."""
    kind = type(value)
    if kind is str:  # the common case first (exports write millions of fields)
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if kind is Decimal:
        return format(value, "f")
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else \
            value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
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
    """One sheet: title, unit line, header, rows (序号 added), 合计 row, footer."""

    def __init__(self, workbook: Workbook, name: str, title: str, columns: list[Column], *, unit: str,
                 org: str, made_at: datetime, maker: str = "", money_unit: Unit = YUAN):
        self.ws = workbook.create_sheet(name)
        self.money_unit = money_unit
        self.columns = [Column("序号", "int", 6), *(in_money_unit(c, money_unit) for c in columns)]
        self.org, self.made_at, self.maker = org, made_at, maker
        self.count = 0
        self.totals = [Decimal(0) if c.total else None for c in columns]
        self._styles: dict[tuple, object] = {}  # (number format, bold, formula-like) → openpyxl StyleArray
        self._held: list | None = []  # rows held back until the widths are known (see _fit)
        self._widths = [display_width(c.header) for c in self.columns]
        self.ws.freeze_panes = "A4"
        width = len(self.columns)
        page_setup(self.ws, width)
        self._row([self._styled(title, font=Font(bold=True, size=16), align="center")]
                  + [self._styled(None, align="center") for _ in range(width - 1)])
        self._row([None] * (width - 1) + [self._styled(unit_line(unit, money_unit), align="right")])
        self._row([self._styled(c.header, font=Font(bold=True), fill=HEADER_FILL, border=True,
                                align="center") for c in self.columns])

    def _styled(self, value, *, font=None, fill=None, border=False, align=None, number_format=None):
        cell = text_cell(self.ws, value) if isinstance(value, str) else WriteOnlyCell(self.ws, value=value)
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if border:
            cell.border = BORDER
        if align:
            cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=align == "left")
        if number_format:
            cell.number_format = number_format
        return cell

    def _row(self, cells):
        if self._held is not None:
            self._held.append(cells)
            return
        self.ws.append(cells)

    def _fit(self) -> None:
        """Set the column widths from what was measured, then write the rows held back (a
        write-only sheet writes its widths before its first row)."""
        if self._held is None:
            return
        for index, measured in enumerate(self._widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = fitted_width(measured)
        held, self._held = self._held, None
        for cells in held:
            self.ws.append(cells)

    def _value_cell(self, column: Column, value, bold=False):
        """A bordered data cell. Its style is built once per (format, bold, formula-like) and
        copied to the next cells: assigning openpyxl style objects hashes them for every cell,
        which made a 300,000-row ledger take 4.8 times as long as writing its bare values."""
        if isinstance(value, datetime):
            value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
            number_format = "yyyy-mm-dd hh:mm"
        elif column.kind == "money" and self.money_unit is not YUAN:
            value, number_format = in_unit(value, self.money_unit), WAN_FORMAT
        elif column.kind == "year":
            value, number_format = as_year(value), FORMATS["year"]
        else:
            number_format = FORMATS.get(column.kind)
            if column.kind == "text" and value is not None and not isinstance(value, str):
                value = str(value)
        key = (number_format, bold, is_formula_like(value))
        style = self._styles.get(key)
        if style is None:
            cell = self._styled(value, border=True, number_format=number_format,
                                font=Font(bold=bold) if bold else None)
            self._styles[key] = copy(cell._style)
            return cell
        cell = text_cell(self.ws, value) if isinstance(value, str) else WriteOnlyCell(self.ws, value=value)
        cell._style = copy(style)  # openpyxl's per-cell StyleArray (indexes into the workbook's styles)
        return cell

    def add(self, values: list) -> None:
        self.count += 1
        for index, value in enumerate(values):
            if self.totals[index] is not None and value is not None:
                self.totals[index] += value
        if self._held is not None:
            self._measure(values)
        self._row([self._value_cell(self.columns[0], self.count)]
                  + [self._value_cell(c, v) for c, v in zip(self.columns[1:], values, strict=True)])

    def _measure(self, values: list) -> None:
        """Widen the columns to the row's values (序号 included); write out once SAMPLE_ROWS
        rows were seen."""
        widths = self._widths
        widths[0] = max(widths[0], len(str(self.count)))
        for index, (column, value) in enumerate(zip(self.columns[1:], values, strict=False), start=1):
            shown = _shown_width(column, value)
            if shown > widths[index]:
                widths[index] = shown
        if self.count >= SAMPLE_ROWS:
            self._fit()

    def close(self, totals: list | None = None, note: str = "") -> None:
        """合计 row (the running sums unless `totals` is given), then `note` (e.g. the basis) and
        the footer."""
        sums = totals if totals is not None else self.totals
        data = self.columns[1:]
        cells = [self._value_cell(self.columns[0], "合计", bold=True)]
        for index, column in enumerate(data):
            value = sums[index] if column.total else None
            if column.ratio:
                numerator, denominator = (sums[i] for i in column.ratio)
                value = (Decimal(numerator) / Decimal(denominator)) if denominator else None
            cells.append(self._value_cell(column, value, bold=True))
            if self._held is not None:  # the 合计 is often the widest figure of its column
                self._widths[index + 1] = max(self._widths[index + 1], _shown_width(column, value))
        self._row(cells)
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A3:{last}{3 + self.count}"
        self.ws.merged_cells.add(f"A1:{last}1")
        self._fit()
        self._row([])
        if note:
            self._row([self._styled(note)])
        self._row(signature_line(self.maker, len(self.columns), self._styled))
        made_at = timezone.localtime(self.made_at).strftime("%Y-%m-%d %H:%M")
        footer = [self._styled(f"制表单位：{self.org}")] + [None] * max(0, len(self.columns) - 3)
        self._row([*footer, self._styled(f"制表时间：{made_at}")])


class ReportWorkbook:
    """A write-only workbook: a summary sheet first, then one sheet per district."""

    def __init__(self, *, unit: str = "单位：元", org: str = "", made_at: datetime | None = None,
                 maker: str = "", money_unit: Unit = YUAN):
        self.workbook = Workbook(write_only=True)
        self.unit, self.org, self.maker, self.money_unit = unit, org, maker, money_unit
        self.made_at = made_at or timezone.now()
        self._names: set[str] = set()

    def sheet(self, name: str, title: str, columns: list[Column]) -> SheetWriter:
        return SheetWriter(self.workbook, self._unique(name), title, columns, unit=self.unit,
                           org=self.org, made_at=self.made_at, maker=self.maker, money_unit=self.money_unit)

    def _unique(self, name: str) -> str:
        base = xml_safe(name or "未分区").translate(INVALID_SHEET_CHARS)[:28]
        candidate, n = base, 2
        while candidate in self._names:
            candidate, n = f"{base}{n}", n + 1
        self._names.add(candidate)
        return candidate

    def save(self, target) -> None:
        self.workbook.save(target)


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """UTF-8 CSV text with a BOM (so Excel reads the Chinese), formula-like fields as text."""
    writer = csv.writer(_Echo())  # writerow returns the line (what _Echo.write was given)
    yield BOM + writer.writerow([csv_text(v) for v in header])
    for row in rows:
        yield writer.writerow([csv_text(v) for v in row])


class _Echo:
    """A file whose write() hands the text back, so csv.writer.writerow returns its line."""

    def write(self, text: str) -> str:
        return text


# ---------------------------------------------------------------- handover layout (SheetWriter)

SAMPLE_ROWS = 200  # data rows measured for the column widths before the sheet is written
MIN_WIDTH, MAX_WIDTH = 6, 50  # in Excel characters; longer text wraps
SHOWN_WIDTH = {"date": 10, "datetime": 16, "rate": 7, "year": 4}


def display_width(text) -> int:
    """The printed width of `text` in Excel character units: a CJK (or other wide) character
    counts as two ("合计" → 4, "2026" → 4)."""
    import unicodedata

    if text is None:
        return 0
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in str(text))


def fitted_width(measured: int) -> int:
    return max(MIN_WIDTH, min(MAX_WIDTH, measured + 2))


def _shown_width(column: Column, value) -> int:
    if value is None:
        return 0
    if column.kind in SHOWN_WIDTH:
        return SHOWN_WIDTH[column.kind]
    if column.kind in ("money", "int") and isinstance(value, int | float | Decimal):
        return len(f"{value:,.2f}")
    return display_width(value)


def page_setup(ws, columns: int) -> None:
    """A4 landscape, fitted to one page wide (as many pages tall as needed), the title, unit and
    header rows repeated on every printed page, centred horizontally."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4 (ECMA-376 paper size code)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = "1:3"


def as_year(value):
    """年度 as a number (2026, not "2026"); text that is not a year stays text."""
    number = ascii_int(value) if isinstance(value, str) else None
    return value if number is None else number


def in_money_unit(column: Column, unit: Unit) -> Column:
    """The column with its header in `unit` ("金额（元）" → "金额（万元）") for money columns."""
    if column.kind != "money" or unit is YUAN:
        return column
    header = column.header.replace("（元）", f"（{unit.label}）")
    return Column(header, column.kind, column.width, column.total, column.ratio)


def unit_line(unit: str, money_unit: Unit) -> str:
    """The unit line under the title: 单位：元 becomes 单位：万元 when the amounts are in 万元."""
    if money_unit is YUAN:
        return unit
    return unit.replace("单位：元", money_unit.heading) if "单位：元" in unit else f"{unit}    {money_unit.heading}"


def signature_line(maker: str, width: int, styled) -> list:
    """制表人 / 审核人 / 负责人 spread over the sheet's width (审核人 and 负责人 left blank to sign)."""
    cells = [None] * max(width, 3)
    cells[0] = styled(f"制表人：{maker}")
    cells[max(1, width // 2 - 1)] = styled("审核人：")
    cells[len(cells) - 1] = styled("负责人：")
    return cells


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
