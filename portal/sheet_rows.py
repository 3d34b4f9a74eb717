"""Data rows of portal.tabular's sheets written into XlsxWriter's constant_memory row file as the
very XML XlsxWriter writes for them, character for character, without its machinery per cell
(argument decoding, bounds, a tuple, a type dispatch by class name, attribute escaping and
three regular expressions per string: most of the time of a large ledger went there).

Only the cells whose XML is plain are written here: text without anything XlsxWriter escapes or
flags (XML escapes, control characters or an `_x` that could read as one, rich-string markup,
leading or trailing white space, text long enough to be truncated), blanks, finite amounts and
integers, dates. A row holding any other value is handed back (`write` returns False, having
written nothing) and the caller writes it through XlsxWriter's API. Formats get their index at
first use in the order XlsxWriter gives them (row by row, left to right), so the styles are
the same too. tests/portal/test_sheet_rows.py holds a sheet written both ways to the same bytes;
XlsxWriter is pinned (pyproject.toml) since this writes its row format.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from math import isfinite

from xlsxwriter.utility import _datetime_to_excel_datetime, xl_col_to_name

PLAIN_TEXT_LIMIT = 16383  # XlsxWriter measures longer text in UTF-16 units (Excel's 32,767 limit)
NOT_PLAIN = re.compile(r'_x|[\x00-\x08\x0b-\x1f&<>"\n\ufffe\uffff]|^\s|\s$')


class RowWriter:
    """The plain data rows of one constant_memory worksheet. `plain[col]` and `quoted[col]` are
    the Formats of a column's cells (quoted: formula-like text); `numbers` the columns whose
    integers and amounts are written as numbers, `dates` those whose dates are (and `years`:
    integers too)."""

    def __init__(self, ws, plain: list, quoted: list, numbers: set, dates: set, years: set,
                 prefixes: tuple[str, ...], date_text: dict):
        self.ws, self.plain, self.quoted, self.prefixes = ws, plain, quoted, prefixes
        self.numbers, self.dates, self.years = numbers, dates, years
        self.letters = [xl_col_to_name(col) for col in range(len(plain))]
        self.date_text = date_text  # Excel serial number of each date seen (shared by a workbook's sheets)
        # a row element without attributes but its number: the default height, Excel 2007 XML
        self.enabled = (ws.constant_memory and ws.excel_version == 2007
                        and ws.default_row_height == ws.original_row_height)

    def write(self, row: int, count: int, values: list) -> bool:
        """Row `row`: 序号 `count`, then `values` (one per column after it); False (nothing
        written) when a value is not plain."""
        ws = self.ws
        if (not self.enabled or row <= ws.previous_row or row >= ws.xls_rowmax or row in ws.row_info
                or row in ws.comments):
            return False
        # as XlsxWriter's first cell of a row: the sheet's dimensions, then the previous row out
        ws._check_dimensions(row, 0)
        ws._check_dimensions(row, len(values))
        ws._write_single_row(row)
        number = str(row + 1)
        letters, plain, quoted, numbers, dates = self.letters, self.plain, self.quoted, self.numbers, self.dates
        fmt = plain[0]
        index = fmt.xf_index if fmt.xf_index is not None else fmt._get_xf_index()
        parts = [f'<row r="{number}"><c r="A{number}" s="{index}"><v>{count:.16G}</v></c>']
        append, prefixes, not_plain = parts.append, self.prefixes, NOT_PLAIN.search
        years, date_text = self.years, self.date_text
        for col, value in enumerate(values, start=1):
            kind = type(value)
            if kind is str and col not in dates:
                if len(value) > PLAIN_TEXT_LIMIT or not_plain(value):
                    return False
                fmt = quoted[col] if value.startswith(prefixes) else plain[col]
                index = fmt.xf_index if fmt.xf_index is not None else fmt._get_xf_index()
                append(f'<c r="{letters[col]}{number}" s="{index}" t="inlineStr"><is><t>{value}</t></is></c>')
                continue
            fmt = plain[col]  # its index is given below, once the cell is known to be written here
            if value is None:
                index = fmt.xf_index if fmt.xf_index is not None else fmt._get_xf_index()
                append(f'<c r="{letters[col]}{number}" s="{index}"/>')
            elif (kind is Decimal or kind is int) and (col in numbers or (kind is int and col in years)):
                if not isfinite(value):  # XlsxWriter writes NaN and infinities as error formulas
                    return False
                index = fmt.xf_index if fmt.xf_index is not None else fmt._get_xf_index()
                append(f'<c r="{letters[col]}{number}" s="{index}"><v>{value:.16G}</v></c>')
            elif kind is date and col in dates:
                text = date_text.get(value)
                if text is None:
                    serial = _datetime_to_excel_datetime(value, ws.date_1904, ws.remove_timezone)
                    text = date_text[value] = f"{serial:.16G}"
                index = fmt.xf_index if fmt.xf_index is not None else fmt._get_xf_index()
                append(f'<c r="{letters[col]}{number}" s="{index}"><v>{text}</v></c>')
            else:
                return False
        append("</row>")
        ws.fh.write("".join(parts))
        return True
