"""The handover layout of portal.tabular's sheets: column widths fitted to the content (a CJK
character counts as two), print setup, the unit line and the signature line, 年度 as a number."""

from __future__ import annotations

import functools
import unicodedata
from decimal import Decimal

from portal.formatting import YUAN, Unit
from portal.validators import ascii_int

SAMPLE_ROWS = 200  # data rows measured for the column widths before the sheet is written
MIN_WIDTH, MAX_WIDTH = 6, 50  # in Excel characters; longer text wraps
SHOWN_WIDTH = {"date": 10, "datetime": 16, "rate": 7, "year": 4}


@functools.lru_cache(maxsize=4096)  # names repeat (districts, streets, labels)
def display_width(text) -> int:
    """The printed width of `text` in Excel character units: a CJK (or other wide) character
    counts as two ("合计" → 4, "2026" → 4)."""
    if text is None:
        return 0
    text = str(text)
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F"))


def fitted_width(measured: int) -> int:
    return max(MIN_WIDTH, min(MAX_WIDTH, measured + 2))


def shown_width(column, value) -> int:
    if value is None:
        return 0
    if column.kind in SHOWN_WIDTH:
        return SHOWN_WIDTH[column.kind]
    if column.kind in ("money", "int") and isinstance(value, int | float | Decimal):
        return len(f"{value:,.2f}")
    return display_width(value)


def as_year(value):
    """年度 as a number (2026, not "2026"); text that is not a year stays text."""
    number = ascii_int(value) if isinstance(value, str) else None
    return value if number is None else number


def unit_line(unit: str, money_unit: Unit) -> str:
    """The unit line under the title: 单位：元 becomes 单位：万元 when the amounts are in 万元."""
    if money_unit is YUAN:
        return unit
    return unit.replace("单位：元", money_unit.heading) if "单位：元" in unit else f"{unit}    {money_unit.heading}"


def signature_line(maker: str, width: int) -> list:
    """制表人 / 审核人 / 负责人 spread over the sheet's width (审核人 and 负责人 left blank to sign)."""
    cells = [None] * max(width, 3)
    cells[0] = f"制表人：{maker}"
    cells[max(1, width // 2 - 1)] = "审核人："
    cells[len(cells) - 1] = "负责人："
    return cells


def page_setup(ws) -> None:
    """A4 landscape, fitted to one page wide (as many pages tall as needed), the title, unit and
    header rows repeated on every printed page, centred horizontally."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.repeat_rows(0, 2)


def align(horizontal: str) -> dict:
    return {"align": horizontal, "valign": "vcenter", "text_wrap": horizontal == "left"}
